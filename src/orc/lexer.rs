//! The orchestra lexer: preprocessed characters -> tokens (numbers, strings,
//! identifiers, operators, labels and newlines as statement terminators).

use super::preprocess::{Loc, Preprocessed};
use crate::diag::Diagnostic;

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A numeric literal (decimal, with exponent, or `0x` hex).
    Number(f64),
    /// A string literal with escapes decoded (`"..."` or `{{...}}`).
    Str(String),
    /// A name: variable, opcode, keyword or `0dbfs`.
    Ident(String),
    /// `name:` at the start of a line.
    Label(String),
    /// Operators and punctuation, spelled as in the source (`+=`, `(`, `&&` ...).
    Op(&'static str),
    /// End of a line: statements end here.
    Newline,
    /// End of input.
    Eof,
}

/// One token with where it starts and whether white space precedes it.
#[derive(Clone, Debug)]
pub struct Token {
    /// What the token is.
    pub tok: Tok,
    /// Where it starts.
    pub loc: Loc,
    /// White space (or a line start) precedes it: `f (x)` versus `f(x)`.
    pub space_before: bool,
}

impl Token {
    /// How the token reads in a message.
    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Number(n) => format!("number {n}"),
            Tok::Str(s) => format!("string \"{s}\""),
            Tok::Ident(s) => format!("\"{s}\""),
            Tok::Label(s) => format!("label \"{s}:\""),
            Tok::Op(o) => format!("\"{o}\""),
            Tok::Newline => "end of line".to_string(),
            Tok::Eof => "end of file".to_string(),
        }
    }
}

const OPS: [&str; 35] = [
    "+=", "-=", "*=", "/=", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/",
    "%", "^", "(", ")", ",", "?", ":", "<", ">", "!", "&", "|", "#", "~", "[", "]", "=", "{", "}",
];

