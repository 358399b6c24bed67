// Engine benchmarks (divan): cost per sample per voice of each opcode family and of
// whole orchestras, rendered block by block through the real engine, plus a
// hand-written loop doing the oscili+linen+pan2 arithmetic as the yardstick.
//
// Run: `cargo bench --bench engine`. Every bench performs one block per
// iteration and counts `ksmps * voices` items, so divan's throughput column
// is voice-samples per second (ns per voice-sample = 1e9 / throughput).

use divan::Bencher;
use divan::counter::ItemsCount;
use rhapsody::csd::Csd;
use rhapsody::engine::Engine;
use rhapsody::options::Options;
use rhapsody::session::pipeline;

fn main() {
    divan::main();
}

const SR: usize = 44100;
const KSMPS: usize = 32;
/// Voices in the per-opcode benches.
const VOICES: usize = 100;

/// The orchestra header every generated CSD uses.
fn header() -> String {
    format!("sr = {SR}\nksmps = {KSMPS}\nnchnls = 2\n0dbfs = 1\n")
}

/// A CSD with `body` as instrument 1 and `voices` notes that last far
/// longer than any bench runs (p4..p9 as in csd/voices1000.csd).
fn csd(body: &str, voices: usize) -> String {
    let mut score = String::from("f 1 0 8192 10 1 0.5 0.3 0.2 0.1\n");
    for v in 0..voices {
        let oct = 6.0 + (v as f64 * 0.618_034) % 4.0;
        let pan = (v as f64 * 0.381_966) % 1.0;
        let rise = 0.5 + (v % 7) as f64 * 0.25;
        let dec = 0.5 + (v % 5) as f64 * 0.3;
        score.push_str(&format!(
            "i 1 0 100000 0.0008 {oct:.5} 1 {rise:.2} {dec:.2} {pan:.5}\n"
        ));
    }
    format!(
        "<CsoundSynthesizer>\n<CsInstruments>\n{}\ninstr 1\n{body}\nendin\n</CsInstruments>\n<CsScore>\n{score}</CsScore>\n</CsoundSynthesizer>\n",
        header()
    )
}

/// An engine for CSD text, with its first block (the note starts) done.
fn engine(text: String) -> Engine {
    let csd = Csd::parse("bench.csd", text).expect("bench CSD splits");
    let mut engine = pipeline::prepare(&csd, &Options::default())
        .unwrap_or_else(|e| panic!("bench CSD compiles: {e:?}"))
        .engine;
    engine.perform_block();
    engine
}

/// Time one block of `body` played by `voices` notes.
fn run_blocks(bencher: Bencher, body: &str, voices: usize) {
    let mut engine = engine(csd(body, voices));
    let ksmps = engine.rates.ksmps;
    assert_eq!(engine.active_notes(), voices);
    bencher
        .counter(ItemsCount::new(ksmps * voices))
        .bench_local(|| engine.perform_block());
}

/// The voice of csd/voices1000.csd and the article's orchestra.
const VOICE: &str = "  kenv linen p4, p7, p3, p8
  asig oscili kenv, cpsoct(p5), p6
  aL, aR pan2 asig, p9
  outs aL, aR";

mod opcodes {
    use super::*;

    /// An instrument that does nothing per block: the per-note overhead.
    #[divan::bench]
    fn empty(b: Bencher) {
        run_blocks(b, "  ix = p4", VOICES);
    }

    #[divan::bench]
    fn oscili_k_amp(b: Bencher) {
        run_blocks(b, "  asig oscili p4, cpsoct(p5), p6", VOICES);
    }

    #[divan::bench]
    fn oscili_a_amp(b: Bencher) {
        run_blocks(
            b,
            "  aamp init 0.1\n  asig oscili aamp, cpsoct(p5), p6",
            VOICES,
        );
    }

    #[divan::bench]
    fn poscil(b: Bencher) {
        run_blocks(b, "  asig poscil p4, cpsoct(p5), p6", VOICES);
    }

    #[divan::bench]
    fn linen_k(b: Bencher) {
        run_blocks(b, "  kenv linen p4, p7, p3, p8", VOICES);
    }

