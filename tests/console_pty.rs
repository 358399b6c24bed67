//! The interactive console driven through a pseudo-terminal: the real
//! binary with `csd/simple.csd`, TAB completion, multi-line input, engine
//! messages arriving while a line is typed, Ctrl-C and Ctrl-D.

use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::{ControlCode, Expect, Regex, Session};

/// Generous: a loaded 2-core machine, a debug binary.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A fresh, empty prompt (a redraw of a line being edited has text after
/// it). Keys are sent only once it shows: typed ahead while a script runs,
/// they may be flushed when the editor takes the terminal back.
const PROMPT: Regex<&str> = Regex("rhapsody> \r");

/// `rhapsody csd/simple.csd --device silent ARGS...` in a pseudo-terminal,
/// its console history kept under `state`.
fn spawn(state: &std::path::Path, args: &[&std::ffi::OsStr]) -> impl Expect + use<> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rhapsody"));
    // The silent clock, not the sound server: these tests are about the
    // console, and PulseAudio's stall after a stream starts (about 2 s,
    // with four consoles starting at once) only adds to what can be slow.
    cmd.args(["csd/simple.csd", "--device", "silent"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_STATE_HOME", state)
        .env("TERM", "xterm");
    let mut s = Session::spawn(cmd).expect("spawn rhapsody in a pty");
    s.set_expect_timeout(Some(TIMEOUT));
    s
}

/// The console, once its first prompt shows.
fn console(state: &std::path::Path) -> impl Expect + use<> {
    let mut s = spawn(state, &[]);
    s.expect(PROMPT).expect("a prompt");
    s
}

/// Ctrl-D, and the report that the performance ended.
fn quit(s: &mut impl Expect) {
    s.send(ControlCode::EndOfTransmission).unwrap();
    s.expect(Regex("played|errors in performance")).unwrap();
}

fn state_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rhapsody-console-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn tab_completes_registered_functions() {
    let dir = state_dir("tab");
    let mut s = console(&dir);
    s.send("bl_tri\t").unwrap();
    s.expect("bl_triangle").unwrap();
    s.send("\r").unwrap();
    // The bare function name evaluates to nothing useful, but the line was
    // completed: the next prompt comes.
    s.expect(PROMPT).unwrap();
    s.send_line("let my_own_var = 5").unwrap();
    s.expect(PROMPT).unwrap();
    s.send("my_own_v\t").unwrap();
    s.expect("my_own_var").unwrap();
    s.send(" * 2\r").unwrap();
    s.expect("10").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
    // History was kept.
    let history = std::fs::read_to_string(dir.join("rhapsody/history")).unwrap();
    assert!(history.contains("let my_own_var = 5"), "{history}");
}

#[test]
fn multi_line_input_continues() {
    let dir = state_dir("multi");
    let mut s = console(&dir);
    s.send("let f = |x| {\r").unwrap();
    s.expect("let f = |x| {").unwrap();
    s.send("x * 2 }\r").unwrap();
    s.expect(PROMPT).unwrap();
    s.send("f.call(21)\r").unwrap();
    s.expect("42").unwrap();
    s.expect(PROMPT).unwrap();
    s.send("fn g(x) {\r").unwrap();
    s.expect("fn g(x) {").unwrap();
    s.send("x * 3\r").unwrap();
    s.expect("x * 3").unwrap();
    s.send("}\r").unwrap();
    s.expect(PROMPT).unwrap();
    s.send_line("g(14)").unwrap();
    s.expect("42").unwrap();
    s.expect(PROMPT).unwrap();
    s.send_line("help").unwrap();
    s.expect("bl_triangle").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn a_message_while_typing_leaves_the_line_intact() {
    let dir = state_dir("msg");
    let mut s = console(&dir);
    // simple.csd has no table 1: the note's start (2 s from now) makes the
    // engine report an error, which arrives while we type.
    s.send_line("note([1, 2, 0.5, 0.5, 8.75, 1, 0.05, 0.3, 0.5])")
        .unwrap();
    s.expect(PROMPT).unwrap();
    s.send("sr(").unwrap();
    s.expect(Regex("ERROR: [^\r\n]*table 1 does not exist"))
        .unwrap();
    // The printer redraws the prompt with the typed text after the message.
    s.expect("rhapsody> sr(").unwrap();
    s.send(")\r").unwrap();
    s.expect("96000").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn ctrl_c_stops_a_script_not_the_console() {
    let dir = state_dir("ctrlc");
    let mut s = console(&dir);
    // A loop that waits now and then: the 1 s budget between waits never
    // stops it, so only Ctrl-C can.
    s.send_line("loop { wait(0.01); }").unwrap();
    // Let the script start (the terminal leaves raw mode).
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    s.send(ControlCode::EndOfText).unwrap();
    s.expect("interrupted").unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(8),
        "Ctrl-C took {:?}",
        sent.elapsed()
    );
    s.expect(PROMPT).unwrap();
    s.send_line("sr()").unwrap();
    s.expect("96000").unwrap();
    s.expect(PROMPT).unwrap();
    // Ctrl-C at the prompt only clears the line.
    s.send("garbage").unwrap();
    s.expect("garbage").unwrap();
    s.send(ControlCode::EndOfText).unwrap();
    s.expect(PROMPT).unwrap();
    s.send_line("sr()").unwrap();
    s.expect("96000").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn a_doc_comment_alone_starts_a_multi_line_input() {
    let dir = state_dir("doc");
    let mut s = console(&dir);
    s.send("/// Twice x.\r").unwrap();
    s.expect("/// Twice x.").unwrap();
    s.send("fn twice(x) { x * 2 }\r").unwrap();
    s.expect(PROMPT).unwrap();
    s.send_line("twice(21)").unwrap();
    s.expect("42").unwrap();
    s.expect(PROMPT).unwrap();
    // The comment documents the function.
    s.send_line("help twice").unwrap();
    s.expect("Twice x.").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn script_errors_point_where_a_user_looks() {
    let dir = state_dir("errors");
    let mut s = console(&dir);
    // p-fields counted as csound counts them, with a caret under the place.
    // (From p4 on a string is a string p-field; p1 to p3 are numbers.)
    s.send_line("note([1, 0, \"long\"])").unwrap();
    s.expect("p3 must be a number").unwrap();
    s.expect(Regex("\n  note\\(\\[1, 0, \"long\"\\]\\)\r?\n *\\^"))
        .unwrap();
    s.expect(PROMPT).unwrap();
    // A misspelt function: the nearest name.
    s.send_line("tabel_length(1)").unwrap();
    s.expect("did you mean table_length?").unwrap();
    s.expect(PROMPT).unwrap();
    // Fields without brackets: what to write.
    s.send_line("note(1, 0, 1)").unwrap();
    s.expect("note([1, 0, 1, 0.5, 8.75").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn help_one_liners_are_whole_sentences() {
    let dir = state_dir("help-sentences");
    let mut s = console(&dir);
    s.send_line("help").unwrap();
    // draw_output's documentation runs over two lines: its one-liner is the
    // whole first sentence, up to its full stop.
    s.expect(Regex(
        "draw_output +Draw the last `seconds` of the engine's output[^\r\n]*\\.\r",
    ))
    .unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn watch_runs_the_file_at_once_and_says_so_once() {
    let dir = state_dir("watch");
    let file = dir.join("now.rhai");
    std::fs::write(&file, "fn v() { 11 }\nprint(\"ran at once\");\n").unwrap();
    let mut s = console(&dir);
    s.send_line(format!("watch(\"{}\")", file.display()))
        .unwrap();
    s.expect(Regex("watching [^\r\n]*now.rhai")).unwrap();
    s.expect("ran at once").unwrap();
    s.expect(PROMPT).unwrap();
    s.send_line("v()").unwrap();
    s.expect("11").unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

#[test]
fn the_console_says_which_device_it_opened() {
    let dir = state_dir("device");
    let mut s = spawn(&dir, &[]);
    s.expect(Regex(
        "playing on a silent real-time clock[^\r\n]*96000 Hz, 2 channels, buffer",
    ))
    .unwrap();
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}

/// The number a regex's first group caught.
fn caught(found: &expectrl::Captures) -> f64 {
    let bytes = found.get(1).expect("a group");
    String::from_utf8_lossy(bytes).parse().expect("a number")
}

#[test]
fn an_e_from_the_console_ends_the_performance_at_its_time() {
    // simple.csd's score runs 14400 s (`f 0 14400`) and nothing sounds:
    // the `e` alone decides the end, one second after it was sent.
    let dir = state_dir("e-line");
    let mut s = console(&dir);
    s.send_line("let t = score_time(); score_event(\"e\", [0, 1]); print(`sent at ${t}`)")
        .unwrap();
    let sent = caught(&s.expect(Regex("sent at ([0-9.]+)")).unwrap());
    s.expect("end of performance").unwrap();
    s.expect(PROMPT).unwrap();
    s.send(ControlCode::EndOfTransmission).unwrap();
    let ended = caught(
        &s.expect(Regex("end of performance: score time ([0-9.]+)"))
            .unwrap(),
    );
    assert!(
        (ended - (sent + 1.0)).abs() < 0.05,
        "sent at {sent} s, ended at {ended} s"
    );
}

#[test]
fn an_e_from_a_script_ends_the_performance_at_its_time() {
    let dir = state_dir("e-script");
    let script = dir.join("end.rhai");
    std::fs::write(
        &script,
        "let t = score_time();\nscore_event(\"e\", [0, 1]);\nprint(`sent at ${t}`);\n",
    )
    .unwrap();
    let mut s = spawn(&dir, &[script.as_os_str()]);
    let sent = caught(&s.expect(Regex("sent at ([0-9.]+)")).unwrap());
    s.expect("end of performance").unwrap();
    s.send(ControlCode::EndOfTransmission).unwrap();
    let ended = caught(
        &s.expect(Regex("end of performance: score time ([0-9.]+)"))
            .unwrap(),
    );
    assert!(
        (ended - (sent + 1.0)).abs() < 0.05,
        "sent at {sent} s, ended at {ended} s"
    );
}

/// A million notes from one console line: the engine takes a bounded
/// number of commands per block, so the burst is spread over blocks; each
/// note the full queue refuses is an error the script can count (none is
/// dropped in silence); and the console answers the next line at once.
#[test]
fn the_console_answers_at_once_after_a_million_note_burst() {
    let dir = state_dir("burst");
    let mut s = console(&dir);
    s.send_line("score_event(\"f\", [1, 0, 4096, 10, 1]); flush();")
        .unwrap();
    s.expect(PROMPT).unwrap();
    // Silent, one-block notes; a wait now and then keeps the loop within
    // the 1 s budget between waits.
    s.send_line(
        "let sent = 0; let refused = 0; for i in 0..1000000 { \
         try { note([1, 0, 0.001, 0, 8, 1, 0.0004, 0.0004, 0.5]); sent += 1; } \
         catch { refused += 1; } if i % 50000 == 49999 { wait(0); } } \
         print(`burst: ${sent + refused} notes, ${sent} sent, ${refused} refused`);",
    )
    .unwrap();
    let found = s
        .expect(Regex(r"burst: (\d+) notes, (\d+) sent, (\d+) refused"))
        .unwrap();
    let group = |i| String::from_utf8_lossy(found.get(i).expect("a group")).to_string();
    let found = [group(1), group(2), group(3)];
    assert_eq!(found[0], "1000000", "{found:?}");
    s.expect(PROMPT).unwrap();
    // The next line, which asks the session, is answered at once.
    let asked = Instant::now();
    s.send_line("active_notes() * 0 + 4200 + 42").unwrap();
    s.expect("4242").unwrap();
    let answer = asked.elapsed();
    eprintln!(
        "{found:?}; answered {:.1} ms after the burst",
        answer.as_secs_f64() * 1000.0
    );
    assert!(answer < Duration::from_secs(1), "answered after {answer:?}");
    s.expect(PROMPT).unwrap();
    quit(&mut s);
}
