//! The user's book (`book/`): its examples run and its reference pages are
//! generated from the code, so neither can drift.
//!
//! - Every page's ```rhai blocks run on their own, in order, on a fresh
//!   session of `csd/simple.csd` (offline), as a reader types them into a
//!   fresh `rhapsody csd/simple.csd`; ```rhai,ignore blocks are skipped.
//!   What a page plays must not clip: no sample out of range.
//! - Every ```csd block is compiled and rendered offline and must not error.
//! - `book/src/reference/functions.md`, `opcodes.md` and `gens.md` are
//!   generated here from the host's function metadata, the opcode registry
//!   and the GEN registry. When a committed page differs from what the code
//!   says, the test writes the new page and fails: run it again, review the
//!   diff, commit. (`cargo test --test book` regenerates them.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rhapsody::csd::Csd;
use rhapsody::host::{Host, HostConfig};
use rhapsody::options::{Options, SampleFormat};
use rhapsody::session::{Clock, Session};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn book_src() -> PathBuf {
    root().join("book").join("src")
}

/// The pages in the order SUMMARY.md lists them.
fn pages() -> Vec<PathBuf> {
    let summary = std::fs::read_to_string(book_src().join("SUMMARY.md")).expect("SUMMARY.md");
    let mut out = Vec::new();
    for line in summary.lines() {
        if let Some(start) = line.find("](") {
            let rest = &line[start + 2..];
            if let Some(end) = rest.find(')') {
                let p = &rest[..end];
                if !p.is_empty() {
                    out.push(book_src().join(p));
                }
            }
        }
    }
    out
}

