//! Sound files: `diskin2` (transposed, looped playback with interpolation)
//! and `soundin` (straight playback).
//!
//! The whole file is read into memory when the opcode is built, off the
//! audio thread, so performing is only reading an array; instances of the
//! same file share one copy (a cache of weak handles, used only while
//! building). A file name that is only known at init (a string variable)
//! can be loaded there when the engine allows allocation (offline render);
//! live, such a note fails with a message. Relative names resolve against
//! the orchestra's directory as GEN01's do ([`crate::gens::resolve_file`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// A sound file held in memory: interleaved samples scaled to ±1.
pub struct Sound {
    pub path: PathBuf,
    pub samples: Vec<f64>,
    pub channels: usize,
    pub frames: usize,
    pub sr: f64,
}

impl Sound {
    /// Sample of channel `c` at frame `i`, or 0 outside the file.
    #[inline(always)]
    fn at(&self, i: i64, c: usize) -> f64 {
        if i < 0 || i as usize >= self.frames {
            0.0
        } else {
            self.samples[i as usize * self.channels + c]
        }
    }

    /// Like `at`, but frame numbers wrap around the file.
    #[inline(always)]
    fn wrapped(&self, i: i64, c: usize) -> f64 {
        let i = i.rem_euclid(self.frames as i64) as usize;
        self.samples[i * self.channels + c]
    }
}

/// The file name an `ifilcod` argument gives: the string, or `soundin.N`.
fn file_name(text: Option<&str>, number: f64) -> String {
    match text {
        Some(t) => t.to_string(),
        None => format!("soundin.{}", number.round() as i64),
    }
}

/// Read (or share the copy already read of) a WAV file. Allocates and does
/// I/O: build time, or init when the engine allows allocation.
pub fn load(name: &str, dir: Option<&std::path::Path>) -> Result<Arc<Sound>, String> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Weak<Sound>>>> = OnceLock::new();
    let path = crate::gens::resolve_file(name, dir);
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(sound) = cache.get(&path).and_then(Weak::upgrade) {
        return Ok(sound);
    }
    let (spec, samples) = crate::gens::read_wav(&path)
        .map_err(|e| format!("cannot read sound file \"{}\": {e}", path.display()))?;
    let channels = spec.channels.max(1) as usize;
    let sound = Arc::new(Sound {
        path: path.clone(),
        frames: samples.len() / channels,
        samples,
        channels,
        sr: spec.sample_rate as f64,
    });
    cache.retain(|_, w| w.strong_count() > 0);
    cache.insert(path, Arc::downgrade(&sound));
    Ok(sound)
}

/// The file argument of `diskin2`/`soundin`, loaded at build time when its
/// value is known then.
struct FileArg {
    input: Input,
    text: Option<Arc<str>>,
    dir: Option<PathBuf>,
    sound: Option<Arc<Sound>>,
}

impl FileArg {
    fn build(a: &Args, name: &str) -> Result<FileArg, String> {
        let text = a.text(0);
        let known = text.is_some() || a.constant(0).is_some();
        let dir = a.scope.source_dir.clone();
        let sound = if known {
            let file = file_name(text.as_deref(), a.constant(0).unwrap_or(0.0));
            let sound = load(&file, dir.as_deref())?;
            if sound.channels != a.outs.len() {
                return Err(format!(
                    "\"{}\" has {} channel(s) but {name} has {} output(s)",
                    sound.path.display(),
                    sound.channels,
                    a.outs.len()
                ));
            }
            Some(sound)
        } else {
            None
        };
        Ok(FileArg {
            input: a.input(0),
            text,
            dir,
            sound,
        })
    }

    /// The sound, loading it now if its name was only known at init.
    fn at_init(&mut self, ctx: &mut Ctx, name: &str, outs: usize) -> Result<(), Failed> {
        if self.sound.is_some() {
            return Ok(());
        }
        if !ctx.may_allocate {
            return Err(ctx.fail(format_args!(
                "{name}: the file name must be a constant string for live performance"
            )));
        }
        let file = file_name(self.text.as_deref(), self.input.get());
        match load(&file, self.dir.as_deref()) {
            Ok(s) if s.channels == outs => {
                self.sound = Some(s);
                Ok(())
            }
            Ok(s) => Err(ctx.fail(format_args!(
                "{name}: \"{}\" has {} channel(s) but {outs} output(s) read it",
                s.path.display(),
                s.channels
            ))),
            Err(e) => Err(ctx.fail(format_args!("{name}: {e}"))),
        }
    }
}

/// Largest number of output channels (csound's soundin limit).
const MAX_CHANNELS: usize = 24;

/// `a1[, a2...] diskin2 ifilcod [, kpitch, iskiptim, iwrap, iformat,
/// iwsize, ibufsize, iskipinit]`: play a file at `kpitch` times its speed
/// (also converting its sample rate), from `iskiptim` seconds, looping
/// when `iwrap` is set. `iwsize` 1 takes the nearest sample, 2 interpolates
/// linearly, 4 (the default) and larger windows cubically.
struct Diskin2 {
    /// Samples per block.
    ksmps: usize,
    outs: Vec<Output>,
    file: FileArg,
    pitch: Input,
    skip: Input,
    wrap: Input,
    wsize: Input,
    skipinit: Input,
    /// Read position in file frames.
    pos: f64,
    window: usize,
    looping: bool,
}

