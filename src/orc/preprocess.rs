//! The orchestra preprocessor: comments, `#define`/`$macro` expansion,
//! `#ifdef`/`#ifndef`/`#else`/`#end`, `#undef` and `#include`.
//!
//! The output is a sequence of characters, each tagged with the position it
//! came from, so the lexer can give every token a position in the right file.
//! Text produced by a macro expansion is tagged with the `$NAME` use site.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, Pos, SourceFile};
use crate::preprocess::{Budget, Spent, TOO_MUCH, is_name_char, substitute};

/// Where a character came from: an index into [`Preprocessed::files`], line, column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Preprocessed::files`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
}

/// The result of preprocessing: expanded characters with their origins.
#[derive(Debug, Default)]
pub struct Preprocessed {
    /// The expanded text, one entry per character.
    pub chars: Vec<(char, Loc)>,
    /// Every source file read (the main one first, then includes).
    pub files: Vec<Arc<SourceFile>>,
}

impl Preprocessed {
    /// The diagnostic position of a location.
    pub fn pos(&self, loc: Loc) -> Pos {
        Pos::new(&self.files[loc.file as usize], loc.line, loc.col)
    }
}

/// Macros Csound defines before reading an orchestra (the C math constants).
const BUILTIN_MACROS: [(&str, &str); 13] = [
    ("M_E", "2.7182818284590452354"),
    ("M_LOG2E", "1.4426950408889634074"),
    ("M_LOG10E", "0.43429448190325182765"),
    ("M_LN2", "0.69314718055994530942"),
    ("M_LN10", "2.30258509299404568402"),
    ("M_PI", "3.14159265358979323846"),
    ("M_PI_2", "1.57079632679489661923"),
    ("M_PI_4", "0.78539816339744830962"),
    ("M_1_PI", "0.31830988618379067154"),
    ("M_2_PI", "0.63661977236758134308"),
    ("M_2_SQRTPI", "1.12837916709551257390"),
    ("M_SQRT2", "1.41421356237309504880"),
    ("M_SQRT1_2", "0.70710678118654752440"),
];

/// How deeply macros may expand inside each other and includes nest.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug)]
struct Macro {
    params: Vec<String>,
    body: Vec<char>,
}

struct Pre {
    out: Preprocessed,
    macros: HashMap<String, Macro>,
    diags: Vec<Diagnostic>,
    /// What macros and includes have added, to stop runaway expansions.
    produced: Budget,
}

/// Preprocess `source`; errors are collected, not fatal, so several can be reported.
pub fn preprocess(source: &Arc<SourceFile>) -> (Preprocessed, Vec<Diagnostic>) {
    let mut pre = Pre {
        out: Preprocessed::default(),
        macros: HashMap::new(),
        diags: Vec::new(),
        produced: Budget::default(),
    };
    pre.out.files.push(source.clone());
    for (name, value) in BUILTIN_MACROS {
        pre.macros.insert(
            name.to_string(),
            Macro {
                params: Vec::new(),
                body: value.chars().collect(),
            },
        );
    }
    let input = located(&source.text, 0);
    pre.run(&input, 0);
    (pre.out, pre.diags)
}

/// Tag each character of `text` with its line and column in file `file`.
fn located(text: &str, file: u32) -> Vec<(char, Loc)> {
    let mut line = 1;
    let mut col = 1;
    let mut v = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c == '\r' {
            continue;
        }
        v.push((c, Loc { file, line, col }));
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    v
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    is_name_char(c)
}

const DIRECTIVES: [&str; 7] = [
    "define", "undef", "ifdef", "ifndef", "else", "end", "include",
];

impl Pre {
    /// Count `n` characters of expansion; false once past the cap (reported
    /// the first time).
    fn spend(&mut self, n: usize, loc: Loc) -> bool {
        match self.produced.spend(n) {
            Spent::Within => true,
            Spent::Exceeded => {
                self.error(loc, format!("the orchestra {TOO_MUCH}"));
                false
            }
            Spent::Exhausted => false,
        }
    }

