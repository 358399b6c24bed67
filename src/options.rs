//! Csound-style performance flags, read from `<CsOptions>` and from the
//! command line (the command line wins, as in Csound).

use std::fmt;

/// Sample format of the output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SampleFormat {
    /// `-s`: 16-bit integers (Csound's default).
    #[default]
    Int16,
    /// `-3`: 24-bit integers.
    Int24,
    /// `-f`: 32-bit floats.
    Float32,
}

impl fmt::Display for SampleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SampleFormat::Int16 => "16-bit",
            SampleFormat::Int24 => "24-bit",
            SampleFormat::Float32 => "32-bit float",
        })
    }
}

/// Everything the flags can set. `None` = not given (the orchestra or the
/// default decides).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `-o FILE` (`dac` or `dac:NAME` for the sound card).
    pub output: Option<String>,
    pub format: Option<SampleFormat>,
    /// `-i FILE` (`adc` or `adc:NAME` for the sound card): audio input.
    pub input: Option<String>,
    /// `-n`: no sound output at all.
    pub no_sound: bool,
    /// `-r N`: sample rate.
    pub sr: Option<f64>,
    /// `-k N`: control rate.
    pub kr: Option<f64>,
    /// `--ksmps=N`.
    pub ksmps: Option<usize>,
    /// `--nchnls=N`.
    pub nchnls: Option<usize>,
    /// `--nchnls_i=N`: channels of audio input.
    pub nchnls_i: Option<usize>,
    /// `-d`: no displays (always the case here; accepted for compatibility).
    pub no_displays: bool,
    /// `-m N`: message level (0 = quiet).
    pub message_level: Option<u32>,
    /// `-b N` / `-B N`: software and hardware buffer sizes (live output).
    pub buffer: Option<u32>,
    pub hardware_buffer: Option<u32>,
    /// `-j N` / `--num-threads=N`: threads that perform notes (Csound's `-j`).
    pub threads: Option<usize>,
    /// `-F FILE` / `--midifile=FILE`: a Standard MIDI File to play.
    pub midi_file: Option<String>,
    /// `-M DEVICE` / `--midi-device=DEVICE`: live MIDI input (`a`: every port).
    pub midi_device: Option<String>,
    /// `-T` / `--terminate-on-midi`: end when the MIDI file (`-F`) has played.
    pub terminate_on_midi: bool,
    /// Flags we recognised but do nothing with, for one warning each.
    pub ignored: Vec<String>,
}

/// Single-letter flags that take a value: attached (`-r48000`, inside a cluster as in
/// `-nm128` or `-m0d`) or in the next word (`-r 48000`).
const WITH_VALUE: &str = "orkmbBiMLjtFQ";
/// Of those, the ones whose value is a number: it ends where the digits do, and the
/// letters after it are switches again (`-m0d` is `-m0 -d`).
const NUMERIC_VALUE: &str = "rkmbBjt";

impl Options {
    /// `-o FILE`: as in csound, a later `-o` overrides an earlier `-n` (the
    /// manual's examples say `-n` in their options and are rendered with `-o`).
    fn set_output(&mut self, path: &str) {
        self.output = Some(path.to_string());
        self.no_sound = false;
    }

