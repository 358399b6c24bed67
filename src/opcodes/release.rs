//! Envelopes with a release phase: `linsegr`, `expsegr`, `linenr`, `madsr`,
//! `mxadsr`, the note-length-fitted `adsr`, and the release tools `xtratim`
//! and `release`.
//!
//! The "r" units ask the engine for extra time when the note starts (the
//! largest request wins, see [`NoteState::extend`]). When the note's time is
//! up the engine keeps it running that many blocks with `releasing` set, and
//! each r unit runs its release segment from the value it has reached.
//!
//! Counting follows csound 6.18 as measured sample by sample (sr 100,
//! ksmps 10): segments last `round(dur * rate)` ticks (`expsegr` at audio
//! rate truncates), while a release lasts `round(irel * kr)` whole blocks,
//! also at audio rate, and that is the time the note is extended by.
//! `xtratim` truncates instead. At audio rate `adsr` and `madsr` skip their
//! delay segment (csound 6.18 starts the attack at once, though `adsr`
//! still takes the delay from the sustain); their control forms and
//! `mxadsr` wait for it.
//!
//! [`NoteState::extend`]: crate::engine::context::NoteState::extend

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Ticks per perform call: `ksmps` for an audio output, 1 for control.
fn ticks(a: &Args) -> usize {
    if a.out_rate(0) == Rate::Audio {
        a.ksmps
    } else {
        1
    }
}

/// `(int)(x + 0.5)` as csound rounds durations to counts, never negative.
fn round_count(x: f64) -> i64 {
    ((x + 0.5) as i64).max(0)
}

/// Blocks of release time for `seconds` (csound rounds to whole blocks).
fn release_blocks(ctx: &Ctx, seconds: f64) -> u64 {
    round_count(seconds * ctx.rates.kr) as u64
}

/// A chain of straight or exponential segments with an optional release
/// segment, ticking once per sample or once per block.
struct Segments {
    out: Output,
    /// Ticks per perform call.
    samples: usize,
    exponential: bool,
    /// (ticks, value reached) per segment; filled at init.
    segs: Vec<(i64, f64)>,
    /// Release segment: (ticks, final value).
    release: Option<(i64, f64)>,
    /// False when csound skips set-up (first duration not positive): 0 out.
    active: bool,
    val: f64,
    step: f64,
    left: i64,
    index: usize,
    done: bool,
    released: bool,
}

impl Segments {
    fn new(out: Output, samples: usize, exponential: bool, n: usize) -> Segments {
        Segments {
            out,
            samples,
            exponential,
            segs: Vec::with_capacity(n),
            release: None,
            active: true,
            val: 0.0,
            step: 0.0,
            left: 0,
            index: 0,
            done: false,
            released: false,
        }
    }

    /// Start from `first` with the segments already in `segs`.
    fn start(&mut self, first: f64) {
        self.val = first;
        self.index = 0;
        self.done = false;
        self.released = false;
        if self.segs.is_empty() {
            self.done = true;
        } else {
            self.enter();
        }
    }

    /// Set up segment `index` from the current value; zero-length
    /// segments jump to their value at once.
    fn enter(&mut self) {
        loop {
            let (count, target) = self.segs[self.index];
            if count > 0 {
                self.left = count;
                self.step = if self.exponential {
                    (target / self.val).powf(1.0 / count as f64)
                } else {
                    (target - self.val) / count as f64
                };
                return;
            }
            self.val = target;
            if self.index + 1 == self.segs.len() {
                self.done = true;
                return;
            }
            self.index += 1;
        }
    }

    /// The note is releasing: head for the release value from here.
    fn begin_release(&mut self) {
        self.released = true;
        let Some((count, target)) = self.release else {
            return;
        };
        self.segs.clear();
        self.segs.push((count, target));
        self.index = 0;
        self.done = false;
        self.enter();
    }

    #[inline]
    fn tick(&mut self) -> f64 {
        let out = self.val;
        if self.done {
            return out;
        }
        self.left -= 1;
        if self.left > 0 {
            if self.exponential {
                self.val *= self.step;
            } else {
                self.val += self.step;
            }
        } else {
            self.val = self.segs[self.index].1;
            if self.index + 1 < self.segs.len() {
                self.index += 1;
                self.enter();
            } else {
                self.done = true;
            }
        }
        out
    }

    fn perform(&mut self, releasing: bool) {
        if !self.active {
            for i in 0..self.samples {
                self.out.set_at(i, 0.0);
            }
            return;
        }
        if releasing && !self.released {
            self.begin_release();
        }
        for i in 0..self.samples {
            let v = self.tick();
            self.out.set_at(i, v);
        }
    }
}

