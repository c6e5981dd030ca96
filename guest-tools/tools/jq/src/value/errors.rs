//! Runtime error messages in jq 1.7's wording.
//!
//! Scripts match on these texts (`try ... catch`), and agents read them, so
//! they follow jq rather than jaq: `Cannot iterate over number (1)`,
//! `object ({}) and number (1) cannot be added`.

use super::{Error, Val};
use alloc::string::String;

/// jq's name for the type of `v`.
pub fn type_name(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

/// Compact JSON of `v`, cut to 11 bytes plus `...` like jq's
/// `jv_dump_string_trunc` with its 15-byte buffer.
pub fn dump_trunc(v: &Val) -> String {
    let json = String::from_utf8_lossy(&v.to_json()).into_owned();
    if json.len() <= 14 {
        return json;
    }
    let mut end = 11;
    while !json.is_char_boundary(end) {
        end -= 1;
    }
    alloc::format!("{}...", &json[..end])
}

/// `type (value)`, as jq describes operands in messages.
fn describe(v: &Val) -> String {
    alloc::format!("{} ({})", type_name(v), dump_trunc(v))
}

/// `.[]` on a value that is neither array nor object.
pub fn iterate(v: Val) -> Error {
    match v {
        Val::Null => Error::str("Cannot iterate over null"),
        v => Error::str(alloc::format!("Cannot iterate over {}", describe(&v))),
    }
}

/// `.[i]` / `.k` on a value that cannot be indexed by `i`.
pub fn index(v: &Val, i: &Val) -> Error {
    let what = match i {
        Val::TStr(s) | Val::BStr(s) => alloc::format!("\"{}\"", String::from_utf8_lossy(s)),
        i => String::from(type_name(i)),
    };
    Error::str(alloc::format!("Cannot index {} with {what}", type_name(v)))
}

/// A binary arithmetic operator applied to operands it does not support.
pub fn math(l: &Val, verb: &str, r: &Val) -> Error {
    Error::str(alloc::format!(
        "{} and {} cannot be {verb}",
        describe(l),
        describe(r)
    ))
}

/// `-x` on a non-number.
pub fn negate(v: &Val) -> Error {
    Error::str(alloc::format!("{} cannot be negated", describe(v)))
}

/// `length` on a boolean.
pub fn no_length(v: &Val) -> Error {
    Error::str(alloc::format!("{} has no length", describe(v)))
}
