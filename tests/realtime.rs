//! The audio path does not allocate: the live driver performs the article's
//! orchestra with many notes, table edits, mute and an instrument swap
//! under `assert_no_alloc` (with an instrument of arrays, triggers and
//! printers, one with a line of each newer opcode family, and one reading
//! the audio input), and a
//! negative control proves the checker sees
//! an allocation when there is one.

use std::path::Path;

use assert_no_alloc::{AllocDisabler, assert_no_alloc, reset_violation_count, violation_count};
use rhapsody::csd::Csd;
use rhapsody::engine::driver::{Command, Driver, Report};
use rhapsody::engine::events::{LiveEvent, LiveKind};
use rhapsody::engine::program::Instance;
use rhapsody::options::Options;
use rhapsody::session::pipeline;
use ringbuf::HeapRb;
use ringbuf::traits::{Consumer, Producer, Split};

#[global_allocator]
static ALLOCATOR: AllocDisabler = AllocDisabler;

const ORCHESTRA: &str = r#"<CsoundSynthesizer>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1
instr 1
  kenv linen p4, p7, p3, p8
  asig oscili kenv, cpsoct(p5), p6
  aL, aR pan2 asig, p9
  outs aL, aR
endin
instr 2
  kNotes[] fillarray 60, 64, 67
  kLev[] init 3
  kTick metro 50
  kStep init 0
  kStep = (kStep + kTick) % lenarray(kNotes)
  kLev[kStep] = kLev[kStep] + 0.01
  kUp[] = kNotes * 2 + kLev
  kCh changed kStep
  kCh2 changed2 kUp
  kTr trigger kStep, 0.5, 2
  printk2 kStep
  puts "step", kStep + 1
  printarray kLev, kTick, "%.2f", "levels"
  asig oscili 0.01 + kCh * 0.001 + kTr * 0.001 + kCh2 * 0.001, cpsmidinn(kUp[kStep] / 2), 1
  outs asig, asig
endin
instr 3
  ; one line per family added for the opcode-breadth issue
  asig oscili 0.1, 220, 1
  krms rms asig
  ag gain asig, 0.1
  af follow2 asig, 0.01, 0.1
  af1 follow asig, 0.01
  ab balance2 asig, ag
  kmx max_k asig, 1, 1
  kd downsamp asig
  ai interp kd
  ad diff asig
  aig integ ad
  afo fold asig, 2.5
  am mpulse 0.1, 0.01
  au upsamp krms
  ab1 biquad asig, 0.1, 0.2, 0.1, 1, -1.6, 0.7
  ab2 resonz asig, 800, 100, 1
  ab3 rbjeq asig, 1000, 2, 1, 1, 8
  ab4 pareq asig, 1000, 2, 0.7, 1
  ab5 eqfil asig, 500, 100, 2
  at1 tonex asig, 1000, 3
  at2 resonx asig, 700, 100, 2, 1
  vcopy 1, 1, 8, 64, 0
  vmult 1, 1, 8, 64
  ad1 distort1 asig, 1, 1, 0, 0, 1
  kdl delayk krms, 0.1
  kos oscil1 0.1, 1, 0.5, 1
  kenv linsegb 0, 0.1, 1, 0.2, 0
  kA[] genarray_i 1, 8
  kC[] cbrt kA
  kmax maxarray kC
  klag lag krms, 0.1
  amed median asig, 5, 8
  amac mac klag, amed
  kcos cosseg 0, 0.1, 1, 0.2, 0
  outq1 (af + af1 + ab + ai + ad + aig + afo + am + au + amac) * 0.001
  outall (ab1 + ab2 + ab3 + ab4 + ab5 + at1 + at2 + ad1) * 0.001 * (kdl + kos + kenv + kmax + kmx + kcos)
endin

