//! Tests of the paced silent clock: real-time pace, no xruns when render is cheap, xruns when it is late.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rhapsody::audio::{self, OutputChoice, OutputConfig, OutputKind, Render};

const RATE: u32 = 48_000;
const FRAMES: u32 = 256;

/// The tests measure timing: run them one at a time so they do not compete
/// for the CPU (the harness runs tests in parallel threads).
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn clock_config(buffer_frames: u32) -> OutputConfig {
    OutputConfig {
        sample_rate: RATE,
        channels: 2,
        buffer_frames: Some(buffer_frames),
        choice: OutputChoice::NullClock,
    }
}

/// A cheap, allocation-free render: a quiet sine on every channel.
fn sine(channels: usize) -> Render {
    let mut phase = 0.0f32;
    Box::new(move |buf: &mut [f32]| {
        for frame in buf.chunks_mut(channels) {
            phase = (phase + 440.0 / RATE as f32).fract();
            frame.fill((phase * std::f32::consts::TAU).sin() * 0.1);
        }
    })
}

#[test]
fn null_clock_runs_at_real_time_pace_without_xruns() {
    let _serial = serial();
    // 1024-frame buffers (23 ms): the pace and a cheap render's lack of
    // xruns are the point here, and at 256 frames one 18 ms stall of the
    // virtual machine, right after a build, counted as an xrun (once in
    // CI's run of a clean checkout).
    const FRAMES: u32 = 1024;
    let out = audio::start(&clock_config(FRAMES), sine(2)).expect("null clock starts");
    assert_eq!(
        out.kind(),
        OutputKind::NullClock {
            reason: "requested (--device silent)".into()
        }
    );
    let stats = out.stats();
    std::thread::sleep(Duration::from_millis(100));
    let t0 = Instant::now();
    let f0 = stats.snapshot().frames;
    std::thread::sleep(Duration::from_secs(1));
    let s1 = stats.snapshot();
    let elapsed = t0.elapsed().as_secs_f64();
    let rate = (s1.frames - f0) as f64 / elapsed;
    println!("null clock: {rate:.0} frames/s; {s1}");
    assert!(
        (rate - RATE as f64).abs() < RATE as f64 * 0.10,
        "null clock delivered {rate:.0} frames/s, expected {RATE} +-10%"
    );
    assert_eq!(s1.xruns, 0, "cheap render must not cause xruns: {s1}");
    assert_eq!(s1.frames, s1.callbacks * u64::from(FRAMES));
    assert_eq!(s1.min_callback_frames, u64::from(FRAMES));
    assert_eq!(s1.max_callback_frames, u64::from(FRAMES));
    out.stop();
}

#[test]
fn null_clock_counts_an_xrun_when_render_is_late() {
    let _serial = serial();
    let period = Duration::from_secs_f64(f64::from(FRAMES) / f64::from(RATE));
    let calls = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&calls);
    let render: Render = Box::new(move |buf: &mut [f32]| {
        buf.fill(0.0);
        // The 20th buffer takes three buffer periods: more than one buffer late.
        if seen.fetch_add(1, Ordering::Relaxed) == 20 {
            std::thread::sleep(period * 3);
        }
    });
    let out = audio::start(&clock_config(FRAMES), render).expect("null clock starts");
    let stats = out.stats();
    std::thread::sleep(Duration::from_millis(500));
    let s = stats.snapshot();
    println!("late render: {s}");
    assert!(calls.load(Ordering::Relaxed) > 21, "render was called: {s}");
    // The late buffer is an xrun; a loaded machine may add another.
    assert!(s.xruns >= 1, "the late buffer is an xrun: {s}");
    assert!(
        s.peak_load_permille >= 2500,
        "the late buffer shows as load: {s}"
    );
    // After resynchronising the clock keeps its pace.
    let f0 = stats.snapshot().frames;
    std::thread::sleep(Duration::from_millis(500));
    let rate = (stats.snapshot().frames - f0) as f64 / 0.5;
    assert!(
        (rate - RATE as f64).abs() < RATE as f64 * 0.15,
        "pace after an xrun: {rate:.0} frames/s"
    );
}

#[test]
fn null_clock_measures_callback_load() {
    let _serial = serial();
    let period = Duration::from_secs_f64(f64::from(FRAMES) / f64::from(RATE));
    // Busy for about half of each buffer period.
    let render: Render = Box::new(move |buf: &mut [f32]| {
        let t0 = Instant::now();
        buf.fill(0.0);
        while t0.elapsed() < period / 2 {
            std::hint::spin_loop();
        }
    });
    let out = audio::start(&clock_config(FRAMES), render).expect("null clock starts");
    std::thread::sleep(Duration::from_millis(600));
    let s = out.stats().snapshot();
    println!("half load: {s}");
    assert!(s.callbacks > 10, "render was called: {s}");
    assert!(s.peak_load_permille >= 500, "peak load: {s}");
    // Every callback spins for half a period, so none can show less than 50%
    // (preemption on a loaded machine can only push callbacks higher).
    assert_eq!(s.load_hist[..5].iter().sum::<u64>(), 0, "{s}");
    assert_eq!(s.load_hist.iter().sum::<u64>(), s.callbacks, "{s}");
}

#[test]
fn stop_returns_promptly_even_with_long_buffers() {
    let _serial = serial();
    // One-second buffers: stop must not wait for the next deadline.
    let out = audio::start(&clock_config(RATE), sine(2)).expect("null clock starts");
    std::thread::sleep(Duration::from_millis(100));
    let t0 = Instant::now();
    out.stop();
    assert!(
        t0.elapsed() < Duration::from_millis(300),
        "stop took {:?}",
        t0.elapsed()
    );
}

#[test]
fn bad_configurations_are_errors() {
    let _serial = serial();
    let mut c = clock_config(FRAMES);
    c.sample_rate = 0;
    assert!(audio::start(&c, sine(2)).is_err());
    let mut c = clock_config(FRAMES);
    c.channels = 0;
    assert!(audio::start(&c, sine(2)).is_err());
    let c = clock_config(0);
    assert!(audio::start(&c, sine(2)).is_err());
}

/// The clock's thread asks for real-time scheduling, and the statistics say
/// truly whether it got it: the policy seen from inside the render function
/// is first-in-first-out exactly when `realtime` is set. (Which of the two
/// happens depends on the machine's permissions; the report must match.)
#[cfg(target_os = "linux")]
#[test]
fn null_clock_reports_the_scheduling_its_thread_runs_with() {
    let _serial = serial();
    let policy = Arc::new(AtomicU64::new(u64::MAX));
    let seen = Arc::clone(&policy);
    let render: Render = Box::new(move |buf: &mut [f32]| {
        // SAFETY: sched_getscheduler(0) only reads the calling thread's policy.
        let p = unsafe { libc::sched_getscheduler(0) };
        seen.store(p as u64, Ordering::Relaxed);
        buf.fill(0.0);
    });
    let out = audio::start(&clock_config(FRAMES), render).expect("null clock starts");
    std::thread::sleep(Duration::from_millis(100));
    let fifo = policy.load(Ordering::Relaxed) == libc::SCHED_FIFO as u64;
    let reported = out.stats().snapshot().realtime;
    out.stop();
    assert_ne!(
        policy.load(Ordering::Relaxed),
        u64::MAX,
        "render was called"
    );
    assert_eq!(
        reported, fifo,
        "stats say real-time {reported}, thread is FIFO {fifo}"
    );
}