fn build_diskin2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    if a.outs.len() > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} outputs"));
    }
    boxed(Diskin2 {
        ksmps: a.ksmps,
        outs: (0..a.outs.len()).map(|i| a.out(i)).collect(),
        file: FileArg::build(a, "diskin2")?,
        pitch: a.input(1),
        skip: a.input(2),
        wrap: a.input(3),
        wsize: a.input(5),
        skipinit: a.input(7),
        pos: 0.0,
        window: 4,
        looping: false,
    })
}

impl Opcode for Diskin2 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.file.at_init(ctx, "diskin2", self.outs.len())?;
        if self.skipinit.get() != 0.0 {
            return Ok(());
        }
        let Some(sound) = &self.file.sound else {
            return Ok(());
        };
        let w = self.wsize.get();
        self.window = if w < 1.0 {
            4
        } else if w < 2.0 {
            1
        } else if w < 4.0 {
            2
        } else {
            4
        };
        self.looping = self.wrap.get() != 0.0;
        let mut pos = self.skip.get() * sound.sr;
        if self.looping {
            pos = pos.rem_euclid(sound.frames as f64);
        }
        self.pos = pos;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let Some(sound) = &self.file.sound else {
            return Ok(());
        };
        let scale = ctx.rates.zero_dbfs;
        let step = self.pitch.get() * sound.sr / ctx.rates.sr;
        let frames = sound.frames as f64;
        for i in 0..self.ksmps {
            let pos = self.pos;
            let whole = pos.floor();
            let f = pos - whole;
            let n = whole as i64;
            for (c, out) in self.outs.iter().enumerate() {
                let get = |k: i64| {
                    if self.looping {
                        sound.wrapped(k, c)
                    } else {
                        sound.at(k, c)
                    }
                };
                let v = match self.window {
                    1 => get((pos + 0.5).floor() as i64),
                    2 => {
                        let a = get(n);
                        a + (get(n + 1) - a) * f
                    }
                    _ => super::delays::lagrange4(get(n - 1), get(n), get(n + 1), get(n + 2), f),
                };
                out.set_at(i, v * scale);
            }
            self.pos += step;
            if self.looping && frames > 0.0 {
                if self.pos >= frames {
                    self.pos -= frames;
                } else if self.pos < 0.0 {
                    self.pos += frames;
                }
            }
        }
        Ok(())
    }
}

/// `a1[, a2...] soundin ifilcod [, iskptim, iformat, iskipinit, ibufsize]`:
/// play a file from `iskptim` seconds, one file frame per output sample (a
/// negative skip delays the start).
struct Soundin {
    /// Samples per block.
    ksmps: usize,
    outs: Vec<Output>,
    file: FileArg,
    skip: Input,
    skipinit: Input,
    /// Next frame to play.
    frame: i64,
}

fn build_soundin(a: &Args) -> Result<Box<dyn Opcode>, String> {
    if a.outs.len() > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} outputs"));
    }
    boxed(Soundin {
        ksmps: a.ksmps,
        outs: (0..a.outs.len()).map(|i| a.out(i)).collect(),
        file: FileArg::build(a, "soundin")?,
        skip: a.input(1),
        skipinit: a.input(3),
        frame: 0,
    })
}

impl Opcode for Soundin {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.file.at_init(ctx, "soundin", self.outs.len())?;
        if self.skipinit.get() != 0.0 {
            return Ok(());
        }
        if let Some(sound) = &self.file.sound {
            self.frame = (self.skip.get() * sound.sr).round() as i64;
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let Some(sound) = &self.file.sound else {
            return Ok(());
        };
        let scale = ctx.rates.zero_dbfs;
        for i in 0..self.ksmps {
            for (c, out) in self.outs.iter().enumerate() {
                out.set_at(i, sound.at(self.frame, c) * scale);
            }
            self.frame += 1;
        }
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "diskin2",
        "m",
        "TPoooooo",
        Pass::Both,
        build_diskin2,
        "play a WAV file at kpitch times its speed, with interpolation, optionally looping",
    ),
    spec(
        "soundin",
        "m",
        "Toooo",
        Pass::Both,
        build_soundin,
        "play a WAV file from a skip time, one file frame per sample",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let e = load("no/such/sound.wav", None).err().unwrap();
        assert!(e.contains("\"no/such/sound.wav\""), "{e}");
    }

    #[test]
    fn a_file_that_is_not_wav_is_an_error_naming_it() {
        let e = load("Cargo.toml", None).err().unwrap();
        assert!(
            e.starts_with("cannot read sound file \"Cargo.toml\""),
            "{e}"
        );
    }

    #[test]
    fn relative_names_resolve_against_the_orchestra_directory() {
        let dir = std::path::Path::new("tests/conformance");
        let a = load("stereo_tone.wav", Some(dir)).unwrap();
        assert_eq!((a.channels, a.sr), (2, 22050.0));
        // A second load shares the same samples.
        let b = load("stereo_tone.wav", Some(dir)).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }
}
