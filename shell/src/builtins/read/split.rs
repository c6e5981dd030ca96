//! Field splitting of a line `read` has read, ported from bash's
//! `read.def` and `subst.c` (`get_word_from_string`, `list_string`,
//! `strip_trailing_ifs_whitespace`).
//!
//! The line holds quoted characters behind [`CTLESC`] (as bash's does), so
//! a backslash-escaped separator never splits; [`dequote`] removes the
//! markers at the end.

/// Marks the next character as quoted (bash's `CTLESC`).
pub(crate) const CTLESC: char = '\u{1}';
/// bash's `CTLNUL`: quoted in the line like `CTLESC` itself.
pub(crate) const CTLNUL: char = '\u{7f}';

/// Space, tab or newline: the separators that collapse.
fn spctabnl(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// The text with the quoting markers removed.
pub(crate) fn dequote(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut quoted = false;
    for &c in chars {
        if c == CTLESC && !quoted {
            quoted = true;
            continue;
        }
        quoted = false;
        out.push(c);
    }
    out
}

/// The end of the word starting at `i`: the next unquoted separator.
fn extract_verbatim(s: &[char], mut i: usize, ifs: &[char]) -> usize {
    while i < s.len() {
        if s[i] == CTLESC {
            i += 2;
            continue;
        }
        if ifs.contains(&s[i]) {
            break;
        }
        i += 1;
    }
    i.min(s.len())
}

/// Moves past the separator at `end` and the separators that belong to
/// it: IFS white space around at most one other IFS character.
fn skip_separator(s: &[char], end: usize, ifs: &[char]) -> usize {
    let is_white_sep = |c: char| spctabnl(c) && ifs.contains(&c);
    let whitesep = end < s.len() && spctabnl(s[end]);
    let mut j = (end + 1).min(s.len());
    while j < s.len() && is_white_sep(s[j]) {
        j += 1;
    }
    if j < s.len() && whitesep && ifs.contains(&s[j]) && !spctabnl(s[j]) {
        j += 1;
        while j < s.len() && is_white_sep(s[j]) {
            j += 1;
        }
    }
    j
}

/// bash's `get_word_from_string`: the next field at or after `i` (`None`
/// if only white space is left) and where the rest starts.
fn next_word(s: &[char], mut i: usize, ifs: &[char]) -> (Option<(usize, usize)>, usize) {
    if i >= s.len() {
        return (None, i);
    }
    if ifs == [' ', '\t', '\n'] {
        while i < s.len() && spctabnl(s[i]) {
            i += 1;
        }
        if i == s.len() {
            return (None, i);
        }
    }
    let end = extract_verbatim(s, i, ifs);
    (Some((i, end)), skip_separator(s, end, ifs))
}

/// bash's `strip_trailing_ifs_whitespace` (never the first character).
fn strip_trailing<'a>(s: &'a [char], ifs: &[char]) -> &'a [char] {
    let saw_escape = s.contains(&CTLESC);
    let mut k = s.len() - 1;
    while k > 0
        && ((spctabnl(s[k]) && ifs.contains(&s[k]))
            || (saw_escape && s[k] == CTLESC && s.get(k + 1).is_some_and(|&c| spctabnl(c))))
    {
        k -= 1;
    }
    &s[..=k]
}

/// The values of `count` names: one field each, the rest of the line
/// (less trailing IFS white space) to the last, empty when the fields run
/// out.
pub(crate) fn assign_fields(s: &[char], ifs: &[char], count: usize) -> Vec<String> {
    let mut i = 0;
    if !ifs.is_empty() {
        while i < s.len() && spctabnl(s[i]) && ifs.contains(&s[i]) {
            i += 1;
        }
    }
    let mut values = Vec::with_capacity(count);
    for _ in 1..count {
        let (word, next) = next_word(s, i, ifs);
        values.push(word.map_or(String::new(), |(a, b)| dequote(&s[a..b])));
        i = next;
    }
    let last = if i < s.len() {
        let (word, next) = next_word(s, i, ifs);
        if next >= s.len() {
            word.map_or(String::new(), |(a, b)| dequote(&s[a..b]))
        } else {
            dequote(strip_trailing(&s[i..], ifs))
        }
    } else {
        String::new()
    };
    values.push(last);
    values
}

/// bash's `list_string`: the line split into fields as an unquoted
/// expansion is (for `read -a`), still quoted.
pub(crate) fn list_string(s: &[char], ifs: &[char]) -> Vec<Vec<char>> {
    let sh_style = ifs == [' ', '\t', '\n'];
    let mut i = 0;
    while i < s.len() && spctabnl(s[i]) && ifs.contains(&s[i]) {
        i += 1;
    }
    let mut fields = Vec::new();
    while i < s.len() {
        let end = extract_verbatim(s, i, ifs);
        if end > i {
            fields.push(s[i..end].to_vec());
        } else if !(sh_style || end < s.len() && spctabnl(s[end])) {
            // A non-white-space separator right after another delimits
            // an empty field.
            fields.push(Vec::new());
        }
        i = skip_separator(s, end, ifs);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn fields(line: &str, ifs: &str, count: usize) -> Vec<String> {
        assign_fields(&chars(line), &chars(ifs), count)
    }

    #[test]
    fn the_last_name_takes_the_rest() {
        assert_eq!(
            fields("  one  two  three  ", " \t\n", 2),
            ["one", "two  three"]
        );
        assert_eq!(fields("1::2:3:", ":", 3), ["1", "", "2:3:"]);
        assert_eq!(fields("1:2:", ":", 2), ["1", "2"]);
        assert_eq!(fields("1:2::", ":", 2), ["1", "2::"]);
        assert_eq!(fields(" 1 : 2 : ", ": ", 2), ["1", "2"]);
        assert_eq!(fields(",x", ",", 1), [",x"]);
        assert_eq!(fields("x", " \t\n", 3), ["x", "", ""]);
        assert_eq!(fields(" x y ", "", 2), [" x y ", ""]);
    }

    #[test]
    fn quoted_characters_do_not_split() {
        let line = ['x', CTLESC, ' ', 'y', ' ', 'z'];
        assert_eq!(assign_fields(&line, &chars(" \t\n"), 2), ["x y", "z"]);
        assert_eq!(
            assign_fields(&['x', CTLESC, ' '], &chars(" \t\n"), 1),
            ["x "]
        );
    }

    #[test]
    fn arrays_get_empty_fields_between_hard_separators() {
        let split = |line: &str, ifs: &str| -> Vec<String> {
            list_string(&chars(line), &chars(ifs))
                .iter()
                .map(|f| dequote(f))
                .collect()
        };
        assert_eq!(split(":a::b:", ":"), ["", "a", "", "b"]);
        assert_eq!(split(" : a : : b : ", " :"), ["", "a", "", "b"]);
        assert_eq!(split(" a b  c ", " \t\n"), ["a", "b", "c"]);
        assert!(split("   ", " \t\n").is_empty());
        assert_eq!(split(" x y ", ""), [" x y "]);
    }
}
