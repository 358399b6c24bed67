// Tests of the test harness itself (tests/common): SNR, length checks, pitch estimate,
// WAV reading, and that the reference csound renders what a CSD asks for.

mod common;

use common::*;
use std::f64::consts::TAU;

fn sine(freq: f64, amp: f64, sr: u32, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| amp * (TAU * freq * i as f64 / sr as f64).sin())
        .collect()
}

fn audio(channels: Vec<Vec<f64>>) -> Audio {
    Audio {
        sample_rate: 44100,
        channels,
    }
}

#[test]
fn snr_of_identical_signals_is_infinite() {
    let x = sine(440.0, 0.5, 44100, 4410);
    assert_eq!(snr_db(&x, &x), f64::INFINITY);
}

#[test]
fn snr_of_two_silent_signals_is_infinite() {
    assert_eq!(snr_db(&[0.0; 100], &[0.0; 100]), f64::INFINITY);
}

#[test]
fn snr_of_sound_against_silent_reference_is_minus_infinity() {
    assert_eq!(snr_db(&[0.0; 4], &[0.0, 0.1, 0.0, 0.0]), f64::NEG_INFINITY);
}

#[test]
fn snr_matches_the_definition_for_a_scaled_signal() {
    // test = 0.99 * ref: noise = 0.01^2 * signal, SNR = 40 dB.
    let r = sine(300.0, 0.7, 44100, 10000);
    let t: Vec<f64> = r.iter().map(|v| v * 0.99).collect();
    assert!(
        (snr_db(&r, &t) - 40.0).abs() < 1e-6,
        "got {}",
        snr_db(&r, &t)
    );
}

#[test]
fn snr_of_a_half_sample_delay_is_below_the_conformance_threshold() {
    let r = sine(1000.0, 0.5, 44100, 44100);
    let t: Vec<f64> = (0..44100)
        .map(|i| 0.5 * (TAU * 1000.0 * (i as f64 - 0.5) / 44100.0).sin())
        .collect();
    assert!(snr_db(&r, &t) < CONFORMANCE_MIN_SNR_DB);
}

#[test]
fn compare_audio_reports_snr_per_channel() {
    let l = sine(220.0, 0.5, 44100, 2000);
    let r = sine(330.0, 0.5, 44100, 2000);
    let r_bad: Vec<f64> = r.iter().map(|v| v * 0.5).collect();
    let snrs = compare_audio(&audio(vec![l.clone(), r]), &audio(vec![l, r_bad]), 10).unwrap();
    assert_eq!(snrs.len(), 2);
    assert_eq!(snrs[0], f64::INFINITY);
    assert!((snrs[1] - 6.0206).abs() < 0.01, "got {}", snrs[1]);
}

#[test]
fn compare_audio_accepts_a_length_difference_within_one_block() {
    let a = sine(220.0, 0.5, 44100, 1000);
    let b = a[..990].to_vec();
    let snrs = compare_audio(&audio(vec![a]), &audio(vec![b]), 10).unwrap();
    assert_eq!(snrs, vec![f64::INFINITY]);
}

#[test]
fn compare_audio_rejects_a_length_difference_over_one_block() {
    let a = sine(220.0, 0.5, 44100, 1000);
    let b = a[..989].to_vec();
    let err = compare_audio(&audio(vec![a]), &audio(vec![b]), 10).unwrap_err();
    assert!(err.contains("length differs"), "{err}");
}

#[test]
fn compare_audio_rejects_channel_count_and_rate_mismatches() {
    let a = sine(220.0, 0.5, 44100, 100);
    let err = compare_audio(
        &audio(vec![a.clone()]),
        &audio(vec![a.clone(), a.clone()]),
        10,
    )
    .unwrap_err();
    assert!(err.contains("channel count"), "{err}");
    let other_rate = Audio {
        sample_rate: 48000,
        channels: vec![a.clone()],
    };
    let err = compare_audio(&audio(vec![a]), &other_rate, 10).unwrap_err();
    assert!(err.contains("sample rate"), "{err}");
}

