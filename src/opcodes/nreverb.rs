//! `nreverb` (and its older name `reverb2`): parallel comb filters with a
//! low-pass in each loop, into all-pass filters in series.
//!
//! Measured against csound 6.18 with impulses through one-filter tables and
//! through the default set: a comb gives its delayed sample `o`, keeps
//! `lp = (1 - khdif) o + khdif lp` and writes `x + g lp` back; the combs'
//! outputs are summed, unscaled, into the all-passes (`y = delayed z`,
//! `z = s + g y`, `s = y - g z`). A change of `ktime` or `khdif` clears
//! the low-passes' memory. Every loop's gain is
//! `10^(-3 M / (sr ktime gain_i))` for a loop of `M` samples and its table
//! gain `gain_i` (a share of the reverberation time). The default loops are
//! six combs and five all-passes whose times, given in samples at 25641 Hz,
//! become `int(t sr)` samples raised to the next prime.

use super::delays::{DelayLine, prepare_line};
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Default comb loop times (samples at 25641 Hz) and gains.
const COMB_TIMES: [f64; 6] = [1433.0, 1601.0, 1867.0, 2053.0, 2251.0, 2399.0];
const COMB_GAINS: [f64; 6] = [0.822, 0.802, 0.773, 0.753, 0.753, 0.753];
/// Default all-pass loop times (samples at 25641 Hz) and gains.
const ALLPASS_TIMES: [f64; 5] = [347.0, 113.0, 37.0, 59.0, 43.0];
const ALLPASS_GAINS: [f64; 5] = [0.7; 5];
const DEFAULT_RATE: f64 = 25641.0;

/// Most loops a table may describe (the state is sized when built).
const MAX_LOOPS: usize = 64;

/// The smallest prime not below `n`.
fn prime_at_least(n: i64) -> i64 {
    let is_prime = |p: i64| p >= 2 && (2..).take_while(|d| d * d <= p).all(|d| p % d != 0);
    (n.max(2)..).find(|&p| is_prime(p)).unwrap_or(n)
}

/// Loop length in samples of a time as the tables give it: seconds (to
/// samples, truncated, then the next prime) or, when negative, samples.
fn loop_len(time: f64, sr: f64) -> i64 {
    if time < 0.0 {
        -time as i64
    } else {
        prime_at_least((time * sr) as i64)
    }
}

/// One loop: its line, its table gain and its feedback gain.
struct Loop {
    line: DelayLine,
    /// The table's gain: the loop's share of the reverberation time.
    share: f64,
    /// Feedback gain for the current reverberation time.
    g: f64,
    /// The comb's low-pass state.
    lp: f64,
}

impl Loop {
    fn new(capacity: usize) -> Loop {
        Loop {
            line: DelayLine::with_capacity(capacity),
            share: 0.0,
            g: 0.0,
            lp: 0.0,
        }
    }
}

/// `ares nreverb asig, ktime, khdif [, iskip] [, inumCombs, ifnCombs,
/// inumAlpas, ifnAlpas]`.
struct Nreverb {
    ksmps: usize,
    out: Output,
    sig: Input,
    time: Input,
    hdif: Input,
    skip: Input,
    comb_count: Input,
    comb_table: Input,
    allpass_count: Input,
    allpass_table: Input,
    combs: Vec<Loop>,
    allpasses: Vec<Loop>,
    /// Loops in use this note (at most the vectors' lengths).
    n_combs: usize,
    n_allpasses: usize,
    last: (f64, f64),
    /// `1 - khdif` and `khdif`.
    damp: (f64, f64),
}

/// Loops to build for a count argument: the default set's when it is 0,
/// its value when it is a constant, the most a table may hold otherwise.
fn planned(count: Option<f64>, defaults: &[f64], sr: f64) -> Vec<Loop> {
    match count {
        Some(n) if n >= 1.0 => (0..(n as usize).min(MAX_LOOPS))
            .map(|_| Loop::new(0))
            .collect(),
        Some(_) => defaults
            .iter()
            .map(|t| Loop::new(loop_len(t / DEFAULT_RATE, sr).max(1) as usize))
            .collect(),
        None => (0..MAX_LOOPS).map(|_| Loop::new(0)).collect(),
    }
}

fn build_nreverb(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let sr = a.scope.sr;
    let combs = planned(a.constant(4), &COMB_TIMES, sr);
    let allpasses = planned(a.constant(6), &ALLPASS_TIMES, sr);
    boxed(Nreverb {
        ksmps: a.ksmps,
        out: a.out(0),
        sig: a.input(0),
        time: a.input(1),
        hdif: a.input(2),
        skip: a.input(3),
        comb_count: a.input(4),
        comb_table: a.input(5),
        allpass_count: a.input(6),
        allpass_table: a.input(7),
        combs,
        allpasses,
        n_combs: 0,
        n_allpasses: 0,
        last: (f64::NAN, f64::NAN),
        damp: (1.0, 0.0),
    })
}

