//! Sound files: `diskin2` and its older form `diskin` (transposed, looped
//! playback with interpolation), `soundin` (straight playback), and the
//! header queries `filelen`, `filesr`, `filenchnls` and `filebit`.
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
use crate::engine::strings::StrRef;

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

/// A hint for a file that could not be read when its name came from a
/// p-field holding a number (`soundin.N`).
fn pfield_hint(a: &Args) -> Option<Arc<str>> {
    let label = a.ins.first()?.label.as_deref()?;
    let digits = label.strip_prefix('p')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| {
        format!(" ({label} held a number, read as the file soundin.N; a quoted name in the score is read as the file's name)")
            .into()
    })
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
    /// Said after a load error when the name came from a p-field.
    hint: Option<Arc<str>>,
    text: Option<Arc<str>>,
    /// A string variable holding the name (known only at init).
    runtime: Option<StrRef>,
    channels: Arc<crate::engine::channels::Channels>,
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
        let runtime = a
            .ins
            .first()
            .filter(|arg| arg.rate == crate::opcodes::Rate::Str)
            .map(|arg| StrRef::from_input(arg.input));
        Ok(FileArg {
            input: a.input(0),
            hint: pfield_hint(a),
            runtime,
            channels: a.channels.clone(),
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
        // A string variable, a p-field carrying a score string, or a number.
        let v = self.input.get();
        let file = match (self.runtime, self.channels.strings.of_pfield(v)) {
            (Some(s), _) => s.as_str().to_string(),
            (None, Some(t)) => t.to_string(),
            (None, None) => file_name(self.text.as_deref(), v),
        };
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
            Err(e) => Err(ctx.fail(format_args!(
                "{name}: {e}{}",
                self.hint.as_deref().unwrap_or("")
            ))),
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
    name: &'static str,
    /// Samples per block.
    ksmps: usize,
    outs: Vec<Output>,
    file: FileArg,
    pitch: Input,
    skip: Input,
    wrap: Input,
    /// `iwsize`; None for `diskin`, which always interpolates linearly.
    wsize: Option<Input>,
    skipinit: Input,
    /// Read position in file frames.
    pos: f64,
    /// Whether this instance has played a note: `iskipinit` keeps its
    /// position only then (as csound skips only with the file open).
    started: bool,
    window: usize,
    looping: bool,
}

fn build_diskin2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_disk_reader(a, "diskin2", Some(a.input(5)), a.input(7))
}

/// `diskin ifilcod [, kpitch, iskiptim, iwraparound, iformat, iskipinit]`:
/// diskin2 without the window and buffer sizes; csound 6.18 interpolates
/// it linearly (measured: identical to diskin2 with iwsize 2).
fn build_diskin(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build_disk_reader(a, "diskin", None, a.input(5))
}

/// `wsize` is the `iwsize` input, or None for a fixed linear window.
fn build_disk_reader(
    a: &Args,
    name: &'static str,
    wsize: Option<Input>,
    skipinit: Input,
) -> Result<Box<dyn Opcode>, String> {
    if a.outs.len() > MAX_CHANNELS {
        return Err(format!("at most {MAX_CHANNELS} outputs"));
    }
    boxed(Diskin2 {
        name,
        ksmps: a.ksmps,
        outs: (0..a.outs.len()).map(|i| a.out(i)).collect(),
        file: FileArg::build(a, name)?,
        pitch: a.input(1),
        skip: a.input(2),
        wrap: a.input(3),
        wsize,
        skipinit,
        pos: 0.0,
        started: false,
        window: 4,
        looping: false,
    })
}

impl Opcode for Diskin2 {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.file.at_init(ctx, self.name, self.outs.len())?;
        if self.skipinit.get() != 0.0 && self.started {
            return Ok(());
        }
        let Some(sound) = &self.file.sound else {
            return Ok(());
        };
        self.started = true;
        let w = self.wsize.map_or(2.0, |w| w.get());
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
    /// Whether this instance has played a note (see Diskin2::started).
    started: bool,
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
        started: false,
    })
}

