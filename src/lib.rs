//! sockscope: a raw-socket packet inspector and sniffer.
//!
//! One stream, one direction: a [`source`] yields [`packet::Packet`]s, [`decode`]
//! borrows their bytes, [`filter`] selects, [`flow`] tracks TCP state per side and
//! [`output`] prints. `capture` and `read` share everything after the source
//! ([`pipeline`]).
//!
//! `unsafe` lives only in [`sys`] (socket options, rings); the rest of the crate
//! forbids it.
#![deny(unsafe_code)]

pub mod cli;
pub mod decode;
pub mod demo;
pub mod dissect;
pub mod endpoints;
pub mod filter;
pub mod flow;
pub mod output;
pub mod packet;
pub mod pipeline;
pub mod source;
#[allow(unsafe_code)]
pub mod sys;
