//! `declare`, `typeset` and `local`: attributes, scope and printing of
//! variables.

use super::export::{double_quoted, is_valid_name};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use crate::parse;
use crate::state::{Attrs, Value, Variable};
use brush_parser::ast;

/// The attribute letters, in the order bash prints them.
const PRINT_ORDER: &[char] = &['a', 'A', 'i', 'n', 'r', 'x', 'l', 'u'];

/// Parsed options of one `declare` command.
#[derive(Default)]
struct Options {
    /// Attributes to set (`-x`).
    set: Vec<char>,
    /// Attributes to remove (`+x`).
    unset: Vec<char>,
    print: bool,
    functions: bool,
    function_names: bool,
    global: bool,
}

/// `declare [-aAfFgilnprtux] [name[=value] …]`.
pub(crate) fn declare(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(run(sh, argv, false))
}

/// `local [option] [name[=value] …]`: `declare` inside a function.
pub(crate) fn local(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        if !sh.state.vars.in_function() {
            sh.builtin_error("local", "can only be used in a function")
                .await;
            return done(1);
        }
        run(sh, argv, true).await
    })
}

async fn run(sh: &mut Interp, argv: Vec<String>, local: bool) -> Exec<Ret> {
    let name = argv[0].clone();
    let mut options = Options::default();
    let mut operands = Vec::new();
    let mut options_done = false;
    for arg in &argv[1..] {
        let sign = arg.chars().next();
        if !options_done && matches!(sign, Some('-' | '+')) && arg.len() > 1 {
            if arg == "--" {
                options_done = true;
                continue;
            }
            for c in arg[1..].chars() {
                match c {
                    'a' | 'A' | 'i' | 'l' | 'n' | 'r' | 't' | 'u' | 'x' => {
                        if sign == Some('-') {
                            options.set.push(c)
                        } else {
                            options.unset.push(c)
                        }
                    }
                    'p' => options.print = true,
                    'f' if !local => options.functions = true,
                    'F' if !local => options.function_names = true,
                    'g' if !local => options.global = true,
                    other => {
                        sh.builtin_error(&name, &format!("-{other}: invalid option"))
                            .await;
                        let usage = if local {
                            "local: usage: local [option] name[=value] ..."
                        } else {
                            "declare: usage: declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]"
                        };
                        sh.error_line_bare(usage).await;
                        return done(2);
                    }
                }
            }
        } else {
            options_done = true;
            operands.push(arg.clone());
        }
    }
    if options.functions || options.function_names {
        return print_functions(sh, &name, &options, &operands).await;
    }
    if operands.is_empty() {
        return list(sh, &name, &options).await;
    }
    if options.print {
        let mut status = 0;
        let mut text = String::new();
        for operand in &operands {
            match sh.state.vars.get(operand) {
                Some(var) => text.push_str(&describe(operand, var)),
                None => {
                    sh.builtin_error(&name, &format!("{operand}: not found"))
                        .await;
                    status = 1;
                }
            }
        }
        sh.out(&name, text.as_bytes()).await?;
        return done(status);
    }
    let make_local = local || (sh.state.vars.in_function() && !options.global);
    let mut status = 0;
    for operand in operands {
        if !declare_one(sh, &name, &options, &operand, make_local).await? {
            status = 1;
        }
    }
    done(status)
}

