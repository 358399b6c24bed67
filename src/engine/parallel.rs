//! Csound's `-j N`: the notes of one instrument performed on several threads,
//! with the same output as one thread.
//!
//! A small pool of worker threads is started before the performance. For an
//! instrument whose notes only touch their own memory (see [`parallel_ok`]),
//! each block's notes are handed out in small chunks to the workers and to
//! the engine's own thread. Every note writes its share of the output into
//! its own bus (`Instance::bus`), and the engine then adds those buses to the
//! output in note order. Each output sample therefore gets the same additions
//! in the same order as on one thread, so the output is bit-identical (floating
//! -point addition is not associative, so summing per-thread buses would not
//! be). That is why only instruments with at most one `out`/`outs` qualify.
//!
//! Nothing here allocates, locks or blocks while performing: the workers
//! spin briefly and then park; the engine hands out work by bumping an atomic
//! epoch and unparking them (a futex wake), and waits by spinning for the
//! notes to be done, not for the workers: a worker the OS has not run yet
//! (a busy machine) misses the block instead of holding it up. The engine
//! then closes the job and waits only for workers caught inside it.
//! Messages from notes that fail on a worker (init errors cannot happen here:
//! only the performance pass runs in parallel) are queued per worker and
//! forwarded after the block, in worker order.

use std::cell::UnsafeCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};

use super::context::{Ctx, Messages, Rates};
use super::events::EventQueue;
use super::program::{Instance, InstrTemplate, StepTemplate};
use super::table::{Table, TableStore};
use crate::opcodes::{self, OpcodeSpec, Pass};

/// Notes handed out at a time: large enough that claiming a chunk costs
/// little next to performing it, small enough to balance the threads when
/// one of them is descheduled.
const CHUNK: usize = 16;
/// Fewer notes than this in an instrument are performed on one thread.
pub const MIN_PARALLEL_NOTES: usize = 2 * CHUNK;
/// Spins before a waiting worker parks.
const SPINS: u32 = 20_000;
/// Messages one worker can hold for a block.
const LANE_MESSAGES: usize = 256;

/// Whether the notes of `template` may be performed in parallel: every
/// performance-time opcode reads and writes only the note's own memory and
/// the tables (oscillators, envelopes, arithmetic, math, `pan2`), no output
/// goes to a global variable, and at most one `out`/`outs` writes the bus.
pub fn parallel_ok(template: &InstrTemplate, rates: &Rates) -> bool {
    if template.ksmps != rates.ksmps {
        return false;
    }
    let pure: [&[OpcodeSpec]; 5] = [
        opcodes::arith::SPECS,
        opcodes::math::SPECS,
        opcodes::oscillators::SPECS,
        opcodes::envelopes::SPECS,
        opcodes::spatial::SPECS,
    ];
    let mut bus_writers = 0;
    for step in &template.steps {
        let StepTemplate::Op { spec, outs, .. } = step else {
            continue;
        };
        if outs
            .iter()
            .any(|(loc, _)| matches!(loc, super::program::Loc::Global(_)))
        {
            return false;
        }
        if spec.pass == Pass::Init {
            continue;
        }
        let same = |s: &OpcodeSpec| s.name == spec.name && s.outs == spec.outs && s.ins == spec.ins;
        if pure.iter().any(|family| family.iter().any(same)) {
            continue;
        }
        if matches!(spec.name, "out" | "outs") || opcodes::fused::writes_bus(spec) {
            bus_writers += 1;
            continue;
        }
        return false;
    }
    bus_writers <= 1
}

/// What one participant (a worker or the engine's thread) owns while it
/// performs: its view of the tables, its messages, an (unused) event queue.
struct Lane {
    tables: TableStore,
    messages: Messages,
    events: EventQueue,
}

/// One block's work for one instrument.
#[derive(Clone, Copy)]
struct Job {
    notes: *mut Box<Instance>,
    count: usize,
    rates: Rates,
    time: f64,
    kcount: u64,
    may_allocate: bool,
}

