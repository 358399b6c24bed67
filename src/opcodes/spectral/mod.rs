//! Opcodes: streaming spectral processing (Csound's `pvs` family): the
//! f-signal's frames ([`frame`]), FFTs planned off the audio thread
//! ([`fft`]), analysis (`pvsanal`), resynthesis (`pvsynth`) and the
//! transformations that read and write frames.
//!
//! Every opcode that reads an f-signal follows Csound's frame rule: it
//! works only when the input's frame count has moved since it last looked,
//! and its output frame carries the input's count, so a chain does its
//! work once per analysis hop whatever ksmps is.

pub mod analysis;
pub mod bands;
pub mod blur;
pub mod fft;
pub mod frame;
pub mod info;
pub mod synthesis;
pub mod transform;
pub mod window;

use super::{OpcodeSpec, Pass, spec};

/// The FFT size an f-signal output of opcode `name` will need, when the
/// call gives it as a constant (`constants[i]` is argument `i`'s value if
/// known when compiling): the compiler reserves the frame's cells from it.
pub fn frame_size_hint(name: &str, constants: &[Option<f64>]) -> Option<usize> {
    let at = |i: usize| constants.get(i).copied().flatten();
    let n = match name {
        "pvsanal" => at(1)?,
        "pvsinit" => at(0)?,
        _ => return None,
    };
    (2.0..=frame::MAX_SIZE as f64)
        .contains(&n)
        .then(|| (n as usize + 1) & !1)
}

pub static SPECS: &[OpcodeSpec] = &[
    spec(
        "pvsanal",
        "f",
        "aiiiioo",
        Pass::Both,
        analysis::build,
        "streaming phase-vocoder analysis: an (amplitude, frequency) frame every overlap samples",
    ),
    spec(
        "pvsynth",
        "a",
        "fo",
        Pass::Both,
        synthesis::build,
        "overlap-add resynthesis of an (amplitude, frequency) f-signal",
    ),
    spec(
        "pvsinit",
        "f",
        "ioooo",
        Pass::Init,
        info::build_init,
        "an f-signal of silent frames (size, overlap, window size, window type, format)",
    ),
    spec(
        "pvsinfo",
        "iiii",
        "f",
        Pass::Init,
        info::build_info,
        "an f-signal's overlap, number of bins, window size and format",
    ),
    spec(
        "pvsbin",
        "kk",
        "fk",
        Pass::Both,
        info::build_bin,
        "amplitude and frequency of one bin of an f-signal",
    ),
    spec(
        "pvscent",
        "k",
        "f",
        Pass::Both,
        info::build_centroid,
        "spectral centroid of an f-signal, in Hz",
    ),
    spec(
        "pvs2tab",
        "k",
        "k[]f",
        Pass::Both,
        info::build_to_array,
        "copy an f-signal's frame into an array (amp, freq pairs); gives the frame count",
    ),
    spec(
        "pvs2array",
        "k",
        "k[]f",
        Pass::Both,
        info::build_to_array,
        "copy an f-signal's frame into an array (amp, freq pairs); gives the frame count",
    ),
    spec(
        "tab2pvs",
        "f",
        "k[]oppo",
        Pass::Both,
        info::build_from_array,
        "an f-signal whose frames are an array's (amp, freq pairs), a new frame each block",
    ),
    spec(
        "pvsfromarray",
        "f",
        "k[]oppo",
        Pass::Both,
        info::build_from_array,
        "an f-signal whose frames are an array's (amp, freq pairs), a new frame each block",
    ),
    spec(
        "pvsgain",
        "f",
        "fk",
        Pass::Both,
        transform::build_gain,
        "scale an f-signal's amplitudes",
    ),
    spec(
        "pvscale",
        "f",
        "fkOPO",
        Pass::Both,
        transform::build_scale,
        "scale an f-signal's frequencies (pitch shift without a change of duration)",
    ),
    spec(
        "pvshift",
        "f",
        "fkkOPO",
        Pass::Both,
        transform::build_shift,
        "shift an f-signal's frequencies above a lowest one by a number of Hz",
    ),
    spec(
        "pvsmix",
        "f",
        "ff",
        Pass::Both,
        transform::build_mix,
        "mix two f-signals, keeping the louder bin of each pair",
    ),
    spec(
        "pvscross",
        "f",
        "ffkk",
        Pass::Both,
        transform::build_cross,
        "cross-synthesis: both signals' scaled amplitudes on the first one's frequencies",
    ),
    spec(
        "pvsfilter",
        "f",
        "ffkp",
        Pass::Both,
        transform::build_filter,
        "multiply an f-signal's amplitudes by a second one's, with a depth",
    ),
    spec(
        "pvsfreeze",
        "f",
        "fkk",
        Pass::Both,
        transform::build_freeze,
        "hold an f-signal's amplitudes and/or frequencies while a switch is 1 or more",
    ),
    spec(
        "pvsmooth",
        "f",
        "fkk",
        Pass::Both,
        transform::build_smooth,
        "smooth each bin's amplitude and frequency with a one-pole lowpass",
    ),
    spec(
        "pvsmaska",
        "f",
        "fik",
        Pass::Both,
        transform::build_mask,
        "shape an f-signal's amplitudes by a table, with a depth",
    ),
    spec(
        "pvsmorph",
        "f",
        "ffkk",
        Pass::Both,
        transform::build_morph,
        "interpolate two f-signals' amplitudes and frequencies (0: the first, 1: the second)",
    ),
    spec(
        "pvsbandp",
        "f",
        "fkkkkO",
        Pass::Both,
        bands::build_pass,
        "band-pass an f-signal: a trapezium of gains over the bins' frequencies",
    ),
    spec(
        "pvsbandr",
        "f",
        "fkkkkO",
        Pass::Both,
        bands::build_reject,
        "band-reject an f-signal: a trapezium of gains over the bins' frequencies",
    ),
    spec(
        "pvsblur",
        "f",
        "fki",
        Pass::Both,
        blur::build,
        "average each bin's amplitude and frequency over the last kblurtime seconds",
    ),
    spec(
        "=",
        "f",
        "f",
        Pass::Both,
        transform::build_copy,
        "copy an f-signal",
    ),
];
