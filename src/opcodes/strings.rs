//! Opcodes: string values at init and performance time (`=` and `strcpy`,
//! `strcat`, `strcmp`, `strlen`, `strsub`, `strindex`, `strrindex`,
//! `strupper`, `strlower`, `strtod`, `strtol`, `sprintf`, `strget`,
//! `strset`, and their `k` forms), in csound 6.18's semantics.
//!
//! String variables live in the note's memory with a capacity fixed when
//! the instrument is compiled (`engine::strings`); an opcode builds a new
//! value in its own scratch text, made when it is built, then copies it in,
//! so an output may be one of its inputs (`S1 strcat S1, "x"`) and nothing
//! is allocated at init or performance time. The `k` forms compute at init
//! and again every block, as csound's do.

use std::sync::Arc;

use super::printing::{LiveArgs, unescape, write_printf};
use super::{Args, Opcode, OpcodeSpec, Pass, boxed, spec};
use crate::engine::channels::Channels;
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::{Input, Output};
use crate::engine::strings::{StrBuf, StrRef, id_of_pfield};

/// The string input `i` (the type check made it a string).
fn text_in(a: &Args, i: usize) -> StrRef {
    StrRef::from_input(a.input(i))
}

fn text_out(a: &Args) -> StrRef {
    StrRef::from_output(a.out(0))
}

/// An opcode that runs its body at init and, for the forms listed with
/// `Pass::Both` (the `k` forms), every block too.
struct Both<T> {
    body: T,
}

trait Body: Send {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed>;
}

impl<T: Body> Opcode for Both<T> {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.body.run(ctx)
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.body.run(ctx)
    }
}

fn build<T: Body + 'static>(_: &Args, body: T) -> Result<Box<dyn Opcode>, String> {
    boxed(Both { body })
}

// ------------------------------------------------------------------ copies

/// `Sdst = Ssrc`, `strcpy`, `strcpyk`.
struct Copy {
    from: StrRef,
    to: StrRef,
}

impl Body for Copy {
    fn run(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.to.copy_from(self.from);
        Ok(())
    }
}

fn build_copy(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(
        a,
        Copy {
            from: text_in(a, 0),
            to: text_out(a),
        },
    )
}

/// `strget`: the string a p-field carries (a score or event string), or
/// the one `strset` named by the number; empty when there is none.
struct Get {
    value: Input,
    channels: Arc<Channels>,
    to: StrRef,
}

impl Body for Get {
    fn run(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let v = self.value.get();
        let pool = &self.channels.strings;
        let text = match id_of_pfield(v) {
            Some(id) => pool.get(id),
            None if v >= 0.0 && v.fract() == 0.0 => pool.numbered(v as usize),
            None => None,
        };
        self.to.set(text.unwrap_or("").as_bytes());
        Ok(())
    }
}

fn build_get(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(
        a,
        Get {
            value: a.input(0),
            channels: a.channels.clone(),
            to: text_out(a),
        },
    )
}

/// `strset inum, Sstr`: name a string by a number for `strget`. A string
/// known when compiling is taken into the session's pool when the opcode
/// is built; one computed at run time can only be taken in where init
/// code may allocate (offline rendering, instrument 0).
struct Set {
    number: Input,
    known: Option<u32>,
    text: StrRef,
    channels: Arc<Channels>,
}

impl Opcode for Set {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let n = self.number.get();
        if !(n >= 0.0 && n < crate::engine::strings::STRSET_CAPACITY as f64) {
            return Err(ctx.fail(format_args!(
                "strset: index {n} is outside 0..{}",
                crate::engine::strings::STRSET_CAPACITY
            )));
        }
        let pool = &self.channels.strings;
        let id = match self.known {
            Some(id) => id,
            None if ctx.may_allocate => match pool.intern(self.text.as_str()) {
                Some(id) => id,
                None => return Err(ctx.fail(format_args!("strset: the string pool is full"))),
            },
            None => {
                return Err(ctx.fail(format_args!(
                    "strset: a string computed at run time can only be set in instrument 0 or when rendering offline"
                )));
            }
        };
        pool.set_numbered(n as usize, id);
        Ok(())
    }
}

