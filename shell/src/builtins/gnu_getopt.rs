//! GNU `getopt_long` for the programs the shell implements in place of
//! their GNU originals (`env`, `timeout`, `xargs`): clustered short
//! options, attached or separate values, long options abbreviated to any
//! unambiguous prefix, `--`, and glibc's error messages. All three stop
//! at the first operand (glibc's `+` mode), so `xargs grep -n x` leaves
//! `-n` to grep. (Builtins parse theirs with `internal_getopt`.)

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HasArg {
    /// `-x`, `--flag`.
    No,
    /// `-x VALUE`, `-xVALUE`, `--name VALUE`, `--name=VALUE`.
    Required,
    /// `-xVALUE` or `--name=VALUE` only; `-x` alone has no value.
    Optional,
}

/// A long option: its full name, whether it takes a value, and the key it
/// is reported under (its short twin, or a private key).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LongOpt {
    /// The name without `--`.
    pub(crate) name: &'static str,
    /// Whether it takes a value.
    pub(crate) has_arg: HasArg,
    /// The key reported for it.
    pub(crate) key: char,
}

/// Shorthand for a [`LongOpt`] table row.
pub(crate) const fn long(name: &'static str, has_arg: HasArg, key: char) -> LongOpt {
    LongOpt { name, has_arg, key }
}

/// One parsed option: its key and value.
pub(crate) type Parsed = (char, Option<String>);

/// What went wrong, in glibc's words (without the program name prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageError(pub(crate) String);

/// Parses the options at the start of `args` (which excludes the program
/// name). `short` is a getopt string (`"0a:e::"`: `:` a required value,
/// `::` an optional one). Returns the options in order and the index of
/// the first operand.
pub(crate) fn parse(
    args: &[String],
    short: &str,
    longs: &[LongOpt],
) -> Result<(Vec<Parsed>, usize), UsageError> {
    let mut parsed = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            return Ok((parsed, i + 1));
        }
        if let Some(body) = arg.strip_prefix("--") {
            i += 1;
            let (key, value) = parse_long(body, args, &mut i, longs)?;
            parsed.push((key, value));
            continue;
        }
        if arg.len() < 2 || !arg.starts_with('-') {
            break;
        }
        i += 1;
        let chars: Vec<char> = arg[1..].chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            j += 1;
            let Some(kind) = short_kind(short, c) else {
                return Err(UsageError(format!("invalid option -- '{c}'")));
            };
            match kind {
                HasArg::No => parsed.push((c, None)),
                HasArg::Optional => {
                    let rest: String = chars[j..].iter().collect();
                    parsed.push((c, (!rest.is_empty()).then_some(rest)));
                    break;
                }
                HasArg::Required => {
                    let rest: String = chars[j..].iter().collect();
                    if !rest.is_empty() {
                        parsed.push((c, Some(rest)));
                    } else if i < args.len() {
                        parsed.push((c, Some(args[i].clone())));
                        i += 1;
                    } else {
                        return Err(UsageError(format!("option requires an argument -- '{c}'")));
                    }
                    break;
                }
            }
        }
    }
    Ok((parsed, i))
}

/// What `c` is in a getopt string, if it is an option at all.
fn short_kind(short: &str, c: char) -> Option<HasArg> {
    if c == ':' {
        return None;
    }
    let at = short.find(c)?;
    let rest = &short[at + c.len_utf8()..];
    Some(if rest.starts_with("::") {
        HasArg::Optional
    } else if rest.starts_with(':') {
        HasArg::Required
    } else {
        HasArg::No
    })
}

/// Parses `--body` (already past it in `args`; `*i` is the next argument).
fn parse_long(
    body: &str,
    args: &[String],
    i: &mut usize,
    longs: &[LongOpt],
) -> Result<Parsed, UsageError> {
    let (name, inline) = match body.split_once('=') {
        Some((name, value)) => (name, Some(value.to_string())),
        None => (body, None),
    };
    let option = match longs.iter().find(|o| o.name == name) {
        Some(exact) => *exact,
        None => {
            let matches: Vec<&LongOpt> =
                longs.iter().filter(|o| o.name.starts_with(name)).collect();
            let distinct = matches
                .iter()
                .all(|o| o.key == matches[0].key && o.has_arg == matches[0].has_arg);
            match matches.as_slice() {
                [] => return Err(UsageError(format!("unrecognized option '--{body}'"))),
                [first, ..] if distinct => **first,
                _ => {
                    let names: Vec<String> =
                        matches.iter().map(|o| format!(" '--{}'", o.name)).collect();
                    return Err(UsageError(format!(
                        "option '--{body}' is ambiguous; possibilities:{}",
                        names.concat()
                    )));
                }
            }
        }
    };
    match (option.has_arg, inline) {
        (HasArg::No, Some(_)) => Err(UsageError(format!(
            "option '--{}' doesn't allow an argument",
            option.name
        ))),
        (HasArg::No, None) | (HasArg::Optional, None) => Ok((option.key, None)),
        (_, Some(value)) => Ok((option.key, Some(value))),
        (HasArg::Required, None) => {
            if *i < args.len() {
                *i += 1;
                Ok((option.key, Some(args[*i - 1].clone())))
            } else {
                Err(UsageError(format!(
                    "option '--{}' requires an argument",
                    option.name
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONGS: &[LongOpt] = &[
        long("max-args", HasArg::Required, 'n'),
        long("max-lines", HasArg::Optional, 'l'),
        long("null", HasArg::No, '0'),
        long("verbose", HasArg::No, 't'),
    ];

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clusters_values_and_the_first_operand() {
        let (opts, first) =
            parse(&args(&["-0tn2", "-e", "x", "-n", "3"]), "0te::n:", LONGS).unwrap();
        assert_eq!(
            opts,
            vec![
                ('0', None),
                ('t', None),
                ('n', Some("2".into())),
                ('e', None)
            ]
        );
        // `-e` takes no detached value, so `x` is the first operand.
        assert_eq!(first, 2);
    }

    #[test]
    fn long_options_by_prefix_with_glibc_errors() {
        let (opts, first) = parse(&args(&["--max-a=4", "--null", "--", "-x"]), "", LONGS).unwrap();
        assert_eq!(opts, vec![('n', Some("4".into())), ('0', None)]);
        assert_eq!(first, 3);
        assert_eq!(
            parse(&args(&["--max"]), "", LONGS).unwrap_err().0,
            "option '--max' is ambiguous; possibilities: '--max-args' '--max-lines'"
        );
        assert_eq!(
            parse(&args(&["--null=1"]), "", LONGS).unwrap_err().0,
            "option '--null' doesn't allow an argument"
        );
        assert_eq!(
            parse(&args(&["--max-args"]), "", LONGS).unwrap_err().0,
            "option '--max-args' requires an argument"
        );
        assert_eq!(
            parse(&args(&["--bogus"]), "", LONGS).unwrap_err().0,
            "unrecognized option '--bogus'"
        );
        assert_eq!(
            parse(&args(&["-q"]), "n:", LONGS).unwrap_err().0,
            "invalid option -- 'q'"
        );
        assert_eq!(
            parse(&args(&["-n"]), "n:", LONGS).unwrap_err().0,
            "option requires an argument -- 'n'"
        );
    }

    #[test]
    fn a_lone_dash_is_an_operand() {
        let (opts, first) = parse(&args(&["-", "x"]), "i", LONGS).unwrap();
        assert!(opts.is_empty());
        assert_eq!(first, 0);
    }
}
