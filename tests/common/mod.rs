// Shared test helpers: WAV reading, signal measures (SNR, peak, RMS, pitch) and
// rendering a CSD with the reference `csound` or with our `rhapsody` binary.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one render (csound or rhapsody) may take before the test fails.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(120);

/// The SNR every conformance render must reach on every channel.
pub const CONFORMANCE_MIN_SNR_DB: f64 = 60.0;

/// A decoded WAV file: samples per channel, normalized so that full scale is 1.0.
#[derive(Debug, Clone)]
pub struct Audio {
    pub sample_rate: u32,
    /// `channels[c][n]` is sample `n` of channel `c`.
    pub channels: Vec<Vec<f64>>,
}

impl Audio {
    pub fn num_channels(&self) -> usize {
        self.channels.len()
    }

    /// Frames per channel.
    pub fn len(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn duration_secs(&self) -> f64 {
        self.len() as f64 / self.sample_rate as f64
    }

    /// Peak absolute value over all channels.
    pub fn peak(&self) -> f64 {
        self.channels.iter().map(|c| peak(c)).fold(0.0, f64::max)
    }
}

/// Reads a WAV file (integer PCM or 32-bit float) into per-channel f64 samples.
/// Integer samples are scaled so that full scale is 1.0. Panics with the path on error.
pub fn read_wav(path: &Path) -> Audio {
    let mut reader = hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("cannot open WAV {}: {e}", path.display()));
    let spec = reader.spec();
    let nch = spec.channels as usize;
    assert!(nch > 0, "WAV {} has no channels", path.display());
    let interleaved: Vec<f64> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .map(|s| s.map(f64::from))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("bad float WAV data in {}: {e}", path.display())),
        hound::SampleFormat::Int => {
            let scale = 2f64.powi(spec.bits_per_sample as i32 - 1);
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f64 / scale))
                .collect::<Result<_, _>>()
                .unwrap_or_else(|e| panic!("bad int WAV data in {}: {e}", path.display()))
        }
    };
    let mut channels = vec![Vec::with_capacity(interleaved.len() / nch); nch];
    for frame in interleaved.chunks(nch) {
        for (c, s) in frame.iter().enumerate() {
            channels[c].push(*s);
        }
    }
    Audio {
        sample_rate: spec.sample_rate,
        channels,
    }
}

/// The format header of a WAV file (channels, rate, bits, int or float).
pub fn read_wav_spec(path: &Path) -> hound::WavSpec {
    hound::WavReader::open(path)
        .unwrap_or_else(|e| panic!("cannot open WAV {}: {e}", path.display()))
        .spec()
}

