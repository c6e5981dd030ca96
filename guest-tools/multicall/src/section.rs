//! The `wasm-agent.tools` custom section: the tool names, so that the host
//! learns what the module provides without instantiating it.
//!
//! Format: UTF-8 names separated by `\n`, no trailing newline, in the order
//! of [`TOOLS`]. The bytes are computed at compile time from the same table
//! the dispatcher uses.

use crate::registry::{Tool, TOOLS};

/// Length of the section: every name plus one separator between names.
const fn listing_len(tools: &[Tool]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < tools.len() {
        if i > 0 {
            len += 1;
        }
        len += tools[i].name.len();
        i += 1;
    }
    len
}

/// The names of `tools`, newline-separated, as a fixed-size array.
const fn listing<const N: usize>(tools: &[Tool]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < tools.len() {
        if i > 0 {
            out[at] = b'\n';
            at += 1;
        }
        let name = tools[i].name.as_bytes();
        let mut j = 0;
        while j < name.len() {
            out[at] = name[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    // A mismatch with `listing_len` would leave zero bytes at the end.
    assert!(at == N, "listing length does not match listing_len");
    out
}

/// Length in bytes of [`TOOL_NAMES`].
const LEN: usize = listing_len(TOOLS);

/// The section itself. On wasm, `link_section` turns this static into a
/// custom section (it is not readable from inside the guest: use
/// [`crate::registry::TOOLS`]); `used` keeps LTO from dropping it because no
/// code refers to it. The section name is part of the host interface.
#[cfg_attr(target_family = "wasm", link_section = "wasm-agent.tools")]
#[used]
pub static TOOL_NAMES: [u8; LEN] = listing(TOOLS);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_lists_every_tool_in_table_order() {
        let text = std::str::from_utf8(&TOOL_NAMES).unwrap();
        let names: Vec<&str> = text.split('\n').collect();
        let expected: Vec<&str> = TOOLS.iter().map(|tool| tool.name).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn section_has_no_trailing_separator() {
        assert_ne!(TOOL_NAMES.last(), Some(&b'\n'));
    }
}
