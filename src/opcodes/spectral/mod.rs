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
pub mod ifd;
pub mod info;
pub mod synthesis;
pub mod tracks;
pub mod transform;
pub mod trsynth;
pub mod window;

use super::{OpcodeSpec, Pass, spec};

/// The FFT size an f-signal output of opcode `name` will need, when the
/// call gives it as a constant (`constants[i]` is argument `i`'s value if
/// known when compiling), or from the size its f-signal inputs hold
/// (`inputs`): the compiler reserves the frame's cells from it. Track
/// frames hold four values per bin, so `partials` asks for twice its
/// input's size.
pub fn frame_size_hint(
    name: &str,
    constants: &[Option<f64>],
    inputs: Option<usize>,
) -> Option<usize> {
    let at = |i: usize| constants.get(i).copied().flatten();
    let n = match name {
        "pvsanal" | "pvsifd" | "binit" => at(1)?,
        "pvsinit" => at(0)?,
        "partials" => (2 * inputs.unwrap_or(frame::DEFAULT_SIZE) + 2) as f64,
        _ => return inputs,
    };
    (2.0..=(2 * frame::MAX_SIZE + 2) as f64)
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
        "pvsifd",
        "ff",
        "aiiip",
        Pass::Both,
        ifd::build,
        "instantaneous-frequency analysis: (amplitude, frequency) and (amplitude, phase) frames",
    ),
    spec(
        "partials",
        "f",
        "ffkkki",
        Pass::Both,
        tracks::build_partials,
        "partial tracking of (amplitude, frequency) and (amplitude, phase) frames into tracks",
    ),
    spec(
        "tradsyn",
        "a",
        "fkkki",
        Pass::Both,
        trsynth::build_tradsyn,
        "additive resynthesis of tracks, amplitude and frequency interpolated linearly, with pitch scaling",
    ),
    spec(
        "sinsyn",
        "a",
        "fkki",
        Pass::Both,
        trsynth::build_sinsyn,
        "additive resynthesis of tracks with cubic phase interpolation (keeps the analysed phases)",
    ),
    spec(
        "resyn",
        "a",
        "fkkki",
        Pass::Both,
        trsynth::build_resyn,
        "additive resynthesis of tracks with cubic phase interpolation and pitch scaling",
    ),
    spec(
        "trscale",
        "f",
        "fkP",
        Pass::Both,
        tracks::build_scale,
        "scale the frequencies (and amplitudes) of partial tracks",
    ),
    spec(
        "trshift",
        "f",
        "fkP",
        Pass::Both,
        tracks::build_shift,
        "shift the frequencies of partial tracks by Hz (and scale their amplitudes)",
    ),
    spec(
        "trsplit",
        "ff",
        "fkPP",
        Pass::Both,
        tracks::build_split,
        "split partial tracks at a frequency into those below and those at or above",
    ),
    spec(
        "trmix",
        "f",
        "ff",
        Pass::Both,
        tracks::build_mix,
        "mix two streams of partial tracks",
    ),
    spec(
        "trfilter",
        "f",
        "fki",
        Pass::Both,
        tracks::build_filter,
        "filter partial tracks by a table's amplitude response over 0 Hz to Nyquist",
    ),
    spec(
        "trcross",
        "f",
        "ffkkO",
        Pass::Both,
        tracks::build_cross,
        "cross-synthesis of partial tracks: amplitudes of matching tracks multiplied or substituted",
    ),
    spec(
        "trhighest",
        "fkk",
        "fk",
        Pass::Both,
        tracks::build_highest,
        "the highest-frequency partial track, its frequency and amplitude",
    ),
    spec(
        "trlowest",
        "fkk",
        "fk",
        Pass::Both,
        tracks::build_lowest,
        "the lowest-frequency partial track, its frequency and amplitude",
    ),
    spec(
        "binit",
        "f",
        "fi",
        Pass::Both,
        tracks::build_binit,
        "partial tracks into (amplitude, frequency) bins of a given FFT size, the loudest per bin",
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
