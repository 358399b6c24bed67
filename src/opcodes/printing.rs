//! Opcodes: printing values and formatted text (`print`, `printk`, `prints`,
//! `printks`, `printf_i`, `printf`), in Csound 6.18's exact formats.
//!
//! Each call queues one message (`MessageKind::Print`). Front ends print a
//! message as one line, so the text a message carries is what Csound prints
//! minus one final newline. Formatting writes straight into the message
//! buffer through [`Printf`]: nothing is allocated on the audio path.

use std::fmt::{self, Write};
use std::sync::Arc;

use super::{Args, Opcode, OpcodeSpec, Pass, Rate, boxed, spec};
use crate::engine::context::{Ctx, Failed};
use crate::engine::signal::Input;
use crate::engine::strings::StrRef;

/// A C `printf` format applied to numbers, as Csound's `prints`/`printks`
/// apply it: `%d %i %u %x %X %o %c` take the value rounded to the nearest
/// integer (ties to even, kept to 32 bits), `%f %e %g` (and capitals) the
/// value itself, `%s` a string argument (a number shows `??`); a missing
/// argument repeats the last one.
pub struct Printf<'a> {
    pub format: &'a str,
    pub args: &'a [f64],
}

impl fmt::Display for Printf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_printf(f, self.format, self.args)
    }
}

/// A small stack buffer for one converted number (no allocation).
struct Scratch {
    bytes: [u8; 400],
    len: usize,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            bytes: [0; 400],
            len: 0,
        }
    }
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
    fn push(&mut self, b: u8) {
        if self.len < self.bytes.len() {
            self.bytes[self.len] = b;
            self.len += 1;
        }
    }
}

impl Write for Scratch {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            self.push(b);
        }
        Ok(())
    }
}

/// The arguments a format reads: numbers, some of which may be strings.
pub trait FormatArgs {
    fn count(&self) -> usize;
    fn number(&self, i: usize) -> f64;
    /// Argument `i` as a string, if it is one.
    fn text(&self, _i: usize) -> Option<&str> {
        None
    }
}

impl FormatArgs for [f64] {
    fn count(&self) -> usize {
        self.len()
    }
    fn number(&self, i: usize) -> f64 {
        self[i]
    }
}

/// One argument of a formatting opcode.
#[derive(Clone, Copy)]
pub enum FormatArg {
    Number(Input),
    Text(StrRef),
}

/// A formatting opcode's arguments: numbers and strings, read when the
/// text is made (the numbers once into `values`, strings in place).
pub struct LiveArgs {
    pub args: Vec<FormatArg>,
    pub values: Vec<f64>,
}

impl LiveArgs {
    /// The arguments from input `from` on, strings where the type check
    /// found them.
    pub fn new(a: &Args, from: usize) -> LiveArgs {
        let args: Vec<FormatArg> = a
            .ins
            .iter()
            .skip(from)
            .map(|arg| {
                if arg.rate == Rate::Str {
                    FormatArg::Text(StrRef::from_input(arg.input))
                } else {
                    FormatArg::Number(arg.input)
                }
            })
            .collect();
        LiveArgs {
            values: vec![0.0; args.len()],
            args,
        }
    }

    /// Read the numbers (once per formatting).
    pub fn read(&mut self) {
        for (v, arg) in self.values.iter_mut().zip(&self.args) {
            if let FormatArg::Number(i) = arg {
                *v = i.get();
            }
        }
    }
}

impl FormatArgs for LiveArgs {
    fn count(&self) -> usize {
        self.args.len()
    }
    fn number(&self, i: usize) -> f64 {
        self.values.get(i).copied().unwrap_or(0.0)
    }
    fn text(&self, i: usize) -> Option<&str> {
        match self.args.get(i)? {
            FormatArg::Text(s) => Some(s.as_str()),
            FormatArg::Number(_) => None,
        }
    }
}

