//! Opcode fusion: two adjacent calls whose connecting signals nobody else
//! touches become one opcode that makes one pass over the block.
//!
//! Each opcode writes its whole block to memory for the next one to read, so
//! `aL, aR pan2 asig, kpan` then `outs aL, aR` is three passes over the
//! samples (pan2 reads one buffer and writes two, outs reads them back and
//! adds them to the bus). When `aL` and `aR` exist only to carry the signal
//! from one call to the other, the fused opcode adds the panned samples to
//! the bus directly. It performs the same floating-point operations in the
//! same order, so the output is the same bit for bit; only the memory
//! traffic and one dispatch go.

use crate::engine::program::{Loc, StepTemplate};
use crate::opcodes::{OpcodeSpec, Rate, fused};

/// One fusion: a call of `first` whose audio outputs are, in order, the
/// first inputs of an immediately following call of one of `second`, and
/// go nowhere else, becomes one call of `fused`, whose inputs are
/// `first`'s followed by the rest of `second`'s.
struct Fusion {
    first: &'static str,
    second: &'static [&'static str],
    fused: &'static OpcodeSpec,
}

/// Applied in this order, each over the whole instrument, so that a later
/// row can take in what an earlier one made.
const FUSIONS: &[Fusion] = &[
    Fusion {
        first: "pan2",
        second: &["outs", "out"],
        fused: &fused::PAN2_OUTS,
    },
    Fusion {
        first: "oscili",
        second: &["pan2+outs"],
        fused: &fused::OSCILI_PAN2_OUTS,
    },
    Fusion {
        first: "poscil",
        second: &["pan2+outs"],
        fused: &fused::POSCIL_PAN2_OUTS,
    },
];

/// Fuse every pair of steps that a [`Fusion`] describes and that is safe to
/// fuse, adjusting jump targets for the steps removed.
pub fn fuse(steps: &mut Vec<StepTemplate>) {
    for fusion in FUSIONS {
        let mut i = 0;
        while i + 1 < steps.len() {
            if fuses(fusion, steps, i) {
                // `fuses` checked that both steps are opcode calls.
                if let (
                    StepTemplate::Op {
                        ins: rest, outs, ..
                    },
                    StepTemplate::Op {
                        spec,
                        ins,
                        outs: carried,
                        ..
                    },
                ) = (steps.remove(i + 1), &mut steps[i])
                {
                    *spec = fusion.fused;
                    ins.extend(rest.into_iter().skip(carried.len()));
                    *carried = outs;
                }
                for step in steps.iter_mut() {
                    if let Some(target) = step.target_mut()
                        && *target > i + 1
                    {
                        *target -= 1;
                    }
                }
            }
            i += 1;
        }
    }
}

/// Whether steps `i` and `i + 1` are `fusion`'s two calls and may fuse: the
/// first's outputs are audio variables of the instrument that the second
/// reads as its first inputs, in order, and that no other step (nor any
/// other input of the second) reads or writes; no jump lands between the two.
fn fuses(fusion: &Fusion, steps: &[StepTemplate], i: usize) -> bool {
    let (
        StepTemplate::Op {
            spec: first,
            ins: first_ins,
            outs,
            ..
        },
        StepTemplate::Op {
            spec: second,
            ins: second_ins,
            outs: second_outs,
            ..
        },
    ) = (&steps[i], &steps[i + 1])
    else {
        return false;
    };
    if first.name != fusion.first || !fusion.second.contains(&second.name) {
        return false;
    }
    let carried: Vec<Loc> = outs.iter().map(|(loc, _)| *loc).collect();
    let n = carried.len();
    let distinct = carried
        .iter()
        .enumerate()
        .all(|(k, loc)| !carried[..k].contains(loc));
    let fits = n > 0
        && second_ins.len() >= n
        && second_ins[..n]
            .iter()
            .map(|a| a.loc)
            .eq(carried.iter().copied())
        && !second_ins[n..].iter().any(|a| carried.contains(&a.loc))
        && second_outs.is_empty()
        && distinct
        && outs
            .iter()
            .all(|(loc, rate)| *rate == Rate::Audio && matches!(loc, Loc::Local(_)))
        && !first_ins.iter().any(|a| carried.contains(&a.loc));
    if !fits {
        return false;
    }
    let elsewhere = steps.iter().enumerate().any(|(k, step)| {
        if k == i || k == i + 1 {
            return false;
        }
        match step {
            StepTemplate::Op { ins, outs, .. } => {
                ins.iter().any(|a| carried.contains(&a.loc))
                    || outs.iter().any(|(loc, _)| carried.contains(loc))
            }
            StepTemplate::Jump { target, .. } | StepTemplate::Reinit { target, .. } => {
                *target == i + 1
            }
        }
    });
    !elsewhere
}

#[cfg(test)]
mod tests {
    use crate::engine::program::StepTemplate;

    /// The opcode names of instrument 1's steps ("jump N" for a jump to step N).
    fn steps_of(body: &str) -> Vec<String> {
        crate::orc::test_instrument(body, 8)
            .steps
            .iter()
            .map(|s| match s {
                StepTemplate::Op { spec, .. } => spec.name.to_string(),
                StepTemplate::Jump { target, .. } => format!("jump {target}"),
                StepTemplate::Reinit { kind, target } => format!("{kind:?} {target}"),
            })
            .collect()
    }

    #[test]
    fn pan2_into_outs_fuses_and_takes_in_the_oscillator() {
        let steps = steps_of("asig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nouts aL, aR");
        assert_eq!(steps, ["oscili+pan2+outs"]);
        let steps = steps_of("asig poscil 0.5, 440\naL, aR pan2 asig, 0.3, 1\nout aL, aR");
        assert_eq!(steps, ["poscil+pan2+outs"]);
        // Not an oscillator with a fused form: pan2 and outs still fuse.
        let steps = steps_of("asig oscil 0.5, 440\naL, aR pan2 asig, 0.3\nouts aL, aR");
        assert_eq!(steps, ["oscil", "pan2+outs"]);
        // The oscillator's signal is also read elsewhere: it stays apart.
        let steps =
            steps_of("asig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nouts aL, aR\naBoth = asig * 2");
        assert_eq!(steps[..2], ["oscili", "pan2+outs"]);
    }

    #[test]
    fn a_signal_read_elsewhere_is_not_fused() {
        let body = "asig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nouts aL, aR\naEcho = aL * 0.5";
        assert!(steps_of(body).contains(&"pan2".to_string()));
        let body = "asig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nouts aR, aL";
        assert!(steps_of(body).contains(&"pan2".to_string()));
        let body = "asig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nasig = asig * 2\nouts aL, aR";
        assert!(steps_of(body).contains(&"pan2".to_string()));
    }

    #[test]
    fn jumps_after_a_fusion_still_land_on_their_step() {
        let body = "kcount init 0\nasig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nouts aL, aR\n\
                    kcount = kcount + 1\nif kcount > 3 kgoto done\nkcount = 0\ndone:\nprintk2 kcount";
        let steps = steps_of(body);
        assert!(steps.contains(&"oscili+pan2+outs".to_string()), "{steps:?}");
        let printk2 = steps.iter().position(|s| s == "printk2").unwrap();
        let jumps: Vec<&String> = steps.iter().filter(|s| s.starts_with("jump")).collect();
        assert!(!jumps.is_empty(), "{steps:?}");
        // The `kgoto done` (the last jump) lands on `printk2`.
        assert_eq!(
            jumps.last().unwrap().as_str(),
            format!("jump {printk2}"),
            "{steps:?}"
        );
    }
}
