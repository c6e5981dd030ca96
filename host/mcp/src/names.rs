//! Tool names that every LLM provider accepts.
//!
//! Anthropic and OpenAI both require `^[a-zA-Z0-9_-]{1,64}$`, the strictest limit among
//! providers; MCP allows longer names with dots and more. A tool is exposed to the model as
//! `mcp__{server}__{tool}`, invalid characters replaced by `_`, and a name past 64
//! characters cut with a stable hash of the original appended, so two long names sharing a
//! prefix stay distinct.

/// The longest name providers accept.
pub const MAX_TOOL_NAME: usize = 64;

/// Hex digits of hash appended to a cut name.
const HASH_LEN: usize = 8;

/// The provider-safe name for tool `tool` of server `server`: `mcp__{server}__{tool}`
/// with every character outside `[a-zA-Z0-9_-]` replaced by `_`, cut to 64 characters
/// with `_` and 8 hex digits of a hash of the original names when longer. The same input
/// always gives the same name (the hash is FNV-1a, not a per-process random hash).
pub fn sanitize_tool_name(server: &str, tool: &str) -> String {
    let full: String = format!("mcp__{server}__{tool}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if full.len() <= MAX_TOOL_NAME {
        return full;
    }
    with_hash(&full, server, tool)
}

/// Provider-safe names for all of one server's tools, in order, guaranteed distinct: when
/// two tools sanitise to the same name (`a.b` and `a_b`), each of them gets the hash
/// suffix of its original name.
pub fn sanitize_tool_names<S: AsRef<str>>(server: &str, tools: &[S]) -> Vec<String> {
    let names: Vec<String> = tools
        .iter()
        .map(|t| sanitize_tool_name(server, t.as_ref()))
        .collect();
    names
        .iter()
        .zip(tools)
        .map(|(name, tool)| {
            if names.iter().filter(|n| *n == name).count() > 1 {
                with_hash(name, server, tool.as_ref())
            } else {
                name.clone()
            }
        })
        .collect()
}

fn with_hash(sanitized: &str, server: &str, tool: &str) -> String {
    let hash = fnv1a(format!("{server}\0{tool}").as_bytes());
    let keep = sanitized.len().min(MAX_TOOL_NAME - HASH_LEN - 1);
    // `sanitized` is ASCII, so any byte index is a character boundary.
    format!(
        "{}_{:0width$x}",
        &sanitized[..keep],
        hash & 0xffff_ffff,
        width = HASH_LEN
    )
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(name: &str) -> bool {
        (1..=MAX_TOOL_NAME).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }

    #[test]
    fn short_valid_names_are_prefixed_only() {
        assert_eq!(
            sanitize_tool_name("github", "create_issue"),
            "mcp__github__create_issue"
        );
    }

    #[test]
    fn invalid_characters_become_underscores() {
        let name = sanitize_tool_name("my server", "files.read/v2é");
        assert_eq!(name, "mcp__my_server__files_read_v2_");
        assert!(valid(&name));
    }

    #[test]
    fn long_names_are_cut_with_a_stable_distinct_hash() {
        let long = "x".repeat(100);
        let a = sanitize_tool_name("srv", &format!("{long}_alpha"));
        let b = sanitize_tool_name("srv", &format!("{long}_beta"));
        assert!(valid(&a) && valid(&b), "{a} {b}");
        assert_eq!(a.len(), MAX_TOOL_NAME);
        assert_ne!(a, b);
        assert_eq!(a, sanitize_tool_name("srv", &format!("{long}_alpha")));
        assert!(a.starts_with("mcp__srv__xxxx"), "{a}");
    }

    #[test]
    fn names_that_collide_after_sanitising_are_made_distinct() {
        let names = sanitize_tool_names("s", &["a.b", "a_b", "c"]);
        assert_ne!(names[0], names[1]);
        assert!(names.iter().all(|n| valid(n)), "{names:?}");
        assert_eq!(names[2], "mcp__s__c");
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
