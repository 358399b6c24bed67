//! f-signals to and from other things: silent frames (`pvsinit`), the
//! stream's description (`pvsinfo`), single bins (`pvsbin`), the centroid
//! (`pvscent`), and frames copied to and from arrays (`pvs2tab`,
//! `pvs2array`, `tab2pvs`, `pvsfromarray`).

use super::frame::{FrameInfo, Fsig, format};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{ArrayRef, Input, Output};
use crate::opcodes::{Args, Opcode, boxed};

/// `fsig pvsinit isize [, iolap, iwinsize, iwintype, iformat]`.
struct Init {
    out: Fsig,
    size: Input,
    overlap: Input,
    winsize: Input,
    wintype: Input,
    format: Input,
}

pub(super) fn build_init(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Init {
        out: Fsig::from_output(a.out(0)),
        size: a.input(0),
        overlap: a.input(1),
        winsize: a.input(2),
        wintype: a.input(3),
        format: a.input(4),
    })
}

/// Check a requested FFT size against what the output can hold.
fn checked_size(ctx: &mut Ctx, name: &str, out: Fsig, n: f64) -> Result<usize, Failed> {
    let max = out.max_size();
    if !(n >= 2.0 && n <= max as f64) {
        return Err(ctx.fail(format_args!(
            "{name}: FFT size {n} is outside 2..{max} (rhapsody reserves the frame when \
             compiling: write the size as a constant to reserve more)"
        )));
    }
    Ok((n as usize + 1) & !1)
}

impl Opcode for Init {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = checked_size(ctx, "pvsinit", self.out, self.size.get())?;
        let or = |v: f64, d: usize| if v >= 1.0 { v as usize } else { d };
        let info = FrameInfo {
            size: n,
            overlap: or(self.overlap.get(), n / 4),
            winsize: or(self.winsize.get(), n),
            wintype: self.wintype.get() as i32,
            format: self.format.get(),
        };
        self.out.reset(&info);
        self.out.set_count(1);
        Ok(())
    }
}

/// `ioverlap, inumbins, iwinsize, iformat pvsinfo fsig`.
struct Info {
    input: Fsig,
    outs: [Output; 4],
}

pub(super) fn build_info(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Info {
        input: Fsig::from_input(a.input(0)),
        outs: [a.out(0), a.out(1), a.out(2), a.out(3)],
    })
}

impl Opcode for Info {
    fn init(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let info = self.input.info();
        self.outs[0].set(info.overlap as f64);
        self.outs[1].set(info.bins() as f64);
        self.outs[2].set(info.winsize as f64);
        self.outs[3].set(info.format);
        Ok(())
    }
}

/// `kamp, kfr pvsbin fsig, kbin`: read on every block, as csound does.
struct Bin {
    input: Fsig,
    bin: Input,
    amp: Output,
    freq: Output,
}

pub(super) fn build_bin(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Bin {
        input: Fsig::from_input(a.input(0)),
        bin: a.input(1),
        amp: a.out(0),
        freq: a.out(1),
    })
}

impl Opcode for Bin {
    fn init(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        self.amp.set(0.0);
        self.freq.set(0.0);
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let bins = self.input.info().bins();
        let k = self.bin.get();
        if k >= 0.0 && (k as usize) < bins {
            let k = k as usize;
            self.amp.set(self.input.get(2 * k));
            self.freq.set(self.input.get(2 * k + 1));
        }
        Ok(())
    }
}

/// `kcent pvscent fsig`: the amplitude-weighted mean of the bins'
/// centre frequencies, updated when a new frame arrives.
struct Centroid {
    input: Fsig,
    out: Output,
    last: u64,
    sr: f64,
}

pub(super) fn build_centroid(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Centroid {
        input: Fsig::from_input(a.input(0)),
        out: a.out(0),
        last: 0,
        sr: a.scope.sr,
    })
}

impl Opcode for Centroid {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.last = 0;
        self.sr = ctx.rates.sr;
        self.out.set(0.0);
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        if !self.input.take_new(&mut self.last) {
            return Ok(());
        }
        let info = self.input.info();
        let bin_hz = self.sr / info.size.max(1) as f64;
        let (mut weighted, mut total) = (0.0, 0.0);
        for k in 0..info.bins() {
            let amp = self.input.get(2 * k);
            weighted += amp * (k as f64 * bin_hz + bin_hz / 2.0);
            total += amp;
        }
        self.out
            .set(if total > 0.0 { weighted / total } else { 0.0 });
        Ok(())
    }
}

/// `kframe pvs2tab kArr[], fsig`: copy the frame when a new one arrives;
/// gives the frame count.
struct ToArray {
    arr: ArrayRef,
    input: Fsig,
    out: Output,
    last: u64,
}

pub(super) fn build_to_array(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ToArray {
        arr: ArrayRef::from_input(a.input(0)),
        input: Fsig::from_input(a.input(1)),
        out: a.out(0),
        last: 0,
    })
}

impl Opcode for ToArray {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.last = 0;
        let n = self.input.info().size + 2;
        if self.arr.len() < n {
            return Err(ctx.fail(format_args!(
                "pvs2tab: the array holds {} values, the frame has {n}",
                self.arr.len()
            )));
        }
        self.out.set(0.0);
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let count = self.input.count();
        if self.input.take_new(&mut self.last) {
            let n = self.input.info().size + 2;
            for i in 0..n.min(self.arr.len()) {
                self.arr.set(i, self.input.get(i));
            }
        }
        self.out.set(count as f64);
        Ok(())
    }
}

/// `fsig tab2pvs kArr[] [, ioverlap, iwinsize, iwintype, iformat]`: a new
/// frame from the array on every block.
struct FromArray {
    arr: ArrayRef,
    out: Fsig,
    overlap: Input,
    winsize: Input,
    wintype: Input,
    format: Input,
    count: u64,
}

pub(super) fn build_from_array(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(FromArray {
        arr: ArrayRef::from_input(a.input(0)),
        out: Fsig::from_output(a.out(0)),
        overlap: a.input(1),
        winsize: a.input(2),
        wintype: a.input(3),
        format: a.input(4),
        count: 0,
    })
}

impl Opcode for FromArray {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.arr.len().saturating_sub(2) as f64;
        let n = checked_size(ctx, "tab2pvs", self.out, n)?;
        let or = |v: f64, d: usize| if v >= 1.0 { v as usize } else { d };
        let format = self.format.get();
        let info = FrameInfo {
            size: n,
            overlap: or(self.overlap.get(), n / 4),
            winsize: or(self.winsize.get(), n),
            wintype: self.wintype.get() as i32,
            format: if format > 0.0 {
                format
            } else {
                format::AMP_FREQ
            },
        };
        self.out.reset(&info);
        self.count = 0;
        Ok(())
    }

    fn perform(&mut self, _ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.out.info().size + 2;
        for i in 0..n {
            self.out.set(i, self.arr.get(i));
        }
        self.count += 1;
        self.out.set_count(self.count);
        Ok(())
    }
}
