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

#[test]
#[ignore]
fn dump_opcode_names() {
    fn walk(stmts: &[Stmt], out: &mut Vec<String>) {
        for s in stmts {
            match s {
                Stmt::Opcode { name, outputs, .. } => out.push(format!("{name} {}", outputs.len())),
                Stmt::If { branches, otherwise, .. } => {
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
        let Ok(csd) = crate::csd::Csd::read(&p) else { continue };
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
