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
                let line = pos.line_text();
                if !line.is_empty() {
                    let width = pos.col.saturating_sub(1) as usize;
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

/// A list of diagnostics that stopped a parse or compile.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
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
