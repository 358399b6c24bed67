//! Sound files: `diskin2`, `soundin`.

use super::OpcodeSpec;

pub const SPECS: &[OpcodeSpec] = &[];
