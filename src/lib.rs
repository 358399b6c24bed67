//! rhapsody: a live-coding host for Csound-style synthesis.
//!
//! The library holds the engine and everything the front ends share: the
//! `.csd` reader, the orchestra and score languages, the GEN routines and
//! opcodes, the engine that renders blocks, and the offline renderer.

pub mod audio;
pub mod csd;
pub mod diag;
pub mod engine;
pub mod files;
#[doc(hidden)]
pub mod fuzz_entry;
pub mod gens;
pub mod host;
pub mod midi;
pub mod opcodes;
pub mod options;
pub mod orc;
pub mod plot;
pub mod preprocess;
pub mod random;
pub mod render;
pub mod score;
pub mod session;