impl Opcode for Soundin {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.file.at_init(ctx, "soundin", self.outs.len())?;
        if self.skipinit.get() != 0.0 && self.started {
            return Ok(());
        }
        if let Some(sound) = &self.file.sound {
            self.started = true;
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

/// What `filelen`/`filesr`/`filenchnls`/`filebit` report.
#[derive(Clone, Copy)]
enum FileInfo {
    Length,
    Rate,
    Channels,
    Bits,
}

/// The header of a WAV file: (frames, sample rate, channels, bits) with
/// csound's bit codes (-1 for 32-bit float, -2 for 64-bit float samples).
fn wav_header(name: &str, dir: Option<&std::path::Path>) -> Result<[f64; 4], String> {
    let path = crate::gens::resolve_file(name, dir);
    let (file, _) = crate::files::open_regular(&path, crate::files::MAX_SOUND_BYTES)?;
    let reader = hound::WavReader::new(std::io::BufReader::new(file))
        .map_err(|e| format!("cannot read sound file \"{}\": {e}", path.display()))?;
    let spec = reader.spec();
    let channels = spec.channels.max(1) as f64;
    let frames = reader.len() as f64 / channels;
    let bits = match spec.sample_format {
        hound::SampleFormat::Float if spec.bits_per_sample == 64 => -2.0,
        hound::SampleFormat::Float => -1.0,
        hound::SampleFormat::Int => spec.bits_per_sample as f64,
    };
    Ok([frames, spec.sample_rate as f64, channels, bits])
}

/// `ir filelen|filesr|filenchnls|filebit ifilcod [, iallowraw]`. The file
/// is read when the opcode is built if its name is known then, else at init
/// (offline only, as for diskin2). `iallowraw` is accepted; only WAV files
/// are read, so it changes nothing.
struct FileQuery {
    out: Output,
    what: FileInfo,
    input: Input,
    hint: Option<Arc<str>>,
    text: Option<Arc<str>>,
    dir: Option<PathBuf>,
    header: Option<[f64; 4]>,
}

impl FileQuery {
    fn name(&self) -> &'static str {
        match self.what {
            FileInfo::Length => "filelen",
            FileInfo::Rate => "filesr",
            FileInfo::Channels => "filenchnls",
            FileInfo::Bits => "filebit",
        }
    }
}

fn build_file_query(a: &Args, what: FileInfo) -> Result<Box<dyn Opcode>, String> {
    let text = a.text(0);
    let dir = a.scope.source_dir.clone();
    let header = if text.is_some() || a.constant(0).is_some() {
        let file = file_name(text.as_deref(), a.constant(0).unwrap_or(0.0));
        Some(wav_header(&file, dir.as_deref())?)
    } else {
        None
    };
    boxed(FileQuery {
        out: a.out(0),
        what,
        input: a.input(0),
        hint: pfield_hint(a),
        text,
        dir,
        header,
    })
}

impl Opcode for FileQuery {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let name = self.name();
        let header = match self.header {
            Some(h) => h,
            None if !ctx.may_allocate => {
                return Err(ctx.fail(format_args!(
                    "{name}: the file name must be a constant string for live performance"
                )));
            }
            None => {
                let file = file_name(self.text.as_deref(), self.input.get());
                wav_header(&file, self.dir.as_deref()).map_err(|e| {
                    let hint = self.hint.as_deref().unwrap_or("");
                    ctx.fail(format_args!("{name}: {e}{hint}"))
                })?
            }
        };
        let [frames, sr, channels, bits] = header;
        self.out.set(match self.what {
            FileInfo::Length => frames / sr,
            FileInfo::Rate => sr,
            FileInfo::Channels => channels,
            FileInfo::Bits => bits,
        });
        Ok(())
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "diskin",
        "m",
        "TPooooo",
        Pass::Both,
        build_diskin,
        "play a WAV file at kpitch times its speed with linear interpolation, optionally looping (diskin2's older form)",
    ),
    spec(
        "filelen",
        "i",
        "Tp",
        Pass::Init,
        |a| build_file_query(a, FileInfo::Length),
        "the length of a WAV file in seconds",
    ),
    spec(
        "filesr",
        "i",
        "Tp",
        Pass::Init,
        |a| build_file_query(a, FileInfo::Rate),
        "the sample rate of a WAV file",
    ),
    spec(
        "filenchnls",
        "i",
        "Tp",
        Pass::Init,
        |a| build_file_query(a, FileInfo::Channels),
        "the number of channels of a WAV file",
    ),
    spec(
        "filebit",
        "i",
        "Tp",
        Pass::Init,
        |a| build_file_query(a, FileInfo::Bits),
        "the bits per sample of a WAV file (-1 for 32-bit floats, -2 for 64-bit)",
    ),
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
