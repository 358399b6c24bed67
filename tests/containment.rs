//! A note whose output is not finite (NaN or infinite) is silenced and
//! reported; the other notes keep sounding, a global bus (a reverb's send)
//! recovers, and nothing non-finite reaches the output or the live device.

use rhapsody::csd::Csd;
use rhapsody::engine::Engine;
use rhapsody::engine::context::MessageKind;
use rhapsody::options::Options;
use rhapsody::session::pipeline;

fn engine(orchestra: &str, score: &str) -> Engine {
    let text = format!(
        "<CsoundSynthesizer>\n<CsInstruments>\nsr = 48000\nksmps = 32\nnchnls = 2\n0dbfs = 1\n{orchestra}\n</CsInstruments>\n<CsScore>\nf 1 0 4096 10 1\n{score}\n</CsScore>\n</CsoundSynthesizer>\n"
    );
    let csd = Csd::parse("nan.csd", text).expect("splits");
    pipeline::prepare(&csd, &Options::default())
        .unwrap_or_else(|e| panic!("compiles: {e:?}"))
        .engine
}

/// Render to the end: the left channel, and the error messages.
fn render(engine: &mut Engine) -> (Vec<f64>, Vec<String>) {
    let (left, errors, _) = render_warned(engine);
    (left, errors)
}

/// Render to the end: the left channel, the errors and the warnings.
fn render_warned(engine: &mut Engine) -> (Vec<f64>, Vec<String>, Vec<String>) {
    let mut left = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    while engine.perform_block() {
        left.extend(engine.spout.chunks_exact(2).map(|f| f[0]));
        for m in engine.messages.drain() {
            match m.kind {
                MessageKind::Error => errors.push(m.text.as_str().to_string()),
                MessageKind::Warning => warnings.push(m.text.as_str().to_string()),
                _ => {}
            }
        }
    }
    (left, errors, warnings)
}

