//! Cutting output to what a model can read: long lines cut at the end,
//! command output cut at the start (the end of a log is what matters).

/// Longest line shown by `read` and `grep`, in characters.
pub(crate) const MAX_LINE_CHARS: usize = 2000;
/// Most lines of command output kept.
pub(crate) const MAX_OUTPUT_LINES: usize = 2000;
/// Most bytes of command output kept.
pub(crate) const MAX_OUTPUT_BYTES: usize = 50 * 1024;

/// `line` cut to [`MAX_LINE_CHARS`] characters, with a marker saying how
/// many were left out.
pub(crate) fn cut_line(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        None => line.to_string(),
        Some((end, _)) => {
            let rest = line[end..].chars().count();
            format!("{}… [line truncated: {rest} more characters]", &line[..end])
        }
    }
}

/// The last [`MAX_OUTPUT_LINES`] lines and at most [`MAX_OUTPUT_BYTES`]
/// bytes of `text`, led by a note saying how much was left out.
pub(crate) fn tail(text: &str) -> String {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<&str> = body.split('\n').collect();
    let mut start = lines.len().saturating_sub(MAX_OUTPUT_LINES);
    // Bytes of lines[start..] joined by newlines.
    let mut size: usize = lines[start..].iter().map(|l| l.len() + 1).sum::<usize>() - 1;
    while size > MAX_OUTPUT_BYTES && start + 1 < lines.len() {
        size -= lines[start].len() + 1;
        start += 1;
    }
    let mut kept = lines[start..].join("\n");
    let mut partial = false;
    if kept.len() > MAX_OUTPUT_BYTES {
        // One line alone is too long: keep its end, on a char boundary.
        let mut cut = kept.len() - MAX_OUTPUT_BYTES;
        while !kept.is_char_boundary(cut) {
            cut += 1;
        }
        kept = kept[cut..].to_string();
        partial = true;
    }
    if start == 0 && !partial {
        return text.to_string();
    }
    let note = match (start, partial) {
        (0, _) => "[output truncated: the start of the last line omitted]".to_string(),
        (n, false) => format!("[output truncated: first {n} lines omitted]"),
        (n, true) => {
            format!("[output truncated: first {n} lines and the start of the next omitted]")
        }
    };
    format!("{note}\n{kept}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_kept_whole() {
        assert_eq!(cut_line("abc"), "abc");
        let long = "é".repeat(MAX_LINE_CHARS + 5);
        let cut = cut_line(&long);
        assert!(cut.starts_with(&"é".repeat(MAX_LINE_CHARS)));
        assert!(
            cut.ends_with("… [line truncated: 5 more characters]"),
            "{cut}"
        );
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let text: String = (1..=2500).map(|i| format!("{i}\n")).collect();
        let out = tail(&text);
        assert!(out.starts_with("[output truncated: first 500 lines omitted]\n501\n"));
        assert!(out.ends_with("2500\n"));
        assert_eq!(tail("a\nb\n"), "a\nb\n");
    }

    #[test]
    fn tail_keeps_the_last_bytes() {
        let line = "x".repeat(99);
        let text: String = (0..1000).map(|_| format!("{line}\n")).collect();
        let out = tail(&text);
        let body = out.split_once('\n').unwrap().1;
        assert!(body.len() <= MAX_OUTPUT_BYTES + 1, "{}", body.len());
        assert!(
            out.starts_with("[output truncated: first 488 lines omitted]"),
            "{out:.60}"
        );
        let huge = "y".repeat(MAX_OUTPUT_BYTES * 2);
        let out = tail(&huge);
        assert!(out.starts_with("[output truncated: the start of the last line omitted]\n"));
    }
}
