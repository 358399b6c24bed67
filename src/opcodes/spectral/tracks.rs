//! Partial tracks (Csound's `TRACKS` f-signals): `partials` finds them in
//! (amplitude, frequency) and (amplitude, phase) frames, and the `tr`
//! opcodes transform them (`trscale`, `trshift`, `trsplit`, `trmix`,
//! `trfilter`, `trcross`, `trhighest`, `trlowest`); `binit` turns them back
//! into bins.
//!
//! A track frame is a list of (amplitude, frequency, phase, id) ending at
//! an id of -1 ([`super::frame::TRACK`]). `partials` follows the method of
//! Lazzarini et al. (ICMC 2005) as the manual describes it: the peaks of
//! each frame above the threshold are matched to the running tracks by
//! nearest frequency (within a bin), a track lives through gaps of up to
//! `kmaxgap` frames and is output once it has `kminpts` points; tracks are
//! listed by start time, new ones by ascending frequency. rhapsody's
//! matching is its own (csound's own choices, not all documented, make its
//! track lists differ in detail).

use super::frame::{FrameInfo, Fsig, format, max_tracks};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::opcodes::{Args, Opcode, boxed};

/// A running track in `partials`.
#[derive(Clone, Copy, Default)]
struct Running {
    amp: f64,
    freq: f64,
    phase: f64,
    id: f64,
    points: u32,
    gap: u32,
    matched: bool,
}

/// `ftrks partials ffr, fphs, kthresh, kminpts, kmaxgap, imaxtracks`.
struct Partials {
    freqs: Fsig,
    phases: Fsig,
    out: Fsig,
    thresh: Input,
    minpts: Input,
    maxgap: Input,
    maxtracks: Input,
    amps: Vec<f64>,
    fr: Vec<f64>,
    ph: Vec<f64>,
    /// Peaks of the current frame: (amp, freq, phase, claimed).
    peaks: Vec<(f64, f64, f64, bool)>,
    tracks: Vec<Running>,
    list: Vec<[f64; 4]>,
    limit: usize,
    next_id: f64,
    last: u64,
    info: FrameInfo,
    zero_dbfs: f64,
}

pub(super) fn build_partials(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let freqs = Fsig::from_input(a.input(0));
    let n = freqs.max_size();
    let bins = max_tracks(n);
    boxed(Partials {
        freqs,
        phases: Fsig::from_input(a.input(1)),
        out: Fsig::from_output(a.out(0)),
        thresh: a.input(2),
        minpts: a.input(3),
        maxgap: a.input(4),
        maxtracks: a.input(5),
        amps: vec![0.0; bins],
        fr: vec![0.0; bins],
        ph: vec![0.0; bins],
        peaks: Vec::with_capacity(bins),
        tracks: Vec::with_capacity(bins),
        list: Vec::with_capacity(bins),
        limit: 0,
        next_id: 0.0,
        last: 0,
        info: FrameInfo::default(),
        zero_dbfs: 1.0,
    })
}

