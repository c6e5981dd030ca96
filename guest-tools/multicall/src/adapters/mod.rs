//! Entry points that give every tool crate the same shape,
//! `fn(Vec<OsString>) -> i32`, whatever its own entry looks like.
//!
//! Each upstream family needs a little glue: uucore-based utilities want their
//! message bundle loaded first, diffutils' `cmp` reports through `ExitCode`, findutils
//! takes `&[&str]`; `cp` and `sort` need care around what WASI lacks (file
//! modes, threads).

pub mod cat;
pub mod cmp;
pub mod cp;
pub mod find;
pub mod grep;
pub mod sed;
pub mod sort;
pub mod uutils;
