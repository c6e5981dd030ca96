//! Simple commands: assignments, expansion, redirections and dispatch —
//! function, then builtin, then external command (host command or guest
//! tool), then a script file for names with a `/`.

use super::redirect::{named_fd, Redirect};
use super::{BoxFuture, GrowStack, Interp};
use crate::builtins;
use crate::error::{Exec, Flow, Interrupt};
use crate::expand::subst::PendingOutputSubstitution;
use crate::runner::Invocation;
use crate::state::Value;
use brush_parser::ast::{self, SourceLocation};
use std::time::Instant;

/// Exit status of a command that was not found.
pub(crate) const STATUS_NOT_FOUND: i32 = 127;
/// Exit status of a command that exists but cannot run.
pub(crate) const STATUS_CANNOT_RUN: i32 = 126;

/// The parts of a simple command, in source order.
struct Parts<'a> {
    assignments: Vec<&'a ast::Assignment>,
    assignment_words: Vec<&'a ast::Word>,
    words: Vec<Word<'a>>,
    redirects: Vec<Redirect<'a>>,
}

/// A command word: plain, an assignment-looking argument (for declaration
/// builtins, not split), or a process substitution.
enum Word<'a> {
    Plain(&'a ast::Word),
    Assignment(&'a ast::Word),
    Substitution(&'a ast::ProcessSubstitutionKind, &'a ast::SubshellCommand),
}

fn collect(cmd: &ast::SimpleCommand) -> Parts<'_> {
    let mut parts = Parts {
        assignments: Vec::new(),
        assignment_words: Vec::new(),
        words: Vec::new(),
        redirects: Vec::new(),
    };
    if let Some(prefix) = &cmd.prefix {
        for item in &prefix.0 {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(assignment, word) => {
                    parts.assignments.push(assignment);
                    parts.assignment_words.push(word);
                }
                ast::CommandPrefixOrSuffixItem::IoRedirect(r) => parts.redirects.push(r.into()),
                ast::CommandPrefixOrSuffixItem::Word(w) => parts.words.push(Word::Plain(w)),
                ast::CommandPrefixOrSuffixItem::ProcessSubstitution(kind, cmd) => {
                    parts.words.push(Word::Substitution(kind, cmd))
                }
            }
        }
    }
    if let Some(name) = &cmd.word_or_name {
        parts.words.push(Word::Plain(name));
    }
    if let Some(suffix) = &cmd.suffix {
        let exec = cmd.word_or_name.as_ref().is_some_and(|w| w.value == "exec");
        let mut items = suffix.0.iter().peekable();
        while let Some(item) = items.next() {
            match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(_, word) => {
                    parts.words.push(Word::Assignment(word))
                }
                ast::CommandPrefixOrSuffixItem::IoRedirect(r) => parts.redirects.push(r.into()),
                // `{fd}>file`: the word names the redirection's descriptor.
                ast::CommandPrefixOrSuffixItem::Word(w) => {
                    match named_fd(w, items.peek().copied(), exec) {
                        Some(redirect) => {
                            items.next();
                            parts.redirects.push(redirect);
                        }
                        None => parts.words.push(Word::Plain(w)),
                    }
                }
                ast::CommandPrefixOrSuffixItem::ProcessSubstitution(kind, cmd) => {
                    parts.words.push(Word::Substitution(kind, cmd))
                }
            }
        }
    }
    parts
}

impl Interp {
    /// Runs any command.
    pub(crate) fn run_command<'a>(&'a mut self, command: &'a ast::Command) -> BoxFuture<'a, Exec> {
        Box::pin(GrowStack(async move {
            self.tick().await?;
            if self.state.options.noexec {
                // `set -n`: commands are read, not run (there is no way
                // back, as in bash).
                return Ok(Flow::Normal);
            }
            match command {
                ast::Command::Simple(simple) => self.run_simple(simple).await,
                ast::Command::Compound(compound, redirects) => {
                    self.run_compound(compound, redirects.as_ref()).await
                }
                ast::Command::Function(definition) => {
                    self.define_function(definition);
                    self.set_status(0);
                    Ok(Flow::Normal)
                }
                ast::Command::ExtendedTest(test, redirects) => {
                    self.run_extended_test(test, redirects.as_ref()).await
                }
            }
        }))
    }

