//! GNU `getopt_long` as diff uses it: options and operands may be mixed
//! (operands are collected, options handled in order), short options
//! cluster (`-ru`, `-U1`), a short option's argument may be attached or be
//! the next word, long options may be abbreviated to a unique prefix and
//! take `--opt=value` or `--opt value` (optional arguments only the first
//! way), and `--` ends the options.

use std::ffi::{OsStr, OsString};

/// Whether an option takes an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// No argument.
    No,
    /// A mandatory argument.
    Required,
    /// An optional argument (`--opt=value` only; never for short options
    /// in diff).
    Optional,
}

/// A long option: name, argument kind and the key it reports.
pub struct Long<K> {
    /// Name without the leading `--`.
    pub name: &'static str,
    /// Argument kind.
    pub arg: Arg,
    /// What the option means.
    pub key: K,
}

/// One parsed item, in command-line order.
#[derive(Debug, PartialEq, Eq)]
pub enum Item<K> {
    /// An option and its argument, if any.
    Opt(K, Option<OsString>),
    /// An operand.
    Operand(OsString),
}

/// A usage error, worded as GNU getopt words it.
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// Everything parsed, plus the words that were options (for the switch
/// string GNU diff echoes in `diff -r ...` lines).
pub struct Parsed<K> {
    /// Options and operands in order.
    pub items: Vec<Item<K>>,
    /// The command-line words that were options or their arguments.
    pub option_words: Vec<OsString>,
}

/// Parses `args` (without the program name). `short` maps an option letter
/// to its argument kind and key.
pub fn parse<K: Copy + PartialEq>(
    args: &[OsString],
    short: &dyn Fn(u8) -> Option<(Arg, K)>,
    long: &[Long<K>],
) -> Result<Parsed<K>, UsageError> {
    let mut items = Vec::new();
    let mut option_words = Vec::new();
    let mut k = 0;
    while k < args.len() {
        let word = bytes(&args[k]);
        k += 1;
        if word == b"--" {
            option_words.push(args[k - 1].clone());
            items.extend(args[k..].iter().cloned().map(Item::Operand));
            break;
        }
        if let Some(body) = word.strip_prefix(b"--") {
            option_words.push(args[k - 1].clone());
            let (name, value) = match body.iter().position(|&b| b == b'=') {
                Some(eq) => (&body[..eq], Some(os(&body[eq + 1..]))),
                None => (body, None),
            };
            let opt = find_long(long, name, &word)?;
            let value = match (opt.arg, value) {
                (Arg::No, Some(_)) => {
                    return Err(UsageError(format!(
                        "option '--{}' doesn't allow an argument",
                        opt.name
                    )));
                }
                (Arg::Required, None) => {
                    let Some(next) = args.get(k) else {
                        return Err(UsageError(format!(
                            "option '--{}' requires an argument",
                            opt.name
                        )));
                    };
                    option_words.push(next.clone());
                    k += 1;
                    Some(next.clone())
                }
                (_, value) => value,
            };
            items.push(Item::Opt(opt.key, value));
            continue;
        }
        if word.len() > 1 && word[0] == b'-' {
            option_words.push(args[k - 1].clone());
            let mut j = 1;
            while j < word.len() {
                let c = word[j];
                j += 1;
                let Some((arg, key)) = short(c) else {
                    return Err(UsageError(format!("invalid option -- '{}'", c as char)));
                };
                if arg == Arg::No {
                    items.push(Item::Opt(key, None));
                    continue;
                }
                let value = if j < word.len() {
                    os(&word[j..])
                } else if let Some(next) = args.get(k) {
                    option_words.push(next.clone());
                    k += 1;
                    next.clone()
                } else {
                    return Err(UsageError(format!(
                        "option requires an argument -- '{}'",
                        c as char
                    )));
                };
                items.push(Item::Opt(key, Some(value)));
                break;
            }
            continue;
        }
        items.push(Item::Operand(args[k - 1].clone()));
    }
    Ok(Parsed {
        items,
        option_words,
    })
}