/// Split preprocessed text into tokens. Errors are collected; the bad
/// character is skipped so lexing continues.
pub fn lex(pre: &Preprocessed) -> (Vec<Token>, Vec<Diagnostic>) {
    let chars = &pre.chars;
    let n = chars.len();
    let ch = |i: usize| chars.get(i).map(|p| p.0).unwrap_or('\0');
    let mut toks: Vec<Token> = Vec::new();
    let mut diags = Vec::new();
    let mut i = 0;
    let mut space = true;
    let mut line_start = true;
    let eof_loc = chars.last().map(|p| p.1).unwrap_or(Loc {
        file: 0,
        line: 1,
        col: 1,
    });
    while i < n {
        let (c, loc) = chars[i];
        let push = |toks: &mut Vec<Token>, tok: Tok, space: bool| {
            toks.push(Token {
                tok,
                loc,
                space_before: space,
            })
        };
        if c == '\n' {
            push(&mut toks, Tok::Newline, space);
            i += 1;
            space = true;
            line_start = true;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            space = true;
            continue;
        }
        // Line continuation: `\` then only blanks up to the newline.
        if c == '\\' {
            let mut j = i + 1;
            while ch(j) == ' ' || ch(j) == '\t' || ch(j) == '\r' {
                j += 1;
            }
            // A stray `\` followed by blanks mid-line is ignored, as Csound does.
            if ch(j) == '\n' || j >= n || j > i + 1 {
                i = if ch(j) == '\n' { j + 1 } else { j };
                space = true;
                continue;
            }
        }
        let was_line_start = line_start;
        line_start = false;
        let sp = space;
        space = false;
        // Numbers (also `0dbfs`, an identifier starting with a digit).
        if c.is_ascii_digit() || (c == '.' && ch(i + 1).is_ascii_digit()) {
            if c == '0' && (ch(i + 1) == 'x' || ch(i + 1) == 'X') && ch(i + 2).is_ascii_hexdigit() {
                let mut j = i + 2;
                let mut v: f64 = 0.0;
                while ch(j).is_ascii_hexdigit() {
                    v = v * 16.0 + ch(j).to_digit(16).unwrap_or(0) as f64;
                    j += 1;
                }
                push(&mut toks, Tok::Number(v), sp);
                i = j;
                continue;
            }
            let mut j = i;
            while ch(j).is_ascii_digit() {
                j += 1;
            }
            if ch(j) == '.' {
                j += 1;
                while ch(j).is_ascii_digit() {
                    j += 1;
                }
            }
            if (ch(j) == 'e' || ch(j) == 'E')
                && (ch(j + 1).is_ascii_digit()
                    || ((ch(j + 1) == '-' || ch(j + 1) == '+') && ch(j + 2).is_ascii_digit()))
            {
                j += 2;
                while ch(j).is_ascii_digit() {
                    j += 1;
                }
            }
            let text: String = chars[i..j].iter().map(|p| p.0).collect();
            if ch(j).is_ascii_alphabetic() || ch(j) == '_' {
                // `0dbfs` and friends.
                let mut k = j;
                while ch(k).is_ascii_alphanumeric() || ch(k) == '_' {
                    k += 1;
                }
                let word: String = chars[i..k].iter().map(|p| p.0).collect();
                push(&mut toks, Tok::Ident(word), sp);
                i = k;
                continue;
            }
            push(&mut toks, Tok::Number(text.parse().unwrap_or(0.0)), sp);
            i = j;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let mut j = i;
            while ch(j).is_ascii_alphanumeric() || ch(j) == '_' {
                j += 1;
            }
            let word: String = chars[i..j].iter().map(|p| p.0).collect();
            // `name:` at line start followed by a blank or end of line is a label.
            if was_line_start
                && ch(j) == ':'
                && !(ch(j + 1).is_ascii_alphanumeric() || ch(j + 1) == '_')
            {
                push(&mut toks, Tok::Label(word), sp);
                i = j + 1;
                line_start = true;
                continue;
            }
            push(&mut toks, Tok::Ident(word), sp);
            i = j;
            continue;
        }
        if c == '"' {
            let mut s = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while j < n {
                let d = ch(j);
                if d == '"' {
                    closed = true;
                    break;
                }
                if d == '\n' {
                    break;
                }
                if d == '\\' && j + 1 < n {
                    j += 1;
                    match ch(j) {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        '"' => s.push('"'),
                        '\\' => s.push('\\'),
                        '\n' => break,
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                    j += 1;
                    continue;
                }
                s.push(d);
                j += 1;
            }
            if !closed {
                diags.push(Diagnostic::error_at(&pre.pos(loc), "unterminated string"));
                i = j;
                continue;
            }
            push(&mut toks, Tok::Str(s), sp);
            i = j + 1;
            continue;
        }
        if c == '{' && ch(i + 1) == '{' {
            let mut j = i + 2;
            while j < n && !(ch(j) == '}' && ch(j + 1) == '}') {
                j += 1;
            }
            if j >= n {
                diags.push(Diagnostic::error_at(
                    &pre.pos(loc),
                    "unterminated {{ string (missing }})",
                ));
                i = n;
                continue;
            }
            let s: String = chars[i + 2..j].iter().map(|p| p.0).collect();
            push(&mut toks, Tok::Str(s), sp);
            i = j + 2;
            continue;
        }
        let op = OPS.iter().find(|op| {
            op.chars()
                .enumerate()
                .all(|(k, oc)| ch(i + k) == oc && i + k < n)
        });
        match op {
            Some(op) => {
                push(&mut toks, Tok::Op(op), sp);
                i += op.len();
                // A list may continue on the next line after a comma.
                if *op == "," {
                    while ch(i).is_whitespace() && i < n {
                        i += 1;
                    }
                    space = true;
                }
            }
            None => {
                diags.push(Diagnostic::error_at(
                    &pre.pos(loc),
                    format!("unexpected character '{}'", c.escape_default()),
                ));
                i += 1;
            }
        }
    }
    toks.push(Token {
        tok: Tok::Newline,
        loc: eof_loc,
        space_before: true,
    });
    toks.push(Token {
        tok: Tok::Eof,
        loc: eof_loc,
        space_before: true,
    });
    (toks, diags)
}
