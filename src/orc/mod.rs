//! The orchestra language: preprocessor, lexer, parser and compiler.

pub mod ast;
pub mod compiler;
mod fusion;
mod layout;
mod lexer;
mod parser;
mod preprocess;

pub use parser::parse;

/// Instrument 1 of an orchestra with `ksmps` and `body` (tests of the
/// compiler's passes).
#[cfg(test)]
pub(crate) fn test_instrument(
    body: &str,
    ksmps: usize,
) -> std::sync::Arc<crate::engine::program::InstrTemplate> {
    let text =
        format!("sr = 44100\nksmps = {ksmps}\nnchnls = 2\n0dbfs = 1\ninstr 1\n{body}\nendin\n");
    let source = std::sync::Arc::new(crate::diag::SourceFile {
        name: "test.orc".into(),
        text,
    });
    let ast = parse(&source).expect("parses");
    let orc = compiler::compile(&ast, compiler::RateOverrides::default()).expect("compiles");
    orc.instruments[0].clone()
}
