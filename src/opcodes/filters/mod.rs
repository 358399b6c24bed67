//! Filters: one-pole `tone`/`atone`, the resonators `reson`/`areson`, the
//! Butterworth sections (`butterlp`/`butterhp`/`butterbp`/`butterbr` and
//! their `butlp`... aliases), the ladder filters `moogladder`/`moogvcf`/
//! `moogvcf2`, `lowpass2`, Mikelson's `lowres`/`lowresx`, the `hilbert`
//! transformer, the control-rate smoothers `port`/`portk`, and the stacks
//! `tonex`/`atonex`/`resonx` (several identical sections in series).
//!
//! Each filter keeps its state in `f64` and follows Csound 6.18's difference
//! equations term by term, so renders agree sample for sample. Coefficients
//! are recomputed only when a control input changed since the last block
//! (a NaN "previous value" forces the first computation); audio-rate
//! controls are checked sample by sample. An `iskip`/`istor` argument that is
//! not zero keeps the state of the previous note (tied or reused instances).

mod butterworth;
mod hilbert;
mod lowpass;
mod moog;
mod port;
mod tone;

use butterworth::*;
use hilbert::*;
use lowpass::*;
use moog::*;
use port::*;
use tone::*;

use std::f64::consts::{PI, SQRT_2, TAU};

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};

/// The one-pole feedback coefficient for a half-power point of `hz`
/// (`c2` of `tone`/`atone`/`balance`): `b = 2 - cos(2 pi hz / sr)`,
/// `c2 = b - sqrt(b^2 - 1)`.
pub(crate) fn one_pole_c2(hz: f64, sr: f64) -> f64 {
    let b = 2.0 - (hz * (TAU / sr)).cos();
    b - (b * b - 1.0).sqrt()
}

/// Values per block: `ksmps` for an audio output, 1 for the control-rate
/// forms (`tonek`, `resonk`, ...).
fn block_or_one(a: &Args) -> usize {
    if a.out_rate(0) == super::Rate::Control {
        1
    } else {
        a.ksmps
    }
}