    fn error(&mut self, loc: Loc, msg: impl Into<String>) {
        let pos = self.out.pos(loc);
        self.diags.push(Diagnostic::error_at(&pos, msg));
    }

    /// Process `input`, appending to the output.
    fn run(&mut self, input: &[(char, Loc)], depth: usize) {
        let n = input.len();
        let ch = |i: usize| input.get(i).map(|p| p.0).unwrap_or('\0');
        let mut i = 0;
        // Conditional stack: (taking this branch, an enclosing branch is active,
        // seen #else, where the #ifdef is)
        let mut conds: Vec<(bool, bool, bool, Loc)> = Vec::new();
        let mut line_start = true;
        while i < n {
            let (c, loc) = input[i];
            let active = conds.iter().all(|c| c.0);
            // Preprocessor directives.
            if c == '#' {
                let mut j = i + 1;
                while ch(j) == ' ' || ch(j) == '\t' {
                    j += 1;
                }
                let ws = j;
                while is_ident_char(ch(j)) {
                    j += 1;
                }
                let word: String = input[ws..j].iter().map(|p| p.0).collect();
                let known = DIRECTIVES.contains(&word.as_str());
                if known && (word != "end" || !is_ident_char(ch(j))) {
                    i = self.directive(input, &word, i, j, depth, active, &mut conds);
                    continue;
                }
                if line_start && !word.is_empty() && active {
                    self.error(loc, format!("unknown preprocessor directive \"#{word}\""));
                    while i < n && ch(i) != '\n' {
                        i += 1;
                    }
                    continue;
                }
            }
            if c == '\n' {
                line_start = true;
                self.out.chars.push((c, loc));
                i += 1;
                continue;
            }
            if !(c == ' ' || c == '\t') {
                line_start = false;
            }
            // Strings pass through untouched.
            if active && c == '"' {
                self.out.chars.push(input[i]);
                i += 1;
                while i < n && ch(i) != '"' && ch(i) != '\n' {
                    if ch(i) == '\\' && i + 1 < n && ch(i + 1) != '\n' {
                        self.out.chars.push(input[i]);
                        i += 1;
                    }
                    self.out.chars.push(input[i]);
                    i += 1;
                }
                if ch(i) == '"' {
                    self.out.chars.push(input[i]);
                    i += 1;
                }
                continue;
            }
            if active && c == '{' && ch(i + 1) == '{' {
                while i < n && !(ch(i) == '}' && ch(i + 1) == '}') {
                    self.out.chars.push(input[i]);
                    i += 1;
                }
                self.out
                    .chars
                    .extend_from_slice(&input[i.min(n)..(i + 2).min(n)]);
                i += 2;
                continue;
            }
            // Comments (newlines inside block comments are kept).
            if c == ';' || (c == '/' && ch(i + 1) == '/') {
                while i < n && ch(i) != '\n' {
                    i += 1;
                }
                continue;
            }
            if c == '/' && ch(i + 1) == '*' {
                i += 2;
                while i < n && !(ch(i) == '*' && ch(i + 1) == '/') {
                    if ch(i) == '\n' && active {
                        self.out.chars.push(input[i]);
                    }
                    i += 1;
                }
                if i >= n {
                    self.error(loc, "unterminated /* comment");
                }
                i += 2;
                continue;
            }
            if !active {
                i += 1;
                continue;
            }
            if c == '$' && is_ident_start(ch(i + 1)) {
                i = self.expand(input, i, depth);
                continue;
            }
            self.out.chars.push(input[i]);
            i += 1;
        }
        if let Some(&(.., open)) = conds.last() {
            self.error(open, "#ifdef/#ifndef without #end");
        }
    }

