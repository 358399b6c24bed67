//! Score text -> [`Score`]: tokenizing statements, Csound's carry rules,
//! sections, ramps, next/previous p-fields, tempo warping and sorting.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::expr::{self, PChar};
use super::preproc::{MAX_ERRORS, Pre, chars_of};
use super::{EventKind, PValue, Score, ScoreEvent, TempoMap};
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};

/// Kinds of ramp symbol in a p-field.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ramp {
    Linear,
    Exp,
    Random,
}

/// One p-field as written (after expressions are evaluated).
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    /// `.`: carry from the previous note of the same instrument.
    Dot,
    /// `+` in p2: previous p2 + p3.
    Plus,
    /// `^+x` / `^-x`: previous event time plus x.
    Caret(f64),
    Ramp(Ramp),
    Np(usize),
    Pp(usize),
    /// `!`: no carry of the remaining p-fields.
    Bang,
    /// A bare word, for `m`/`n` names.
    Word(String),
}

#[derive(Clone, Debug)]
struct Field {
    tok: Tok,
    pos: Pos,
}

#[derive(Clone, Debug)]
struct Stmt {
    op: char,
    pos: Pos,
    fields: Vec<Field>,
}

/// Statement letters we understand.
const OPS: &str = "ifeastqbxvmnd";

struct Ctx {
    file: Arc<SourceFile>,
    diags: Vec<Diagnostic>,
}

impl Ctx {
    fn pos(&self, line: u32, col: u32) -> Pos {
        Pos::new(&self.file, line, col)
    }
    fn err(&mut self, pos: &Pos, msg: impl Into<String>) {
        if self.diags.len() < MAX_ERRORS {
            self.diags.push(Diagnostic::error_at(pos, msg));
        }
    }
}

/// Parse a score. `source` holds the text; positions in messages refer to it.
pub fn parse(source: &Arc<SourceFile>) -> Result<Score, Diagnostics> {
    let mut ctx = Ctx {
        file: source.clone(),
        diags: Vec::new(),
    };
    let mut pre = Pre::new();
    pre.dir = std::path::Path::new(&source.name)
        .parent()
        .map(std::path::Path::to_path_buf);
    let chars = pre.run(&chars_of(&source.text), 0);
    for (line, col, msg) in std::mem::take(&mut pre.errors) {
        let pos = ctx.pos(line, col);
        ctx.err(&pos, msg);
    }
    let stmts = tokenize(&chars, &mut ctx);
    let score = perform(stmts, &mut ctx);
    if ctx
        .diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        Err(Diagnostics(ctx.diags))
    } else {
        Ok(score)
    }
}

// ---------------------------------------------------------------- tokenizer

