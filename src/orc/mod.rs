//! The orchestra language: preprocessor, lexer, parser and compiler.

pub mod ast;
mod parser;

pub use parser::parse;
