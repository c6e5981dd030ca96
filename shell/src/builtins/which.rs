//! `which [-a] name…`, as Debian's `which` behaves: prints the file each
//! name runs (`/usr/bin/ls`), nothing for builtins, functions or unknown
//! names; status 0 if every name was found, 1 otherwise (and with no
//! names), 2 for a bad option.

use super::type_::file_path;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `which`: prints where commands live.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut names = Vec::new();
        let mut options_done = false;
        for arg in &argv[1..] {
            if !options_done && arg == "--" {
                options_done = true;
            } else if !options_done && arg.len() > 1 && arg.starts_with('-') {
                // `-a` would list every match; there is only one here.
                if let Some(bad) = arg[1..].chars().find(|&c| c != 'a') {
                    let message = format!("Illegal option -{bad}\n");
                    let _ = sh.state.fds.stderr().write_all(message.as_bytes()).await;
                    sh.out("which", b"Usage: /usr/bin/which [-a] args\n")
                        .await?;
                    return done(2);
                }
            } else {
                options_done = true;
                names.push(arg.clone());
            }
        }
        let mut status = if names.is_empty() { 1 } else { 0 };
        let mut text = String::new();
        for name in names {
            match file_path(sh, &name).await {
                Some(path) => {
                    text.push_str(&path);
                    text.push('\n');
                }
                None => status = 1,
            }
        }
        sh.out("which", text.as_bytes()).await?;
        done(status)
    })
}