/// A fenced code block: its info string, first line number and text.
struct Block {
    info: String,
    line: usize,
    text: String,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("```") {
            match open.take() {
                None => open = Some((rest.trim().to_string(), i + 2, String::new())),
                Some((info, line, text)) => out.push(Block { info, line, text }),
            }
        } else if let Some((_, _, text)) = open.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

fn language(info: &str) -> (&str, bool) {
    let mut parts = info.split(',').map(str::trim);
    let lang = parts.next().unwrap_or("");
    let ignore = parts.any(|p| p == "ignore");
    (lang, ignore)
}

fn offline_session() -> Session {
    Session::new(
        Clock::Offline {
            path: None,
            format: SampleFormat::Int16,
        },
        Options::default(),
    )
}

fn quiet_host(session: Session) -> Host {
    let printed = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = printed.clone();
    Host::with_config(
        session,
        HostConfig {
            time_limit: Duration::from_secs(60),
            // BOOK_SHOW_PRINTS=1 shows what the examples print (to check the book's comments).
            print: Some(Arc::new(move |s: &str| {
                if std::env::var_os("BOOK_SHOW_PRINTS").is_some() {
                    println!("{s}");
                }
                sink.lock().unwrap().push(s.to_string())
            })),
            // The examples draw: into a temporary folder, not the repository's plots/.
            plot_dir: std::env::temp_dir()
                .join(format!("rhapsody-book-plots-{}", std::process::id())),
            ..HostConfig::default()
        },
    )
}

/// "overall samples out of range:  0  12" lines of end-of-performance
/// reports: the counts, one per channel.
fn out_of_range_counts(report: &str) -> Vec<u64> {
    report
        .lines()
        .filter_map(|l| l.trim().strip_prefix("overall samples out of range:"))
        .flat_map(|rest| {
            rest.split_whitespace()
                .filter_map(|n| n.parse::<u64>().ok())
        })
        .collect()
}

/// Run one page's rhai blocks on a fresh `rhapsody csd/simple.csd`; render
/// what they scheduled; the end-of-performance reports. Panics on a failing block.
fn run_page(page: &Path) -> (usize, String) {
    let mut session = offline_session();
    let messages = session.take_messages().expect("a fresh session's messages");
    session
        .load(Path::new("csd/simple.csd"))
        .expect("simple.csd loads");
    let mut host = quiet_host(session);
    let text = std::fs::read_to_string(page).unwrap();
    let mut ran = 0;
    for b in blocks(&text) {
        let (lang, ignore) = language(&b.info);
        if lang != "rhai" || ignore {
            continue;
        }
        if let Err(e) = host.eval_line(&b.text) {
            panic!(
                "{}:{}: this rhai block fails when the page's examples run on their own: {e}\n{}",
                page.display(),
                b.line,
                b.text
            );
        }
        ran += 1;
    }
    // Play what the examples scheduled to its end: a page that clips is caught.
    let end = host.last_event_end();
    let mut session = host.into_session();
    rhapsody::host::finish_render(&mut session, end).expect("the page's notes render");
    session.stop();
    drop(session);
    let reports: Vec<String> = messages.try_iter().map(|m| m.text).collect();
    (ran, reports.join("\n"))
}

#[test]
fn rhai_examples_run_on_their_own_per_page() {
    // Paths in the examples (csd/simple.csd, scripts/...) are relative to the repository.
    std::env::set_current_dir(root()).unwrap();
    let mut ran = 0;
    let mut pages_with_examples = 0;
    for page in pages() {
        let (n, reports) = run_page(&page);
        if n == 0 {
            continue;
        }
        ran += n;
        pages_with_examples += 1;
        let clipped: u64 = out_of_range_counts(&reports).iter().sum();
        assert!(
            reports.contains("overall samples out of range"),
            "{}: no end-of-performance report:\n{reports}",
            page.display()
        );
        assert_eq!(
            clipped,
            0,
            "{}: the page's examples clip ({clipped} samples out of range):\n{reports}",
            page.display()
        );
        // A note on a table the page never made is an engine error.
        let errors: u64 = reports
            .lines()
            .filter_map(|l| l.trim().strip_suffix(" errors in performance"))
            .filter_map(|n| n.trim().parse::<u64>().ok())
            .sum();
        assert_eq!(
            errors,
            0,
            "{}: the engine reported errors:\n{reports}",
            page.display()
        );
    }
    assert!(ran > 20, "only {ran} rhai blocks ran: is SUMMARY.md read?");
    assert!(
        pages_with_examples >= 8,
        "only {pages_with_examples} pages have examples"
    );
}

#[test]
fn clipping_is_counted_from_the_report() {
    let report = "end of performance: score time 4.000 s\n\t   overall amps:  2.84652  3.39166\n\t   overall samples out of range:    86850    89065\n0 errors in performance";
    assert_eq!(out_of_range_counts(report), vec![86850, 89065]);
}

#[test]
fn csd_examples_render() {
    let mut ran = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for b in blocks(&text) {
            let (lang, ignore) = language(&b.info);
            if lang != "csd" || ignore {
                continue;
            }
            let name = format!("{}:{}", page.display(), b.line);
            let csd = Csd::parse(&name, b.text.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut prepared = rhapsody::session::pipeline::prepare(&csd, &Options::default())
                .unwrap_or_else(|d| panic!("{name}: does not compile:\n{d}"));
            assert!(
                prepared.diagnostics.is_empty(),
                "{name}: {:?}",
                prepared
                    .diagnostics
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
            );
            let report = rhapsody::render::render(
                &mut prepared.engine,
                rhapsody::audio::wav::Sink::Nowhere,
                Some(20.0),
                |_, _| {},
            )
            .unwrap_or_else(|e| panic!("{name}: render fails: {e:#}"));
            assert_eq!(report.errors, 0, "{name}: errors while rendering");
            ran += 1;
        }
    }
    assert!(ran >= 2, "only {ran} csd blocks rendered");
}

#[test]
fn every_page_in_summary_exists() {
    for p in pages() {
        assert!(
            p.exists(),
            "SUMMARY.md links to a missing page {}",
            p.display()
        );
    }
}

// ------------------------------------------------------------------ reference

/// An example for every registered function. A new function without an
/// example here fails `reference_pages_are_current`. The examples run (they
/// are ```rhai blocks of functions.md), in this order, in the book's session.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "automate",
        "let h = note([1, 0, 2, 0.1, 8.75, 1, 0.05, 0.3, 0.5]);\nh.automate(\"p5\", [0, 8.75, 1, 9.75]); // an octave up over one beat",
    ),
    (
        "instr",
        "instr(2, \"a1 oscili 0.1, 440, 1\\nouts a1, a1\"); // defines (or redefines) instr 2\ninstr(2, \"a1 oscili 0.1, 660, 1\\nouts a1, a1\", \"crossfade 50\");",
    ),
    (
        "orchestra",
        "orchestra(\"instr 3\\n  a1 oscili 0.1, p4, 1\\n  outs a1, a1\\nendin\");\nnote([3, 0, 0.5, 330]);",
    ),
    (
        "playing",
        "let h = note([1, 0, 0.5, 0.1, 8.75, 1, 0.05, 0.3, 0.5]);\nprint(h.playing()); // true",
    ),
    (
        "release",
        "// held (p3 < 0); p1 1.1 so that no other held note of instr 1 ties with it\nlet h = note([1.1, 0, -1, 0.1, 8.75, 1, 0.05, 0.3, 0.5]);\nwait(0.5);\nh.release();",
    ),
    (
        "reload_orchestra",
        "reload_orchestra(); // redefines the CSD's instruments whose text changed on disk",
    ),
    (
        "set",
        "let h = note([1, 0, 2, 0.1, 8.75, 1, 0.05, 0.3, 0.5]);\nh.set(\"p5\", 9.0); // heard from the next block",
    ),
    (
        "swap_mode",
        "swap_mode(1, \"crossfade 80\"); // instr 1's notes move to its next definition",
    ),
    ("active_notes", "print(`${active_notes()} notes sounding`);"),
    ("bl_impulse", "bl_impulse(121, 4096, 25);"),
    ("bl_square", "bl_square(111, 4096, 25);"),
    ("bl_triangle", "bl_triangle(101, 4096, 25);"),
    ("chnget", "let level = chnget(\"level\");"),
    ("chnset", "chnset(\"level\", 0.5);"),
    ("csd_name", "print(csd_name()); // csd/simple.csd"),
    ("dir", "print(dir());"),
    (
        "draw_output",
        "note([1, 0, 0.4, 0.5, 8.75, 1, 0.01, 0.1, 0.5]);\nwait(0.5);\nprint(draw_output(0.5)); // plots/output-last-0.5s.png",
    ),
    (
        "draw_skewlines",
        "print(draw_skewlines([[1, -1, -1], [-1, -1, 1]], [[-1, 1, 0], [1, 1, 0]], 5)); // plots/skewlines-2x5.png",
    ),
    (
        "draw_table",
        "print(draw_table(1)); // plots/table-1.png\ndraw_table(1, \"my sine\"); // plots/my-sine.png",
    ),
    (
        "draw_tables",
        "bl_triangle(101, 4096, 25);\nbl_square(111, 4096, 25);\nprint(draw_tables([101, 111])); // plots/tables-101-111.png",
    ),
    (
        "flush",
        "score_event(\"f\", [1, 0, 4096, 10, 1]);\nflush();\nprint(table_length(1)); // 4096",
    ),
    ("gauss", "let x = gauss();"),
    ("help", "print(help());\nprint(help(\"note\"));"),
    (
        "interpolate_tables",
        "bl_triangle(101, 4096, 25);\nbl_square(111, 4096, 25);\ninterpolate_tables(101, 111); // makes 102 .. 110",
    ),
    ("is_playing", "if is_playing() { print(\"playing\"); }"),
    ("kr", "print(kr()); // 960.0 for simple.csd"),
    ("ksmps", "print(ksmps()); // 100"),
    (
        "len",
        "let t = table(1);\nprint(t.len()); // 4097: 4096 points + the guard point",
    ),
    ("length", "print(table(1).length()); // 4096"),
    (
        "linspace",
        "print(linspace(0, 1, 5)); // [0.0, 0.25, 0.5, 0.75, 1.0]",
    ),
    (
        "load",
        "load(\"csd/simple.csd\"); // starts again: tables made live are gone\nscore_event(\"f\", [1, 0, 4096, 10, 1]);\nflush();",
    ),
    ("map", "let squares = table(1).map(|x| x * x);"),
    ("nchnls", "print(nchnls()); // 2"),
    ("normalize", "let t = table(1);\nt.normalize();"),
    (
        "note",
        "note([1, 0, 0.2, 0.5, 8.75, 1, 0.01, 0.1, 0.5]);\nnote([1, 2, 0.2, 0.5, 9.00, 1, 0.01, 0.1, 0.5], true); // at beat 2 of the performance, if not passed",
    ),
    ("ones", "print(ones(3)); // [1.0, 1.0, 1.0]"),
    ("peak", "print(table(1).peak()); // 1.0"),
    (
        "plot_folder",
        "print(plot_folder()); // plots, or the folder given with --plots",
    ),
    (
        "play_hp",
        "let lines = skewlines([[1, -1, -1], [-1, -1, 1]], [[-1, 1, 0], [1, 0, 0]], 4);\nseed(1);\nlet n = play_hp(lines, 7.0, 8.0, 1, 1, 1); // 8 grains within one second, all on table 1",
    ),
    ("points", "let copy = table(1).points();"),
    (
        "restart",
        "restart();\nscore_event(\"f\", [1, 0, 4096, 10, 1]);\nflush();",
    ),
    ("rewind_score", "rewind_score();"),
    (
        "run",
        "run(\"scripts/utils.rhai\"); // defines my_square, my_saw, sweep",
    ),
    (
        "score_event",
        "score_event(\"i\", [1, 0, 0.2, 0.5, 8.75, 1, 0.01, 0.1, 0.5]);\nscore_event(\"q\", [1, 0, 0]); // mute instrument 1\nscore_event(\"q\", [1, 0, 1]); // unmute it",
    ),
    ("score_time", "print(`now: ${score_time()} s`);"),
    ("seed", "seed(2008); // play_hp and gauss repeat themselves"),
    (
        "skewlines",
        "let lines = skewlines([[1, -1, -1]], [[-1, 1, 1]], 3);\nprint(lines[0][1]); // [0.0, 0.0, 0.0]\n// The article's form: three coordinate rows [xs, ys, zs].\nlet l1 = [linspace(1, -1, 17), ones(17) * -1, linspace(-1, 1, 17)];\nlet l2 = [linspace(-1, 1, 17), linspace(1, -0.25, 17), zeros(17)];\nprint(skewlines(l1, l2, 400).len()); // 17",
    ),
    (
        "sr",
        "print(sr()); // 96000.0 for simple.csd, 44100.0 with no CSD",
    ),
    (
        "stop",
        "stop();\nprint(is_playing()); // false\nrestart();\nscore_event(\"f\", [1, 0, 4096, 10, 1]);\nflush();",
    ),
    (
        "table",
        "let t = table(1);\nprint(t[1022..1025]);\nt[1024] = 1.0;",
    ),
    ("table_get", "print(table_get(1, 1024));"),
    (
        "table_length",
        "print(table_length(1));  // 4096\nprint(table_length(99)); // -1: no such table",
    ),
    (
        "table_set",
        "table_set(1, 1024, -1.0); // a click in the sine\ntable_set(1, 1024, 1.0);  // and gone",
    ),
    (
        "unwatch",
        "// In the console (it needs the file watcher):\n// unwatch(\"scripts/pattern.rhai\");  stops re-running it on save",
    ),
    (
        "wait",
        "note([1, 0, 0.2, 0.5, 8.75, 1, 0.01, 0.1, 0.5]);\nwait(0.25); // live: sleeps; offline: renders 0.25 beats",
    ),
    (
        "watch",
        "// In the console (it needs the file watcher):\n// watch(\"scripts/pattern.rhai\");  runs it now and on every save",
    ),
    ("zero_dbfs", "print(zero_dbfs()); // 1.0"),
    ("zeros", "print(zeros(2)); // [0.0, 0.0]"),
];