/// How many arguments `format` reads (`%%` reads none); `Err(given)` when
/// `args` has fewer, as csound's `sprintf` and `printf` refuse.
pub fn check_arguments<A: FormatArgs + ?Sized>(format: &str, args: &A) -> Result<(), usize> {
    let bytes = format.as_bytes();
    let (mut i, mut wanted) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if bytes.get(i + 1) == Some(&b'%') {
                i += 2;
                continue;
            }
            wanted += 1;
        }
        i += 1;
    }
    if wanted > args.count() {
        Err(args.count())
    } else {
        Ok(())
    }
}

#[derive(Default, Clone, Copy)]
struct Flags {
    left: bool,
    plus: bool,
    zero: bool,
    alt: bool,
}

/// C's `lrint` kept to an `int`, as Csound converts values for `%d`.
fn c_lrint32(x: f64) -> i32 {
    let r = x.round_ties_even();
    if r.abs() < 9.2e18 { r as i64 as i32 } else { 0 }
}

/// Write `x` as C's `%e` with `prec` digits after the point.
fn write_exp(out: &mut Scratch, x: f64, prec: usize, upper: bool) {
    let mut digits = Scratch::new();
    let _ = write!(digits, "{:.*e}", prec, x.abs());
    let text = digits.as_str();
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let _ = out.write_str(mantissa);
    out.push(if upper { b'E' } else { b'e' });
    out.push(if exp < 0 { b'-' } else { b'+' });
    let _ = write!(out, "{:02}", exp.unsigned_abs());
}

/// The decimal exponent `x` shows with `prec` digits after the point in `%e`.
fn exp_after_rounding(x: f64, prec: usize) -> i32 {
    let mut digits = Scratch::new();
    let _ = write!(digits, "{:.*e}", prec, x.abs());
    digits
        .as_str()
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0)
}

/// Drop trailing zeros of a fraction (and its point), as `%g` does.
fn trim_zeros(s: &mut Scratch, from: usize) {
    let text = &s.bytes[from..s.len];
    if !text.contains(&b'.') {
        return;
    }
    let mut end = s.len;
    while end > from && s.bytes[end - 1] == b'0' {
        end -= 1;
    }
    if end > from && s.bytes[end - 1] == b'.' {
        end -= 1;
    }
    s.len = end;
}

/// Convert one number for conversion `conv`, without sign or padding.
fn convert(out: &mut Scratch, conv: u8, prec: Option<usize>, flags: Flags, x: f64) {
    let finite = x.is_finite();
    match conv {
        b'f' | b'F' | b'e' | b'E' | b'g' | b'G' if !finite => {
            let upper = conv.is_ascii_uppercase();
            let word = match (x.is_nan(), upper) {
                (true, false) => "nan",
                (true, true) => "NAN",
                (false, false) => "inf",
                (false, true) => "INF",
            };
            let _ = out.write_str(word);
        }
        b'f' | b'F' => {
            let _ = write!(out, "{:.*}", prec.unwrap_or(6), x.abs());
            if flags.alt && prec == Some(0) {
                out.push(b'.');
            }
        }
        b'e' | b'E' => write_exp(out, x, prec.unwrap_or(6), conv == b'E'),
        b'g' | b'G' => {
            let p = match prec {
                Some(0) => 1,
                Some(p) => p,
                None => 6,
            };
            let e = if x == 0.0 {
                0
            } else {
                exp_after_rounding(x, p - 1)
            };
            let start = out.len;
            if e < -4 || e >= p as i32 {
                write_exp(out, x, p - 1, conv == b'G');
                if !flags.alt {
                    // Trim the mantissa only: cut at the exponent and rejoin.
                    let text = out.as_str();
                    let at = text[start..].find(['e', 'E']).map(|i| i + start);
                    if let Some(at) = at {
                        let mut tail = [0u8; 8];
                        let n = (out.len - at).min(8);
                        tail[..n].copy_from_slice(&out.bytes[at..at + n]);
                        out.len = at;
                        trim_zeros(out, start);
                        for &b in &tail[..n] {
                            out.push(b);
                        }
                    }
                }
            } else {
                let decimals = (p as i32 - 1 - e).max(0) as usize;
                let _ = write!(out, "{:.*}", decimals, x.abs());
                if !flags.alt {
                    trim_zeros(out, start);
                }
            }
        }
        b'd' | b'i' => {
            let n = c_lrint32(x);
            let _ = write!(out, "{}", n.unsigned_abs());
            pad_precision(out, prec);
        }
        b'u' => {
            let _ = write!(out, "{}", c_lrint32(x) as u32);
            pad_precision(out, prec);
        }
        b'x' => {
            let _ = write!(out, "{:x}", c_lrint32(x) as u32);
            pad_precision(out, prec);
        }
        b'X' => {
            let _ = write!(out, "{:X}", c_lrint32(x) as u32);
            pad_precision(out, prec);
        }
        b'o' => {
            let _ = write!(out, "{:o}", c_lrint32(x) as u32);
            pad_precision(out, prec);
        }
        b'c' => out.push(c_lrint32(x) as u8),
        _ => {}
    }
}

