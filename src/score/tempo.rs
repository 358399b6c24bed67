//! Tempo: the map between beats (score time) and seconds.

/// Breakpoints `(beat, beats per minute)`, sorted by beat. Between two
/// breakpoints the *length of a beat* (60/bpm seconds) changes linearly, as in
/// Csound's `t` statement (so `t 0 60 4 120` makes beat 4 fall at 3 s, not at
/// 4 ln 2 s). Two points at the same beat make a step. Before the first point
/// the first tempo holds; after the last point the last tempo holds. Empty =
/// 60 bpm throughout.
#[derive(Clone, Debug, Default)]
pub struct TempoMap {
    pub points: Vec<(f64, f64)>,
}

/// Seconds per beat at a tempo; guards against non-positive tempi, which the
/// parser rejects but a hand-built map might hold.
fn period(bpm: f64) -> f64 {
    if bpm > 0.0 && bpm.is_finite() {
        60.0 / bpm
    } else {
        1.0
    }
}

/// Seconds spent in the first `x` beats of a segment whose beat length goes
/// linearly from `p0` to `p1` over `len` beats.
fn seg_seconds(p0: f64, p1: f64, len: f64, x: f64) -> f64 {
    let slope = if len > 0.0 { (p1 - p0) / len } else { 0.0 };
    p0 * x + slope * x * x / 2.0
}

/// Inverse of [`seg_seconds`]: the beats into the segment after `s` seconds.
fn seg_beats(p0: f64, p1: f64, len: f64, s: f64) -> f64 {
    let slope = if len > 0.0 { (p1 - p0) / len } else { 0.0 };
    // Root of slope/2 x^2 + p0 x - s = 0 written so that slope = 0 is exact
    // and there is no cancellation.
    let disc = (p0 * p0 + 2.0 * slope * s).max(0.0);
    let denom = p0 + disc.sqrt();
    if denom > 0.0 { 2.0 * s / denom } else { 0.0 }
}

impl TempoMap {
    /// A map holding one tempo throughout.
    pub fn constant(bpm: f64) -> TempoMap {
        TempoMap {
            points: vec![(0.0, bpm)],
        }
    }

    /// The tempo, if it is the same all the way from beat `a` to beat `b`.
    pub fn constant_between(&self, a: f64, b: f64) -> Option<f64> {
        let bpm = self.bpm_at(a);
        let same = self.bpm_at(b) == bpm
            && self
                .points
                .iter()
                .filter(|(beat, _)| *beat > a && *beat < b)
                .all(|(_, t)| *t == bpm);
        same.then_some(bpm)
    }

    /// Seconds from the start at which `beat` falls.
    pub fn seconds_at(&self, beat: f64) -> f64 {
        let Some(&(b0, t0)) = self.points.first() else {
            return beat;
        };
        if beat <= b0 {
            return beat * period(t0);
        }
        let mut secs = b0 * period(t0);
        for w in self.points.windows(2) {
            let ((ba, ta), (bb, tb)) = (w[0], w[1]);
            let len = bb - ba;
            if beat <= bb {
                return secs + seg_seconds(period(ta), period(tb), len, beat - ba);
            }
            secs += seg_seconds(period(ta), period(tb), len, len);
        }
        let (bl, tl) = self.points[self.points.len() - 1];
        secs + (beat - bl) * period(tl)
    }

    /// The beat that falls `seconds` after the start (inverse of [`Self::seconds_at`]).
    pub fn beat_at(&self, seconds: f64) -> f64 {
        let Some(&(b0, t0)) = self.points.first() else {
            return seconds;
        };
        let start = b0 * period(t0);
        if seconds <= start {
            return seconds / period(t0);
        }
        let mut secs = start;
        for w in self.points.windows(2) {
            let ((ba, ta), (bb, tb)) = (w[0], w[1]);
            let len = bb - ba;
            let seg = seg_seconds(period(ta), period(tb), len, len);
            if seconds <= secs + seg {
                let x = seg_beats(period(ta), period(tb), len, seconds - secs);
                return ba + x.min(len);
            }
            secs += seg;
        }
        let (bl, tl) = self.points[self.points.len() - 1];
        bl + (seconds - secs) / period(tl)
    }

    /// The tempo (bpm) in force at `beat`; after a step, the new tempo.
    pub fn bpm_at(&self, beat: f64) -> f64 {
        let Some(&(b0, t0)) = self.points.first() else {
            return 60.0;
        };
        if beat <= b0 {
            return t0;
        }
        for w in self.points.windows(2) {
            let ((ba, ta), (bb, tb)) = (w[0], w[1]);
            if beat < bb {
                let (pa, pb) = (period(ta), period(tb));
                let p = pa + (pb - pa) * (beat - ba) / (bb - ba);
                return 60.0 / p;
            }
        }
        self.points[self.points.len() - 1].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn empty_map_is_sixty_bpm() {
        let m = TempoMap::default();
        assert_eq!(m.seconds_at(3.5), 3.5);
        assert_eq!(m.beat_at(3.5), 3.5);
    }

    #[test]
    fn constant_tempo_scales_time() {
        let m = TempoMap::constant(120.0);
        assert!(close(m.seconds_at(4.0), 2.0));
        assert!(close(m.beat_at(2.0), 4.0));
    }

    // Values from csound 6.18: `t 0 60 4 120` with notes at beats 0,2,4,6
    // gives starts 0, 1.75, 3.0, 4.0 seconds.
    #[test]
    fn accelerando_interpolates_beat_length_like_csound() {
        let m = TempoMap {
            points: vec![(0.0, 60.0), (4.0, 120.0)],
        };
        assert!(close(m.seconds_at(2.0), 1.75));
        assert!(close(m.seconds_at(4.0), 3.0));
        assert!(close(m.seconds_at(6.0), 4.0));
        assert!(close(m.bpm_at(10.0), 120.0));
    }

    #[test]
    fn seconds_and_beats_are_inverses() {
        let m = TempoMap {
            points: vec![(0.0, 60.0), (4.0, 120.0), (4.0, 40.0), (10.0, 90.0)],
        };
        for i in 0..200 {
            let b = i as f64 * 0.1;
            let s = m.seconds_at(b);
            assert!((m.beat_at(s) - b).abs() < 1e-9, "beat {b}");
        }
    }

    #[test]
    fn step_changes_tempo_at_once() {
        let m = TempoMap {
            points: vec![(0.0, 60.0), (2.0, 60.0), (2.0, 120.0)],
        };
        assert!(close(m.seconds_at(2.0), 2.0));
        assert!(close(m.seconds_at(4.0), 3.0));
    }
}
