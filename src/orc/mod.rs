//! The orchestra language: preprocessor, lexer, parser and compiler.

pub mod ast;
mod lexer;
mod parser;
mod preprocess;

pub use parser::parse;
