//! File names that say what a picture shows, safe for any file system.

use std::path::Path;

/// Longest stem [`sanitize_stem`] returns (in bytes; the result is ASCII).
pub const MAX_STEM_LEN: usize = 80;

/// Make `name` a safe file stem: ASCII letters, digits, `_`, `.` and `-` kept,
/// every other run of characters turned into one `-`, no leading or trailing
/// `-` or `.`, at most [`MAX_STEM_LEN`] bytes; `"plot"` if nothing is left.
///
/// So `"../table 1"` becomes `"table-1"`: a stem never leaves its folder.
pub fn sanitize_stem(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(MAX_STEM_LEN));
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' {
            if c == '-' {
                if !dash {
                    out.push('-');
                }
                dash = true;
            } else {
                out.push(c);
                dash = false;
            }
        } else if !dash {
            out.push('-');
            dash = true;
        }
    }
    let mut s: &str = out.trim_matches(|c| c == '-' || c == '.');
    if s.len() > MAX_STEM_LEN {
        s = s[..MAX_STEM_LEN].trim_end_matches(['-', '.']);
    }
    if s.is_empty() {
        "plot".to_string()
    } else {
        s.to_string()
    }
}

/// A stem naming the tables shown: `"table-1"` for one, `"tables-101-111-121"`
/// for several; after eight numbers the rest are counted:
/// `"tables-1-2-3-4-5-6-7-8-and-4-more"`. Empty input gives `"tables"`.
pub fn tables_stem(numbers: &[i64]) -> String {
    const SHOWN: usize = 8;
    match numbers {
        [] => "tables".to_string(),
        [n] => sanitize_stem(&format!("table-{n}")),
        _ => {
            let mut s = String::from("tables");
            for n in numbers.iter().take(SHOWN) {
                s.push_str(&format!("-{n}"));
            }
            if numbers.len() > SHOWN {
                s.push_str(&format!("-and-{}-more", numbers.len() - SHOWN));
            }
            sanitize_stem(&s)
        }
    }
}

/// A sanitized stem that names no existing `.png` or `.svg` in `dir`:
/// `stem` itself if free, else `stem-2`, `stem-3`, ...
///
/// The `draw_*` functions overwrite; use this first to keep older pictures.
pub fn unique_stem(dir: &Path, stem: &str) -> String {
    let base = sanitize_stem(stem);
    let taken =
        |s: &str| dir.join(format!("{s}.png")).exists() || dir.join(format!("{s}.svg")).exists();
    if !taken(&base) {
        return base;
    }
    (2u64..)
        .map(|k| format!("{base}-{k}"))
        .find(|s| !taken(s))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes() {
        assert_eq!(sanitize_stem("table 1"), "table-1");
        assert_eq!(sanitize_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(sanitize_stem("a//b  c--d"), "a-b-c-d");
        assert_eq!(sanitize_stem(""), "plot");
        assert_eq!(sanitize_stem("..."), "plot");
        assert_eq!(sanitize_stem("sinus é"), "sinus");
        assert!(sanitize_stem(&"x".repeat(500)).len() <= MAX_STEM_LEN);
    }

    #[test]
    fn table_stems() {
        assert_eq!(tables_stem(&[1]), "table-1");
        assert_eq!(tables_stem(&[101, 111, 121]), "tables-101-111-121");
        assert_eq!(tables_stem(&[-3]), "table-3");
        assert_eq!(
            tables_stem(&(1..=12).collect::<Vec<_>>()),
            "tables-1-2-3-4-5-6-7-8-and-4-more"
        );
        assert_eq!(tables_stem(&[]), "tables");
    }

    #[test]
    fn unique_in_dir() {
        let dir = std::env::temp_dir().join(format!("rhapsody-naming-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(unique_stem(&dir, "table 1"), "table-1");
        std::fs::write(dir.join("table-1.png"), b"x").unwrap();
        assert_eq!(unique_stem(&dir, "table 1"), "table-1-2");
        std::fs::write(dir.join("table-1-2.svg"), b"x").unwrap();
        assert_eq!(unique_stem(&dir, "table-1"), "table-1-3");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