impl Opcode for Partials {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let info = self.freqs.info();
        let bins = info.bins();
        if info.size < 2 || bins > self.amps.len() {
            return Err(ctx.fail(format_args!(
                "partials: the input f-signal has no frames yet, or frames larger than \
                 rhapsody reserved"
            )));
        }
        if info.format != format::AMP_FREQ {
            return Err(ctx.fail(format_args!(
                "partials: the first input must be (amplitude, frequency) frames"
            )));
        }
        let cap = self.out.track_capacity();
        self.limit = (self.maxtracks.get().max(1.0) as usize).min(bins).min(cap);
        self.info = FrameInfo {
            format: format::TRACKS,
            ..info
        };
        self.out.reset_tracks(&self.info);
        self.tracks.clear();
        self.next_id = 0.0;
        self.last = 0;
        self.zero_dbfs = ctx.rates.zero_dbfs;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.freqs.take_new(&mut self.last) {
            return Ok(());
        }
        let n = self.info.size;
        let bins = n / 2 + 1;
        let bin_hz = ctx.rates.sr / n as f64;
        let with_phase = self.phases.info().format == format::AMP_PHASE;
        let mut peak = 0.0f64;
        for k in 0..bins {
            self.amps[k] = self.freqs.get(2 * k);
            self.fr[k] = self.freqs.get(2 * k + 1);
            self.ph[k] = if with_phase {
                self.phases.get(2 * k + 1)
            } else {
                0.0
            };
            peak = peak.max(self.amps[k]);
        }
        let t = self.thresh.get();
        let thresh = if t >= 0.0 {
            t * peak
        } else {
            -t * self.zero_dbfs
        };
        self.peaks.clear();
        for k in 1..bins - 1 {
            let a = self.amps[k];
            if a > thresh && a > self.amps[k - 1] && a >= self.amps[k + 1] {
                self.peaks.push((a, self.fr[k], self.ph[k], false));
            }
        }
        // Continue each running track with the nearest unclaimed peak
        // within a bin of its frequency.
        for tr in self.tracks.iter_mut() {
            tr.matched = false;
            let mut best: Option<(usize, f64)> = None;
            for (i, p) in self.peaks.iter().enumerate() {
                let d = (p.1 - tr.freq).abs();
                if !p.3 && d <= bin_hz && best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((i, d));
                }
            }
            if let Some((i, _)) = best {
                let p = &mut self.peaks[i];
                p.3 = true;
                tr.amp = p.0;
                tr.freq = p.1;
                tr.phase = p.2;
                tr.points += 1;
                tr.gap = 0;
                tr.matched = true;
            } else {
                tr.gap += 1;
            }
        }
        let maxgap = self.maxgap.get().max(0.0) as u32;
        self.tracks.retain(|t| t.gap <= maxgap);
        for p in &self.peaks {
            if !p.3 && self.tracks.len() < self.limit {
                self.tracks.push(Running {
                    amp: p.0,
                    freq: p.1,
                    phase: p.2,
                    id: self.next_id,
                    points: 1,
                    gap: 0,
                    matched: true,
                });
                self.next_id += 1.0;
            }
        }
        let minpts = self.minpts.get().max(1.0) as u32;
        self.list.clear();
        for t in &self.tracks {
            if t.matched && t.points >= minpts {
                self.list.push([t.amp, t.freq, t.phase, t.id]);
            }
        }
        self.out.write_tracks(&self.list);
        self.out.set_count(self.last);
        Ok(())
    }
}

/// An input track stream and its output, for the opcodes that transform a
/// list of tracks as it arrives.
struct TrackLink {
    input: Fsig,
    out: Fsig,
    list: Vec<[f64; 4]>,
    len: usize,
    last: u64,
}

impl TrackLink {
    fn new(input: Input, out: Output) -> TrackLink {
        let input = Fsig::from_input(input);
        let cap = input.track_capacity();
        TrackLink {
            input,
            out: Fsig::from_output(out),
            list: vec![[0.0; 4]; cap],
            len: 0,
            last: 0,
        }
    }

    fn init(&mut self, ctx: &mut Ctx, name: &str) -> Result<(), Failed> {
        let info = self.input.info();
        if info.format != format::TRACKS {
            return Err(ctx.fail(format_args!(
                "{name}: the input must be partial tracks (from partials)"
            )));
        }
        self.out.reset_tracks(&info);
        self.last = 0;
        self.len = 0;
        Ok(())
    }

    /// Read the input's list when it is new.
    fn fresh(&mut self) -> bool {
        if !self.input.take_new(&mut self.last) {
            return false;
        }
        self.len = self.input.read_tracks(&mut self.list);
        true
    }

    fn publish(&self, out: Fsig, list: &[[f64; 4]]) {
        out.write_tracks(list);
        out.set_count(self.last);
    }
}

/// `trscale` and `trshift`: every track's frequency scaled or shifted, its
/// amplitude scaled.
struct Retune {
    link: TrackLink,
    by: Input,
    gain: Input,
    shift: bool,
}

fn build_retune(a: &Args, shift: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Retune {
        link: TrackLink::new(a.input(0), a.out(0)),
        by: a.input(1),
        gain: a.input(2),
        shift,
    })
}

pub(super) fn build_scale(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_retune(a, false)
}

pub(super) fn build_shift(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_retune(a, true)
}

impl Opcode for Retune {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let name = if self.shift { "trshift" } else { "trscale" };
        self.link.init(ctx, name)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let (by, gain) = (self.by.get(), self.gain.get());
        let nyquist = ctx.rates.sr / 2.0;
        let mut kept = 0;
        for i in 0..self.link.len {
            let mut t = self.link.list[i];
            t[1] = if self.shift { t[1] + by } else { t[1] * by };
            t[0] *= gain;
            if t[1] > 0.0 && t[1] < nyquist {
                self.link.list[kept] = t;
                kept += 1;
            }
        }
        self.link.publish(self.link.out, &self.link.list[..kept]);
        Ok(())
    }
}

/// `fsiglow, fsighi trsplit fin, ksplit [, kgainlow, kgainhigh]`.
struct Split {
    link: TrackLink,
    high: Fsig,
    split: Input,
    gain_low: Input,
    gain_high: Input,
    upper: Vec<[f64; 4]>,
}

