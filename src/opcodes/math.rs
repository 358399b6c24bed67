//! Opcodes: math family (filled in by its own change).

use super::OpcodeSpec;

pub const SPECS: &[OpcodeSpec] = &[];