    /// Handle a directive starting at `start` (the `#`), whose word ends at
    /// `j`. Returns where to continue.
    #[allow(clippy::too_many_arguments)]
    fn directive(
        &mut self,
        input: &[(char, Loc)],
        word: &str,
        start: usize,
        mut j: usize,
        depth: usize,
        active: bool,
        conds: &mut Vec<(bool, bool, bool, Loc)>,
    ) -> usize {
        let n = input.len();
        let ch = |i: usize| input.get(i).map(|p| p.0).unwrap_or('\0');
        let loc = input[start].1;
        let skip_ws = |mut j: usize| {
            while ch(j) == ' ' || ch(j) == '\t' {
                j += 1;
            }
            j
        };
        let read_name = |j: usize| {
            let mut k = j;
            while is_ident_char(ch(k)) {
                k += 1;
            }
            (input[j..k].iter().map(|p| p.0).collect::<String>(), k)
        };
        match word {
            "ifdef" | "ifndef" => {
                j = skip_ws(j);
                let (name, k) = read_name(j);
                if name.is_empty() {
                    self.error(loc, format!("#{word} needs a macro name"));
                }
                let defined = self.macros.contains_key(&name);
                let take = if word == "ifdef" { defined } else { !defined };
                conds.push((take && active, active, false, loc));
                k
            }
            "else" => {
                match conds.last_mut() {
                    Some(top) if !top.2 => {
                        top.0 = !top.0 && top.1;
                        top.2 = true;
                    }
                    Some(_) => self.error(loc, "second #else for the same #ifdef"),
                    None => self.error(loc, "#else without #ifdef"),
                }
                j
            }
            "end" => {
                if conds.pop().is_none() {
                    self.error(loc, "#end without #ifdef");
                }
                j
            }
            _ if !active => j,
            "undef" => {
                j = skip_ws(j);
                let (name, k) = read_name(j);
                self.macros.remove(&name);
                k
            }
            "include" => {
                j = skip_ws(j);
                let delim = ch(j);
                if j >= n || delim == '\n' {
                    self.error(loc, "#include needs a file name in quotes");
                    return j;
                }
                let mut k = j + 1;
                while k < n && ch(k) != delim && ch(k) != '\n' {
                    k += 1;
                }
                if ch(k) != delim {
                    self.error(loc, "unterminated file name in #include");
                    return k;
                }
                let name: String = input[j + 1..k].iter().map(|p| p.0).collect();
                self.include(&name, loc, depth);
                k + 1
            }
            _ => self.define(input, start, j, loc),
        }
    }

