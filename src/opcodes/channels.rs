//! Named channels between instruments and the host: `chnset`, `chnget` (control
//! and audio values), `chnmix` and `chnclear` (audio buses).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::channels::{Channels, SharedState};
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
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let v = ctx.shared_value(self.value.get(), "a channel");
        self.channels.set(self.index, v);
        Ok(())
    }
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let v = ctx.shared_value(self.value.get(), "a channel");
        self.channels.set(self.index, v);
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

/// One block of an audio channel's samples (`f64` bits), shared by the
/// opcodes that use it.
type AudioChannel = Arc<[AtomicU64]>;

/// A session's audio channels, by channel index: made when an instrument
/// that uses one is built; the audio thread only loads and stores samples.
#[derive(Default)]
struct AudioChannels(Mutex<HashMap<usize, AudioChannel>>);

/// Channels keep their samples across performances, as control channels do.
impl SharedState for AudioChannels {}

impl AudioChannels {
    /// Channel `index`'s `ksmps` samples, made on first use (control side).
    /// A larger block size (another orchestra) makes it anew; the opcodes
    /// built before keep the old one.
    fn get(&self, index: usize, ksmps: usize) -> AudioChannel {
        let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let channel = all
            .entry(index)
            .or_insert_with(|| (0..ksmps).map(|_| AtomicU64::new(0)).collect());
        if channel.len() < ksmps {
            *channel = (0..ksmps).map(|_| AtomicU64::new(0)).collect();
        }
        channel.clone()
    }
}

/// `chnset asig, Sname` (`mix: false`) and `chnmix asig, Sname` (`mix: true`):
/// write or add a block of samples to an audio channel.
struct ChnSetAudio {
    sig: Input,
    channel: AudioChannel,
    ksmps: usize,
    mix: bool,
}

impl Opcode for ChnSetAudio {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        for (n, cell) in self.channel.iter().enumerate().take(self.ksmps) {
            let mut v = self.sig.at(n);
            if self.mix {
                v += f64::from_bits(cell.load(Ordering::Relaxed));
            }
            let v = ctx.shared_value(v, "an audio channel");
            cell.store(v.to_bits(), Ordering::Relaxed);
        }
        Ok(())
    }
}

fn audio_channel(a: &Args, arg: usize) -> Result<AudioChannel, String> {
    let (channels, index) = channel(a, arg)?;
    Ok(channels.shared::<AudioChannels>().get(index, a.ksmps))
}

fn build_chnset_audio(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ChnSetAudio {
        sig: a.input(0),
        channel: audio_channel(a, 1)?,
        ksmps: a.ksmps,
        mix: false,
    })
}

fn build_chnmix(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ChnSetAudio {
        sig: a.input(0),
        channel: audio_channel(a, 1)?,
        ksmps: a.ksmps,
        mix: true,
    })
}

/// `asig chnget Sname`: read a block of an audio channel.
struct ChnGetAudio {
    out: Output,
    channel: AudioChannel,
    ksmps: usize,
}

impl Opcode for ChnGetAudio {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for n in 0..self.ksmps {
            let v = self
                .channel
                .get(n)
                .map_or(0.0, |c| f64::from_bits(c.load(Ordering::Relaxed)));
            self.out.set_at(n, v);
        }
        Ok(())
    }
}

fn build_chnget_audio(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ChnGetAudio {
        out: a.out(0),
        channel: audio_channel(a, 0)?,
        ksmps: a.ksmps,
    })
}

/// `chnclear Sname`: silence an audio channel (every block), after its
/// readers, so that `chnmix` can sum into it again.
struct ChnClear {
    channel: AudioChannel,
}

impl Opcode for ChnClear {
    fn perform(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        for cell in self.channel.iter() {
            cell.store(0.0_f64.to_bits(), Ordering::Relaxed);
        }
        Ok(())
    }
}

fn build_chnclear(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(ChnClear {
        channel: audio_channel(a, 0)?,
    })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "chnset",
        "",
        "aS",
        Pass::Perf,
        build_chnset_audio,
        "write a block of samples to an audio channel",
    ),
    spec(
        "chnmix",
        "",
        "aS",
        Pass::Perf,
        build_chnmix,
        "add a block of samples to an audio channel (a bus; chnclear empties it)",
    ),
    spec(
        "chnget",
        "a",
        "S",
        Pass::Perf,
        build_chnget_audio,
        "read a block of samples from an audio channel",
    ),
    spec(
        "chnclear",
        "",
        "S",
        Pass::Perf,
        build_chnclear,
        "silence an audio channel every block",
    ),
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
