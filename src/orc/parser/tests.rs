//! Tests for the orchestra preprocessor, lexer and parser.

use std::sync::Arc;

use super::parse;
use crate::diag::{Diagnostics, SourceFile};
use crate::orc::ast::*;

fn src(text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        name: "test.orc".into(),
        text: text.into(),
    })
}

fn ok(text: &str) -> Orchestra {
    match parse(&src(text)) {
        Ok(o) => o,
        Err(e) => panic!("parse failed:\n{e}"),
    }
}

fn err(text: &str) -> Diagnostics {
    match parse(&src(text)) {
        Ok(o) => panic!("expected an error, got {o:?}"),
        Err(e) => e,
    }
}

#[test]
fn example_corpus_parses() {
    let dir = std::path::Path::new("/usr/share/doc/csound-doc/html/examples");
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("no Csound examples installed; skipping");
        return;
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csd"))
        .collect();
    paths.sort();
    let (mut total, mut good) = (0, 0);
    for path in &paths {
        let Ok(csd) = crate::csd::Csd::read(path) else {
            continue;
        };
        total += 1;
        match parse(&csd.orchestra) {
            Ok(_) => good += 1,
            Err(e) => eprintln!("{}", e.0[0]),
        }
    }
    eprintln!("parsed {good} of {total} example orchestras");
    assert!(good * 100 >= total * 97, "only {good} of {total} parse");
}

