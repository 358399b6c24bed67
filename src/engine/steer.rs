//! Steering notes that sound: a script's note handle names one running note
//! (by the number the host gave it, carried in its [`NoteState`]), and the
//! engine sets one of its p-fields, ramps it along breakpoints on the
//! engine's clock, releases it, or fades its output in or out (a crossfade
//! to a redefined instrument, a release without a release segment).
//!
//! All of it runs on the audio thread: the automations live in a list
//! allocated at the start, a note is found by a scan of its instrument's
//! notes, nothing allocates, locks or waits.

use super::context::{MessageKind, NoteState};
use super::events::MAX_LIVE_PFIELDS;
use super::program::{Instance, Outcome};
use super::{Engine, InstrSlot};

/// Ramps running at once, at most (a new one beyond is refused with a message).
pub const MAX_AUTOMATIONS: usize = 1024;
/// Breakpoints of one automation, at most (time, value pairs).
pub const MAX_BREAKPOINTS: usize = MAX_LIVE_PFIELDS / 2;
/// How long a note without a release segment takes to fade out when it is
/// released (by its handle, or by a swap that releases): short enough to be
/// heard as an ending, long enough not to click.
pub const RELEASE_FADE_SECONDS: f64 = 0.01;

/// What to do to one note.
// Inline, not boxed: actions travel to the audio thread in a pre-sized
// queue, and a box would be freed there.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug)]
pub enum SteerAction {
    /// Write p-field `field` (p1 is 1) from the next block.
    Set { field: usize, value: f64 },
    /// Ramp p-field `field` linearly through `points` (time, value pairs;
    /// times in seconds of score time from when the engine takes it).
    Automate {
        field: usize,
        points: [f64; MAX_LIVE_PFIELDS],
        count: usize,
    },
    /// End the note with its release segment (or a short fade without one).
    Release,
}

/// A ramp in progress.
#[derive(Clone, Copy, Debug)]
pub struct Automation {
    handle: u64,
    instr: i64,
    field: usize,
    /// Score time (seconds) the breakpoints' times count from.
    start: f64,
    points: [f64; MAX_LIVE_PFIELDS],
    count: usize,
}

impl Automation {
    /// The ramp's value at score time `now`, and whether it is over.
    fn value_at(&self, now: f64) -> (f64, bool) {
        let t = now - self.start;
        let pairs = self.count / 2;
        let point = |i: usize| (self.points[2 * i], self.points[2 * i + 1]);
        if pairs == 0 {
            return (0.0, true);
        }
        let (t0, v0) = point(0);
        if t <= t0 {
            return (v0, false);
        }
        for i in 1..pairs {
            let (t1, v1) = point(i);
            let (ta, va) = point(i - 1);
            if t < t1 {
                let span = t1 - ta;
                let x = if span > 0.0 { (t - ta) / span } else { 1.0 };
                return (va + (v1 - va) * x, false);
            }
        }
        (point(pairs - 1).1, true)
    }
}

/// A gain ramp on a note's output: `step` per sample, 0 when none runs.
/// Fading in it rises from 0 to 1 and stops there; fading out it falls to
/// 0 and the note ends.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fade {
    pub gain: f64,
    pub step: f64,
}

impl Fade {
    /// From silence to full over `seconds` at `sr`.
    pub fn fade_in(seconds: f64, sr: f64) -> Fade {
        Fade {
            gain: 0.0,
            step: 1.0 / (seconds * sr).max(1.0),
        }
    }

    /// From full to silence over `seconds` at `sr`.
    pub fn fade_out(seconds: f64, sr: f64) -> Fade {
        Fade {
            gain: 1.0,
            step: -1.0 / (seconds * sr).max(1.0),
        }
    }

    pub fn running(&self) -> bool {
        self.step != 0.0
    }
}

/// Scale what one note added to `bus` (its content beyond `before`) by its
/// fade, frame by frame; returns false once a fade-out reached silence.
fn apply_fade(note: &mut NoteState, before: &[f64], bus: &mut [f64], nchnls: usize) -> bool {
    let fade = &mut note.fade;
    for (frame, base) in bus
        .chunks_exact_mut(nchnls)
        .zip(before.chunks_exact(nchnls))
    {
        let g = fade.gain.clamp(0.0, 1.0);
        for (x, b) in frame.iter_mut().zip(base) {
            *x = b + (*x - b) * g;
        }
        fade.gain += fade.step;
    }
    if fade.step > 0.0 && fade.gain >= 1.0 {
        *fade = Fade::default();
    } else if fade.step < 0.0 && fade.gain <= 0.0 {
        return false;
    }
    true
}

/// Perform one block of `notes` where some fade: those one at a time, their
/// output scaled; the others as usual. How many ended.
pub(super) fn play_fading(
    notes: &mut [Box<Instance>],
    stage: &mut super::context::Stage,
    spout: &mut [f64],
    before: &mut [f64],
) -> usize {
    let nchnls = stage.rates.nchnls;
    let mut ended = 0;
    for note in notes.iter_mut() {
        if note.note.fade.running() {
            before.copy_from_slice(spout);
            note.play_block(stage, spout);
            if !apply_fade(&mut note.note, before, spout, nchnls) {
                note.outcome = Outcome::Stopped;
            }
        } else {
            note.play_block(stage, spout);
        }
        ended += usize::from(note.outcome != Outcome::Playing);
    }
    ended
}

