//! Orchestra text -> [`Orchestra`] syntax tree: runs the preprocessor and
//! lexer, then a recursive-descent parser with Csound 6's operator precedence.
//!
//! Precedence, from loosest to tightest (as Csound 6.18 actually evaluates):
//! `?:`, then `||` and `&&` (one level, left to right), then the comparisons
//! `== != < <= > >=` (one level), `|`, `&`, `<< >>`, `+ -`, `* / %`, `^`
//! (left associative), `#` (xor), and the unary `- + ! ~`.

use std::sync::Arc;

use super::ast::*;
use super::lexer::{Tok, Token, lex};
use super::preprocess::{Preprocessed, preprocess};
use crate::diag::{Diagnostic, Diagnostics, Pos, SourceFile};

/// Parse an orchestra. `source` holds the text (macros and `#include`
/// resolved relative to `source.name`'s directory). All problems found are
/// reported together, one diagnostic each.
pub fn parse(source: &Arc<SourceFile>) -> Result<Orchestra, Diagnostics> {
    let (pre, mut diags) = preprocess(source);
    let (toks, lex_diags) = lex(&pre);
    diags.extend(lex_diags);
    let mut p = Parser {
        toks,
        i: 0,
        pre: &pre,
        diags,
        depth: 0,
        levels: 0,
    };
    let mut orc = p.orchestra();
    orc.source_name = source.name.clone();
    if p.diags.is_empty() {
        Ok(orc)
    } else {
        Err(Diagnostics(p.diags))
    }
}

type PResult<T> = Result<T, Diagnostic>;

/// Words that open or close blocks; they end a statement list.
const BLOCK_END: [&str; 9] = [
    "instr", "endin", "opcode", "endop", "elseif", "else", "endif", "od", "enduntil",
];

/// Opcodes with outputs that are commonly called without arguments and whose
/// names look like variables (`ain xin`).
const NO_ARG_OPCODES: [&str; 18] = [
    "xin",
    "in",
    "ins",
    "inq",
    "inh",
    "ino",
    "inx",
    "in32",
    "inch",
    "timek",
    "timeinstk",
    "timeinsts",
    "times",
    "aftouch",
    "active",
    "inz",
    "filebit",
    "adsynt",
];

struct Parser<'a> {
    toks: Vec<Token>,
    i: usize,
    pre: &'a Preprocessed,
    diags: Vec<Diagnostic>,
    /// Current nesting of expressions and blocks, to refuse absurd depth
    /// instead of overflowing the stack.
    depth: usize,
    /// Depth of the expression tree being built: nesting plus the operators
    /// of the chains around (`1 + 1 + ... + 1` is a tree as deep as it is
    /// long, which the compiler walks recursively).
    levels: usize,
}

/// How deeply expressions and blocks may nest.
const MAX_NESTING: usize = 100;
/// How deep an expression tree may be (see `Parser::levels`).
const MAX_LEVELS: usize = 1000;

/// A variable-looking name: starts with a Csound type letter (`i k a S`),
/// optionally after `g`. (`f` and `w` are left out: many opcode names start
/// with them, few variables.)
fn var_like(name: &str) -> bool {
    let b = name.as_bytes();
    let t = |c: u8| matches!(c, b'i' | b'k' | b'a' | b'S');
    match b {
        [b'g', c, ..] if t(*c) => true,
        [c, ..] => t(*c) || (*c == b'p' && b.len() > 1 && b[1..].iter().all(u8::is_ascii_digit)),
        [] => false,
    }
}