    async fn run_simple(&mut self, cmd: &ast::SimpleCommand) -> Exec {
        // The command word's own position is at hand; the command's span
        // would be computed from all its words.
        let start = match cmd.word_or_name.as_ref().and_then(|w| w.loc.as_ref()) {
            Some(loc) => Some(loc.start.line),
            None => cmd.location().map(|loc| loc.start.line),
        };
        if let Some(line) = start {
            self.state.lineno = line as u32;
        }
        if self.state.options.expand_aliases {
            if let Some(flow) = self.run_alias(cmd).await? {
                return Ok(flow);
            }
        }
        let parts = collect(cmd);
        let mut temps = Vec::new();
        let mut pending = Vec::new();
        // An assignment-only command ends with the status of its last
        // command substitution, or 0 if it ran none.
        let substitutions = self.state.substitutions;
        let outer_deferred = std::mem::take(&mut self.deferred_outputs);
        let argv = self
            .expand_command_words(&parts.words, &mut temps, &mut pending)
            .await?;
        let result = if argv.is_empty() {
            self.run_assignments_only(&parts, substitutions).await
        } else {
            self.run_with_argv(&parts, argv).await
        };
        pending.append(&mut std::mem::replace(
            &mut self.deferred_outputs,
            outer_deferred,
        ));
        self.finish_output_substitutions(pending).await?;
        self.cleanup_substitutions(temps).await;
        result
    }

