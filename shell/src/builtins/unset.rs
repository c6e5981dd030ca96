//! `unset [-fvn] name…`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::Value;
use std::sync::Arc;

/// `unset`: removes variables (and array elements, `unset 'a[1]'`) or,
/// with `-f`, functions. Without `-v`/`-f`, a name that is no variable
/// names a function.
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut functions = false;
        let mut variables = false;
        let mut names = Vec::new();
        let mut options_done = false;
        for arg in &argv[1..] {
            if !options_done && arg.starts_with('-') && arg.len() > 1 {
                if arg == "--" {
                    options_done = true;
                    continue;
                }
                for c in arg[1..].chars() {
                    match c {
                        'f' => functions = true,
                        'v' => variables = true,
                        'n' => {}
                        other => {
                            sh.builtin_error("unset", &format!("-{other}: invalid option"))
                                .await;
                            return done(2);
                        }
                    }
                }
            } else {
                options_done = true;
                names.push(arg.clone());
            }
        }
        let mut status = 0;
        for name in names {
            if functions {
                sh.state.functions.remove(name.as_str());
                continue;
            }
            if let Some((array, index)) = name.strip_suffix(']').and_then(|n| n.split_once('[')) {
                let key = sh.subscript(array, index).await?;
                let resolved = sh.resolve_nameref(array);
                if let Some(var) = sh.state.vars.get_mut(&resolved) {
                    match &mut var.value {
                        Some(Value::Indexed(map)) => {
                            if let Ok(i) = key.parse::<i64>() {
                                let last = map.keys().next_back().copied().unwrap_or(0);
                                let i = if i < 0 { last + 1 + i } else { i };
                                Arc::make_mut(map).remove(&i);
                            }
                        }
                        Some(Value::Assoc(pairs)) => {
                            Arc::make_mut(pairs).retain(|(k, _)| *k != key)
                        }
                        Some(Value::Scalar(_)) if key == "0" => var.value = None,
                        _ => {}
                    }
                }
                continue;
            }
            if !variables
                && sh.state.vars.get(&name).is_none()
                && sh.state.functions.contains_key(name.as_str())
            {
                sh.state.functions.remove(name.as_str());
                continue;
            }
            if let Err(err) = sh.unset_var(&name) {
                sh.builtin_error(
                    "unset",
                    &format!(
                        "{name}: cannot unset: {}",
                        err.message().trim_start_matches(&format!("{name}: "))
                    ),
                )
                .await;
                status = 1;
            }
        }
        done(status)
    })
}
