//! `command [-pVv] command [arg…]`: runs a builtin or external command,
//! skipping functions of that name; with `-v`/`-V`, says what the names
//! mean instead (see [`type_`](super::type_)).

use super::internal_getopt;
use super::type_::{describe, Describe, Style};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `command`: runs a command that is not a function, or describes names.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "pvV") {
            Ok(parsed) => parsed,
            Err(err) => {
                return done(
                    sh.option_error("command", err, "command [-pVv] command [arg ...]")
                        .await,
                )
            }
        };
        let options = parsed.options;
        let operands = argv[parsed.first_operand..].to_vec();
        // The last of -v and -V wins, as in bash.
        let style = options.iter().rev().find_map(|(c, _)| match c {
            'v' => Some(Style::Reusable),
            'V' => Some(Style::Sentence),
            _ => None,
        });
        if let Some(style) = style {
            let mut any = false;
            for name in &operands {
                let mut text = String::new();
                let found = describe(sh, name, Describe::first(style), &mut text).await;
                sh.out("command", text.as_bytes()).await?;
                if !found && style == Style::Sentence {
                    sh.builtin_error("command", &format!("{name}: not found"))
                        .await;
                }
                any |= found;
            }
            return done(if any || operands.is_empty() { 0 } else { 1 });
        }
        if operands.is_empty() {
            return done(0);
        }
        let flow = run_without_functions(sh, operands).await?;
        Ok((sh.state.last_status, flow))
    })
}

/// Runs `argv` as a builtin or an external command, never a function.
pub(crate) async fn run_without_functions(sh: &mut Interp, argv: Vec<String>) -> Exec {
    if let Some(builtin) = sh.enabled_builtin(&argv[0]) {
        let (status, flow) = builtin(sh, argv).await?;
        sh.set_status(status);
        return Ok(flow);
    }
    if let Some(flow) = super::find_exec::intercept(sh, &argv, &[]).await? {
        return Ok(flow);
    }
    sh.run_external(argv, &[]).await
}
