//! Integration tests for `wa-diff`, one binary:
//!
//! - `cases`: hand-written cases as data (`tests/cases/*.txt`): argv,
//!   files, standard input, expected output and status;
//! - `differential`: generated file pairs and trees through GNU diff 3.8
//!   and ours, which must agree byte for byte.

mod cases;
mod differential;
mod support;
