//! `chmod`: accepted and checked, without effect on the filesystem.
//!
//! The sandbox's files have no permission bits (WASI preview 1 has none,
//! and every file is readable, writable and runnable by the one user), yet
//! `chmod +x script.sh && ./script.sh` is how agents run what they write.
//! So `chmod` validates like GNU chmod — the mode's syntax, that every file
//! exists — and reports GNU's errors and statuses, but changes nothing.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `chmod [-cfvR] MODE[,MODE]... FILE...`
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut quiet = false;
        let mut operands = Vec::new();
        let mut options_done = false;
        for arg in &argv[1..] {
            if options_done || !arg.starts_with('-') || arg == "-" || is_mode(arg) {
                operands.push(arg.clone());
                continue;
            }
            match arg.as_str() {
                "--" => options_done = true,
                "--silent" | "--quiet" => quiet = true,
                "--changes" | "--verbose" | "--recursive" | "--no-preserve-root"
                | "--preserve-root" => {}
                "--help" => {
                    sh.out("chmod", HELP.as_bytes()).await?;
                    return done(0);
                }
                long if long.starts_with("--") => {
                    return usage_error(sh, &format!("unrecognized option '{long}'")).await;
                }
                short => {
                    for letter in short[1..].chars() {
                        match letter {
                            'f' => quiet = true,
                            'c' | 'v' | 'R' => {}
                            other => {
                                return usage_error(sh, &format!("invalid option -- '{other}'"))
                                    .await
                            }
                        }
                    }
                }
            }
        }
        let Some((mode, files)) = operands.split_first() else {
            return usage_error(sh, "missing operand").await;
        };
        if files.is_empty() {
            return usage_error(sh, &format!("missing operand after '{mode}'")).await;
        }
        if !is_mode(mode) {
            return usage_error(sh, &format!("invalid mode: '{mode}'")).await;
        }
        let mut status = 0;
        for file in files {
            let path = sh.absolute_path(file);
            if let Err(err) = sh.env.fs.metadata(&path).await {
                if !quiet {
                    let message = format!("chmod: cannot access '{file}': {}\n", err.errno());
                    let _ = sh.state.fds.stderr().write_all(message.as_bytes()).await;
                }
                status = 1;
            }
        }
        done(status)
    })
}

/// GNU's two lines for a usage error, status 1.
async fn usage_error(sh: &mut Interp, message: &str) -> Exec<Ret> {
    let text = format!("chmod: {message}\nTry 'chmod --help' for more information.\n");
    let _ = sh.state.fds.stderr().write_all(text.as_bytes()).await;
    done(1)
}

/// True for a mode chmod accepts: octal (`755`), or symbolic clauses
/// separated by commas (`u+x`, `go-w`, `a=rX,u+s`, `+t`, `g=u`).
fn is_mode(text: &str) -> bool {
    if !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return true;
    }
    !text.is_empty() && text.split(',').all(is_clause)
}

fn is_clause(clause: &str) -> bool {
    let actions = clause.trim_start_matches(['u', 'g', 'o', 'a']);
    if actions.is_empty() {
        return false;
    }
    let mut chars = actions.chars().peekable();
    while let Some(op) = chars.next() {
        if !matches!(op, '+' | '-' | '=') {
            return false;
        }
        // Either permission letters, one of u/g/o (copy), or octal digits.
        let mut perms = String::new();
        while let Some(&c) = chars.peek() {
            if matches!(c, '+' | '-' | '=') {
                break;
            }
            perms.push(c);
            chars.next();
        }
        let valid = perms.chars().all(|c| "rwxXst".contains(c))
            || matches!(perms.as_str(), "u" | "g" | "o")
            || (!perms.is_empty() && perms.chars().all(|c| ('0'..='7').contains(&c)));
        if !valid {
            return false;
        }
    }
    true
}

const HELP: &str = "\
Usage: chmod [OPTION]... MODE[,MODE]... FILE...
Change the mode of each FILE to MODE.

  -c, --changes          like verbose but report only when a change is made
  -f, --silent, --quiet  suppress most error messages
  -v, --verbose          output a diagnostic for every file processed
  -R, --recursive        change files and directories recursively
      --help             display this help and exit

In the sandbox files have no permission bits: chmod checks its arguments
as GNU chmod does and changes nothing (every file can be read, written and
run).
";

#[cfg(test)]
mod tests {
    use super::is_mode;

    #[test]
    fn modes_are_checked_like_gnu() {
        for ok in [
            "755", "0644", "+x", "u+x", "go-w", "a=rX,u+s", "+t", "g=u", "u+x-w", "=", "u=",
        ] {
            assert!(is_mode(ok), "{ok}");
        }
        for bad in ["", "x", "8", "u+q", "uu", "+xu", "999999"] {
            assert!(!is_mode(bad), "{bad}");
        }
    }
}
