//! Showing outputs to a human: byte previews and line diffs of expected
//! (GNU) vs actual (sandbox) output.

/// Longest diff shown per output, in lines; the rest is summarised.
const MAX_DIFF_LINES: usize = 40;

/// Largest side of a diff computed exactly (lines); longer outputs are
/// compared by their first differing line only, to keep the LCS table small.
const MAX_LCS_LINES: usize = 2000;

/// A one-line preview of `bytes`: length and the first bytes, escaped.
pub fn describe_bytes(bytes: &[u8]) -> String {
    const PREVIEW: usize = 60;
    let shown = &bytes[..bytes.len().min(PREVIEW)];
    let more = if bytes.len() > PREVIEW { "…" } else { "" };
    format!(
        "{} bytes {:?}{more}",
        bytes.len(),
        String::from_utf8_lossy(shown)
    )
}

/// Splits output into lines, keeping whether the last one ended in `\n`
/// (a missing final newline is a real difference and must show).
fn lines(text: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(text);
    let mut out: Vec<String> = text.split_inclusive('\n').map(escape_line).collect();
    if let Some(last) = out.last_mut() {
        if !last.ends_with("\\n") {
            last.push_str("  (no newline at end)");
        }
    }
    out
}

fn escape_line(line: &str) -> String {
    let body = line.strip_suffix('\n').unwrap_or(line);
    let mut out = String::new();
    for c in body.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    if line.ends_with('\n') {
        out.push_str("\\n");
    }
    out
}

/// A line diff of `expected` vs `actual`: `-` lines only GNU printed, `+`
/// lines only the sandbox printed, ` ` common context, at most
/// [`MAX_DIFF_LINES`] lines.
pub fn line_diff(expected: &[u8], actual: &[u8]) -> String {
    let (a, b) = (lines(expected), lines(actual));
    let ops = if a.len() <= MAX_LCS_LINES && b.len() <= MAX_LCS_LINES {
        lcs_ops(&a, &b)
    } else {
        prefix_ops(&a, &b)
    };
    let mut out = Vec::new();
    let changed: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != ' ').collect();
    for (i, (tag, line)) in ops.iter().enumerate() {
        // Show two lines of context around each change.
        let near = changed.iter().any(|&c| c.abs_diff(i) <= 2);
        if near {
            out.push(format!("{tag} {line}"));
        } else if out.last().is_none_or(|l: &String| l != "  …") {
            out.push("  …".to_string());
        }
    }
    if out.len() > MAX_DIFF_LINES {
        let rest = out.len() - MAX_DIFF_LINES;
        out.truncate(MAX_DIFF_LINES);
        out.push(format!("  … {rest} more diff lines"));
    }
    out.join("\n")
}

fn lcs_ops<'a>(a: &'a [String], b: &'a [String]) -> Vec<(char, &'a str)> {
    // lcs[i][j] = length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut ops) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i].as_str()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Deletions first, as diff -u shows a changed line.
            ops.push(('-', a[i].as_str()));
            i += 1;
        } else {
            ops.push(('+', b[j].as_str()));
            j += 1;
        }
    }
    ops
}

fn prefix_ops<'a>(a: &'a [String], b: &'a [String]) -> Vec<(char, &'a str)> {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let mut ops: Vec<(char, &str)> = a[..same].iter().map(|l| (' ', l.as_str())).collect();
    ops.extend(
        a[same..]
            .iter()
            .take(MAX_DIFF_LINES)
            .map(|l| ('-', l.as_str())),
    );
    ops.extend(
        b[same..]
            .iter()
            .take(MAX_DIFF_LINES)
            .map(|l| ('+', l.as_str())),
    );
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_changed_lines_with_context() {
        let diff = line_diff(b"a\nb\nc\nd\ne\nf\ng\n", b"a\nb\nc\nD\ne\nf\ng\n");
        assert_eq!(
            diff,
            "  …\n  b\\n\n  c\\n\n- d\\n\n+ D\\n\n  e\\n\n  f\\n\n  …"
        );
    }

    #[test]
    fn a_missing_final_newline_shows() {
        let diff = line_diff(b"x\n", b"x");
        assert_eq!(diff, "- x\\n\n+ x  (no newline at end)");
    }

    #[test]
    fn control_bytes_are_escaped() {
        assert_eq!(line_diff(b"a\tb\0\n", b""), "- a\\tb\\x00\\n");
        assert_eq!(describe_bytes(b"hi"), "2 bytes \"hi\"");
    }
}