    fn include(&mut self, name: &str, loc: Loc, depth: usize) {
        if depth >= MAX_DEPTH {
            self.error(loc, "#include nested too deeply (recursive include?)");
            return;
        }
        let parent = &self.out.files[loc.file as usize].name;
        let path = Path::new(parent)
            .parent()
            .map(|d| d.join(name))
            .unwrap_or_else(|| Path::new(name).to_path_buf());
        let text = match crate::files::read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                self.error(loc, format!("#include: {e}"));
                return;
            }
        };
        if !self.spend(text.len(), loc) {
            return;
        }
        let idx = self.out.files.len() as u32;
        self.out.files.push(Arc::new(SourceFile {
            name: path.display().to_string(),
            text,
        }));
        let input = located(&self.out.files[idx as usize].text.clone(), idx);
        self.run(&input, depth + 1);
        // Make sure the including line's remainder starts on a fresh line.
        self.out.chars.push(('\n', loc));
    }

    /// `#define NAME(a'b) #body#`; `j` is just after the word `define`.
    fn define(&mut self, input: &[(char, Loc)], start: usize, mut j: usize, loc: Loc) -> usize {
        let n = input.len();
        let ch = |i: usize| input.get(i).map(|p| p.0).unwrap_or('\0');
        while ch(j) == ' ' || ch(j) == '\t' {
            j += 1;
        }
        let ns = j;
        while is_ident_char(ch(j)) {
            j += 1;
        }
        let name: String = input[ns..j].iter().map(|p| p.0).collect();
        let line_end = |mut k: usize| {
            while k < n && ch(k) != '\n' {
                k += 1;
            }
            k
        };
        if name.is_empty() {
            self.error(input[start].1, "#define needs a macro name");
            return line_end(j);
        }
        let mut params = Vec::new();
        if ch(j) == '(' {
            j += 1;
            let mut cur = String::new();
            while j < n && ch(j) != ')' && ch(j) != '\n' {
                let c = ch(j);
                if c == '\'' || c == '#' {
                    params.push(std::mem::take(&mut cur));
                } else if !c.is_whitespace() {
                    cur.push(c);
                }
                j += 1;
            }
            if ch(j) != ')' {
                self.error(
                    loc,
                    format!("unterminated parameter list in #define {name}"),
                );
                return line_end(j);
            }
            params.push(cur);
            j += 1;
        }
        while ch(j).is_whitespace() {
            j += 1;
        }
        if ch(j) != '#' {
            self.error(
                input[j.min(n.saturating_sub(1))].1,
                format!("expected '#' to start the body of macro {name}"),
            );
            return line_end(j);
        }
        j += 1;
        let mut body = Vec::new();
        while j < n && ch(j) != '#' {
            if ch(j) == '\\' && ch(j + 1) == '#' {
                j += 1;
            }
            body.push(ch(j));
            j += 1;
        }
        if j >= n {
            self.error(
                loc,
                format!("unterminated body of macro {name} (missing '#')"),
            );
            return n;
        }
        // Keep the line count right: the newlines of a multi-line body.
        for &(c, l) in &input[start..j] {
            if c == '\n' {
                self.out.chars.push((c, l));
            }
        }
        self.macros.insert(name, Macro { params, body });
        j + 1
    }

    /// Expand `$NAME`, `$NAME.` or `$NAME(a'b)` at `i`; returns where to continue.
    fn expand(&mut self, input: &[(char, Loc)], i: usize, depth: usize) -> usize {
        let n = input.len();
        let ch = |i: usize| input.get(i).map(|p| p.0).unwrap_or('\0');
        let loc = input[i].1;
        let mut j = i + 1;
        while is_ident_char(ch(j)) {
            j += 1;
        }
        let word: String = input[i + 1..j].iter().map(|p| p.0).collect();
        // The longest defined prefix of the word names the macro.
        let mut len = word.len();
        while len > 0 && !self.macros.contains_key(&word[..len]) {
            len -= 1;
        }
        if len == 0 {
            self.error(loc, format!("undefined macro ${word}"));
            return j;
        }
        let name = &word[..len];
        j = i + 1 + len;
        let mac = self.macros[name].clone();
        let mut args: Vec<String> = Vec::new();
        if !mac.params.is_empty() {
            if ch(j) != '(' {
                self.error(loc, format!("macro ${name} needs arguments: ${name}(...)"));
                return j;
            }
            j += 1;
            let mut cur = String::new();
            let mut nest = 0;
            while j < n {
                let c = ch(j);
                if c == ')' && nest == 0 {
                    break;
                }
                match c {
                    '(' => nest += 1,
                    ')' => nest -= 1,
                    _ => {}
                }
                if (c == '\'' || c == '#') && nest == 0 {
                    args.push(std::mem::take(&mut cur));
                } else {
                    cur.push(c);
                }
                j += 1;
            }
            if j >= n {
                self.error(loc, format!("unterminated arguments of macro ${name}"));
                return n;
            }
            args.push(cur);
            j += 1;
            if args.len() != mac.params.len() {
                self.error(
                    loc,
                    format!(
                        "macro ${name} takes {} argument(s), got {}",
                        mac.params.len(),
                        args.len()
                    ),
                );
                return j;
            }
        } else if ch(j) == '.' {
            j += 1;
        }
        if depth >= MAX_DEPTH {
            self.error(
                loc,
                format!("macro ${name} expands too deeply (recursive macro?)"),
            );
            return j;
        }
        let args: Vec<Vec<char>> = args.iter().map(|a| a.chars().collect()).collect();
        let body = substitute(&mac.body, &mac.params, &args);
        if !self.spend(body.len(), loc) {
            return j;
        }
        let text: Vec<(char, Loc)> = body.into_iter().map(|c| (c, loc)).collect();
        self.run(&text, depth + 1);
        j
    }
}
