//! `export` and `readonly`.

use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::state::Value;
use std::sync::Arc;

/// A value as `declare -p` shows it: in double quotes, with `\`, `"`, `$`
/// and `` ` `` escaped.
pub(crate) fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// True if `name` is a valid variable name.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Shared body of `export` and `readonly`: sets the attribute on each
/// name (assigning `name=value` first), or lists the marked variables.
async fn mark(sh: &mut Interp, argv: Vec<String>, name: &str, flag: char) -> Exec<Ret> {
    let mut unmark = false;
    let mut print = false;
    let mut functions = false;
    let mut operands = Vec::new();
    let mut options_done = false;
    for arg in &argv[1..] {
        if !options_done && arg.starts_with('-') && arg.len() > 1 {
            if arg == "--" {
                options_done = true;
                continue;
            }
            for c in arg[1..].chars() {
                match c {
                    'n' if flag == 'x' => unmark = true,
                    'p' => print = true,
                    'f' => functions = true,
                    'a' | 'A' => {}
                    other => {
                        sh.builtin_error(name, &format!("-{other}: invalid option"))
                            .await;
                        return done(2);
                    }
                }
            }
        } else {
            options_done = true;
            operands.push(arg.clone());
        }
    }
    if functions && flag == 'x' && !operands.is_empty() {
        // `export -f name`: the function goes to child shells.
        let mut status = 0;
        for operand in operands {
            if !sh.state.functions.contains_key(operand.as_str()) {
                sh.builtin_error(name, &format!("{operand}: not a function"))
                    .await;
                status = 1;
            } else if unmark {
                sh.state.exported_functions.remove(operand.as_str());
            } else {
                sh.state
                    .exported_functions
                    .insert(Arc::from(operand.as_str()));
            }
        }
        return done(status);
    }
    if operands.is_empty() || print && operands.is_empty() {
        let mut names: Vec<(String, Option<Value>)> = sh
            .state
            .vars
            .iter()
            .filter(|(_, v)| {
                if flag == 'x' {
                    v.attrs.exported
                } else {
                    v.attrs.readonly
                }
            })
            .map(|(n, v)| (n.to_string(), v.value.clone()))
            .collect();
        names.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::new();
        for (var, value) in names {
            match value.as_ref().and_then(Value::as_scalar) {
                Some(v) => text.push_str(&format!("declare -{flag} {var}={}\n", double_quoted(v))),
                None => text.push_str(&format!("declare -{flag} {var}\n")),
            }
        }
        sh.out(name, text.as_bytes()).await?;
        return done(0);
    }
    let mut status = 0;
    for operand in operands {
        let (var, value) = match operand.split_once('=') {
            Some((var, value)) => (var.to_string(), Some(value.to_string())),
            None => (operand.clone(), None),
        };
        let (var, append) = match var.strip_suffix('+') {
            Some(v) => (v.to_string(), true),
            None => (var, false),
        };
        if !is_valid_name(&var) {
            sh.builtin_error(name, &format!("`{operand}': not a valid identifier"))
                .await;
            status = 1;
            continue;
        }
        if let Some(value) = value {
            let result = if append {
                sh.append_scalar(&var, value)
            } else {
                sh.set_scalar(&var, value)
            };
            if let Err(err) = result {
                sh.builtin_error(name, &err.message()).await;
                status = 1;
                continue;
            }
        }
        sh.update_attrs(&var, |attrs| match flag {
            'x' => attrs.exported = !unmark,
            _ => attrs.readonly = true,
        });
    }
    done(status)
}

/// `export [-n] [name[=value]…]`.
pub(crate) fn export(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(mark(sh, argv, "export", 'x'))
}

/// `readonly [name[=value]…]`.
pub(crate) fn readonly(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(mark(sh, argv, "readonly", 'r'))
}