/// Whether a note of the slot is fading.
pub(super) fn any_fading(slot: &InstrSlot) -> bool {
    slot.active.iter().any(|n| n.note.fade.running())
}

/// Release a note: its release segment if it has one, a short fade if not.
pub(super) fn release_note(note: &mut NoteState, sr: f64) {
    if note.releasing || note.fade.step < 0.0 {
        return;
    }
    if note.extra_blocks > 0 {
        note.start_release();
    } else {
        note.fade = Fade::fade_out(RELEASE_FADE_SECONDS, sr);
    }
}

/// Steering commands a block can hold, at most (more are refused with a message).
pub const MAX_STEERS: usize = 1024;

impl Engine {
    /// Steer the note named `handle` at the start of the next block, after
    /// the notes due then have started (so a note sent just before is found).
    pub fn queue_steer(&mut self, handle: u64, instr: i64, action: SteerAction) {
        if self.steers.len() == self.steers.capacity() && self.realtime {
            self.messages.send(
                MessageKind::Error,
                format_args!("too many note handle commands in one block; one dropped"),
            );
            return;
        }
        self.steers.push((handle, instr, action));
    }

    /// Apply the queued steering commands, in order.
    pub(super) fn apply_steers(&mut self) {
        for i in 0..self.steers.len() {
            let (handle, instr, action) = self.steers[i];
            self.steer(handle, instr, action);
        }
        self.steers.clear();
    }

    /// The running note named `handle`, of instrument `instr`: in its
    /// instrument's slot, or among the older definitions still sounding.
    fn steered_note(&mut self, instr: i64, handle: u64) -> Option<&mut Instance> {
        let index = self.slot_index(instr);
        let current = index.map(|i| &mut self.instruments[i]).into_iter();
        for slot in current.chain(
            self.old_slots
                .iter_mut()
                .filter(|s| s.template.number == instr),
        ) {
            if let Some(n) = slot.active.iter_mut().find(|n| n.note.handle == handle) {
                return Some(n);
            }
        }
        None
    }

    /// Act on the note named `handle` (of instrument `instr`); `now`
    /// converts an automation's times. A note that has ended is passed
    /// over: the host checked it was playing when it sent this.
    pub fn steer(&mut self, handle: u64, instr: i64, action: SteerAction) {
        let sr = self.rates.sr;
        let start = self.score_time;
        match action {
            SteerAction::Set { field, value } => {
                if let Some(note) = self.steered_note(instr, handle)
                    && !note.set_pfield(field, value)
                {
                    self.messages.send(
                        MessageKind::Warning,
                        format_args!("instr {instr} does not read p{field}; set ignored"),
                    );
                }
            }
            SteerAction::Automate {
                field,
                points,
                count,
            } => {
                // A new ramp on the same field replaces the one running.
                self.automations
                    .retain(|a| !(a.handle == handle && a.field == field));
                if self.automations.len() == self.automations.capacity() {
                    self.messages.send(
                        MessageKind::Error,
                        format_args!("too many automations running; this one is dropped"),
                    );
                    return;
                }
                self.automations.push(Automation {
                    handle,
                    instr,
                    field,
                    start,
                    points,
                    count,
                });
                self.run_automations_for(self.automations.len() - 1);
            }
            SteerAction::Release => {
                if let Some(note) = self.steered_note(instr, handle) {
                    release_note(&mut note.note, sr);
                }
            }
        }
    }

    /// Write every running automation's value for this block into its note;
    /// drop the ramps that are over or whose note has ended.
    pub(super) fn run_automations(&mut self) {
        let mut i = 0;
        while i < self.automations.len() {
            if self.run_automations_for(i) {
                i += 1;
            }
        }
    }

    /// Apply automation `i`; false if it was removed.
    fn run_automations_for(&mut self, i: usize) -> bool {
        let a = self.automations[i];
        let (value, over) = a.value_at(self.score_time);
        let alive = match self.steered_note(a.instr, a.handle) {
            Some(note) => {
                note.set_pfield(a.field, value);
                true
            }
            None => false,
        };
        if over || !alive {
            self.automations.swap_remove(i);
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_automation_ramps_between_its_breakpoints_and_holds_the_last() {
        let mut points = [0.0; MAX_LIVE_PFIELDS];
        points[..6].copy_from_slice(&[0.0, 100.0, 1.0, 200.0, 3.0, 0.0]);
        let a = Automation {
            handle: 1,
            instr: 1,
            field: 5,
            start: 10.0,
            points,
            count: 6,
        };
        assert_eq!(a.value_at(9.0), (100.0, false));
        assert_eq!(a.value_at(10.5), (150.0, false));
        assert_eq!(a.value_at(12.0), (100.0, false));
        assert_eq!(a.value_at(14.0), (0.0, true));
    }

    #[test]
    fn a_fade_out_scales_only_the_notes_own_output_and_ends_it() {
        let mut note = NoteState {
            fade: Fade::fade_out(5.0, 1.0),
            ..NoteState::default()
        };
        let before = [1.0; 4];
        let mut bus = [3.0; 4];
        assert!(apply_fade(&mut note, &before, &mut bus, 1));
        for (x, want) in bus.iter().zip([3.0, 2.6, 2.2, 1.8]) {
            assert!((x - want).abs() < 1e-12, "{bus:?}");
        }
        let mut bus = [3.0; 4];
        assert!(!apply_fade(&mut note, &before, &mut bus, 1));
        assert!((bus[1] - 1.0).abs() < 1e-12 && bus[3] == 1.0, "{bus:?}");
    }
}
