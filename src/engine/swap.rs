//! Putting new instrument definitions in place while notes sound. Each new
//! definition says what happens to the notes of the one it replaces
//! ([`SwapMode`]): they finish on the old definition, move to the new one
//! through a crossfade (old and new side by side for its length), or are
//! released. Instruments that were not redefined keep their slot, notes
//! and voices as they are.
//!
//! On the audio thread: the slots arrive built (voices included), the lists
//! they hold were allocated with room for every voice, and the moved notes
//! take ready voices of the new definition; nothing allocates.

use std::sync::Arc;

use super::Engine;
use super::InstrSlot;
use super::context::NoteState;
use super::events::MAX_LIVE_PFIELDS;
use super::program::Orchestra;
use super::steer::{Fade, release_note};

/// What happens to the notes of an instrument when it is redefined.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum SwapMode {
    /// They play on with the old definition until they end (the default).
    #[default]
    Finish,
    /// Each moves to the new definition (a new note with its p-fields and
    /// the time it has left), the old fading out while the new fades in
    /// over this many seconds.
    Crossfade(f64),
    /// They are released: their release segment, or a short fade.
    Release,
}

/// A new orchestra for the engine: its slots (in instrument order, each
/// with the [`SwapMode`] for the notes of the definition it replaces) and
/// the orchestra they come from.
pub struct SwapOrder {
    pub slots: Vec<InstrSlot>,
    pub modes: Vec<SwapMode>,
    pub orchestra: Arc<Orchestra>,
}

impl Engine {
    /// Put new instrument definitions in place (see [`SwapMode`]). Returns
    /// what the engine let go of (the old slots that have nothing playing,
    /// the old orchestra) to drop elsewhere.
    pub fn swap_instruments(&mut self, mut order: Box<SwapOrder>) -> Box<SwapOrder> {
        std::mem::swap(&mut self.instruments, &mut order.slots);
        std::mem::swap(&mut self.orchestra, &mut order.orchestra);
        let sr = self.rates.sr;
        let old = &mut order.slots;
        for index in 0..self.instruments.len() {
            let number = self.instruments[index].template.number;
            let Some(o) = old.iter().position(|s| s.template.number == number) else {
                continue;
            };
            self.instruments[index].muted = old[o].muted;
            if Arc::ptr_eq(&self.instruments[index].template, &old[o].template) {
                // Not redefined: the slot goes on as it was.
                let slot = &mut self.instruments[index];
                std::mem::swap(&mut slot.active, &mut old[o].active);
                std::mem::swap(&mut slot.spare, &mut old[o].spare);
                slot.starved = old[o].starved;
                continue;
            }
            match order.modes.get(index).copied().unwrap_or_default() {
                SwapMode::Finish => {}
                SwapMode::Release => {
                    for note in old[o].active.iter_mut() {
                        release_note(&mut note.note, sr);
                        note.note.handle = 0;
                    }
                }
                SwapMode::Crossfade(seconds) => {
                    for k in 0..old[o].active.len() {
                        let moved = {
                            let note = &mut old[o].active[k];
                            if note.note.releasing || note.note.fade.step < 0.0 {
                                continue;
                            }
                            let state = note.note;
                            note.note.fade = Fade::fade_out(seconds, sr);
                            note.note.handle = 0;
                            let mut p = [0.0; MAX_LIVE_PFIELDS];
                            let n = note.pfields_into(&mut p);
                            (p, n, state)
                        };
                        self.move_note(index, &moved.0[..moved.1], moved.2, seconds);
                    }
                }
            }
        }
        // Old definitions with notes sounding play them out.
        for i in (0..old.len()).rev() {
            if !old[i].active.is_empty() && self.old_slots.len() < self.old_slots.capacity() {
                // Its ready voices stay with it: its notes go back to that
                // list when they end (a list taken away would have to grow
                // on this thread). All of it is retired together.
                let slot = old.swap_remove(i);
                self.old_slots.push(slot);
            }
        }
        order
    }

    /// Start a note of slot `index` (the new definition) that takes over
    /// from an old note: its p-fields, the time it had left, its handle,
    /// fading in over `seconds`.
    fn move_note(&mut self, index: usize, pfields: &[f64], old: NoteState, seconds: f64) {
        let Some(mut instance) = self.take_instance(index) else {
            return;
        };
        let note = NoteState {
            p1: old.p1,
            instr: old.instr,
            p3: old.p3,
            blocks_left: old.blocks_left,
            handle: old.handle,
            fade: Fade::fade_in(seconds, self.rates.sr),
            ..NoteState::default()
        };
        instance.start(pfields, note);
        let ok = self.init_instance(&mut instance);
        // Its remaining time, not p3 again from now.
        instance.note.blocks_left = old.blocks_left;
        let slot = &mut self.instruments[index];
        if ok {
            slot.active.push(instance);
        } else {
            slot.spare.push(instance);
        }
    }
}
