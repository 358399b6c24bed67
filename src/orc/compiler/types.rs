//! The compiler's type rules: what Csound's type letters in a descriptor
//! accept (`k` takes i- and k-rate values, `x` anything but a string, `o`
//! is optional, `m` repeats...), how an opcode form is chosen from the rates
//! of its outputs and inputs, and which passes a jump applies to. The
//! letters are listed on `OpcodeSpec` (`engine/opcode.rs`).

use super::Ty;
use super::ast::GotoKind;
use crate::opcodes::{self, Rate};

/// Passes a jump applies to, from its kind and its condition's rate.
pub(super) fn goto_passes(kind: GotoKind, cond: Rate) -> (bool, bool) {
    match kind {
        GotoKind::Init => (true, false),
        GotoKind::Perf => (false, true),
        GotoKind::Both => (cond != Rate::Control, true),
    }
}

pub(super) fn out_letter_rate(outs: &str) -> Option<Rate> {
    outs.chars().next().and_then(|c| match c {
        'm' => Some(Rate::Audio),
        'z' => Some(Rate::Control),
        c => Rate::from_letter(c),
    })
}

/// A spec's type string as codes: a letter, and whether it is an array
/// (`k[]` is one code, an array of k values).
pub(super) fn type_codes(spec: &str) -> Vec<(char, bool)> {
    let mut codes = Vec::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        let array = chars.peek() == Some(&'[');
        if array {
            chars.next();
            chars.next();
        }
        codes.push((c, array));
    }
    codes
}

/// A type as the error messages show it: `k`, `k[]`.
pub(super) fn show_ty((rate, array): Ty) -> String {
    format!("{}{}", rate.letter(), if array { "[]" } else { "" })
}

pub(super) fn is_repeating(code: char) -> bool {
    matches!(code, 'm' | 'z' | 'y' | 'M' | 'N' | 'Z' | '*')
}

/// Whether declared output types fit a spec's output codes.
pub(super) fn outs_fit(spec: &str, outs: &[Ty]) -> bool {
    let codes = type_codes(spec);
    let scalars = |rate: Rate| outs.iter().all(|t| *t == (rate, false));
    match codes.last() {
        Some(('m', false)) => !outs.is_empty() && scalars(Rate::Audio),
        Some(('z', false)) => !outs.is_empty() && scalars(Rate::Control),
        Some(('*', false)) => outs.iter().all(|t| !t.1),
        _ => {
            codes.len() == outs.len()
                && codes
                    .iter()
                    .zip(outs)
                    .all(|((c, a), (r, b))| Rate::from_letter(*c) == Some(*r) && a == b)
        }
    }
}

/// Whether given input types fit a spec's input codes.
pub(super) fn ins_fit(spec: &str, ins: &[Ty]) -> bool {
    let codes = type_codes(spec);
    let mut i = 0;
    for (n, &(code, array)) in codes.iter().enumerate() {
        if !array && is_repeating(code) {
            return ins[i..].iter().all(|t| input_fits(code, false, *t));
        }
        match ins.get(i) {
            Some(t) => {
                if !input_fits(code, array, *t) {
                    return false;
                }
                i += 1;
            }
            None => {
                return codes[n..]
                    .iter()
                    .all(|&(c, a)| !a && (is_optional(c) || is_repeating(c)));
            }
        }
    }
    i == ins.len()
}

pub(super) fn is_optional(code: char) -> bool {
    matches!(
        code,
        'o' | 'p' | 'j' | 'q' | 'v' | 'h' | 'O' | 'P' | 'J' | 'V'
    )
}

/// Whether a value of type `(r, is_array)` fits input code `code` (an array
/// code when `array`): a `k[]` input takes i- or k-arrays, `i[]` i-arrays.
pub(super) fn input_fits(code: char, array: bool, (r, is_array): Ty) -> bool {
    if array != is_array {
        return false;
    }
    if array {
        return match code {
            'i' => r == Rate::Init,
            'k' => matches!(r, Rate::Init | Rate::Control),
            _ => false,
        };
    }
    match code {
        'i' | 'm' | 'o' | 'p' | 'j' | 'q' | 'v' | 'h' => r == Rate::Init,
        'k' | 'z' | 'O' | 'P' | 'J' | 'V' => matches!(r, Rate::Init | Rate::Control),
        'a' | 'y' => r == Rate::Audio,
        'x' | 'M' | 'Z' => r != Rate::Str,
        'S' => r == Rate::Str,
        'T' => matches!(r, Rate::Str | Rate::Init),
        'N' | '*' => true,
        _ => false,
    }
}

