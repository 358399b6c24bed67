//! The audio path does not allocate: the live driver performs the article's
//! orchestra with many notes, table edits, mute and an instrument swap
//! under `assert_no_alloc` (with an instrument of arrays, triggers and
//! printers, one with a line of each newer opcode family, and one of
//! string opcodes at init and every block, one reading the audio
//! input, and one that reinitialises itself every few blocks), and a
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
massign 0, 7
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
  arv nreverb asig, 1.5, 0.3
  al1, al2 locsig asig, 30, 2, 0.1
  alr1, alr2 locsend
  as1, as2, as3, as4 space asig, 0, 0, 0.1, 0.5, 2
  asr1, asr2, asr3, asr4 spsend
  apd pdhalf asig, -0.5, 1
  apc chebyshevpoly asig, 0, 1, 0.5
  outq1 (af + af1 + ab + ai + ad + aig + afo + am + au + amac) * 0.001
  outall (ab1 + ab2 + ab3 + ab4 + ab5 + at1 + at2 + ad1) * 0.001 * (kdl + kos + kenv + kmax + kmx + kcos)
  outall (arv + al1 + alr2 + as1 + asr4 + apd + apc) * 0.001
endin

instr 7
  ; played by MIDI (massign above): note, velocity, controllers, release
  iamp ampmidi 0.1
  kenv linsegr 0, 0.01, 1, 0.1, 0
  kc ctrl7 1, 1, 0, 1
  kb pchbend
  kcps cpsmidib 2
  kst, kch, kd1, kd2 midiin
  a1 oscili iamp * kenv * (1 + kc + kb * 0.1 + kst * 0), kcps, 1
  outq1 a1
endin

instr 4
  ; a spectral chain: its notes start and stop while audio plays
  asrc oscili 0.1, 330, 1
  fsrc pvsanal asrc, 512, 128, 512, 1
  fup pvscale fsrc, 1.5
  fmix pvsmix fsrc, fup
  fg pvsgain fmix, 0.5
  fbl pvsblur fg, 0.05, 0.5
  fbp pvsbandp fbl, 200, 300, 2000, 3000
  fbr pvsbandr fsrc, 200, 300, 2000, 3000, 1
  fmo pvsmorph fbp, fbr, 0.5, 0.5
  outq1 pvsynth(fmo)
endin

instr 5
  ; strings: a score string p-field and string opcodes at init and every block
  Sname = p4
  kcount init 0
  kcount += 1
  Snum sprintfk "%s-%d", Sname, kcount
  Sall strcatk Snum, "!"
  Sup strupperk Sall
  Spart strsubk Sup, 1, 4
  klen strlenk Spart
  kcmp strcmpk Spart, Sname
  kat strindexk Sall, "-"
  kval strtodk "2.5"
  printf "%s %d\n", kcount % 10 == 0 ? kcount : 0, Sup, klen
  asig oscili 0.01 * (klen + kcmp + kat + kval), 440, 1
  outs asig, asig
endin

instr 8
  ; reinitialisation every few blocks: the init code of an envelope, a
  ; delay line, a string and a counter runs again on the audio thread
  icount init 0
again:
  icount += 1
  Sname sprintf "pass %d", icount
  ilen strlen Sname
  timout 0, 0.004, play
  reinit again
play:
  kenv expseg 0.1, 0.004, 0.01
  adel delay oscili(kenv, 200 + ilen, 1), 0.002
  rireturn
  outs adel, adel
endin

