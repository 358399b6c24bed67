//! The console without a terminal: lines piped into stdin are evaluated in
//! order, results printed, multi-line input joined; end of input ends it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Run `rhapsody ARGS` with `input` piped into its console (history kept
/// in a state folder of its own, named after `name`) and wait for it.
fn console_with_input(name: &str, args: &[&str], input: &[u8]) -> Output {
    let state = std::env::temp_dir().join(format!("rhapsody-{name}-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_rhapsody"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_STATE_HOME", &state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rhapsody");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn piped_lines_are_evaluated() {
    let out = console_with_input(
        "pipe",
        &["csd/simple.csd"],
        b"note([1,0,1,0.5,8.75,1,0.05,0.3,0.5])\nsr()\nlet f = |x| {\nx * 2 }\nf.call(21)\nhelp bl_triangle\nprint(\"hi\" + 1)\nfoo(1 +* 2)\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.contains(&"96000.0"), "{stdout}");
    assert!(lines.contains(&"42"), "{stdout}");
    assert!(lines.contains(&"hi1"), "{stdout}");
    assert!(stdout.contains("band-limited triangle"), "{stdout}");
    assert!(stdout.contains("<console>:1:"), "{stdout}");
    // The session was stopped and reported.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("played"), "{stderr}");
}

/// The walkthrough's first step: `rhapsody` with no CSD opens the console on
/// a session with Csound's defaults, and a CSD can be loaded from there.
#[test]
fn the_console_starts_without_a_csd_and_loads_one() {
    let out = console_with_input(
        "pipe-nocsd",
        &["--device", "silent"],
        b"sr()\nkr()\nnchnls()\nload(\"csd/simple.csd\")\nsr()\nnchnls()\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let at = |v: &str| lines.iter().position(|l| *l == v);
    let (defaults, loaded) = (at("44100.0"), at("96000.0"));
    assert!(defaults.is_some() && lines.contains(&"4410.0"), "{stdout}");
    assert!(loaded.is_some() && defaults < loaded, "{stdout}");
    assert!(lines.contains(&"1") && lines.contains(&"2"), "{stdout}");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
