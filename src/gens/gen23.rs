//! GEN23: numbers read from a text file.

use super::{GenRequest, TableData, check_deferred_len, string_arg, table_shape};

/// The value of the longest prefix of `token` that is a number (C's `atof`:
/// "1.5e" is 1.5, "e3" or "-" is 0).
fn leading_number(token: &str) -> f64 {
    (1..=token.len())
        .rev()
        .find_map(|end| token[..end].parse::<f64>().ok())
        .unwrap_or(0.0)
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, 'e' | 'E' | '+' | '-' | '.')
}

/// The numbers in `text` the way Csound's GEN23 reads them: runs of digits,
/// signs, points and `e` are numbers (read like C's `atof`); `;`, `#` and
/// `<` start comments that run to the end of the line; anything else
/// separates. The character that ends a number is consumed with it, so only
/// `;` and `#` count as comments right after a number.
pub fn parse_numbers(text: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let skip_line = |chars: &mut std::iter::Peekable<std::str::CharIndices>| {
        for (_, d) in chars.by_ref() {
            if d == '\n' {
                break;
            }
        }
    };
    while let Some((start, c)) = chars.next() {
        if is_number_char(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !is_number_char(d) {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            out.push(leading_number(&text[start..end]));
            if let Some((_, ';' | '#')) = chars.next() {
                skip_line(&mut chars);
            }
        } else if matches!(c, ';' | '#' | '<') {
            skip_line(&mut chars);
        }
    }
    out
}

/// `p5` the file name (as given, relative to the working directory). With
/// size 0 the table is as long as the file has numbers; otherwise the first
/// `len` numbers are used and missing ones are 0 (Csound puts a NaN
/// right after the last number read). The guard point always
/// repeats the first value (Csound's rule for GEN23).
pub fn gen23(req: &GenRequest) -> Result<TableData, String> {
    let name = string_arg(req, 23, "a file name")?;
    // Regular files below the text limit only; the error never quotes them.
    let text =
        crate::files::read_text(std::path::Path::new(name)).map_err(|e| format!("GEN23: {e}"))?;
    let numbers = parse_numbers(&text);
    let len = match table_shape(req.size) {
        None => {
            if numbers.is_empty() {
                return Err(format!("GEN23: \"{name}\" holds no numbers"));
            }
            check_deferred_len(23, numbers.len())?
        }
        Some(shape) => shape?.0,
    };
    let mut data = vec![0.0; len + 1];
    for (p, v) in data.iter_mut().zip(numbers.iter()).take(len) {
        *p = *v;
    }
    data[len] = data[0];
    Ok(TableData::from_points(data))
}