/// `linsegr`/`expsegr ia, idur1, ib [, idur2, ic ...], irel, iz`.
struct SegmentsR {
    env: Segments,
    start: Input,
    /// (duration, value) input pairs before the release pair.
    points: Vec<(Input, Input)>,
    rel: Input,
    rel_value: Input,
    name: &'static str,
}

fn build_segments_r(a: &Args, exponential: bool) -> Result<Box<dyn Opcode>, String> {
    let n = a.ins.len();
    if n < 5 || n.is_multiple_of(2) {
        return Err(
            "needs an odd number of arguments: ia, idur1, ib [, idur2, ic ...], irel, iz".into(),
        );
    }
    let points: Vec<(Input, Input)> = (1..n - 2)
        .step_by(2)
        .map(|i| (a.input(i), a.input(i + 1)))
        .collect();
    boxed(SegmentsR {
        env: Segments::new(a.out(0), ticks(a), exponential, points.len().max(1)),
        start: a.input(0),
        points,
        rel: a.input(n - 2),
        rel_value: a.input(n - 1),
        name: if exponential { "expsegr" } else { "linsegr" },
    })
}

/// Check that exponential segment values are non-zero and of one sign.
fn check_exponential(ctx: &mut Ctx, name: &str, first: f64, v: f64) -> Result<(), Failed> {
    if first == 0.0 || v == 0.0 || (v < 0.0) != (first < 0.0) {
        return Err(ctx.fail(format_args!(
            "{name}: values must be non-zero and of one sign ({first}, {v})"
        )));
    }
    Ok(())
}

impl Opcode for SegmentsR {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let env = &mut self.env;
        let audio = env.samples > 1;
        let rate = if audio { ctx.rates.sr } else { ctx.rates.kr };
        let first = self.start.get();
        let (rel, rel_value) = (self.rel.get(), self.rel_value.get());
        env.segs.clear();
        for &(dur, value) in &self.points {
            let (dur, target) = (dur.get(), value.get());
            if env.exponential {
                check_exponential(ctx, self.name, first, target)?;
            }
            // csound 6.18's audio-rate expsegr truncates its counts.
            let count = if env.exponential && audio {
                ((dur * rate) as i64).max(0)
            } else {
                round_count(dur * rate)
            };
            env.segs.push((count, target));
        }
        if env.exponential {
            check_exponential(ctx, self.name, first, rel_value)?;
        }
        let blocks = release_blocks(ctx, rel);
        env.release = Some((blocks as i64 * env.samples as i64, rel_value));
        ctx.note.extend(blocks);
        env.active = self.points[0].0.get() > 0.0;
        if env.active {
            env.start(first);
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.env.perform(ctx.note.releasing);
        Ok(())
    }
}

/// Which ADSR: fitted inside p3 (`adsr`), or released like `linsegr`
/// (`madsr`) or `expsegr` (`mxadsr`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum AdsrKind {
    Fitted,
    Linear,
    Exponential,
}

/// `adsr`/`madsr`/`mxadsr iatt, idec, islev, irel [, idel] [, ireltim]`.
struct Adsr {
    env: Segments,
    kind: AdsrKind,
    att: Input,
    dec: Input,
    slev: Input,
    rel: Input,
    del: Input,
}

fn build_adsr(a: &Args, kind: AdsrKind) -> Result<Box<dyn Opcode>, String> {
    boxed(Adsr {
        env: Segments::new(a.out(0), ticks(a), kind == AdsrKind::Exponential, 5),
        kind,
        att: a.input(0),
        dec: a.input(1),
        slev: a.input(2),
        rel: a.input(3),
        del: a.input(4),
    })
}

