//! The engine on its own, with a toy opcode instead of the opcode library:
//! what it asks of an opcode is [`super::opcode`], nothing more.

use std::collections::HashMap;
use std::sync::Arc;

use super::Engine;
use super::channels::Channels;
use super::context::{Ctx, Failed, Rates};
use super::events::{Action, TimedAction, Timeline};
use super::opcode::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use super::program::{ArgTemplate, InstrTemplate, Loc, Orchestra, StepTemplate};
use super::signal::{Input, Memory};
use super::table::TableStore;
use crate::diag::{Pos, SourceFile};

/// `toy ivalue`: adds `ivalue` to every sample of channel 1.
struct Toy {
    value: Input,
    ksmps: usize,
}

impl Opcode for Toy {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let nchnls = ctx.rates.nchnls;
        for i in 0..self.ksmps {
            ctx.spout[i * nchnls] += self.value.get();
        }
        Ok(())
    }
}

fn build_toy(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Toy {
        value: a.input(0),
        ksmps: a.ksmps,
    })
}

static TOY: OpcodeSpec = spec("toy", "", "i", Pass::Perf, build_toy, "a toy");

fn rates() -> Rates {
    Rates {
        sr: 1000.0,
        kr: 100.0,
        ksmps: 10,
        nchnls: 2,
        nchnls_i: 2,
        zero_dbfs: 1.0,
        a4: 440.0,
    }
}

fn template(number: i64, steps: Vec<StepTemplate>) -> Arc<InstrTemplate> {
    Arc::new(InstrTemplate {
        number,
        name: None,
        // p0 .. p4
        initial: vec![0.0; 5],
        pfield_cells: 5,
        steps,
        ksmps: rates().ksmps,
        pos: None,
        parallel: false,
    })
}

/// Instrument 1 plays `toy p4`; the score plays `notes` (start, p4) of 1 s.
fn engine(notes: &[(f64, f64)]) -> Engine {
    let toy = StepTemplate::Op {
        spec: &TOY,
        ins: vec![ArgTemplate {
            loc: Loc::Local(4),
            rate: Rate::Init,
            constant: None,
            text: None,
            label: None,
        }],
        outs: Vec::new(),
        pos: Pos::new(
            &Arc::new(SourceFile {
                name: "toy".into(),
                text: "toy p4".into(),
            }),
            1,
            1,
        ),
    };
    let orc = Arc::new(Orchestra {
        rates: rates(),
        globals: Arc::new(Memory::new(&[0.0])),
        global_layout: Default::default(),
        signal_globals: Vec::new(),
        instr0: template(0, Vec::new()),
        instruments: vec![template(1, vec![toy])],
        names: HashMap::new(),
        channels: Arc::new(Channels::default()),
        source_dir: None,
    });
    let mut timeline = Timeline {
        items: Vec::new(),
        pfields: Vec::new(),
        end_time: None,
        tempo: Default::default(),
    };
    for &(start, p4) in notes {
        let at = timeline.pfields.len();
        timeline.pfields.extend([1.0, start, 1.0, p4]);
        timeline.items.push(TimedAction {
            time: start,
            action: Action::Note { start: at, len: 4 },
        });
    }
    Engine::new(orc, TableStore::default(), Arc::new(timeline))
}

#[test]
fn a_note_of_a_toy_opcode_reaches_the_output() {
    let mut engine = engine(&[(0.0, 0.25)]);
    assert!(engine.perform_block());
    assert_eq!(engine.active_notes(), 1);
    let left: Vec<f64> = engine.spout.iter().step_by(2).copied().collect();
    let right: Vec<f64> = engine.spout.iter().skip(1).step_by(2).copied().collect();
    assert_eq!(left, vec![0.25; 10]);
    assert_eq!(right, vec![0.0; 10]);
}

#[test]
fn notes_start_at_their_block_and_sum() {
    // The second note starts at 0.05 s: block 5 of 10 ms blocks.
    let mut engine = engine(&[(0.0, 0.25), (0.05, 0.5)]);
    for _ in 0..5 {
        engine.perform_block();
        assert_eq!(engine.spout[0], 0.25);
    }
    engine.perform_block();
    assert_eq!(engine.active_notes(), 2);
    assert_eq!(engine.spout[0], 0.75);
}

#[test]
fn notes_end_after_their_duration() {
    let mut engine = engine(&[(0.0, 1.0)]);
    // 1 s is 100 blocks.
    for _ in 0..100 {
        engine.perform_block();
    }
    assert_eq!(engine.spout[0], 1.0);
    engine.perform_block();
    assert_eq!(engine.active_notes(), 0);
    assert_eq!(engine.spout[0], 0.0);
}
