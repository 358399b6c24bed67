//! Csound's `-j N`: the notes of one instrument performed on several threads,
//! with the same output as one thread, bit for bit.
//!
//! Floating-point addition is not associative, so notes summed into one bus
//! per thread would give output that depends on which thread took which
//! note. Instead the order of the sum is fixed by the notes alone: when an
//! instrument whose notes touch only their own memory (see [`parallel_ok`])
//! has more than [`GROUP`] notes, its notes are taken in groups of `GROUP`
//! in start order, each group's notes are added in order into a bus of its
//! own, and the group buses are added to the output in group order. The
//! engine does this on one thread too ([`play_groups`]), so `-j 1` and
//! `-j N` give the same samples. With `-j N` the groups are claimed by the
//! workers and the engine's own thread, and only the group buses (32 for a
//! thousand notes) are summed on the engine's thread.
//!
//! An earlier design kept a bus per note to sum them in note order: with a
//! thousand notes that sum, and the half a megabyte of buses it read from
//! the other core's cache every block, cost as much as the notes, and `-j 2`
//! was slower than one thread.
//!
//! Nothing here allocates, locks or blocks while performing: the workers
//! spin briefly and then park; the engine hands out work by bumping an atomic
//! epoch and unparking them (a futex wake), and waits by spinning for the
//! groups to be done, not for the workers: a worker the OS has not run yet
//! (a busy machine) misses the block instead of holding it up. The engine
//! then closes the job and waits only for workers caught inside it.
//! Messages from notes that fail on a worker (init errors cannot happen here:
//! only the performance pass runs in parallel) are queued per worker and
//! forwarded after the block, in worker order.

use std::cell::UnsafeCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};

use super::MAX_VOICES;
use super::context::{Messages, Rates, Stage};
use super::events::EventQueue;
use super::opcode::{Parallel, Pass};
use super::program::{self, Instance, InstrTemplate, StepTemplate};
use super::table::{Table, TableStore};

/// Notes per group: enough that a group's work (a few microseconds) dwarfs
/// claiming it and adding its bus to the output, few enough that the groups
/// of a busy instrument balance the threads.
pub const GROUP: usize = 32;
/// Spins before a waiting worker parks.
const SPINS: u32 = 20_000;
/// Messages one worker can hold for a block.
const LANE_MESSAGES: usize = 256;

/// Whether this block's `notes` of `template` are summed in groups (on one
/// thread or several). Fewer notes go straight to the output in note order,
/// as in csound, which keeps small pieces bit-identical to csound's output.
pub fn grouped(template: &InstrTemplate, notes: usize) -> bool {
    template.parallel && notes > GROUP
}

/// One block of `notes` on this thread, summed as `-j` sums them: each group
/// into `bus`, then onto `spout`. Returns how many notes ended.
pub fn play_groups(
    notes: &mut [Box<Instance>],
    stage: &mut Stage,
    spout: &mut [f64],
    bus: &mut [f64],
) -> usize {
    let mut ended = 0;
    for group in notes.chunks_mut(GROUP) {
        bus.fill(0.0);
        ended += program::play_notes(group, stage, bus);
        add_bus(spout, bus);
    }
    ended
}

fn add_bus(spout: &mut [f64], bus: &[f64]) {
    for (s, b) in spout.iter_mut().zip(bus) {
        *s += *b;
    }
}

/// Whether the notes of `template` may be performed in parallel: every
/// performance-time opcode's descriptor says it is [`Parallel::Safe`] (it
/// reads and writes only the note's own memory and the tables), no output
/// goes to a global variable, and at most one opcode writes the bus.
pub fn parallel_ok(template: &InstrTemplate, rates: &Rates) -> bool {
    if template.ksmps != rates.ksmps {
        return false;
    }
    let mut bus_writers = 0;
    for step in &template.steps {
        let StepTemplate::Op { spec, outs, .. } = step else {
            // A reinitialization runs init code (which may write shared
            // state, as `ftgen` does) during the performance.
            if matches!(step, StepTemplate::Reinit { .. }) {
                return false;
            }
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
        match spec.parallel {
            Parallel::Safe => {}
            Parallel::WritesBus => bus_writers += 1,
            Parallel::No => return false,
        }
    }
    bus_writers <= 1
}

/// What one worker owns while it performs: its view of the tables, its
/// messages, an (unused) event queue.
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
    /// Group `g`'s bus is `bus_len` samples from `buses + g * bus_len`.
    buses: *mut f64,
    bus_len: usize,
    /// The engine's input bus, read (never written) by every group.
    spin: *const f64,
    spin_len: usize,
    rates: Rates,
    time: f64,
    kcount: u64,
    may_allocate: bool,
}