/// Declares one `name[=value]`; false (after a message) if refused.
async fn declare_one(
    sh: &mut Interp,
    builtin: &str,
    options: &Options,
    operand: &str,
    make_local: bool,
) -> Exec<bool> {
    let (target, value) = match operand.split_once('=') {
        Some((target, value)) => (target, Some(value)),
        None => (operand, None),
    };
    let (target, append) = match target.strip_suffix('+') {
        Some(t) if value.is_some() => (t, true),
        _ => (target, false),
    };
    let var = target.split('[').next().unwrap_or(target);
    if !is_valid_name(var) || (target != var && !target.ends_with(']')) {
        sh.builtin_error(builtin, &format!("`{operand}': not a valid identifier"))
            .await;
        return Ok(false);
    }
    let existing = sh.state.vars.get(var).cloned();
    if existing.as_ref().is_some_and(|v| v.attrs.readonly)
        && (value.is_some() || options.unset.contains(&'r'))
    {
        sh.builtin_error(builtin, &format!("{var}: readonly variable"))
            .await;
        return Ok(false);
    }
    if make_local {
        // A local starts from the global's value only for attributes given
        // without a value (`local x` leaves x unset, as in bash).
        sh.state.vars.make_local(var);
    }
    let mut variable = sh.state.vars.get(var).cloned().unwrap_or(Variable {
        value: None,
        attrs: Attrs::default(),
    });
    // Array kinds first, so that an array literal lands in the right kind.
    if options.set.contains(&'A') && !matches!(variable.value, Some(Value::Assoc(_))) {
        variable.value = Some(match variable.value.take() {
            None => Value::empty_assoc(),
            Some(Value::Scalar(s)) if s.is_empty() => Value::empty_assoc(),
            Some(other) => {
                if matches!(other, Value::Indexed(_)) {
                    sh.builtin_error(
                        builtin,
                        &format!("{var}: cannot convert indexed to associative array"),
                    )
                    .await;
                    return Ok(false);
                }
                Value::Assoc(std::sync::Arc::new(vec![(
                    "0".into(),
                    other.as_scalar().unwrap_or_default().to_string(),
                )]))
            }
        });
    }
    if options.set.contains(&'a')
        && !matches!(variable.value, Some(Value::Indexed(_) | Value::Assoc(_)))
    {
        variable.value = Some(match variable.value.take() {
            None => Value::empty_indexed(),
            Some(Value::Scalar(s)) => Value::indexed([s]),
            Some(other) => other,
        });
    }
    for (letters, on) in [(&options.set, true), (&options.unset, false)] {
        for letter in letters.iter() {
            let attrs = &mut variable.attrs;
            match letter {
                'x' => attrs.exported = on,
                'r' => attrs.readonly = on || attrs.readonly,
                'i' => attrs.integer = on,
                'l' => {
                    attrs.lowercase = on;
                    if on {
                        attrs.uppercase = false;
                    }
                }
                'u' => {
                    attrs.uppercase = on;
                    if on {
                        attrs.lowercase = false;
                    }
                }
                'n' => attrs.nameref = on,
                _ => {}
            }
        }
    }
    // Readonly applies after the value is stored.
    let readonly = variable.attrs.readonly && !existing.is_some_and(|v| v.attrs.readonly);
    variable.attrs.readonly = false;
    sh.state.vars.insert(var, variable);
    if let Some(value) = value {
        let stored = if value.starts_with('(') && value.ends_with(')') && target == var {
            assign_literal(sh, var, value, append).await?
        } else if target != var {
            let index = &target[var.len() + 1..target.len() - 1];
            let key = sh.subscript(var, index).await?;
            sh.set_element(var, &key, value.to_string(), append)
                .map_err(|e| e.message())
        } else if append {
            sh.append_scalar(var, value.to_string())
                .map_err(|e| e.message())
        } else {
            sh.set_scalar(var, value.to_string())
                .map_err(|e| e.message())
        };
        if let Err(message) = stored {
            sh.builtin_error(builtin, &message).await;
            return Ok(false);
        }
    }
    if readonly {
        sh.update_attrs(var, |attrs| attrs.readonly = true);
    }
    Ok(true)
}

