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

    // A Standard MIDI File of the same name plays into it (`-F`) in both.
    let midi = conformance_dir().join(format!("{name}.mid"));
    let midi_flags: Vec<&std::ffi::OsStr> = if midi.is_file() {
        vec!["-F".as_ref(), midi.as_os_str()]
    } else {
        Vec::new()
    };
    let reference = render_with_csound_flags(&csd, &dir.join("csound.wav"), &midi_flags);
    assert!(
        reference.peak() > 0.0,
        "{name}: the csound reference render is silent, so this test could not fail; fix the CSD"
    );
    let ours = render_with_rhapsody_flags(&csd, &dir.join("rhapsody.wav"), &midi_flags);

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
        // NaN counts as failing too.
        .filter(|(db, _)| {
            (**db)
                .partial_cmp(&CONFORMANCE_MIN_SNR_DB)
                .is_none_or(|o| o.is_lt())
        })
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
    midi_notes,
    midi_terminate,
    midi_controllers,
    midi_interop,
    delays_feedback,
    delays_comb_alpass,
    reverb_schroeder,
    tables_cubic_write,
    soundfiles,
    soundfile_info,
    pluck,
    zak,
    channels_audio,
    reverb_freeverb_reverbsc,
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
    converters_ftom_quantize,
    converters_pitch,
    converters_tuning,
    envelopes,
    envelopes_release,
    envelopes_transeg_adsr,
    expression_precedence,
    function_call_syntax,
    gen01_default_0dbfs,
    gen08_gen16_gen17_shapes,
    gen02_sequence,
    gen05_gen07_envelopes,
    gen09_gen19_partials,
    gen10_harmonics,
    gens_derived_shapes,
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
    oscillators_buzz,
    oscillators_cubic,
    oscillators_fm,
    oscillators_loscil,
    oscillators_vco,
    oscillators_vco2,
    oscillators_vco2init,
    out_mono_outs_stereo,
    options_combined_flags,
    outch_quad,
    pan2_modes,
    pan2_outs_fusion,
    pfields,
    printing,
    score_advance_quiet,
    score_carry,
    score_expressions,
    score_f0_length,
    score_ftable_delete,
    score_end_after_turnoff,
    score_ramps,
    score_sections,
    score_statements_end,
    score_tempo,
    signal_line_expon_linen,
    signal_linseg_expseg_timing,
    signal_oscil_phase,
    signal_pan2_arate,
    signal_table_modes,
    tables_rw,
    tied_notes,
    control_reinit_timout,
    score_end_orchestra_notes,
    converters_k_from_a,
    udo,
    udo_array_args,
    variable_rates_globals,
    variable_copies,
    while_until_loops,
    filters_onepole,
    filters_resonant,
    filters_butterworth,
    filters_moog,
    filters_krate,
    dynamics,
    noise_rand_seeded,
    random_seeded,
    spectral_pvs_chain,
    spectral_pvs_bands,
    spectral_ifd,
    tables_tab,
    filters_lowres,
    mixing_vincr_denorm,
    math_taninv2,
    oscillators_syncphasor,
    mixing_sum_product,
    converters_a_of_k,
    filters_hilbert,
    outputs_multichannel,
    signal_followers,
    signal_sampling,
    filters_biquads,
    tables_vectors,
    envelopes_breakpoints,
    arrays_functions,
    signal_smoothing,
    strings_runtime,
    input_stereo_file,
    input_mono_file,
    shaping,
    reverbs_nreverb,
    locators,
    tables_mix,
}

/// Octave bands (centre Hz) whose energy the noise checks compare.
const NOISE_BANDS_HZ: [f64; 7] = [125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0];
/// Largest RMS difference per channel between a noise render and csound's.
const NOISE_MAX_RMS_DB: f64 = 0.5;
/// Largest difference of energy in an octave band.
const NOISE_MAX_BAND_DB: f64 = 1.5;
/// Bands holding less than this share of a channel's energy (in csound's
/// render) are not compared: their few percent of leakage vary by chance.
const NOISE_MIN_BAND_SHARE: f64 = 0.01;