/// `%.5d`: at least `prec` digits.
fn pad_precision(out: &mut Scratch, prec: Option<usize>) {
    if let Some(p) = prec
        && out.len < p
    {
        let n = out.len;
        let pad = p - n;
        if p <= out.bytes.len() {
            out.bytes.copy_within(0..n, pad);
            out.bytes[..pad].fill(b'0');
            out.len = p;
        }
    }
}

fn is_signed(conv: u8) -> bool {
    matches!(conv, b'd' | b'i' | b'f' | b'F' | b'e' | b'E' | b'g' | b'G')
}

/// Format `args` by `format` into `out`, C-`printf` style.
pub fn write_printf<W: Write + ?Sized, A: FormatArgs + ?Sized>(
    out: &mut W,
    format: &str,
    args: &A,
) -> fmt::Result {
    let bytes = format.as_bytes();
    let mut next_arg = 0;
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.write_str(&format[literal_start..i])?;
        let spec_start = i;
        i += 1;
        if i < bytes.len() && bytes[i] == b'%' {
            out.write_char('%')?;
            i += 1;
            literal_start = i;
            continue;
        }
        if i < bytes.len() && bytes[i] == b' ' {
            // Csound does not take a space flag: it prints "%%" and goes on
            // with the space as text (no argument used).
            out.write_str("%%")?;
            literal_start = i;
            continue;
        }
        let mut flags = Flags::default();
        while i < bytes.len() {
            match bytes[i] {
                b'-' => flags.left = true,
                b'+' => flags.plus = true,
                b'0' => flags.zero = true,
                b'#' => flags.alt = true,
                _ => break,
            }
            i += 1;
        }
        let mut width = 0usize;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            width = width * 10 + (bytes[i] - b'0') as usize;
            i += 1;
        }
        let mut prec = None;
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let mut p = 0usize;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                p = p * 10 + (bytes[i] - b'0') as usize;
                i += 1;
            }
            prec = Some(p.min(300));
        }
        let width = width.min(300);
        let Some(&conv) = bytes.get(i) else {
            // A lone '%' at the end is printed as written.
            out.write_str(&format[spec_start..])?;
            literal_start = bytes.len();
            break;
        };
        i += 1;
        literal_start = i;
        // A missing argument repeats the last one given (as Csound does).
        let at = next_arg.min(args.count().saturating_sub(1));
        next_arg += 1;
        if conv == b's' {
            // A number where a string is wanted shows "??", as in csound.
            let text = args.text(at).unwrap_or("??");
            let text = match prec {
                Some(p) => text.get(..p.min(text.len())).unwrap_or(text),
                None => text,
            };
            let pad = width.saturating_sub(text.chars().count());
            if !flags.left {
                for _ in 0..pad {
                    out.write_char(' ')?;
                }
            }
            out.write_str(text)?;
            if flags.left {
                for _ in 0..pad {
                    out.write_char(' ')?;
                }
            }
            continue;
        }
        if !matches!(
            conv,
            b'd' | b'i'
                | b'u'
                | b'x'
                | b'X'
                | b'o'
                | b'c'
                | b'f'
                | b'F'
                | b'e'
                | b'E'
                | b'g'
                | b'G'
        ) {
            // Csound prints nothing for conversions it does not know (`%l`).
            continue;
        }
        let x = if args.count() == 0 {
            0.0
        } else {
            args.number(at)
        };
        let mut body = Scratch::new();
        convert(&mut body, conv, prec, flags, x);
        // C shows the sign of -0.0 and of negative NaN for the float forms.
        let negative = match conv {
            b'd' | b'i' => c_lrint32(x) < 0,
            _ => is_signed(conv) && x.is_sign_negative(),
        };
        let sign = if negative {
            "-"
        } else if flags.plus && is_signed(conv) {
            "+"
        } else {
            ""
        };
        let len = sign.len() + body.len;
        let pad = width.saturating_sub(len);
        let zero_pad = flags.zero
            && !flags.left
            && x.is_finite()
            && !(prec.is_some() && matches!(conv, b'd' | b'i' | b'u' | b'x' | b'X' | b'o'));
        if !flags.left && !zero_pad {
            for _ in 0..pad {
                out.write_char(' ')?;
            }
        }
        out.write_str(sign)?;
        if zero_pad {
            for _ in 0..pad {
                out.write_char('0')?;
            }
        }
        out.write_str(body.as_str())?;
        if flags.left {
            for _ in 0..pad {
                out.write_char(' ')?;
            }
        }
    }
    out.write_str(&format[literal_start.min(bytes.len())..])
}

