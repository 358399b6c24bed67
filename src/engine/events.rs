//! Events waiting for their time: the score's timeline, prepared off the
//! audio thread, and the queue of events sent live or by the orchestra.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use super::table::Table;

/// Most p-fields a live or orchestra-generated event carries (they travel
/// inline, so the queue never allocates).
pub const MAX_LIVE_PFIELDS: usize = 32;

/// What an event does when its time comes.
#[derive(Clone, Debug)]
pub enum Action {
    /// Start a note; its p-fields are `pfields[start..start + len]` of the
    /// timeline (p1 first).
    Note { start: usize, len: usize },
    /// Install (or with `None` delete) table `number`, built off the audio thread.
    Table {
        number: i64,
        table: Option<Arc<Table>>,
    },
    /// Mute (`on: false`) or unmute instrument `instr`.
    Mute { instr: i64, on: bool },
    /// Jump score time forward by `seconds` (the `a` statement).
    Advance { seconds: f64, beats: f64 },
    /// The score's `e` with a time: the performance ends here once no note
    /// with a duration sounds (held notes end with it; a note still playing
    /// carries it on to that note's end, as in csound).
    End,
    /// Nothing happens, but the score is not over before this time (`f 0 N`).
    Nothing,
}

/// One item of the timeline.
#[derive(Clone, Debug)]
pub struct TimedAction {
    /// Score time in seconds at which it takes effect.
    pub time: f64,
    pub action: Action,
}

/// The score, ready to play: actions sorted by time and one flat p-field
/// array. Built by the control side; the engine only walks it.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    pub items: Vec<TimedAction>,
    pub pfields: Vec<f64>,
    /// Where the performance ends when nothing else ends it (seconds).
    pub end_time: Option<f64>,
    /// The score's tempo, for live events given in beats.
    pub tempo: crate::score::TempoMap,
}

/// Kinds of events that travel through the live queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveKind {
    Note,
    Mute,
    Unmute,
    Advance,
    End,
}

/// An event sent live (by the host) or by the orchestra (`event`, `schedule`).
#[derive(Clone, Copy, Debug)]
pub struct LiveEvent {
    pub kind: LiveKind,
    /// Score time in seconds at which it takes effect.
    pub time: f64,
    pub pfields: [f64; MAX_LIVE_PFIELDS],
    pub count: usize,
    /// Arrival order, so that events at the same time keep it.
    pub seq: u64,
    /// Who sent it (0: untagged): a hot-reloaded file's pending events are
    /// withdrawn by tag when its new version runs.
    pub tag: u32,
    /// The note handle a script holds for this note (0: none).
    pub handle: u64,
}

impl LiveEvent {
    /// An event of `kind` at `time` with up to [`MAX_LIVE_PFIELDS`] p-fields
    /// (more are cut; the caller reports it).
    pub fn new(kind: LiveKind, time: f64, pfields: &[f64]) -> LiveEvent {
        let mut event = LiveEvent {
            kind,
            time,
            pfields: [0.0; MAX_LIVE_PFIELDS],
            count: pfields.len().min(MAX_LIVE_PFIELDS),
            seq: 0,
            tag: 0,
            handle: 0,
        };
        event.pfields[..event.count].copy_from_slice(&pfields[..event.count]);
        event
    }

    pub fn pfields(&self) -> &[f64] {
        &self.pfields[..self.count]
    }
}

/// Orders the heap so the earliest (then first sent) event is on top.
struct Queued(LiveEvent);

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .time
            .total_cmp(&self.0.time)
            .then(other.0.seq.cmp(&self.0.seq))
    }
}

/// A fixed-capacity priority queue of live events.
pub struct EventQueue {
    heap: BinaryHeap<Queued>,
    next_seq: u64,
}

/// The queue is full; the event was not taken.
#[derive(Debug)]
pub struct QueueFull;

impl EventQueue {
    pub fn with_capacity(n: usize) -> EventQueue {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
        }
    }

    /// Add an event (no allocation: fails when full).
    pub fn push(&mut self, mut event: LiveEvent) -> Result<(), QueueFull> {
        if self.heap.len() == self.heap.capacity() {
            return Err(QueueFull);
        }
        event.seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Queued(event));
        Ok(())
    }

    /// Take the earliest event if it is due before `time`.
    pub fn pop_due(&mut self, time: f64) -> Option<LiveEvent> {
        if self.heap.peek()?.0.time < time {
            self.heap.pop().map(|q| q.0)
        } else {
            None
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether a push would fail.
    pub fn is_full(&self) -> bool {
        self.heap.len() == self.heap.capacity()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Drop the pending events tagged `tag` (no allocation).
    pub fn withdraw(&mut self, tag: u32) {
        self.heap.retain(|q| q.0.tag != tag);
    }

    /// Drop every pending event (rewind, stop).
    pub fn clear(&mut self) {
        self.heap.clear();
    }

    /// Latest time of a pending event (to know when a render may end).
    pub fn latest(&self) -> Option<f64> {
        self.heap.iter().map(|q| q.0.time).reduce(f64::max)
    }
}