impl Job {
    fn groups(&self) -> usize {
        self.count.div_ceil(GROUP)
    }
}

struct Shared {
    /// Even: the number of the open job; odd: no job open (between jobs).
    /// The engine opens and closes jobs by adding 1.
    epoch: AtomicU64,
    /// Groups of the open job performed so far.
    completed: AtomicUsize,
    /// Notes of the open job that ended.
    ended: AtomicUsize,
    /// Per worker: set while that worker may read the job or use its lane.
    active: Box<[AtomicBool]>,
    /// Per participant (0 the engine's thread, i the worker i - 1): the
    /// next group of its share to claim (see [`run_groups`]).
    next: Box<[Cursor]>,
    quit: AtomicBool,
    /// Workers whose thread has started running (see [`Pool::new`]).
    started: AtomicUsize,
    job: UnsafeCell<Job>,
    /// Lane i belongs to worker i.
    lanes: Box<[UnsafeCell<Lane>]>,
}

// SAFETY: `job` and the lanes are touched by the engine only between jobs:
// after it closed the epoch and saw every worker inactive. A worker marks
// itself active and then checks that the epoch it saw is still open, both
// sequentially consistent, so either it sees the close and backs off, or
// the engine sees it active and waits (Dekker's pattern). Each lane is used
// by one thread; the groups a job points to (notes and bus) are claimed
// through `next`, so each is performed by one thread.
unsafe impl Sync for Shared {}
unsafe impl Send for Shared {}

/// The worker threads of `-j N`, their lanes and the group buses.
pub struct Pool {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    /// The group buses, one after another.
    buses: Vec<f64>,
}

