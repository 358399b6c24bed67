//! The relay between the engine's reports and the host: messages passed on,
//! voices built for instruments running low, the host's view of the tables
//! kept up to date, statements recorded, flushes answered, output kept for
//! `draw_output`. Live, a thread of its own runs it every few milliseconds;
//! offline, the session runs it after each block.
//!
//! Locks: a live `note()` takes none on the control side (the session owns
//! its command queue) and one here, when the engine reports that it took the
//! note (the [`Book`]: tables and recording together).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Result, anyhow};
use ringbuf::traits::{Consumer, Producer};
use ringbuf::{HeapCons, HeapProd};

use super::SessionMessage;
use super::handles::NoteLife;
use super::recording::{Recorded, Recording, Statement, edited_tables, table_key};
use crate::audio::output_ring::OutputRing;
use crate::engine::MAX_VOICES;
use crate::engine::context::MessageKind;
use crate::engine::driver::{Command, Report, Telemetry};
use crate::engine::program::{Instance, Orchestra};
use crate::engine::table::Table;

/// What the host knows of the engine's tables, and what it records: one
/// lock, taken once per report that needs either.
pub(super) struct Book {
    /// The tables as the engine has them now, by number.
    pub(super) tables: HashMap<i64, Arc<Table>>,
    /// `Some` while recording (`--record`).
    pub(super) recording: Option<Recording>,
}

/// State shared by the session and the relay.
pub(super) struct Relay {
    messages: Sender<SessionMessage>,
    /// The relay's own queue to the engine (voices it built), so that the
    /// session's queue needs no lock.
    voices: Mutex<HeapProd<Command>>,
    /// The orchestra new voices are built from (replaced by a swap).
    orchestra: Mutex<Arc<Orchestra>>,
    pub(super) book: Mutex<Book>,
    flushed: (Mutex<u64>, Condvar),
    pub(super) ended: AtomicBool,
    /// The last seconds of output, for `draw_output`.
    pub(super) output: Mutex<OutputRing>,
    /// Notes started through a handle, by handle: where each is in its life.
    pub(super) notes: Mutex<HashMap<u64, NoteLife>>,
}

