//! Audio input opcodes: `in`, `ins`, `inq`, `inh`, `ino`, `inx`, `in32` read
//! the whole input bus (`-i FILE` or `-i adc`), `inch` reads numbered
//! channels of it. Without an input the bus is silent.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// Most channels one opcode reads (`in32`; `inch` takes at most this many).
const MAX_CHANNELS: usize = 32;

/// `in`, `ins`, `inq`, `inh`, `ino`, `inx`, `in32`: each output gets one
/// channel of the bus. As in csound, the orchestra's `nchnls_i` must be the
/// opcode's channel count: otherwise the note stops with a performance error.
struct InAll {
    outs: [Output; MAX_CHANNELS],
    count: usize,
    ksmps: usize,
}

fn build_in(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let count = a.outs.len();
    if count > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} channels"));
    }
    let mut outs = [dummy_output(); MAX_CHANNELS];
    for (i, o) in outs.iter_mut().enumerate().take(count) {
        *o = a.out(i);
    }
    boxed(InAll {
        outs,
        count,
        ksmps: a.ksmps,
    })
}

impl Opcode for InAll {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = ctx.rates.nchnls_i;
        if n != self.count {
            // csound's words (without its typo).
            return Err(ctx.fail(format_args!("Wrong number of input channels")));
        }
        for (c, out) in self.outs[..self.count].iter().enumerate() {
            for i in 0..self.ksmps {
                out.set_at(i, ctx.spin.get(i * n + c).copied().unwrap_or(0.0));
            }
        }
        Ok(())
    }
}

/// `ain1 [, ain2 ...] inch kchan1 [, kchan2 ...]`: output i reads channel
/// `kchan_i` (1-based, rounded half to even as csound does); a channel out of
/// range gives silence and a warning (once until the channel changes).
struct InCh {
    pairs: [(Input, Output); MAX_CHANNELS],
    count: usize,
    ksmps: usize,
    /// The last channel number warned about, per output (no repeat each block).
    warned: [i64; MAX_CHANNELS],
}

fn build_inch(a: &Args) -> Result<Box<dyn Opcode>, String> {
    if a.outs.len() != a.ins.len() {
        return Err(format!(
            "inch needs one channel number per output ({} output(s), {} channel(s))",
            a.outs.len(),
            a.ins.len()
        ));
    }
    let count = a.outs.len();
    if count > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} channels"));
    }
    let mut pairs = [(Input::zero(), dummy_output()); MAX_CHANNELS];
    for (i, p) in pairs.iter_mut().enumerate().take(count) {
        *p = (a.input(i), a.out(i));
    }
    boxed(InCh {
        pairs,
        count,
        ksmps: a.ksmps,
        warned: [i64::MIN; MAX_CHANNELS],
    })
}

impl Opcode for InCh {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = ctx.rates.nchnls_i;
        for (k, &(chan, out)) in self.pairs[..self.count].iter().enumerate() {
            let c = chan.get().round_ties_even() as i64;
            if c < 1 || c as usize > n {
                if self.warned[k] != c {
                    self.warned[k] = c;
                    if c == 0 {
                        ctx.warn(format_args!("Input channel 0 is invalid; ignored"));
                    } else {
                        ctx.warn(format_args!("Input channel {c} too large; ignored"));
                    }
                }
                for i in 0..self.ksmps {
                    out.set_at(i, 0.0);
                }
                continue;
            }
            let c = c as usize - 1;
            for i in 0..self.ksmps {
                out.set_at(i, ctx.spin.get(i * n + c).copied().unwrap_or(0.0));
            }
        }
        Ok(())
    }
}

fn dummy_output() -> Output {
    Input::zero().as_output()
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "in",
        "a",
        "",
        Pass::Perf,
        build_in,
        "read mono audio input (-i): needs nchnls_i = 1",
    ),
    spec(
        "ins",
        "aa",
        "",
        Pass::Perf,
        build_in,
        "read stereo audio input (-i): needs nchnls_i = 2",
    ),
    spec(
        "inq",
        "aaaa",
        "",
        Pass::Perf,
        build_in,
        "read four channels of audio input (-i): needs nchnls_i = 4",
    ),
    spec(
        "inh",
        "aaaaaa",
        "",
        Pass::Perf,
        build_in,
        "read six channels of audio input (-i): needs nchnls_i = 6",
    ),
    spec(
        "ino",
        "aaaaaaaa",
        "",
        Pass::Perf,
        build_in,
        "read eight channels of audio input (-i): needs nchnls_i = 8",
    ),
    spec(
        "inx",
        "aaaaaaaaaaaaaaaa",
        "",
        Pass::Perf,
        build_in,
        "read sixteen channels of audio input (-i): needs nchnls_i = 16",
    ),
    spec(
        "in32",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "",
        Pass::Perf,
        build_in,
        "read thirty-two channels of audio input (-i): needs nchnls_i = 32",
    ),
    spec(
        "inch",
        "m",
        "z",
        Pass::Perf,
        build_inch,
        "read numbered channels of audio input: ain1, ... inch kchan1, ...",
    ),
];
