//! `echo [-neE] [arg…]`.

use super::{done, Ret};
use crate::error::Exec;
use crate::expand::text::echo_escapes;
use crate::interp::{BoxFuture, Interp};

/// Leading options of bash's echo: any run of `-n`, `-e`, `-E` letters;
/// the first argument that is not one is printed (no `--`).
fn options(argv: &[String]) -> (usize, bool, bool) {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 1;
    for arg in &argv[1..] {
        let Some(flags) = arg.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    (first, newline, escapes)
}

/// `echo`: prints its arguments separated by spaces.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let (first, mut newline, escapes) = options(&argv);
        let mut text = String::new();
        for (i, arg) in argv[first..].iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            if escapes {
                let (expanded, stop) = echo_escapes(arg);
                text.push_str(&expanded);
                if stop {
                    newline = false;
                    break;
                }
            } else {
                text.push_str(arg);
            }
        }
        if newline {
            text.push('\n');
        }
        let ok = sh.out("echo", text.as_bytes()).await?;
        done(if ok { 0 } else { 1 })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<String> {
        std::iter::once("echo")
            .chain(args.iter().copied())
            .map(String::from)
            .collect()
    }

    #[test]
    fn parses_flags_like_bash() {
        assert_eq!(options(&argv(&["-n", "x"])), (2, false, false));
        assert_eq!(options(&argv(&["-ne", "x"])), (2, false, true));
        assert_eq!(options(&argv(&["-nx", "x"])), (1, true, false));
        assert_eq!(options(&argv(&["-", "x"])), (1, true, false));
        assert_eq!(options(&argv(&["--", "x"])), (1, true, false));
    }
}
