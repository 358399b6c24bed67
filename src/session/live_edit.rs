//! Editing the orchestra of a running performance: orchestra text from a
//! script or the console, one instrument's body, the CSD re-read (by hand or
//! on save). Everything is parsed and compiled here, on the control side;
//! the engine gets finished slots (see `engine::swap`). On any error nothing
//! changes. Global variables keep their cells and values (the new orchestra
//! shares the playing one's globals), tables and the score clock go on.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Result, anyhow};

use super::live_orchestra::{self, Merged};
use super::{Session, SwapMode};
use crate::csd::Csd;
use crate::diag::SourceFile;
use crate::engine::InstrSlot;
use crate::engine::context::MessageKind;
use crate::engine::driver::Command;
use crate::engine::program::Instance;
use crate::engine::swap::SwapOrder;
use crate::orc::ast::InstrId;
use crate::orc::compiler::{self, RateOverrides};

/// Ready voices built for each redefined instrument (the relay adds more
/// when the engine runs low: this is above its low-water mark).
const SWAP_VOICES: usize = 160;

/// What a swap changed, for the caller's message and measurements.
#[derive(Clone, Debug, Default)]
pub struct SwapReport {
    /// Instrument numbers given a new definition.
    pub redefined: Vec<i64>,
    /// Time spent parsing, compiling and building voices.
    pub compile_seconds: f64,
}

impl Session {
    /// Replace the whole orchestra with `text` (named `name` in errors).
    /// Notes playing finish on the old definitions; globals, tables and the
    /// score clock are kept. On errors, nothing changes.
    pub fn swap_orchestra(&mut self, name: &str, text: &str) -> Result<()> {
        let source = source_file(name, text);
        let ast = crate::orc::parse(&source).map_err(|d| anyhow!("{d}"))?;
        let redefined = ast.instruments.iter().flat_map(|d| d.ids.clone()).collect();
        let merged = Merged {
            ast,
            redefined,
            all: true,
        };
        self.install(name, merged, Some(SwapMode::Finish))
            .map(|_| ())
    }

    /// `orchestra(text)`: compile `text` into the running orchestra.
    /// Instruments with the number or name of a playing one redefine it,
    /// others are added; `mode` (or each instrument's own, see
    /// [`Session::set_swap_mode`]) says what happens to the notes of the
    /// redefined ones.
    pub fn compile_orchestra(
        &mut self,
        name: &str,
        text: &str,
        mode: Option<SwapMode>,
    ) -> Result<SwapReport> {
        let source = source_file(name, text);
        let new = crate::orc::parse(&source).map_err(|d| anyhow!("{d}"))?;
        let merged = live_orchestra::merge(&self.perf()?.source, &new, false);
        self.install(name, merged, mode)
    }

    /// `instr(id, body)`: define or redefine one instrument from its body
    /// (the lines between `instr` and `endin`). Errors point at the body.
    pub fn define_instr(
        &mut self,
        id: &str,
        body: &str,
        mode: Option<SwapMode>,
    ) -> Result<SwapReport> {
        let name = format!("instr {id}");
        let source = source_file(&name, &live_orchestra::instr_source(id, body));
        let in_body = |d| live_orchestra::in_body(d, &source, body);
        let new = crate::orc::parse(&source).map_err(|d| anyhow!("{}", in_body(d)))?;
        if new.instruments.len() != 1 || !new.global.is_empty() || !new.udos.is_empty() {
            return Err(anyhow!(
                "{name}: the body must hold one instrument's code, without instr/endin"
            ));
        }
        let merged = live_orchestra::merge(&self.perf()?.source, &new, false);
        self.install_with(&name, merged, mode, in_body)
    }

    /// Re-read the loaded CSD's orchestra and swap in the instruments whose
    /// text changed (errors as file:line:column in the CSD). What happens
    /// to their notes: `mode`, or each instrument's own.
    pub fn reload_orchestra_with(&mut self, mode: Option<SwapMode>) -> Result<SwapReport> {
        let path = self.perf()?.csd_path.clone();
        self.reload_orchestra_from(&path, mode)
    }

    /// Compile the orchestra of the CSD at `path` (saved in an editor) into
    /// the performance: the instruments whose text changed are redefined.
    pub fn reload_orchestra_from(
        &mut self,
        path: &std::path::Path,
        mode: Option<SwapMode>,
    ) -> Result<SwapReport> {
        let csd = Csd::read(path).map_err(|e| anyhow!("{e}"))?;
        let new = crate::orc::parse(&csd.orchestra).map_err(|d| anyhow!("{d}"))?;
        let merged = live_orchestra::merge(&self.perf()?.source, &new, true);
        if merged.redefined.is_empty() && !merged.all {
            return Ok(SwapReport::default());
        }
        let report = self.install(&path.display().to_string(), merged, mode)?;
        if let Some(p) = self.perf.as_mut()
            && p.csd_path == path
        {
            p.csd = csd;
        }
        Ok(report)
    }

