//! The macro machinery the orchestra's and the score's preprocessors share
//! (`orc/preprocess.rs`, `score/preproc.rs`): what a macro name is, reading
//! one, and substituting a macro's arguments into its body. Their
//! directives differ (the orchestra has `#include` and `#ifdef`, the score
//! has loops); macros work the same way in both.

/// Characters macro expansion and `#include` may add to one orchestra or
/// score: far beyond any real file, yet a macro that doubles itself at
/// each level reaches it in a few dozen steps instead of exhausting memory.
pub const MAX_PRODUCED: usize = 2_000_000;

/// The message for a file whose expansion passed [`MAX_PRODUCED`].
pub const TOO_MUCH: &str = "expands to too much text (over 2,000,000 characters from macros and \
     includes: a runaway macro or loop?)";

/// What expansion has produced so far, against [`MAX_PRODUCED`].
#[derive(Default)]
pub struct Budget {
    produced: usize,
    reported: bool,
}

/// The outcome of [`Budget::spend`].
#[derive(Debug, PartialEq, Eq)]
pub enum Spent {
    /// Within the cap: expand.
    Within,
    /// Past it for the first time: report [`TOO_MUCH`] once and stop.
    Exceeded,
    /// Past it again: stop without another message.
    Exhausted,
}

impl Budget {
    /// Count `n` more produced characters.
    pub fn spend(&mut self, n: usize) -> Spent {
        self.produced = self.produced.saturating_add(n);
        if self.produced <= MAX_PRODUCED {
            Spent::Within
        } else if std::mem::replace(&mut self.reported, true) {
            Spent::Exhausted
        } else {
            Spent::Exceeded
        }
    }
}

/// A character of source text, with whatever position it carries.
pub trait MacroChar: Copy {
    fn ch(&self) -> char;
}

impl MacroChar for char {
    fn ch(&self) -> char {
        *self
    }
}

/// Whether `c` may be part of a macro or parameter name.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The name starting at `input[*i]` (possibly empty); `*i` moves past it.
pub fn read_name<C: MacroChar>(input: &[C], i: &mut usize) -> String {
    let mut s = String::new();
    while let Some(p) = input.get(*i) {
        if is_name_char(p.ch()) {
            s.push(p.ch());
            *i += 1;
        } else {
            break;
        }
    }
    s
}

/// A macro body with `$param` (and `$param.`, the dot ending the name) replaced
/// by the argument for that parameter; other `$` text is left as it is.
pub fn substitute<C: MacroChar>(body: &[C], params: &[String], args: &[Vec<C>]) -> Vec<C> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i].ch() == '$' {
            let mut j = i + 1;
            let name = read_name(body, &mut j);
            if let Some(arg) = params
                .iter()
                .position(|p| *p == name)
                .and_then(|k| args.get(k))
            {
                if body.get(j).is_some_and(|p| p.ch() == '.') {
                    j += 1;
                }
                out.extend_from_slice(arg);
                i = j;
                continue;
            }
        }
        out.push(body[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(body: &str, params: &[&str], args: &[&str]) -> String {
        let body: Vec<char> = body.chars().collect();
        let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        let args: Vec<Vec<char>> = args.iter().map(|a| a.chars().collect()).collect();
        substitute(&body, &params, &args).into_iter().collect()
    }

    #[test]
    fn parameters_are_replaced_and_a_dot_ends_the_name() {
        assert_eq!(sub("i $N 0 $D.5", &["N", "D"], &["1", "2"]), "i 1 0 25");
        assert_eq!(sub("$NN $N", &["N"], &["1"]), "$NN 1");
        assert_eq!(sub("$OTHER. $", &["N"], &["1"]), "$OTHER. $");
        assert_eq!(sub("no params $X", &[], &[]), "no params $X");
    }

    #[test]
    fn names_are_ascii_letters_digits_and_underscores() {
        let text: Vec<char> = "a_1b2 c".chars().collect();
        let mut i = 0;
        assert_eq!(read_name(&text, &mut i), "a_1b2");
        assert_eq!(i, 5);
        assert_eq!(read_name(&text, &mut i), "");
    }
}
