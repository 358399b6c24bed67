//! Reverberators: `comb`, `alpass`, `reverb`, `freeverb`, `reverbsc`.

use super::OpcodeSpec;

pub const SPECS: &[OpcodeSpec] = &[];