fn function_docs() -> Vec<rhapsody::host::state::FnDoc> {
    quiet_host(offline_session()).function_docs()
}

/// A signature as a script writer reads it: Rhai's types, no Rust error type.
fn pretty(signature: &str) -> String {
    let mut s = signature.to_string();
    if let Some(start) = s.find("-> Result<")
        && let Some(end) = s.rfind(", Box<EvalAltResult>>")
    {
        let inner = s[start + "-> Result<".len()..end].to_string();
        s = format!("{}-> {inner}", &s[..start]);
    }
    let s = s
        .replace("&mut LiveTable", "Table")
        .replace("LiveTable", "Table")
        .replace("f64", "float")
        .replace("i64", "int")
        .replace("FnPtr", "function")
        .replace("-> Dynamic", "-> value");
    s.strip_suffix(" -> ()").unwrap_or(&s).to_string()
}

fn functions_md() -> String {
    let docs = function_docs();
    let examples: BTreeMap<&str, &str> = EXAMPLES.iter().copied().collect();
    let mut by_name: BTreeMap<String, Vec<&rhapsody::host::state::FnDoc>> = BTreeMap::new();
    for d in &docs {
        by_name.entry(d.name.clone()).or_default().push(d);
    }
    let mut out = String::from(
        "<!-- GENERATED by tests/book.rs from the host's function metadata (the `///` comments in src/host/). Do not edit: change the code, then run `cargo test --test book` twice. -->\n\
         # Script functions\n\n\
         Every function the Rhai host registers, as `dir()` lists them and `help(\"name\")` \
         explains them. Numbers may be written as integers or decimals everywhere \
         (`number` below).\n\n\
         Besides these functions, a `Table` (from `table(n)`) supports `t[i]`, `t[i] = v`, \
         `t[a..b]` and `t[a..=b]` (read as an array, or assign an array or one number), \
         `for x in t`, `t.number`, and `t + x`, `t - x`, `t * x`, `t / x` with a number, \
         an array or another table of the same size (the result is an array; the table \
         is not changed). Indexes run from 0 to the length: the last point is the guard point. \
         An array times a number multiplies every element (`ones(17) * -1`, as numpy does).\n\n\
         The examples run in this order on a fresh `rhapsody csd/simple.csd`, after this \
         one, which makes the sine table 1 they use:\n\n\
         ```rhai\nscore_event(\"f\", [1, 0, 4096, 10, 1]);\nflush();\n```\n\n",
    );
    out.push_str("| Function | What it does |\n|---|---|\n");
    for (name, list) in &by_name {
        let doc = list
            .iter()
            .map(|d| d.doc.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|d| !d.is_empty())
            .unwrap_or_default();
        // The first sentence of the documentation.
        let first = match doc.find(". ") {
            Some(end) => &doc[..=end],
            None => doc.as_str(),
        };
        out.push_str(&format!(
            "| [`{name}`](#{name}) | {} |\n",
            first.replace('|', "\\|")
        ));
    }
    out.push('\n');
    for (name, list) in &by_name {
        out.push_str(&format!("## {name}\n\n"));
        for d in list {
            out.push_str(&format!("`{}`\n\n", pretty(&d.signature)));
            if !d.doc.is_empty() {
                out.push_str(&d.doc);
                out.push_str("\n\n");
            }
        }
        if let Some(ex) = examples.get(name.as_str()) {
            out.push_str(&format!("```rhai\n{ex}\n```\n\n"));
        }
    }
    out
}

