//! f-signals in the compiler: an `f` variable's cells are reserved like an
//! array's (see `opcodes::spectral::frame`), with room for frames of the FFT
//! size its producer is given when that is a constant, the size of the
//! f-signals it is made from, or `frame::DEFAULT_SIZE`.

use super::{Expr, InstrCompiler, Loc, Rate, Value, const_value};
use crate::opcodes::spectral::{self, frame};

impl InstrCompiler<'_> {
    /// The FFT size the f-variable at `loc` can hold, if it is one.
    fn fsig_size_at(&self, loc: Loc) -> Option<usize> {
        let cap = match loc {
            Loc::Local(i) => self.initial.get(i),
            Loc::Global(i) => self.globals.initial.get(i),
        }?;
        Some((*cap as usize).saturating_sub(frame::HEADER + 2))
    }

    /// The size to reserve for an f-signal made by `name` from arguments
    /// whose constant values are `constants` and whose f-signal inputs
    /// live at `inputs`.
    fn fsig_size(
        &self,
        name: &str,
        constants: &[Option<f64>],
        inputs: impl Iterator<Item = Loc>,
    ) -> usize {
        let from_inputs = inputs.filter_map(|l| self.fsig_size_at(l)).max();
        spectral::frame_size_hint(name, constants, from_inputs).unwrap_or(frame::DEFAULT_SIZE)
    }

    /// Set the size new f-variables of this statement get, from its
    /// arguments as written (outputs are declared before the arguments are
    /// compiled).
    pub(super) fn plan_fsig_size(&mut self, name: &str, args: &[Expr]) {
        let constants: Vec<Option<f64>> = args.iter().map(const_value).collect();
        let inputs: Vec<Loc> = args
            .iter()
            .filter_map(|a| match a {
                Expr::Var(v, _) => match self.lookup(v) {
                    Some((loc, Rate::Frame)) => Some(loc),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        self.fsig_next = self.fsig_size(name, &constants, inputs.into_iter());
    }

    /// The same from compiled values (function-call form).
    pub(super) fn plan_fsig_size_values(&mut self, name: &str, values: &[Value]) {
        let constants: Vec<Option<f64>> = values.iter().map(|v| v.constant).collect();
        let inputs: Vec<Loc> = values
            .iter()
            .filter(|v| v.rate == Rate::Frame)
            .map(|v| v.loc)
            .collect();
        self.fsig_next = self.fsig_size(name, &constants, inputs.into_iter());
    }

    /// Cells for a local f-variable of the planned size.
    pub(super) fn fsig_cells(&mut self) -> Loc {
        let i = self.initial.len();
        push_fsig(&mut self.initial, self.fsig_next);
        Loc::Local(i)
    }
}

/// Append the cells of an f-variable holding frames of FFT size `n`.
pub(super) fn push_fsig(initial: &mut Vec<f64>, n: usize) {
    initial.push(frame::capacity_for(n) as f64);
    initial.extend(std::iter::repeat_n(0.0, frame::cells_for(n) - 1));
}
