//! What `dir()` and `help(name)` show, and the generated function
//! reference: read from Rhai's own function metadata (signatures and the
//! `///` comments of the plugin modules) and from the scripts' functions.

use rhai::{AST, Engine};

use super::state::FnDoc;

/// A Rhai-callable name (not an operator, indexer or property accessor).
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Doc comment lines without their `///` or `/** */` markers.
fn clean_comments<'a>(comments: impl IntoIterator<Item = &'a str>) -> String {
    let mut lines = Vec::new();
    for c in comments {
        for line in c.lines() {
            let l = line.trim();
            let l = l
                .strip_prefix("///")
                .or_else(|| l.strip_prefix("/**"))
                .unwrap_or(l);
            let l = l.strip_suffix("*/").unwrap_or(l);
            let l = l.strip_prefix(" ").unwrap_or(l);
            lines.push(l.trim_end().to_string());
        }
    }
    lines.join("\n").trim().to_string()
}

/// Signatures as a user reads them: numbers we accept as INT or FLOAT are
/// `Dynamic` to Rhai.
fn readable(signature: &str) -> String {
    signature
        .replace(": Dynamic", ": number")
        .replace("rhapsody::host::table::", "")
        .replace("&str", "string")
        .replace("ImmutableString", "string")
}

/// Every function registered in `engine` (Rhai's standard library left out).
pub fn registered(engine: &Engine) -> Vec<FnDoc> {
    let json = match engine.gen_fn_metadata_to_json(false) {
        Ok(j) => j,
        Err(_) => return Vec::new(),
    };
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let mut out = Vec::new();
    for f in value["functions"].as_array().into_iter().flatten() {
        let name = f["name"].as_str().unwrap_or_default();
        if !is_plain_name(name) || name == "to_string" || name == "to_debug" {
            continue;
        }
        let comments = f["docComments"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c.as_str()).collect::<Vec<_>>())
            .unwrap_or_default();
        out.push(FnDoc {
            name: name.to_string(),
            signature: readable(f["signature"].as_str().unwrap_or(name)),
            doc: clean_comments(comments),
            script: false,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.signature.cmp(&b.signature)));
    out
}

/// The functions defined in a script's AST.
pub fn scripted(ast: &AST) -> Vec<FnDoc> {
    ast.iter_functions()
        .filter(|f| is_plain_name(f.name))
        .map(|f| FnDoc {
            name: f.name.to_string(),
            signature: format!("{}({})", f.name, f.params.join(", ")),
            doc: clean_comments(f.comments.iter().copied()),
            script: true,
        })
        .collect()
}

/// `help(name)`: every signature of `name` with its documentation.
pub fn help_text(docs: &[FnDoc], name: &str) -> String {
    let found: Vec<&FnDoc> = docs.iter().filter(|d| d.name == name).collect();
    if found.is_empty() {
        return format!("no function named '{name}': dir() lists them all");
    }
    let mut text = String::new();
    for d in found {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&d.signature);
        if d.script {
            text.push_str("   (script)");
        }
        if !d.doc.is_empty() {
            for line in d.doc.lines() {
                text.push_str("\n    ");
                text.push_str(line);
            }
        }
    }
    text
}

/// `help()`: one line per function.
pub fn overview(docs: &[FnDoc]) -> String {
    let mut text = String::from(
        "rhapsody functions (help(\"name\") for details; numbers may be INT or FLOAT):\n",
    );
    let mut last = "";
    for d in docs {
        if d.name == last {
            continue;
        }
        last = &d.name;
        text.push_str(&format!("  {:<22} {}\n", d.name, first_sentence(&d.doc)));
    }
    text
}

/// The first sentence of a documentation comment, whole: its lines joined
/// up to the first full stop (or the end of the first paragraph), ending
/// with a full stop. `help()`'s one-liners.
pub fn first_sentence(doc: &str) -> String {
    let paragraph: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let joined = paragraph.join(" ");
    let mut sentence = match joined.find(". ") {
        Some(end) => joined[..=end].to_string(),
        None => joined,
    };
    if sentence.ends_with(':') {
        sentence.pop();
    }
    if !sentence.is_empty() && !sentence.ends_with(['.', '?', '!']) {
        sentence.push('.');
    }
    sentence
}

/// A Markdown reference of every function, for the book.
pub fn reference_markdown(docs: &[FnDoc]) -> String {
    let mut text = String::from("# Script functions\n\n");
    for d in docs {
        text.push_str(&format!("### `{}`\n\n", d.signature));
        if !d.doc.is_empty() {
            text.push_str(&d.doc);
            text.push_str("\n\n");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_lose_their_markers() {
        assert_eq!(
            clean_comments(["/// one\n/// two", "/** three */"]),
            "one\ntwo\nthree"
        );
    }

    #[test]
    fn one_liners_are_whole_sentences() {
        assert_eq!(
            first_sentence(
                "Draw the last `seconds` of output (every channel, full\nscale 1.0). Returns the path."
            ),
            "Draw the last `seconds` of output (every channel, full scale 1.0)."
        );
        assert_eq!(
            first_sentence("Play a note, p2 in beats from now:\n`note([1])`"),
            "Play a note, p2 in beats from now: `note([1])`."
        );
        assert_eq!(first_sentence("Control rate."), "Control rate.");
    }

    #[test]
    fn operators_are_not_listed() {
        assert!(is_plain_name("note"));
        assert!(!is_plain_name("+"));
        assert!(!is_plain_name("index$get$"));
    }
}