fn build_set(a: &Args) -> Result<Box<dyn Opcode>, String> {
    let known = match a.text(1) {
        Some(t) => Some(
            a.channels
                .strings
                .intern(&t)
                .ok_or("strset: the string pool is full")?,
        ),
        None => None,
    };
    boxed(Set {
        number: a.input(0),
        known,
        text: text_in(a, 1),
        channels: a.channels.clone(),
    })
}

// ------------------------------------------------------------- new strings

/// `strcat`/`strcatk`: the two strings one after the other.
struct Cat {
    a: StrRef,
    b: StrRef,
    to: StrRef,
    buf: StrBuf,
}

impl Body for Cat {
    fn run(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.buf.clear();
        self.buf.push_bytes(self.a.bytes());
        self.buf.push_bytes(self.b.bytes());
        self.to.set(self.buf.as_bytes());
        Ok(())
    }
}

fn build_cat(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(
        a,
        Cat {
            a: text_in(a, 0),
            b: text_in(a, 1),
            to: text_out(a),
            buf: StrBuf::new(),
        },
    )
}

/// `strupper`/`strlower` (and `k` forms): ASCII letters changed, other
/// bytes kept.
struct Case {
    from: StrRef,
    to: StrRef,
    upper: bool,
    buf: StrBuf,
}

impl Body for Case {
    fn run(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.buf.clear();
        for &b in self.from.bytes() {
            self.buf.push(if self.upper {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            });
        }
        self.to.set(self.buf.as_bytes());
        Ok(())
    }
}

fn build_case(a: &Args, upper: bool) -> Result<Box<dyn Opcode>, String> {
    build(
        a,
        Case {
            from: text_in(a, 0),
            to: text_out(a),
            upper,
            buf: StrBuf::new(),
        },
    )
}

/// `strsub Ssrc, istart, iend` (and `strsubk`): bytes `start..end`; a
/// negative position counts from the end (-1 is the end), and a start after
/// the end gives the bytes in reverse order.
struct Sub {
    from: StrRef,
    start: Input,
    end: Input,
    to: StrRef,
    buf: StrBuf,
}

/// Where `strsub`'s `start..end` (given as csound takes them) fall in a
/// string of `len` bytes: (low, high, reversed).
pub fn sub_range(len: usize, start: f64, end: f64) -> (usize, usize, bool) {
    let place = |p: f64| {
        let p = p as i64; // truncated, as csound's int conversion
        let p = if p < 0 { len as i64 + 1 + p } else { p };
        p.clamp(0, len as i64) as usize
    };
    let (s, e) = (place(start), place(end));
    if s <= e { (s, e, false) } else { (e, s, true) }
}

impl Body for Sub {
    fn run(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        let bytes = self.from.bytes();
        let (lo, hi, reversed) = sub_range(bytes.len(), self.start.get(), self.end.get());
        self.buf.clear();
        if reversed {
            for &b in bytes[lo..hi].iter().rev() {
                self.buf.push(b);
            }
        } else {
            self.buf.push_bytes(&bytes[lo..hi]);
        }
        self.to.set(self.buf.as_bytes());
        Ok(())
    }
}

fn build_sub(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(
        a,
        Sub {
            from: text_in(a, 0),
            start: a.input(1),
            end: a.input(2),
            to: text_out(a),
            buf: StrBuf::new(),
        },
    )
}

/// `sprintf Sfmt, ...` (and `sprintfk`): C `printf` formatting into a string.
struct Sprintf {
    format: Option<String>,
    format_in: StrRef,
    args: LiveArgs,
    to: StrRef,
    buf: StrBuf,
}

impl Body for Sprintf {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.args.read();
        self.buf.clear();
        let format = match &self.format {
            Some(f) => f.as_str(),
            None => self.format_in.as_str(),
        };
        if let Err(missing) = super::printing::check_arguments(format, &self.args) {
            return Err(ctx.fail(format_args!(
                "sprintf: insufficient arguments for format ({missing} given)"
            )));
        }
        let _ = write_printf(&mut self.buf, format, &self.args);
        self.to.set(self.buf.as_bytes());
        Ok(())
    }
}

fn build_sprintf(a: &Args) -> Result<Box<dyn Opcode>, String> {
    build(
        a,
        Sprintf {
            format: a.text(0).map(|f| unescape(&f)),
            format_in: text_in(a, 0),
            args: LiveArgs::new(a, 1),
            to: text_out(a),
            buf: StrBuf::new(),
        },
    )
}

