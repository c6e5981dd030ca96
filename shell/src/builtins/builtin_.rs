//! `builtin [shell-builtin [arg…]]`: runs a builtin even when a function
//! has its name (`echo() { builtin echo "[$*]"; }`).

use super::internal_getopt;
use super::type_::is_builtin;
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};

/// `builtin`: runs a shell builtin.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let parsed = match internal_getopt::parse(&argv, "") {
            Ok(parsed) => parsed,
            Err(err) => {
                let usage = "builtin [shell-builtin [arg ...]]";
                return done(sh.option_error("builtin", err, usage).await);
            }
        };
        let args = argv[parsed.first_operand..].to_vec();
        let Some(name) = args.first() else {
            return done(0);
        };
        // The shell's own programs (`xargs`, `env`…) are no builtins.
        let found = is_builtin(name).then(|| sh.enabled_builtin(name)).flatten();
        let Some(builtin) = found else {
            sh.builtin_error("builtin", &format!("{name}: not a shell builtin"))
                .await;
            return done(1);
        };
        builtin(sh, args).await
    })
}