impl Opcode for Adsr {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let audio = self.env.samples > 1;
        let rate = if audio { ctx.rates.sr } else { ctx.rates.kr };
        let slev = self.slev.get();
        let name = match self.kind {
            AdsrKind::Fitted => "adsr",
            AdsrKind::Linear => "madsr",
            AdsrKind::Exponential => "mxadsr",
        };
        // csound lays adsr's phases out in full, whatever the note's
        // length: the sustain gets what p3 leaves after them (a held note
        // counts as very long) and may be negative; the note's end cuts the
        // rest. A release longer than p3 takes the whole note. The released
        // forms hold the sustain until the note is released.
        let p3 = ctx.note.p3;
        let len = if p3 <= 0.0 { 100_000.0 } else { p3 };
        let mut rel = self.rel.get();
        let mut len = len - rel;
        if len < 0.0 && self.kind == AdsrKind::Fitted {
            rel = p3.max(0.0);
            len = 0.0;
        }
        let (del, att, dec) = (self.del.get(), self.att.get(), self.dec.get());
        let sustain = len - del - att - dec;
        let floor = if self.kind == AdsrKind::Exponential {
            if slev <= 0.0 {
                return Err(ctx.fail(format_args!(
                    "{name}: sustain level must be positive, not {slev}"
                )));
            }
            0.001
        } else {
            0.0
        };
        let count = |d: f64| round_count(d * rate);
        // csound 6.18's audio-rate adsr/madsr start the attack at once.
        // csound 6.18's mxadsr holds its delay 1 ms longer and takes that
        // off the attack (measured: 44 + 2161 samples for idel 0, iatt
        // 0.05 at sr 44100; 137 blocks for idel 0.03 at kr 4410).
        let (del_count, att_count) = match self.kind {
            AdsrKind::Exponential => (count(del + 0.001), count(att - 0.001)),
            _ if audio => (0, count(att)),
            _ => (count(del), count(att)),
        };
        let env = &mut self.env;
        env.segs.clear();
        if self.kind == AdsrKind::Fitted {
            // At k-rate csound's linseg spends one tick on a segment of no
            // length (or of negative length: the sustain of a short note),
            // at a-rate none.
            let fit = |n: i64| if audio { n.max(0) } else { n.max(1) };
            let sus = if audio {
                round_count(sustain * rate)
            } else {
                (sustain * rate + 0.5) as i64
            };
            env.segs.push((fit(del_count), floor));
            env.segs.push((fit(att_count), 1.0));
            env.segs.push((fit(count(dec)), slev));
            env.segs.push((fit(sus), slev));
            env.segs.push((fit(count(rel)), 0.0));
            env.release = None;
        } else {
            env.segs.push((del_count, floor));
            env.segs.push((att_count, 1.0));
            env.segs.push((count(dec), slev));
            let blocks = release_blocks(ctx, rel);
            env.release = Some((blocks as i64 * env.samples as i64, floor));
            // `ireltim` is accepted but, as measured in csound 6.18 for
            // score notes, changes neither the release nor the extension.
            ctx.note.extend(blocks);
        }
        env.active = true;
        env.start(floor);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let releasing = ctx.note.releasing && self.kind != AdsrKind::Fitted;
        self.env.perform(releasing);
        Ok(())
    }
}

/// `linenr xamp, irise, idec, iatdec`: a straight rise, then the amplitude
/// holds until the note is released, then decays exponentially by the
/// factor `iatdec` every `idec` seconds (and goes on decaying).
struct Linenr {
    out: Output,
    amp: Input,
    rise: Input,
    dec: Input,
    atdec: Input,
    samples: usize,
    /// Rise factor, its increment per tick and ticks left to rise.
    rise_val: f64,
    rise_inc: f64,
    rise_left: i64,
    /// The rise factor last output (held for the rest of the block in
    /// which the rise ends, as csound does).
    rise_out: f64,
    /// Decay factor and its ratio per tick once released.
    dec_val: f64,
    dec_ratio: f64,
}

fn build_linenr(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Linenr {
        out: a.out(0),
        amp: a.input(0),
        rise: a.input(1),
        dec: a.input(2),
        atdec: a.input(3),
        samples: ticks(a),
        rise_val: 1.0,
        rise_inc: 0.0,
        rise_left: 0,
        rise_out: 1.0,
        dec_val: 1.0,
        dec_ratio: 1.0,
    })
}

impl Opcode for Linenr {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let rate = if self.samples > 1 {
            ctx.rates.sr
        } else {
            ctx.rates.kr
        };
        let atdec = self.atdec.get();
        if atdec <= 0.0 {
            return Err(ctx.fail(format_args!("linenr: iatdec must be positive, not {atdec}")));
        }
        let rise = self.rise.get();
        // csound rounds the rise to ticks at k-rate but truncates at a-rate.
        self.rise_left = if rise > 0.0 && self.samples > 1 {
            (rise * rate) as i64
        } else if rise > 0.0 {
            round_count(rise * rate)
        } else {
            0
        };
        if self.rise_left > 0 {
            self.rise_val = 0.0;
            self.rise_inc = 1.0 / self.rise_left as f64;
        } else {
            self.rise_val = 1.0;
            self.rise_inc = 0.0;
        }
        self.rise_out = self.rise_val;
        let dec = self.dec.get();
        self.dec_val = 1.0;
        self.dec_ratio = if dec > 0.0 {
            atdec.powf(1.0 / (dec * rate))
        } else {
            1.0
        };
        ctx.note.extend(release_blocks(ctx, dec.max(0.0)));
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.rise_left == 0 {
            self.rise_val = 1.0;
            self.rise_out = 1.0;
        }
        let releasing = ctx.note.releasing;
        for i in 0..self.samples {
            if self.rise_left > 0 {
                self.rise_out = self.rise_val;
                self.rise_val += self.rise_inc;
                self.rise_left -= 1;
            }
            // Released at audio rate, csound drops the rise factor from the
            // tick on which the rise completes (the k-rate form keeps it).
            let rise = if releasing && self.samples > 1 && self.rise_left == 0 {
                1.0
            } else {
                self.rise_out
            };
            self.out.set_at(i, self.amp.at(i) * rise * self.dec_val);
            if releasing {
                self.dec_val *= self.dec_ratio;
            }
        }
        Ok(())
    }
}