/// Resolve backslash escapes in a format string (`\n`, `\t`, `\\`, `\"`,
/// `\a`, `\b`, `\r`, octal `\101`), as Csound's printing opcodes do.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some(d @ '0'..='7') => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(n) => {
                            v = v * 8 + n;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The text of one message: what Csound prints, less one final newline
/// (front ends print each message as a line).
fn as_line(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// `print iarg, ...`: `instr 1:  iamp = 0.500  ifreq = 440.000`.
struct Print {
    labels: Vec<Arc<str>>,
    inputs: Vec<Input>,
}

/// The labels and values of `print` as one `Display`.
struct PrintLine<'a> {
    instr: i64,
    labels: &'a [Arc<str>],
    inputs: &'a [Input],
}

impl fmt::Display for PrintLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "instr {}:", self.instr)?;
        for (label, input) in self.labels.iter().zip(self.inputs) {
            write!(f, "  {label} = {:.3}", input.get())?;
        }
        Ok(())
    }
}

impl Opcode for Print {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let line = PrintLine {
            instr: ctx.note.instr,
            labels: &self.labels,
            inputs: &self.inputs,
        };
        ctx.print(format_args!("{line}"));
        Ok(())
    }
}

fn build_print(a: &Args) -> Result<Box<dyn Opcode>, String> {
    // Csound names each value as written; a constant shows its number.
    let labels = a
        .ins
        .iter()
        .map(|arg| match (&arg.label, arg.constant) {
            (Some(l), _) => l.clone(),
            (None, Some(v)) => Arc::from(format!("{v}")),
            (None, None) => Arc::from("?"),
        })
        .collect();
    boxed(Print {
        labels,
        inputs: a.inputs_from(0),
    })
}

/// When a periodic printer (`printk`, `printks`) prints: at its first
/// block, then whenever `itime` seconds' worth of blocks have passed.
struct Period {
    blocks: f64,
    since: u64,
    started: bool,
}

impl Period {
    fn new() -> Period {
        Period {
            blocks: 0.0,
            since: 0,
            started: false,
        }
    }

    fn set(&mut self, itime: f64, kr: f64) {
        self.blocks = itime * kr;
        self.since = 0;
        self.started = false;
    }

    fn due(&mut self) -> bool {
        if !self.started {
            self.started = true;
            self.since = 0;
            return true;
        }
        self.since += 1;
        if self.since as f64 >= self.blocks {
            self.since = 0;
            return true;
        }
        false
    }
}

/// `printk itime, kval [, ispace]`: ` i   1 time     0.50000:     0.12346`.
struct Printk {
    itime: Input,
    value: Input,
    space: Input,
    spaces: usize,
    period: Period,
}

