//! Diagnostics: source positions and the one-message-per-problem error type
//! every front end prints (`file:line:col: error: ...` with a caret line).

use std::fmt;
use std::sync::Arc;

/// A source text with a name, kept so that messages can quote the offending line.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown in messages (a path, or `<score>`, `<console>` ...).
    pub name: String,
    pub text: String,
}

/// Where something is: file, 1-based line and 1-based column (in characters).
#[derive(Clone, Debug)]
pub struct Pos {
    pub file: Arc<SourceFile>,
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(file: &Arc<SourceFile>, line: u32, col: u32) -> Pos {
        Pos {
            file: file.clone(),
            line,
            col,
        }
    }

    /// The text of the line this position points into (without newline).
    pub fn line_text(&self) -> &str {
        self.file
            .text
            .lines()
            .nth(self.line.saturating_sub(1) as usize)
            .unwrap_or("")
    }
}

impl PartialEq for Pos {
    fn eq(&self, other: &Pos) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.line == other.line && self.col == other.col
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.name, self.line, self.col)
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in user input, with where it is.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub pos: Option<Pos>,
}

impl Diagnostic {
    pub fn error(pos: Option<Pos>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            pos,
        }
    }

    pub fn error_at(pos: &Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Some(pos.clone()), message)
    }

    pub fn warning(pos: Option<Pos>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            pos,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error: message`, then the source line and a caret under the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.pos {
            None => write!(f, "{kind}: {}", self.message),
            Some(pos) => {
                write!(f, "{pos}: {kind}: {}", self.message)?;
                let (line, col) = quoted_window(pos.line_text(), pos.col);
                let line = line.as_str();
                if !line.is_empty() {
                    let width = col.saturating_sub(1) as usize;
                    // Keep tabs so the caret lines up under the same characters.
                    let pad: String = line
                        .chars()
                        .take(width)
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    write!(f, "\n  {line}\n  {pad}^")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Diagnostic {}

/// Characters of a source line quoted under a message at most; a longer line
/// is shown as a window around the column (a line of 20,000 characters
/// quoted under each of its errors made 150 MB of output).
const QUOTE_WIDTH: usize = 120;

/// The part of `line` to quote and the column within it.
fn quoted_window(line: &str, col: u32) -> (String, u32) {
    let count = line.chars().count();
    if count <= QUOTE_WIDTH {
        return (line.to_string(), col);
    }
    let at = (col.saturating_sub(1) as usize).min(count);
    let start = at.saturating_sub(QUOTE_WIDTH / 2);
    let end = (start + QUOTE_WIDTH).min(count);
    let mut text: String = line.chars().skip(start).take(end - start).collect();
    let mut col = (at - start + 1) as u32;
    if start > 0 {
        text.insert_str(0, "...");
        col += 3;
    }
    if end < count {
        text.push_str("...");
    }
    (text, col)
}

/// Diagnostics printed at most; the rest are counted in one line.
const MAX_SHOWN: usize = 50;

/// A list of diagnostics that stopped a parse or compile.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for Diagnostics {
    /// Each diagnostic once: repeats of the same message on the same line
    /// are counted under the first, and after [`MAX_SHOWN`] the rest are
    /// counted in one closing line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let same = |a: &Diagnostic, b: &Diagnostic| {
            a.message == b.message
                && a.severity == b.severity
                && match (&a.pos, &b.pos) {
                    (Some(p), Some(q)) => Arc::ptr_eq(&p.file, &q.file) && p.line == q.line,
                    (None, None) => true,
                    _ => false,
                }
        };
        let mut shown = 0;
        let mut i = 0;
        while i < self.0.len() {
            let d = &self.0[i];
            let mut repeats = 0;
            while self.0.get(i + 1 + repeats).is_some_and(|e| same(d, e)) {
                repeats += 1;
            }
            if shown == MAX_SHOWN {
                let left = self.0.len() - i;
                return write!(f, "\n... and {left} more");
            }
            if shown > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
            if repeats > 0 {
                write!(f, "\n  (and {repeats} more like it on this line)")?;
            }
            shown += 1;
            i += 1 + repeats;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}
