//! `--exclude=PATTERN` and `-X FILE`, with GNU tar's default matching.
//!
//! GNU tar matches exclusion patterns with `fnmatch` and these defaults
//! (tar 1.34, `--no-anchored --wildcards --wildcards-match-slash`, plus
//! `FNM_LEADING_DIR` from the default `--recursion`):
//!
//! - the pattern may match the whole name or any suffix of it that starts
//!   after a `/` (`*.csv` excludes `data/a.csv`, `sub` excludes `data/sub`);
//! - `*`, `?` and brackets match `/` too, and a leading `.` needs no
//!   explicit dot;
//! - matching a leading part of the name up to a `/` is enough, so a pattern
//!   naming a directory excludes everything below it;
//! - a backslash makes the next pattern character literal.

/// A set of exclusion patterns.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    patterns: Vec<Vec<char>>,
}

impl Exclude {
    /// Adds one pattern.
    pub fn add(&mut self, pattern: &str) {
        self.patterns.push(pattern.chars().collect());
    }

    /// Adds every line of an `--exclude-from` file. Like gnulib's
    /// `add_exclude_fp` (which GNU tar uses), trailing white space is
    /// dropped and blank lines add nothing.
    pub fn add_lines(&mut self, text: &str) {
        for line in text.split('\n') {
            let line = line.trim_end_matches(|c: char| c.is_ascii_whitespace());
            if !line.is_empty() {
                self.add(line);
            }
        }
    }

    /// Whether `name` (a member name or a path as given) is excluded.
    pub fn excludes(&self, name: &str) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let name: Vec<char> = name.chars().collect();
        self.patterns.iter().any(|p| matches_unanchored(p, &name))
    }
}

/// GNU's `exclude_fnmatch` without `EXCLUDE_ANCHORED`: the whole name, then
/// every suffix that follows a `/` (but not one starting with another `/`).
fn matches_unanchored(pattern: &[char], name: &[char]) -> bool {
    if fnmatch(pattern, name) {
        return true;
    }
    (0..name.len()).any(|i| {
        name[i] == '/'
            && name.get(i + 1).is_some_and(|&c| c != '/')
            && fnmatch(pattern, &name[i + 1..])
    })
}

/// `fnmatch(pattern, text, FNM_LEADING_DIR)`: no `FNM_PATHNAME`, no
/// `FNM_PERIOD`, backslash escapes on.
fn fnmatch(pattern: &[char], text: &[char]) -> bool {
    let Some((&first, rest)) = pattern.split_first() else {
        // FNM_LEADING_DIR: the pattern may stop at a directory boundary.
        return text.is_empty() || text[0] == '/';
    };
    match first {
        '*' => {
            let rest: &[char] = {
                let skip = rest.iter().take_while(|&&c| c == '*').count();
                &rest[skip..]
            };
            if rest.is_empty() {
                return true;
            }
            (0..=text.len()).any(|i| fnmatch(rest, &text[i..]))
        }
        '?' => !text.is_empty() && fnmatch(rest, &text[1..]),
        '[' => match bracket(rest) {
            Some((set, after)) => {
                text.first().is_some_and(|&c| set.contains(c)) && fnmatch(after, &text[1..])
            }
            // An unclosed bracket is an ordinary character.
            None => text.first() == Some(&'[') && fnmatch(rest, &text[1..]),
        },
        '\\' if !rest.is_empty() => {
            text.first() == Some(&rest[0]) && fnmatch(&rest[1..], &text[1..])
        }
        c => text.first() == Some(&c) && fnmatch(rest, &text[1..]),
    }
}

/// A parsed bracket expression `[...]`.
struct Set {
    negated: bool,
    items: Vec<Item>,
}

/// A character class test such as `[:digit:]`.
type ClassFn = fn(char) -> bool;

enum Item {
    Char(char),
    Range(char, char),
    Class(ClassFn),
}

impl Set {
    fn contains(&self, c: char) -> bool {
        let hit = self.items.iter().any(|item| match *item {
            Item::Char(x) => x == c,
            Item::Range(lo, hi) => lo <= c && c <= hi,
            Item::Class(f) => f(c),
        });
        hit != self.negated
    }
}