fn tokenize(chars: &[PChar], ctx: &mut Ctx) -> Vec<Stmt> {
    let mut stmts: Vec<Stmt> = Vec::new();
    let mut cur: Option<Stmt> = None;
    let mut i = 0;
    let at = |i: usize| chars.get(i).map(|p| p.c);
    while i < chars.len() {
        let p = chars[i];
        let pos = ctx.pos(p.line, p.col);
        let c = p.c;
        if c == '\n' {
            stmts.extend(cur.take());
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let in_stmt = cur.as_ref().map(|s| s.op);
        // np/pp are fields, not statements.
        let np_pp = (c == 'n' || c == 'p')
            && at(i + 1) == Some('p')
            && at(i + 2).is_some_and(|d| d.is_ascii_digit());
        if c.is_ascii_alphabetic() && !np_pp {
            if matches!(in_stmt, Some('m' | 'n')) {
                let mut w = String::new();
                while let Some(d) = at(i).filter(|d| d.is_ascii_alphanumeric() || *d == '_') {
                    w.push(d);
                    i += 1;
                }
                if let Some(s) = cur.as_mut() {
                    s.fields.push(Field {
                        tok: Tok::Word(w),
                        pos,
                    });
                }
                continue;
            }
            if in_stmt.is_some() {
                // Csound reads one statement per line.
                ctx.err(
                    &pos,
                    format!("'{c}' inside a statement: start a new line for a new statement"),
                );
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
                continue;
            }
            i += 1;
            if c == 'c' {
                // `c`: a comment statement, to the end of the line.
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
                continue;
            }
            if !OPS.contains(c) {
                ctx.err(&pos, format!("unknown score statement '{c}'"));
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
                continue;
            }
            // `x anything`: its p-fields are ignored. csound reads no time
            // either from an `s` or `e` whose first field touches the letter
            // (`e10` ends where the score ends, as `e` does): the whole line's
            // fields are dropped.
            let glued = at(i).is_some_and(|d| !d.is_whitespace());
            if c == 'x' || (glued && (c == 's' || c == 'e')) {
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
            }
            cur = Some(Stmt {
                op: c,
                pos,
                fields: Vec::new(),
            });
            continue;
        }
        let Some(stmt) = cur.as_mut() else {
            ctx.err(&pos, format!("expected a statement letter, found '{c}'"));
            while at(i).is_some_and(|d| d != '\n') {
                i += 1;
            }
            continue;
        };
        let next = at(i + 1);
        let tok = match c {
            '"' => {
                let mut s = String::new();
                i += 1;
                while let Some(d) = at(i).filter(|d| *d != '"' && *d != '\n') {
                    s.push(d);
                    i += 1;
                }
                // The preprocessor has reported a missing closing quote.
                if at(i) == Some('"') {
                    i += 1;
                }
                Some(Tok::Str(s))
            }
            '[' => {
                let start = i + 1;
                let mut level = 1;
                i += 1;
                while let Some(d) = at(i) {
                    if d == '[' {
                        level += 1;
                    } else if d == ']' {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    i += 1;
                }
                if at(i).is_none() {
                    ctx.err(&pos, "unterminated '[' expression");
                    None
                } else {
                    let close = chars[i];
                    let inner = replace_brackets(&chars[start..i]);
                    i += 1;
                    match expr::eval(&inner, (close.line, close.col)) {
                        Ok(v) => Some(Tok::Num(v)),
                        Err((l, c, m)) => {
                            let pos = ctx.pos(l, c);
                            ctx.err(&pos, m);
                            Some(Tok::Num(0.0))
                        }
                    }
                }
            }
            '^' => {
                i += 1;
                let sign = match at(i) {
                    Some('+') => {
                        i += 1;
                        1.0
                    }
                    Some('-') => {
                        i += 1;
                        -1.0
                    }
                    _ => 1.0,
                };
                let text = expr::scan_number(chars, &mut i);
                match text.parse::<f64>() {
                    Ok(v) => Some(Tok::Caret(sign * v)),
                    Err(_) => {
                        ctx.err(&pos, "'^' needs a number right after it, as in ^+2");
                        skip_field(chars, &mut i);
                        None
                    }
                }
            }
            '<' | '>' => {
                i += 1;
                Some(Tok::Ramp(Ramp::Linear))
            }
            '(' | ')' => {
                i += 1;
                Some(Tok::Ramp(Ramp::Exp))
            }
            '~' => {
                i += 1;
                Some(Tok::Ramp(Ramp::Random))
            }
            '!' => {
                i += 1;
                Some(Tok::Bang)
            }
            'n' | 'p' => {
                i += 2;
                let mut d = String::new();
                while let Some(x) = at(i).filter(|x| x.is_ascii_digit()) {
                    d.push(x);
                    i += 1;
                }
                let n = d.parse::<usize>().unwrap_or(0);
                Some(if c == 'n' { Tok::Np(n) } else { Tok::Pp(n) })
            }
            '.' if !next.is_some_and(|d| d.is_ascii_digit()) => {
                i += 1;
                Some(Tok::Dot)
            }
            '+' if !next.is_some_and(|d| d.is_ascii_digit() || d == '.') => {
                i += 1;
                Some(Tok::Plus)
            }
            c if c.is_ascii_digit() || c == '.' || c == '-' || c == '+' => {
                let start = i;
                let neg = c == '-';
                if c == '-' || c == '+' {
                    i += 1;
                }
                let text = expr::scan_number(chars, &mut i);
                let bad = at(i).is_some_and(|d| !is_field_end(d));
                match text.parse::<f64>() {
                    Ok(v) if !bad => Some(Tok::Num(if neg { -v } else { v })),
                    _ => {
                        i = start;
                        let word = skip_field(chars, &mut i);
                        ctx.err(&pos, format!("bad number '{word}'"));
                        None
                    }
                }
            }
            _ => {
                let word = skip_field(chars, &mut i);
                ctx.err(&pos, format!("unexpected '{word}' in a p-field"));
                None
            }
        };
        if let Some(tok) = tok {
            stmt.fields.push(Field { tok, pos });
        }
    }
    stmts.extend(cur.take());
    stmts
}

/// Csound allows `[` `]` nested inside expressions as parentheses.
fn replace_brackets(chars: &[PChar]) -> Vec<PChar> {
    chars
        .iter()
        .map(|p| match p.c {
            '[' => PChar { c: '(', ..*p },
            ']' => PChar { c: ')', ..*p },
            _ => *p,
        })
        .collect()
}

fn is_field_end(c: char) -> bool {
    c.is_whitespace() || c == '"' || c == '['
}

fn skip_field(chars: &[PChar], i: &mut usize) -> String {
    let mut s = String::new();
    while let Some(p) = chars.get(*i) {
        if p.c.is_whitespace() {
            break;
        }
        s.push(p.c);
        *i += 1;
    }
    if s.is_empty() && *i < chars.len() {
        s.push(chars[*i].c);
        *i += 1;
    }
    s
}

// ---------------------------------------------------------------- performing

/// Which instrument a note is for, for carry, ramps and np/pp.
#[derive(Clone, Debug, PartialEq)]
enum InsKey {
    Num(i64),
    Name(String),
}

/// A p-field after carry: a value or a symbol resolved after sorting.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Num(f64),
    Str(String),
    /// p2 given as `+` (so that carrying it means "after the previous note").
    Plus,
    Ramp(Ramp),
    Np(usize),
    Pp(usize),
}

/// A statement of the current section after carry, in beats.
#[derive(Clone, Debug)]
struct Block {
    kind: EventKind,
    key: Option<InsKey>,
    /// p1.. as carried; for notes p2/p3 hold the computed beats.
    vals: Vec<Val>,
    p2: f64,
    p3: f64,
    pos: Pos,
    order: usize,
}

/// Per-section state.
#[derive(Default)]
struct Section {
    blocks: Vec<Block>,
    tempo: Vec<(f64, f64)>,
    /// Latest time mentioned (note end, f0, s/e time), in beats.
    end: f64,
    warp: f64,
    clock: f64,
    /// Time of the last i/f/a event, for `^` (kept from earlier sections).
    prev_p2: Option<f64>,
}

impl Section {
    fn new() -> Section {
        Section {
            warp: 1.0,
            ..Section::default()
        }
    }
}

fn num_of(f: &Field, what: &str, ctx: &mut Ctx) -> Option<f64> {
    match &f.tok {
        Tok::Num(v) => Some(*v),
        _ => {
            ctx.err(&f.pos, format!("{what} must be a number"));
            None
        }
    }
}

fn perform(stmts: Vec<Stmt>, ctx: &mut Ctx) -> Score {
    let mut out = Score::default();
    let mut global_tempo = TempoMap::default();
    let mut sec = Section::new();
    let mut sec_start = 0.0_f64;
    let mut any = false;
    let mut marks: HashMap<String, usize> = HashMap::new();
    let mut muted: HashSet<i64> = HashSet::new();
    // A queue of statements, so that `n` can replay marked ones.
    let mut queue: std::collections::VecDeque<Stmt> = stmts.iter().cloned().collect();
    let mut replays = 0;
    let mut index = 0usize;
    let mut skipping = false;
    let mut ended = false;
    while let Some(st) = queue.pop_front() {
        index += 1;
        if skipping && !matches!(st.op, 's' | 'e' | 'm' | 'r') {
            continue;
        }
        skipping = false;
        match st.op {
            'i' => note(&st, &mut sec, index, ctx),
            'd' => {
                // `d p1 p2`: a de-note, the turn-off `i -p1 p2 0` says.
                let mut off = st.clone();
                if let Some(f) = off.fields.first_mut() {
                    f.tok = match &f.tok {
                        Tok::Num(n) => Tok::Num(-n),
                        Tok::Str(s) => Tok::Str(format!("-{s}")),
                        other => other.clone(),
                    };
                }
                note(&off, &mut sec, index, ctx)
            }
            'f' | 'a' | 'q' => other(&st, &mut sec, index, ctx),
            'b' => {
                if let Some(f) = st.fields.first() {
                    sec.clock = num_of(f, "b's clock offset", ctx).unwrap_or(0.0);
                } else {
                    sec.clock = 0.0;
                }
            }
            'v' => match st
                .fields
                .first()
                .and_then(|f| num_of(f, "v's warp factor", ctx))
            {
                Some(w) if w > 0.0 => sec.warp = w,
                Some(_) => ctx.err(&st.fields[0].pos, "v's warp factor must be positive"),
                None => ctx.err(&st.pos, "v needs a warp factor"),
            },
            't' => tempo(&st, &mut sec, ctx),
            'x' => skipping = true,
            'm' => match st.fields.first().map(|f| &f.tok) {
                Some(Tok::Word(w)) => {
                    // Remember where the marked statements start in the source.
                    let start = stmts.len() - queue.len();
                    marks.insert(w.clone(), start);
                }
                _ => ctx.err(&st.pos, "m needs a name"),
            },
            'n' => match st.fields.first().map(|f| &f.tok) {
                Some(Tok::Word(w)) => match marks.get(w) {
                    Some(&start) if replays < 1000 => {
                        replays += 1;
                        let mut copy = Vec::new();
                        for s in stmts.iter().skip(start) {
                            if s.op == 'e' || s.op == 's' {
                                copy.push(Stmt {
                                    op: 's',
                                    pos: s.pos.clone(),
                                    fields: Vec::new(),
                                });
                                break;
                            }
                            if s.op == 'n' || s.op == 'm' {
                                continue;
                            }
                            copy.push(s.clone());
                        }
                        for s in copy.into_iter().rev() {
                            queue.push_front(s);
                        }
                    }
                    Some(_) => ctx.err(&st.pos, "too many n repeats (a loop?)"),
                    None => ctx.err(&st.fields[0].pos, format!("no mark named '{w}'")),
                },
                _ => ctx.err(&st.pos, "n needs a name"),
            },
            's' | 'e' => {
                if let Some(f) = st.fields.first()
                    && let Some(t) = num_of(f, "the section end time", ctx)
                {
                    // Only ever lengthens the section: a time before its
                    // last event has no effect (csound's rule).
                    sec.end = sec.end.max(t);
                    if t > 0.0 && st.op == 'e' {
                        // csound ends at the `e` time once nothing with a
                        // duration sounds, also before the end of a note
                        // that was turned off early.
                        sec.blocks.push(Block {
                            kind: EventKind::End,
                            key: None,
                            vals: vec![Val::Num(0.0), Val::Num(t)],
                            p2: t,
                            p3: 0.0,
                            pos: st.pos.clone(),
                            order: index,
                        });
                    }
                    if t > 0.0 {
                        // A marker the performance must reach, as `f 0 t`
                        // is (table 0 is never made).
                        sec.blocks.push(Block {
                            kind: EventKind::Table,
                            key: None,
                            vals: vec![Val::Num(0.0), Val::Num(t)],
                            p2: t,
                            p3: 0.0,
                            pos: st.pos.clone(),
                            order: index,
                        });
                    }
                }
                let had = !sec.blocks.is_empty() || sec.end > 0.0;
                any |= had;
                // Csound keeps the last event time for `^` across sections.
                let mut next = Section::new();
                next.prev_p2 = sec.prev_p2;
                let len = finish_section(
                    std::mem::replace(&mut sec, next),
                    sec_start,
                    &mut global_tempo,
                    &mut muted,
                    &mut out,
                );
                sec_start += len;
                if st.op == 'e' {
                    ended = true;
                    break;
                }
            }
            _ => ctx.err(&st.pos, format!("unknown score statement '{}'", st.op)),
        }
    }
    if !ended {
        any |= !sec.blocks.is_empty() || sec.end > 0.0;
        let len = finish_section(sec, sec_start, &mut global_tempo, &mut muted, &mut out);
        sec_start += len;
    }
    out.tempo = global_tempo;
    // A score with statements ends, even when none of them is an event
    // (`e` alone, `x` first: csound stops at once); only an empty score has
    // no end of its own.
    if any || !stmts.is_empty() {
        out.end_beat = Some(sec_start);
        out.end_time = Some(out.tempo.seconds_at(sec_start));
    }
    out
}

/// `t beat bpm beat bpm ...`
fn tempo(st: &Stmt, sec: &mut Section, ctx: &mut Ctx) {
    let mut pts = Vec::new();
    let mut last = f64::NEG_INFINITY;
    for pair in st.fields.chunks(2) {
        let b = num_of(&pair[0], "a tempo beat", ctx);
        let Some(tf) = pair.get(1) else {
            ctx.err(&pair[0].pos, "tempo beat without a tempo");
            return;
        };
        let t = num_of(tf, "a tempo", ctx);
        let (Some(b), Some(t)) = (b, t) else { return };
        if t <= 0.0 {
            ctx.err(&tf.pos, "tempo must be positive");
            return;
        }
        if b < last {
            ctx.err(&pair[0].pos, "tempo beats must not go backwards");
            return;
        }
        last = b;
        pts.push((b, t));
    }
    if pts.is_empty() {
        ctx.err(&st.pos, "t needs at least one beat and tempo");
        return;
    }
    sec.tempo = pts;
}

fn ins_key(v: &Val) -> Option<InsKey> {
    match v {
        Val::Num(x) if x.is_finite() => Some(InsKey::Num(x.trunc() as i64)),
        Val::Str(s) => Some(InsKey::Name(s.clone())),
        _ => None,
    }
}

fn tok_val(t: &Tok) -> Option<Val> {
    Some(match t {
        Tok::Num(v) => Val::Num(*v),
        Tok::Str(s) => Val::Str(s.clone()),
        Tok::Plus => Val::Plus,
        Tok::Ramp(r) => Val::Ramp(*r),
        Tok::Np(n) => Val::Np(*n),
        Tok::Pp(n) => Val::Pp(*n),
        _ => return None,
    })
}

/// An `i` statement, with Csound's carry rules (sread.c): p-fields carry
/// from the previous note in this section with the same whole p1.
fn note(st: &Stmt, sec: &mut Section, order: usize, ctx: &mut Ctx) {
    let mut vals: Vec<Val> = Vec::new();
    let (mut p2, mut p3) = (0.0, 0.0);
    let mut no_carry = false;
    let mut prev: Option<usize> = None;
    let last_block_note = sec
        .blocks
        .iter()
        .rposition(|_| true)
        .filter(|&k| sec.blocks[k].kind == EventKind::Note);
    for (k, f) in st.fields.iter().enumerate() {
        let n = k + 1;
        match (&f.tok, n) {
            (Tok::Bang, n) if n >= 4 => {
                no_carry = true;
                break;
            }
            (Tok::Bang, _) => {
                ctx.err(&f.pos, "'!' is not allowed in p1, p2 or p3");
                return;
            }
            (Tok::Dot, 1) => match last_block_note {
                Some(b) => vals.push(sec.blocks[b].vals[0].clone()),
                None => {
                    ctx.err(&f.pos, "nothing to carry into p1");
                    return;
                }
            },
            (Tok::Dot, n) => match prev.map(|b| &sec.blocks[b]) {
                Some(b) if b.vals.len() >= n => {
                    vals.push(b.vals[n - 1].clone());
                    if n == 2 {
                        p2 = if b.vals[1] == Val::Plus {
                            b.p2 + b.p3.abs()
                        } else {
                            b.p2
                        };
                    } else if n == 3 {
                        p3 = b.p3;
                    }
                }
                _ => {
                    ctx.err(&f.pos, format!("nothing to carry into p{n}"));
                    vals.push(Val::Num(0.0));
                }
            },
            (Tok::Plus, 2) => match prev.map(|b| &sec.blocks[b]) {
                Some(b) => {
                    p2 = b.p2 + b.p3.abs();
                    vals.push(Val::Plus);
                }
                None => {
                    ctx.err(&f.pos, "'+' needs an earlier note of this instrument");
                    vals.push(Val::Num(0.0));
                }
            },
            (Tok::Caret(x), 2) => {
                p2 = match sec.prev_p2 {
                    Some(t) => t + sec.warp * x,
                    None => {
                        ctx.err(&f.pos, "no previous event for '^'");
                        sec.warp * x
                    }
                };
                vals.push(Val::Num(p2));
            }
            (Tok::Num(x), 2) => {
                p2 = sec.warp * x + sec.clock;
                vals.push(Val::Num(p2));
            }
            (Tok::Num(x), 3) => {
                p3 = sec.warp * x;
                vals.push(Val::Num(p3));
            }
            (Tok::Num(_) | Tok::Str(_), 1) => {
                let v = tok_val(&f.tok).unwrap_or(Val::Num(0.0));
                vals.push(v);
            }
            (Tok::Num(_) | Tok::Str(_) | Tok::Ramp(_) | Tok::Np(_) | Tok::Pp(_), n) if n >= 4 => {
                vals.push(tok_val(&f.tok).unwrap_or(Val::Num(0.0)));
            }
            (_, n) => {
                ctx.err(
                    &f.pos,
                    format!("this symbol is not allowed in p{n} of an i statement"),
                );
                return;
            }
        }
        if n == 1 {
            let key = ins_key(&vals[0]);
            prev = sec
                .blocks
                .iter()
                .rposition(|b| b.kind == EventKind::Note && b.key == key && key.is_some());
        }
    }
    // A bare `i` carries everything from the statement just before, if a note.
    if vals.is_empty() {
        prev = last_block_note;
    }
    if !no_carry && let Some(b) = prev.map(|b| sec.blocks[b].clone()) {
        for n in vals.len() + 1..=b.vals.len() {
            vals.push(b.vals[n - 1].clone());
            match n {
                2 => {
                    p2 = if b.vals[1] == Val::Plus {
                        b.p2 + b.p3.abs()
                    } else {
                        b.p2
                    }
                }
                3 => p3 = b.p3,
                _ => {}
            }
        }
    }
    if vals.len() < 3 {
        ctx.err(
            &st.pos,
            "an i statement needs p1, p2 and p3, and there is nothing to carry",
        );
        return;
    }
    let key = ins_key(&vals[0]);
    sec.prev_p2 = Some(p2);
    // The note's end counts toward the section's length in
    // `finish_section`, once `q` statements say whether it is muted.
    sec.blocks.push(Block {
        kind: EventKind::Note,
        key,
        vals,
        p2,
        p3,
        pos: st.pos.clone(),
        order,
    });
}

/// `f`, `a` and `q` statements: no carry; p2 is moved by `b` and `v`.
fn other(st: &Stmt, sec: &mut Section, order: usize, ctx: &mut Ctx) {
    let mut vals = Vec::new();
    for (k, f) in st.fields.iter().enumerate() {
        match tok_val(&f.tok) {
            Some(v @ (Val::Num(_) | Val::Str(_))) => vals.push(v),
            _ => {
                ctx.err(
                    &f.pos,
                    format!(
                        "this symbol is not allowed in p{} of an {} statement",
                        k + 1,
                        st.op
                    ),
                );
                return;
            }
        }
    }
    let need = if st.op == 'f' { 2 } else { 3 };
    if vals.len() < need {
        ctx.err(
            &st.pos,
            format!("an {} statement needs at least {need} p-fields", st.op),
        );
        return;
    }
    for (k, v) in vals
        .iter()
        .enumerate()
        .skip(if st.op == 'q' { 1 } else { 0 })
    {
        if matches!(v, Val::Str(_)) && k < 3 {
            ctx.err(&st.fields[k].pos, format!("p{} must be a number", k + 1));
            return;
        }
    }
    let p2 = sec.warp * vals[1].num() + sec.clock;
    vals[1] = Val::Num(p2);
    let p3 = vals.get(2).map(|v| v.num()).unwrap_or(0.0);
    sec.prev_p2 = Some(p2);
    let kind = match st.op {
        'f' => {
            if vals[0].num() == 0.0 {
                // `f 0 N`: keeps the performance going until N. It stays in
                // the event list (table 0, which is never made) because the
                // performance may not end before the score has reached it.
                sec.end = sec.end.max(p2);
            }
            EventKind::Table
        }
        'a' => EventKind::Advance,
        _ => EventKind::Mute,
    };
    sec.end = sec.end.max(if kind == EventKind::Advance {
        p2 + p3
    } else {
        p2
    });
    sec.blocks.push(Block {
        kind,
        key: None,
        vals,
        p2,
        p3,
        pos: st.pos.clone(),
        order,
    });
}

impl Val {
    fn num(&self) -> f64 {
        match self {
            Val::Num(x) => *x,
            _ => 0.0,
        }
    }
    fn value(&self) -> PValue {
        match self {
            Val::Str(s) => PValue::Str(s.clone()),
            v => PValue::Num(v.num()),
        }
    }
}

/// Csound's sort precedence at equal times (sort.c): `q`/`e` first, then
/// turn-offs (negative p1), then `f`, then notes, then `a`.
fn precedence(b: &Block) -> u8 {
    match b.kind {
        EventKind::Mute | EventKind::End => 0,
        EventKind::Note if b.vals[0].num() < 0.0 => 1,
        EventKind::Table => 2,
        EventKind::Note => 3,
        EventKind::Advance => 4,
    }
}

fn ins_sort(b: &Block) -> f64 {
    match &b.vals[0] {
        // Named instruments get numbers after the numbered ones in Csound.
        Val::Str(_) => f64::MAX,
        v => v.num(),
    }
}

/// Sort the section, warp it by its tempo, resolve ramps and np/pp, and
/// append its events. Returns the section's length in beats.
fn finish_section(
    mut sec: Section,
    start: f64,
    global: &mut TempoMap,
    muted: &mut HashSet<i64>,
    out: &mut Score,
) -> f64 {
    // Global tempo: the previous tempo holds up to this section, then this
    // section's own map (60 bpm if it has no `t`).
    if let Some(&(_, last)) = global.points().last() {
        global.push((start, last));
    }
    let pts = if sec.tempo.is_empty() {
        vec![(0.0, 60.0)]
    } else {
        sec.tempo.clone()
    };
    if pts[0].0 > 0.0 {
        global.push((start, pts[0].1));
    }
    global.extend(pts.iter().map(|&(b, t)| (start + b, t)));
    let map = &*global;
    let section = out.section_starts.len();
    out.section_starts.push(map.seconds_at(start));

    sec.blocks.sort_by(|a, b| {
        a.p2.total_cmp(&b.p2)
            .then(precedence(a).cmp(&precedence(b)))
            .then_with(|| {
                if a.kind == EventKind::Note && b.kind == EventKind::Note {
                    ins_sort(a)
                        .total_cmp(&ins_sort(b))
                        .then(a.p3.total_cmp(&b.p3))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then(a.order.cmp(&b.order))
    });
    // A note counts toward the section's length until its end (a held
    // note, until its start); a muted instrument's note is never started,
    // so only its time counts, as in csound, where the section ends once
    // nothing sounds. Mutes hold across sections.
    let mut len = sec.end.max(0.0);
    for b in &sec.blocks {
        match b.kind {
            EventKind::Mute => {
                let instr = b.vals[0].num().trunc() as i64;
                if b.p3 == 0.0 {
                    muted.insert(instr);
                } else {
                    muted.remove(&instr);
                }
            }
            EventKind::Note => {
                let sounds = !muted.contains(&(b.vals[0].num().trunc() as i64));
                let dur = if sounds { b.p3.max(0.0) } else { 0.0 };
                len = len.max(b.p2 + dur);
            }
            _ => {}
        }
    }
    let times: Vec<f64> = sec
        .blocks
        .iter()
        .map(|b| map.seconds_at(start + b.p2))
        .collect();
    resolve_ramps(&mut sec.blocks, &times);
    resolve_np_pp(&mut sec.blocks);
    for (b, &time) in sec.blocks.iter().zip(&times) {
        let beat = start + b.p2;
        let mut pfields: Vec<PValue> = b.vals.iter().map(Val::value).collect();
        if b.kind == EventKind::Note {
            // At a steady tempo p3 scales exactly (a difference of two
            // times would lose the last bit, and Csound keeps p3 as written).
            let dur = match map.constant_between(beat, beat + b.p3.abs()) {
                Some(bpm) => b.p3.abs() * (60.0 / bpm),
                None => map.seconds_at(beat + b.p3.abs()) - time,
            };
            pfields[1] = PValue::Num(time);
            pfields[2] = PValue::Num(if b.p3 < 0.0 { -dur } else { dur });
        }
        out.events.push(ScoreEvent {
            kind: b.kind,
            beat,
            time,
            section,
            pfields,
            pos: b.pos.clone(),
        });
    }
    // The section's length in seconds, as exact as p3 is (see above).
    out.section_lengths
        .push(match map.constant_between(start, start + len) {
            Some(bpm) => len * (60.0 / bpm),
            None => map.seconds_at(start + len) - map.seconds_at(start),
        });
    len
}

/// Replace ramp symbols by values interpolated (in warped time) between the
/// nearest numbers in the same p-field of earlier and later notes of the
/// same instrument.
fn resolve_ramps(blocks: &mut [Block], times: &[f64]) {
    let mut seed: u32 = 0x2545_f491;
    for j in 0..blocks.len() {
        if blocks[j].kind != EventKind::Note {
            continue;
        }
        for k in 3..blocks[j].vals.len() {
            let Val::Ramp(kind) = blocks[j].vals[k] else {
                continue;
            };
            let key = blocks[j].key.clone();
            let anchor = |m: usize| {
                let b = &blocks[m];
                if b.kind != EventKind::Note || b.key != key {
                    return None;
                }
                match b.vals.get(k) {
                    Some(Val::Num(v)) => Some((times[m], *v)),
                    _ => None,
                }
            };
            let before = (0..j).rev().find_map(anchor);
            let after = (j + 1..blocks.len()).find_map(anchor);
            let v = match (before, after) {
                (Some((t0, v0)), Some((t1, v1))) => {
                    let frac = if t1 > t0 {
                        (times[j] - t0) / (t1 - t0)
                    } else {
                        0.0
                    };
                    match kind {
                        Ramp::Linear => v0 + (v1 - v0) * frac,
                        Ramp::Exp if v0 * v1 > 0.0 => v0 * (v1 / v0).powf(frac),
                        Ramp::Exp => 0.0,
                        Ramp::Random => {
                            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                            v0 + (v1 - v0) * (seed >> 8) as f64 / (1u32 << 24) as f64
                        }
                    }
                }
                _ => 0.0,
            };
            blocks[j].vals[k] = Val::Num(v);
        }
    }
}

/// Replace `npN`/`ppN` by p-field N of the next/previous note of the same
/// instrument in sorted order (0 if there is none, or on a loop).
fn resolve_np_pp(blocks: &mut [Block]) {
    fn lookup(blocks: &[Block], j: usize, k: usize, depth: usize) -> Val {
        if depth > 64 {
            return Val::Num(0.0);
        }
        match &blocks[j].vals[k] {
            Val::Np(n) | Val::Pp(n) => {
                let fwd = matches!(blocks[j].vals[k], Val::Np(_));
                let key = &blocks[j].key;
                let same = |m: &usize| blocks[*m].kind == EventKind::Note && &blocks[*m].key == key;
                let other = if fwd {
                    (j + 1..blocks.len()).find(same)
                } else {
                    (0..j).rev().find(same)
                };
                match other {
                    Some(m) if *n >= 1 && *n <= blocks[m].vals.len() => {
                        if *n == 2 {
                            return Val::Num(blocks[m].p2);
                        }
                        if *n == 3 {
                            return Val::Num(blocks[m].p3);
                        }
                        lookup(blocks, m, *n - 1, depth + 1)
                    }
                    _ => Val::Num(0.0),
                }
            }
            v => v.clone(),
        }
    }
    let mut fixes = Vec::new();
    for j in 0..blocks.len() {
        for k in 0..blocks[j].vals.len() {
            if matches!(blocks[j].vals[k], Val::Np(_) | Val::Pp(_)) {
                fixes.push((j, k, lookup(blocks, j, k, 0)));
            }
        }
    }
    for (j, k, v) in fixes {
        blocks[j].vals[k] = v;
    }
}

#[cfg(test)]
mod tests {
    //! Expected values come from csound 6.18 runs (printed p-fields and
    //! `score.srt`) unless a comment says otherwise.
    use super::*;

    fn src(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: "t.sco".into(),
            text: text.into(),
        })
    }

    fn ok(text: &str) -> Score {
        match parse(&src(text)) {
            Ok(s) => s,
            Err(e) => panic!("unexpected errors:\n{e}"),
        }
    }

    fn errs(text: &str) -> Vec<(u32, u32, String)> {
        match parse(&src(text)) {
            Ok(_) => panic!("expected errors for {text:?}"),
            Err(d) => {
                d.0.iter()
                    .map(|d| {
                        let p = d.pos.as_ref().expect("every score error has a position");
                        (p.line, p.col, d.message.clone())
                    })
                    .collect()
            }
        }
    }

    /// Notes as (p1, p2, p3, p4...) numbers.
    fn notes(s: &Score) -> Vec<Vec<f64>> {
        s.events
            .iter()
            .filter(|e| e.kind == EventKind::Note)
            .map(|e| e.pfields.iter().map(PValue::num).collect())
            .collect()
    }

    fn close(a: &[Vec<f64>], b: &[Vec<f64>]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-9)
            })
    }

    macro_rules! assert_notes {
        ($score:expr, $expected:expr) => {{
            let got = notes(&$score);
            let want: Vec<Vec<f64>> = $expected.iter().map(|v: &&[f64]| v.to_vec()).collect();
            assert!(close(&got, &want), "got {got:?}\nwant {want:?}");
        }};
    }

    #[test]
    fn a_score_of_only_e_or_x_ends_at_once() {
        for text in ["e\n", "x\ni 1 0 1\n", "e\ni 1 0 1\n"] {
            let s = ok(text);
            assert_eq!(s.end_time, Some(0.0), "{text:?}");
        }
    }

    #[test]
    fn empty_score_has_no_end() {
        let s = ok("\n; nothing\n");
        assert!(s.events.is_empty());
        assert_eq!(s.end_time, None);
    }

    #[test]
    fn plus_in_p2_starts_after_previous_note() {
        let s = ok("i1 0 2 3\ni1 + . <\ni1 + . 9\ni2 0 1 0\nf0 10\n");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 2.0, 3.0][..],
                &[2.0, 0.0, 1.0, 0.0],
                &[1.0, 2.0, 2.0, 6.0],
                &[1.0, 4.0, 2.0, 9.0]
            ]
        );
        assert_eq!(s.end_time, Some(10.0));
    }

    #[test]
    fn tempo_breakpoints_warp_durations() {
        let s = ok("t 0 60 4 120\ni1 0 2\ni1 2 2 \ni1 4 2\ni1 6 1");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.75][..],
                &[1.0, 1.75, 1.25],
                &[1.0, 3.0, 1.0],
                &[1.0, 4.0, 0.5]
            ]
        );
        assert!((s.end_time.unwrap() - 4.5).abs() < 1e-9);
        assert_eq!(s.end_beat, Some(7.0));
        assert_eq!(s.events[1].beat, 2.0);
    }

    #[test]
    fn carry_comes_from_last_note_of_the_same_instrument() {
        let s = ok("i1 0 3 1\ni2 1 2 2\ni1 . . 3");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 3.0, 1.0][..],
                &[1.0, 0.0, 3.0, 3.0],
                &[2.0, 1.0, 2.0, 2.0]
            ]
        );
    }

    #[test]
    fn missing_trailing_pfields_are_carried() {
        let s = ok("i1 0 1 5\ni1 2\ni1 3 2");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 5.0][..],
                &[1.0, 2.0, 1.0, 5.0],
                &[1.0, 3.0, 2.0, 5.0]
            ]
        );
    }

    #[test]
    fn bang_stops_the_carry() {
        let s = ok("i1 0 1 5 6\ni1 1 1 !");
        assert_notes!(s, [&[1.0, 0.0, 1.0, 5.0, 6.0][..], &[1.0, 1.0, 1.0]]);
    }

    #[test]
    fn caret_offsets_from_previous_start() {
        let s = ok("i1 0 1 1\ni1 ^+2 . 2\ni1 ^-1 . 3");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 1.0][..],
                &[1.0, 1.0, 1.0, 3.0],
                &[1.0, 2.0, 1.0, 2.0]
            ]
        );
    }

    #[test]
    fn expressions_and_next_previous_pfields() {
        let s = ok("i1 0 1 1 [2^3] \ni1 + 1 np5 [-2*(3+1)%5]\ni1 + 1 pp4 [@5] [@@4]");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 1.0, 8.0][..],
                &[1.0, 1.0, 1.0, 8.0, -3.0],
                &[1.0, 2.0, 1.0, 8.0, 8.0, 5.0]
            ]
        );
    }

    // From the manual's Next-P page.
    #[test]
    fn np_and_pp_past_the_ends_are_zero() {
        let s = ok("i1 0 1 10 np4 pp5\ni1 1 1 20\ni1 2 1 30");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 10.0, 20.0, 0.0][..],
                &[1.0, 1.0, 1.0, 20.0, 30.0, 20.0],
                &[1.0, 2.0, 1.0, 30.0, 0.0, 30.0]
            ]
        );
    }

    // From the manual's Ramping page.
    #[test]
    fn linear_ramps_interpolate_between_anchors() {
        let s = ok("i1 0 1 100\ni1 1 1 <\ni1 2 1 <\ni1 3 1 400\ni1 4 1 <\ni1 5 1 0");
        let p4: Vec<f64> = notes(&s).iter().map(|n| n[3]).collect();
        assert_eq!(p4, vec![100.0, 200.0, 300.0, 400.0, 200.0, 0.0]);
    }

    #[test]
    fn exponential_ramp_is_geometric() {
        let s = ok("i1 3 1 4\ni1 4 1 )\ni1 5 1 8");
        assert!((notes(&s)[1][3] - 32f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn ramps_ignore_other_instruments() {
        let s = ok("i1 0 1 1\ni2 0 1 <\ni1 1 1 5");
        assert_eq!(notes(&s)[1], vec![2.0, 0.0, 1.0, 0.0]);
    }

    #[test]
    fn clock_and_warp_statements_move_notes() {
        let s = ok("b 5\ni1 1 1\nb 0\ni1 1 1\nv 2\ni1 1 1\ni1 + 1\ns\ni1 1 1");
        assert_notes!(
            s,
            [
                &[1.0, 1.0, 1.0][..],
                &[1.0, 2.0, 2.0],
                &[1.0, 4.0, 2.0],
                &[1.0, 6.0, 1.0],
                &[1.0, 8.0, 1.0]
            ]
        );
        assert_eq!(s.end_time, Some(9.0));
    }

    #[test]
    fn caret_after_a_section_uses_the_previous_section_time() {
        let s = ok("i1 0 1\ns\ni1 ^+1 1");
        assert_notes!(s, [&[1.0, 0.0, 1.0][..], &[1.0, 2.0, 1.0]]);
        assert_eq!(s.end_time, Some(3.0));
    }

    #[test]
    fn clock_and_warp_reset_at_a_section() {
        let s = ok("b 2\nv 2\ni1 0 1\ns\ni1 0 1");
        assert_notes!(s, [&[1.0, 2.0, 2.0][..], &[1.0, 4.0, 1.0]]);
        assert_eq!(s.end_time, Some(5.0));
    }

    #[test]
    fn section_time_extends_the_section() {
        let s = ok("i1 0 1\ns 10\ni1 0 1");
        assert_notes!(s, [&[1.0, 0.0, 1.0][..], &[1.0, 10.0, 1.0]]);
        assert_eq!(s.end_time, Some(11.0));
    }

    #[test]
    fn e_with_a_time_extends_the_end() {
        let s = ok("i1 0 1\ne 5\ni1 100 1");
        assert_eq!(s.end_time, Some(5.0));
        assert_eq!(notes(&s).len(), 1);
    }

    #[test]
    fn e_before_the_last_event_does_not_cut_the_score() {
        // csound: `e 0 10` and `e 4` after a 6 s note both end at 6 s.
        assert_eq!(ok("i1 0 6\ne 0 10").end_time, Some(6.0));
        assert_eq!(ok("i1 0 6\ne 4").end_time, Some(6.0));
    }

    #[test]
    fn s_or_e_with_a_glued_time_has_no_time() {
        // csound reads `e10` and `s5 7` as a bare `e` and `s`.
        assert_eq!(ok("i1 0 6\ne10").end_time, Some(6.0));
        let s = ok("i1 0 2\ns5 7\ni1 0 1");
        assert_eq!(s.end_time, Some(3.0));
        assert_eq!(s.section_starts, vec![0.0, 2.0]);
        assert_eq!(s.events[1].section, 1);
    }

    #[test]
    fn muted_notes_do_not_lengthen_their_section() {
        // csound: the muted note at 9 never starts, so the section ends at 9.
        let s = ok("q 1 6 0\ni1 0 2\ni1 9 2\ns\nq 1 0 1\ni1 0 2");
        assert_eq!(s.section_starts, vec![0.0, 9.0]);
        assert_eq!(s.end_time, Some(11.0));
    }

    #[test]
    fn missing_include_points_at_the_directive() {
        let e = errs("i1 0 1\n  #include \"no-such-file.sco\"\n");
        assert_eq!((e[0].0, e[0].1), (2, 3), "{e:?}");
        assert!(e[0].2.contains("cannot read included file"), "{e:?}");
    }

    #[test]
    fn d_turns_off_a_held_note() {
        let s = ok("i1 0 -1\nd 1 1 0\ni \"x\" 2 -1\nd \"x\" 3 0");
        assert_eq!(notes(&s)[..2], [vec![1.0, 0.0, -1.0], vec![-1.0, 1.0, 0.0]]);
        // A named instrument's name gets the minus (csound does not turn
        // that off; the player says so and ignores it).
        assert_eq!(s.events[3].pfields[0], PValue::Str("-x".into()));
    }

    #[test]
    fn macro_with_arguments_expands_each_call() {
        let s = ok("#define NOTE(t'r) #i 1 $t 0.5 $r#\n$NOTE(0'440)\n$NOTE(1'550)\n");
        assert_notes!(s, [&[1.0, 0.0, 0.5, 440.0][..], &[1.0, 1.0, 0.5, 550.0]]);
    }

    #[test]
    fn f0_keeps_the_score_running() {
        let s = ok("f 0 10");
        // A marker the performance must reach (table 0 is never made).
        assert_eq!(s.events.len(), 1);
        assert_eq!(
            (s.events[0].kind, s.events[0].time),
            (EventKind::Table, 10.0)
        );
        assert_eq!(s.events[0].pfields[0], PValue::Num(0.0));
        assert_eq!(s.end_time, Some(10.0));
    }

    #[test]
    fn tempo_is_per_section() {
        let s = ok("t 0 120\ni1 0 2\ns\ni1 0 2");
        assert_notes!(s, [&[1.0, 0.0, 1.0][..], &[1.0, 1.0, 2.0]]);
        assert_eq!(s.end_time, Some(3.0));
        assert_eq!(s.end_beat, Some(4.0));
        let b = s.tempo.beat_at(2.0);
        assert!((s.tempo.seconds_at(b) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn sort_puts_turnoffs_before_tables_before_notes() {
        let s = ok("i1 2 1\nf -1 3\ni -1 3 0\ni1 0 -1\nf 1 0 8 10 1");
        let order: Vec<(EventKind, f64, f64)> = s
            .events
            .iter()
            .map(|e| (e.kind, e.time, e.pfields[0].num()))
            .collect();
        assert_eq!(
            order,
            vec![
                (EventKind::Table, 0.0, 1.0),
                (EventKind::Note, 0.0, 1.0),
                (EventKind::Note, 2.0, 1.0),
                (EventKind::Note, 3.0, -1.0),
                (EventKind::Table, 3.0, -1.0),
            ]
        );
        // The held note keeps its negative duration.
        assert_eq!(s.events[1].pfields[2], PValue::Num(-1.0));
    }

    #[test]
    fn notes_at_the_same_time_sort_by_instrument() {
        let s = ok("i2 0 1\ni1.2 0 1\ni1.1 0 1");
        let p1: Vec<f64> = notes(&s).iter().map(|n| n[0]).collect();
        assert_eq!(p1, vec![1.1, 1.2, 2.0]);
    }

    #[test]
    fn named_instruments_carry_strings() {
        let s = ok("i \"Foo\" 0 1 \"str\"\ni1 0.5 1\ni \"Foo\" . .");
        let foo: Vec<&ScoreEvent> = s
            .events
            .iter()
            .filter(|e| e.pfields[0] == PValue::Str("Foo".into()))
            .collect();
        assert_eq!(foo.len(), 2);
        assert_eq!(foo[1].pfields[3], PValue::Str("str".into()));
        assert_eq!(foo[1].pfields[2], PValue::Num(1.0));
    }

    #[test]
    fn loops_repeat_with_a_counter() {
        let s = ok("{ 3 CNT\ni1 [$CNT*2] 1 $CNT\n}");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 0.0][..],
                &[1.0, 2.0, 1.0, 1.0],
                &[1.0, 4.0, 1.0, 2.0]
            ]
        );
    }

    #[test]
    fn named_section_is_replayed_by_n() {
        let s = ok("m foo\ni1 0 1 1\ns\ni1 0 2 2\ns\nn foo\ne");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 1.0][..],
                &[1.0, 1.0, 2.0, 2.0],
                &[1.0, 3.0, 1.0, 1.0]
            ]
        );
        assert_eq!(s.end_time, Some(4.0));
    }

    #[test]
    fn r_repeats_a_section_with_a_counter_from_zero() {
        let s = ok("r 3 K\ni1 0 1 $K\ns\ni1 0 1 9");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 0.0][..],
                &[1.0, 1.0, 1.0, 1.0],
                &[1.0, 2.0, 1.0, 2.0],
                &[1.0, 3.0, 1.0, 9.0]
            ]
        );
        assert_eq!(s.end_time, Some(4.0));
    }

    #[test]
    fn tempo_breakpoints_in_later_sections_start_at_the_section() {
        let s = ok("t 0 120 2 60\ni1 0 4\ns\nt 0 30\ni1 1 1");
        assert_notes!(s, [&[1.0, 0.0, 3.5][..], &[1.0, 5.5, 2.0]]);
        assert!((s.end_time.unwrap() - 7.5).abs() < 1e-9);
    }

    #[test]
    fn np_and_pp_symbols_are_carried() {
        let s = ok("i1 0 1 2\ni1 1 1 np4 pp4\ni2 1.5 1 3\ni1 2 1 5");
        assert_notes!(
            s,
            [
                &[1.0, 0.0, 1.0, 2.0][..],
                &[1.0, 1.0, 1.0, 5.0, 2.0],
                &[2.0, 1.5, 1.0, 3.0],
                &[1.0, 2.0, 1.0, 5.0, 5.0]
            ]
        );
    }

    #[test]
    fn second_statement_on_a_line_is_an_error() {
        let e = errs("i1 0 1 i1 1 1");
        assert_eq!((e[0].0, e[0].1), (1, 8));
    }

    #[test]
    fn macros_expand_and_a_period_ends_the_name() {
        let s = ok("#define X #3#\ni1 0 $X.5 $X");
        assert_notes!(s, [&[1.0, 0.0, 35.0, 3.0][..]]);
    }

    #[test]
    fn x_skips_the_rest_of_the_section() {
        let s = ok("i1 0 1\nx\ni1 5 1\ns\ni1 0 1\n");
        assert_notes!(s, [&[1.0, 0.0, 1.0][..], &[1.0, 1.0, 1.0]]);
        assert_eq!(s.end_time, Some(2.0));
    }

    #[test]
    fn comments_of_every_kind_are_ignored() {
        let s = ok("i1 0 1 ; semi\n// slashes\n/* block\n i9 0 1 */ i1 1 1\nc comment\ni1 2 1");
        assert_eq!(notes(&s).len(), 3);
    }

    #[test]
    fn advance_and_mute_events_are_kept() {
        let s = ok("a 0 2 3\nq 1 1 0\ni1 0 1");
        assert!(
            s.events
                .iter()
                .any(|e| e.kind == EventKind::Advance && e.beat == 2.0)
        );
        assert!(
            s.events
                .iter()
                .any(|e| e.kind == EventKind::Mute && e.beat == 1.0)
        );
        assert_eq!(s.end_time, Some(5.0));
    }

    #[test]
    fn positions_follow_the_csd_lines() {
        let s = ok("\n\n   i1 0 1");
        assert_eq!((s.events[0].pos.line, s.events[0].pos.col), (3, 4));
    }

    #[test]
    fn errors_in_a_csd_point_at_the_csd_line() {
        let text = "<CsoundSynthesizer>\n<CsInstruments>\ninstr 1\nendin\n</CsInstruments>\n<CsScore>\ni1 0 1\n  i1 0 [1+\n</CsScore>\n</CsoundSynthesizer>\n";
        let csd = crate::csd::Csd::parse("x.csd", text.into()).unwrap();
        let err = parse(&csd.score).unwrap_err().to_string();
        assert!(
            err.starts_with("x.csd:8:8: error: unterminated '['"),
            "{err}"
        );
        assert!(err.contains("\n    i1 0 [1+\n         ^"), "{err}");
    }

    #[test]
    fn unterminated_comment_points_at_its_start() {
        let e = errs("i1 0 1\n  /* open\ni1 1 1");
        assert_eq!((e[0].0, e[0].1), (2, 3));
        assert!(e[0].2.contains("comment"));
    }

    #[test]
    fn unknown_statement_letter_is_reported() {
        let e = errs("i1 0 1\n  z 1 2");
        assert_eq!((e[0].0, e[0].1), (2, 3));
    }

    #[test]
    fn bad_number_points_at_the_field() {
        let e = errs("i1 0 1x2");
        assert_eq!((e[0].0, e[0].1), (1, 6));
    }

    #[test]
    fn unterminated_string_and_bracket_are_reported() {
        let e = errs("i1 0 1 \"abc\ni1 0 [1+2");
        assert_eq!((e[0].0, e[0].1), (1, 8));
        assert!(e.iter().any(|d| (d.0, d.1) == (2, 6)));
    }

    #[test]
    fn short_i_statement_without_carry_is_an_error() {
        let e = errs("i1 0 1\n i2 4");
        assert_eq!((e[0].0, e[0].1), (2, 2));
    }

    #[test]
    fn several_errors_are_collected() {
        let e = errs("i1 0 3z\nw 3\ni1 [1+] 1\nt 0 -5");
        let at: Vec<(u32, u32)> = e.iter().map(|d| (d.0, d.1)).collect();
        for want in [(1, 1), (1, 6), (2, 1), (3, 7), (4, 5)] {
            assert!(at.contains(&want), "{want:?} missing from {e:?}");
        }
    }

    #[test]
    fn runaway_macros_and_loops_stop_with_an_error() {
        let e = errs("#define A #$A $A#\ni1 0 1 $A");
        assert!(!e.is_empty() && e.len() <= MAX_ERRORS);
        let e = errs("{ 100000 A\n{ 100000 B\n{ 100000 C\ni1 0 1\n}\n}\n}");
        assert!(e.iter().any(|d| d.2.contains("too much")), "{e:?}");
    }

    #[test]
    fn garbage_never_panics() {
        let alphabet: Vec<char> = "if eastqbxvmnrc0123456789.+-^<>()~![]{}\"$#;/*\n\t@%npNAME"
            .chars()
            .collect();
        let mut seed: u64 = 12345;
        for _ in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 33) as usize % 60;
            let mut text = String::new();
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let _ = parse(&src(&text));
        }
        let bytes: Vec<u8> = (0..2000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let _ = parse(&src(&String::from_utf8_lossy(&bytes)));
    }
}