fn rms(x: &[f64]) -> f64 {
    (x.iter().map(|v| v * v).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

const SR: usize = 48000;

#[test]
fn a_nan_note_is_silenced_and_the_others_keep_sounding() {
    let mut e = engine(
        "instr 1\n  a1 oscili 0.5, 440, 1\n  outs a1, a1\nendin\n\
         instr 2\n  a1 = sqrt(-1)\n  outs a1, a1\nendin",
        "i 1 0 2\ni 2 0.5 1",
    );
    let (left, errors) = render(&mut e);
    assert!(left.iter().all(|x| x.is_finite()), "non-finite output");
    // Instrument 1 sounds before, during and after instrument 2's note.
    for (from, to) in [(0.1, 0.4), (0.6, 1.4), (1.6, 1.9)] {
        let part = &left[(from * SR as f64) as usize..(to * SR as f64) as usize];
        let level = rms(part);
        assert!(
            (level - 0.5 / 2f64.sqrt()).abs() < 0.01,
            "{from}..{to} s: rms {level}"
        );
    }
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("instr 2") && errors[0].contains("0.500"),
        "{}",
        errors[0]
    );
    assert_eq!(e.messages.errors, 1);
    assert!(
        e.report().contains("1 errors in performance"),
        "{}",
        e.report()
    );
    assert!(e.report().contains("1 notes silenced"), "{}", e.report());
}

#[test]
fn a_filter_that_blows_up_is_silenced_when_it_reaches_infinity() {
    // The gain doubles every block: infinite after about a thousand blocks.
    let mut e = engine(
        "instr 1\n  a1 oscili 0.5, 440, 1\n  outs a1, a1\nendin\n\
         instr 2\n  kg init 1e-300\n  kg = kg * 2\n  a1 oscili kg, 440, 1\n  outs a1, a1\nendin",
        "i 1 0 2\ni 2 0 2",
    );
    let (left, errors) = render(&mut e);
    assert!(left.iter().all(|x| x.is_finite()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("instr 2"), "{}", errors[0]);
    let tail = &left[left.len() - SR / 4..];
    assert!((rms(tail) - 0.5 / 2f64.sqrt()).abs() < 0.01);
}

#[test]
fn a_reverb_bus_recovers_after_a_nan_send() {
    // Instrument 3 sends NaN to the bus once; instrument 99 (a feedback
    // delay on the bus) must not be poisoned: a later clean send is heard.
    let mut e = engine(
        "gaSend init 0\n\
         instr 1\n  a1 oscili 0.3, 440, 1\n  gaSend = gaSend + a1\nendin\n\
         instr 3\n  a1 = log(0) * p4\n  gaSend = gaSend + a1\nendin\n\
         instr 99\n  a1 comb gaSend, 2, 0.1\n  outs a1, a1\n  clear gaSend\nendin",
        "i 99 0 3\ni 3 0.5 0.1 1\ni 1 1.5 0.5",
    );
    let (left, errors) = render(&mut e);
    assert!(left.iter().all(|x| x.is_finite()));
    assert!(errors.iter().any(|m| m.contains("instr 3")), "{errors:?}");
    assert!(
        !errors.iter().any(|m| m.contains("instr 99")),
        "the reverb was poisoned: {errors:?}"
    );
    let after = &left[(1.6 * SR as f64) as usize..(2.9 * SR as f64) as usize];
    assert!(rms(after) > 0.05, "reverb silent after the bad send");
}

#[test]
fn many_nan_notes_in_one_block_give_a_bounded_number_of_messages() {
    let mut score = String::new();
    for _ in 0..100 {
        score.push_str("i 2 0.1 0.5\n");
    }
    let mut e = engine("instr 2\n  a1 = sqrt(-1)\n  outs a1, a1\nendin", &score);
    let (left, errors) = render(&mut e);
    assert!(left.iter().all(|x| x.is_finite()));
    assert!(errors.len() <= 8, "{} messages", errors.len());
    assert_eq!(e.messages.errors, 100);
}

/// Instrument 2 writes a non-finite value where instrument 3 reads it
/// (`reader` sets instrument 3's `k1` or `a1`): nothing non-finite reaches
/// instrument 3 or the output, instrument 3 sounds all through, and
/// instrument 2's note is named with the place it wrote to: with a warning
/// (0 was written instead, the writer plays on) for zak space, channels and
/// tables, silenced with an error for a global variable.
fn shared_state_case(header: &str, writer: &str, reader: &str, store: &str) {
    let mut e = engine(
        &format!(
            "{header}\ninstr 2\n{writer}\nendin\n\
             instr 3\n  k1 = 0\n  a1 = 0\n{reader}\n  a2 oscili 0.5, 440, 1\n  \
             aout = a2 + a1 + k1\n  outs aout, aout\nendin"
        ),
        "i 3 0 2\ni 2 0.5 0.5",
    );
    let (left, errors, warnings) = render_warned(&mut e);
    assert!(left.iter().all(|x| x.is_finite()), "non-finite output");
    assert!(
        left.len() >= 2 * SR - 64,
        "render stopped at {} samples",
        left.len()
    );
    for (from, to) in [(0.1, 0.4), (0.6, 0.9), (1.1, 1.9)] {
        let part = &left[(from * SR as f64) as usize..(to * SR as f64) as usize];
        let level = rms(part);
        assert!(
            (level - 0.5 / 2f64.sqrt()).abs() < 0.01,
            "{from}..{to} s: rms {level} ({errors:?} {warnings:?})"
        );
    }
    let global = store == "a global variable";
    let said = if global { &errors } else { &warnings };
    assert_eq!(said.len(), 1, "errors {errors:?}, warnings {warnings:?}");
    assert!(
        said[0].contains("instr 2 (note p1 2, started at 0.500 s)")
            && said[0].contains(store)
            && said[0].contains("at 0.500 s"),
        "{}",
        said[0]
    );
    if global {
        assert!(e.report().contains("1 notes silenced"), "{}", e.report());
    } else {
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!e.report().contains("silenced"), "{}", e.report());
    }
}

#[test]
fn a_nan_written_to_zak_space_silences_the_writer_not_the_readers() {
    shared_state_case(
        "zakinit 2, 2",
        "  a1 = sqrt(-1)\n  zaw a1, 1\n  k1 = log(0)\n  zkw k1, 1",
        "  a1 zar 1\n  k1 zkr 1",
        "zak space",
    );
}

#[test]
fn a_nan_sent_on_a_channel_silences_the_writer_not_the_readers() {
    shared_state_case(
        "",
        "  k1 = sqrt(-1)\n  chnset k1, \"ctl\"",
        "  k1 chnget \"ctl\"",
        "a channel",
    );
    shared_state_case(
        "",
        "  a1 = sqrt(-1)\n  chnmix a1, \"bus\"",
        "  a1 chnget \"bus\"\n  chnclear \"bus\"",
        "an audio channel",
    );
}

#[test]
fn a_nan_written_to_a_table_silences_the_writer_not_the_readers() {
    shared_state_case(
        "gitab ftgen 7, 0, 16, -2, 0",
        "  tablew sqrt(-1), 0, 7",
        "  k1 table 0, 7",
        "a table",
    );
    shared_state_case(
        "gitab ftgen 7, 0, 16, -2, 0",
        "  vmult 7, log(0), 4",
        "  k1 table 1, 7",
        "a table",
    );
}

#[test]
fn a_nan_global_variable_or_array_element_silences_the_writer() {
    shared_state_case(
        "giX init 0",
        "  giX = sqrt(-1)",
        "  k1 = giX",
        "a global variable",
    );
    shared_state_case(
        "gkA[] init 4",
        "  gkA[1] = sqrt(-1)",
        "  k1 = gkA[1]",
        "a global variable",
    );
}

#[test]
fn a_table_made_with_non_finite_values_is_refused_with_a_message() {
    let text = "<CsoundSynthesizer>\n<CsInstruments>\nsr = 48000\nksmps = 32\nnchnls = 1\n0dbfs = 1\n\
                instr 1\n  ix = log(0)\n  it ftgen 0, 0, 8, -2, 1, ix, 3\n  print it\nendin\n\
                </CsInstruments>\n<CsScore>\ni 1 0 0.1\n</CsScore>\n</CsoundSynthesizer>\n";
    let csd = Csd::parse("gen.csd", text.to_string()).expect("splits");
    let mut e = pipeline::prepare(&csd, &Options::default())
        .unwrap_or_else(|e| panic!("compiles: {e:?}"))
        .engine;
    let (_, errors) = render(&mut e);
    assert!(
        errors
            .iter()
            .any(|m| m.contains("not finite") && m.contains("GEN02")),
        "{errors:?}"
    );
}