/// Parses a bracket expression whose `[` has been consumed; returns the set
/// and the pattern after the closing `]`, or `None` if it is not closed.
fn bracket(p: &[char]) -> Option<(Set, &[char])> {
    let mut i = 0;
    let negated = matches!(p.first(), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *p.get(i)?;
        if c == ']' && !first {
            return Some((Set { negated, items }, &p[i + 1..]));
        }
        first = false;
        if c == '[' && p.get(i + 1) == Some(&':') {
            if let Some((class, len)) = class(&p[i + 2..]) {
                items.push(Item::Class(class));
                i += 2 + len;
                continue;
            }
        }
        let (lo, used) = match c {
            '\\' => (*p.get(i + 1)?, 2),
            c => (c, 1),
        };
        i += used;
        // `a-z` is a range unless the `-` is last (`[a-]`).
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&n| n != ']') {
            let (hi, used) = match p[i + 1] {
                '\\' => (*p.get(i + 2)?, 3),
                c => (c, 2),
            };
            items.push(Item::Range(lo, hi));
            i += used;
        } else {
            items.push(Item::Char(lo));
        }
    }
}

/// A character class name followed by `:]`; returns the test and how many
/// pattern characters it used (name and `:]`).
fn class(p: &[char]) -> Option<(ClassFn, usize)> {
    let end = p.windows(2).position(|w| w == [':', ']'])?;
    let name: String = p[..end].iter().collect();
    let f: ClassFn = match name.as_str() {
        "alpha" => |c| c.is_ascii_alphabetic(),
        "digit" => |c| c.is_ascii_digit(),
        "alnum" => |c| c.is_ascii_alphanumeric(),
        "upper" => |c| c.is_ascii_uppercase(),
        "lower" => |c| c.is_ascii_lowercase(),
        "space" => |c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        "blank" => |c| c == ' ' || c == '\t',
        "punct" => |c| c.is_ascii_punctuation(),
        "print" => |c| c.is_ascii_graphic() || c == ' ',
        "graph" => |c| c.is_ascii_graphic(),
        "cntrl" => |c| c.is_ascii_control(),
        "xdigit" => |c| c.is_ascii_hexdigit(),
        _ => return None,
    };
    Some((f, end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(patterns: &[&str], name: &str) -> bool {
        let mut e = Exclude::default();
        for p in patterns {
            e.add(p);
        }
        e.excludes(name)
    }

    #[test]
    fn suffixes_after_a_slash_match() {
        assert!(ex(&["*.csv"], "data/a.csv"));
        assert!(ex(&["a.csv"], "data/a.csv"));
        assert!(ex(&["sub"], "data/sub"));
        assert!(!ex(&["ta/a.csv"], "data/a.csv"));
        assert!(!ex(&["*.csv"], "data/a.csvx"));
        assert!(!ex(&[], "data"));
    }

    #[test]
    fn a_directory_pattern_covers_its_contents() {
        assert!(ex(&["sub"], "data/sub/c.txt"));
        assert!(ex(&["data"], "data/sub/c.txt"));
        assert!(!ex(&["su"], "data/sub/c.txt"));
        assert!(!ex(&["sub/"], "data/sub"));
    }

    #[test]
    fn wildcards_match_slashes_and_dots() {
        assert!(ex(&["data*c.txt"], "data/sub/c.txt"));
        assert!(ex(&["d?ta/s*"], "data/sub"));
        assert!(ex(&["*"], ".hidden"));
        assert!(ex(&["data?sub"], "data/sub"));
    }

    #[test]
    fn brackets_and_escapes() {
        assert!(ex(&["[ab].csv"], "d/a.csv"));
        assert!(!ex(&["[!ab].csv"], "d/a.csv"));
        assert!(ex(&["[^ab].csv"], "d/c.csv"));
        assert!(ex(&["[a-c].csv"], "d/b.csv"));
        assert!(ex(&["[]x].csv"], "d/].csv"));
        assert!(ex(&["[a-].csv"], "d/-.csv"));
        assert!(ex(&["[[:digit:]]*"], "d/1.txt"));
        assert!(!ex(&["[[:digit:]]*"], "d/x.txt"));
        assert!(ex(&["\\*"], "d/*"));
        assert!(!ex(&["\\*"], "d/x"));
        assert!(ex(&["a[b"], "a[b"));
        assert!(!ex(&["a[b"], "ab"));
    }

    #[test]
    fn exclude_from_lines() {
        let mut e = Exclude::default();
        e.add_lines("*.csv  \n\n \nsub\n");
        assert!(e.excludes("x/y.csv") && e.excludes("a/sub/z") && !e.excludes("notes.txt"));
        // A blank line is no pattern (an empty one would match "/abs").
        assert!(!e.excludes("/abs"));
    }
}
