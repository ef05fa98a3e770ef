//! tcpdump's filter language: parser, classic-BPF compiler and evaluator.
