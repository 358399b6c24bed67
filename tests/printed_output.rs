// Printed output: the text of print, printk, printk2, prints, printks, printf_i, printf, puts and
// printarray must match what csound 6.18 prints for the same CSD, line for line.

mod common;

use common::*;
use std::process::Command;

/// Whether a line is output of a printing opcode: `instr N:  ...` (print), ` i   N time ...`
/// (printk), ` iN  value` (printk2), ` 1.0000 2.0000 ` (printarray's numbers) or, by the CSDs'
/// convention, `P: ...` (the formatted printers, puts, printarray's labels).
fn is_printed(line: &str) -> bool {
    let printk2 = line.strip_prefix(" i").is_some_and(|rest| {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        digits > 0 && rest[digits..].starts_with(' ')
    });
    let numbers = line.starts_with(' ')
        && !line.trim().is_empty()
        && line.split_whitespace().all(|w| w.parse::<f64>().is_ok());
    if printk2 || numbers {
        return true;
    }
    let printk = line
        .strip_prefix(" i")
        .map(|rest| rest.trim_start())
        .is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_digit()) && rest.contains(" time ")
        });
    let print = line
        .strip_prefix("instr ")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()) && rest.contains(':'));
    print || printk || line.starts_with("P: ")
}

fn printed(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.replace("\x1b[m", ""))
        .filter(|l| is_printed(l))
        .collect()
}

fn check_printed(name: &str) {
    let csd = repo_root()
        .join("tests")
        .join("conformance")
        .join(format!("{name}.csd"));
    assert!(
        csound_available(),
        "the reference `csound` is not installed"
    );
    let mut cmd = Command::new("csound");
    cmd.arg("-n").arg("-d").arg(&csd);
    let reference = run_with_timeout(cmd, RENDER_TIMEOUT, "csound");
    assert!(
        reference.status.success(),
        "csound failed:\n{}",
        reference.stderr
    );
    let expected = printed(&format!("{}{}", reference.stdout, reference.stderr));
    assert!(
        !expected.is_empty(),
        "{name}: csound printed nothing to compare"
    );

    let dir = unique_temp_dir(name);
    let wav = dir.join("rhapsody.wav");
    let ours = run_rhapsody(&[
        "render".as_ref(),
        csd.as_os_str(),
        "-o".as_ref(),
        wav.as_os_str(),
    ]);
    assert!(ours.status.success(), "rhapsody failed:\n{}", ours.stderr);
    let got = printed(&ours.stdout);
    for (i, (e, g)) in expected.iter().zip(&got).enumerate() {
        assert_eq!(g, e, "{name}: printed line {} differs", i + 1);
    }
    assert_eq!(got.len(), expected.len(), "{name}: number of printed lines");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ops_printing_text_matches_csound() {
    check_printed("ops_printing");
}

#[test]
fn printk2_puts_and_printarray_text_matches_csound() {
    check_printed("printing_arrays_triggers");
}

#[test]
fn runtime_strings_text_matches_csound() {
    check_printed("strings_runtime");
}
