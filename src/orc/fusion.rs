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
use crate::opcodes::{OpcodeSpec, spatial};

/// One fusion: a call of `first` whose outputs are, in order, exactly the
/// inputs of an immediately following call of one of `second`, becomes one
/// call of `fused` with `first`'s inputs.
struct Fusion {
    first: &'static str,
    second: &'static [&'static str],
    fused: &'static OpcodeSpec,
}

const FUSIONS: &[Fusion] = &[Fusion {
    first: "pan2",
    second: &["outs", "out"],
    fused: &spatial::PAN2_OUTS,
}];

/// Fuse every pair of steps that a [`Fusion`] describes and that is safe to
/// fuse, adjusting jump targets for the steps removed.
pub fn fuse(steps: &mut Vec<StepTemplate>) {
    let mut i = 0;
    while i + 1 < steps.len() {
        if let Some(fused) = fusion_at(steps, i) {
            if let StepTemplate::Op { spec, outs, .. } = &mut steps[i] {
                *spec = fused;
                outs.clear();
            }
            steps.remove(i + 1);
            for step in steps.iter_mut() {
                if let StepTemplate::Jump { target, .. } = step
                    && *target > i + 1
                {
                    *target -= 1;
                }
            }
        }
        i += 1;
    }
}

/// The fused spec for steps `i` and `i + 1`, if they fuse: the first's
/// outputs are local variables that the second reads in order and that no
/// other step reads or writes, and no jump lands between the two.
fn fusion_at(steps: &[StepTemplate], i: usize) -> Option<&'static OpcodeSpec> {
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
        return None;
    };
    let fusion = FUSIONS
        .iter()
        .find(|f| f.first == first.name && f.second.contains(&second.name))?;
    let carried: Vec<Loc> = outs.iter().map(|(loc, _)| *loc).collect();
    let read: Vec<Loc> = second_ins.iter().map(|a| a.loc).collect();
    let distinct = carried
        .iter()
        .enumerate()
        .all(|(k, loc)| !carried[..k].contains(loc));
    if carried != read
        || !second_outs.is_empty()
        || !distinct
        || carried.iter().any(|loc| !matches!(loc, Loc::Local(_)))
        || first_ins.iter().any(|a| carried.contains(&a.loc))
    {
        return None;
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
            StepTemplate::Jump { target, .. } => *target == i + 1,
        }
    });
    (!elsewhere).then_some(fusion.fused)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::diag::SourceFile;
    use crate::engine::program::StepTemplate;
    use crate::orc::compiler::{RateOverrides, compile};

    /// The opcode names of instrument 1's steps ("jump N" for a jump to step N).
    fn steps_of(body: &str) -> Vec<String> {
        let text =
            format!("sr = 44100\nksmps = 8\nnchnls = 2\n0dbfs = 1\ninstr 1\n{body}\nendin\n");
        let source = Arc::new(SourceFile {
            name: "fusion.orc".into(),
            text,
        });
        let ast = crate::orc::parse(&source).expect("parses");
        let orc = compile(&ast, RateOverrides::default()).expect("compiles");
        orc.instruments[0]
            .steps
            .iter()
            .map(|s| match s {
                StepTemplate::Op { spec, .. } => spec.name.to_string(),
                StepTemplate::Jump { target, .. } => format!("jump {target}"),
            })
            .collect()
    }

    #[test]
    fn pan2_into_outs_fuses() {
        let steps = steps_of("asig oscili 0.5, 440\naL, aR pan2 asig, 0.3\nouts aL, aR");
        assert_eq!(steps, ["oscili", "pan2+outs"]);
        let steps = steps_of("asig oscili 0.5, 440\naL, aR pan2 asig, 0.3, 1\nout aL, aR");
        assert_eq!(steps, ["oscili", "pan2+outs"]);
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
        assert!(steps.contains(&"pan2+outs".to_string()), "{steps:?}");
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
