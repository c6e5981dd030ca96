//! `eval` and `source` / `.`.

use super::{done, Ret};
use crate::error::{Exec, Flow};
use crate::interp::{BoxFuture, Interp};
use crate::parse;
use std::sync::Arc;

/// `eval arg…`: runs the arguments, joined by spaces, as a script in this
/// shell.
pub(crate) fn eval(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let source = argv[1..].join(" ");
        if source.trim().is_empty() {
            return done(0);
        }
        if sh.state.depth >= sh.env.limits.max_call_depth {
            let message = format!(
                "eval: nested deeper than {} levels; raise Limits::max_call_depth if this is intended",
                sh.env.limits.max_call_depth
            );
            return Err(sh.fatal(1, message).await);
        }
        sh.state.depth += 1;
        let result = sh.eval_string(&source, "eval").await;
        sh.state.depth -= 1;
        let flow = result?;
        Ok((sh.state.last_status, flow))
    })
}

/// `source file [arg…]` / `. file`: runs a file in this shell.
pub(crate) fn source(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let name = argv[0].clone();
        let Some(file) = argv.get(1).cloned() else {
            sh.builtin_error(&name, "filename argument required").await;
            return done(2);
        };
        let path = if file.contains('/') {
            sh.absolute_path(&file)
        } else {
            // Like bash: search `$PATH`, then the working directory.
            let mut found = None;
            let path_var = sh.scalar("PATH").unwrap_or_default();
            for dir in path_var.split(':').filter(|d| !d.is_empty()) {
                let candidate = sh.absolute_path(&format!("{dir}/{file}"));
                if sh
                    .env
                    .fs
                    .metadata(&candidate)
                    .await
                    .is_ok_and(|m| m.is_file())
                {
                    found = Some(candidate);
                    break;
                }
            }
            found.unwrap_or_else(|| sh.absolute_path(&file))
        };
        let bytes = match sh.env.fs.read_file(&path).await {
            Ok(bytes) => bytes,
            Err(err) => {
                sh.builtin_error(&name, &format!("{file}: {}", err.errno()))
                    .await;
                return done(1);
            }
        };
        if bytes.len() > sh.env.limits.max_source_bytes
            || sh.state.depth >= sh.env.limits.max_call_depth
        {
            let message = format!("{file}: too large or nested too deeply to source");
            return Err(sh.fatal(1, message).await);
        }
        let source = String::from_utf8_lossy(&bytes).into_owned();
        let (program, error) = match parse::parse(&source, sh.state.options.extglob) {
            Ok(program) => (Some(program), None),
            // As bash, the whole lines before the error run first.
            Err(err) => (
                parse::complete_prefix(&source, err.line, sh.state.options.extglob),
                Some(err),
            ),
        };
        let saved = (argv.len() > 2)
            .then(|| std::mem::replace(&mut sh.state.positional, Arc::new(argv[2..].to_vec())));
        sh.state.sourcing += 1;
        sh.state.depth += 1;
        let result = match &program {
            Some(program) => sh.run_program(program).await,
            None => Ok(Flow::Normal),
        };
        sh.state.depth -= 1;
        sh.state.sourcing -= 1;
        if let Some(saved) = saved {
            sh.state.positional = saved;
        }
        if let Some(err) = error {
            result?;
            let report = err.report(&format!("{file}: line {}: ", err.line));
            let _ = sh.state.fds.stderr().write_all(report.as_bytes()).await;
            return done(2);
        }
        match result? {
            Flow::Return | Flow::Normal => Ok((sh.state.last_status, Flow::Normal)),
            other => Ok((sh.state.last_status, other)),
        }
    })
}