/// The conformance CSDs' text, by file name.
fn conformance_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(root().join("tests/conformance"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csd"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn words(text: &str) -> BTreeSet<&str> {
    let mut set = BTreeSet::new();
    for line in text.lines() {
        let code = line.split(';').next().unwrap_or("");
        for w in code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if !w.is_empty() {
                set.insert(w);
            }
        }
    }
    set
}

fn status(files: &[&str]) -> String {
    if files.is_empty() {
        "implemented; not yet in the conformance suite".to_string()
    } else {
        let shown: Vec<String> = files
            .iter()
            .take(3)
            .map(|f| format!("`{}`", f.trim_end_matches(".csd")))
            .collect();
        let more = if files.len() > 3 {
            format!(" and {} more", files.len() - 3)
        } else {
            String::new()
        };
        format!("compared with csound in {}{more}", shown.join(", "))
    }
}

fn opcodes_md() -> String {
    let files = conformance_files();
    let vocab: Vec<(&str, BTreeSet<&str>)> =
        files.iter().map(|(n, t)| (n.as_str(), words(t))).collect();
    let specs: Vec<_> = rhapsody::opcodes::registry()
        .iter()
        .filter(|s| !s.name.starts_with("##") && s.name != "=")
        .collect();
    let mut by_name: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for s in &specs {
        by_name.entry(s.name).or_default().push(*s);
    }
    let mut out = String::from(
        "<!-- GENERATED by tests/book.rs from rhapsody::opcodes::registry(). Do not edit: change the code, then run `cargo test --test book` twice. -->\n\
         # Opcodes\n\n",
    );
    out.push_str(&format!(
        "rhapsody knows {} opcodes ({} variants by rate). `rhapsody -z` prints the same list. \
         Types use Csound's letters: outputs `a` audio, `k` control, `i` init, `S` string, \
         `m`/`z`/`*` several; inputs `a`, `k` (control or init), `i`, `x` (any rate), `S`, \
         `T` (string or number); optional inputs with a default: `o` 0, `p` 1, `j` -1, `q` 10, \
         `v` 0.5, `h` 127 (init) and `O` 0, `P` 1, `J` -1, `V` 0.5 (control); repeated to the end: \
         `m` init, `z` control, `y` audio, `M` any, `N` any or string.\n\n\
         **Status** says whether a CSD of the conformance suite (`tests/conformance/`, rendered \
         by csound and by rhapsody and compared to 60 dB SNR) uses the opcode, i.e. whether its output has been checked against csound's, \
         and what is known to differ from Csound (measured by comparing outputs).\n\n",
        by_name.len(),
        specs.len()
    ));
    out.push_str("| Opcode | Outputs | Inputs | What it does | Status |\n|---|---|---|---|---|\n");
    for (name, variants) in &by_name {
        let used: Vec<&str> = vocab
            .iter()
            .filter(|(_, w)| w.contains(name))
            .map(|(n, _)| *n)
            .collect();
        let mut st = status(&used);
        if let Some(diff) = rhapsody::opcodes::differences::difference(name) {
            st.push_str(&format!("; **differs:** {diff}"));
        }
        for (i, s) in variants.iter().enumerate() {
            let show = |t: &str| {
                if t.is_empty() {
                    "(none)".to_string()
                } else {
                    format!("`{}`", t.replace('|', "\\|"))
                }
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                if i == 0 {
                    format!("`{name}`")
                } else {
                    String::new()
                },
                show(s.outs),
                show(s.ins),
                s.doc.replace('|', "\\|"),
                if i == 0 { st.as_str() } else { "" },
            ));
        }
    }
    out
}