/// A poisoned lock only means another thread panicked while holding it;
/// the data (tables, a recording) is still what it was: go on with it.
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Relay {
    pub(super) fn new(
        messages: Sender<SessionMessage>,
        voices: HeapProd<Command>,
        orchestra: Arc<Orchestra>,
        tables: HashMap<i64, Arc<Table>>,
        recording: bool,
        output: OutputRing,
    ) -> Relay {
        Relay {
            messages,
            voices: Mutex::new(voices),
            orchestra: Mutex::new(orchestra),
            book: Mutex::new(Book {
                tables,
                recording: recording.then(Recording::default),
            }),
            flushed: (Mutex::new(0), Condvar::new()),
            ended: AtomicBool::new(false),
            output: Mutex::new(output),
            notes: Mutex::new(HashMap::new()),
        }
    }

    pub(super) fn say(&self, kind: MessageKind, text: impl Into<String>) {
        let _ = self.messages.send(SessionMessage {
            kind,
            text: text.into(),
        });
    }

    /// New voices come from `orc` from now on.
    pub(super) fn set_orchestra(&self, orc: Arc<Orchestra>) {
        *lock(&self.orchestra) = orc;
    }

    /// Keep the `f` statement of a table being sent, for the recording.
    pub(super) fn remember_statement(&self, table: &Arc<Table>, pfields: Vec<f64>) {
        if let Some(rec) = lock(&self.book).recording.as_mut() {
            rec.pending_tables.insert(table_key(table), pfields);
        }
    }

    /// Wait until the engine has answered flush `n` (live).
    pub(super) fn wait_flushed(&self, n: u64, timeout: Duration) -> Result<()> {
        let (lock_, cv) = &self.flushed;
        let guard = lock(lock_);
        let (_guard, result) = cv
            .wait_timeout_while(guard, timeout, |done| *done < n)
            .unwrap_or_else(|e| e.into_inner());
        if result.timed_out() {
            return Err(anyhow!(
                "the engine did not answer within {} s",
                timeout.as_secs()
            ));
        }
        Ok(())
    }

    /// Handle one report from the engine (relay thread, or the session offline).
    pub(super) fn handle(&self, report: Report) {
        match report {
            Report::Message(m) => self.say(m.kind, m.text.as_str()),
            Report::Flushed(n) => {
                let (done, cv) = &self.flushed;
                *lock(done) = n;
                cv.notify_all();
            }
            Report::Took { kind, time, event } => {
                let mut book = lock(&self.book);
                let Book { tables, recording } = &mut *book;
                let edited = edited_tables(tables, time, recording.is_some());
                if let Some(rec) = recording.as_mut() {
                    rec.statements.extend(edited);
                    rec.statements.push(Recorded {
                        kind: Statement::Live(kind),
                        time,
                        pfields: event.pfields().to_vec(),
                    });
                }
            }
            Report::NeedVoices { slot, active } => self.add_voices(slot, active),
            Report::Garbage(g) => drop(g),
            Report::TableChanged {
                number,
                table,
                time,
            } => {
                let mut book = lock(&self.book);
                if let Some(rec) = book.recording.as_mut() {
                    let statement = match &table {
                        Some(t) => rec.pending_tables.remove(&table_key(t)),
                        None => Some(vec![-(number as f64), 0.0]),
                    };
                    if let Some(pfields) = statement {
                        rec.statements.push(Recorded {
                            kind: Statement::Table,
                            time,
                            pfields,
                        });
                    }
                }
                match table {
                    Some(t) => book.tables.insert(number, t),
                    None => book.tables.remove(&number),
                };
            }
            Report::Note { handle, playing } => {
                let mut notes = lock(&self.notes);
                let life = notes.entry(handle).or_insert(NoteLife::Scheduled);
                *life = match (playing, *life) {
                    (false, _) => NoteLife::Ended,
                    (true, NoteLife::Ended) => NoteLife::Ended,
                    (true, _) => NoteLife::Playing,
                };
            }
            Report::Ended => {
                self.ended.store(true, Ordering::Relaxed);
                self.say(MessageKind::Info, "end of performance");
            }
        }
    }

    /// Build ready instances for a slot running low (off the audio thread).
    fn add_voices(&self, slot: usize, active: usize) {
        let orc = lock(&self.orchestra).clone();
        let Some(template) = orc.instruments.get(slot) else {
            return;
        };
        let count = active.clamp(256, MAX_VOICES / 4);
        let voices: Vec<Box<Instance>> = (0..count)
            .filter_map(|_| Instance::build(template, &orc).ok().map(Box::new))
            .collect();
        if lock(&self.voices)
            .try_push(Command::Voices { slot, voices })
            .is_err()
        {
            self.say(
                MessageKind::Warning,
                "the engine's command queue is full; event not sent",
            );
        }
    }
}

/// The relay thread (live): reads the engine's reports every few
/// milliseconds, and moves the scope tap's samples into the recent-output
/// ring. Stops when `stop` is set, after the last reports.
pub(super) fn spawn(
    relay: Arc<Relay>,
    mut reports: HeapCons<Report>,
    mut scope: HeapCons<f32>,
    telemetry: Arc<Telemetry>,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("rhapsody-relay".into())
        .spawn(move || {
            let mut buf = vec![0.0f32; 8192];
            while !stop.load(Ordering::Relaxed) {
                let mut any = false;
                while let Some(r) = reports.try_pop() {
                    relay.handle(r);
                    any = true;
                }
                loop {
                    let n = scope.pop_slice(&mut buf);
                    if n == 0 {
                        break;
                    }
                    let mut ring = lock(&relay.output);
                    ring.push(&buf[..n]);
                    ring.set_end_time(telemetry.score_time());
                    any = true;
                }
                if !any {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            while let Some(r) = reports.try_pop() {
                relay.handle(r);
            }
        })
        .expect("spawning a thread")
}