instr 4
  ; a spectral chain: its notes start and stop while audio plays
  asrc oscili 0.1, 330, 1
  fsrc pvsanal asrc, 512, 128, 512, 1
  fup pvscale fsrc, 1.5
  fmix pvsmix fsrc, fup
  fg pvsgain fmix, 0.5
  outq1 pvsynth(fg)
endin

instr 5
  ; audio input: the whole bus and one numbered channel, filtered
  aL, aR ins
  a2 inch 2
  a2 butlp a2, 1000
  outs aL * 0.1, (aR + a2) * 0.1
endin
</CsInstruments>
<CsScore>
f 1 0 4096 10 1
f 0 3600
</CsScore>
</CsoundSynthesizer>
"#;

fn driver() -> (
    Driver,
    ringbuf::HeapProd<Command>,
    ringbuf::HeapCons<Report>,
) {
    let csd = Csd::parse("rt.csd", ORCHESTRA.to_string()).expect("csd");
    let mut prepared = pipeline::prepare(&csd, &Options::default()).expect("compiles");
    let orc = prepared.engine.orchestra.clone();
    for slot in prepared.engine.instruments.iter_mut() {
        for _ in 0..512 {
            slot.spare.push(Box::new(
                Instance::build(&slot.template, &orc).expect("builds"),
            ));
        }
    }
    prepared.engine.tables.reserve_number(4096);
    // The input bus reads a file, as `-i FILE` does.
    let (input, _) = pipeline_input();
    prepared.engine.set_input(Some(Box::new(input)));
    let (cmd_tx, cmd_rx) = HeapRb::<Command>::new(4096).split();
    let (rep_tx, rep_rx) = HeapRb::<Report>::new(65536).split();
    (
        Driver::new(prepared.engine, cmd_rx, rep_tx, 2),
        cmd_tx,
        rep_rx,
    )
}

fn pipeline_input() -> (rhapsody::session::input::FileInput, Vec<String>) {
    let rates = rhapsody::engine::context::Rates {
        sr: 48000.0,
        nchnls: 2,
        nchnls_i: 2,
        ..Default::default()
    };
    rhapsody::session::input::open_file_input("tests/conformance/stereo_tone_44k.wav", None, &rates)
        .expect("the input file")
}

fn note(p: &[f64]) -> Command {
    Command::Event {
        kind: LiveKind::Note,
        event: LiveEvent::new(LiveKind::Note, 0.0, p),
        absolute: false,
    }
}

#[test]
fn the_audio_path_never_allocates_and_the_checker_would_notice() {
    let (mut driver, mut commands, mut reports) = driver();
    let mut buffer = vec![0.0f32; 256 * 2];
    // Let the score's table exist, then queue 300 notes before entering the checked region.
    driver.fill(&mut buffer);
    for i in 0..300 {
        let p = [
            1.0,
            i as f64 * 0.001,
            0.5,
            0.002,
            8.0 + (i % 12) as f64 / 12.0,
            1.0,
            0.01,
            0.1,
            0.5,
        ];
        assert!(commands.try_push(note(&p)).is_ok());
        if i % 10 == 0 {
            // Arrays, sequencing triggers and printers in the same blocks.
            assert!(
                commands
                    .try_push(note(&[2.0, i as f64 * 0.001, 0.3]))
                    .is_ok()
            );
            // The opcode families of the breadth issue.
            assert!(
                commands
                    .try_push(note(&[3.0, i as f64 * 0.001, 0.3]))
                    .is_ok()
            );
            // The spectral family.
            assert!(
                commands
                    .try_push(note(&[4.0, i as f64 * 0.001, 0.3]))
                    .is_ok()
            );
            // Audio input.
            assert!(
                commands
                    .try_push(note(&[5.0, i as f64 * 0.001, 0.3]))
                    .is_ok()
            );
        }
    }
    let _ = commands.try_push(Command::Event {
        kind: LiveKind::Mute,
        event: LiveEvent::new(LiveKind::Mute, 0.0, &[1.0, 0.3]),
        absolute: false,
    });
    let table = driver.engine.tables.get_arc(1).expect("table 1").clone();
    reset_violation_count();
    assert_no_alloc(|| {
        for block in 0..400 {
            driver.fill(&mut buffer);
            // A host edit of a table point while notes read it.
            table.set(1024, if block % 2 == 0 { -1.0 } else { 1.0 });
        }
    });
    assert_eq!(violation_count(), 0, "the audio path allocated");
    assert!(buffer.iter().any(|x| *x != 0.0) || driver.engine.active_notes() == 0);
    // Drain off the checked region (dropping reports frees memory, which is fine here).
    let mut messages = 0;
    while let Some(r) = reports.try_pop() {
        if let Report::Message(_) = r {
            messages += 1;
        }
    }
    assert!(messages > 0, "the mute message arrived");

    // Negative control: the same checker does see an allocation.
    reset_violation_count();
    assert_no_alloc(|| {
        let v: Vec<u8> = Vec::with_capacity(64);
        std::hint::black_box(v);
    });
    assert!(
        violation_count() > 0,
        "assert_no_alloc did not notice an allocation"
    );
    let _ = Path::new(".");
}

