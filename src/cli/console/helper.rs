//! The console's line editor helper: TAB completion of every known name and
//! multi-line input (incomplete Rhai continues on the next line).

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rhai::{Engine, LexError, ParseErrorType, Position};
use rustyline::Context;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};

/// Rhai's keywords, completed like names.
const KEYWORDS: &[&str] = &[
    "let", "const", "fn", "if", "else", "while", "loop", "for", "in", "do", "until", "return",
    "break", "continue", "true", "false", "switch", "throw", "try", "catch", "help", "dir",
];

/// Names the console completes: registered functions, script functions
/// and variables. The evaluator refreshes them after every entry.
pub type Names = Arc<Mutex<Vec<String>>>;

/// Completion and multi-line input for rustyline.
pub struct ConsoleHelper {
    names: Names,
    /// A bare engine, only for syntax checks.
    syntax: Engine,
}

impl ConsoleHelper {
    pub fn new(names: Names) -> ConsoleHelper {
        ConsoleHelper {
            names,
            syntax: Engine::new_raw(),
        }
    }

    /// Completions of the word that ends at `pos`: (its start, candidates).
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let pos = pos.min(line.len());
        let start = line[..pos]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map(|(i, _)| i)
            .unwrap_or(pos);
        let prefix = &line[start..pos];
        if prefix.is_empty() {
            return (pos, Vec::new());
        }
        let names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<String> = names
            .iter()
            .map(String::as_str)
            .chain(KEYWORDS.iter().copied())
            .filter(|n| n.starts_with(prefix))
            .map(String::from)
            .collect();
        out.sort();
        out.dedup();
        (start, out)
    }
}

/// Whether `text` is Rhai that stops before its end (an open block or
/// bracket, a missing closing token, an unterminated string): the console
/// then reads another line instead of reporting an error.
pub fn is_incomplete(engine: &Engine, text: &str) -> bool {
    let Err(e) = engine.compile(text) else {
        return false;
    };
    match e.err_type() {
        ParseErrorType::UnexpectedEOF => true,
        ParseErrorType::BadInput(LexError::UnterminatedString) => true,
        ParseErrorType::MissingToken(..) => at_end(text, e.position()),
        // A doc comment typed alone: the function it documents comes next.
        ParseErrorType::WrongDocComment => ends_in_doc_comment(text),
        _ => false,
    }
}

/// Whether the last non-blank line of `text` is a `///` doc comment.
fn ends_in_doc_comment(text: &str) -> bool {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_start().starts_with("///"))
}

/// Whether `pos` is at the very end of `text` (past its last non-blank
/// character): a token missing there may still come.
fn at_end(text: &str, pos: Position) -> bool {
    let text = text.trim_end();
    let lines = text.lines().count().max(1);
    let last = text.lines().last().unwrap_or("").chars().count();
    match (pos.line(), pos.position()) {
        (None, _) => true,
        (Some(line), _) if line > lines => true,
        (Some(line), Some(col)) => line == lines && col > last,
        (Some(line), None) => line == lines,
    }
}

impl Completer for ConsoleHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, names) = self.candidates(line, pos);
        let pairs = names
            .into_iter()
            .map(|n| Pair {
                display: n.clone(),
                replacement: n,
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for ConsoleHelper {
    type Hint = String;
}

impl Highlighter for ConsoleHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        Cow::Borrowed(line)
    }
}

impl Validator for ConsoleHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        let command = super::rewrite(input) != input;
        Ok(if !command && is_incomplete(&self.syntax, input) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl rustyline::Helper for ConsoleHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_blocks_and_strings_continue() {
        let e = Engine::new_raw();
        assert!(is_incomplete(&e, "let f = |x| {"));
        assert!(is_incomplete(&e, "fn g(a) {\n  a +"));
        assert!(is_incomplete(&e, "let s = \"abc"));
        assert!(is_incomplete(&e, "foo(1, 2"));
        assert!(!is_incomplete(&e, "let f = |x| {\nx * 2 }"));
        assert!(!is_incomplete(&e, "1 +* 2"));
        // A doc comment alone waits for the function it documents.
        assert!(is_incomplete(&e, "/// Twice x."));
        assert!(is_incomplete(&e, "/// Twice x.\n/// (a doubling)"));
        assert!(!is_incomplete(&e, "/// Twice x.\nfn twice(x) { x * 2 }"));
        assert!(!is_incomplete(&e, "sr()"));
        assert!(!is_incomplete(&e, "help bl_triangle"));
        assert!(!is_incomplete(&e, "let a = 1 let b = 2"));
    }

    #[test]
    fn completes_the_word_before_the_cursor() {
        let names: Names = Arc::new(Mutex::new(vec!["bl_triangle".into(), "bl_square".into()]));
        let h = ConsoleHelper::new(names);
        assert_eq!(
            h.candidates("x = bl_tri", 10),
            (4, vec!["bl_triangle".to_string()])
        );
        assert_eq!(h.candidates("bl_", 3).1.len(), 2);
        assert!(h.candidates("", 0).1.is_empty());
    }
}
