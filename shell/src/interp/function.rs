//! Functions, and child shells: `bash -c`, `bash script.sh`, `./script`.

use super::{BoxFuture, Env, Interp};
use crate::error::{Exec, Flow};
use crate::parse;
use crate::state::{Function, State, Value};
use brush_parser::ast;
use std::sync::Arc;

/// Exit status of a script that cannot be found.
const STATUS_NOT_FOUND: i32 = 127;
/// Exit status of a script that cannot be run.
const STATUS_CANNOT_RUN: i32 = 126;

impl Interp {
    /// `name() { … }`: defines (or redefines) a function.
    pub(crate) fn define_function(&mut self, definition: &ast::FunctionDefinition) {
        let name = definition.fname.value.clone();
        self.state
            .functions
            .insert(Arc::from(name.as_str()), Arc::new(definition.clone()));
    }

    /// Calls a function with `argv` (`argv[0]` is its name).
    pub(crate) async fn call_function(&mut self, function: &Function, argv: Vec<String>) -> Exec {
        if self.state.depth >= self.env.limits.max_call_depth {
            let message = format!(
                "{}: maximum function nesting level exceeded ({}); raise Limits::max_call_depth if this is intended",
                argv[0], self.env.limits.max_call_depth
            );
            return Err(self.fatal(1, message).await);
        }
        let mut argv = argv.into_iter();
        let name: Arc<str> = Arc::from(argv.next().unwrap_or_default().as_str());
        let saved_positional =
            std::mem::replace(&mut self.state.positional, Arc::new(argv.collect()));
        self.state.vars.push_frame();
        self.state.call_stack.push(name);
        self.state.depth += 1;
        let saved_loop_depth = std::mem::take(&mut self.state.loop_depth);
        let ast::FunctionBody(body, redirects) = &function.body;
        let result = self.run_compound(body, redirects.as_ref()).await;
        self.state.loop_depth = saved_loop_depth;
        self.state.depth -= 1;
        self.state.call_stack.pop();
        self.state.vars.pop_frame();
        self.state.positional = saved_positional;
        if let Some(trap) = self.state.traps.ret.clone() {
            let status = self.state.last_status;
            let _ = self.eval_string(&trap, "trap").await;
            self.state.last_status = status;
        }
        match result? {
            // `break`/`continue` cannot leave a function.
            Flow::Normal | Flow::Return | Flow::Break(_) | Flow::Continue(_) => Ok(Flow::Normal),
        }
    }

    /// A new shell process as bash would start it: the working directory,
    /// descriptors and exported variables of this one, nothing else.
    pub(crate) fn child_shell(&self, arg0: String, args: Vec<String>) -> Interp {
        let pid = self.env.new_pid();
        let mut state = State::new(self.state.cwd.clone(), self.state.fds.clone(), pid);
        for (name, var) in self.state.vars.iter() {
            if var.attrs.exported && matches!(var.value, Some(Value::Scalar(_))) {
                state.vars.insert(name, var.clone());
            }
        }
        for name in &self.state.exported_functions {
            if let Some(function) = self.state.functions.get(name) {
                state.functions.insert(name.clone(), function.clone());
            }
        }
        state.exported_functions = self.state.exported_functions.clone();
        state.dir_stack = Vec::new();
        state.arg0 = Arc::from(arg0.as_str());
        state.positional = Arc::new(args);
        state.depth = self.state.depth + 1;
        state.umask = self.state.umask;
        let env: Arc<Env> = self.env.clone();
        Interp::new(state, env)
    }

    /// Runs `source` in `child` as a whole script and returns its status
    /// (2 for a syntax error, with bash's message).
    pub(crate) async fn run_script_source(child: &mut Interp, source: &str, what: &str) -> i32 {
        if child.state.depth > child.env.limits.max_call_depth {
            let message = format!(
                "{what}: shells nested deeper than {} levels; raise Limits::max_call_depth if this is intended",
                child.env.limits.max_call_depth
            );
            let _ = child.fatal(1, message).await;
            return 1;
        }
        if source.len() > child.env.limits.max_source_bytes {
            let message = format!(
                "{what}: script of {} bytes exceeds the limit of {} bytes",
                source.len(),
                child.env.limits.max_source_bytes
            );
            let _ = child.fatal(2, message).await;
            return 2;
        }
        match parse::parse(source, child.state.options.extglob) {
            Ok(program) => {
                let result = child.run_program(&program).await;
                child.finish(result).await
            }
            Err(err) => {
                child.state.lineno = err.line as u32;
                let report = err.report(&child.error_prefix());
                let _ = child.state.fds.stderr().write_all(report.as_bytes()).await;
                2
            }
        }
    }

    /// Runs the file `path` as a program, if it has an execute bit: a shell
    /// script (its `#!` names
    /// bash or sh, or it has none, as bash does), or through the command its
    /// `#!` line names (`#!/usr/bin/awk -f`).
    pub(crate) fn run_script_file<'a>(
        &'a mut self,
        path: &'a str,
        argv: Vec<String>,
    ) -> BoxFuture<'a, Exec<i32>> {
        Box::pin(async move {
            let absolute = self.absolute_path(path);
            let bytes = match self.env.fs.metadata(&absolute).await {
                Ok(meta) if meta.is_dir() => {
                    self.error_line(&format!("{path}: Is a directory")).await;
                    return Ok(STATUS_CANNOT_RUN);
                }
                // `chmod +x` first, as on any system; `bash file` needs none.
                Ok(meta) if meta.mode & 0o111 == 0 => {
                    self.error_line(&format!("{path}: Permission denied")).await;
                    return Ok(STATUS_CANNOT_RUN);
                }
                Ok(_) => match self.env.fs.read_file(&absolute).await {
                    Ok(bytes) => bytes,
                    Err(err) => {
                        self.error_line(&format!("{path}: {}", err.errno())).await;
                        return Ok(STATUS_CANNOT_RUN);
                    }
                },
                Err(err) => {
                    self.error_line(&format!("{path}: {}", err.errno())).await;
                    return Ok(STATUS_NOT_FOUND);
                }
            };
            let source = String::from_utf8_lossy(&bytes).into_owned();
            if let Some(rest) = source.strip_prefix("#!") {
                let line = rest.lines().next().unwrap_or("").trim();
                let mut words = line.split_whitespace();
                let interpreter = words.next().unwrap_or("");
                let mut program = interpreter
                    .rsplit('/')
                    .next()
                    .unwrap_or(interpreter)
                    .to_string();
                let mut extra: Vec<String> = words.map(str::to_string).collect();
                if program == "env" && !extra.is_empty() {
                    program = extra.remove(0);
                }
                if !matches!(
                    program.as_str(),
                    "bash" | "sh" | "dash" | "ksh" | "zsh" | ""
                ) {
                    if self.env.runner.lookup(&program).await.is_none() {
                        self.error_line(&format!(
                            "{path}: {interpreter}: bad interpreter: No such file or directory"
                        ))
                        .await;
                        return Ok(STATUS_CANNOT_RUN);
                    }
                    let mut args = vec![program];
                    args.extend(extra);
                    args.push(path.to_string());
                    args.extend(argv.into_iter().skip(1));
                    self.run_external(args, &[]).await?;
                    return Ok(self.state.last_status);
                }
            }
            let mut args = argv.into_iter();
            let arg0 = args.next().unwrap_or_default();
            let mut child = self.child_shell(arg0, args.collect());
            Ok(Interp::run_script_source(&mut child, &source, path).await)
        })
    }
}