/// Largest absolute sample value.
pub fn peak(x: &[f64]) -> f64 {
    x.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// Root mean square; 0 for an empty signal.
pub fn rms(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()
}

/// SNR in dB of `test` against `reference`: 10*log10(sum ref^2 / sum (ref-test)^2),
/// over the samples both have. Identical signals (including both silent) give +inf;
/// a silent reference with a non-silent test gives -inf.
pub fn snr_db(reference: &[f64], test: &[f64]) -> f64 {
    let n = reference.len().min(test.len());
    let signal: f64 = reference[..n].iter().map(|v| v * v).sum();
    let noise: f64 = reference[..n]
        .iter()
        .zip(&test[..n])
        .map(|(r, t)| (r - t) * (r - t))
        .sum();
    if noise == 0.0 {
        f64::INFINITY
    } else if signal == 0.0 {
        f64::NEG_INFINITY
    } else {
        10.0 * (signal / noise).log10()
    }
}

/// Per-channel SNRs of `test` against `reference`, after checking that sample rate and
/// channel count agree and that the lengths differ by at most `max_len_diff` frames
/// (one ksmps block). Any mismatch is returned as an error message.
pub fn compare_audio(
    reference: &Audio,
    test: &Audio,
    max_len_diff: usize,
) -> Result<Vec<f64>, String> {
    if reference.sample_rate != test.sample_rate {
        return Err(format!(
            "sample rate differs: reference {} Hz, test {} Hz",
            reference.sample_rate, test.sample_rate
        ));
    }
    if reference.num_channels() != test.num_channels() {
        return Err(format!(
            "channel count differs: reference {}, test {}",
            reference.num_channels(),
            test.num_channels()
        ));
    }
    let (lr, lt) = (reference.len(), test.len());
    if lr.abs_diff(lt) > max_len_diff {
        return Err(format!(
            "length differs by more than one block ({max_len_diff} frames): reference {lr} frames \
             ({:.4} s), test {lt} frames ({:.4} s)",
            reference.duration_secs(),
            test.duration_secs()
        ));
    }
    Ok(reference
        .channels
        .iter()
        .zip(&test.channels)
        .map(|(r, t)| snr_db(r, t))
        .collect())
}

/// Fundamental frequency estimate in Hz by autocorrelation with parabolic interpolation,
/// searching `min_hz..=max_hz`. Returns None for silence or when no period is found.
/// Meant for steady, mostly periodic signals (a tone of at least a few periods).
pub fn estimate_pitch(x: &[f64], sample_rate: u32, min_hz: f64, max_hz: f64) -> Option<f64> {
    let sr = sample_rate as f64;
    let min_lag = (sr / max_hz).floor().max(1.0) as usize;
    let max_lag = (sr / min_hz).ceil() as usize;
    if x.len() < 2 * max_lag + 2 || rms(x) == 0.0 {
        return None;
    }
    let n = x.len() - max_lag - 1;
    let energy: f64 = x[..n].iter().map(|v| v * v).sum();
    let ac = |lag: usize| -> f64 { (0..n).map(|i| x[i] * x[i + lag]).sum::<f64>() / energy };
    let values: Vec<f64> = (min_lag - 1..=max_lag + 1).map(ac).collect();
    // The first lag whose correlation is a local maximum within 90% of the best one:
    // this prefers the fundamental over its multiples.
    let best = values[1..values.len() - 1]
        .iter()
        .cloned()
        .fold(f64::MIN, f64::max);
    if best <= 0.3 {
        return None;
    }
    for i in 1..values.len() - 1 {
        let (a, b, c) = (values[i - 1], values[i], values[i + 1]);
        if b >= a && b >= c && b >= 0.9 * best {
            let denom = a - 2.0 * b + c;
            let shift = if denom != 0.0 {
                0.5 * (a - c) / denom
            } else {
                0.0
            };
            let lag = (min_lag - 1 + i) as f64 + shift;
            return Some(sr / lag);
        }
    }
    None
}

/// The ksmps of a CSD's orchestra, read from `ksmps = N`, or derived from `sr`/`kr`;
/// Csound's default is 10. Used as the allowed length difference between two renders.
pub fn csd_ksmps(csd_text: &str) -> usize {
    let header_value = |name: &str| -> Option<f64> {
        csd_text.lines().find_map(|line| {
            let line = line.split(';').next().unwrap_or("").trim();
            let (lhs, rhs) = line.split_once('=')?;
            if lhs.trim() != name {
                return None;
            }
            rhs.trim().parse::<f64>().ok()
        })
    };
    if let Some(k) = header_value("ksmps") {
        return k as usize;
    }
    match (header_value("sr"), header_value("kr")) {
        (Some(sr), Some(kr)) if kr > 0.0 => (sr / kr).round() as usize,
        (None, Some(kr)) if kr > 0.0 => (44100.0 / kr).round() as usize,
        _ => 10,
    }
}

/// A fresh, empty directory under the system temp dir, unique per process and call.
pub fn unique_temp_dir(label: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!(
        "rhapsody-test-{label}-{}-{n}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Output of a finished process run by [`run_with_timeout`].
pub struct RunOutput {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` with stdin from /dev/null, capturing stdout and stderr, killing it and
/// panicking if it runs longer than `timeout`. Panics if it cannot be started.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration, what: &str) -> RunOutput {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what} ({cmd:?}): {e}"));
    // Drain the pipes on threads so a chatty process cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = err_thread.join().unwrap_or_default();
                panic!(
                    "{what} timed out after {timeout:?}: {cmd:?}\nstderr:\n{}",
                    tail(&stderr)
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("waiting for {what} failed: {e}"),
        }
    };
    RunOutput {
        status,
        stdout: out_thread.join().unwrap_or_default(),
        stderr: err_thread.join().unwrap_or_default(),
    }
}

/// The last 60 lines of a log, for failure messages.
fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(60)..].join("\n")
}

/// True when a `csound` executable is on PATH.
pub fn csound_available() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("csound").is_file()))
}

/// Renders `csd` with the reference Csound (`csound -f -d -o OUT FILE`) and returns the
/// rendered audio. Fails the test if csound is missing, times out, exits non-zero or
/// writes no file. Never runs csound without a file argument.
pub fn render_with_csound(csd: &Path, out_wav: &Path) -> Audio {
    render_with_csound_flags(csd, out_wav, &[])
}

/// [`render_with_csound`] with more flags before the CSD (`-F song.mid`).
pub fn render_with_csound_flags(csd: &Path, out_wav: &Path, flags: &[&std::ffi::OsStr]) -> Audio {
    assert!(
        csound_available(),
        "the reference `csound` is not installed (on Debian: apt-get install -y csound); \
         conformance tests need it"
    );
    assert!(csd.is_file(), "CSD not found: {}", csd.display());
    let csd = &absolute(csd);
    let out_wav = &absolute(out_wav);
    let mut cmd = Command::new("csound");
    cmd.arg("-f")
        .arg("-d")
        .arg("-o")
        .arg(out_wav)
        .args(flags)
        .arg(csd);
    let out = run_with_timeout(cmd, RENDER_TIMEOUT, "csound");
    assert!(
        out.status.success(),
        "csound failed ({}) on {}:\n{}",
        out.status,
        csd.display(),
        tail(&out.stderr)
    );
    assert!(
        out_wav.is_file(),
        "csound wrote no file {} for {}",
        out_wav.display(),
        csd.display()
    );
    read_wav(out_wav)
}

/// Renders `csd` with our binary (`rhapsody render FILE -o OUT -f`) and returns the audio.
/// Fails the test on timeout, a non-zero exit or a missing output file.
pub fn render_with_rhapsody(csd: &Path, out_wav: &Path) -> Audio {
    render_with_rhapsody_flags(csd, out_wav, &[])
}

/// [`render_with_rhapsody`] with more flags after the output's (`-F song.mid`).
pub fn render_with_rhapsody_flags(csd: &Path, out_wav: &Path, flags: &[&std::ffi::OsStr]) -> Audio {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "render".as_ref(),
        csd.as_os_str(),
        "-o".as_ref(),
        out_wav.as_os_str(),
        "-f".as_ref(),
    ];
    args.extend_from_slice(flags);
    let out = run_rhapsody(&args);
    assert!(
        out.status.success(),
        "rhapsody render failed ({}) on {}:\nstdout:\n{}\nstderr:\n{}",
        out.status,
        csd.display(),
        tail(&out.stdout),
        tail(&out.stderr)
    );
    assert!(
        out_wav.is_file(),
        "rhapsody wrote no file {} for {}",
        out_wav.display(),
        csd.display()
    );
    read_wav(out_wav)
}

/// Runs our binary with `args` (stdin from /dev/null, with the render timeout).
pub fn run_rhapsody(args: &[&std::ffi::OsStr]) -> RunOutput {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhapsody"));
    cmd.args(args);
    run_with_timeout(cmd, RENDER_TIMEOUT, "rhapsody")
}

/// `p` made absolute against the current directory (so a changed cwd cannot break it).
pub fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|e| panic!("cannot make {} absolute: {e}", p.display()))
}

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Formats a dB value for reports ("inf" for identical signals).
pub fn fmt_db(db: f64) -> String {
    if db.is_infinite() {
        if db > 0.0 {
            "inf".to_string()
        } else {
            "-inf".to_string()
        }
    } else {
        format!("{db:.1}")
    }
}

/// Seconds a PulseAudio server started for the tests stays after its last
/// client: long enough to connect after `ensure_pulse`, short enough that
/// `cargo test` leaves no daemon behind.
pub const PULSE_EXIT_IDLE_SECONDS: u32 = 5;

/// Makes sure a PulseAudio server with a null sink runs, so that the default
/// ALSA device is a paced device on a machine without a sound card. A server
/// it starts exits by itself [`PULSE_EXIT_IDLE_SECONDS`] after its last
/// client (one already running is left as it is). Returns
/// false (after printing why) when the caller should skip; panics under CI
/// (`CI` set), where the device tests must run.
pub fn ensure_pulse(what: &str) -> bool {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pulse-null-sink.sh");
    let outcome = match Command::new("bash")
        .arg(script)
        .env("PULSE_EXIT_IDLE", PULSE_EXIT_IDLE_SECONDS.to_string())
        .output()
    {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "{script} failed ({}): {}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) => Err(format!("cannot run {script}: {e}")),
    };
    match outcome {
        Ok(()) => true,
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("PulseAudio with a null sink is needed for the {what} under CI: {why}")
        }
        Err(why) => {
            eprintln!("SKIPPED {what}: no PulseAudio null sink: {why}");
            false
        }
    }
}

/// A PulseAudio client kept connected (`pactl subscribe`) while it lives, so
/// that a server started for the tests stays up through a long test whose
/// own clients come and go (it exits [`PULSE_EXIT_IDLE_SECONDS`] after the
/// hold is dropped).
pub struct PulseHold(Option<std::process::Child>);

impl Drop for PulseHold {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// [`ensure_pulse`], then hold the server until the returned guard is dropped.
pub fn ensure_and_hold_pulse(what: &str) -> PulseHold {
    if !ensure_pulse(what) {
        return PulseHold(None);
    }
    let child = Command::new("pactl")
        .arg("subscribe")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok();
    PulseHold(child)
}