/// GEN numbers a conformance CSD uses (`f` statements and `ftgen`).
fn gens_used(text: &str) -> BTreeSet<u32> {
    let mut set = BTreeSet::new();
    for line in text.lines() {
        let code = line.split(';').next().unwrap_or("").trim();
        let gen_field = if let Some(rest) = code.strip_prefix('f') {
            if !rest.starts_with(|c: char| c.is_whitespace() || c.is_ascii_digit()) {
                continue;
            }
            rest.split_whitespace().nth(3).map(str::to_string)
        } else if let Some(at) = code.find("ftgen") {
            code[at + 5..]
                .split(',')
                .nth(3)
                .map(|s| s.trim().to_string())
        } else {
            None
        };
        if let Some(g) = gen_field
            && let Ok(n) = g.trim().parse::<i64>()
        {
            set.insert(n.unsigned_abs() as u32);
        }
    }
    set
}

fn gens_md() -> String {
    let files = conformance_files();
    let used: Vec<(&str, BTreeSet<u32>)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), gens_used(t)))
        .collect();
    let mut out = String::from(
        "<!-- GENERATED by tests/book.rs from rhapsody::gens::GENS. Do not edit: change the code, then run `cargo test --test book` twice. -->\n\
         # GEN routines\n\n\
         The GEN routines rhapsody computes for `f` statements, `ftgen` and `score_event(\"f\", ...)`. \
         `f n time size gen args...`: a positive GEN number rescales the table to peak 1, a negative one \
         keeps the values as given. **Status** says whether a CSD of the conformance suite uses it.\n\n\
         | GEN | What it computes | Status |\n|---|---|---|\n",
    );
    for g in rhapsody::gens::GENS {
        let in_files: Vec<&str> = used
            .iter()
            .filter(|(_, s)| s.contains(&g.number))
            .map(|(n, _)| *n)
            .collect();
        out.push_str(&format!(
            "| GEN{:02} | {} | {} |\n",
            g.number,
            g.doc.replace('|', "\\|"),
            status(&in_files)
        ));
    }
    out
}