    #[divan::bench]
    fn linen_a(b: Bencher) {
        run_blocks(b, "  aenv linen p4, p7, p3, p8", VOICES);
    }

    #[divan::bench]
    fn pan2(b: Bencher) {
        run_blocks(b, "  asig init 0.1\n  aL, aR pan2 asig, p9", VOICES);
    }

    #[divan::bench]
    fn outs(b: Bencher) {
        run_blocks(b, "  asig init 0.1\n  outs asig, asig", VOICES);
    }

    #[divan::bench]
    fn line_a(b: Bencher) {
        run_blocks(b, "  asig line 0, p3, 1", VOICES);
    }

    #[divan::bench]
    fn linseg_a(b: Bencher) {
        run_blocks(b, "  asig linseg 0, p7, 1, p3, 0.5", VOICES);
    }

    #[divan::bench]
    fn linseg_k(b: Bencher) {
        run_blocks(b, "  ksig linseg 0, p7, 1, p3, 0.5", VOICES);
    }

    #[divan::bench]
    fn phasor_a(b: Bencher) {
        run_blocks(b, "  aph phasor cpsoct(p5)", VOICES);
    }

    /// `phasor` plus `table` (subtract `phasor_a` for the table read).
    #[divan::bench]
    fn table_a(b: Bencher) {
        run_blocks(
            b,
            "  aph phasor cpsoct(p5)\n  asig table aph, p6, 1",
            VOICES,
        );
    }

    /// `phasor` plus `tablei` (subtract `phasor_a` for the table read).
    #[divan::bench]
    fn tablei_a(b: Bencher) {
        run_blocks(
            b,
            "  aph phasor cpsoct(p5)\n  asig tablei aph, p6, 1",
            VOICES,
        );
    }

    /// Level followers: `rms`, `gain`, `follow2` on one signal.
    #[divan::bench]
    fn followers(b: Bencher) {
        run_blocks(
            b,
            "  asig oscili p4, cpsoct(p5), p6\n  krms rms asig\n  ag gain asig, 0.1\n  af follow2 asig, 0.01, 0.1",
            VOICES,
        );
    }

    /// Sample-grid opcodes: `interp`, `downsamp`, `diff`, `integ`, `fold`.
    #[divan::bench]
    fn sampling(b: Bencher) {
        run_blocks(
            b,
            "  asig oscili p4, cpsoct(p5), p6\n  kd downsamp asig\n  ai interp kd\n  ad diff asig\n  ag integ ad\n  af fold asig, 2.5",
            VOICES,
        );
    }

    /// The two-pole two-zero family: `biquad`, `resonz`, `rbjeq`, `eqfil`.
    #[divan::bench]
    fn biquads(b: Bencher) {
        run_blocks(
            b,
            "  asig oscili p4, cpsoct(p5), p6\n  a1 biquad asig, 0.1, 0.2, 0.1, 1, -1.6, 0.7\n  a2 resonz asig, 800, 100, 1\n  a3 rbjeq asig, 1000, 2, 1, 1, 8\n  a4 eqfil asig, 500, 100, 2",
            VOICES,
        );
    }

    /// Waveshapers: `pdhalf`, `pdclip`, `powershape`, `chebyshevpoly`.
    #[divan::bench]
    fn shaping(b: Bencher) {
        run_blocks(
            b,
            "  aph phasor cpsoct(p5)\n  a1 pdhalf aph, -0.5\n  a2 pdclip aph, 0.3, 0.1, 1\n  a3 powershape aph, 2.5\n  a4 chebyshevpoly aph, 0, 0.5, 0.3, 0.2",
            VOICES,
        );
    }

    /// `nreverb`: six combs and five all-passes per voice.
    #[divan::bench]
    fn nreverb(b: Bencher) {
        run_blocks(
            b,
            "  asig oscili p4, cpsoct(p5), p6\n  arv nreverb asig, 1.5, 0.3",
            VOICES,
        );
    }