fn pfield(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('p')?;
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

impl<'a> Parser<'a> {
    // ---- token helpers ----

    fn tok(&self, k: usize) -> &Token {
        let idx = (self.i + k).min(self.toks.len() - 1);
        &self.toks[idx]
    }

    fn peek(&self) -> &Tok {
        &self.tok(0).tok
    }

    fn pos(&self) -> Pos {
        self.pre.pos(self.tok(0).loc)
    }

    fn bump(&mut self) -> Token {
        let t = self.tok(0).clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    fn is_op(&self, k: usize, op: &str) -> bool {
        matches!(&self.tok(k).tok, Tok::Op(o) if *o == op)
    }

    fn ident_at(&self, k: usize) -> Option<&str> {
        match &self.tok(k).tok {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }

    fn is_word(&self, k: usize, w: &str) -> bool {
        self.ident_at(k) == Some(w)
    }

    fn at_eol(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::Eof)
    }

    fn unexpected(&self, expected: &str) -> Diagnostic {
        let t = self.tok(0);
        let msg = match t.tok {
            Tok::Newline | Tok::Eof => format!("unexpected {}, expected {expected}", t.describe()),
            _ => format!("unexpected token {}, expected {expected}", t.describe()),
        };
        Diagnostic::error_at(&self.pos(), msg)
    }

    fn expect_op(&mut self, op: &str, expected: &str) -> PResult<()> {
        if self.is_op(0, op) {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn expect_ident(&mut self, expected: &str) -> PResult<(String, Pos)> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Ident(s) => {
                self.bump();
                Ok((s, pos))
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn expect_eol(&mut self) -> PResult<()> {
        match self.peek() {
            Tok::Newline => {
                self.bump();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => Err(self.unexpected("end of line")),
        }
    }

    fn skip_line(&mut self) {
        while !matches!(self.peek(), Tok::Newline | Tok::Eof) {
            self.bump();
        }
        if matches!(self.peek(), Tok::Newline) {
            self.bump();
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) {
            self.bump();
        }
    }

    // ---- top level ----

    fn orchestra(&mut self) -> Orchestra {
        let mut orc = Orchestra::default();
        loop {
            let (stmts, end) = self.block(&[]);
            orc.global.extend(stmts);
            match end.as_deref() {
                None => break,
                Some("instr") => {
                    if let Some(def) = self.instr() {
                        orc.instruments.push(def);
                    }
                }
                Some("opcode") => {
                    if let Some(def) = self.udo() {
                        orc.udos.push(def);
                    }
                }
                Some(other) => {
                    let msg = match other {
                        "endin" => "\"endin\" without \"instr\"",
                        "endop" => "\"endop\" without \"opcode\"",
                        "endif" | "else" | "elseif" => "\"{other}\" without \"if\"",
                        _ => "\"od\" without \"while\" or \"until\"",
                    };
                    let msg = msg.replace("{other}", other);
                    self.diags.push(Diagnostic::error_at(&self.pos(), msg));
                    self.skip_line();
                }
            }
        }
        orc
    }

    /// Statements up to (not including) a block keyword or the end.
    /// Returns the keyword found (`None` at end of input). Keywords in
    /// `inner` end the block; other closing words that do not belong here are
    /// reported and skipped unless they are `instr`/`endin`/`opcode`/`endop`.
    fn block(&mut self, inner: &[&str]) -> (Vec<Stmt>, Option<String>) {
        let mut stmts = Vec::new();
        loop {
            self.skip_newlines();
            if matches!(self.peek(), Tok::Eof) {
                return (stmts, None);
            }
            if let Some(w) = self.ident_at(0)
                && BLOCK_END.contains(&w)
            {
                // `enduntil` is an old spelling of `od`.
                let w = if w == "enduntil" { "od" } else { w }.to_string();
                let structural = matches!(w.as_str(), "instr" | "endin" | "opcode" | "endop");
                if inner.contains(&w.as_str()) || structural || inner.is_empty() {
                    return (stmts, Some(w));
                }
                let msg = if w == "od" {
                    "\"od\" without \"while\" or \"until\"".to_string()
                } else {
                    format!("\"{w}\" without \"if\"")
                };
                self.diags.push(Diagnostic::error_at(&self.pos(), msg));
                self.skip_line();
                continue;
            }
            if let Some(w) = self.ident_at(0)
                && matches!(w, "loop_lt" | "loop_le" | "loop_gt" | "loop_ge")
            {
                match self.loop_stmt() {
                    Ok(pair) => stmts.extend(pair),
                    Err(d) => {
                        self.diags.push(d);
                        self.skip_line();
                    }
                }
                continue;
            }
            match self.statement() {
                Ok(Some(s)) => stmts.push(s),
                Ok(None) => {}
                Err(d) => {
                    self.diags.push(d);
                    self.skip_line();
                }
            }
        }
    }

    fn instr(&mut self) -> Option<InstrDef> {
        let pos = self.pos();
        self.bump(); // instr
        let mut ids = Vec::new();
        let header = (|| -> PResult<()> {
            loop {
                let p = self.pos();
                match self.peek().clone() {
                    Tok::Number(n) => {
                        self.bump();
                        if n.fract() != 0.0 || n < 0.0 {
                            return Err(Diagnostic::error_at(
                                &p,
                                format!("instrument number must be a positive integer, not {n}"),
                            ));
                        }
                        ids.push(InstrId::Number(n as i64));
                    }
                    Tok::Ident(name) => {
                        self.bump();
                        ids.push(InstrId::Name { name, plus: false });
                    }
                    Tok::Op("+") => {
                        self.bump();
                        let (name, _) = self.expect_ident("an instrument name after '+'")?;
                        ids.push(InstrId::Name { name, plus: true });
                    }
                    _ => return Err(self.unexpected("an instrument number or name")),
                }
                if self.is_op(0, ",") {
                    self.bump();
                } else {
                    return self.expect_eol();
                }
            }
        })();
        if let Err(d) = header {
            self.diags.push(d);
            self.skip_line();
        }
        let body = self.body_until("endin", &pos, "instr");
        Some(InstrDef { ids, body, pos })
    }

    /// The body of an instrument or UDO, up to `end` (consumed if present).
    fn body_until(&mut self, end: &str, start: &Pos, what: &str) -> Vec<Stmt> {
        let mut body = Vec::new();
        loop {
            let (stmts, found) = self.block(&["endin", "endop"]);
            body.extend(stmts);
            match found.as_deref() {
                Some(w) if w == end => {
                    self.bump();
                    if let Err(d) = self.expect_eol() {
                        self.diags.push(d);
                        self.skip_line();
                    }
                    return body;
                }
                Some("endin") | Some("endop") => {
                    let w = found.unwrap_or_default();
                    self.diags.push(Diagnostic::error_at(
                        &self.pos(),
                        format!("\"{w}\" inside \"{what}\" (expected \"{end}\")"),
                    ));
                    self.skip_line();
                }
                _ => {
                    self.diags.push(Diagnostic::error_at(
                        start,
                        format!("missing \"{end}\" for this \"{what}\""),
                    ));
                    return body;
                }
            }
        }
    }

    fn type_string(&mut self, stop_at_comma: bool) -> PResult<String> {
        let mut s = String::new();
        loop {
            match self.peek().clone() {
                Tok::Ident(w) => s.push_str(&w),
                Tok::Number(n) if n.fract() == 0.0 && n >= 0.0 => {
                    s.push_str(&(n as u64).to_string())
                }
                Tok::Op(o) if o == "[" || o == "]" || o == ":" => s.push_str(o),
                Tok::Op(",") if stop_at_comma => break,
                Tok::Newline | Tok::Eof if !stop_at_comma => break,
                _ => return Err(self.unexpected("a type string such as \"aki\" or \"0\"")),
            }
            self.bump();
        }
        if s.is_empty() {
            return Err(self.unexpected("a type string such as \"aki\" or \"0\""));
        }
        Ok(s)
    }

    fn udo(&mut self) -> Option<UdoDef> {
        let pos = self.pos();
        self.bump(); // opcode
        let header = (|| -> PResult<(String, String, String)> {
            let (name, _) = self.expect_ident("the name of the user-defined opcode")?;
            self.expect_op(",", "',' after the opcode name")?;
            let outs = self.type_string(true)?;
            self.expect_op(",", "',' after the output types")?;
            let ins = self.type_string(false)?;
            self.expect_eol()?;
            Ok((name, outs, ins))
        })();
        let (name, out_types, in_types) = match header {
            Ok(h) => h,
            Err(d) => {
                self.diags.push(d);
                self.skip_line();
                (String::new(), String::new(), String::new())
            }
        };
        let body = self.body_until("endop", &pos, "opcode");
        Some(UdoDef {
            name,
            out_types,
            in_types,
            body,
            pos,
        })
    }

    // ---- statements ----

    /// One statement, including its end of line. `Ok(None)` for nothing.
    fn statement(&mut self) -> PResult<Option<Stmt>> {
        let pos = self.pos();
        let first = match self.peek().clone() {
            Tok::Label(name) => {
                self.bump();
                return Ok(Some(Stmt::Label { name, pos }));
            }
            Tok::Ident(w) => w,
            Tok::Newline => {
                self.bump();
                return Ok(None);
            }
            _ => return Err(self.unexpected("a statement")),
        };
        match first.as_str() {
            "if" => return self.nested(|p| p.if_stmt()).map(Some),
            "while" | "until" => {
                return self.nested(|p| p.while_stmt(first == "until")).map(Some);
            }
            "goto" | "igoto" | "kgoto" => {
                self.bump();
                let (label, _) = self.expect_ident("a label")?;
                self.expect_eol()?;
                return Ok(Some(Stmt::Goto {
                    kind: goto_kind(&first),
                    label,
                    pos,
                }));
            }
            "cggoto" | "cigoto" | "ckgoto" | "cngoto" => {
                self.bump();
                let mut cond = self.expr(true)?;
                self.expect_op(",", "',' before the label")?;
                let (label, _) = self.expect_ident("a label")?;
                self.expect_eol()?;
                let kind = match first.as_str() {
                    "cggoto" => GotoKind::Both,
                    "cigoto" => GotoKind::Init,
                    _ => GotoKind::Perf,
                };
                if first == "cngoto" {
                    cond = Expr::Unary {
                        op: UnOp::Not,
                        arg: Box::new(cond),
                        pos: pos.clone(),
                    };
                }
                return Ok(Some(Stmt::CondGoto {
                    cond,
                    kind,
                    label,
                    pos,
                }));
            }
            "then" | "ithen" | "kthen" | "do" => {
                return Err(Diagnostic::error_at(
                    &pos,
                    format!("unexpected \"{first}\" at the start of a statement"),
                ));
            }
            _ => {}
        }
        self.generic_statement(pos).map(Some)
    }

    /// `loop_lt indx, incr, imax, label` and `loop_le`: `indx += incr`, then
    /// jump to the label while `indx` is below (or at most) `imax`;
    /// `loop_gt indx, idecr, imin, label` and `loop_ge` count down:
    /// `indx -= idecr` while above (or at least) `imin`. An i-rate index
    /// loops at init time, a k-rate one at performance time, as csound's
    /// i and k forms do.
    fn loop_stmt(&mut self) -> PResult<[Stmt; 2]> {
        let pos = self.pos();
        let (word, _) = self.expect_ident("loop_lt, loop_le, loop_gt or loop_ge")?;
        let (index, index_pos) = self.expect_ident("the loop's index variable")?;
        let bare = index.strip_prefix('g').unwrap_or(&index);
        let kind = match bare.chars().next() {
            Some('i') => GotoKind::Init,
            Some('k') => GotoKind::Perf,
            _ => {
                return Err(Diagnostic::error_at(
                    &index_pos,
                    format!("{word}: the index must be an i- or k-rate variable, not '{index}'"),
                ));
            }
        };
        self.expect_op(",", "',' after the index")?;
        let incr = self.expr(false)?;
        self.expect_op(",", "',' after the increment")?;
        let limit = self.expr(false)?;
        self.expect_op(",", "',' before the label")?;
        let (label, _) = self.expect_ident("a label")?;
        self.expect_eol()?;
        let op = match word.as_str() {
            "loop_lt" => BinOp::Lt,
            "loop_le" => BinOp::Le,
            "loop_gt" => BinOp::Gt,
            _ => BinOp::Ge,
        };
        let step = Stmt::Assign {
            target: LValue {
                name: index.clone(),
                index: Vec::new(),
                array_dims: 0,
                type_hint: None,
                pos: index_pos.clone(),
            },
            op: if matches!(op, BinOp::Lt | BinOp::Le) {
                AssignOp::Add
            } else {
                AssignOp::Sub
            },
            value: incr,
            pos: pos.clone(),
        };
        let test = Stmt::CondGoto {
            cond: Expr::Binary {
                op,
                left: Box::new(Expr::Var(index, index_pos)),
                right: Box::new(limit),
                pos: pos.clone(),
            },
            kind,
            label,
            pos,
        };
        Ok([step, test])
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        self.bump(); // if
        let cond = self.expr(true)?;
        let word = self
            .ident_at(0)
            .map(str::to_string)
            .ok_or_else(|| self.unexpected("\"then\" or \"goto\""))?;
        match word.as_str() {
            "goto" | "igoto" | "kgoto" => {
                self.bump();
                let (label, _) = self.expect_ident("a label")?;
                self.expect_eol()?;
                Ok(Stmt::CondGoto {
                    cond,
                    kind: goto_kind(&word),
                    label,
                    pos,
                })
            }
            "then" | "ithen" | "kthen" => {
                self.bump();
                self.expect_eol()?;
                let init_only = word == "ithen";
                let mut branches = Vec::new();
                let mut otherwise = None;
                let mut cond = cond;
                loop {
                    let (body, end) = self.block(&["elseif", "else", "endif"]);
                    match end.as_deref() {
                        Some("elseif") if otherwise.is_none() => {
                            branches.push((cond, body));
                            self.bump();
                            cond = match self.elseif_header() {
                                Ok(c) => c,
                                Err(d) => {
                                    self.diags.push(d);
                                    self.skip_line();
                                    Expr::Number(0.0, pos.clone())
                                }
                            };
                        }
                        Some("else") if otherwise.is_none() => {
                            branches.push((cond.clone(), body));
                            self.bump();
                            if let Err(d) = self.expect_eol() {
                                self.diags.push(d);
                                self.skip_line();
                            }
                            otherwise = Some(Vec::new());
                        }
                        Some("endif") => {
                            match otherwise.as_mut() {
                                Some(o) => o.extend(body),
                                None => branches.push((cond, body)),
                            }
                            self.bump();
                            self.expect_eol()?;
                            return Ok(Stmt::If {
                                branches,
                                otherwise,
                                init_only,
                                pos,
                            });
                        }
                        Some(w @ ("elseif" | "else")) => {
                            self.diags.push(Diagnostic::error_at(
                                &self.pos(),
                                format!("\"{w}\" after \"else\""),
                            ));
                            self.skip_line();
                            if let Some(o) = otherwise.as_mut() {
                                o.extend(body);
                            }
                        }
                        _ => {
                            match otherwise.as_mut() {
                                Some(o) => o.extend(body),
                                None => branches.push((cond, body)),
                            }
                            self.diags.push(Diagnostic::error_at(
                                &pos,
                                "missing \"endif\" for this \"if\"",
                            ));
                            return Ok(Stmt::If {
                                branches,
                                otherwise,
                                init_only,
                                pos,
                            });
                        }
                    }
                }
            }
            _ => Err(self.unexpected("\"then\" or \"goto\"")),
        }
    }

    fn elseif_header(&mut self) -> PResult<Expr> {
        let c = self.expr(true)?;
        if matches!(self.ident_at(0), Some("then" | "ithen" | "kthen")) {
            self.bump();
            self.expect_eol()?;
            Ok(c)
        } else {
            Err(self.unexpected("\"then\""))
        }
    }

    fn while_stmt(&mut self, until: bool) -> PResult<Stmt> {
        let pos = self.pos();
        self.bump();
        let cond = self.expr(true)?;
        if !self.is_word(0, "do") {
            return Err(self.unexpected("\"do\""));
        }
        self.bump();
        self.expect_eol()?;
        let (body, end) = self.block(&["od"]);
        if end.as_deref() == Some("od") {
            self.bump();
            self.expect_eol()?;
        } else {
            let what = if until { "until" } else { "while" };
            self.diags.push(Diagnostic::error_at(
                &pos,
                format!("missing \"od\" for this \"{what}\""),
            ));
        }
        Ok(Stmt::While {
            cond,
            body,
            until,
            pos,
        })
    }

    /// `name:T` right here: `:` and a one-letter rate glued to the name.
    fn rate_suffix_at(&self, k: usize) -> bool {
        self.is_op(k, ":")
            && !self.tok(k).space_before
            && !self.tok(k + 1).space_before
            && self.ident_at(k + 1).is_some_and(|t| t.len() == 1)
    }

    /// Assignments and opcode calls.
    fn generic_statement(&mut self, pos: Pos) -> PResult<Stmt> {
        // How many tokens the first word takes (`name` or `name:k`).
        let w = if self.rate_suffix_at(1) { 3 } else { 1 };
        let after = self.tok(w).tok.clone();
        let assign_next = |t: &Tok| matches!(t, Tok::Op("=" | "+=" | "-=" | "*=" | "/="));
        if assign_next(&after) || matches!(after, Tok::Op("[" | ",")) {
            // Outputs (one or more), then `=` or an opcode.
            let mut outs = vec![self.lvalue()?];
            if let Some(op) = self.assign_op() {
                let value = self.expr(false)?;
                self.expect_eol()?;
                let target = outs.pop().unwrap_or_else(|| unreachable_lvalue(&pos));
                return Ok(Stmt::Assign {
                    target,
                    op,
                    value,
                    pos,
                });
            }
            while self.is_op(0, ",") {
                self.bump();
                outs.push(self.lvalue()?);
            }
            if self.assign_op().is_some() {
                return Err(Diagnostic::error_at(
                    &pos,
                    "an assignment with '=' has exactly one target",
                ));
            }
            return self.opcode_call(outs, pos);
        }
        if w == 1 && self.is_op(1, "(") && !self.tok(1).space_before {
            // `opname(args)` as a whole statement, else `opname (expr)...`.
            let save = self.i;
            let name = self.expect_ident("an opcode")?.0;
            if let Ok(args) = self.call_args()
                && self.at_eol()
            {
                self.expect_eol()?;
                return Ok(Stmt::Opcode {
                    outputs: Vec::new(),
                    name,
                    rate_hint: None,
                    args,
                    pos,
                });
            }
            self.i = save;
            return self.opcode_call(Vec::new(), pos);
        }
        if w == 3 && self.is_op(3, "(") && !self.tok(3).space_before {
            let save = self.i;
            let name = self.expect_ident("an opcode")?.0;
            self.bump();
            let hint = self.expect_ident("a rate")?.0;
            if let Ok(args) = self.call_args()
                && self.at_eol()
            {
                self.expect_eol()?;
                return Ok(Stmt::Opcode {
                    outputs: Vec::new(),
                    name,
                    rate_hint: Some(hint),
                    args,
                    pos,
                });
            }
            self.i = save;
            return self.opcode_call(Vec::new(), pos);
        }
        if let Tok::Ident(_) = after
            && self.second_word_is_opcode(w)
        {
            let out = self.lvalue()?;
            return self.opcode_call(vec![out], pos);
        }
        self.opcode_call(Vec::new(), pos)
    }

    /// With `X Y ...` (X taking `w` tokens), decide whether Y is the opcode
    /// (X an output) or X is the opcode (Y starts its arguments).
    fn second_word_is_opcode(&self, w: usize) -> bool {
        let first = self.ident_at(0).unwrap_or("").to_string();
        let second = self.ident_at(w).unwrap_or("").to_string();
        let k = w + 1;
        let next = &self.tok(k);
        match &next.tok {
            // `kx lfo, 1, 2` (a stray comma after the opcode) is accepted
            // by Csound; `outs a1, a2` is the usual case.
            Tok::Op(",") => var_like(&first) && !var_like(&second) && pfield(&second).is_none(),
            Tok::Op("[") => false,
            Tok::Op("(") => next.space_before,
            Tok::Op(":") => {
                // `kx oscili:k ...` or `out Y:k(...)`.
                !(self.rate_suffix_at(k) && self.is_op(k + 2, "(") && !self.tok(k + 2).space_before)
            }
            Tok::Op("-" | "+") => next.space_before && !self.tok(k + 1).space_before,
            Tok::Op("!" | "~" | "{") => true,
            Tok::Op(_) => false,
            Tok::Newline | Tok::Eof => {
                if pfield(&second).is_some() {
                    return false;
                }
                match (var_like(&first), var_like(&second)) {
                    (true, false) => true,
                    (false, true) => false,
                    // `ftprint idest` vs `ain xin`: both look like variables,
                    // so only opcodes known to take no arguments come second.
                    (true, true) => NO_ARG_OPCODES.contains(&second.as_str()),
                    (false, false) => false,
                }
            }
            _ => true,
        }
    }

    fn assign_op(&mut self) -> Option<AssignOp> {
        let op = match self.peek() {
            Tok::Op("=") => AssignOp::Set,
            Tok::Op("+=") => AssignOp::Add,
            Tok::Op("-=") => AssignOp::Sub,
            Tok::Op("*=") => AssignOp::Mul,
            Tok::Op("/=") => AssignOp::Div,
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    /// `opname[:k] args` after the outputs.
    fn opcode_call(&mut self, outputs: Vec<LValue>, pos: Pos) -> PResult<Stmt> {
        let op_pos = self.pos();
        let (name, _) = self.expect_ident("an opcode name")?;
        let mut rate_hint = None;
        if self.rate_suffix_at(0) {
            self.bump();
            rate_hint = Some(self.expect_ident("a rate")?.0);
        }
        let mut args = Vec::new();
        if !outputs.is_empty() && self.is_op(0, ",") {
            self.bump();
        }
        if !self.at_eol() {
            args.push(self.expr(false)?);
            while self.is_op(0, ",") {
                self.bump();
                args.push(self.expr(false)?);
            }
        }
        self.expect_eol()?;
        let pos = if outputs.is_empty() { op_pos } else { pos };
        Ok(Stmt::Opcode {
            outputs,
            name,
            rate_hint,
            args,
            pos,
        })
    }

    /// `name`, `name:k`, `name[]`, `name[i][j]`.
    fn lvalue(&mut self) -> PResult<LValue> {
        let (name, pos) = self.expect_ident("a variable name")?;
        let mut type_hint = None;
        if self.rate_suffix_at(0) {
            self.bump();
            type_hint = Some(self.expect_ident("a type")?.0);
        }
        let mut index = Vec::new();
        let mut array_dims = 0;
        while self.is_op(0, "[") {
            self.bump();
            if self.is_op(0, "]") {
                self.bump();
                array_dims += 1;
                continue;
            }
            index.push(self.expr(false)?);
            self.expect_op("]", "']'")?;
        }
        if array_dims > 0 && !index.is_empty() {
            return Err(Diagnostic::error_at(
                &pos,
                "an array declaration `name[]` cannot also be indexed",
            ));
        }
        Ok(LValue {
            name,
            index,
            array_dims,
            type_hint,
            pos,
        })
    }

    // ---- expressions ----

    /// A full expression. `cond` allows `=` as equality (old `if` syntax).
    fn expr(&mut self, cond: bool) -> PResult<Expr> {
        self.nested(|p| p.expr_inner(cond))
    }

    /// Run `f` one nesting level deeper, failing if that is too deep.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_NESTING {
            return Err(Diagnostic::error_at(&self.pos(), "nesting too deep"));
        }
        self.depth += 1;
        self.levels += 1;
        let r = if self.levels > MAX_LEVELS {
            Err(self.too_long())
        } else {
            f(self)
        };
        self.levels -= 1;
        self.depth -= 1;
        r
    }

    fn too_long(&self) -> Diagnostic {
        Diagnostic::error_at(
            &self.pos(),
            format!(
                "expression too long or nested too deeply (more than {MAX_LEVELS} operators in a chain); split it into several statements"
            ),
        )
    }

    fn expr_inner(&mut self, cond: bool) -> PResult<Expr> {
        let c = self.binary(1, cond)?;
        if self.is_op(0, "?") {
            let pos = self.pos();
            self.bump();
            let then = self.expr(cond)?;
            self.expect_op(":", "':' of the ?: operator")?;
            let otherwise = self.expr(cond)?;
            return Ok(Expr::Ternary {
                cond: Box::new(c),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
                pos,
            });
        }
        Ok(c)
    }

    fn binop_here(&self, cond: bool) -> Option<(BinOp, u8)> {
        let Tok::Op(o) = self.peek() else {
            return None;
        };
        Some(match *o {
            "||" => (BinOp::Or, 1),
            "&&" => (BinOp::And, 1),
            "==" => (BinOp::Eq, 2),
            "=" if cond => (BinOp::Eq, 2),
            "!=" => (BinOp::Ne, 2),
            "<" => (BinOp::Lt, 2),
            "<=" => (BinOp::Le, 2),
            ">" => (BinOp::Gt, 2),
            ">=" => (BinOp::Ge, 2),
            "|" => (BinOp::BitOr, 3),
            "&" => (BinOp::BitAnd, 4),
            "<<" => (BinOp::Shl, 5),
            ">>" => (BinOp::Shr, 5),
            "+" => (BinOp::Add, 6),
            "-" => (BinOp::Sub, 6),
            "*" => (BinOp::Mul, 7),
            "/" => (BinOp::Div, 7),
            "%" => (BinOp::Mod, 7),
            "^" => (BinOp::Pow, 8),
            "#" => (BinOp::BitXor, 9),
            _ => return None,
        })
    }

    /// Left-associative precedence climbing from level `min` up.
    fn binary(&mut self, min: u8, cond: bool) -> PResult<Expr> {
        let mut left = self.unary(cond)?;
        // Each operator taken deepens the tree by one (the left operand
        // goes one level down): counted while the chain lasts.
        let outer = self.levels;
        let result = loop {
            let Some((op, level)) = self.binop_here(cond) else {
                break Ok(left);
            };
            if level < min {
                break Ok(left);
            }
            self.levels += 1;
            if self.levels > MAX_LEVELS {
                break Err(self.too_long());
            }
            let pos = self.pos();
            self.bump();
            let right = match self.binary(level + 1, cond) {
                Ok(r) => r,
                Err(e) => break Err(e),
            };
            left = Expr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
                pos,
            };
        };
        self.levels = outer;
        result
    }

    fn unary(&mut self, cond: bool) -> PResult<Expr> {
        let pos = self.pos();
        let op = match self.peek() {
            Tok::Op("-") => UnOp::Neg,
            Tok::Op("+") => UnOp::Plus,
            Tok::Op("!") => UnOp::Not,
            Tok::Op("~") => UnOp::BitNot,
            _ => return self.primary(cond),
        };
        self.bump();
        let arg = self.nested(|p| p.unary(cond))?;
        Ok(Expr::Unary {
            op,
            arg: Box::new(arg),
            pos,
        })
    }

    fn call_args(&mut self) -> PResult<Vec<Expr>> {
        self.expect_op("(", "'('")?;
        let mut args = Vec::new();
        if self.is_op(0, ")") {
            self.bump();
            return Ok(args);
        }
        loop {
            args.push(self.expr(false)?);
            if self.is_op(0, ",") {
                self.bump();
                continue;
            }
            self.expect_op(")", "',' or ')'")?;
            return Ok(args);
        }
    }

    fn primary(&mut self, cond: bool) -> PResult<Expr> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Number(n) => {
                self.bump();
                Ok(Expr::Number(n, pos))
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Expr::Str(s, pos))
            }
            Tok::Op("(") => {
                self.bump();
                let e = self.expr(cond)?;
                self.expect_op(")", "')'")?;
                Ok(e)
            }
            Tok::Op("[") => {
                self.bump();
                let mut items = Vec::new();
                if !self.is_op(0, "]") {
                    loop {
                        items.push(self.expr(false)?);
                        if self.is_op(0, ",") {
                            self.bump();
                            continue;
                        }
                        break;
                    }
                }
                self.expect_op("]", "',' or ']'")?;
                Ok(Expr::ArrayLit(items, pos))
            }
            Tok::Ident(name) => {
                self.bump();
                if self.is_op(0, "(") {
                    let args = self.call_args()?;
                    return Ok(Expr::Call {
                        name,
                        rate_hint: None,
                        args,
                        pos,
                    });
                }
                if self.rate_suffix_at(0) && self.is_op(2, "(") && !self.tok(2).space_before {
                    self.bump();
                    let hint = self.expect_ident("a rate")?.0;
                    let args = self.call_args()?;
                    return Ok(Expr::Call {
                        name,
                        rate_hint: Some(hint),
                        args,
                        pos,
                    });
                }
                if self.is_op(0, "[") {
                    let mut index = Vec::new();
                    while self.is_op(0, "[") {
                        self.bump();
                        index.push(self.expr(false)?);
                        self.expect_op("]", "']'")?;
                    }
                    return Ok(Expr::Index { name, index, pos });
                }
                if let Some(n) = pfield(&name) {
                    return Ok(Expr::PField(n, pos));
                }
                Ok(Expr::Var(name, pos))
            }
            _ => Err(self.unexpected("an expression")),
        }
    }
}

fn goto_kind(word: &str) -> GotoKind {
    match word {
        "igoto" => GotoKind::Init,
        "kgoto" => GotoKind::Perf,
        _ => GotoKind::Both,
    }
}

fn unreachable_lvalue(pos: &Pos) -> LValue {
    LValue {
        name: String::new(),
        index: Vec::new(),
        array_dims: 0,
        type_hint: None,
        pos: pos.clone(),
    }
}

#[cfg(test)]
mod tests;