/// Review aid, not a check: writes every opcode statement of the example
/// corpus (name, output count, first output, file) to /tmp/opnames.txt so
/// misread statements (an output taken for an opcode) can be spotted.
#[test]
#[ignore]
fn dump_opcode_names() {
    fn walk(stmts: &[Stmt], out: &mut Vec<String>) {
        for s in stmts {
            match s {
                Stmt::Opcode { name, outputs, .. } => out.push(format!(
                    "{name} {} {}",
                    outputs.len(),
                    outputs.first().map(|o| o.name.as_str()).unwrap_or("-")
                )),
                Stmt::If {
                    branches,
                    otherwise,
                    ..
                } => {
                    for (_, b) in branches {
                        walk(b, out);
                    }
                    if let Some(o) = otherwise {
                        walk(o, out);
                    }
                }
                Stmt::While { body, .. } => walk(body, out),
                _ => {}
            }
        }
    }
    let dir = std::path::Path::new("/usr/share/doc/csound-doc/html/examples");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let Ok(csd) = crate::csd::Csd::read(&p) else {
            continue;
        };
        if let Ok(o) = parse(&csd.orchestra) {
            let mut names = Vec::new();
            walk(&o.global, &mut names);
            for i in &o.instruments {
                walk(&i.body, &mut names);
            }
            for u in &o.udos {
                walk(&u.body, &mut names);
                names.push(format!("UDO {}", u.name));
            }
            for n in names {
                out.push(format!("{n} {}", p.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    std::fs::write("/tmp/opnames.txt", out.join("\n")).unwrap();
}

fn global_stmt(text: &str) -> Stmt {
    let orc = ok(text);
    assert_eq!(orc.global.len(), 1, "{:?}", orc.global);
    orc.global.into_iter().next().unwrap()
}

fn assigned(text: &str) -> Expr {
    match global_stmt(text) {
        Stmt::Assign { value, .. } => value,
        s => panic!("not an assignment: {s:?}"),
    }
}

/// A compact rendering of an expression tree for comparisons.
fn show(e: &Expr) -> String {
    match e {
        Expr::Number(n, _) => format!("{n}"),
        Expr::Str(s, _) => format!("{s:?}"),
        Expr::Var(v, _) => v.clone(),
        Expr::PField(n, _) => format!("p{n}"),
        Expr::Index { name, index, .. } => {
            let ix: Vec<_> = index.iter().map(show).collect();
            format!("{name}[{}]", ix.join("]["))
        }
        Expr::Unary { op, arg, .. } => format!("({op:?} {})", show(arg)),
        Expr::Binary {
            op, left, right, ..
        } => format!("({} {op:?} {})", show(left), show(right)),
        Expr::Ternary {
            cond,
            then,
            otherwise,
            ..
        } => format!("({} ? {} : {})", show(cond), show(then), show(otherwise)),
        Expr::Call {
            name,
            rate_hint,
            args,
            ..
        } => {
            let a: Vec<_> = args.iter().map(show).collect();
            let hint = rate_hint
                .as_ref()
                .map(|h| format!(":{h}"))
                .unwrap_or_default();
            format!("{name}{hint}({})", a.join(", "))
        }
        Expr::ArrayLit(items, _) => {
            let a: Vec<_> = items.iter().map(show).collect();
            format!("[{}]", a.join(", "))
        }
    }
}

fn expr_of(text: &str) -> String {
    show(&assigned(&format!("ix = {text}\n")))
}

#[test]
fn multiplication_binds_tighter_than_addition() {
    assert_eq!(expr_of("1 + 2 * 3"), "(1 Add (2 Mul 3))");
}

#[test]
fn power_binds_tighter_than_multiplication() {
    assert_eq!(expr_of("2 * 3 ^ 2"), "(2 Mul (3 Pow 2))");
}

#[test]
fn power_is_left_associative_like_csound() {
    assert_eq!(expr_of("2 ^ 3 ^ 2"), "((2 Pow 3) Pow 2)");
}

#[test]
fn unary_minus_binds_tighter_than_power() {
    assert_eq!(expr_of("-2 ^ 2"), "((Neg 2) Pow 2)");
}

#[test]
fn xor_binds_tighter_than_power_and_and() {
    assert_eq!(expr_of("2 # 3 ^ 2"), "((2 BitXor 3) Pow 2)");
    assert_eq!(expr_of("6 & 3 # 1"), "(6 BitAnd (3 BitXor 1))");
}

#[test]
fn bitwise_or_binds_tighter_than_comparison() {
    assert_eq!(
        expr_of("(1 | 2 == 2) ? 1 : 0"),
        "(((1 BitOr 2) Eq 2) ? 1 : 0)"
    );
}

#[test]
fn shift_is_looser_than_addition() {
    assert_eq!(expr_of("1 + 1 << 2"), "((1 Add 1) Shl 2)");
}

#[test]
fn logical_and_or_share_one_level_left_to_right() {
    assert_eq!(
        expr_of("(ia < 1 || ib < 1 && ic < 1) ? 1 : 0"),
        "((((ia Lt 1) Or (ib Lt 1)) And (ic Lt 1)) ? 1 : 0)"
    );
}

#[test]
fn ternary_is_lowest_precedence() {
    assert_eq!(
        expr_of("ia > 1 ? ib + 1 : ic * 2"),
        "((ia Gt 1) ? (ib Add 1) : (ic Mul 2))"
    );
}

#[test]
fn nested_ternary_groups_to_the_right() {
    assert_eq!(expr_of("ia ? 1 : ib ? 2 : 3"), "(ia ? 1 : (ib ? 2 : 3))");
}

#[test]
fn numbers_in_all_spellings() {
    assert_eq!(
        expr_of(".5 + 1e-3 + 0x1F + 2.5E2"),
        "(((0.5 Add 0.001) Add 31) Add 250)"
    );
}

#[test]
fn function_calls_with_and_without_rate_hints() {
    assert_eq!(
        expr_of("cpspch(8.00) + oscili:a(1, 440)"),
        "(cpspch(8) Add oscili:a(1, 440))"
    );
    assert_eq!(expr_of("k(ix)"), "k(ix)");
}

#[test]
fn pfields_and_array_indexing_in_expressions() {
    assert_eq!(expr_of("p4 * iArr[2][p5]"), "(p4 Mul iArr[2][p5])");
}

#[test]
fn string_escapes_are_decoded() {
    match assigned("Sx = \"a\\tb\\n\\\"q\\\" \\\\\"\n") {
        Expr::Str(s, _) => assert_eq!(s, "a\tb\n\"q\" \\"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn braced_strings_span_lines() {
    match assigned("Sx = {{line one\nline two}}\n") {
        Expr::Str(s, _) => assert_eq!(s, "line one\nline two"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn zero_dbfs_is_a_header_variable() {
    match global_stmt("0dbfs = 1\n") {
        Stmt::Assign { target, .. } => assert_eq!(target.name, "0dbfs"),
        s => panic!("{s:?}"),
    }
}

fn opcode(stmt: &Stmt) -> (Vec<String>, String, Vec<String>) {
    match stmt {
        Stmt::Opcode {
            outputs,
            name,
            args,
            ..
        } => (
            outputs.iter().map(|o| o.name.clone()).collect(),
            name.clone(),
            args.iter().map(show).collect(),
        ),
        s => panic!("not an opcode: {s:?}"),
    }
}

fn instr_body(text: &str) -> Vec<Stmt> {
    let orc = ok(text);
    assert_eq!(orc.instruments.len(), 1);
    orc.instruments.into_iter().next().unwrap().body
}

#[test]
fn opcode_statements_with_and_without_outputs() {
    let body = instr_body(
        "instr 1\na1 oscili 0.5, 440\naL, aR pan2 a1, 0.5\nouts aL, aR\nturnoff\nain xin\nxout ain\nprint ival\nendin\n",
    );
    let ops: Vec<_> = body.iter().map(opcode).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(ops[0], (s(&["a1"]), "oscili".into(), s(&["0.5", "440"])));
    assert_eq!(ops[1], (s(&["aL", "aR"]), "pan2".into(), s(&["a1", "0.5"])));
    assert_eq!(ops[2], (s(&[]), "outs".into(), s(&["aL", "aR"])));
    assert_eq!(ops[3], (s(&[]), "turnoff".into(), s(&[])));
    assert_eq!(ops[4], (s(&["ain"]), "xin".into(), s(&[])));
    assert_eq!(ops[5], (s(&[]), "xout".into(), s(&["ain"])));
    assert_eq!(ops[6], (s(&[]), "print".into(), s(&["ival"])));
}

#[test]
fn opcode_with_rate_hint_in_opcode_position() {
    let body = instr_body("instr 1\nkx oscili:k 1, 2\nprintk:k 1, kx\nendin\n");
    match &body[0] {
        Stmt::Opcode {
            name, rate_hint, ..
        } => {
            assert_eq!(name, "oscili");
            assert_eq!(rate_hint.as_deref(), Some("k"));
        }
        s => panic!("{s:?}"),
    }
    assert_eq!(opcode(&body[1]).1, "printk");
}

#[test]
fn output_then_function_call_argument_is_not_an_output() {
    let body = instr_body("instr 1\nout tanh(a1)\nout a1 * 0.5\nkx = oscili(1, 440)\nendin\n");
    assert_eq!(opcode(&body[0]).1, "out");
    assert_eq!(opcode(&body[1]).2, vec!["(a1 Mul 0.5)".to_string()]);
    assert!(matches!(&body[2], Stmt::Assign { .. }));
}

#[test]
fn compound_assignments() {
    let body = instr_body("instr 1\nkx += 1\nkx -= 1\nkx *= 2\nkx /= 2\nendin\n");
    let ops: Vec<_> = body
        .iter()
        .map(|s| match s {
            Stmt::Assign { op, .. } => *op,
            s => panic!("{s:?}"),
        })
        .collect();
    assert_eq!(
        ops,
        vec![AssignOp::Add, AssignOp::Sub, AssignOp::Mul, AssignOp::Div]
    );
}

#[test]
fn array_declarations_and_indexed_outputs() {
    let body = instr_body(
        "instr 1\nkArr[] init 10\niA[] fillarray 1, 2, 3\nkArr[1] = 5\nkM[][] init 2, 2\nendin\n",
    );
    match &body[0] {
        Stmt::Opcode { outputs, name, .. } => {
            assert_eq!(outputs[0].array_dims, 1);
            assert_eq!(name, "init");
        }
        s => panic!("{s:?}"),
    }
    assert_eq!(opcode(&body[1]).1, "fillarray");
    match &body[2] {
        Stmt::Assign { target, .. } => assert_eq!(target.index.len(), 1),
        s => panic!("{s:?}"),
    }
    match &body[3] {
        Stmt::Opcode { outputs, .. } => assert_eq!(outputs[0].array_dims, 2),
        s => panic!("{s:?}"),
    }
}

#[test]
fn instr_headers_with_numbers_names_and_plus() {
    let orc = ok("instr 1, 2, Name, +Other\nendin\ninstr Solo\nendin\n");
    assert_eq!(
        orc.instruments[0].ids,
        vec![
            InstrId::Number(1),
            InstrId::Number(2),
            InstrId::Name {
                name: "Name".into(),
                plus: false
            },
            InstrId::Name {
                name: "Other".into(),
                plus: true
            },
        ]
    );
    assert_eq!(orc.instruments[1].ids.len(), 1);
}

#[test]
fn header_statements_go_to_instrument_zero() {
    let orc = ok("sr = 48000\nksmps = 32\ngiSine ftgen 0, 0, 8192, 10, 1\ninstr 1\nendin\n");
    assert_eq!(orc.global.len(), 3);
    assert_eq!(orc.instruments.len(), 1);
}

#[test]
fn udo_definition_records_types() {
    let orc =
        ok("opcode Gain, a, ak\nain, kg xin\nxout ain * kg\nendop\nopcode Arr, k[], i[]0\nendop\n");
    assert_eq!(orc.udos[0].name, "Gain");
    assert_eq!(orc.udos[0].out_types, "a");
    assert_eq!(orc.udos[0].in_types, "ak");
    assert_eq!(orc.udos[0].body.len(), 2);
    assert_eq!(orc.udos[1].out_types, "k[]");
    assert_eq!(orc.udos[1].in_types, "i[]0");
}

#[test]
fn if_elseif_else_endif() {
    let body = instr_body(
        "instr 1\nif kx > 1 then\nka = 1\nelseif kx == 0 kthen\nka = 2\nka = 3\nelse\nka = 4\nendif\nif ix = 1 ithen\nendif\nendin\n",
    );
    match &body[0] {
        Stmt::If {
            branches,
            otherwise,
            init_only,
            ..
        } => {
            assert_eq!(branches.len(), 2);
            assert_eq!(branches[1].1.len(), 2);
            assert_eq!(otherwise.as_ref().map(Vec::len), Some(1));
            assert!(!init_only);
        }
        s => panic!("{s:?}"),
    }
    match &body[1] {
        Stmt::If {
            branches,
            init_only,
            ..
        } => {
            assert!(*init_only);
            assert_eq!(show(&branches[0].0), "(ix Eq 1)");
        }
        s => panic!("{s:?}"),
    }
}

#[test]
fn gotos_labels_and_conditional_gotos() {
    let body = instr_body(
        "instr 1\nloop:\nif ix < 3 igoto loop\nckgoto kx > 1, done\ncngoto kx > 1, done\nkgoto done\ndone: kx = 1\nendin\n",
    );
    assert!(matches!(&body[0], Stmt::Label { name, .. } if name == "loop"));
    assert!(
        matches!(&body[1], Stmt::CondGoto { kind: GotoKind::Init, label, .. } if label == "loop")
    );
    assert!(matches!(
        &body[2],
        Stmt::CondGoto {
            kind: GotoKind::Perf,
            ..
        }
    ));
    assert!(matches!(
        &body[3],
        Stmt::CondGoto {
            cond: Expr::Unary { op: UnOp::Not, .. },
            ..
        }
    ));
    assert!(matches!(
        &body[4],
        Stmt::Goto {
            kind: GotoKind::Perf,
            ..
        }
    ));
    assert!(matches!(&body[5], Stmt::Label { .. }));
    assert!(matches!(&body[6], Stmt::Assign { .. }));
}

#[test]
fn while_and_until_loops() {
    let body =
        instr_body("instr 1\nwhile ki < 4 do\nki += 1\nod\nuntil ki >= 8 do\nki += 1\nod\nendin\n");
    assert!(matches!(&body[0], Stmt::While { until: false, body, .. } if body.len() == 1));
    assert!(matches!(&body[1], Stmt::While { until: true, .. }));
}

#[test]
fn comments_of_all_kinds_are_ignored() {
    let orc =
        ok("ix = 1 ; semi\niy = 2 // slash\n/* block\n spanning */ iz = 3\nSs = \"a;b//c\"\n");
    assert_eq!(orc.global.len(), 4);
    match &orc.global[3] {
        Stmt::Assign {
            value: Expr::Str(s, _),
            ..
        } => assert_eq!(s, "a;b//c"),
        s => panic!("{s:?}"),
    }
}

#[test]
fn backslash_continues_a_line() {
    let body = instr_body("instr 1\na1 oscili 0.5, \\\n   440\nendin\n");
    assert_eq!(opcode(&body[0]).2.len(), 2);
}

#[test]
fn simple_macro_expands_and_a_dot_ends_its_name() {
    let orc = ok("#define X #2#\nix = $X + $X.5\n");
    match &orc.global[0] {
        Stmt::Assign { value, .. } => assert_eq!(show(value), "(2 Add 25)"),
        s => panic!("{s:?}"),
    }
}

#[test]
fn macro_with_arguments_expands() {
    let orc = ok("#define SUM(a'b) #$a + $b#\nix = $SUM(1'2 * 3)\n");
    match &orc.global[0] {
        Stmt::Assign { value, .. } => assert_eq!(show(value), "(1 Add (2 Mul 3))"),
        s => panic!("{s:?}"),
    }
}

#[test]
fn macro_expansion_positions_point_at_the_use_site() {
    let orc = ok("#define F #440#\n\nix = $F\n");
    match &orc.global[0] {
        Stmt::Assign { value, .. } => {
            assert_eq!((value.pos().line, value.pos().col), (3, 6));
        }
        s => panic!("{s:?}"),
    }
}

#[test]
fn ifdef_else_end_and_undef() {
    let orc = ok(
        "#define A ##\n#ifdef A\nix = 1\n#else\nix = 2\n#end\n#undef A\n#ifndef A\niy = 3\n#end\n",
    );
    assert_eq!(orc.global.len(), 2);
    match &orc.global[0] {
        Stmt::Assign { value, .. } => assert_eq!(show(value), "1"),
        s => panic!("{s:?}"),
    }
}

#[test]
fn builtin_math_macros_are_defined() {
    assert_eq!(expr_of("$M_PI"), format!("{}", std::f64::consts::PI));
}

#[test]
fn include_reads_relative_to_the_including_file_with_its_own_positions() {
    let dir = std::env::temp_dir().join(format!("rhapsody-orc-include-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("inc.orc"), "\niy = 2\niz = )\n").unwrap();
    let main = Arc::new(SourceFile {
        name: dir.join("main.orc").display().to_string(),
        text: "ix = 1\n#include \"inc.orc\"\n".into(),
    });
    let e = parse(&main).unwrap_err();
    let pos = e.0[0].pos.clone().unwrap();
    assert!(pos.file.name.ends_with("inc.orc"), "{}", pos.file.name);
    assert_eq!((pos.line, pos.col), (3, 6));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn recursive_include_is_an_error_not_a_hang() {
    let dir = std::env::temp_dir().join(format!("rhapsody-orc-rec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("self.orc"), "#include \"self.orc\"\n").unwrap();
    let main = Arc::new(SourceFile {
        name: dir.join("main.orc").display().to_string(),
        text: "#include \"self.orc\"\n".into(),
    });
    let e = parse(&main).unwrap_err();
    assert!(e.to_string().contains("nested too deeply"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn recursive_macro_is_an_error_not_a_hang() {
    let e = err("#define R #$R#\nix = $R\n");
    assert!(e.to_string().contains("too deeply"), "{e}");
}

#[test]
fn missing_endin_points_at_instr() {
    let e = err("\ninstr 1\na1 oscili 1, 440\n");
    let d = &e.0[0];
    assert!(d.message.contains("missing \"endin\""), "{e}");
    let pos = d.pos.as_ref().unwrap();
    assert_eq!((pos.line, pos.col), (2, 1));
}

#[test]
fn endif_without_if_is_reported() {
    let e = err("instr 1\nendif\nendin\n");
    assert!(e.0[0].message.contains("\"endif\" without \"if\""), "{e}");
}

#[test]
fn missing_endif_points_at_if() {
    let e = err("instr 1\n  if kx > 0 then\nkx = 1\nendin\n");
    let pos = e.0[0].pos.as_ref().unwrap();
    assert!(e.0[0].message.contains("endif"), "{e}");
    assert_eq!((pos.line, pos.col), (2, 3));
}

#[test]
fn unterminated_string_is_reported_at_its_quote() {
    let e = err("Sx = \"abc\n");
    assert!(e.0[0].message.contains("unterminated string"), "{e}");
    assert_eq!(e.0[0].pos.as_ref().unwrap().col, 6);
}

#[test]
fn unknown_directive_and_undefined_macro_are_reported() {
    let e = err("#frobnicate\nix = $NOPE\n");
    assert!(
        e.0[0].message.contains("unknown preprocessor directive"),
        "{e}"
    );
    assert!(e.0[1].message.contains("undefined macro $NOPE"), "{e}");
}

#[test]
fn unexpected_token_names_the_token_and_position() {
    let e = err("ix = 1 +\niy = * 2\n");
    assert_eq!(e.0.len(), 2, "{e}");
    assert!(e.0[1].message.contains("unexpected token \"*\""), "{e}");
    let pos = e.0[1].pos.as_ref().unwrap();
    assert_eq!((pos.line, pos.col), (2, 6));
}

#[test]
fn recovery_reports_several_errors() {
    let e = err("instr 1\nkx = (\nky = )\nkz = 1\nendin\nendin\n");
    assert_eq!(e.0.len(), 3, "{e}");
}

#[test]
fn garbage_input_never_panics() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let alphabet: Vec<char> =
        "abcikS01234.,;:/*\\\"'#$(){}[]<>=!&|^%~?+- \n\tifthenendinstropcodeelseod\u{e9}"
            .chars()
            .collect();
    for _ in 0..2000 {
        let mut text = String::new();
        let len = (seed % 80) as usize;
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let _ = parse(&src(&text));
    }
    // Raw bytes too, as lossy text.
    for _ in 0..500 {
        let bytes: Vec<u8> = (0..64)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let _ = parse(&src(&String::from_utf8_lossy(&bytes)));
    }
}

#[test]
fn unclosed_ifdef_points_at_the_ifdef() {
    let e = err("ix = 1\n#ifdef X\niy = 2\n");
    let pos = e.0[0].pos.as_ref().unwrap();
    assert!(e.0[0].message.contains("without #end"), "{e}");
    assert_eq!(pos.line, 2);
}

#[test]
fn absurd_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("ix = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    assert!(err(&deep).to_string().contains("nesting too deep"));
    let minus = format!("ix = {}1\n", "-".repeat(100_000));
    assert!(err(&minus).to_string().contains("nesting too deep"));
    let ifs = "if 1 then\n".repeat(20_000);
    assert!(parse(&src(&ifs)).is_err());
}

#[test]
fn instr_without_endin_before_the_next_instr_is_reported_once() {
    let e = err("instr 1\nkx = 1\ninstr 2\nendin\n");
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].pos.as_ref().unwrap().line, 1);
}

#[test]
fn loop_opcodes_become_a_step_and_a_conditional_goto() {
    let body =
        instr_body("instr 1\nl1:\nloop_lt ix, 1, 4, l1\nl2:\nloop_ge kx, 0.5, 1, l2\nendin\n");
    assert!(matches!(
        &body[1],
        Stmt::Assign {
            op: AssignOp::Add,
            ..
        }
    ));
    assert!(matches!(
        &body[2],
        Stmt::CondGoto { kind: GotoKind::Init, cond: Expr::Binary { op: BinOp::Lt, .. }, label, .. }
            if label == "l1"
    ));
    // loop_gt and loop_ge count down.
    assert!(matches!(
        &body[4],
        Stmt::Assign {
            op: AssignOp::Sub,
            ..
        }
    ));
    assert!(matches!(
        &body[5],
        Stmt::CondGoto {
            kind: GotoKind::Perf,
            cond: Expr::Binary { op: BinOp::Ge, .. },
            ..
        }
    ));
    let e = err("instr 1\nl:\nloop_le ax, 1, 4, l\nendin\n");
    assert!(e.to_string().contains("i- or k-rate variable"), "{e}");
}