/// Sets up the loops of one kind: the defaults when `count` is 0, else
/// `count` times then `count` gains from table `table`.
#[allow(clippy::too_many_arguments)]
fn prepare_loops(
    ctx: &mut Ctx,
    loops: &mut [Loop],
    count: f64,
    table: f64,
    times: &[f64],
    gains: &[f64],
    what: &str,
    keep: bool,
) -> Result<usize, Failed> {
    let sr = ctx.rates.sr;
    let n = if count >= 1.0 { count as usize } else { 0 };
    if n == 0 {
        if loops.len() < times.len() {
            return Err(ctx.fail(format_args!(
                "nreverb: the number of {what} filters must be a constant"
            )));
        }
        for (l, (t, g)) in loops.iter_mut().zip(times.iter().zip(gains)) {
            l.share = *g;
            prepare_line(
                ctx,
                &mut l.line,
                "nreverb",
                "loop",
                loop_len(t / DEFAULT_RATE, sr),
                keep,
            )?;
        }
        return Ok(times.len());
    }
    if n > loops.len() {
        return Err(ctx.fail(format_args!(
            "nreverb: {n} {what} filters, more than the {} this instance was built for",
            loops.len()
        )));
    }
    let Some(t) = ctx.tables.get(table) else {
        return Err(ctx.fail(format_args!("nreverb: {what} table {table} does not exist")));
    };
    if t.len() < 2 * n {
        return Err(ctx.fail(format_args!(
            "nreverb: {what} table {table} holds fewer than {} values",
            2 * n
        )));
    }
    let mut specs = [(0.0, 0.0); 64];
    let mut from = 0;
    while from < n {
        // Read the table in small groups: `ctx` is borrowed by the table.
        let group = (n - from).min(specs.len());
        let t = ctx.tables.get(table).expect("checked above");
        for (k, s) in specs.iter_mut().take(group).enumerate() {
            *s = (t.get(from + k), t.get(n + from + k));
        }
        for (k, &(time, share)) in specs.iter().take(group).enumerate() {
            let l = &mut loops[from + k];
            l.share = share;
            prepare_line(
                ctx,
                &mut l.line,
                "nreverb",
                "loop",
                loop_len(time, sr),
                keep,
            )?;
        }
        from += group;
    }
    Ok(n)
}

impl Opcode for Nreverb {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let keep = self.skip.get() != 0.0;
        self.n_combs = prepare_loops(
            ctx,
            &mut self.combs,
            self.comb_count.get(),
            self.comb_table.get(),
            &COMB_TIMES,
            &COMB_GAINS,
            "comb",
            keep,
        )?;
        self.n_allpasses = prepare_loops(
            ctx,
            &mut self.allpasses,
            self.allpass_count.get(),
            self.allpass_table.get(),
            &ALLPASS_TIMES,
            &ALLPASS_GAINS,
            "all-pass",
            keep,
        )?;
        if !keep {
            for l in self.combs.iter_mut() {
                l.lp = 0.0;
            }
        }
        self.last = (f64::NAN, f64::NAN);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (time, hdif) = (self.time.get(), self.hdif.get());
        if (time, hdif) != self.last {
            self.last = (time, hdif);
            // The manual: a non-positive time is taken as 0.01 s.
            let time = if time <= 0.0 { 0.01 } else { time };
            let hdif = hdif.clamp(0.0, 1.0);
            self.damp = (1.0 - hdif, hdif);
            let sr = ctx.rates.sr;
            let combs = &mut self.combs[..self.n_combs];
            let allpasses = &mut self.allpasses[..self.n_allpasses];
            for l in combs.iter_mut().chain(allpasses.iter_mut()) {
                let m = l.line.len() as f64;
                l.g = 10f64.powf(-3.0 * m / (sr * time * l.share));
            }
            // csound 6.18 starts the combs' low-passes afresh whenever
            // ktime or khdif changes (measured: the low-pass memory is
            // gone in the block after a change).
            for c in combs.iter_mut() {
                c.lp = 0.0;
            }
        }
        let (wet, keep) = self.damp;
        let combs = &mut self.combs[..self.n_combs];
        let allpasses = &mut self.allpasses[..self.n_allpasses];
        for i in 0..self.ksmps {
            let x = self.sig.at(i);
            let mut sum = 0.0;
            for c in combs.iter_mut() {
                let o = c.line.oldest(0);
                c.lp = wet * o + keep * c.lp;
                c.line.push(x + c.g * c.lp);
                sum += o;
            }
            for a in allpasses.iter_mut() {
                let y = a.line.oldest(0);
                let z = sum + a.g * y;
                a.line.push(z);
                sum = y - a.g * z;
            }
            self.out.set_at(i, sum);
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "nreverb",
        "a",
        "akkoooooo",
        Pass::Both,
        build_nreverb,
        "six low-passed combs into five all-passes (or the loops of two tables), decaying in ktime seconds",
    ),
    spec(
        "reverb2",
        "a",
        "akkoooooo",
        Pass::Both,
        build_nreverb,
        "the older name of nreverb",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_loops_are_the_measured_primes() {
        let lens: Vec<i64> = COMB_TIMES
            .iter()
            .chain(&ALLPASS_TIMES)
            .map(|t| loop_len(t / DEFAULT_RATE, 44100.0))
            .collect();
        assert_eq!(
            lens,
            [2467, 2753, 3217, 3533, 3877, 4127, 599, 197, 67, 101, 73]
        );
        assert_eq!(loop_len(-1116.0, 44100.0), 1116);
    }
}