/// When an opcode has one form, the rates its inputs want (to pick the form
/// of function calls written as its arguments).
pub(super) fn single_variant_input_hints(name: &str) -> Option<Vec<Option<Rate>>> {
    let mut forms = opcodes::variants(name);
    let spec = forms.next()?;
    if forms.next().is_some() {
        return None;
    }
    Some(
        type_codes(spec.ins)
            .into_iter()
            .map(|(c, array)| match c {
                _ if array => None,
                'a' | 'y' => Some(Rate::Audio),
                'k' | 'z' | 'O' | 'P' | 'J' | 'V' => Some(Rate::Control),
                'x' | 'M' => Some(Rate::Audio),
                _ => None,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: Ty = (Rate::Init, false);
    const K: Ty = (Rate::Control, false);
    const A: Ty = (Rate::Audio, false);
    const S: Ty = (Rate::Str, false);
    const KA: Ty = (Rate::Control, true);
    const IA: Ty = (Rate::Init, true);

    #[test]
    fn k_inputs_take_init_and_control_values_not_audio() {
        assert!(ins_fit("k", &[I]));
        assert!(ins_fit("k", &[K]));
        assert!(!ins_fit("k", &[A]));
        assert!(ins_fit("a", &[A]));
        assert!(!ins_fit("a", &[K]));
        assert!(ins_fit("i", &[I]));
        assert!(!ins_fit("i", &[K]));
    }

    #[test]
    fn x_takes_any_number_s_strings_t_strings_or_init_numbers() {
        for t in [I, K, A] {
            assert!(ins_fit("x", &[t]));
        }
        assert!(!ins_fit("x", &[S]));
        assert!(ins_fit("S", &[S]));
        assert!(!ins_fit("S", &[I]));
        assert!(ins_fit("T", &[S]) && ins_fit("T", &[I]) && !ins_fit("T", &[K]));
    }

    #[test]
    fn optional_inputs_may_be_left_out_but_not_required_ones() {
        assert!(ins_fit("ako", &[A, K]));
        assert!(ins_fit("ako", &[A, K, I]));
        assert!(!ins_fit("ako", &[A]));
        assert!(ins_fit("kOPJV", &[K]));
        assert!(!ins_fit("ko", &[K, I, I]));
    }

    #[test]
    fn repeating_codes_take_any_number_of_their_rate() {
        assert!(ins_fit("y", &[A, A, A]));
        assert!(!ins_fit("y", &[A, K]));
        assert!(ins_fit("Sm", &[S, I, I, I]));
        assert!(ins_fit("Sm", &[S]));
        assert!(ins_fit("iz", &[I, K, I]));
        assert!(ins_fit("M", &[A, K, I]));
        assert!(ins_fit("N", &[A, S]));
    }

    #[test]
    fn array_codes_take_arrays_only() {
        assert!(ins_fit("k[]", &[KA]));
        assert!(ins_fit("k[]", &[IA]));
        assert!(!ins_fit("i[]", &[KA]));
        assert!(!ins_fit("k[]", &[K]));
        assert!(!ins_fit("k", &[KA]));
        assert_eq!(type_codes("k[]i"), vec![('k', true), ('i', false)]);
        assert_eq!(show_ty(KA), "k[]");
    }

    #[test]
    fn outputs_fit_by_rate_and_count() {
        assert!(outs_fit("a", &[A]));
        assert!(!outs_fit("a", &[K]));
        assert!(outs_fit("aa", &[A, A]));
        assert!(!outs_fit("aa", &[A]));
        assert!(outs_fit("m", &[A, A, A]));
        assert!(!outs_fit("m", &[]));
        assert!(outs_fit("z", &[K, K]));
        assert!(outs_fit("*", &[A, K, I]));
        assert!(!outs_fit("*", &[KA]));
        assert!(outs_fit("", &[]));
        assert_eq!(out_letter_rate("m"), Some(Rate::Audio));
        assert_eq!(out_letter_rate("z"), Some(Rate::Control));
        assert_eq!(out_letter_rate(""), None);
    }

    #[test]
    fn jumps_apply_to_the_passes_their_kind_and_condition_say() {
        assert_eq!(goto_passes(GotoKind::Init, Rate::Init), (true, false));
        assert_eq!(goto_passes(GotoKind::Perf, Rate::Control), (false, true));
        assert_eq!(goto_passes(GotoKind::Both, Rate::Init), (true, true));
        // A k-rate condition cannot be decided at init time.
        assert_eq!(goto_passes(GotoKind::Both, Rate::Control), (false, true));
    }
}
