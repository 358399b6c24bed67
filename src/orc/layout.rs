//! Memory layout of an instance: after fusion, the scalar cells are packed
//! at the front and the audio buffers follow; buffers no step touches any
//! more are dropped.
//!
//! The compiler hands out cells in the order the source names them, so a
//! voice's p-fields, constants and control variables end up scattered
//! between its 32-sample audio buffers, and fusion leaves buffers that
//! nothing reads or writes (`asig` and `aL, aR` of an oscillator fused into
//! `pan2` and `outs`). A block of a note touches its scalars and few of its
//! buffers, so packing the scalars into the first cache lines and dropping
//! the dead buffers shrinks what thousands of notes keep in the cache
//! (csd/voices1000.csd: 872 bytes of memory a note before, 104 after).
//! The values and the code are the same; only cell numbers change.

use crate::engine::program::{Loc, StepTemplate};

/// Lay out `initial` (the memory image) anew and renumber the local cells
/// that `steps` name. `audio` holds the first cell of every audio buffer
/// (each `ksmps` long), in any order; every other cell is a scalar, an
/// array's cells included (an array is a run of scalars that moves as one).
/// The p-fields, first in memory, keep their cells.
pub fn pack(steps: &mut [StepTemplate], initial: &mut Vec<f64>, audio: &[usize], ksmps: usize) {
    let len = initial.len();
    let mut is_buffer_start = vec![false; len];
    let mut in_buffer = vec![false; len];
    for &start in audio {
        if start + ksmps > len {
            return; // Not a layout this pass understands: leave it as is.
        }
        is_buffer_start[start] = true;
        in_buffer[start..start + ksmps].fill(true);
    }
    let mut used = vec![false; len];
    let mut valid = true;
    for_each_local(steps, |i| {
        if *i >= len || (in_buffer[*i] && !is_buffer_start[*i]) {
            valid = false; // A handle into the middle of a buffer: keep the layout.
        } else {
            used[*i] = true;
        }
    });
    if !valid {
        return;
    }

    const DROPPED: usize = usize::MAX;
    let mut new_index = vec![DROPPED; len];
    let mut packed = Vec::with_capacity(len);
    for i in (0..len).filter(|&i| !in_buffer[i]) {
        new_index[i] = packed.len();
        packed.push(initial[i]);
    }
    for i in (0..len).filter(|&i| is_buffer_start[i] && used[i]) {
        new_index[i] = packed.len();
        packed.extend_from_slice(&initial[i..i + ksmps]);
    }
    for_each_local(steps, |i| *i = new_index[*i]);
    *initial = packed;
}

/// Call `f` on every local cell number the steps name (inputs, outputs and
/// jump conditions).
fn for_each_local(steps: &mut [StepTemplate], mut f: impl FnMut(&mut usize)) {
    for step in steps {
        match step {
            StepTemplate::Op { ins, outs, .. } => {
                let ins = ins.iter_mut().map(|a| &mut a.loc);
                for loc in ins.chain(outs.iter_mut().map(|(loc, _)| loc)) {
                    if let Loc::Local(i) = loc {
                        f(i);
                    }
                }
            }
            StepTemplate::Jump { cond, .. } => {
                if let Some(Loc::Local(i)) = cond {
                    f(i);
                }
            }
            StepTemplate::Reinit { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diag::{Pos, SourceFile};
    use crate::engine::program::{ArgTemplate, InstrTemplate};
    use crate::opcodes::Rate;

    /// Instrument 1 of an orchestra with `ksmps = 16` and `body`.
    fn instrument(body: &str) -> Arc<InstrTemplate> {
        crate::orc::test_instrument(body, 16)
    }

    /// The local cells the steps name, in step order.
    fn locals(template: &InstrTemplate) -> Vec<usize> {
        let mut steps = template.steps.clone();
        let mut cells = Vec::new();
        for_each_local(&mut steps, |i| cells.push(*i));
        cells
    }

    #[test]
    fn a_fused_voice_keeps_only_its_scalars() {
        // asig, aL and aR carry nothing once fused: no buffer is left.
        let voice = instrument(
            "kenv linen p4, 0.1, p3, 0.1\nasig oscili kenv, 440, -1\n\
             aL, aR pan2 asig, 0.5\nouts aL, aR",
        );
        assert!(voice.initial.len() < 16, "{} cells", voice.initial.len());
        assert!(locals(&voice).iter().all(|&i| i < voice.initial.len()));
    }

    #[test]
    fn scalars_come_before_the_buffers_that_stay() {
        let t = instrument(
            "asig oscili 0.5, 440, -1\nkamp = 0.25\naout = asig * kamp\nouts aout, aout",
        );
        let ksmps = 16;
        let buffers = 2; // asig and aout
        let scalars = t.initial.len() - buffers * ksmps;
        let cells = locals(&t);
        // Every audio handle points past the scalars, at a buffer's start.
        for step in &t.steps {
            if let StepTemplate::Op { ins, outs, .. } = step {
                let audio_ins = ins.iter().filter(|a| a.rate == Rate::Audio).map(|a| a.loc);
                let audio_outs = outs.iter().filter(|o| o.1 == Rate::Audio).map(|o| o.0);
                for loc in audio_ins.chain(audio_outs) {
                    let Loc::Local(i) = loc else { continue };
                    assert!(
                        i >= scalars && (i - scalars).is_multiple_of(ksmps),
                        "cell {i}"
                    );
                }
            }
        }
        assert!(cells.contains(&(t.initial.len() - ksmps)));
        // The constants kept their values in their new cells.
        assert!(t.initial[..scalars].contains(&0.25));
    }

    #[test]
    fn a_handle_inside_a_buffer_leaves_the_layout_alone() {
        let file = Arc::new(SourceFile {
            name: "t.orc".into(),
            text: String::new(),
        });
        let spec = crate::opcodes::registry()
            .iter()
            .find(|s| s.name == "oscili")
            .expect("oscili");
        let arg = ArgTemplate {
            loc: Loc::Local(5),
            rate: Rate::Control,
            constant: None,
            text: None,
            label: None,
        };
        let mut steps = vec![StepTemplate::Op {
            spec,
            ins: vec![arg],
            outs: vec![],
            pos: Pos::new(&file, 1, 1),
        }];
        let mut initial = vec![0.0; 8];
        pack(&mut steps, &mut initial, &[4], 4);
        assert_eq!(initial.len(), 8);
        let mut cells = Vec::new();
        for_each_local(&mut steps, |i| cells.push(*i));
        assert_eq!(cells, [5]);
    }
}