/// The rate a filter runs at: sr, or kr for the control-rate forms (the
/// same when ksmps is 1).
fn tick_rate(ctx: &Ctx, samples: usize) -> f64 {
    if samples == 1 {
        ctx.rates.kr
    } else {
        ctx.rates.sr
    }
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "tonex",
        "a",
        "axoo",
        Pass::Both,
        |a| build_tonex(a, false),
        "a stack of inumlayer (default 4) tone low-pass sections",
    ),
    spec(
        "atonex",
        "a",
        "axoo",
        Pass::Both,
        |a| build_tonex(a, true),
        "a stack of inumlayer (default 4) atone high-pass sections",
    ),
    spec(
        "resonx",
        "a",
        "axxooo",
        Pass::Both,
        build_resonx,
        "a stack of inumlayer (default 4) reson band-pass sections",
    ),
    spec(
        "tone",
        "a",
        "ako",
        Pass::Both,
        |a| build_tone(a, false),
        "first-order low-pass filter with its half-power point at khp Hz",
    ),
    spec(
        "atone",
        "a",
        "ako",
        Pass::Both,
        |a| build_tone(a, true),
        "first-order high-pass filter, the complement of tone",
    ),
    spec(
        "reson",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_reson(a, false),
        "second-order resonant band-pass filter at xcf Hz with bandwidth xbw Hz",
    ),
    spec(
        "areson",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_reson(a, true),
        "band-reject filter: the input minus reson's response",
    ),
    spec(
        "tonek",
        "k",
        "kko",
        Pass::Both,
        |a| build_tone(a, false),
        "first-order low-pass filter of a control signal (tone at k-rate)",
    ),
    spec(
        "atonek",
        "k",
        "kko",
        Pass::Both,
        |a| build_tone(a, true),
        "first-order high-pass filter of a control signal (atone at k-rate)",
    ),
    // csound 6.18's resonk/aresonk scale as iscl 1 when iscl is left out
    // (measured), though the manual gives 0 as the default.
    spec(
        "resonk",
        "k",
        "kkkpo",
        Pass::Both,
        |a| build_reson(a, false),
        "second-order resonant filter of a control signal (reson at k-rate)",
    ),
    spec(
        "aresonk",
        "k",
        "kkkpo",
        Pass::Both,
        |a| build_reson(a, true),
        "band-reject filter of a control signal (areson at k-rate)",
    ),
    spec(
        "butterlp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::Low),
        "second-order Butterworth low-pass filter",
    ),
    spec(
        "butlp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::Low),
        "second-order Butterworth low-pass filter (alias of butterlp)",
    ),
    spec(
        "butterhp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::High),
        "second-order Butterworth high-pass filter",
    ),
    spec(
        "buthp",
        "a",
        "axo",
        Pass::Both,
        |a| build_butter(a, Butter::High),
        "second-order Butterworth high-pass filter (alias of butterhp)",
    ),
    spec(
        "butterbp",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Band),
        "second-order Butterworth band-pass filter at xfreq Hz, xband Hz wide",
    ),
    spec(
        "butbp",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Band),
        "second-order Butterworth band-pass filter (alias of butterbp)",
    ),
    spec(
        "butterbr",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Reject),
        "second-order Butterworth band-reject filter at xfreq Hz, xband Hz wide",
    ),
    spec(
        "butbr",
        "a",
        "axxo",
        Pass::Both,
        |a| build_butter(a, Butter::Reject),
        "second-order Butterworth band-reject filter (alias of butterbr)",
    ),
    spec(
        "moogladder",
        "a",
        "axxo",
        Pass::Both,
        build_moogladder,
        "Huovilainen's non-linear Moog ladder low-pass with resonance 0 to 1",
    ),
    spec(
        "moogvcf",
        "a",
        "axxpo",
        Pass::Both,
        build_moogvcf,
        "Stilson and Smith's Moog ladder low-pass; self-oscillates near xres 1",
    ),
    spec(
        "moogvcf2",
        "a",
        "axxoo",
        Pass::Both,
        build_moogvcf,
        "moogvcf whose iscale defaults to 0dbfs",
    ),
    spec(
        "hilbert",
        "aa",
        "a",
        Pass::Both,
        build_hilbert,
        "IIR Hilbert transformer: two outputs 90 degrees apart (cosine, sine)",
    ),
    spec(
        "lowres",
        "a",
        "axxo",
        Pass::Both,
        |a| build_lowres(a, false),
        "Mikelson's two-pole resonant low-pass (cutoff not in Hz)",
    ),
    spec(
        "lowresx",
        "a",
        "axxoo",
        Pass::Both,
        |a| build_lowres(a, true),
        "inumlayer (default 4) lowres filters in series, for a steeper slope",
    ),
    spec(
        "lowpass2",
        "a",
        "akko",
        Pass::Both,
        build_lowpass2,
        "resonant second-order low-pass filter with cutoff kcf Hz and quality kq",
    ),
    spec(
        "port",
        "k",
        "kio",
        Pass::Both,
        build_port,
        "portamento: a control signal glides halfway to its input every ihtim seconds",
    ),
    spec(
        "portk",
        "k",
        "kko",
        Pass::Both,
        build_port,
        "portamento with a control-rate half-time khtim",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::envelopes::harness::{In, find, rig};

    #[test]
    fn tone_settles_on_dc_and_atone_removes_it() {
        let dc = || In::A(vec![0.5; 10]);
        let low = rig(
            find("tone", "a", "ako"),
            &[dc(), In::K(50.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(100, 0);
        assert!((low.last().unwrap() - 0.5).abs() < 1e-6);
        let high = rig(
            find("atone", "a", "ako"),
            &[dc(), In::K(50.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(100, 0);
        assert!(high.last().unwrap().abs() < 1e-6);
    }

    #[test]
    fn reson_rejects_an_unknown_scaling_mode() {
        let spec = find("reson", "a", "axxoo");
        let ins = [
            In::A(vec![0.0; 10]),
            In::K(100.0),
            In::K(10.0),
            In::K(3.0),
            In::K(0.0),
        ];
        let mut r = rig(spec, &ins, "a", 1000.0, 10);
        assert!(!r.init());
        assert!(format!("{:?}", r.messages.drain().next()).contains("reson: illegal iscl value 3"));
    }

    #[test]
    fn butterlp_with_zero_cutoff_is_silent_and_butterhp_passes() {
        let x = || In::A((0..10).map(|i| i as f64).collect());
        let lp = rig(
            find("butterlp", "a", "axo"),
            &[x(), In::K(0.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(1, 0);
        assert_eq!(lp, vec![0.0; 10]);
        let hp = rig(
            find("butterhp", "a", "axo"),
            &[x(), In::K(0.0), In::K(0.0)],
            "a",
            1000.0,
            10,
        )
        .run(1, 0);
        assert_eq!(hp, (0..10).map(|i| i as f64).collect::<Vec<_>>());
    }
}
