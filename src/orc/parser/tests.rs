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