impl Pool {
    /// A pool for `threads` threads in all (the engine's own included), so
    /// `threads - 1` workers, for an output bus of `bus_len` samples.
    /// Allocates and spawns: control side.
    pub fn new(threads: usize, tables: &TableStore, bus_len: usize) -> Pool {
        let workers = threads.max(1) - 1;
        let lanes = (0..workers)
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
            ended: AtomicUsize::new(0),
            active: (0..workers).map(|_| AtomicBool::new(false)).collect(),
            next: (0..=workers).map(|_| Cursor::default()).collect(),
            quit: AtomicBool::new(false),
            started: AtomicUsize::new(0),
            job: UnsafeCell::new(Job {
                notes: std::ptr::null_mut(),
                count: 0,
                buses: std::ptr::null_mut(),
                bus_len,
                // Never null, so an empty slice can be made from it.
                spin: std::ptr::NonNull::dangling().as_ptr(),
                spin_len: 0,
                rates: Rates::default(),
                time: 0.0,
                kcount: 0,
                may_allocate: false,
            }),
            lanes,
        });
        // A thread the system refuses leaves its lane unused: the groups are
        // shared out through `next`, so the others (and the engine's own
        // thread) perform them; `threads()` tells how many there are.
        let threads = (0..workers)
            .map_while(|lane| {
                let shared = shared.clone();
                thread::Builder::new()
                    .name(format!("rhapsody-j{}", lane + 1))
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
        // Real time never has more notes than an instrument's voice limit;
        // an offline render grows the buses when it needs more.
        let buses = vec![0.0; MAX_VOICES.div_ceil(GROUP) * bus_len];
        Pool {
            shared,
            threads,
            buses,
        }
    }

    /// Threads in all, the engine's included.
    pub fn threads(&self) -> usize {
        self.threads.len() + 1
    }

    /// Perform one block of `notes` (one instrument's, in start order, more
    /// than [`GROUP`] of them) on all threads, summed as [`play_groups`]
    /// sums them. Each note's outcome tells the caller whether to retire it;
    /// returns how many ended (so that, when none did, the caller need not
    /// read the notes the other threads have just written). None, having
    /// done nothing, when a real-time engine has more notes than the group
    /// buses were made for (more than [`MAX_VOICES`]): the caller then
    /// performs them on its own thread, with the same result.
    /// Replaced tables the lanes let go of are pushed to `retired` (or
    /// dropped when it is full, as the engine does with its own).
    pub fn perform(
        &mut self,
        notes: &mut [Box<Instance>],
        stage: &mut Stage,
        spout: &mut [f64],
        retired: &mut Vec<Arc<Table>>,
    ) -> Option<usize> {
        let shared = &*self.shared;
        let bus_len = spout.len();
        let needed = notes.len().div_ceil(GROUP) * bus_len;
        if self.buses.len() < needed {
            if !stage.may_allocate {
                return None;
            }
            self.buses.resize(needed, 0.0);
        }
        for lane in shared.lanes.iter() {
            // SAFETY: no worker runs between jobs.
            let lane = unsafe { &mut *lane.get() };
            lane.tables.sync_from(stage.tables, retired);
        }
        let job = Job {
            notes: notes.as_mut_ptr(),
            count: notes.len(),
            buses: self.buses.as_mut_ptr(),
            bus_len,
            spin: stage.spin.as_ptr(),
            spin_len: stage.spin.len(),
            rates: stage.rates,
            time: stage.time,
            kcount: stage.kcount,
            may_allocate: stage.may_allocate,
        };
        // SAFETY: no worker reads the job between jobs.
        unsafe { *shared.job.get() = job };
        let participants = shared.next.len();
        for (p, cursor) in shared.next.iter().enumerate() {
            cursor.set(share(p, participants, job.groups()));
        }
        shared.completed.store(0, Ordering::Relaxed);
        shared.ended.store(0, Ordering::Relaxed);
        // Open the job (odd to even).
        shared.epoch.fetch_add(1, Ordering::SeqCst);
        for t in &self.threads {
            t.thread().unpark();
        }
        run_groups(shared, &job, stage, 0);
        // Wait for the groups that workers claimed (they are running them).
        let groups = job.groups();
        wait_until(|| shared.completed.load(Ordering::Acquire) >= groups);
        // Close the job (even to odd), then wait for workers still inside
        // it: they find nothing left to claim and leave at once.
        shared.epoch.fetch_add(1, Ordering::SeqCst);
        for active in shared.active.iter() {
            wait_until(|| !active.load(Ordering::SeqCst));
        }
        // The notes, buses and lanes are ours again.
        for bus in self.buses[..groups * bus_len].chunks_exact(bus_len) {
            add_bus(spout, bus);
        }
        for lane in shared.lanes.iter() {
            // SAFETY: as above.
            let lane = unsafe { &mut *lane.get() };
            for m in lane.messages.drain() {
                stage
                    .messages
                    .send(m.kind, format_args!("{}", m.text.as_str()));
            }
            lane.messages.errors = 0;
            lane.messages.warnings = 0;
            stage.messages.dropped += std::mem::take(&mut lane.messages.dropped);
        }
        Some(shared.ended.load(Ordering::Relaxed))
    }
}

/// Spin until `done` holds, letting other threads run now and then (a
/// worker that was descheduled mid-group on a busy machine).
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

