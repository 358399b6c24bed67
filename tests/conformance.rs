// Conformance: every CSD in tests/conformance/ rendered by the reference `csound` and by
// `rhapsody` must agree to at least 60 dB SNR on every channel.

mod common;

use common::*;
use std::path::PathBuf;

fn conformance_dir() -> PathBuf {
    repo_root().join("tests").join("conformance")
}

/// Renders `tests/conformance/NAME.csd` with both engines and asserts per-channel SNR.
fn check_conformance(name: &str) {
    let csd = conformance_dir().join(format!("{name}.csd"));
    let text = std::fs::read_to_string(&csd)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", csd.display()));
    let ksmps = csd_ksmps(&text);
    let dir = unique_temp_dir(name);

    let reference = render_with_csound(&csd, &dir.join("csound.wav"));
    assert!(
        reference.peak() > 0.0,
        "{name}: the csound reference render is silent, so this test could not fail; fix the CSD"
    );
    let ours = render_with_rhapsody(&csd, &dir.join("rhapsody.wav"));

    let snrs = match compare_audio(&reference, &ours, ksmps) {
        Ok(s) => s,
        Err(msg) => panic!("{name}: {msg}"),
    };
    let report: Vec<String> = snrs
        .iter()
        .enumerate()
        .map(|(c, db)| {
            format!(
                "ch{}: {} dB (ref peak {:.4}, ours peak {:.4})",
                c + 1,
                fmt_db(*db),
                peak(&reference.channels[c]),
                peak(&ours.channels[c])
            )
        })
        .collect();
    println!(
        "{name}: {} frames @ {} Hz; {}",
        reference.len(),
        reference.sample_rate,
        report.join("; ")
    );
    let failing: Vec<&String> = snrs
        .iter()
        .zip(&report)
        .filter(|(db, _)| !(**db >= CONFORMANCE_MIN_SNR_DB))
        .map(|(_, r)| r)
        .collect();
    assert!(
        failing.is_empty(),
        "{name}: SNR below {CONFORMANCE_MIN_SNR_DB} dB on {} channel(s): {}\n(renders kept in {})",
        failing.len(),
        report.join("; "),
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// One `#[test]` per listed CSD, named after the file (tests/conformance/NAME.csd).
macro_rules! conformance_tests {
    ($($name:ident),* $(,)?) => {
        const LISTED: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_conformance(stringify!($name));
            }
        )*
    };
}

conformance_tests! {
    ops_printing,
    arrays_irate,
    arrays_krate,
    sequencing_metro_trigger,
    printing_arrays_triggers,
    ops_events_timing,
    ops_math_rates,
    article_simple_notes,
    comments,
    converters_amplitude_rounding,
    converters_pitch,
    envelopes,
    expression_precedence,
    function_call_syntax,
    gen02_sequence,
    gen05_gen07_envelopes,
    gen09_gen19_partials,
    gen10_harmonics,
    goto_labels,
    header_defaults,
    header_explicit,
    header_ksmps_48k,
    held_notes_turnoff,
    if_irate,
    if_krate,
    instr0_code,
    instr_names_lists,
    macros_include,
    math_functions,
    oscillators,
    out_mono_outs_stereo,
    outch_quad,
    pan2_modes,
    pfields,
    printing,
    score_advance_quiet,
    score_carry,
    score_expressions,
    score_f0_length,
    score_ftable_delete,
    score_ramps,
    score_sections,
    score_tempo,
    signal_line_expon_linen,
    signal_linseg_expseg_timing,
    signal_oscil_phase,
    signal_pan2_arate,
    signal_table_modes,
    tables_rw,
    tied_notes,
    udo,
    variable_rates_globals,
    while_until_loops,
}

/// Every CSD in tests/conformance/ has a test above, and every test has its CSD.
#[test]
fn every_conformance_csd_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(conformance_dir())
        .expect("tests/conformance/ exists")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "csd").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = LISTED.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/conformance/*.csd and the list in tests/conformance.rs differ"
    );
}