/// `xtratim iextradur`: ask for that much release time (whole blocks,
/// truncated as csound does).
struct Xtratim {
    dur: Input,
}

impl Opcode for Xtratim {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let blocks = (self.dur.get() * ctx.rates.kr).max(0.0) as u64;
        ctx.note.extend(blocks);
        Ok(())
    }
}

/// `kflag release`: 1 while the note is releasing, else 0.
struct Release {
    out: Output,
}

impl Opcode for Release {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.out.set(0.0);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.out.set(if ctx.note.releasing { 1.0 } else { 0.0 });
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "linsegr",
        "a",
        "iiiiim",
        Pass::Both,
        |a| build_segments_r(a, false),
        "straight-line segments through ia, ib, ..., then to iz over irel seconds once the note is released",
    ),
    spec(
        "linsegr",
        "k",
        "iiiiim",
        Pass::Both,
        |a| build_segments_r(a, false),
        "straight-line segments through ia, ib, ..., then to iz over irel seconds once the note is released",
    ),
    spec(
        "expsegr",
        "a",
        "iiiiim",
        Pass::Both,
        |a| build_segments_r(a, true),
        "exponential segments through ia, ib, ..., then to iz over irel seconds once the note is released",
    ),
    spec(
        "expsegr",
        "k",
        "iiiiim",
        Pass::Both,
        |a| build_segments_r(a, true),
        "exponential segments through ia, ib, ..., then to iz over irel seconds once the note is released",
    ),
    spec(
        "adsr",
        "a",
        "iiiio",
        Pass::Both,
        |a| build_adsr(a, AdsrKind::Fitted),
        "linear attack-decay-sustain-release envelope (0 to 1) fitted inside the note's p3",
    ),
    spec(
        "adsr",
        "k",
        "iiiio",
        Pass::Both,
        |a| build_adsr(a, AdsrKind::Fitted),
        "linear attack-decay-sustain-release envelope (0 to 1) fitted inside the note's p3",
    ),
    spec(
        "madsr",
        "a",
        "iiiioj",
        Pass::Both,
        |a| build_adsr(a, AdsrKind::Linear),
        "linear ADSR envelope whose release starts when the note is released and extends it",
    ),
    spec(
        "madsr",
        "k",
        "iiiioj",
        Pass::Both,
        |a| build_adsr(a, AdsrKind::Linear),
        "linear ADSR envelope whose release starts when the note is released and extends it",
    ),
    spec(
        "mxadsr",
        "a",
        "iiiioj",
        Pass::Both,
        |a| build_adsr(a, AdsrKind::Exponential),
        "exponential ADSR envelope (from and to 0.001) released like madsr",
    ),
    spec(
        "mxadsr",
        "k",
        "iiiioj",
        Pass::Both,
        |a| build_adsr(a, AdsrKind::Exponential),
        "exponential ADSR envelope (from and to 0.001) released like madsr",
    ),
    spec(
        "linenr",
        "a",
        "xiii",
        Pass::Both,
        build_linenr,
        "linear rise, then an exponential decay by iatdec over idec seconds once the note is released",
    ),
    spec(
        "linenr",
        "k",
        "kiii",
        Pass::Both,
        build_linenr,
        "linear rise, then an exponential decay by iatdec over idec seconds once the note is released",
    ),
    spec(
        "xtratim",
        "",
        "i",
        Pass::Init,
        |a| boxed(Xtratim { dur: a.input(0) }),
        "extend the note by iextradur seconds of release after its end",
    ),
    spec(
        "release",
        "k",
        "",
        Pass::Both,
        |a| boxed(Release { out: a.out(0) }),
        "1 while the note is in its release (extra) time, else 0",
    ),
];