    /// Apply a list of flags on top of these options. Errors name the flag.
    pub fn apply(&mut self, flags: &[String]) -> Result<(), String> {
        let mut i = 0;
        while i < flags.len() {
            let flag = flags[i].as_str();
            i += 1;
            // `--name=value` long options.
            if let Some(long) = flag.strip_prefix("--") {
                let (name, attached) = match long.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (long, None),
                };
                // `--ksmps=10` or `--ksmps 10` for the options that take a value.
                let takes_value = matches!(
                    name,
                    "ksmps"
                        | "nchnls"
                        | "nchnls_i"
                        | "input"
                        | "sample-rate"
                        | "srate"
                        | "control-rate"
                        | "output"
                        | "format"
                        | "messagelevel"
                        | "num-threads"
                        | "midifile"
                        | "midi-device"
                );
                let value = match attached {
                    Some(v) => v,
                    None if takes_value => {
                        let v = flags
                            .get(i)
                            .ok_or_else(|| format!("flag --{name} needs a value"))?;
                        i += 1;
                        v.as_str()
                    }
                    None => "",
                };
                match name {
                    "ksmps" => self.ksmps = Some(parse_num(flag, value)? as usize),
                    "nchnls" => self.nchnls = Some(parse_num(flag, value)? as usize),
                    "nchnls_i" => self.nchnls_i = Some(parse_num(flag, value)? as usize),
                    "input" => self.input = Some(value.to_string()),
                    "sample-rate" | "srate" => self.sr = Some(parse_num(flag, value)?),
                    "control-rate" => self.kr = Some(parse_num(flag, value)?),
                    "output" => self.set_output(value),
                    "nodisplays" => self.no_displays = true,
                    "terminate-on-midi" => self.terminate_on_midi = true,
                    "nosound" => self.no_sound = true,
                    "format" => self.format = Some(parse_format(flag, value)?),
                    "messagelevel" => self.message_level = Some(parse_num(flag, value)? as u32),
                    "num-threads" => self.threads = Some(parse_threads(flag, value)?),
                    "midifile" => self.midi_file = Some(value.to_string()),
                    "midi-device" => self.midi_device = Some(value.to_string()),
                    _ => self.ignored.push(flag.to_string()),
                }
                continue;
            }
            let Some(body) = flag.strip_prefix('-') else {
                return Err(format!("unexpected argument '{flag}'"));
            };
            // `-+rtaudio=alsa`, `-+rtmidi=virtual`...: csound's extended options,
            // all about devices and drivers here.
            if body.starts_with('+') {
                self.ignored.push(flag.to_string());
                continue;
            }
            // Clusters of single-letter switches (`-dW`, `-fd`), where a letter that
            // takes a value reads it from the rest of the cluster (`-nm128`).
            let letters: Vec<char> = body.chars().collect();
            let mut k = 0;
            while k < letters.len() {
                let c = letters[k];
                k += 1;
                if WITH_VALUE.contains(c) {
                    let rest = &letters[k..];
                    let used = if NUMERIC_VALUE.contains(c) {
                        rest.iter()
                            .enumerate()
                            .take_while(|&(j, d)| {
                                d.is_ascii_digit() || *d == '.' || (j == 0 && *d == '-')
                            })
                            .count()
                    } else {
                        rest.len()
                    };
                    k += used;
                    let attached: String = rest[..used].iter().collect();
                    let prefix = format!("-{c}");
                    let value = if attached.is_empty() {
                        let v = flags
                            .get(i)
                            .ok_or_else(|| format!("flag {prefix} needs a value"))?;
                        i += 1;
                        v.clone()
                    } else {
                        attached
                    };
                    let value = value.as_str();
                    match c {
                        'o' => self.set_output(value),
                        'i' => self.input = Some(value.to_string()),
                        'r' => self.sr = Some(parse_num(&prefix, value)?),
                        'k' => self.kr = Some(parse_num(&prefix, value)?),
                        'm' => self.message_level = Some(parse_num(&prefix, value)? as u32),
                        'b' => self.buffer = Some(parse_num(&prefix, value)?.abs() as u32),
                        'B' => self.hardware_buffer = Some(parse_num(&prefix, value)?.abs() as u32),
                        'j' => self.threads = Some(parse_threads(&prefix, value)?),
                        'F' => self.midi_file = Some(value.to_string()),
                        'M' => self.midi_device = Some(value.to_string()),
                        _ => self.ignored.push(format!("{prefix} {value}")),
                    }
                    continue;
                }
                match c {
                    'd' => self.no_displays = true,
                    'T' => self.terminate_on_midi = true,
                    'n' => self.no_sound = true,
                    'f' => self.format = Some(SampleFormat::Float32),
                    '3' => self.format = Some(SampleFormat::Int24),
                    's' => self.format = Some(SampleFormat::Int16),
                    // File types: WAV is what we write.
                    'W' => {}
                    'A' | 'J' | 'h' => {
                        return Err(format!("flag -{c}: only WAV output is supported"));
                    }
                    // Switches with no effect here (displays, ASCII graphs, heartbeat...).
                    'g' | 'G' | 'H' | 'N' | 'Z' | 'K' | 'v' | 'x' | 'X' | 'l' | 'e' => {
                        self.ignored.push(format!("-{c}"))
                    }
                    _ => return Err(format!("unknown flag -{c} (in '{flag}')")),
                }
            }
        }
        Ok(())
    }

    /// Put `over` on top of these options, as if its flags were applied after
    /// ours (the command line over a file's `<CsOptions>`): what `over` sets
    /// wins, its switches add to ours.
    pub fn overlay(&mut self, over: &Options) {
        // Destructured so that a new flag cannot be forgotten here.
        let Options {
            output,
            input,
            format,
            no_sound,
            sr,
            kr,
            ksmps,
            nchnls,
            nchnls_i,
            no_displays,
            message_level,
            buffer,
            hardware_buffer,
            threads,
            midi_file,
            midi_device,
            terminate_on_midi,
            ignored,
        } = over;
        if let Some(path) = output {
            // `-n` then `-o` in `over` left `no_sound` false, `-o` then `-n` true.
            self.set_output(path);
        }
        self.input = input.clone().or(self.input.take());
        self.nchnls_i = nchnls_i.or(self.nchnls_i);
        self.no_sound |= *no_sound;
        self.no_displays |= *no_displays;
        self.terminate_on_midi |= *terminate_on_midi;
        self.format = format.or(self.format);
        self.sr = sr.or(self.sr);
        self.kr = kr.or(self.kr);
        self.ksmps = ksmps.or(self.ksmps);
        self.nchnls = nchnls.or(self.nchnls);
        self.message_level = message_level.or(self.message_level);
        self.buffer = buffer.or(self.buffer);
        self.hardware_buffer = hardware_buffer.or(self.hardware_buffer);
        self.threads = threads.or(self.threads);
        self.midi_file = midi_file.clone().or(self.midi_file.take());
        self.midi_device = midi_device.clone().or(self.midi_device.take());
        self.ignored.extend(ignored.iter().cloned());
    }

    /// Whether the input comes from the sound card (`-i adc`, `-i adc:NAME`).
    pub fn is_live_input(&self) -> bool {
        self.input
            .as_deref()
            .is_some_and(|i| i == "adc" || i.starts_with("adc:"))
    }

    /// Whether the output goes to the sound card.
    pub fn is_live(&self) -> bool {
        self.output
            .as_deref()
            .is_some_and(|o| o == "dac" || o.starts_with("dac:"))
    }
}