// ------------------------------------------------------------------ numbers

/// What a string-to-number opcode computes.
#[derive(Clone, Copy)]
enum Measure {
    /// `strcmp`: -1, 0 or 1 as the first string sorts before, equal to or
    /// after the second (bytewise).
    Compare,
    /// `strlen`: bytes.
    Length,
    /// `strindex`: where the second string first occurs in the first (-1:
    /// nowhere).
    Index,
    /// `strrindex`: where it last occurs.
    LastIndex,
    /// `strtod`: the number written (the whole string must be one).
    Float,
    /// `strtol`: the integer written, C's base rules (`0x` hex, leading `0`
    /// octal).
    Integer,
}

struct Number {
    what: Measure,
    a: StrRef,
    b: StrRef,
    out: Output,
    name: &'static str,
}

/// Where `needle` occurs in `hay` (first or last), as csound's
/// `strindex`/`strrindex`; an empty needle is found at 0 (first) or at the
/// end (last).
fn find(hay: &[u8], needle: &[u8], last: bool) -> f64 {
    if needle.len() > hay.len() {
        return -1.0;
    }
    let mut at = (0..=hay.len() - needle.len()).filter(|&i| &hay[i..i + needle.len()] == needle);
    let found = if last { at.next_back() } else { at.next() };
    found.map_or(-1.0, |i| i as f64)
}

/// C's `strtol(s, &end, 0)` over the whole string: None if anything but
/// leading white space is left over, or nothing was read.
pub fn parse_integer(s: &str) -> Option<f64> {
    let t = s.trim_start();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, h)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() {
        return None;
    }
    let v = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -v } else { v } as f64)
}

/// C's `strtod` over the whole string (leading white space allowed).
pub fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim_start();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok()
}

impl Body for Number {
    fn run(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let (a, b) = (self.a.bytes(), self.b.bytes());
        let v = match self.what {
            Measure::Compare => match a.cmp(b) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            },
            Measure::Length => a.len() as f64,
            Measure::Index => find(a, b, false),
            Measure::LastIndex => find(a, b, true),
            Measure::Float | Measure::Integer => {
                let text = self.a.as_str();
                let parsed = if matches!(self.what, Measure::Float) {
                    parse_float(text)
                } else {
                    parse_integer(text)
                };
                match parsed {
                    Some(v) => v,
                    None => {
                        let name = self.name.trim_end_matches('k');
                        return Err(ctx.fail(format_args!("{name}: invalid format")));
                    }
                }
            }
        };
        self.out.set(v);
        Ok(())
    }
}