impl Opcode for Printk {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.period.set(self.itime.get(), ctx.rates.kr);
        self.spaces = self.space.get().clamp(0.0, 130.0) as usize;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        if self.period.due() {
            let (instr, spaces) = (ctx.note.instr, self.spaces);
            // Csound shows output time: blocks done over the control rate.
            let time = ctx.kcount as f64 / ctx.rates.kr;
            let v = self.value.get();
            ctx.print(format_args!(
                " i{instr:4} time {time:11.5}: {:spaces$}{v:11.5}",
                ""
            ));
        }
        Ok(())
    }
}

fn build_printk(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Printk {
        itime: a.input(0),
        value: a.input(1),
        space: a.input(2),
        spaces: 0,
        period: Period::new(),
    })
}

/// `printk2 kvar [, inumspaces] [, inamed]`: ` i1     0.50000` (or
/// ` i1 kvar =     0.50000` when named) in every block where `kvar` differs
/// from the last value printed; the first block always prints.
struct Printk2 {
    value: Input,
    space: Input,
    named: Input,
    name: Arc<str>,
    spaces: usize,
    show_name: bool,
    last: Option<f64>,
}

impl Opcode for Printk2 {
    fn init(&mut self, _: &mut Ctx) -> Result<(), Failed> {
        self.spaces = self.space.get().clamp(0.0, 130.0) as usize;
        self.show_name = self.named.get() != 0.0;
        self.last = None;
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let v = self.value.get();
        if self.last == Some(v) {
            return Ok(());
        }
        self.last = Some(v);
        let (instr, spaces) = (ctx.note.instr, self.spaces);
        if self.show_name {
            ctx.print(format_args!(
                " i{instr} {:spaces$}{} = {v:11.5}",
                "", self.name
            ));
        } else {
            ctx.print(format_args!(" i{instr} {:spaces$}{v:11.5}", ""));
        }
        Ok(())
    }
}

fn build_printk2(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Printk2 {
        value: a.input(0),
        space: a.input(1),
        named: a.input(2),
        name: a
            .ins
            .first()
            .and_then(|arg| arg.label.clone())
            .unwrap_or_else(|| "?".into()),
        spaces: 0,
        show_name: false,
        last: None,
    })
}

/// `puts Sstr, ktrig [, inonl]`: prints the string at note start when
/// `ktrig` is positive, then in every block where `ktrig` is positive and
/// differs from the value it last printed with. (`inonl` cannot leave the
/// line open in rhapsody: each message is printed as one line.)
struct Puts {
    text: StrRef,
    trigger: Input,
    last: f64,
}

impl Puts {
    fn check(&mut self, ctx: &mut Ctx) {
        let t = self.trigger.get();
        if t > 0.0 && t != self.last {
            self.last = t;
            ctx.print(format_args!("{}", self.text.as_str()));
        }
    }
}

impl Opcode for Puts {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.last = 0.0;
        self.check(ctx);
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        self.check(ctx);
        Ok(())
    }
}

fn build_puts(a: &Args) -> Result<Box<dyn Opcode>, String> {
    boxed(Puts {
        text: StrRef::from_input(a.input(0)),
        trigger: a.input(1),
        last: 0.0,
    })
}

/// When a formatted print fires.
enum When {
    /// `prints`: once, at note start.
    Init,
    /// `printks`: at the first block, then every itime seconds.
    Every(Input, Period),
    /// `printf_i`: at note start, when itrig > 0.
    InitIf(Input),
    /// `printf`: in a block where ktrig > 0 and differs from the last
    /// block's value (0 before the first).
    Changed(Input, f64),
    /// `printks2`: at the first block, then whenever the value changes.
    ValueChanged(Input, Option<f64>),
    /// `printsk`: every block.
    EveryBlock,
}

/// `prints`, `printks`, `printf_i` and `printf`: a C format and values.
struct Prints {
    format: String,
    args: LiveArgs,
    when: When,
}

