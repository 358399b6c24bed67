//! Score preprocessing: comments, macros (`#define`, `#undef`, `$NAME`), `#include` and
//! `{ N NAME ... }` loops, done on characters that keep their source
//! positions so later errors still point into the `.csd`.

use std::collections::HashMap;

use super::expr::PChar;
use crate::preprocess::{Budget, MacroChar, Spent, TOO_MUCH, read_name, substitute};

impl MacroChar for PChar {
    fn ch(&self) -> char {
        self.c
    }
}

/// A preprocessing error: position and message.
pub(super) type PreError = (u32, u32, String);

/// Turn source text into position-tagged characters.
pub(super) fn chars_of(text: &str) -> Vec<PChar> {
    let mut out = Vec::with_capacity(text.len());
    let (mut line, mut col) = (1u32, 1u32);
    for c in text.chars() {
        out.push(PChar { c, line, col });
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    out
}

/// Expansion state shared across nested calls.
pub(super) struct Pre {
    pub macros: HashMap<String, Vec<PChar>>,
    /// Parameter names of the macros defined with arguments (`#define M(a'b) #...#`).
    params: HashMap<String, Vec<String>>,
    pub errors: Vec<PreError>,
    /// Characters produced by macro calls and loops so far, to stop
    /// exponential expansions (`#define A #$A $A#`, nested huge loops).
    produced: Budget,
    /// Folder `#include` names are relative to (the CSD's).
    pub dir: Option<std::path::PathBuf>,
}

/// Errors kept at most; more would only bury the first ones.
pub(super) const MAX_ERRORS: usize = 100;

/// Macro expansion depth beyond which we assume a macro calls itself.
const MAX_DEPTH: usize = 64;

impl Pre {
    pub fn new() -> Pre {
        Pre {
            macros: HashMap::new(),
            params: HashMap::new(),
            errors: Vec::new(),
            produced: Budget::default(),
            dir: None,
        }
    }

    /// Count expanded text; false (with one error, the first time) once the
    /// cap is passed.
    fn spend(&mut self, n: usize, at: &PChar) -> bool {
        match self.produced.spend(n) {
            Spent::Within => true,
            Spent::Exceeded => {
                self.err(at, format!("the score {TOO_MUCH}"));
                false
            }
            Spent::Exhausted => false,
        }
    }

    fn err(&mut self, p: &PChar, msg: impl Into<String>) {
        // A runaway expansion can fail millions of times: report a few.
        if self.errors.len() < MAX_ERRORS {
            self.errors.push((p.line, p.col, msg.into()));
        }
    }

    /// Strip comments and expand macros and loops in `input`.
    pub fn run(&mut self, input: &[PChar], depth: usize) -> Vec<PChar> {
        let mut out = Vec::with_capacity(input.len());
        self.run_into(input, depth, &mut out);
        out
    }

    /// [`Self::run`], appending to `out` (expansions write straight into the
    /// final text instead of being copied up through every nesting level).
    fn run_into(&mut self, input: &[PChar], depth: usize, out: &mut Vec<PChar>) {
        let mut i = 0;
        let at = |i: usize| input.get(i).map(|p| p.c);
        // Whether only blanks precede `i` on its line: `r` counts only there.
        let mut line_start = true;
        while i < input.len() {
            let p = input[i];
            let was_line_start = line_start;
            line_start = p.c == '\n' || (line_start && (p.c == ' ' || p.c == '\t'));
            match p.c {
                'r' if was_line_start
                    && at(i + 1).is_none_or(|c| c.is_whitespace() || c.is_ascii_digit()) =>
                {
                    i = self.repeat_section(input, i, depth, out);
                    line_start = true;
                }
                ';' => {
                    while at(i).is_some_and(|c| c != '\n') {
                        i += 1;
                    }
                }
                '/' if at(i + 1) == Some('/') => {
                    while at(i).is_some_and(|c| c != '\n') {
                        i += 1;
                    }
                }
                '/' if at(i + 1) == Some('*') => {
                    let start = p;
                    i += 2;
                    loop {
                        match at(i) {
                            None => {
                                self.err(&start, "unterminated /* comment");
                                break;
                            }
                            Some('*') if at(i + 1) == Some('/') => {
                                i += 2;
                                break;
                            }
                            Some('\n') => {
                                // Keep line breaks so statements stay apart.
                                out.push(input[i]);
                                i += 1;
                            }
                            Some(_) => i += 1,
                        }
                    }
                    out.push(PChar { c: ' ', ..start });
                }
                '"' => {
                    // Copy the string whole: no comments or macros inside.
                    out.push(p);
                    i += 1;
                    loop {
                        match at(i) {
                            None | Some('\n') => {
                                self.err(&p, "unterminated string");
                                break;
                            }
                            Some('"') => {
                                out.push(input[i]);
                                i += 1;
                                break;
                            }
                            Some(_) => {
                                out.push(input[i]);
                                i += 1;
                            }
                        }
                    }
                }
                '#' => i = self.directive(input, i, depth, out),
                '$' => i = self.call(input, i, depth, out),
                '{' => i = self.repeat(input, i, depth, out),
                '}' => {
                    self.err(&p, "'}' without a matching '{'");
                    i += 1;
                }
                _ => {
                    out.push(p);
                    i += 1;
                }
            }
        }
    }

    /// `#define NAME #text#`, `#undef NAME` and `#include "file"`; returns the index after it.
    fn directive(
        &mut self,
        input: &[PChar],
        start: usize,
        depth: usize,
        out: &mut Vec<PChar>,
    ) -> usize {
        let at = |i: usize| input.get(i).map(|p| p.c);
        let mut i = start + 1;
        while at(i).is_some_and(|c| c == ' ' || c == '\t') {
            i += 1;
        }
        let word = read_name(input, &mut i);
        match word.as_str() {
            "define" => {
                while at(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                let name_at = i;
                let name = read_name(input, &mut i);
                if name.is_empty() {
                    self.err(&input[name_at.min(input.len() - 1)], "#define needs a name");
                    return skip_line(input, i);
                }
                let mut params = Vec::new();
                if at(i) == Some('(') {
                    // `(a'b'c)`: parameter names separated by ' or #.
                    let open = input[i];
                    i += 1;
                    loop {
                        while at(i).is_some_and(|c| c == ' ' || c == '\t') {
                            i += 1;
                        }
                        let param = read_name(input, &mut i);
                        if !param.is_empty() {
                            params.push(param);
                        }
                        match at(i) {
                            Some('\'') | Some('#') => i += 1,
                            Some(')') => {
                                i += 1;
                                break;
                            }
                            _ => {
                                self.err(
                                    &open,
                                    "expected parameter names like (a'b) after the macro name",
                                );
                                return skip_line(input, i);
                            }
                        }
                    }
                }
                while at(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                if at(i) != Some('#') {
                    let p = input.get(i).copied().unwrap_or(input[start]);
                    self.err(&p, "expected '#' to start the macro text");
                    return skip_line(input, i);
                }
                let open = input[i];
                i += 1;
                let body_start = i;
                while at(i).is_some_and(|c| c != '#') {
                    i += 1;
                }
                if at(i).is_none() {
                    self.err(&open, "unterminated macro text");
                    return i;
                }
                if params.is_empty() {
                    self.params.remove(&name);
                } else {
                    self.params.insert(name.clone(), params);
                }
                self.macros.insert(name, input[body_start..i].to_vec());
                i + 1
            }
            "undef" => {
                while at(i).is_some_and(|c| c == ' ' || c == '\t') {
                    i += 1;
                }
                let name = read_name(input, &mut i);
                self.macros.remove(&name);
                self.params.remove(&name);
                skip_line(input, i)
            }
            "include" => {
                let directive = input[start];
                while at(i).is_some_and(|c| c == ' ' || c == '\t') {
                    i += 1;
                }
                // The name in quotes (csound also takes any other delimiter
                // repeated at the end: `#include |file|`).
                let Some(quote) = at(i).filter(|c| !c.is_whitespace()) else {
                    self.err(&directive, "#include needs a file name in quotes");
                    return skip_line(input, i);
                };
                i += 1;
                let mut name = String::new();
                while let Some(c) = at(i).filter(|c| *c != quote && *c != '\n') {
                    name.push(c);
                    i += 1;
                }
                if at(i) != Some(quote) {
                    self.err(&directive, "unterminated file name in #include");
                    return skip_line(input, i);
                }
                let end = skip_line(input, i + 1);
                if depth >= MAX_DEPTH {
                    self.err(
                        &directive,
                        "#include nested too deeply (recursive include?)",
                    );
                    return end;
                }
                let path = self
                    .dir
                    .as_ref()
                    .map(|d| d.join(&name))
                    .unwrap_or_else(|| name.clone().into());
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        let shown = path.display();
                        self.err(
                            &directive,
                            format!("cannot read included file {shown}: {e}"),
                        );
                        return end;
                    }
                };
                if !self.spend(text.len(), &directive) {
                    return end;
                }
                // Messages about the included text point at the `#include`.
                let included: Vec<PChar> = text
                    .chars()
                    .map(|c| PChar {
                        c,
                        line: directive.line,
                        col: directive.col,
                    })
                    .collect();
                self.run_into(&included, depth + 1, out);
                out.push(PChar {
                    c: '\n',
                    line: directive.line,
                    col: directive.col,
                });
                end
            }
            _ => {
                self.err(&input[start], format!("unknown directive '#{word}'"));
                skip_line(input, i)
            }
        }
    }

    /// `$NAME` or `$NAME.`: expand the macro in place.
    fn call(&mut self, input: &[PChar], start: usize, depth: usize, out: &mut Vec<PChar>) -> usize {
        let mut i = start + 1;
        let name = read_name(input, &mut i);
        let dollar = input[start];
        if input.get(i).is_some_and(|p| p.c == '.') {
            i += 1;
        }
        let mut args: Vec<Vec<PChar>> = Vec::new();
        if let Some(params) = self.params.get(&name).cloned() {
            // `$NAME(x'y)`: arguments separated by ' or #, brackets nesting.
            if input.get(i).map(|p| p.c) != Some('(') {
                self.err(
                    &dollar,
                    format!(
                        "macro '${name}' needs {} argument(s) in (...)",
                        params.len()
                    ),
                );
                return i;
            }
            i += 1;
            let (mut depth_paren, mut current) = (0usize, Vec::new());
            loop {
                let Some(p) = input.get(i).copied() else {
                    self.err(&dollar, format!("unterminated arguments of '${name}'"));
                    return i;
                };
                i += 1;
                match p.c {
                    '(' => {
                        depth_paren += 1;
                        current.push(p);
                    }
                    ')' if depth_paren == 0 => {
                        args.push(std::mem::take(&mut current));
                        break;
                    }
                    ')' => {
                        depth_paren -= 1;
                        current.push(p);
                    }
                    '\'' | '#' if depth_paren == 0 => args.push(std::mem::take(&mut current)),
                    _ => current.push(p),
                }
            }
            if args.len() != params.len() {
                self.err(
                    &dollar,
                    format!(
                        "macro '${name}' takes {} argument(s), got {}",
                        params.len(),
                        args.len()
                    ),
                );
                return i;
            }
        }
        if name.is_empty() {
            self.err(&dollar, "'$' without a macro name");
            return i;
        }
        let Some(body) = self.macros.get(&name).cloned() else {
            self.err(&dollar, format!("undefined macro '${name}'"));
            return i;
        };
        if depth >= MAX_DEPTH {
            self.err(
                &dollar,
                format!("macro '${name}' expands too deeply (recursive?)"),
            );
            return i;
        }
        let body = match self.params.get(&name) {
            Some(params) => substitute(&body, params, &args),
            None => body,
        };
        // The expansion is reported at the call: that is where the user looks.
        let placed: Vec<PChar> = body
            .iter()
            .map(|p| PChar {
                c: p.c,
                line: dollar.line,
                col: dollar.col,
            })
            .collect();
        if !self.spend(placed.len(), &dollar) {
            return i;
        }
        self.run_into(&placed, depth + 1, out);
        i
    }

    /// `{ N NAME ... }`: repeat the body N times with `$NAME` = 0, 1, ...
    fn repeat(
        &mut self,
        input: &[PChar],
        start: usize,
        depth: usize,
        out: &mut Vec<PChar>,
    ) -> usize {
        let at = |i: usize| input.get(i).map(|p| p.c);
        let open = input[start];
        let mut i = start + 1;
        while at(i).is_some_and(|c| c == ' ' || c == '\t') {
            i += 1;
        }
        let count_at = i;
        let mut count = String::new();
        while let Some(c) = at(i).filter(|c| c.is_ascii_digit()) {
            count.push(c);
            i += 1;
        }
        let count: usize = match count.parse() {
            Ok(n) => n,
            Err(_) => {
                let p = input.get(count_at).copied().unwrap_or(open);
                self.err(&p, "'{' needs a repeat count");
                0
            }
        };
        while at(i).is_some_and(|c| c == ' ' || c == '\t') {
            i += 1;
        }
        let name = read_name(input, &mut i);
        let body_start = i;
        let mut level = 1;
        while let Some(c) = at(i) {
            match c {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if at(i).is_none() {
            self.err(&open, "unterminated '{' loop");
            return i;
        }
        if depth >= MAX_DEPTH {
            self.err(&open, "loops nested too deeply");
            return i + 1;
        }
        let saved = self.macros.get(&name).cloned();
        for n in 0..count.min(100_000) {
            if !name.is_empty() {
                let text: Vec<PChar> = n.to_string().chars().map(|c| PChar { c, ..open }).collect();
                self.macros.insert(name.clone(), text);
            }
            if !self.spend(i - body_start, &open) {
                break;
            }
            self.run_into(&input[body_start..i], depth + 1, out);
            out.push(PChar { c: '\n', ..open });
        }
        if !name.is_empty() {
            match saved {
                Some(v) => self.macros.insert(name, v),
                None => self.macros.remove(&name),
            };
        }
        i + 1
    }
}

impl Pre {
    /// `r N NAME`: the lines up to the next `s`, `e` or `r` statement are
    /// played N times as sections of their own, with `$NAME` = 0, 1, ...
    /// (csound 6.18 counts from 0, although the manual says 1).
    fn repeat_section(
        &mut self,
        input: &[PChar],
        start: usize,
        depth: usize,
        out: &mut Vec<PChar>,
    ) -> usize {
        let at = |i: usize| input.get(i).map(|p| p.c);
        let r = input[start];
        let mut i = start + 1;
        while at(i).is_some_and(|c| c == ' ' || c == '\t') {
            i += 1;
        }
        let count_at = i;
        let mut count = String::new();
        while let Some(c) = at(i).filter(|c| c.is_ascii_digit()) {
            count.push(c);
            i += 1;
        }
        let count: usize = match count.parse() {
            Ok(n) => n,
            Err(_) => {
                let p = input.get(count_at).copied().unwrap_or(r);
                self.err(&p, "r needs a repeat count");
                return skip_line(input, i);
            }
        };
        while at(i).is_some_and(|c| c == ' ' || c == '\t') {
            i += 1;
        }
        let name = read_name(input, &mut i);
        let body_start = skip_line(input, i);
        // Find the line that starts with the ending statement.
        let mut end = body_start;
        let mut terminator = None;
        while end < input.len() {
            let mut j = end + 1;
            while at(j).is_some_and(|c| c == ' ' || c == '\t') {
                j += 1;
            }
            if let Some(c @ ('s' | 'e' | 'r')) = at(j)
                && !at(j + 1).is_some_and(|d| d.is_ascii_alphabetic())
            {
                terminator = Some(c);
                end += 1;
                break;
            }
            end = skip_line(input, j);
        }
        if depth >= MAX_DEPTH {
            self.err(&r, "r sections nested too deeply");
            return end;
        }
        let saved = self.macros.get(&name).cloned();
        let n = count.min(100_000);
        for k in 0..n {
            if !name.is_empty() {
                let text: Vec<PChar> = k.to_string().chars().map(|c| PChar { c, ..r }).collect();
                self.macros.insert(name.clone(), text);
            }
            if !self.spend(end.saturating_sub(body_start), &r) {
                break;
            }
            self.run_into(&input[body_start.min(end)..end], depth + 1, out);
            if k + 1 < n || terminator == Some('r') {
                out.push(PChar { c: '\n', ..r });
                out.push(PChar { c: 's', ..r });
                out.push(PChar { c: '\n', ..r });
            }
        }
        if !name.is_empty() {
            match saved {
                Some(v) => self.macros.insert(name, v),
                None => self.macros.remove(&name),
            };
        }
        end
    }
}

fn skip_line(input: &[PChar], mut i: usize) -> usize {
    while input.get(i).is_some_and(|p| p.c != '\n') {
        i += 1;
    }
    i
}