struct Shared {
    /// Even: the number of the open job; odd: no job open (between jobs).
    /// The engine opens and closes jobs by adding 1.
    epoch: AtomicU64,
    /// Notes of the open job performed so far.
    completed: AtomicUsize,
    /// Per lane: set while that worker may read the job or use its lane.
    active: Box<[AtomicBool]>,
    /// Next note to claim.
    next: AtomicUsize,
    quit: AtomicBool,
    /// Workers whose thread has started running (see [`Pool::new`]).
    started: AtomicUsize,
    job: UnsafeCell<Job>,
    /// Lane 0 is the engine's thread, lane i the worker i.
    lanes: Box<[UnsafeCell<Lane>]>,
}

// SAFETY: `job` and the lanes are touched by the engine only between jobs:
// after it closed the epoch and saw every worker inactive. A worker marks
// itself active and then checks that the epoch it saw is still open, both
// sequentially consistent, so either it sees the close and backs off, or
// the engine sees it active and waits (Dekker's pattern). Each lane is used
// by one thread; the notes a job points to are claimed through `next`, so
// each is performed by one thread.
unsafe impl Sync for Shared {}
unsafe impl Send for Shared {}

/// The worker threads of `-j N` and their lanes.
pub struct Pool {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Pool {
    /// A pool for `threads` threads in all (the engine's own included), so
    /// `threads - 1` workers. Allocates and spawns: control side.
    pub fn new(threads: usize, tables: &TableStore) -> Pool {
        let lanes = (0..threads.max(1))
            .map(|_| {
                UnsafeCell::new(Lane {
                    tables: tables.clone(),
                    messages: Messages::with_capacity(LANE_MESSAGES),
                    events: EventQueue::with_capacity(1),
                })
            })
            .collect();
        let shared = Arc::new(Shared {
            epoch: AtomicU64::new(1),
            completed: AtomicUsize::new(0),
            active: (0..threads.max(1))
                .map(|_| AtomicBool::new(false))
                .collect(),
            next: AtomicUsize::new(0),
            quit: AtomicBool::new(false),
            started: AtomicUsize::new(0),
            job: UnsafeCell::new(Job {
                notes: std::ptr::null_mut(),
                count: 0,
                rates: Rates::default(),
                time: 0.0,
                kcount: 0,
                may_allocate: false,
            }),
            lanes,
        });
        // A thread the system refuses leaves its lane unused: the notes are
        // shared out through `next`, so the others (and the engine's own
        // thread) perform them; `threads()` tells how many there are.
        let threads = (1..threads.max(1))
            .map_while(|lane| {
                let shared = shared.clone();
                thread::Builder::new()
                    .name(format!("rhapsody-j{lane}"))
                    .spawn(move || worker(shared, lane))
                    .ok()
            })
            .collect::<Vec<_>>();
        // A new thread allocates while it starts (the standard library
        // records its name and stack guard before running our code). Wait
        // for every worker to be running, so that none of that happens once
        // the performance, perhaps in real time, has begun.
        while shared.started.load(Ordering::Acquire) < threads.len() {
            thread::yield_now();
        }
        Pool { shared, threads }
    }

    /// Threads in all, the engine's included.
    pub fn threads(&self) -> usize {
        self.threads.len() + 1
    }

