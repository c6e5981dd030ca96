//! `umask [-p] [-S] [mode]`.

use super::internal_getopt::{self, Parsed};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

const USAGE: &str = "umask [-p] [-S] [mode]";

/// `umask`: prints the file mode creation mask (`0022`, `-S` as
/// `u=rwx,g=rx,o=rx`, `-p` as a reusable command) or sets it from an
/// octal number or a symbolic mode (`u=rwx,g-w`). With `-S`, setting it
/// also prints the new mask symbolically, as bash does.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let Parsed {
            options,
            first_operand,
        } = match internal_getopt::parse(&argv, "pS") {
            Ok(parsed) => parsed,
            Err(err) => return done(sh.option_error("umask", err, USAGE).await),
        };
        let symbolic = options.iter().any(|(c, _)| *c == 'S');
        let reusable = options.iter().any(|(c, _)| *c == 'p');
        let Some(mode) = argv.get(first_operand) else {
            let mask = sh.state.umask;
            let mut text = String::new();
            if reusable {
                text.push_str(if symbolic { "umask -S " } else { "umask " });
            }
            if symbolic {
                text.push_str(&symbolic_mask(mask));
            } else {
                text.push_str(&format!("{mask:04o}\n"));
            }
            let ok = sh.out("umask", text.as_bytes()).await?;
            return done(if ok { 0 } else { 1 });
        };
        let mask = if mode.starts_with(|c: char| c.is_ascii_digit()) {
            match read_octal(mode) {
                // The kernel keeps only the permission bits.
                Some(value) => value & 0o777,
                None => {
                    sh.builtin_error("umask", &format!("{mode}: octal number out of range"))
                        .await;
                    return done(1);
                }
            }
        } else {
            // Symbolic modes name the bits to allow: work on the complement.
            match parse_symbolic_mode(mode, !sh.state.umask & 0o777) {
                Ok(allowed) => !allowed & 0o777,
                Err(message) => {
                    sh.builtin_error("umask", &message).await;
                    return done(1);
                }
            }
        };
        sh.state.umask = mask;
        if symbolic {
            let ok = sh.out("umask", symbolic_mask(mask).as_bytes()).await?;
            return done(if ok { 0 } else { 1 });
        }
        done(0)
    })
}

/// `u=rwx,g=rx,o=rx` for the permissions `mask` leaves, with a newline.
fn symbolic_mask(mask: u32) -> String {
    let class = |shift: u32| {
        let allowed = !mask >> shift & 0o7;
        let mut bits = String::new();
        for (bit, letter) in [(4, 'r'), (2, 'w'), (1, 'x')] {
            if allowed & bit != 0 {
                bits.push(letter);
            }
        }
        bits
    };
    format!("u={},g={},o={}\n", class(6), class(3), class(0))
}

/// bash's `read_octal`: octal digits only, at most `07777`.
fn read_octal(text: &str) -> Option<u32> {
    let mut value = 0u32;
    for c in text.chars() {
        let digit = c.to_digit(8)?;
        value = value * 8 + digit;
        if value > 0o7777 {
            return None;
        }
    }
    (!text.is_empty()).then_some(value)
}

/// bash's `parse_symbolic_mode`: comma-separated clauses `[ugoa]*[+-=][rwx]*`
/// applied to `bits`; the error names the offending character.
fn parse_symbolic_mode(mode: &str, mut bits: u32) -> Result<u32, String> {
    let mut chars = mode.chars().peekable();
    loop {
        let mut who = 0;
        while let Some(&c) = chars.peek() {
            who |= match c {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => break,
            };
            chars.next();
        }
        // An empty clause shows bash's NUL character in the message.
        let op = chars.next().unwrap_or('\0');
        if !matches!(op, '+' | '-' | '=') {
            return Err(format!("`{op}': invalid symbolic mode operator"));
        }
        let mut perm = 0;
        while let Some(&c) = chars.peek() {
            perm |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => break,
            };
            chars.next();
        }
        match chars.next() {
            None | Some(',') => {}
            Some(other) => return Err(format!("`{other}': invalid symbolic mode character")),
        }
        if who != 0 {
            perm &= who;
        }
        match op {
            '+' => bits |= perm,
            '-' => bits &= !perm,
            _ => {
                let who = if who == 0 { 0o777 } else { who };
                bits = (bits & !who) | perm;
            }
        }
        if chars.peek().is_none() {
            // A trailing comma starts an empty clause, which bash rejects.
            if mode.ends_with(',') {
                return Err("`\0': invalid symbolic mode operator".into());
            }
            return Ok(bits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbolic_modes_change_the_allowed_bits() {
        assert_eq!(parse_symbolic_mode("u=rwx,g=rx,o=", 0o755), Ok(0o750));
        assert_eq!(parse_symbolic_mode("a+w", 0o755), Ok(0o777));
        assert_eq!(parse_symbolic_mode("=r", 0o755), Ok(0o444));
        assert_eq!(parse_symbolic_mode("-", 0o755), Ok(0o755));
        assert_eq!(
            parse_symbolic_mode("o=u", 0o755),
            Err("`u': invalid symbolic mode character".into())
        );
        assert_eq!(
            parse_symbolic_mode("x=r", 0o755),
            Err("`x': invalid symbolic mode operator".into())
        );
        assert!(parse_symbolic_mode("u=r,", 0o755).is_err());
    }

    #[test]
    fn octal_masks_are_bounded() {
        assert_eq!(read_octal("022"), Some(0o22));
        assert_eq!(read_octal("7777"), Some(0o7777));
        assert_eq!(read_octal("17777"), None);
        assert_eq!(read_octal("8"), None);
        assert_eq!(read_octal("02x"), None);
    }

    #[test]
    fn masks_print_as_permissions_left() {
        assert_eq!(symbolic_mask(0o022), "u=rwx,g=rx,o=rx\n");
        assert_eq!(symbolic_mask(0o777), "u=,g=,o=\n");
    }
}