pub(super) fn build_split(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let link = TrackLink::new(a.input(0), a.out(0));
    let cap = link.list.len();
    boxed(Split {
        link,
        high: Fsig::from_output(a.out(1)),
        split: a.input(1),
        gain_low: a.input(2),
        gain_high: a.input(3),
        upper: vec![[0.0; 4]; cap],
    })
}

impl Opcode for Split {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.link.init(ctx, "trsplit")?;
        self.high.reset_tracks(&self.link.input.info());
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let split = self.split.get();
        let (gl, gh) = (self.gain_low.get(), self.gain_high.get());
        let (mut lo, mut hi) = (0, 0);
        for i in 0..self.link.len {
            let mut t = self.link.list[i];
            if t[1] < split {
                t[0] *= gl;
                self.link.list[lo] = t;
                lo += 1;
            } else {
                t[0] *= gh;
                self.upper[hi] = t;
                hi += 1;
            }
        }
        self.link.publish(self.link.out, &self.link.list[..lo]);
        self.link.publish(self.high, &self.upper[..hi]);
        Ok(())
    }
}

/// `fsig trmix fin1, fin2`: both lists in one (as many as fit).
struct Mix {
    link: TrackLink,
    other: Fsig,
    second: Vec<[f64; 4]>,
}

pub(super) fn build_mix(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let link = TrackLink::new(a.input(0), a.out(0));
    let other = Fsig::from_input(a.input(1));
    let cap = other.track_capacity();
    boxed(Mix {
        link,
        other,
        second: vec![[0.0; 4]; cap],
    })
}

impl Opcode for Mix {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.link.init(ctx, "trmix")
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let n2 = self.other.read_tracks(&mut self.second);
        let cap = self.link.list.len();
        let mut len = self.link.len;
        for t in &self.second[..n2] {
            if len >= cap {
                break;
            }
            // Ids of the second stream are kept apart from the first's.
            self.link.list[len] = [t[0], t[1], t[2], t[3] + 1.0e6];
            len += 1;
        }
        self.link.publish(self.link.out, &self.link.list[..len]);
        Ok(())
    }
}

/// `fsig trfilter fin, kamnt, ifn`: amplitudes scaled by a response curve
/// over 0 Hz .. Nyquist (the table's whole length, read with linear
/// interpolation), by the amount `kamnt`.
struct Filter {
    link: TrackLink,
    amount: Input,
    table: Input,
}

pub(super) fn build_filter(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Filter {
        link: TrackLink::new(a.input(0), a.out(0)),
        amount: a.input(1),
        table: a.input(2),
    })
}

impl Opcode for Filter {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.link.init(ctx, "trfilter")?;
        let fno = self.table.get();
        if ctx.tables.get(fno).is_none() {
            return Err(ctx.fail(format_args!("trfilter: table {fno} does not exist")));
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let amount = self.amount.get().clamp(0.0, 1.0);
        let nyquist = ctx.rates.sr / 2.0;
        if let Some(table) = ctx.tables.get(self.table.get()) {
            let size = table.len();
            for t in &mut self.link.list[..self.link.len] {
                let pos = (t[1] / nyquist).clamp(0.0, 1.0) * size.saturating_sub(1) as f64;
                let i = pos as usize;
                let frac = pos - i as f64;
                let a = table.get(i);
                let b = if i + 1 < size { table.get(i + 1) } else { a };
                let response = a + (b - a) * frac;
                t[0] *= 1.0 - amount + amount * response;
            }
        }
        self.link
            .publish(self.link.out, &self.link.list[..self.link.len]);
        Ok(())
    }
}

/// `fsig trcross fin1, fin2, ksearch, kdepth [, kmode]`: each track of the
/// first stream looks for a track of the second within the frequency
/// ratio `ksearch`; mode 0 multiplies by its amplitude (0 when none is
/// found), mode 1 takes its amplitude, both by the depth.
struct Cross {
    link: TrackLink,
    other: Fsig,
    second: Vec<[f64; 4]>,
    search: Input,
    depth: Input,
    mode: Input,
}

pub(super) fn build_cross(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let link = TrackLink::new(a.input(0), a.out(0));
    let other = Fsig::from_input(a.input(1));
    let cap = other.track_capacity();
    boxed(Cross {
        link,
        other,
        second: vec![[0.0; 4]; cap],
        search: a.input(2),
        depth: a.input(3),
        mode: a.input(4),
    })
}