    /// Perform one block of `notes` (one instrument's, in start order) on
    /// all threads, then add their buses to `spout` in note order. Each
    /// note's `ended` tells the caller whether to retire it. Replaced tables
    /// the lanes let go of are pushed to `retired` (or dropped when it is
    /// full, as the engine does with its own).
    #[allow(clippy::too_many_arguments)]
    pub fn perform(
        &mut self,
        notes: &mut [Box<Instance>],
        rates: Rates,
        time: f64,
        kcount: u64,
        may_allocate: bool,
        tables: &TableStore,
        spout: &mut [f64],
        messages: &mut Messages,
        retired: &mut Vec<Arc<Table>>,
    ) {
        let shared = &*self.shared;
        for lane in shared.lanes.iter() {
            // SAFETY: no worker runs between jobs.
            let lane = unsafe { &mut *lane.get() };
            lane.tables.sync_from(tables, retired);
        }
        // SAFETY: no worker reads the job between jobs.
        unsafe {
            *shared.job.get() = Job {
                notes: notes.as_mut_ptr(),
                count: notes.len(),
                rates,
                time,
                kcount,
                may_allocate,
            };
        }
        shared.next.store(0, Ordering::Relaxed);
        shared.completed.store(0, Ordering::Relaxed);
        // Open the job (odd to even).
        shared.epoch.fetch_add(1, Ordering::SeqCst);
        for t in &self.threads {
            t.thread().unpark();
        }
        run_lane(shared, 0);
        // Wait for the notes that workers claimed (they are running them).
        let count = notes.len();
        wait_until(|| shared.completed.load(Ordering::Acquire) >= count);
        // Close the job (even to odd), then wait for workers still inside
        // it: they find nothing left to claim and leave at once.
        shared.epoch.fetch_add(1, Ordering::SeqCst);
        for active in shared.active.iter() {
            wait_until(|| !active.load(Ordering::SeqCst));
        }
        // The notes and lanes are ours again.
        for note in notes.iter() {
            if note.performed {
                for (s, b) in spout.iter_mut().zip(note.bus.iter()) {
                    *s += *b;
                }
            }
        }
        for lane in shared.lanes.iter() {
            // SAFETY: as above.
            let lane = unsafe { &mut *lane.get() };
            for m in lane.messages.drain() {
                messages.send(m.kind, format_args!("{}", m.text.as_str()));
            }
            lane.messages.errors = 0;
            lane.messages.warnings = 0;
            messages.dropped += std::mem::take(&mut lane.messages.dropped);
        }
    }
}

/// Spin until `done` holds, letting other threads run now and then (a
/// worker that was descheduled mid-chunk on a busy machine).
#[inline]
fn wait_until(done: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !done() {
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(1024) {
            thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shared.quit.store(true, Ordering::Release);
        self.shared.epoch.fetch_add(2, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            t.thread().unpark();
            let _ = t.join();
        }
    }
}

fn worker(shared: Arc<Shared>, lane: usize) {
    shared.started.fetch_add(1, Ordering::Release);
    let mut seen = 1u64;
    loop {
        let mut spins = 0;
        let epoch = loop {
            if shared.quit.load(Ordering::Acquire) {
                return;
            }
            let e = shared.epoch.load(Ordering::Acquire);
            if e != seen && e.is_multiple_of(2) {
                break e;
            }
            if spins < SPINS {
                spins += 1;
                std::hint::spin_loop();
            } else {
                thread::park();
            }
        };
        seen = epoch;
        // Enter the job only if it is still open (see `Shared`).
        let active = &shared.active[lane];
        active.store(true, Ordering::SeqCst);
        if shared.epoch.load(Ordering::SeqCst) == epoch {
            run_lane(&shared, lane);
        }
        active.store(false, Ordering::Release);
    }
}

/// Claim chunks of notes and perform them until none is left.
fn run_lane(shared: &Shared, lane: usize) {
    // SAFETY: the job is not written while a job runs; this lane is used by
    // this thread alone (see `Shared`).
    let job = unsafe { *shared.job.get() };
    let lane = unsafe { &mut *shared.lanes[lane].get() };
    loop {
        let start = shared.next.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= job.count {
            return;
        }
        let end = (start + CHUNK).min(job.count);
        for i in start..end {
            // SAFETY: i < count, and note i was claimed by this thread only.
            let note = unsafe { &mut **job.notes.add(i) };
            perform_note(note, &job, lane);
        }
        shared.completed.fetch_add(end - start, Ordering::Release);
    }
}

/// One block of one note, as `Engine::perform_notes` does it, into the
/// note's own bus.
fn perform_note(note: &mut Instance, job: &Job, lane: &mut Lane) {
    if note.note.blocks_left == Some(0) {
        // Its time ran out while score time jumped (`a`).
        note.performed = false;
        note.ended = true;
        return;
    }
    let mut bus = std::mem::take(&mut note.bus);
    bus.fill(0.0);
    let mut state = note.note;
    let mut ctx = Ctx {
        rates: job.rates,
        tables: &mut lane.tables,
        spout: &mut bus,
        messages: &mut lane.messages,
        events: &mut lane.events,
        note: &mut state,
        time: job.time,
        kcount: job.kcount,
        may_allocate: job.may_allocate,
    };
    let ok = note.perform(&mut ctx).is_ok();
    state.blocks_done += 1;
    if let Some(left) = state.blocks_left.as_mut() {
        *left = left.saturating_sub(1);
    }
    note.note = state;
    note.bus = bus;
    note.performed = true;
    note.ended = !ok || state.turnoff || state.blocks_left == Some(0);
}
