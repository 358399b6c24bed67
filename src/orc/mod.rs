//! The orchestra language: preprocessor, lexer, parser and compiler.

pub mod ast;
pub mod compiler;
mod parser;

pub use parser::parse;