fn build_number(a: &Args, what: Measure) -> Result<Box<dyn Opcode>, String> {
    let b = if a.ins.len() > 1 {
        text_in(a, 1)
    } else {
        text_in(a, 0)
    };
    build(
        a,
        Number {
            what,
            a: text_in(a, 0),
            b,
            out: a.out(0),
            name: a.name,
        },
    )
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "=",
        "S",
        "S",
        Pass::Init,
        build_copy,
        "copy a string at init time",
    ),
    spec(
        "strcpy",
        "S",
        "S",
        Pass::Init,
        build_copy,
        "copy a string at init time",
    ),
    spec(
        "strcpyk",
        "S",
        "S",
        Pass::Both,
        build_copy,
        "copy a string at init time and every block",
    ),
    spec(
        "strget",
        "S",
        "i",
        Pass::Init,
        build_get,
        "the string a p-field carries, or the one strset named by the number",
    ),
    spec(
        "strset",
        "",
        "iS",
        Pass::Init,
        build_set,
        "name a string by a number (for strget)",
    ),
    spec(
        "strcat",
        "S",
        "SS",
        Pass::Init,
        build_cat,
        "two strings joined, at init time",
    ),
    spec(
        "strcatk",
        "S",
        "SS",
        Pass::Both,
        build_cat,
        "two strings joined, at init time and every block",
    ),
    spec(
        "strupper",
        "S",
        "S",
        Pass::Init,
        |a| build_case(a, true),
        "the string in capitals (ASCII), at init time",
    ),
    spec(
        "strupperk",
        "S",
        "S",
        Pass::Both,
        |a| build_case(a, true),
        "the string in capitals (ASCII), every block",
    ),
    spec(
        "strlower",
        "S",
        "S",
        Pass::Init,
        |a| build_case(a, false),
        "the string in small letters (ASCII), at init time",
    ),
    spec(
        "strlowerk",
        "S",
        "S",
        Pass::Both,
        |a| build_case(a, false),
        "the string in small letters (ASCII), every block",
    ),
    spec(
        "strsub",
        "S",
        "Soj",
        Pass::Init,
        build_sub,
        "the part of a string from istart to iend (negative: from the end; reversed when istart > iend)",
    ),
    spec(
        "strsubk",
        "S",
        "Skk",
        Pass::Both,
        build_sub,
        "the part of a string from kstart to kend, every block",
    ),
    spec(
        "sprintf",
        "S",
        "SN",
        Pass::Init,
        build_sprintf,
        "C printf-style formatting of numbers and strings into a string, at init time",
    ),
    spec(
        "sprintfk",
        "S",
        "SN",
        Pass::Both,
        build_sprintf,
        "C printf-style formatting into a string, at init time and every block",
    ),
    spec(
        "strcmp",
        "i",
        "SS",
        Pass::Init,
        |a| build_number(a, Measure::Compare),
        "-1, 0 or 1 as the first string sorts before, equal to or after the second",
    ),
    spec(
        "strcmpk",
        "k",
        "SS",
        Pass::Both,
        |a| build_number(a, Measure::Compare),
        "strcmp every block",
    ),
    spec(
        "strlen",
        "i",
        "S",
        Pass::Init,
        |a| build_number(a, Measure::Length),
        "the length of a string in bytes",
    ),
    spec(
        "strlenk",
        "k",
        "S",
        Pass::Both,
        |a| build_number(a, Measure::Length),
        "strlen every block",
    ),
    spec(
        "strindex",
        "i",
        "SS",
        Pass::Init,
        |a| build_number(a, Measure::Index),
        "where the second string first occurs in the first (-1: nowhere)",
    ),
    spec(
        "strindexk",
        "k",
        "SS",
        Pass::Both,
        |a| build_number(a, Measure::Index),
        "strindex every block",
    ),
    spec(
        "strrindex",
        "i",
        "SS",
        Pass::Init,
        |a| build_number(a, Measure::LastIndex),
        "where the second string last occurs in the first (-1: nowhere)",
    ),
    spec(
        "strrindexk",
        "k",
        "SS",
        Pass::Both,
        |a| build_number(a, Measure::LastIndex),
        "strrindex every block",
    ),
    spec(
        "strtod",
        "i",
        "S",
        Pass::Init,
        |a| build_number(a, Measure::Float),
        "the number a string writes (an init error if it is not one)",
    ),
    spec(
        "strtodk",
        "k",
        "S",
        Pass::Both,
        |a| build_number(a, Measure::Float),
        "strtod every block",
    ),
    spec(
        "strtol",
        "i",
        "S",
        Pass::Init,
        |a| build_number(a, Measure::Integer),
        "the integer a string writes (0x hex, leading 0 octal)",
    ),
    spec(
        "strtolk",
        "k",
        "S",
        Pass::Both,
        |a| build_number(a, Measure::Integer),
        "strtol every block",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strsub_ranges_follow_csound() {
        // "Hello World" (11 bytes), as csound 6.18 cut it.
        assert_eq!(sub_range(11, 2.0, 5.0), (2, 5, false));
        assert_eq!(sub_range(11, 3.0, -1.0), (3, 11, false));
        assert_eq!(sub_range(11, -1.0, 2.0), (2, 11, true));
        assert_eq!(sub_range(11, 6.0, -1.0), (6, 11, false));
    }

    #[test]
    fn numbers_are_read_as_c_reads_them() {
        assert_eq!(parse_integer("0x1F"), Some(31.0));
        assert_eq!(parse_integer("077"), Some(63.0));
        assert_eq!(parse_integer(" -12"), Some(-12.0));
        assert_eq!(parse_integer("12abc"), None);
        assert_eq!(parse_float("1e3"), Some(1000.0));
        assert_eq!(parse_float("3.25abc"), None);
        assert_eq!(find(b"Hello World", b"o", false), 4.0);
        assert_eq!(find(b"Hello World", b"o", true), 7.0);
        assert_eq!(find(b"Hello World", b"zz", false), -1.0);
    }
}
