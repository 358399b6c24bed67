//! The orchestra language: preprocessor, lexer, parser and compiler.

pub mod ast;
pub mod compiler;
mod fusion;
mod layout;
mod lexer;
mod parser;
mod preprocess;

pub use parser::parse;