impl Prints {
    fn emit(&mut self, ctx: &mut Ctx) {
        self.args.read();
        let text = Formatted {
            format: as_line(&self.format),
            args: &self.args,
        };
        ctx.print(format_args!("{text}"));
    }
}

/// A format with live arguments, as one `Display`.
struct Formatted<'a> {
    format: &'a str,
    args: &'a LiveArgs,
}

impl fmt::Display for Formatted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_printf(f, self.format, self.args)
    }
}

impl Opcode for Prints {
    fn init(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        match &mut self.when {
            When::Init => self.emit(ctx),
            When::Every(itime, period) => period.set(itime.get(), ctx.rates.kr),
            When::InitIf(trig) => {
                if trig.get() > 0.0 {
                    self.emit(ctx)
                }
            }
            When::Changed(_, last) => *last = 0.0,
            When::ValueChanged(_, last) => *last = None,
            When::EveryBlock => {}
        }
        Ok(())
    }

    fn perform(&mut self, ctx: &mut Ctx) -> Result<(), Failed> {
        let fire = match &mut self.when {
            When::Every(_, period) => period.due(),
            When::Changed(trig, last) => {
                let t = trig.get();
                let fire = t > 0.0 && t != *last;
                *last = t;
                fire
            }
            When::ValueChanged(value, last) => {
                let v = value.get();
                let fire = *last != Some(v);
                *last = Some(v);
                fire
            }
            When::EveryBlock => true,
            When::Init | When::InitIf(_) => false,
        };
        if fire {
            self.emit(ctx);
        }
        Ok(())
    }
}

/// Which formatted printer to build.
#[derive(Clone, Copy)]
enum Kind {
    Prints,
    Printks,
    PrintfI,
    Printf,
    Printks2,
    Printsk,
    Println,
}

fn build_prints(a: &Args, kind: Kind) -> Result<Box<dyn Opcode>, String> {
    let format = a
        .text(0)
        .ok_or_else(|| "the format must be a string".to_string())?;
    // printks2's one value is both what triggers and what is printed.
    let first = if matches!(
        kind,
        Kind::Prints | Kind::Printsk | Kind::Println | Kind::Printks2
    ) {
        1
    } else {
        2
    };
    let args = LiveArgs::new(a, first);
    let when = match kind {
        Kind::Prints => When::Init,
        Kind::Printks => When::Every(a.input(1), Period::new()),
        Kind::PrintfI => When::InitIf(a.input(1)),
        Kind::Printf => When::Changed(a.input(1), 0.0),
        Kind::Printks2 => When::ValueChanged(a.input(1), None),
        Kind::Printsk | Kind::Println => When::EveryBlock,
    };
    let mut format = unescape(&format);
    if matches!(kind, Kind::Println) {
        format.push('\n');
    }
    boxed(Prints { format, args, when })
}