#[test]
fn peak_and_rms_of_a_sine() {
    let x = sine(441.0, 0.8, 44100, 44100);
    assert!((peak(&x) - 0.8).abs() < 1e-3);
    assert!((rms(&x) - 0.8 / 2f64.sqrt()).abs() < 1e-3);
    assert_eq!(rms(&[]), 0.0);
}

#[test]
fn pitch_estimate_finds_the_fundamental_of_a_harmonic_tone() {
    for &f in &[110.0, 261.63, 440.0, 1234.5] {
        let x: Vec<f64> = (0..8192)
            .map(|i| {
                let t = i as f64 / 44100.0;
                (TAU * f * t).sin()
                    + 0.6 * (TAU * 2.0 * f * t).sin()
                    + 0.4 * (TAU * 3.0 * f * t).sin()
            })
            .collect();
        let est = estimate_pitch(&x, 44100, 50.0, 2000.0).expect("a pitch");
        assert!((est / f - 1.0).abs() < 0.002, "expected {f}, got {est}");
    }
}

#[test]
fn pitch_estimate_of_silence_is_none() {
    assert_eq!(estimate_pitch(&[0.0; 8192], 44100, 50.0, 2000.0), None);
}

#[test]
fn ksmps_is_read_from_the_header_or_derived_from_kr() {
    assert_eq!(csd_ksmps("sr = 48000\nksmps = 7\n"), 7);
    assert_eq!(csd_ksmps("sr = 48000\nkr = 1200 ; comment\n"), 40);
    assert_eq!(csd_ksmps("instr 1\nendin\n"), 10);
}

#[test]
fn read_wav_scales_integer_and_float_files_to_full_scale_one() {
    let dir = unique_temp_dir("harness-wav");
    let int_path = dir.join("int.wav");
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 22050,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&int_path, spec).unwrap();
    for s in [16384i16, -32768, 0, 8192] {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    let a = read_wav(&int_path);
    assert_eq!(a.sample_rate, 22050);
    assert_eq!(a.channels, vec![vec![0.5, 0.0], vec![-1.0, 0.25]]);

    let float_path = dir.join("float.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 48000,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(&float_path, spec).unwrap();
    for s in [0.25f32, -0.75] {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    assert_eq!(read_wav(&float_path).channels, vec![vec![0.25, -0.75]]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn csound_reference_renders_a_tone_with_the_requested_pitch_and_level() {
    let dir = unique_temp_dir("harness-csound");
    let csd = dir.join("tone.csd");
    std::fs::write(
        &csd,
        "<CsoundSynthesizer>\n<CsInstruments>\nsr = 48000\nksmps = 16\nnchnls = 2\n0dbfs = 1\n\
         instr 1\n a1 oscili 0.5, 330\n outs a1, a1 * 0.25\nendin\n</CsInstruments>\n\
         <CsScore>\ni 1 0 1\ne\n</CsScore>\n</CsoundSynthesizer>\n",
    )
    .unwrap();
    let a = render_with_csound(&csd, &dir.join("tone.wav"));
    assert_eq!(a.sample_rate, 48000);
    assert_eq!(a.num_channels(), 2);
    assert!(
        (a.duration_secs() - 1.0).abs() < 0.01,
        "duration {}",
        a.duration_secs()
    );
    assert!(
        (peak(&a.channels[0]) - 0.5).abs() < 0.01,
        "peak {}",
        peak(&a.channels[0])
    );
    assert!((peak(&a.channels[1]) - 0.125).abs() < 0.01);
    let f = estimate_pitch(&a.channels[0][..8192], 48000, 50.0, 2000.0).expect("a pitch");
    assert!((f - 330.0).abs() < 0.5, "pitch {f}");
    let _ = std::fs::remove_dir_all(&dir);
}
