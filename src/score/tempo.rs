//! Tempo: the map between beats (score time) and seconds.

/// Breakpoints `(beat, beats per minute)`, sorted by beat. Between two
/// breakpoints the *length of a beat* (60/bpm seconds) changes linearly, as in
/// Csound's `t` statement (so `t 0 60 4 120` makes beat 4 fall at 3 s, not at
/// 4 ln 2 s). Two points at the same beat make a step. Before the first point
/// the first tempo holds; after the last point the last tempo holds. Empty =
/// 60 bpm throughout.
///
/// Each section adds points, and every event is looked up: the seconds at
/// each point are kept so a lookup is a binary search, not a walk (a score of
/// 24,000 repeated sections took minutes).
#[derive(Clone, Debug, Default)]
pub struct TempoMap {
    points: Vec<(f64, f64)>,
    /// Seconds from the start at each point.
    seconds: Vec<f64>,
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
    /// A map through `points` (sorted by beat).
    pub fn new(points: Vec<(f64, f64)>) -> TempoMap {
        let mut map = TempoMap::default();
        map.extend(points);
        map
    }

    /// A map holding one tempo throughout.
    pub fn constant(bpm: f64) -> TempoMap {
        TempoMap::new(vec![(0.0, bpm)])
    }

    /// The breakpoints.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// Add a breakpoint at or after the last one.
    pub fn push(&mut self, (beat, bpm): (f64, f64)) {
        let secs = match (self.points.last(), self.seconds.last()) {
            (Some(&(ba, ta)), Some(&sa)) => {
                let len = beat - ba;
                sa + seg_seconds(period(ta), period(bpm), len, len)
            }
            _ => beat * period(bpm),
        };
        self.points.push((beat, bpm));
        self.seconds.push(secs);
    }

    /// Add breakpoints in order.
    pub fn extend(&mut self, points: impl IntoIterator<Item = (f64, f64)>) {
        for p in points {
            self.push(p);
        }
    }

    /// The tempo, if it is the same all the way from beat `a` to beat `b`.
    pub fn constant_between(&self, a: f64, b: f64) -> Option<f64> {
        let bpm = self.bpm_at(a);
        let from = self.points.partition_point(|p| p.0 <= a);
        let to = self.points.partition_point(|p| p.0 < b).max(from);
        let same = self.bpm_at(b) == bpm && self.points[from..to].iter().all(|(_, t)| *t == bpm);
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
        // The first segment that reaches `beat` (at a step, the one before it).
        let next = self.points.partition_point(|p| p.0 < beat);
        if next == self.points.len() {
            let (bl, tl) = self.points[next - 1];
            return self.seconds[next - 1] + (beat - bl) * period(tl);
        }
        let ((ba, ta), (bb, tb)) = (self.points[next - 1], self.points[next]);
        self.seconds[next - 1] + seg_seconds(period(ta), period(tb), bb - ba, beat - ba)
    }

    /// The beat that falls `seconds` after the start (inverse of [`Self::seconds_at`]).
    pub fn beat_at(&self, seconds: f64) -> f64 {
        let Some(&(_, t0)) = self.points.first() else {
            return seconds;
        };
        if seconds <= self.seconds[0] {
            return seconds / period(t0);
        }
        let next = self.seconds.partition_point(|&s| s < seconds);
        if next == self.points.len() {
            let (bl, tl) = self.points[next - 1];
            return bl + (seconds - self.seconds[next - 1]) / period(tl);
        }
        let ((ba, ta), (bb, tb)) = (self.points[next - 1], self.points[next]);
        let len = bb - ba;
        let x = seg_beats(
            period(ta),
            period(tb),
            len,
            seconds - self.seconds[next - 1],
        );
        ba + x.min(len)
    }

    /// The tempo (bpm) in force at `beat`; after a step, the new tempo.
    pub fn bpm_at(&self, beat: f64) -> f64 {
        let Some(&(b0, t0)) = self.points.first() else {
            return 60.0;
        };
        if beat <= b0 {
            return t0;
        }
        let next = self.points.partition_point(|p| p.0 <= beat);
        if next == self.points.len() {
            return self.points[next - 1].1;
        }
        let ((ba, ta), (bb, tb)) = (self.points[next - 1], self.points[next]);
        let (pa, pb) = (period(ta), period(tb));
        let p = pa + (pb - pa) * (beat - ba) / (bb - ba);
        60.0 / p
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
        let m = TempoMap::new(vec![(0.0, 60.0), (4.0, 120.0)]);
        assert!(close(m.seconds_at(2.0), 1.75));
        assert!(close(m.seconds_at(4.0), 3.0));
        assert!(close(m.seconds_at(6.0), 4.0));
        assert!(close(m.bpm_at(10.0), 120.0));
    }

    #[test]
    fn seconds_and_beats_are_inverses() {
        let m = TempoMap::new(vec![(0.0, 60.0), (4.0, 120.0), (4.0, 40.0), (10.0, 90.0)]);
        for i in 0..200 {
            let b = i as f64 * 0.1;
            let s = m.seconds_at(b);
            assert!((m.beat_at(s) - b).abs() < 1e-9, "beat {b}");
        }
    }

    #[test]
    fn step_changes_tempo_at_once() {
        let m = TempoMap::new(vec![(0.0, 60.0), (2.0, 60.0), (2.0, 120.0)]);
        assert!(close(m.seconds_at(2.0), 2.0));
        assert!(close(m.seconds_at(4.0), 3.0));
    }
}
