//! Where an opcode is known to behave differently from Csound 6, in one table
//! that `rhapsody -z` and the book's opcode reference both read, so a
//! difference found by comparing with csound is written down once, next to
//! the code, and reaches the user.

/// `(opcode, what differs)`. Each entry was measured against csound 6.18's
/// output; the text says how far apart they are and when.
pub const DIFFERENCES: &[(&str, &str)] = &[
    (
        "delayr",
        "live, the delay time must be a constant (the line is allocated when the voice is built)",
    ),
    (
        "delayk",
        "live, the delay time must be a constant (the line is allocated when the voice is built)",
    ),
    (
        "diskin",
        "WAV files only; no array output; a file name from a score string p-field is not \
         supported (the p-field reads as 0)",
    ),
    (
        "diskin2",
        "window sizes 8 and up (sinc) use cubic interpolation (62 dB on a test tone); WAV files \
         only; no array output",
    ),
    ("ftom", "the last one or two digits can differ"),
    ("in", "the array form (`aarr[] in`) is not supported"),
    (
        "inx",
        "every frame of the block is read; csound 6.18's inx puts only the block's last frame, \
         in the first sample, and zeros in the others",
    ),
    (
        "in32",
        "every frame of the block is read; csound 6.18's in32 puts only the block's last frame, \
         in the first sample, and zeros in the others",
    ),
    (
        "ftgentmp",
        "the table is not freed when the note ends: it stays, under its number, until the \
         performance ends (so a later ftgentmp with ifn 0 takes the next number, not the freed one)",
    ),
    (
        "loscil",
        "the change from the sustain loop to the release loop after the note ends comes at a \
         different moment (25.7 dB from the release on); the base note is not read from the \
         file (ibas defaults to 261.626 Hz); reading past the table's end with loscil3 is at \
         81 dB",
    ),
    ("limit", "the array forms are not supported"),
    (
        "lag",
        "control rate only: csound's audio-rate lag and lagud differ from the recursion in a \
         way not yet matched",
    ),
    (
        "multitap",
        "a tap shorter than two samples reads the current input, where csound reads outside \
         its delay line (its output is undefined there)",
    ),
    ("filelen", "WAV files only (`iallowraw` changes nothing)"),
    (
        "pluck",
        "live, an `icps` below 20 Hz must be a constant (the buffer is allocated when the voice \
         is built); the noise fill and random decay choices follow csound's sequence",
    ),
    (
        "puts",
        "with `inonl` the line still ends: engine messages are whole lines",
    ),
    (
        "reverbsc",
        "live, `israte` and `ipitchm` must be constants (the lines are allocated when the voice is \
         built)",
    ),
    (
        "rnd31",
        "statistics match csound, the exact sequence does not",
    ),
    (
        "seed",
        "the generators are kept per thread: an offline render gives csound's numbers, but \
         live the notes play on the audio thread, which `seed` in the global code does not \
         reach (GEN21 tables do follow it)",
    ),
    (
        "times",
        "a bare `times()` inside a k-rate expression takes the i-rate form; write `times:k()`",
    ),
    (
        "tonex",
        "with an audio-rate cutoff the output is within 40 dB of csound's (a control-rate \
         cutoff matches sample for sample)",
    ),
    (
        "vco2",
        "a mode that needs `kpw` (2, 4) or `kphs` (+16) plays with 0 when it is left out, where \
         csound fails with 'insufficient required arguments'; the ramp (imode 4) with a \
         whole-number `kpw` outputs 0 where csound outputs NaN",
    ),
    (
        "vdelay",
        "live, the maximum delay must be a constant (the line is allocated when the voice is \
         built)",
    ),
];

/// What differs from csound for opcode `name`, if anything is known.
pub fn difference(name: &str) -> Option<&'static str> {
    DIFFERENCES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::DIFFERENCES;

    /// The table is keyed by the registry's names: an entry for an opcode
    /// that does not exist (renamed, misspelt) would never reach the user.
    #[test]
    fn every_difference_names_one_registered_opcode_once() {
        for (i, (name, _)) in DIFFERENCES.iter().enumerate() {
            assert!(
                crate::opcodes::exists(name),
                "{name} is in DIFFERENCES but not in the registry"
            );
            assert!(
                DIFFERENCES[..i].iter().all(|(n, _)| n != name),
                "{name} is in DIFFERENCES twice"
            );
        }
    }
}