/// `name=( … )`: the literal was left unexpanded by the evaluator; it is
/// parsed and assigned as an ordinary array assignment would be.
async fn assign_literal(
    sh: &mut Interp,
    var: &str,
    literal: &str,
    append: bool,
) -> Exec<Result<(), String>> {
    let op = if append { "+=" } else { "=" };
    let source = format!("{var}{op}{literal}");
    let Ok(program) = parse::parse(&source, sh.state.options.extglob) else {
        return Ok(Err(format!("`{source}': not a valid array assignment")));
    };
    let assignment = program
        .complete_commands
        .first()
        .and_then(|list| list.0.first())
        .and_then(|item| match &item.0.first.seq.first() {
            Some(ast::Command::Simple(simple)) => simple.prefix.as_ref().and_then(|prefix| {
                prefix.0.iter().find_map(|item| match item {
                    ast::CommandPrefixOrSuffixItem::AssignmentWord(a, _) => Some(a.clone()),
                    _ => None,
                })
            }),
            _ => None,
        });
    match assignment {
        Some(assignment) => {
            sh.assign(&assignment).await?;
            Ok(Ok(()))
        }
        None => Ok(Err(format!("`{source}': not a valid array assignment"))),
    }
}

/// The attribute letters of `var`, as `declare -p` shows them (`--` for
/// none).
fn flags(var: &Variable) -> String {
    let mut out = String::new();
    for letter in PRINT_ORDER {
        let on = match letter {
            'a' => matches!(var.value, Some(Value::Indexed(_))),
            'A' => matches!(var.value, Some(Value::Assoc(_))),
            'i' => var.attrs.integer,
            'n' => var.attrs.nameref,
            'r' => var.attrs.readonly,
            'x' => var.attrs.exported,
            'l' => var.attrs.lowercase,
            'u' => var.attrs.uppercase,
            _ => false,
        };
        if on {
            out.push(*letter);
        }
    }
    if out.is_empty() {
        "--".into()
    } else {
        format!("-{out}")
    }
}

/// One `declare -p` line.
fn describe(name: &str, var: &Variable) -> String {
    let flags = flags(var);
    match &var.value {
        None => format!("declare {flags} {name}\n"),
        Some(Value::Scalar(s)) => format!("declare {flags} {name}={}\n", double_quoted(s)),
        Some(Value::Indexed(map)) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("[{k}]={}", double_quoted(v)))
                .collect();
            format!("declare {flags} {name}=({})\n", items.join(" "))
        }
        Some(Value::Assoc(pairs)) => {
            let items: String = pairs
                .iter()
                .map(|(k, v)| format!("[{k}]={} ", double_quoted(v)))
                .collect();
            format!("declare {flags} {name}=({items})\n")
        }
    }
}

/// `declare` / `declare -p` without names: every variable (with the given
/// attributes, if any).
async fn list(sh: &mut Interp, builtin: &str, options: &Options) -> Exec<Ret> {
    // `local` alone lists the function's own locals, as `declare -p` would.
    let local = builtin == "local";
    let locals = sh.state.vars.local_names();
    let mut vars: Vec<(String, Variable)> = sh
        .state
        .vars
        .iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .filter(|(name, _)| !local || locals.contains(name))
        .filter(|(_, v)| options.set.iter().all(|letter| flags(v).contains(*letter)))
        .collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::new();
    for (name, var) in vars {
        if local || options.print || !options.set.is_empty() {
            text.push_str(&describe(&name, &var));
        } else if let Some(Value::Scalar(s)) = &var.value {
            text.push_str(&format!("{name}={}\n", super::set::shown(s)));
        } else if var.value.is_some() {
            text.push_str(&describe(&name, &var)["declare ".len() + flags(&var).len() + 1..]);
        }
    }
    sh.out(builtin, text.as_bytes()).await?;
    done(0)
}

/// `declare -f` / `declare -F`.
async fn print_functions(
    sh: &mut Interp,
    builtin: &str,
    options: &Options,
    names: &[String],
) -> Exec<Ret> {
    let mut all: Vec<String> = if names.is_empty() {
        sh.state.functions.keys().map(|k| k.to_string()).collect()
    } else {
        names.to_vec()
    };
    all.sort();
    let mut text = String::new();
    let mut status = 0;
    for name in all {
        match sh.state.functions.get(name.as_str()) {
            Some(function) => {
                if options.function_names {
                    text.push_str(&format!("declare -f {name}\n"));
                } else {
                    text.push_str(&format!("{function}\n"));
                }
            }
            None => status = 1,
        }
    }
    sh.out(builtin, text.as_bytes()).await?;
    done(status)
}