    /// The locators: `locsig`+`locsend` on four channels, `space`+`spsend`.
    #[divan::bench]
    fn locators(b: Bencher) {
        run_blocks(
            b,
            "  asig oscili p4, cpsoct(p5), p6\n  a1, a2, a3, a4 locsig asig, p9 * 360, 2, 0.1\n  ar1, ar2, ar3, ar4 locsend\n  as1, as2, as3, as4 space asig, 0, 0, 0.1, p9, 1\n  at1, at2, at3, at4 spsend",
            VOICES,
        );
    }

    /// `tablemix` of 64 points each block, and `tableikt` reading the result.
    #[divan::bench]
    fn tablemix(b: Bencher) {
        run_blocks(
            b,
            "  tablemix 1, 0, 64, 1, 64, 0.5, 1, 128, 0.5\n  aph phasor cpsoct(p5)\n  asig tableikt aph, 1, 1",
            VOICES,
        );
    }

    /// Table vectors: `vcopy` and `vmult` over 16 points each block.
    #[divan::bench]
    fn vectors(b: Bencher) {
        run_blocks(
            b,
            "  vcopy 1, 1, 16, 32, 0\n  vmult 1, 1, 16, 64\n  vaddv 1, 1, 16, 96, 0",
            VOICES,
        );
    }

    /// The spectral family: `pvsanal` -> `pvscale` -> `pvsynth` (N 1024,
    /// overlap 256) and `pvsifd` -> `partials` -> `tradsyn` (N 1024, hop
    /// 256), ten voices (a frame costs far more than a sample).
    #[divan::bench(args = ["pvs", "tracks"])]
    fn spectral(b: Bencher, chain: &str) {
        let body = match chain {
            "pvs" => {
                "  asig oscili p4, cpsoct(p5), p6\n  fs pvsanal asig, 1024, 256, 1024, 1\n  fu pvscale fs, 1.5\n  aout pvsynth fu"
            }
            _ => {
                "  asig oscili p4, cpsoct(p5), p6\n  ff, fp pvsifd asig, 1024, 256, 1\n  ft partials ff, fp, 0.01, 1, 3, 100\n  aout tradsyn ft, 1, 1, 100, 1"
            }
        };
        run_blocks(b, body, 10);
    }

    /// Multichannel output: `outq` into four channels of a stereo bus (two dropped).
    #[divan::bench]
    fn outq(b: Bencher) {
        run_blocks(b, "  asig init 0.1\n  outq asig, asig, asig, asig", VOICES);
    }

    /// The whole voice: linen + oscili + pan2 + outs.
    #[divan::bench]
    fn voice(b: Bencher) {
        run_blocks(b, VOICE, VOICES);
    }
}

mod scaling {
    use super::*;

    /// The voices1000 voice played by n notes at once.
    #[divan::bench(args = [1, 10, 100, 1000, 5000])]
    fn voices(b: Bencher, n: usize) {
        run_blocks(b, VOICE, n);
    }

    /// csd/voices1000.csd itself, from its start (notes still rising).
    #[divan::bench]
    fn voices1000_csd(b: Bencher) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/csd/voices1000.csd");
        let text = std::fs::read_to_string(path).expect("csd/voices1000.csd");
        let mut engine = engine(text);
        let items = engine.rates.ksmps * engine.active_notes();
        b.counter(ItemsCount::new(items))
            .bench_local(|| engine.perform_block());
    }

    /// Short overlapping notes starting and ending all the time (like the
    /// article's grains): 20 notes start every block, each lasting 250
    /// blocks, so about 5000 play at once and 20 end per block.
    #[divan::bench]
    fn grains(b: Bencher) {
        let mut score = String::from("f 1 0 8192 10 1 0.5 0.3 0.2 0.1\n");
        let period = KSMPS as f64 / SR as f64;
        let dur = 250.0 * period;
        for block in 0..20_000 {
            for g in 0..20 {
                let oct = 6.0 + ((block * 20 + g) as f64 * 0.618_034) % 4.0;
                let t = block as f64 * period;
                score.push_str(&format!(
                    "i 1 {t} {dur} 0.0008 {oct:.5} 1 0.001 0.001 0.5\n"
                ));
            }
        }
        let text = format!(
            "<CsoundSynthesizer>\n<CsInstruments>\n{}\ninstr 1\n{VOICE}\nendin\n</CsInstruments>\n<CsScore>\n{score}</CsScore>\n</CsoundSynthesizer>\n",
            header()
        );
        let mut engine = engine(text);
        // Fill up to the steady state.
        for _ in 0..300 {
            engine.perform_block();
        }
        let items = KSMPS * engine.active_notes();
        b.counter(ItemsCount::new(items))
            .bench_local(|| engine.perform_block());
    }
}