/// Energy of `x` in the octave around `centre`: two cascaded band-pass
/// biquads (Q sqrt 2, unit peak gain), enough to tell octaves apart.
fn band_energy(x: &[f64], sample_rate: u32, centre: f64) -> f64 {
    let w0 = std::f64::consts::TAU * centre / sample_rate as f64;
    let alpha = w0.sin() / (2.0 * std::f64::consts::SQRT_2);
    let a0 = 1.0 + alpha;
    let (b0, b2) = (alpha / a0, -alpha / a0);
    let (a1, a2) = (-2.0 * w0.cos() / a0, (1.0 - alpha) / a0);
    let mut signal = x.to_vec();
    for _ in 0..2 {
        let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
        for v in signal.iter_mut() {
            let y = b0 * *v + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = *v;
            y2 = y1;
            y1 = y;
            *v = y;
        }
    }
    signal.iter().map(|v| v * v).sum()
}

fn db_ratio(ours: f64, reference: f64) -> f64 {
    10.0 * (ours / reference).log10()
}

/// Renders `tests/conformance/NAME.csd` (whose output is random) with both
/// engines and compares statistics per channel: RMS within 0.5 dB and the
/// energy of each octave band that matters within 1.5 dB.
fn check_noise_conformance(name: &str) {
    let csd = conformance_dir().join(format!("{name}.csd"));
    let dir = unique_temp_dir(name);
    // A Standard MIDI File of the same name plays into it (`-F`) in both.
    let midi = conformance_dir().join(format!("{name}.mid"));
    let midi_flags: Vec<&std::ffi::OsStr> = if midi.is_file() {
        vec!["-F".as_ref(), midi.as_os_str()]
    } else {
        Vec::new()
    };
    let reference = render_with_csound_flags(&csd, &dir.join("csound.wav"), &midi_flags);
    assert!(
        reference.peak() > 0.0,
        "{name}: the csound reference render is silent, so this test could not fail; fix the CSD"
    );
    let ours = render_with_rhapsody_flags(&csd, &dir.join("rhapsody.wav"), &midi_flags);
    assert_eq!(
        reference.num_channels(),
        ours.num_channels(),
        "{name}: channel counts differ"
    );
    let mut failures = Vec::new();
    for (c, (r, o)) in reference.channels.iter().zip(&ours.channels).enumerate() {
        let n = r.len().min(o.len());
        let (r, o) = (&r[..n], &o[..n]);
        let rms_db = 20.0 * (rms(o) / rms(r)).log10();
        println!(
            "{name} ch{}: RMS {:+.2} dB (ref RMS {:.4})",
            c + 1,
            rms_db,
            rms(r)
        );
        if rms_db.is_nan() || rms_db.abs() > NOISE_MAX_RMS_DB {
            failures.push(format!("ch{}: RMS differs by {rms_db:+.2} dB", c + 1));
        }
        let total: f64 = r.iter().map(|v| v * v).sum();
        for centre in NOISE_BANDS_HZ {
            let er = band_energy(r, reference.sample_rate, centre);
            if er < NOISE_MIN_BAND_SHARE * total {
                continue;
            }
            let eo = band_energy(o, ours.sample_rate, centre);
            let d = db_ratio(eo, er);
            println!("  {centre} Hz band: {d:+.2} dB");
            if d.is_nan() || d.abs() > NOISE_MAX_BAND_DB {
                failures.push(format!(
                    "ch{}: {centre} Hz band differs by {d:+.2} dB",
                    c + 1
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: {}\n(renders kept in {})",
        failures.join("; "),
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// One `#[test]` per listed noise CSD (tests/conformance/NAME.csd): the
/// renders are random, so statistics are compared instead of samples.
macro_rules! noise_conformance_tests {
    ($($name:ident),* $(,)?) => {
        const NOISE_LISTED: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_noise_conformance(stringify!($name));
            }
        )*
    };
}

noise_conformance_tests! {
    noise_basic,
    noise_random,
    noise_distributions,
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
    let mut listed: Vec<String> = LISTED
        .iter()
        .chain(NOISE_LISTED)
        .map(|s| s.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/conformance/*.csd and the list in tests/conformance.rs differ"
    );
}