/// The long option `name` abbreviates: an exact match, else the only
/// option it is a prefix of.
fn find_long<'l, K: Copy + PartialEq>(
    long: &'l [Long<K>],
    name: &[u8],
    word: &[u8],
) -> Result<&'l Long<K>, UsageError> {
    if let Some(exact) = long.iter().find(|o| o.name.as_bytes() == name) {
        return Ok(exact);
    }
    let matches: Vec<&Long<K>> = long
        .iter()
        .filter(|o| o.name.as_bytes().starts_with(name))
        .collect();
    let shown = String::from_utf8_lossy(word);
    let shown = shown.split('=').next().unwrap_or_default();
    match matches.as_slice() {
        [] => Err(UsageError(format!("unrecognized option '{shown}'"))),
        [one] => Ok(one),
        [first, rest @ ..]
            if rest
                .iter()
                .all(|o| o.key == first.key && o.arg == first.arg) =>
        {
            Ok(first)
        }
        many => {
            let list: Vec<String> = many.iter().map(|o| format!("'--{}'", o.name)).collect();
            Err(UsageError(format!(
                "option '{shown}' is ambiguous; possibilities: {}",
                list.join(" ")
            )))
        }
    }
}

/// The bytes of an argument (lossy only where the platform has no byte
/// view of its strings).
pub fn bytes(s: &OsStr) -> Vec<u8> {
    #[cfg(any(unix, target_os = "wasi"))]
    {
        #[cfg(unix)]
        use std::os::unix::ffi::OsStrExt;
        #[cfg(target_os = "wasi")]
        use std::os::wasi::ffi::OsStrExt;
        s.as_bytes().to_vec()
    }
    #[cfg(not(any(unix, target_os = "wasi")))]
    {
        s.to_string_lossy().into_owned().into_bytes()
    }
}

/// An argument from bytes.
pub fn os(b: &[u8]) -> OsString {
    #[cfg(any(unix, target_os = "wasi"))]
    {
        #[cfg(unix)]
        use std::os::unix::ffi::OsStrExt;
        #[cfg(target_os = "wasi")]
        use std::os::wasi::ffi::OsStrExt;
        OsStr::from_bytes(b).to_owned()
    }
    #[cfg(not(any(unix, target_os = "wasi")))]
    {
        OsString::from(String::from_utf8_lossy(b).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum K {
        R,
        U,
        Unified,
        Unidir,
        Label,
    }

    fn short(c: u8) -> Option<(Arg, K)> {
        match c {
            b'r' => Some((Arg::No, K::R)),
            b'U' => Some((Arg::Required, K::U)),
            _ => None,
        }
    }

    const LONG: &[Long<K>] = &[
        Long {
            name: "label",
            arg: Arg::Required,
            key: K::Label,
        },
        Long {
            name: "unidirectional-new-file",
            arg: Arg::No,
            key: K::Unidir,
        },
        Long {
            name: "unified",
            arg: Arg::Optional,
            key: K::Unified,
        },
    ];

    fn run(args: &[&str]) -> Result<Vec<Item<K>>, UsageError> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        parse(&args, &short, LONG).map(|p| p.items)
    }

    #[test]
    fn clusters_attached_arguments_and_permutation() {
        assert_eq!(
            run(&["a", "-rU1", "b", "--lab", "x"]).unwrap(),
            vec![
                Item::Operand("a".into()),
                Item::Opt(K::R, None),
                Item::Opt(K::U, Some("1".into())),
                Item::Operand("b".into()),
                Item::Opt(K::Label, Some("x".into())),
            ]
        );
        assert_eq!(
            run(&["--unified=5", "--", "-r"]).unwrap(),
            vec![
                Item::Opt(K::Unified, Some("5".into())),
                Item::Operand("-r".into())
            ]
        );
        assert_eq!(run(&["-"]).unwrap(), vec![Item::Operand("-".into())]);
    }

    #[test]
    fn errors_are_worded_like_getopt() {
        assert_eq!(run(&["-k"]).unwrap_err().0, "invalid option -- 'k'");
        assert_eq!(
            run(&["-U"]).unwrap_err().0,
            "option requires an argument -- 'U'"
        );
        assert_eq!(
            run(&["--foo"]).unwrap_err().0,
            "unrecognized option '--foo'"
        );
        assert_eq!(
            run(&["--uni"]).unwrap_err().0,
            "option '--uni' is ambiguous; possibilities: '--unidirectional-new-file' '--unified'"
        );
        assert_eq!(
            run(&["--unidirectional-new-file=1"]).unwrap_err().0,
            "option '--unidirectional-new-file' doesn't allow an argument"
        );
        assert_eq!(
            run(&["--label"]).unwrap_err().0,
            "option '--label' requires an argument"
        );
    }
}
