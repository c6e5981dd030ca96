//! Option parsing for builtins, as bash's `internal_getopt` does it.
//!
//! Options come first; the first word that is not an option (or is `-`
//! alone) ends them, and `--` ends them and is dropped. A letter followed
//! by `:` in the spec takes an argument, attached (`-vname`) or as the
//! next word. Errors print bash's two lines — `bash: line N: read: -z:
//! invalid option` and `read: usage: …` — and the builtin returns 2.

use crate::interp::Interp;

/// Exit status of a builtin given bad options (bash's `EX_USAGE`).
pub(crate) const STATUS_USAGE: i32 = 2;

/// The options of one invocation, in order, and where the operands start.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// Each option letter with its argument, if it takes one.
    pub(crate) options: Vec<(char, Option<String>)>,
    /// Index in `argv` of the first operand.
    pub(crate) first_operand: usize,
}

/// Why the options were refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum OptError {
    /// `-x` is not an option of this builtin.
    Invalid(char),
    /// `-x` needs an argument and none followed.
    MissingArgument(char),
}

/// Parses the options of `argv` (whose `argv[0]` is the builtin's name)
/// against `spec`.
pub(crate) fn parse(argv: &[String], spec: &str) -> Result<Parsed, OptError> {
    let mut options = Vec::new();
    let mut i = 1;
    while i < argv.len() {
        let word = &argv[i];
        if word == "--" {
            i += 1;
            break;
        }
        let Some(letters) = word.strip_prefix('-').filter(|l| !l.is_empty()) else {
            break;
        };
        for (at, c) in letters.char_indices() {
            let Some(pos) = spec.find(c).filter(|_| c != ':') else {
                return Err(OptError::Invalid(c));
            };
            if spec[pos + c.len_utf8()..].starts_with(':') {
                let attached = &letters[at + c.len_utf8()..];
                let value = if !attached.is_empty() {
                    attached.to_string()
                } else {
                    i += 1;
                    argv.get(i).cloned().ok_or(OptError::MissingArgument(c))?
                };
                options.push((c, Some(value)));
                break;
            }
            options.push((c, None));
        }
        i += 1;
    }
    Ok(Parsed {
        options,
        first_operand: i,
    })
}

impl Interp {
    /// Reports bad options of builtin `name` like bash (the error line,
    /// then `name: usage: usage`) and returns [`STATUS_USAGE`].
    pub(crate) async fn option_error(&mut self, name: &str, err: OptError, usage: &str) -> i32 {
        let message = match err {
            OptError::Invalid(c) => format!("-{c}: invalid option"),
            OptError::MissingArgument(c) => format!("-{c}: option requires an argument"),
        };
        self.builtin_error(name, &message).await;
        self.usage(name, usage).await
    }

    /// Prints `name: usage: usage` to stderr and returns [`STATUS_USAGE`].
    pub(crate) async fn usage(&mut self, name: &str, usage: &str) -> i32 {
        let line = format!("{name}: usage: {usage}\n");
        let _ = self.state.fds.stderr().write_all(line.as_bytes()).await;
        STATUS_USAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn options_end_at_the_first_operand_or_double_dash() {
        let parsed = parse(&argv(&["read", "-rs", "-d", ":", "x", "-n"]), "rsd:").unwrap();
        assert_eq!(
            parsed.options,
            [('r', None), ('s', None), ('d', Some(":".into()))]
        );
        assert_eq!(parsed.first_operand, 4);
        let parsed = parse(&argv(&["read", "--", "-r"]), "r").unwrap();
        assert_eq!((parsed.options.len(), parsed.first_operand), (0, 2));
        let parsed = parse(&argv(&["read", "-", "x"]), "r").unwrap();
        assert_eq!(parsed.first_operand, 1);
    }

    #[test]
    fn arguments_attach_or_follow() {
        let parsed = parse(&argv(&["printf", "-vname", "%s"]), "v:").unwrap();
        assert_eq!(parsed.options, [('v', Some("name".into()))]);
        assert_eq!(parsed.first_operand, 2);
        assert_eq!(
            parse(&argv(&["printf", "-v"]), "v:"),
            Err(OptError::MissingArgument('v'))
        );
        assert_eq!(
            parse(&argv(&["read", "-z"]), "r"),
            Err(OptError::Invalid('z'))
        );
        assert_eq!(
            parse(&argv(&["read", "-:"]), "d:"),
            Err(OptError::Invalid(':'))
        );
    }
}