impl Opcode for Cross {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.link.init(ctx, "trcross")
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let n2 = self.other.read_tracks(&mut self.second);
        let ratio = self.search.get().max(1.0);
        let depth = self.depth.get().clamp(0.0, 1.0);
        let substitute = self.mode.get() >= 1.0;
        // Normalise the second stream's amplitudes for filtering.
        let max2 = self.second[..n2].iter().fold(0.0f64, |m, t| m.max(t[0]));
        for t in &mut self.link.list[..self.link.len] {
            let (lo, hi) = (t[1] / ratio, t[1] * ratio);
            let found = self.second[..n2]
                .iter()
                .filter(|s| s[1] >= lo && s[1] <= hi)
                .min_by(|a, b| {
                    (a[1] - t[1])
                        .abs()
                        .partial_cmp(&(b[1] - t[1]).abs())
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .map_or(0.0, |s| s[0]);
            let target = if substitute {
                found
            } else if max2 > 0.0 {
                t[0] * found / max2
            } else {
                0.0
            };
            t[0] = t[0] * (1.0 - depth) + target * depth;
        }
        self.link
            .publish(self.link.out, &self.link.list[..self.link.len]);
        Ok(())
    }
}

/// `fsig, kfr, kamp trhighest|trlowest fin, kscal`: the one track of the
/// highest (lowest) frequency.
struct Extreme {
    link: TrackLink,
    scale: Input,
    freq: Output,
    amp: Output,
    highest: bool,
}

fn build_extreme(a: &Args, highest: bool) -> Result<Box<dyn Opcode>, String> {
    boxed(Extreme {
        link: TrackLink::new(a.input(0), a.out(0)),
        scale: a.input(1),
        freq: a.out(1),
        amp: a.out(2),
        highest,
    })
}

pub(super) fn build_highest(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_extreme(a, true)
}

pub(super) fn build_lowest(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_extreme(a, false)
}

impl Opcode for Extreme {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let name = if self.highest {
            "trhighest"
        } else {
            "trlowest"
        };
        self.freq.set(0.0);
        self.amp.set(0.0);
        self.link.init(ctx, name)
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let list = &self.link.list[..self.link.len];
        let pick = list
            .iter()
            .copied()
            .reduce(|a, b| if (b[1] > a[1]) == self.highest { b } else { a });
        let mut one = [[0.0; 4]; 1];
        let n = match pick {
            Some(mut t) => {
                t[0] *= self.scale.get();
                self.freq.set(t[1]);
                self.amp.set(t[0]);
                one[0] = t;
                1
            }
            None => {
                self.amp.set(0.0);
                0
            }
        };
        self.link.publish(self.link.out, &one[..n]);
        Ok(())
    }
}

/// `fsig binit fin, isize`: each bin of an (amplitude, frequency) frame of
/// size N gets the loudest track whose frequency falls in it.
struct Binit {
    link: TrackLink,
    out: Fsig,
    size: Input,
    frame: Vec<f64>,
    info: FrameInfo,
}

pub(super) fn build_binit(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let out = Fsig::from_output(a.out(0));
    let cap = out.max_size() + 2;
    // The tracks go nowhere but here: the link's own output is unused.
    boxed(Binit {
        link: TrackLink::new(a.input(0), a.out(0)),
        out,
        size: a.input(1),
        frame: vec![0.0; cap],
        info: FrameInfo::default(),
    })
}

impl Opcode for Binit {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let input = self.link.input.info();
        if input.format != format::TRACKS {
            return Err(ctx.fail(format_args!(
                "binit: the input must be partial tracks (from partials)"
            )));
        }
        let n = self.size.get();
        let max = self.out.max_size();
        if !(n >= 2.0 && n as usize <= max) {
            return Err(ctx.fail(format_args!(
                "binit: size {n} is outside 2..{max} (write it as a constant to reserve more)"
            )));
        }
        let n = (n as usize + 1) & !1;
        self.info = FrameInfo {
            size: n,
            winsize: n,
            format: format::AMP_FREQ,
            ..input
        };
        self.out.reset(&self.info);
        self.link.last = 0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.link.fresh() {
            return Ok(());
        }
        let n = self.info.size;
        let bin_hz = ctx.rates.sr / n as f64;
        for k in 0..=n / 2 {
            self.frame[2 * k] = 0.0;
            self.frame[2 * k + 1] = k as f64 * bin_hz;
        }
        for t in &self.link.list[..self.link.len] {
            let k = (t[1] / bin_hz).round();
            if k >= 0.0 && (k as usize) <= n / 2 {
                let k = k as usize;
                if t[0] > self.frame[2 * k] {
                    self.frame[2 * k] = t[0];
                    self.frame[2 * k + 1] = t[1];
                }
            }
        }
        self.out.write(&self.frame[..n + 2]);
        self.out.set_count(self.link.last);
        Ok(())
    }
}
