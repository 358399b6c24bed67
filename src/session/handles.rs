//! Note handles on the control side: a note started through a handle gets a
//! number no other note of the session has, carried with its event to the
//! engine; `set`, `automate` and `release` name it by that number (the
//! engine finds it among its instrument's notes, see `engine::steer`), and
//! the engine's news of its start and end say whether it still plays.

use anyhow::{Result, anyhow, bail};

use super::relay::lock;
use super::{EventKind, Session};
use crate::engine::driver::Command;
use crate::engine::events::MAX_LIVE_PFIELDS;
use crate::engine::steer::{MAX_BREAKPOINTS, SteerAction};

/// A running (or scheduled) note a script can steer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoteRef {
    /// The session's number for the note (never reused).
    pub handle: u64,
    /// Its instrument.
    pub instr: i64,
    /// Its p1 as sent (with any fraction).
    pub p1: f64,
}

impl std::fmt::Display for NoteRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "note {} of instr {}", self.handle, self.p1)
    }
}

/// Where a handled note is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteLife {
    /// Sent; the engine has not started it yet.
    Scheduled,
    Playing,
    /// Ended (or never started: its instrument was muted, it failed).
    Ended,
}

impl Session {
    /// Play a note (as [`Session::note`]) and return a handle to it.
    pub fn note_handle(&mut self, pfields: &[f64], absolute: bool) -> Result<NoteRef> {
        let p1 = pfields.first().copied().unwrap_or(0.0);
        if p1 <= 0.0 {
            bail!("a note with a handle needs a positive p1 (got {p1})");
        }
        let handle = self.last_handle + 1;
        // Known before it is sent: the engine's news of it may come at once.
        let notes = self.perf()?.relay.clone();
        lock(&notes.notes).insert(handle, NoteLife::Scheduled);
        if let Err(e) = self.send_event(EventKind::Note, pfields, absolute, handle) {
            lock(&notes.notes).remove(&handle);
            return Err(e);
        }
        self.last_handle = handle;
        Ok(NoteRef {
            handle,
            instr: p1.trunc() as i64,
            p1,
        })
    }

    /// Where the note of `note` is in its life.
    pub fn note_life(&self, note: &NoteRef) -> NoteLife {
        let Some(perf) = self.perf.as_ref() else {
            return NoteLife::Ended;
        };
        lock(&perf.relay.notes)
            .get(&note.handle)
            .copied()
            .unwrap_or(NoteLife::Ended)
    }

    /// Set p-field `field` (p1 is 1) of the note, from the next block.
    pub fn note_set(&mut self, note: &NoteRef, field: usize, value: f64) -> Result<()> {
        check_field(field)?;
        if !value.is_finite() {
            bail!("p{field} must be a finite number");
        }
        self.steer(note, SteerAction::Set { field, value })
    }

    /// Ramp p-field `field` through `points` (t0, v0, t1, v1, ...; times
    /// in beats from now, rising).
    pub fn note_automate(&mut self, note: &NoteRef, field: usize, points: &[f64]) -> Result<()> {
        check_field(field)?;
        if points.len() < 2 || !points.len().is_multiple_of(2) {
            bail!("automate needs time, value pairs: [t0, v0, t1, v1, ...]");
        }
        if points.len() > MAX_LIVE_PFIELDS {
            bail!("automate takes at most {MAX_BREAKPOINTS} breakpoints");
        }
        if let Some(bad) = points.iter().position(|p| !p.is_finite()) {
            bail!("breakpoint value {bad} is not a finite number");
        }
        let times: Vec<f64> = points.iter().step_by(2).copied().collect();
        if times[0] < 0.0 || times.windows(2).any(|w| w[1] < w[0]) {
            bail!("automate's times must be >= 0 and rising: {times:?}");
        }
        let mut fixed = [0.0; MAX_LIVE_PFIELDS];
        fixed[..points.len()].copy_from_slice(points);
        self.steer(
            note,
            SteerAction::Automate {
                field,
                points: fixed,
                count: points.len(),
            },
        )
    }

    /// End the note with its release segment (a short fade without one).
    pub fn note_release(&mut self, note: &NoteRef) -> Result<()> {
        self.steer(note, SteerAction::Release)
    }

    fn steer(&mut self, note: &NoteRef, action: SteerAction) -> Result<()> {
        if self.note_life(note) == NoteLife::Ended {
            bail!("{note} has ended: its handle steers nothing");
        }
        let perf = self.perf_mut()?;
        perf.send(Command::Steer {
            handle: note.handle,
            instr: note.instr,
            action,
        })
        .map_err(|e| anyhow!("{note}: {e}"))
    }
}

fn check_field(field: usize) -> Result<()> {
    if !(4..=MAX_LIVE_PFIELDS).contains(&field) {
        bail!(
            "p{field} cannot be steered: p4 to p{MAX_LIVE_PFIELDS} can (p1 to p3 say which note, when and how long)"
        );
    }
    Ok(())
}
