//! The `.csd` container: split a file into its options, orchestra and score.
//!
//! The orchestra and score keep their line numbers: each section's text is
//! padded with the blank lines (and spaces) that precede it in the file, so a
//! position in the section is the same position in the `.csd`.

use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, Pos, SourceFile};

/// The three parts of a `.csd` file.
#[derive(Debug)]
pub struct Csd {
    /// The whole file, for messages about the container itself.
    pub file: Arc<SourceFile>,
    /// Flags from `<CsOptions>`, split on white space (quotes respected).
    pub options: Vec<String>,
    /// `<CsInstruments>` text, padded so positions match the file.
    pub orchestra: Arc<SourceFile>,
    /// `<CsScore>` text, padded so positions match the file; empty if absent.
    pub score: Arc<SourceFile>,
}

impl Csd {
    /// Read and split a `.csd` file from disk.
    pub fn read(path: &Path) -> Result<Csd, Diagnostic> {
        let text = crate::files::read_text(path).map_err(|e| Diagnostic::error(None, e))?;
        Csd::parse(&path.display().to_string(), text)
    }

    /// Split CSD text; `name` is used in messages.
    pub fn parse(name: &str, text: String) -> Result<Csd, Diagnostic> {
        let file = Arc::new(SourceFile {
            name: name.to_string(),
            text,
        });
        let text = &file.text;
        let options = section(text, "CsOptions")
            .map(|(start, end)| split_options(&strip_option_comments(&text[start..end])))
            .unwrap_or_default();
        let Some((orc_start, orc_end)) = section(text, "CsInstruments") else {
            // Not quoted: `load` of any file must not show what it holds.
            return Err(Diagnostic::error(
                None,
                format!("{name}: no <CsInstruments> section in this file (not a .csd?)"),
            ));
        };
        // A section opened and never closed would be read as absent (a
        // score that never ends): refused, at its opening tag.
        for tag in ["CsOptions", "CsInstruments", "CsScore"] {
            if let Some(open) = unclosed(text, tag) {
                let line = text[..open].matches('\n').count() as u32 + 1;
                let col = (open - text[..open].rfind('\n').map_or(0, |i| i + 1)) as u32 + 1;
                return Err(Diagnostic::error_at(
                    &Pos::new(&file, line, col),
                    format!("<{tag}> is never closed: missing </{tag}>"),
                ));
            }
        }
        let orchestra = Arc::new(SourceFile {
            name: name.to_string(),
            text: padded(text, orc_start, orc_end),
        });
        let score_text = section(text, "CsScore")
            .map(|(start, end)| padded(text, start, end))
            .unwrap_or_default();
        let score = Arc::new(SourceFile {
            name: name.to_string(),
            text: score_text,
        });
        Ok(Csd {
            file,
            options,
            orchestra,
            score,
        })
    }
}

/// Where `<tag` opens if no `</tag>` follows it.
fn unclosed(text: &str, tag: &str) -> Option<usize> {
    let start = text.find(&format!("<{tag}"))?;
    let close = format!("</{tag}>");
    (!text[start..].contains(&close)).then_some(start)
}

/// Byte range of the content between `<tag ...>` and `</tag>`.
fn section(text: &str, tag: &str) -> Option<(usize, usize)> {
    let open = format!("<{tag}");
    let start_tag = text.find(&open)?;
    let content_start = start_tag + text[start_tag..].find('>')? + 1;
    let close = format!("</{tag}>");
    let content_end = content_start + text[content_start..].find(&close)?;
    Some((content_start, content_end))
}

/// The section text with everything before it turned into blank lines and
/// spaces, so that line and column numbers match the original file.
fn padded(text: &str, start: usize, end: usize) -> String {
    let before = &text[..start];
    let newlines = before.matches('\n').count();
    let column = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mut out = String::with_capacity(newlines + column + end - start);
    out.extend(std::iter::repeat_n('\n', newlines));
    out.extend(std::iter::repeat_n(' ', column));
    out.push_str(&text[start..end]);
    out
}

/// `<CsOptions>` allows `;` comments and `/* */` blocks.
fn strip_option_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .find("*/")
            .map(|j| &rest[i + j + 2..])
            .unwrap_or("");
    }
    out.push_str(rest);
    out.lines()
        .map(|l| l.split(';').next().unwrap_or(""))
        // A line may be written as a command line (`csound -odac x.csd`):
        // csound skips the program's name.
        .map(|l| match l.trim_start().strip_prefix("csound") {
            Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Split flags on white space, keeping double-quoted parts together.
pub fn split_options(text: &str) -> Vec<String> {
    let mut flags = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    flags.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            c => {
                current.push(c);
                any = true;
            }
        }
    }
    if any {
        flags.push(current);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIMPLE: &str = "<CsoundSynthesizer>\n<CsOptions>\n-d -o dac ; comment\n</CsOptions>\n<CsInstruments>\nsr = 48000\n</CsInstruments>\n<CsScore>\ni 1 0 1\n</CsScore>\n</CsoundSynthesizer>\n";

    #[test]
    fn sections_keep_their_line_numbers() {
        let csd = Csd::parse("x.csd", SIMPLE.to_string()).unwrap();
        assert_eq!(csd.options, vec!["-d", "-o", "dac"]);
        assert_eq!(csd.orchestra.text.lines().nth(5), Some("sr = 48000"));
        assert_eq!(csd.score.text.lines().nth(8), Some("i 1 0 1"));
    }

    #[test]
    fn missing_orchestra_is_an_error_that_does_not_quote_the_file() {
        let err = Csd::parse("x.csd", "SECRET first line\n<CsScore>\n</CsScore>".into())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("error: x.csd: no <CsInstruments>"), "{err}");
        assert!(!err.contains("SECRET"), "{err}");
    }

    #[test]
    fn a_section_never_closed_is_an_error_at_its_tag() {
        let text = SIMPLE.replace("</CsScore>", "");
        let err = Csd::parse("x.csd", text).unwrap_err().to_string();
        assert!(
            err.starts_with("x.csd:8:1: error: <CsScore> is never closed"),
            "{err}"
        );
    }

    #[test]
    fn a_line_starting_with_csound_drops_the_word() {
        assert_eq!(
            split_options(&strip_option_comments("csound -d -m128\n-W ; csound")),
            vec!["-d", "-m128", "-W"]
        );
    }

    #[test]
    fn quoted_options_stay_whole() {
        assert_eq!(
            split_options("-o \"my file.wav\" -W"),
            vec!["-o", "my file.wav", "-W"]
        );
    }
}
