//! The control-rate smoothers `port`/`portk` (portamento).

use super::*;

/// `port ksig, ihtim [, isig]` and `portk ksig, khtim [, isig]`: a
/// control-rate one-pole that moves halfway to its input every `htim`
/// seconds (portamento). A negative `isig` keeps the previous note's value.
struct Port {
    out: Output,
    sig: Input,
    htim: Input,
    initial: Input,
    prev_htim: f64,
    c1: f64,
    c2: f64,
    y1: f64,
}

pub(super) fn build_port(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Port {
        out: a.out(0),
        sig: a.input(0),
        htim: a.input(1),
        initial: a.input(2),
        prev_htim: f64::NAN,
        c1: 0.0,
        c2: 0.0,
        y1: 0.0,
    })
}

impl Opcode for Port {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.prev_htim = f64::NAN;
        let isig = self.initial.get();
        if isig >= 0.0 {
            self.y1 = isig;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let htim = self.htim.get();
        if htim != self.prev_htim {
            self.prev_htim = htim;
            self.c2 = 0.5f64.powf((1.0 / ctx.rates.kr) / htim);
            self.c1 = 1.0 - self.c2;
        }
        self.y1 = self.c1 * self.sig.get() + self.c2 * self.y1;
        self.out.set(self.y1);
        Ok(())
    }
}