fn parse_num(flag: &str, value: &str) -> Result<f64, String> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("flag {flag} needs a number, got '{value}'"))
}

/// A thread count for `-j`: a whole number from 1 to 64.
fn parse_threads(flag: &str, value: &str) -> Result<usize, String> {
    let n = parse_num(flag, value)?;
    if n.fract() != 0.0 || !(1.0..=64.0).contains(&n) {
        return Err(format!(
            "flag {flag} needs a thread count from 1 to 64, got '{value}'"
        ));
    }
    Ok(n as usize)
}

fn parse_format(flag: &str, value: &str) -> Result<SampleFormat, String> {
    match value {
        "float" => Ok(SampleFormat::Float32),
        "short" => Ok(SampleFormat::Int16),
        "24bit" => Ok(SampleFormat::Int24),
        _ => Err(format!("{flag}: format must be float, short or 24bit")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(flags: &str) -> Result<Options, String> {
        let mut o = Options::default();
        o.apply(
            &flags
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>(),
        )?;
        Ok(o)
    }

    #[test]
    fn overlay_is_applying_the_second_set_of_flags_after_the_first() {
        let files = [
            "",
            "-n",
            "-o a.wav -f",
            "-r 22050 -k 2205 -d -m0",
            "-o dac -b 128 -j 2",
        ];
        let lines = [
            "",
            "-n",
            "-o b.wav",
            "-n -o c.wav",
            "-o d.wav -n",
            "-3 --ksmps=7 -x -B 512",
            "-j 3 -m 2",
        ];
        for file in files {
            for line in lines {
                let both = opts(&format!("{file} {line}")).unwrap();
                let mut overlaid = opts(file).unwrap();
                overlaid.overlay(&opts(line).unwrap());
                assert_eq!(
                    format!("{overlaid:?}"),
                    format!("{both:?}"),
                    "{file} | {line}"
                );
            }
        }
    }

    #[test]
    fn clustered_switches_and_attached_values() {
        let o = opts("-dfW -r48000 -k 4800 -o out.wav --ksmps=10").unwrap();
        assert!(o.no_displays);
        assert_eq!(o.format, Some(SampleFormat::Float32));
        assert_eq!(o.sr, Some(48000.0));
        assert_eq!(o.kr, Some(4800.0));
        assert_eq!(o.ksmps, Some(10));
        assert_eq!(o.output.as_deref(), Some("out.wav"));
        assert_eq!(opts("--ksmps 5").unwrap().ksmps, Some(5));
        assert_eq!(opts("-j 2").unwrap().threads, Some(2));
        assert_eq!(opts("-j4").unwrap().threads, Some(4));
        assert_eq!(opts("--num-threads=3").unwrap().threads, Some(3));
        assert!(opts("-j 0").unwrap_err().contains("thread count"));
    }

    #[test]
    fn later_flags_win() {
        let mut o = opts("-f -o a.wav").unwrap();
        o.apply(&["-s".into(), "-o".into(), "b.wav".into()])
            .unwrap();
        assert_eq!(o.format, Some(SampleFormat::Int16));
        assert_eq!(o.output.as_deref(), Some("b.wav"));
    }

    #[test]
    fn output_after_nosound_writes_the_file() {
        let mut o = opts("-n").unwrap();
        o.apply(&["-o".into(), "x.wav".into()]).unwrap();
        assert!(!o.no_sound);
        assert_eq!(o.output.as_deref(), Some("x.wav"));
        assert!(opts("-o x.wav -n").unwrap().no_sound, "the later -n wins");
    }

    #[test]
    fn bad_values_name_the_flag() {
        assert_eq!(
            opts("-r fast").unwrap_err(),
            "flag -r needs a number, got 'fast'"
        );
        assert!(opts("-q").unwrap_err().contains("unknown flag -q"));
        assert!(opts("-r").unwrap_err().contains("needs a value"));
    }

    #[test]
    fn combined_flags_read_their_values_in_the_cluster() {
        let o = opts("-nm128").unwrap();
        assert!(o.no_sound);
        assert_eq!(o.message_level, Some(128));
        let o = opts("-m0d").unwrap();
        assert_eq!(o.message_level, Some(0));
        assert!(o.no_displays);
        let o = opts("-ndm0 -b441 -B 882").unwrap();
        assert!(o.no_sound && o.no_displays);
        assert_eq!(
            (o.message_level, o.buffer, o.hardware_buffer),
            (Some(0), Some(441), Some(882))
        );
        assert_eq!(
            opts("-do out.wav").unwrap().output.as_deref(),
            Some("out.wav")
        );
        assert!(opts("-+rtmidi=virtual -+rtaudio=alsa").is_ok());
    }

    #[test]
    fn dac_means_live() {
        assert!(opts("-odac").unwrap().is_live());
        assert!(!opts("-o dac.wav").unwrap().is_live());
    }
}
