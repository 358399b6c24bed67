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
    let mut left = Vec::new();
    let mut errors = Vec::new();
    while engine.perform_block() {
        left.extend(engine.spout.chunks_exact(2).map(|f| f[0]));
        for m in engine.messages.drain() {
            if m.kind == MessageKind::Error {
                errors.push(m.text.as_str().to_string());
            }
        }
    }
    (left, errors)
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
