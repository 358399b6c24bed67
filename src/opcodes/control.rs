//! Opcodes: control of the note itself (`turnoff`).

use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::context::{Ctx, Failed};

/// `turnoff`: the note ends now. The engine stops performing the rest of
/// the instrument for this block (Csound removes the note immediately, so
/// opcodes after `turnoff` do not run) and frees the note after it.
struct Turnoff;

impl Opcode for Turnoff {
    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        ctx.note.turnoff = true;
        Ok(())
    }
}

fn build_turnoff(_: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Turnoff)
}

pub const SPECS: &[OpcodeSpec] = &[spec(
    "turnoff",
    "",
    "",
    Pass::Perf,
    build_turnoff,
    "end this note now; the rest of its instrument does not run this block",
)];