fn worker(shared: Arc<Shared>, index: usize) {
    shared.started.fetch_add(1, Ordering::Release);
    let mut seen = 1u64;
    let mut promoted = false;
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
        let active = &shared.active[index];
        active.store(true, Ordering::SeqCst);
        if shared.epoch.load(Ordering::SeqCst) == epoch {
            // SAFETY: the job is not written while it is open, and this
            // lane is used by this thread alone (see `Shared`).
            let job = unsafe { *shared.job.get() };
            let lane = unsafe { &mut *shared.lanes[index].get() };
            if !job.may_allocate && !promoted {
                // Real time: the engine's thread waits for the groups this
                // worker has claimed, so the worker asks for the audio
                // thread's scheduling too (once; refused without
                // permission, as for the audio thread).
                promoted = true;
                crate::audio::priority::promote_current_thread();
            }
            // SAFETY: the engine does not touch its input bus while a job
            // is open, and the job holds its address and length.
            let spin = unsafe { std::slice::from_raw_parts(job.spin, job.spin_len) };
            let mut stage = Stage {
                rates: job.rates,
                tables: &mut lane.tables,
                spin,
                messages: &mut lane.messages,
                events: &mut lane.events,
                time: job.time,
                kcount: job.kcount,
                may_allocate: job.may_allocate,
            };
            run_groups(&shared, &job, &mut stage, index + 1);
        }
        active.store(false, Ordering::Release);
    }
}

/// The unclaimed part of one participant's share of the groups, `front..back`
/// packed in one word, on a cache line of its own (claiming in one's own
/// share does not slow the others claiming in theirs).
#[derive(Default)]
#[repr(align(64))]
struct Cursor(AtomicU64);

impl Cursor {
    fn set(&self, range: std::ops::Range<usize>) {
        self.0.store(
            ((range.start as u64) << 32) | range.end as u64,
            Ordering::Relaxed,
        );
    }

    /// Claim the first unclaimed group (the owner) or the last (a thief).
    fn claim(&self, owner: bool) -> Option<usize> {
        let mut word = self.0.load(Ordering::Relaxed);
        loop {
            let (front, back) = (word >> 32, word & u64::from(u32::MAX));
            if front >= back {
                return None;
            }
            let (group, next) = if owner {
                (front, word + (1 << 32))
            } else {
                (back - 1, word - 1)
            };
            match self
                .0
                .compare_exchange_weak(word, next, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return Some(group as usize),
                Err(seen) => word = seen,
            }
        }
    }
}

/// The groups that are participant `p`'s own, of `groups` shared among
/// `participants`: a fixed, contiguous share, so that a note is performed
/// on the same core block after block and its memory stays in that core's
/// cache. (Claimed from one counter, each group went to whichever thread
/// came first, and the notes' memory moved between the cores' caches every
/// block: `-j 2` spent twice the CPU time of one thread.)
fn share(p: usize, participants: usize, groups: usize) -> std::ops::Range<usize> {
    p * groups / participants..(p + 1) * groups / participants
}

/// Perform groups, each into its own bus: first participant `me`'s share
/// from its front, then, when it is done, what is left of the others'
/// from their back (a worker the system has not run yet, or one that is
/// behind, is taken over). Taking from the back means that when one thread
/// is steadily the slower, the same few groups move to the other and stay
/// there, block after block.
fn run_groups(shared: &Shared, job: &Job, stage: &mut Stage, me: usize) {
    let participants = shared.next.len();
    for p in (me..participants).chain(0..me) {
        while let Some(g) = shared.next[p].claim(p == me) {
            let ended = perform_group(job, g, stage);
            if ended > 0 {
                shared.ended.fetch_add(ended, Ordering::Relaxed);
            }
            shared.completed.fetch_add(1, Ordering::Release);
        }
    }
}

/// Group `g` of the job into its bus; how many of its notes ended.
fn perform_group(job: &Job, g: usize, stage: &mut Stage) -> usize {
    let first = g * GROUP;
    let len = GROUP.min(job.count - first);
    // SAFETY: group g lies within the job's notes and buses, and was
    // claimed by this thread only.
    let (notes, bus) = unsafe {
        (
            std::slice::from_raw_parts_mut(job.notes.add(first), len),
            std::slice::from_raw_parts_mut(job.buses.add(g * job.bus_len), job.bus_len),
        )
    };
    bus.fill(0.0);
    program::play_notes(notes, stage, bus)
}
