//! `-j N` gives the same output as one thread, bit for bit (both sum an
//! instrument's notes in the same fixed groups), and performs
//! without allocating on any thread (a counting allocator sees the whole
//! process, workers included).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use rhapsody::csd::Csd;
use rhapsody::engine::Engine;
use rhapsody::engine::program::Instance;
use rhapsody::options::Options;
use rhapsody::session::pipeline;

/// Counts every allocation of the process.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Two instruments: 1 qualifies for parallel performance (the voices1000
/// voice, with a k-rate and an a-rate envelope so that more opcodes run),
/// 2 does not (it writes a global) and must still be right around it.
/// Notes of 1 start and end all the time, as the article's grains do.
fn csd(notes: usize) -> String {
    let mut score = String::from("f 1 0 8192 10 1 0.5 0.3 0.2 0.1\n");
    for v in 0..notes {
        let start = (v % 50) as f64 * 0.01;
        let dur = 0.05 + (v % 13) as f64 * 0.02;
        let oct = 6.0 + (v as f64 * 0.618_034) % 4.0;
        let pan = (v as f64 * 0.381_966) % 1.0;
        score.push_str(&format!(
            "i 1 {start} {dur} 0.0008 {oct:.5} 1 0.01 0.02 {pan:.5}\n"
        ));
    }
    score.push_str("i 2 0 0.6 0.1\n");
    format!(
        "<CsoundSynthesizer>\n<CsInstruments>\nsr = 44100\nksmps = 32\nnchnls = 2\n0dbfs = 1\n\
         gasum init 0\n\
         instr 1\n  kenv linen p4, p7, p3, p8\n  aenv linseg 0, p7, 1, p3, 0.5\n  \
         asig oscili kenv, cpsoct(p5), p6\n  asig = asig * aenv + asig * 0.5\n  \
         aL, aR pan2 asig, p9\n  outs aL, aR\nendin\n\
         instr 2\n  gasum oscili p4, 220, 1\n  outs gasum, gasum\nendin\n\
         </CsInstruments>\n<CsScore>\n{score}</CsScore>\n</CsoundSynthesizer>\n"
    )
}

fn engine(threads: usize, notes: usize) -> Engine {
    let csd = Csd::parse("parallel.csd", csd(notes)).expect("csd splits");
    let mut engine = pipeline::prepare(&csd, &Options::default())
        .expect("compiles")
        .engine;
    engine.set_threads(threads);
    engine
}

/// Every block's output bus, as bits.
fn render(threads: usize, notes: usize) -> Vec<u64> {
    let mut engine = engine(threads, notes);
    assert_eq!(engine.threads(), threads.max(1));
    let mut out = Vec::new();
    while engine.perform_block() {
        out.extend(engine.spout.iter().map(|x| x.to_bits()));
    }
    out
}

#[test]
fn j2_and_j3_match_one_thread_bit_for_bit_and_do_not_allocate() {
    let one = render(1, 600);
    assert!(one.iter().any(|&b| f64::from_bits(b) != 0.0), "not silent");
    for threads in [2, 3] {
        let many = render(threads, 600);
        assert_eq!(one.len(), many.len(), "-j {threads}: same length");
        let first = one.iter().zip(&many).position(|(a, b)| a != b);
        assert_eq!(first, None, "-j {threads}: first differing sample");
    }

    // Real-time mode: voices come from the pools, and no thread allocates.
    let mut engine = engine(2, 600);
    engine.realtime = true;
    let orc = engine.orchestra.clone();
    for slot in engine.instruments.iter_mut() {
        for _ in 0..700 {
            slot.spare.push(Box::new(
                Instance::build(&slot.template, &orc).expect("builds"),
            ));
        }
    }
    // Let the score's table arrive and the workers start before counting.
    engine.perform_block();
    engine.messages.drain().for_each(drop);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut blocks = 0;
    while engine.perform_block() && blocks < 400 {
        blocks += 1;
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(blocks > 100, "performed {blocks} blocks");
    assert_eq!(after - before, 0, "allocations while performing with -j 2");
}
