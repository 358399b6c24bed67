//! Opcodes: control-rate triggers for sequencing (`metro`, `changed`,
//! `changed2`, `trigger`). Each outputs 1 in the blocks where something
//! happens and 0 otherwise, ready for `schedkwhen`, `if` or `printf`.
//! Also `samphold`, which a gate like theirs drives.

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{ArrayRef, Input, Output};

/// `ktrig metro kfreq [, iphase]`: 1 every 1/kfreq seconds. The phase starts
/// at the fractional part of `iphase`; a phase of exactly 0 fires at the
/// first block, otherwise it fires in the block where the phase reaches 1.
struct Metro {
    out: Output,
    freq: Input,
    start_phase: Input,
    phase: f64,
    /// The first block has not been performed yet.
    first: bool,
}

impl Opcode for Metro {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let p = self.start_phase.get();
        if p >= 0.0 {
            if p >= 1.0 {
                ctx.warn(format_args!("metro: init phase truncation"));
            }
            self.phase = p.fract();
        } else {
            self.phase = 0.0;
        }
        self.first = true;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let fire = if self.first && self.phase == 0.0 {
            true
        } else {
            self.phase += self.freq.get() / ctx.rates.kr;
            if self.phase >= 1.0 {
                self.phase -= 1.0;
                true
            } else {
                false
            }
        };
        if fire {
            self.first = false;
        }
        self.out.set(if fire { 1.0 } else { 0.0 });
        Ok(())
    }
}

fn build_metro(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Metro {
        out: a.out(0),
        freq: a.input(0),
        start_phase: a.input(1),
        phase: 0.0,
        first: true,
    })
}

/// `changed` and `changed2` on scalars: 1 when any input differs from its
/// value in the previous block. `changed` starts from zeros (so a non-zero
/// input reports a change at the first block); `changed2` starts from the
/// first block's values and never reports it.
struct Changed {
    out: Output,
    inputs: Vec<Input>,
    last: Vec<f64>,
    /// `changed2`: the first block only records the values.
    skip_first: bool,
    first: bool,
}

impl Opcode for Changed {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.last.iter_mut().for_each(|v| *v = 0.0);
        self.first = true;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let mut changed = false;
        for (input, last) in self.inputs.iter().zip(self.last.iter_mut()) {
            let v = input.get();
            changed |= v != *last;
            *last = v;
        }
        if self.first && self.skip_first {
            changed = false;
        }
        self.first = false;
        self.out.set(if changed { 1.0 } else { 0.0 });
        Ok(())
    }
}

fn build_changed(a: &Args, skip_first: bool) -> Result<Box<dyn Opcode>, String> {
    let inputs = a.inputs_from(0);
    boxed(Changed {
        out: a.out(0),
        last: vec![0.0; inputs.len()],
        inputs,
        skip_first,
        first: true,
    })
}

/// `changed2 karr[]`: 1 when any element (or the length) differs from the
/// previous block; never at the first block.
struct ChangedArray {
    out: Output,
    arr: ArrayRef,
    last: Vec<f64>,
    last_len: usize,
    first: bool,
}

impl Opcode for ChangedArray {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.first = true;
        Ok(())
    }

    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let len = self.arr.len();
        let mut changed = len != self.last_len;
        for (i, last) in self.last.iter_mut().enumerate().take(len) {
            let v = self.arr.get(i);
            changed |= v != *last;
            *last = v;
        }
        self.last_len = len;
        let report = changed && !self.first;
        self.first = false;
        self.out.set(if report { 1.0 } else { 0.0 });
        Ok(())
    }
}

fn build_changed2_array(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let arr = ArrayRef::from_input(a.input(0));
    boxed(ChangedArray {
        out: a.out(0),
        arr,
        last: vec![0.0; arr.capacity()],
        last_len: 0,
        first: true,
    })
}

/// `kout trigger ksig, kthreshold, kmode`: 1 when `ksig` crosses the
/// threshold upwards (mode 0: was <=, now >), downwards (mode 1: was >=,
/// now <) or either way (mode 2). The previous value starts at 0.
struct Trigger {
    out: Output,
    signal: Input,
    threshold: Input,
    mode: Input,
    last: f64,
}

impl Opcode for Trigger {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.last = 0.0;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (now, was, t) = (self.signal.get(), self.last, self.threshold.get());
        let up = now > t && was <= t;
        let down = now < t && was >= t;
        let fire = match self.mode.get() as i64 {
            0 => up,
            1 => down,
            2 => up || down,
            m => {
                return Err(ctx.fail(format_args!(
                    "trigger: unknown mode {m} (0 up, 1 down, 2 both)"
                )));
            }
        };
        self.last = now;
        self.out.set(if fire { 1.0 } else { 0.0 });
        Ok(())
    }
}

fn build_trigger(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Trigger {
        out: a.out(0),
        signal: a.input(0),
        threshold: a.input(1),
        mode: a.input(2),
        last: 0.0,
    })
}

/// `samphold xsig, xgate [, ival, ivstor]`: the input while the gate is
/// positive, else the value last taken (`ival` at first, or the previous
/// note's when `ivstor` is set). A k-rate gate at audio rate decides for
/// the whole block.
struct Samphold {
    out: Output,
    sig: Input,
    gate: Input,
    first: Input,
    keep: Input,
    samples: usize,
    held: f64,
}

fn build_samphold(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Samphold {
        out: a.out(0),
        sig: a.input(0),
        gate: a.input(1),
        first: a.input(2),
        keep: a.input(3),
        samples: if a.out_rate(0) == super::Rate::Audio {
            a.ksmps
        } else {
            1
        },
        held: 0.0,
    })
}

impl Opcode for Samphold {
    fn init(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if self.keep.get() == 0.0 {
            self.held = self.first.get();
        }
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let mut held = self.held;
        for i in 0..self.samples {
            if self.gate.at(i) > 0.0 {
                held = self.sig.at(i);
            }
            self.out.set_at(i, held);
        }
        self.held = held;
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "samphold",
        "a",
        "xxoo",
        Pass::Both,
        build_samphold,
        "sample and hold: the input while the gate is positive, else the value last taken",
    ),
    spec(
        "samphold",
        "k",
        "kkoo",
        Pass::Both,
        build_samphold,
        "sample and hold: the input while the gate is positive, else the value last taken",
    ),
    spec(
        "metro",
        "k",
        "ko",
        Pass::Both,
        build_metro,
        "1 every 1/kfreq seconds (from an optional initial phase), else 0",
    ),
    spec(
        "changed",
        "k",
        "z",
        Pass::Both,
        |a| build_changed(a, false),
        "1 in a block where any input differs from the previous block (from zeros at the start)",
    ),
    spec(
        "changed2",
        "k",
        "z",
        Pass::Both,
        |a| build_changed(a, true),
        "1 in a block where any input differs from the previous block, never at the first block",
    ),
    spec(
        "changed2",
        "k",
        "k[]",
        Pass::Both,
        build_changed2_array,
        "1 in a block where any element of the array differs from the previous block",
    ),
    spec(
        "trigger",
        "k",
        "kkk",
        Pass::Both,
        build_trigger,
        "1 when a signal crosses a threshold upwards (mode 0), downwards (1) or either way (2)",
    ),
];