/// The yardstick: oscili + linen + pan2 + outs written as one plain loop,
/// with the engine's arithmetic (28-bit fixed-point phase, linear
/// interpolation, linear rise and decay, equal-power pan, stereo bus).
mod yardstick {
    use super::*;

    struct Voice {
        phase: i64,
        inc: i64,
        amp: f64,
        rise_val: f64,
        rise_inc: f64,
        rise_left: i64,
        dec_val: f64,
        dec_inc: f64,
        dec_wait: i64,
        left: f64,
        right: f64,
    }

    fn voices(n: usize, table_len: usize) -> Vec<Voice> {
        let kr = SR as f64 / KSMPS as f64;
        (0..n)
            .map(|v| {
                let oct = 6.0 + (v as f64 * 0.618_034) % 4.0;
                let cps = 2f64.powf(oct) * 1.021_975_173_109_183_7;
                let pan = (v as f64 * 0.381_966) % 1.0;
                let (s, c) = (pan * std::f64::consts::FRAC_PI_2).sin_cos();
                let rise = ((0.5 + (v % 7) as f64 * 0.25) * kr + 0.5) as i64;
                let dec = (0.5 + (v % 5) as f64 * 0.3) * kr + 0.5;
                let _ = table_len;
                Voice {
                    phase: 0,
                    inc: (cps * (1i64 << 28) as f64 / SR as f64).round() as i64,
                    amp: 0.0008,
                    rise_val: 0.0,
                    rise_inc: 1.0 / rise as f64,
                    rise_left: rise,
                    dec_val: 1.0,
                    dec_inc: 1.0 / dec,
                    dec_wait: (100000.0 * kr) as i64,
                    left: c,
                    right: s,
                }
            })
            .collect()
    }

    fn block(voices: &mut [Voice], table: &[f64], lobits: u32, bus: &mut [f64]) {
        let lomask = (1i64 << lobits) - 1;
        let lodiv = 1.0 / (1i64 << lobits) as f64;
        bus.fill(0.0);
        for v in voices.iter_mut() {
            // linen at k-rate: one value per block.
            let env = v.amp * v.rise_val * v.dec_val;
            if v.rise_left > 0 {
                v.rise_left -= 1;
                v.rise_val = if v.rise_left == 0 {
                    1.0
                } else {
                    v.rise_val + v.rise_inc
                };
            }
            if v.dec_wait > 0 {
                v.dec_wait -= 1;
            } else {
                v.dec_val -= v.dec_inc;
            }
            let mut phase = v.phase;
            for frame in bus.chunks_exact_mut(2) {
                let index = (phase >> lobits) as usize;
                let v1 = table[index];
                let frac = (phase & lomask) as f64 * lodiv;
                let x = env * (v1 + (table[index + 1] - v1) * frac);
                phase = (phase + v.inc) & ((1 << 28) - 1);
                frame[0] += x * v.left;
                frame[1] += x * v.right;
            }
            v.phase = phase;
        }
    }

    #[divan::bench(args = [1, 10, 100, 1000, 5000])]
    fn voices_plain_loop(b: Bencher, n: usize) {
        let len = 8192;
        let table: Vec<f64> = (0..=len)
            .map(|i| {
                let x = std::f64::consts::TAU * (i % len) as f64 / len as f64;
                x.sin() + 0.5 * (2.0 * x).sin() + 0.3 * (3.0 * x).sin()
            })
            .collect();
        let lobits = 28 - (len as u32).trailing_zeros();
        let mut vs = voices(n, len);
        let mut bus = vec![0.0; KSMPS * 2];
        b.counter(ItemsCount::new(KSMPS * n)).bench_local(|| {
            block(&mut vs, &table, lobits, &mut bus);
            divan::black_box(&bus);
        });
    }
}