pub const SPECS: &[OpcodeSpec] = &[
    spec(
        "printk2",
        "",
        "koo",
        Pass::Both,
        build_printk2,
        "print a control value whenever it changes, after optional spaces and with its name if inamed is non-zero",
    ),
    spec(
        "puts",
        "",
        "Sko",
        Pass::Both,
        build_puts,
        "print a string at note start if ktrig > 0, then whenever ktrig is positive and changes",
    ),
    spec(
        "print",
        "",
        "m",
        Pass::Init,
        build_print,
        "print i-values with their names at note start",
    ),
    spec(
        "printk",
        "",
        "iko",
        Pass::Both,
        build_printk,
        "print a control value every itime seconds",
    ),
    spec(
        "prints",
        "",
        "SN",
        Pass::Init,
        |a| build_prints(a, Kind::Prints),
        "print formatted text (C printf style) at note start",
    ),
    spec(
        "printks",
        "",
        "SiN",
        Pass::Both,
        |a| build_prints(a, Kind::Printks),
        "print formatted text with control values every itime seconds",
    ),
    spec(
        "printf_i",
        "",
        "SiN",
        Pass::Init,
        |a| build_prints(a, Kind::PrintfI),
        "print formatted text at note start when itrig > 0",
    ),
    spec(
        "printf",
        "",
        "SkN",
        Pass::Both,
        |a| build_prints(a, Kind::Printf),
        "print formatted text when ktrig > 0 and has changed since the last block",
    ),
    spec(
        "printks2",
        "",
        "Sk",
        Pass::Both,
        |a| build_prints(a, Kind::Printks2),
        "print formatted text with a control value at the first block and whenever it changes",
    ),
    spec(
        "printsk",
        "",
        "Sz",
        Pass::Both,
        |a| build_prints(a, Kind::Printsk),
        "print formatted text with control values every block",
    ),
    spec(
        "println",
        "",
        "Sz",
        Pass::Both,
        |a| build_prints(a, Kind::Println),
        "print formatted text with control values and a newline every block",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(format: &str, args: &[f64]) -> String {
        Printf { format, args }.to_string()
    }

    /// Expected strings printed by csound 6.18 (`prints`).
    #[test]
    #[allow(clippy::approx_constant)] // 3.14159 is a printf input here, not pi
    fn printf_matches_csound() {
        assert_eq!(
            fmt("a%dA %dB %dC %i", &[2.5, 3.5, -2.5, 7.9]),
            "a2A 4B -2C 8"
        );
        assert_eq!(
            fmt("%5d|%-5d|%+d|%05.1f", &[42.0, 42.0, 5.0, 3.14159]),
            "   42|42   |+5|003.1"
        );
        assert_eq!(fmt("%x|%X|%o|%u", &[255.0, 255.0, 8.0, 7.0]), "ff|FF|10|7");
        assert_eq!(fmt("%c|%3c|", &[65.0, 66.0]), "A|  B|");
        assert_eq!(
            fmt("%g %g %g %g", &[1e-5, 123456789.0, 0.5, 100.0]),
            "1e-05 1.23457e+08 0.5 100"
        );
        assert_eq!(
            fmt("%G %10.3g|%-10.2e|", &[1e-10, 3.14159, 31415.9]),
            "1E-10       3.14|3.14e+04  |"
        );
        assert_eq!(
            fmt("%e %E %.3e", &[0.0, -1.5e300, 1e-310]),
            "0.000000e+00 -1.500000E+300 1.000e-310"
        );
        assert_eq!(fmt("%5.1f%%|", &[99.44]), " 99.4%|");
        assert_eq!(fmt("%f %f", &[1.0]), "1.000000 1.000000");
        assert_eq!(fmt("%d", &[3e9]), "-1294967296");
        assert_eq!(fmt("%.3f %.3f", &[0.0005, 0.0015]), "0.001 0.002");
        assert_eq!(fmt("%s|", &[3.0]), "??|");
        assert_eq!(fmt("%d %d %d", &[1.0, 2.0]), "1 2 2");
        assert_eq!(
            fmt(
                "hello %d %5.2f|%-6.1f|%e %g %% x",
                &[3.7, 2.3456, 1.5, 12345.678, 0.0001]
            ),
            "hello 4  2.35|1.5   |1.234568e+04 0.0001 % x"
        );
        assert_eq!(fmt("no args", &[]), "no args");
        assert_eq!(
            fmt("%#g|% d|%.0f|%.0f", &[1.0, 4.0, 2.5, 3.5]),
            "1.00000|%% d|4|2"
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(r"a\tb\n\101\\"), "a\tb\nA\\");
    }

    #[test]
    fn period_counts_blocks_as_csound() {
        // itime 0.1 s at kr 441: prints at blocks 0, 45, 90.
        let mut p = Period::new();
        p.set(0.1, 441.0);
        let hits: Vec<usize> = (0..100).filter(|_| p.due()).collect();
        assert_eq!(hits, vec![0, 45, 90]);
        p.set(1000.0 / 44100.0, 441.0);
        let hits: Vec<usize> = (0..25).filter(|_| p.due()).collect();
        assert_eq!(hits, vec![0, 10, 20]);
        p.set(0.0, 441.0);
        assert_eq!((0..5).filter(|_| p.due()).count(), 5);
    }
}
