//! The orchestra's syntax tree: what the parser produces and the compiler reads.
//!
//! Every node that can be wrong carries a [`Pos`] so compile errors point at it.

use crate::diag::Pos;

/// A whole orchestra after preprocessing and parsing.
#[derive(Clone, Debug, Default)]
pub struct Orchestra {
    /// Statements outside any instrument ("instrument 0"): header assignments
    /// (`sr = 48000`), globals, `ftgen`, `print`, in source order.
    pub global: Vec<Stmt>,
    /// Instrument definitions, in source order.
    pub instruments: Vec<InstrDef>,
    /// User-defined opcodes, in source order.
    pub udos: Vec<UdoDef>,
    /// The name of the file the orchestra was read from (sound files and
    /// GEN01 resolve relative names against its directory).
    pub source_name: String,
}

/// `instr 1`, `instr Name`, `instr 1, 2, Name` ... `endin`.
#[derive(Clone, Debug)]
pub struct InstrDef {
    pub ids: Vec<InstrId>,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum InstrId {
    Number(i64),
    /// A named instrument; `+Name` in the source is recorded with `plus: true`.
    Name {
        name: String,
        plus: bool,
    },
}

/// `opcode Name, outtypes, intypes` ... `endop`.
#[derive(Clone, Debug)]
pub struct UdoDef {
    pub name: String,
    /// Output type string as written, e.g. `"a"`, `"kk"`, `"0"` for none.
    pub out_types: String,
    /// Input type string as written, e.g. `"aki"`, `"0"` for none.
    pub in_types: String,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}

/// One statement of an instrument, UDO or instrument 0.
#[derive(Clone, Debug)]
pub enum Stmt {
    /// `out1, out2 opname arg1, arg2` or `opname arg1` (no outputs) or
    /// `out = opname:k(args)` is NOT this (that is an Assign with a Call).
    Opcode {
        outputs: Vec<LValue>,
        name: String,
        /// The `:k` of `oscili:k ...` when written in opcode position.
        rate_hint: Option<String>,
        args: Vec<Expr>,
        pos: Pos,
    },
    /// `x = expr`, `x += expr`, ... and the multi-target `a1, a2 = ...` is not
    /// valid Csound, so there is exactly one target.
    Assign {
        target: LValue,
        op: AssignOp,
        value: Expr,
        pos: Pos,
    },
    /// `if c then ... elseif c then ... else ... endif` (also `ithen`).
    If {
        branches: Vec<(Expr, Vec<Stmt>)>,
        otherwise: Option<Vec<Stmt>>,
        /// `ithen` forces an init-time-only test.
        init_only: bool,
        pos: Pos,
    },
    /// `if c goto label` / `igoto` / `kgoto`, and `cigoto`/`ckgoto`/`cggoto` when
    /// written as opcodes with a condition.
    CondGoto {
        cond: Expr,
        kind: GotoKind,
        label: String,
        pos: Pos,
    },
    /// `goto label`, `igoto label`, `kgoto label`.
    Goto {
        kind: GotoKind,
        label: String,
        pos: Pos,
    },
    /// `label:`
    Label { name: String, pos: Pos },
    /// `while c do ... od` and `until c do ... od` (`until: true`).
    While {
        cond: Expr,
        body: Vec<Stmt>,
        until: bool,
        pos: Pos,
    },
}

/// Which passes a jump applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GotoKind {
    /// `goto`: both init and performance.
    Both,
    /// `igoto`: init pass only.
    Init,
    /// `kgoto`: performance pass only.
    Perf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Set,
    Add,
    Sub,
    Mul,
    Div,
}

/// Something that can be written to: a variable, an array element, or an
/// array declaration (`kArr[]`).
#[derive(Clone, Debug)]
pub struct LValue {
    pub name: String,
    /// `kArr[i]` (one index per dimension).
    pub index: Vec<Expr>,
    /// `kArr[]` (declaration: as many dimensions as the count).
    pub array_dims: usize,
    /// Explicit type annotation from the new syntax `name:k`, if any.
    pub type_hint: Option<String>,
    pub pos: Pos,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    // Bitwise operators (`&`, `|`, `#` xor, `<<`, `>>`)
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Plus,
    Not,
    BitNot,
}

#[derive(Clone, Debug)]
pub enum Expr {
    Number(f64, Pos),
    Str(String, Pos),
    /// A variable reference: `kx`, `gaSig`, `iamp`, `sr`, `p4` is a [`Expr::PField`].
    Var(String, Pos),
    /// `p4` (number) ; `p(i)` is a Call.
    PField(u32, Pos),
    /// `kArr[i]`, `kArr[i][j]`.
    Index {
        name: String,
        index: Vec<Expr>,
        pos: Pos,
    },
    Unary {
        op: UnOp,
        arg: Box<Expr>,
        pos: Pos,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
        pos: Pos,
    },
    /// `c ? a : b`
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
        pos: Pos,
    },
    /// `name(args)` or `name:k(args)`: function-call syntax for opcodes and
    /// value converters (`cpspch(8.00)`, `oscili:a(1, 440)`, `int(x)`, `k(ix)`).
    Call {
        name: String,
        rate_hint: Option<String>,
        args: Vec<Expr>,
        pos: Pos,
    },
    /// `[a, b, c]` array literal (rare; used by some array code).
    ArrayLit(Vec<Expr>, Pos),
}

impl Expr {
    pub fn pos(&self) -> &Pos {
        match self {
            Expr::Number(_, p)
            | Expr::Str(_, p)
            | Expr::Var(_, p)
            | Expr::PField(_, p)
            | Expr::ArrayLit(_, p) => p,
            Expr::Index { pos, .. }
            | Expr::Unary { pos, .. }
            | Expr::Binary { pos, .. }
            | Expr::Ternary { pos, .. }
            | Expr::Call { pos, .. } => pos,
        }
    }
}