    async fn expand_command_words(
        &mut self,
        words: &[Word<'_>],
        temps: &mut Vec<String>,
        pending: &mut Vec<PendingOutputSubstitution>,
    ) -> Exec<Vec<String>> {
        let mut argv = Vec::with_capacity(words.len());
        for word in words {
            match word {
                Word::Plain(word) => argv.extend(self.expand_words(&[&word.value]).await?),
                Word::Assignment(word) => {
                    // `declare x=$y`: the value is not split or globbed.
                    let value = word.value.as_str();
                    match value.split_once('=') {
                        // `declare a=(1 "2 3")`: the builtin assigns the
                        // array literal itself, as an assignment would.
                        Some((name, rest))
                            if is_name_like(name)
                                && rest.starts_with('(')
                                && rest.ends_with(')') =>
                        {
                            argv.push(value.to_string());
                        }
                        Some((name, rest)) if is_name_like(name) => {
                            let rest = self.expand_string(rest).await?;
                            argv.push(format!("{name}={rest}"));
                        }
                        _ => argv.extend(self.expand_words(&[value]).await?),
                    }
                }
                Word::Substitution(kind, command) => argv.push(match kind {
                    ast::ProcessSubstitutionKind::Read => {
                        self.input_substitution(command, temps).await?
                    }
                    ast::ProcessSubstitutionKind::Write => {
                        self.output_substitution(command, pending).await?
                    }
                }),
            }
        }
        Ok(argv)
    }

    /// `x=1 y=2` with no command: assignments stay in the shell;
    /// redirections are performed (creating files) and undone.
    async fn run_assignments_only(&mut self, parts: &Parts<'_>, substitutions: u64) -> Exec {
        self.state.last_arg.clear();
        for assignment in &parts.assignments {
            if !self.assign(assignment).await? {
                return Ok(Flow::Normal);
            }
        }
        if !parts.redirects.is_empty() {
            let saved = self.state.fds.clone();
            let ok = self.apply_redirects(&parts.redirects).await?;
            self.state.fds = saved;
            if !ok {
                return Ok(Flow::Normal);
            }
        }
        if self.state.substitutions == substitutions {
            self.set_status(0);
        }
        Ok(Flow::Normal)
    }

    /// Performs one assignment in the shell; on failure prints why, sets
    /// status 1 and returns false.
    pub(crate) async fn assign(&mut self, assignment: &ast::Assignment) -> Exec<bool> {
        let name = match &assignment.name {
            ast::AssignmentName::VariableName(name) => name.clone(),
            ast::AssignmentName::ArrayElementName(name, _) => name.clone(),
        };
        if self.state.options.xtrace {
            self.xtrace(&[format!("{}", assignment)]).await;
        }
        let result = match (&assignment.name, &assignment.value) {
            (ast::AssignmentName::VariableName(name), ast::AssignmentValue::Scalar(word)) => {
                let value = self.expand_assignment_value(&word.value).await?;
                if assignment.append {
                    self.append_scalar(name, value)
                } else {
                    self.set_scalar(name, value)
                }
            }
            (
                ast::AssignmentName::ArrayElementName(name, index),
                ast::AssignmentValue::Scalar(word),
            ) => {
                let key = self.subscript(name, index).await?;
                let value = self.expand_assignment_value(&word.value).await?;
                self.set_element(name, &key, value, assignment.append)
            }
            (ast::AssignmentName::VariableName(name), ast::AssignmentValue::Array(items)) => {
                let value = self.array_literal(name, items).await?;
                self.set_array(name, value, assignment.append)
            }
            (ast::AssignmentName::ArrayElementName(..), ast::AssignmentValue::Array(_)) => {
                self.error_line(&format!("{name}: cannot assign list to array member"))
                    .await;
                self.set_status(1);
                return Ok(false);
            }
        };
        match result {
            Ok(()) => Ok(true),
            Err(err) => {
                self.error_line(&err.message()).await;
                self.set_status(1);
                // bash exits a non-interactive shell on assignment to a
                // read-only variable.
                Err(Interrupt::Exit(1))
            }
        }
    }

    /// The value of `x=value`: expanded without splitting or globbing,
    /// with tildes after `=` and `:` expanded.
    async fn expand_assignment_value(&mut self, word: &str) -> Exec<String> {
        self.in_assignment = true;
        let value = self.expand_string(word).await;
        self.in_assignment = false;
        value
    }

    /// The value of `name=(…)`: an indexed array, or an associative one if
    /// `name` is declared `-A` (then elements are `[key]=value`).
    pub(crate) async fn array_literal(
        &mut self,
        name: &str,
        items: &[(Option<ast::Word>, ast::Word)],
    ) -> Exec<Value> {
        if self.is_assoc(name) {
            let mut pairs: Vec<(String, String)> = Vec::new();
            for (key, value) in items {
                let value = self.expand_string(&value.value).await?;
                match key {
                    Some(key) => {
                        let key = self.expand_string(&key.value).await?;
                        match pairs.iter_mut().find(|(k, _)| *k == key) {
                            Some((_, v)) => *v = value,
                            None => pairs.push((key, value)),
                        }
                    }
                    None => {
                        self.error_line(&format!(
                            "{name}: {value}: must use subscript when assigning associative array"
                        ))
                        .await;
                    }
                }
            }
            return Ok(Value::Assoc(std::sync::Arc::new(pairs)));
        }
        let mut map = std::collections::BTreeMap::new();
        let mut next: i64 = 0;
        for (key, value) in items {
            match key {
                Some(key) => {
                    let index = self.subscript(name, &key.value).await?;
                    let index: i64 = index.parse().unwrap_or(0);
                    let value = self.expand_string(&value.value).await?;
                    map.insert(index, value);
                    next = index + 1;
                }
                None => {
                    for field in self.expand_words(&[&value.value]).await? {
                        map.insert(next, field);
                        next += 1;
                    }
                }
            }
        }
        Ok(Value::Indexed(std::sync::Arc::new(map)))
    }

    async fn run_with_argv(&mut self, parts: &Parts<'_>, argv: Vec<String>) -> Exec {
        let name = argv[0].clone();
        // Prefix assignments: for the command's duration (kept for special
        // builtins, as POSIX requires).
        let mut env_assignments = Vec::new();
        for (assignment, _) in parts.assignments.iter().zip(&parts.assignment_words) {
            if let (ast::AssignmentName::VariableName(var), ast::AssignmentValue::Scalar(word)) =
                (&assignment.name, &assignment.value)
            {
                let value = self.expand_assignment_value(&word.value).await?;
                env_assignments.push((var.clone(), value));
            }
        }
        if self.state.options.xtrace {
            self.xtrace(&argv).await;
        }
        let saved_fds = self.state.fds.clone();
        if !self.apply_redirects(&parts.redirects).await? {
            self.state.fds = saved_fds;
            return Ok(Flow::Normal);
        }
        let special = builtins::is_special(&name);
        let is_function = self.state.functions.contains_key(name.as_str());
        let internal = is_function || self.enabled_builtin(&name).is_some();
        // `IFS= read line`: the prefix assignments hold for this command
        // only; everything else the command sets stays.
        let mut saved_vars = Vec::new();
        if internal {
            for (var, value) in &env_assignments {
                if !special {
                    saved_vars.push((var.clone(), self.state.vars.get(var).cloned()));
                }
                if let Err(err) = self.set_scalar(var, value.clone()) {
                    self.error_line(&err.message()).await;
                }
                if !special {
                    self.update_attrs(var, |a| a.exported = true);
                }
            }
        }
        self.state.last_arg = argv.last().cloned().unwrap_or_default();
        let result = self.dispatch(argv, &env_assignments).await;
        for (var, saved) in saved_vars.into_iter().rev() {
            match saved {
                Some(variable) => self.state.vars.insert(&var, variable),
                None => {
                    self.state.vars.remove(&var);
                }
            }
        }
        // `exec` without a command keeps its redirections.
        if !std::mem::take(&mut self.state.keep_redirections) {
            self.restore_fds(saved_fds, &parts.redirects);
        }
        result
    }

    /// Runs a command by name: function, builtin, external, or script.
    pub(crate) async fn dispatch(
        &mut self,
        argv: Vec<String>,
        env_assignments: &[(String, String)],
    ) -> Exec {
        let name = argv[0].as_str();
        if let Some(function) = self.state.functions.get(name).cloned() {
            return self.call_function(&function, argv).await;
        }
        if let Some(builtin) = self.enabled_builtin(name) {
            let (status, flow) = builtin(self, argv).await?;
            self.set_status(status);
            return Ok(flow);
        }
        if let Some(flow) = builtins::find_exec::intercept(self, &argv, env_assignments).await? {
            return Ok(flow);
        }
        self.run_external(argv, env_assignments).await
    }

    /// `shopt -s expand_aliases`: a command word that names an alias is
    /// replaced by the alias's text and the command read again. (bash
    /// substitutes while reading the script; doing it when the command
    /// runs gives the same result for the aliases scripts define, which
    /// take effect from the next line on.) An alias being expanded is not
    /// expanded again inside itself, as in bash.
    async fn run_alias(&mut self, cmd: &ast::SimpleCommand) -> Exec<Option<Flow>> {
        let Some(word) = &cmd.word_or_name else {
            return Ok(None);
        };
        let name = word.value.as_str();
        if self.expanding_aliases.iter().any(|a| a == name) {
            return Ok(None);
        }
        let Some(value) = self.state.aliases.get(name).cloned() else {
            return Ok(None);
        };
        let prefix = cmd
            .prefix
            .as_ref()
            .map(|p| format!("{p} "))
            .unwrap_or_default();
        let suffix = cmd
            .suffix
            .as_ref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        let source = format!("{prefix}{value}{suffix}");
        self.expanding_aliases.push(name.to_string());
        let result = self.eval_string(&source, "alias").await;
        self.expanding_aliases.pop();
        result.map(Some)
    }

    /// True if `$PATH` holds a directory where the tools live.
    fn path_has_system_dirs(&mut self) -> bool {
        self.scalar("PATH").is_some_and(|path| {
            path.split(':')
                .any(|dir| builtins::program::SYSTEM_DIRS.contains(&dir.trim_end_matches('/')))
        })
    }

    /// Runs a command the shell does not implement: a host command or guest
    /// tool through the runner, or a script file for a name with a `/`.
    pub(crate) async fn run_external(
        &mut self,
        argv: Vec<String>,
        env_assignments: &[(String, String)],
    ) -> Exec {
        let mut argv = argv;
        let mut name = argv[0].clone();
        if let Some(tool) = builtins::program::system_program(self, &name).await {
            // `/usr/bin/env`, `/bin/true`: the tools are where `which`
            // says they are.
            argv[0] = tool.clone();
            name = tool;
        }
        if name.contains('/') {
            let status = self.run_script_file(&name, argv).await?;
            self.set_status(status);
            return Ok(Flow::Normal);
        }
        let kind = self.env.runner.lookup(&name).await;
        let reachable = match kind {
            None => false,
            // Tools live in the system directories: a `PATH` without any
            // of them finds none, as on a real system.
            Some(crate::runner::CommandKind::Tool) => self.path_has_system_dirs(),
            Some(crate::runner::CommandKind::Host) => true,
        };
        if !reachable {
            // An empty or unset `PATH` searches the current directory only.
            let why = if self.scalar("PATH").is_none_or(|p| p.is_empty()) {
                "No such file or directory"
            } else {
                "command not found"
            };
            self.error_line(&format!("{name}: {why}")).await;
            self.set_status(STATUS_NOT_FOUND);
            return Ok(Flow::Normal);
        }
        let mut env = self.state.vars.environment();
        for (var, value) in env_assignments {
            env.retain(|(n, _)| n != var);
            env.push((var.clone(), value.clone()));
        }
        let invocation = Invocation {
            argv,
            env,
            cwd: self.state.cwd.clone(),
            stdin: self.state.fds.stdin(),
            stdout: self.state.fds.stdout(),
            stderr: self.state.fds.stderr(),
            deadline: self.env.deadline,
        };
        let status = match self.env.runner.run(invocation).await {
            Ok(status) => status,
            Err(err) => {
                self.error_line(&format!("{name}: {err}")).await;
                STATUS_CANNOT_RUN
            }
        };
        if status == 124 && self.env.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(Interrupt::Fatal {
                status: 124,
                message: "timed out".into(),
            });
        }
        self.set_status(status);
        Ok(Flow::Normal)
    }

    /// `set -x`: prints `+ command args` to stderr (`$PS4`, quoted like
    /// bash does for words needing it).
    pub(crate) async fn xtrace(&mut self, words: &[String]) {
        let shown: Vec<String> = words.iter().map(|w| xtrace_quote(w)).collect();
        self.trace_line(&shown.join(" ")).await;
    }

    /// `set -x`: prints `text` after `$PS4` on stderr, as it is.
    pub(crate) async fn trace_line(&mut self, text: &str) {
        let ps4 = self.scalar("PS4").unwrap_or_else(|| "+ ".to_string());
        let line = format!("{ps4}{text}\n");
        let _ = self.state.fds.stderr().write_all(line.as_bytes()).await;
    }
}

/// True if `name` could be a variable name (`declare x=...`).
fn is_name_like(name: &str) -> bool {
    let name = name.split('[').next().unwrap_or(name).trim_end_matches('+');
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// How `set -x` shows a word: as is if it needs no quoting, else in single
/// quotes.
fn xtrace_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+%@^".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