#[test]
fn reference_pages_are_current() {
    let dir = book_src().join("reference");
    std::fs::create_dir_all(&dir).unwrap();
    let names: BTreeSet<String> = function_docs().into_iter().map(|d| d.name).collect();
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !EXAMPLES.iter().any(|(e, _)| e == n))
        .collect();
    assert!(
        missing.is_empty(),
        "functions without an example in tests/book.rs EXAMPLES: {missing:?}"
    );
    let mut stale = Vec::new();
    for (file, text) in [
        ("functions.md", functions_md()),
        ("opcodes.md", opcodes_md()),
        ("gens.md", gens_md()),
    ] {
        let path = dir.join(file);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old != text {
            std::fs::write(&path, &text).unwrap();
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "book/src/reference/{stale:?} were out of date and have been regenerated: review and commit them"
    );
}

#[test]
fn reference_names_every_function_opcode_and_gen() {
    let dir = book_src().join("reference");
    let functions = std::fs::read_to_string(dir.join("functions.md")).unwrap_or_default();
    for d in function_docs() {
        assert!(
            functions.contains(&format!("## {}\n", d.name)),
            "function {} is missing from functions.md",
            d.name
        );
    }
    let opcodes = std::fs::read_to_string(dir.join("opcodes.md")).unwrap_or_default();
    for s in rhapsody::opcodes::registry()
        .iter()
        .filter(|s| !s.name.starts_with("##") && s.name != "=")
    {
        assert!(
            opcodes.contains(&format!("| `{}` |", s.name)),
            "opcode {} is missing from opcodes.md",
            s.name
        );
    }
    let gens = std::fs::read_to_string(dir.join("gens.md")).unwrap_or_default();
    for g in rhapsody::gens::GENS {
        assert!(
            gens.contains(&format!("| GEN{:02} |", g.number)),
            "GEN{} is missing from gens.md",
            g.number
        );
    }
}
