//! Control channels between the orchestra and the host: `chnset`, `chnget`.

use std::sync::Arc;

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::channels::Channels;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

fn channel(a: &Args, arg: usize) -> Result<(Arc<Channels>, usize), String> {
    let name = a.text(arg).ok_or("the channel name must be a string")?;
    let index = a
        .channels
        .index(&name)
        .ok_or_else(|| format!("too many channels; cannot make '{name}'"))?;
    Ok((a.channels.clone(), index))
}

/// `chnset xvalue, Sname`: write a channel (at init, and every block at k-rate).
struct ChnSet {
    value: Input,
    channels: Arc<Channels>,
    index: usize,
}

impl Opcode for ChnSet {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.channels.set(self.index, self.value.get());
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.channels.set(self.index, self.value.get());
        Ok(())
    }
}

fn build_chnset(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let (channels, index) = channel(a, 1)?;
    boxed(ChnSet {
        value: a.input(0),
        channels,
        index,
    })
}

/// `xvalue chnget Sname`: read a channel.
struct ChnGet {
    out: Output,
    channels: Arc<Channels>,
    index: usize,
}

impl Opcode for ChnGet {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.out.set(self.channels.get(self.index));
        Ok(())
    }
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.out.set(self.channels.get(self.index));
        Ok(())
    }
}

fn build_chnget(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let (channels, index) = channel(a, 0)?;
    boxed(ChnGet {
        out: a.out(0),
        channels,
        index,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "chnset",
        "",
        "iS",
        Pass::Init,
        build_chnset,
        "write a control channel at init time",
    ),
    spec(
        "chnset",
        "",
        "kS",
        Pass::Both,
        build_chnset,
        "write a control channel every block",
    ),
    spec(
        "chnget",
        "i",
        "S",
        Pass::Init,
        build_chnget,
        "read a control channel at init time",
    ),
    spec(
        "chnget",
        "k",
        "S",
        Pass::Both,
        build_chnget,
        "read a control channel every block",
    ),
];
