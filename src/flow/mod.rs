//! Bidirectional flows, per-side TCP state, and TCP analysis.
