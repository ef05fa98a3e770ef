//! The filter's text side: the lexer turns the words into tokens with their
//! byte spans, the parser builds the link-independent [`ast::Expr`] from
//! them (looking words up in [`words`]) and reports errors with a caret
//! under the word that failed.

pub mod ast;
pub mod lexer;
pub mod parser;
pub mod words;
