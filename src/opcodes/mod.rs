//! Opcodes: the [`Opcode`] trait every unit generator implements, the
//! descriptor ([`OpcodeSpec`]) that names it, and the registry that the
//! compiler, `rhapsody -z` and the book's reference all read.
//!
//! One file per family. Adding an opcode = one struct with `init`/`perform`
//! plus one `OpcodeSpec` line in its family's `SPECS`.

pub mod arith;
pub mod array_functions;
pub mod arrays;
pub mod biquads;
pub mod buzz;
pub mod channels;
pub mod control;
pub mod delays;
pub mod differences;
pub mod distributions;
pub mod dynamics;
pub mod envelopes;
pub mod events;
pub mod filters;
pub mod fm;
pub mod followers;
pub mod fused;
pub mod input;
pub mod io;
pub mod lfo;
pub mod locators;
pub mod loscil;
pub mod math;
pub mod midi;
pub mod noise;
pub mod nreverb;
pub mod oscillators;
pub mod pluck;
pub mod printing;
pub mod release;
pub mod reverbs;
pub mod sampling;
pub mod sequencing;
pub mod shaping;
pub mod smoothers;
pub mod soundfiles;
pub mod spatial;
pub mod spectral;
pub mod strings;
pub mod tablemix;
pub mod tables;
pub mod transeg;
pub mod tuning;
pub mod vco;
pub mod vco2;
pub mod vectors;
pub mod zak;

use std::sync::OnceLock;

pub use crate::engine::opcode::{
    Arg, Args, BuildFn, BuildScope, Opcode, OpcodeSpec, Parallel, Pass, Rate, boxed, spec,
};

/// Every opcode variant rhapsody knows, in family order.
pub fn registry() -> &'static [OpcodeSpec] {
    static ALL: OnceLock<Vec<OpcodeSpec>> = OnceLock::new();
    ALL.get_or_init(|| {
        // Safe: every opcode of the family reads and writes only the note's
        // own memory and the tables, so `-j` may spread its notes.
        let families: &[(&[OpcodeSpec], Parallel)] = &[
            (arith::SPECS, Parallel::Safe),
            (array_functions::SPECS[0], Parallel::No),
            (array_functions::SPECS[1], Parallel::No),
            (array_functions::SPECS[2], Parallel::No),
            (arrays::SPECS, Parallel::No),
            (arrays::OPERATOR_SPECS, Parallel::No),
            (biquads::SPECS, Parallel::No),
            (buzz::SPECS, Parallel::No),
            (channels::SPECS, Parallel::No),
            (control::SPECS, Parallel::No),
            (delays::SPECS, Parallel::No),
            (distributions::SPECS, Parallel::No),
            (distributions::DUST_SPECS, Parallel::No),
            (dynamics::SPECS, Parallel::No),
            (envelopes::SPECS, Parallel::Safe),
            (events::SPECS, Parallel::No),
            (filters::SPECS, Parallel::No),
            (fm::SPECS, Parallel::No),
            (followers::SPECS, Parallel::No),
            (input::SPECS, Parallel::Safe),
            (io::SPECS, Parallel::No),
            (lfo::SPECS, Parallel::No),
            (locators::SPECS, Parallel::Safe),
            (loscil::SPECS, Parallel::No),
            (loscil::LPOSCIL_SPECS, Parallel::No),
            (math::SPECS, Parallel::Safe),
            (midi::SPECS, Parallel::No),
            (noise::SPECS, Parallel::No),
            (nreverb::SPECS, Parallel::Safe),
            (oscillators::SPECS, Parallel::Safe),
            (pluck::SPECS, Parallel::No),
            (printing::SPECS, Parallel::No),
            (release::SPECS, Parallel::No),
            (reverbs::SPECS, Parallel::No),
            (sampling::SPECS, Parallel::No),
            (sequencing::SPECS, Parallel::No),
            (shaping::SPECS, Parallel::Safe),
            (smoothers::SPECS, Parallel::No),
            (soundfiles::SPECS, Parallel::No),
            (spatial::SPECS, Parallel::Safe),
            (spectral::SPECS, Parallel::No),
            (strings::SPECS, Parallel::No),
            (tablemix::SPECS, Parallel::No),
            (tables::SPECS, Parallel::No),
            (transeg::SPECS, Parallel::No),
            (tuning::SPECS, Parallel::No),
            (vco::SPECS, Parallel::No),
            (vco2::SPECS, Parallel::No),
            (vectors::SPECS[0], Parallel::No),
            (vectors::SPECS[1], Parallel::No),
            (vectors::SPECS[2], Parallel::No),
            (zak::SPECS, Parallel::No),
        ];
        families
            .iter()
            .flat_map(|&(family, parallel)| {
                family.iter().map(move |s| match (s.parallel, parallel) {
                    (Parallel::No, Parallel::Safe) => s.parallel_safe(),
                    _ => *s,
                })
            })
            .collect()
    })
}

/// The variants of one opcode name.
pub fn variants(name: &str) -> impl Iterator<Item = &'static OpcodeSpec> + '_ {
    registry().iter().filter(move |s| s.name == name)
}

/// Whether any opcode has this name.
pub fn exists(name: &str) -> bool {
    variants(name).next().is_some()
}
