//! tcpdump's filter language: parser, classic-BPF compiler and evaluator.

pub mod bpf;