#[test]
fn a_burst_of_commands_is_spread_over_blocks_in_order_with_nothing_lost() {
    use rhapsody::engine::driver::COMMANDS_PER_BLOCK;
    let (mut driver, mut commands, mut reports) = driver();
    let burst = 4000;
    for i in 0..burst {
        let p = [1.0, 0.0, 0.01, 0.0, 8.0, 1.0, 0.001, 0.001, i as f64];
        assert!(commands.try_push(note(&p)).is_ok());
    }
    let mut taken = Vec::new();
    let mut blocks = 0;
    while taken.len() < burst {
        driver.block();
        blocks += 1;
        let before = taken.len();
        while let Some(r) = reports.try_pop() {
            if let Report::Took { event, .. } = r {
                taken.push(event.pfields()[8]);
            }
        }
        assert!(
            taken.len() - before <= COMMANDS_PER_BLOCK,
            "block {blocks} took {} commands",
            taken.len() - before
        );
        assert!(blocks < 1000, "the burst never drained");
    }
    assert_eq!(blocks, burst.div_ceil(COMMANDS_PER_BLOCK));
    let expected: Vec<f64> = (0..burst).map(|i| i as f64).collect();
    assert_eq!(taken, expected, "commands out of order or lost");
}

#[test]
fn a_nan_voice_is_silenced_on_the_live_path_without_allocating() {
    let (mut driver, mut commands, mut reports) = driver();
    let mut buffer = vec![0.0f32; 256 * 2];
    driver.fill(&mut buffer);
    // A note with a NaN amplitude (p4) next to a sounding one.
    let good = [1.0, 0.0, 1.0, 0.3, 8.0, 1.0, 0.001, 0.001, 0.5];
    let bad = [1.0, 0.0, 1.0, f64::NAN, 8.5, 1.0, 0.001, 0.001, 0.5];
    assert!(commands.try_push(note(&good)).is_ok());
    assert!(commands.try_push(note(&bad)).is_ok());
    let mut peak = 0.0f32;
    reset_violation_count();
    assert_no_alloc(|| {
        for _ in 0..100 {
            driver.fill(&mut buffer);
            for x in &buffer {
                assert!(x.is_finite());
                peak = peak.max(x.abs());
            }
        }
    });
    assert_eq!(violation_count(), 0, "containment allocated");
    assert!(peak > 0.1, "the good note was lost (peak {peak})");
    let mut said = false;
    while let Some(r) = reports.try_pop() {
        if let Report::Message(m) = r {
            said |= m.text.as_str().contains("not finite");
        }
    }
    assert!(said, "the silenced note was not reported");
    assert_eq!(driver.engine.stats.silenced, 1);
    assert_eq!(driver.engine.active_notes(), 1);
}