    /// Re-read the loaded CSD's orchestra from disk and swap in what changed.
    pub fn reload_orchestra(&mut self) -> Result<()> {
        self.reload_orchestra_with(None).map(|_| ())
    }

    /// What happens to the sounding notes of instrument `instr` when it is
    /// redefined and the call does not say (the default: they finish).
    pub fn set_swap_mode(&mut self, instr: i64, mode: SwapMode) {
        self.swap_modes.insert(instr, mode);
    }

    /// The instrument number an `instr(...)` id names in the playing orchestra.
    pub fn instrument_number(&self, id: &str) -> Result<i64> {
        let perf = self.perf()?;
        match live_orchestra::instr_id(id) {
            InstrId::Number(n) if perf.orchestra.instrument(n).is_some() => Ok(n),
            InstrId::Name { name, .. } if perf.orchestra.names.contains_key(&name) => {
                Ok(perf.orchestra.names[&name])
            }
            _ => Err(anyhow!("instr {id} is not defined in this orchestra")),
        }
    }

    fn install(
        &mut self,
        name: &str,
        merged: Merged,
        mode: Option<SwapMode>,
    ) -> Result<SwapReport> {
        self.install_with(name, merged, mode, |d| d)
    }

    /// Compile `merged` as the playing orchestra's successor and hand it to
    /// the engine. `errors` rewrites diagnostics before they are reported.
    fn install_with(
        &mut self,
        name: &str,
        merged: Merged,
        mode: Option<SwapMode>,
        errors: impl Fn(crate::diag::Diagnostics) -> crate::diag::Diagnostics,
    ) -> Result<SwapReport> {
        let started = Instant::now();
        let channels = self.channels.clone();
        let modes = self.swap_modes.clone();
        let perf = self.perf_mut()?;
        let rates = perf.rates;
        let over = RateOverrides {
            sr: Some(rates.sr),
            kr: None,
            ksmps: Some(rates.ksmps),
            nchnls: Some(rates.nchnls),
            nchnls_i: Some(rates.nchnls_i),
        };
        let playing = perf.orchestra.clone();
        let mut orc = compiler::compile_into(&merged.ast, over, channels, Some(&playing))
            .map_err(|d| anyhow!("{}", errors(d)))?;
        // Which numbers the redefined ids have now.
        let redefined: HashSet<i64> = merged
            .redefined
            .iter()
            .filter_map(|id| match id {
                InstrId::Number(n) => Some(*n),
                InstrId::Name { name, .. } => orc.names.get(name).copied(),
            })
            .collect();
        let is_new = |number: i64| merged.all || redefined.contains(&number);
        // The instruments not redefined keep their compiled definition, so
        // that the engine leaves their notes and voices alone.
        {
            let o = Arc::get_mut(&mut orc).ok_or_else(|| anyhow!("orchestra shared"))?;
            for t in o.instruments.iter_mut() {
                if is_new(t.number) {
                    continue;
                }
                if let Some(old) = playing.instrument(t.number)
                    && old.name == t.name
                {
                    *t = old.clone();
                }
            }
        }
        let mut slots = Vec::with_capacity(orc.instruments.len());
        let mut modes_of = Vec::with_capacity(orc.instruments.len());
        let mut report = SwapReport::default();
        for t in &orc.instruments {
            let mut slot = InstrSlot::new(t.clone());
            let reused = playing
                .instrument(t.number)
                .is_some_and(|old| Arc::ptr_eq(old, t));
            if !reused {
                report.redefined.push(t.number);
                for _ in 0..SWAP_VOICES {
                    slot.spare
                        .push(Box::new(Instance::build(t, &orc).map_err(|e| anyhow!(e))?));
                }
            }
            slots.push(slot);
            modes_of.push(
                mode.or_else(|| modes.get(&t.number).copied())
                    .unwrap_or_default(),
            );
        }
        report.compile_seconds = started.elapsed().as_secs_f64();
        let order = SwapOrder {
            slots,
            modes: modes_of,
            orchestra: orc.clone(),
        };
        perf.send(Command::Swap(Box::new(order)))?;
        perf.orchestra = orc.clone();
        perf.source = merged.ast;
        perf.relay.set_orchestra(orc);
        let what = match report.redefined.as_slice() {
            [] => "nothing redefined".to_string(),
            list => {
                let list: Vec<String> = list.iter().map(|n| n.to_string()).collect();
                format!("instr {} (re)defined", list.join(", "))
            }
        };
        self.say(
            MessageKind::Info,
            format!("orchestra swapped in from {name}: {what}"),
        );
        Ok(report)
    }
}

fn source_file(name: &str, text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        name: name.to_string(),
        text: text.to_string(),
    })
}