instr 6
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
    let name = driver
        .engine
        .orchestra
        .channels
        .strings
        .pfield("live")
        .expect("room in the string pool");
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
            // Strings, with a string p-field.
            assert!(
                commands
                    .try_push(note(&[5.0, i as f64 * 0.001, 0.3, name]))
                    .is_ok()
            );
            // Audio input.
            assert!(
                commands
                    .try_push(note(&[6.0, i as f64 * 0.001, 0.3]))
                    .is_ok()
            );
            // Reinitialisation (timout, reinit, rireturn).
            assert!(
                commands
                    .try_push(note(&[8.0, i as f64 * 0.001, 0.3]))
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
fn midi_notes_and_a_flood_of_messages_never_allocate_and_overflow_is_counted() {
    use rhapsody::engine::midi::{INJECTED_CAPACITY, MidiMessage, injected_queue};
    let (mut driver, _commands, mut reports) = driver();
    let (mut sender, inbox) = injected_queue();
    driver.engine.set_midi_inbox(inbox);
    let mut buffer = vec![0.0f32; 256 * 2];
    driver.fill(&mut buffer);
    reset_violation_count();
    let mut heard = false;
    assert_no_alloc(|| {
        for block in 0..200u32 {
            let key = 40 + (block % 40) as u8;
            sender.send(MidiMessage::new(0x90, key, 100));
            sender.send(MidiMessage::new(0xB0, 1, (block % 128) as u8));
            sender.send(MidiMessage::new(0xE0, 0, (block % 128) as u8));
            if block >= 5 {
                sender.send(MidiMessage::new(0x80, key - 5, 0));
            }
            if block == 100 {
                // A flood: more than the queue holds, at once.
                for i in 0..INJECTED_CAPACITY + 1000 {
                    sender.send(MidiMessage::new(0xB0, 2, (i % 128) as u8));
                }
            }
            driver.fill(&mut buffer);
            heard |= buffer.iter().any(|x| *x != 0.0);
        }
    });
    assert_eq!(violation_count(), 0, "the MIDI path allocated");
    assert!(heard, "the MIDI notes sounded");
    assert!(
        driver.engine.midi_dropped() >= 1000,
        "the flood's overflow is counted, not queued: {}",
        driver.engine.midi_dropped()
    );
    while reports.try_pop().is_some() {}
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

#[test]
fn a_swap_with_a_crossfade_and_note_handles_run_without_allocating() {
    use rhapsody::engine::InstrSlot;
    use rhapsody::engine::steer::SteerAction;
    use rhapsody::engine::swap::{SwapMode, SwapOrder};
    use rhapsody::orc::compiler::{RateOverrides, compile_into};
    let (mut driver, mut commands, mut reports) = driver();
    let mut buffer = vec![0.0f32; 256 * 2];
    driver.fill(&mut buffer);
    // Instrument 1 redefined an octave up, built here (control side); the
    // others keep their definitions.
    let playing = driver.engine.orchestra.clone();
    let text = ORCHESTRA
        .split("<CsInstruments>")
        .nth(1)
        .and_then(|r| r.split("</CsInstruments>").next())
        .unwrap()
        .replace("cpsoct(p5)", "cpsoct(p5 + 1)");
    let source = std::sync::Arc::new(rhapsody::diag::SourceFile {
        name: "new".into(),
        text,
    });
    let ast = rhapsody::orc::parse(&source).unwrap();
    let over = RateOverrides {
        sr: Some(48000.0),
        ksmps: Some(64),
        ..Default::default()
    };
    let orc = compile_into(&ast, over, playing.channels.clone(), Some(&playing)).unwrap();
    let mut slots = Vec::new();
    let mut modes = Vec::new();
    for t in &orc.instruments {
        if t.number == 1 {
            let mut slot = InstrSlot::new(t.clone());
            for _ in 0..256 {
                slot.spare.push(Box::new(Instance::build(t, &orc).unwrap()));
            }
            slots.push(slot);
        } else {
            slots.push(InstrSlot::new(
                playing.instrument(t.number).unwrap().clone(),
            ));
        }
        modes.push(SwapMode::Crossfade(0.05));
    }
    let swap = Command::Swap(Box::new(SwapOrder {
        slots,
        modes,
        orchestra: orc,
    }));
    // Notes with handles, and one held note of instrument 2.
    for h in 1..=40u64 {
        let mut event = LiveEvent::new(
            LiveKind::Note,
            0.0,
            &[1.0, 0.0, 2.0, 0.002, 8.0, 1.0, 0.01, 0.1, 0.5],
        );
        event.handle = h;
        assert!(
            commands
                .try_push(Command::Event {
                    kind: LiveKind::Note,
                    event,
                    absolute: false,
                })
                .is_ok()
        );
    }
    assert!(commands.try_push(note(&[2.0, 0.0, -1.0])).is_ok());
    let mut swap = Some(swap);
    let mut first_bad = None;
    reset_violation_count();
    assert_no_alloc(|| {
        for block in 0..300 {
            driver.fill(&mut buffer);
            if first_bad.is_none() && violation_count() > 0 {
                first_bad = Some(block);
            }
            let h = 1 + (block % 40) as u64;
            let action = match block % 3 {
                0 => SteerAction::Set {
                    field: 5,
                    value: 8.0 + block as f64 / 300.0,
                },
                1 => {
                    let mut points = [0.0; 32];
                    points[..4].copy_from_slice(&[0.0, 8.0, 0.1, 9.0]);
                    SteerAction::Automate {
                        field: 5,
                        points,
                        count: 4,
                    }
                }
                _ if block > 200 => SteerAction::Release,
                _ => SteerAction::Set {
                    field: 4,
                    value: 0.002,
                },
            };
            let _ = commands.try_push(Command::Steer {
                handle: h,
                instr: 1,
                action,
            });
            if block == 100
                && let Some(s) = swap.take()
            {
                let _ = commands.try_push(s);
            }
        }
        // Every note released by its handle.
        for handle in 1..=40u64 {
            let _ = commands.try_push(Command::Steer {
                handle,
                instr: 1,
                action: SteerAction::Release,
            });
        }
        for _ in 0..20 {
            driver.fill(&mut buffer);
        }
    });
    assert_eq!(
        violation_count(),
        0,
        "a swap or a handle allocated (first in block {first_bad:?})"
    );
    let (mut started, mut ended) = (0, 0);
    while let Some(r) = reports.try_pop() {
        if let Report::Note { playing, .. } = r {
            if playing {
                started += 1;
            } else {
                ended += 1;
            }
        }
    }
    assert_eq!(started, 40, "every handled note started");
    assert_eq!(ended, 40, "and was released");
}
