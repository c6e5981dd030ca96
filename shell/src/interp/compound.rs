//! Compound commands: `if`, `for`, `while`, `until`, `case`, `{ }`,
//! `( )`, `(( ))`, `for (( ; ; ))`.

use super::Interp;
use crate::error::{Exec, Flow};
use crate::expand::pattern::Pattern;
use brush_parser::ast;

/// What a loop does after its body ran: `None` to go on, or the result
/// the loop ends with, consuming one level of `break N` / `continue N`.
fn after_body(outcome: Exec) -> Option<Exec> {
    match outcome {
        Ok(Flow::Normal | Flow::Continue(1)) => None,
        Ok(Flow::Break(1)) => Some(Ok(Flow::Normal)),
        Ok(Flow::Break(n)) => Some(Ok(Flow::Break(n - 1))),
        Ok(Flow::Continue(n)) => Some(Ok(Flow::Continue(n - 1))),
        Ok(Flow::Return) => Some(Ok(Flow::Return)),
        Err(e) => Some(Err(e)),
    }
}

impl Interp {
    /// Runs a compound command with its redirections.
    pub(crate) async fn run_compound(
        &mut self,
        command: &ast::CompoundCommand,
        redirects: Option<&ast::RedirectList>,
    ) -> Exec {
        let outer_deferred = std::mem::take(&mut self.deferred_outputs);
        let saved = match redirects {
            Some(list) if !list.0.is_empty() => {
                let saved = self.state.fds.clone();
                let redirects: Vec<&ast::IoRedirect> = list.0.iter().collect();
                if !self.apply_redirects(&redirects).await? {
                    self.state.fds = saved;
                    self.deferred_outputs = outer_deferred;
                    return Ok(Flow::Normal);
                }
                Some(saved)
            }
            _ => None,
        };
        // The compound's own `> >(cmd)` readers run after its body.
        let deferred = std::mem::replace(&mut self.deferred_outputs, outer_deferred);
        let result = self.run_compound_body(command).await;
        if let Some(saved) = saved {
            self.state.fds = saved;
        }
        self.finish_output_substitutions(deferred).await?;
        result
    }

    async fn run_compound_body(&mut self, command: &ast::CompoundCommand) -> Exec {
        match command {
            ast::CompoundCommand::BraceGroup(group) => self.run_list(&group.list).await,
            ast::CompoundCommand::Subshell(subshell) => {
                let mut sub = self.subshell();
                sub.state.pid = self.env.new_pid();
                let result = sub.run_list(&subshell.list).await;
                let status = sub.finish(result).await;
                self.set_status(status);
                Ok(Flow::Normal)
            }
            ast::CompoundCommand::IfClause(clause) => self.run_if(clause).await,
            ast::CompoundCommand::ForClause(clause) => self.run_for(clause).await,
            ast::CompoundCommand::ArithmeticForClause(clause) => self.run_arith_for(clause).await,
            ast::CompoundCommand::WhileClause(clause) => self.run_while(clause, true).await,
            ast::CompoundCommand::UntilClause(clause) => self.run_while(clause, false).await,
            ast::CompoundCommand::CaseClause(clause) => self.run_case(clause).await,
            ast::CompoundCommand::Arithmetic(command)
                if looks_like_commands(&command.expr.value) =>
            {
                // `( (cmd) )` written without the space: bash reads nested
                // subshells when the text cannot be arithmetic.
                let mut sub = self.subshell();
                sub.state.pid = self.env.new_pid();
                let source = format!("( {} )", command.expr.value);
                let result = sub.eval_string(&source, "bash").await;
                let status = sub.finish(result).await;
                self.set_status(status);
                Ok(Flow::Normal)
            }
            ast::CompoundCommand::Arithmetic(command) => {
                // The blanks around the expression, which the parser
                // trimmed: `set -x` shows them as bash does.
                let written = command
                    .loc
                    .end
                    .index
                    .saturating_sub(command.loc.start.index);
                let pad = written.saturating_sub(4 + command.expr.value.len());
                let padding = (pad.div_ceil(2), pad / 2);
                let status = self
                    .arith_command_padded(&command.expr.value, padding)
                    .await?;
                self.set_status(status);
                Ok(Flow::Normal)
            }
            ast::CompoundCommand::Coprocess(_) => {
                self.error_line("coproc: not supported in this shell (no concurrent coprocesses)")
                    .await;
                self.set_status(2);
                Ok(Flow::Normal)
            }
        }
    }

    /// Runs `list` as a condition (failures do not trigger `set -e`) and
    /// returns whether it succeeded.
    async fn condition(&mut self, list: &ast::CompoundList) -> Exec<Result<bool, Flow>> {
        self.state.condition_depth += 1;
        let result = self.run_list(list).await;
        self.state.condition_depth -= 1;
        match result? {
            Flow::Normal => Ok(Ok(self.state.last_status == 0)),
            other => Ok(Err(other)),
        }
    }

    async fn run_if(&mut self, clause: &ast::IfClauseCommand) -> Exec {
        match self.condition(&clause.condition).await? {
            Err(flow) => return Ok(flow),
            Ok(true) => return self.run_list(&clause.then).await,
            Ok(false) => {}
        }
        for branch in clause.elses.iter().flatten() {
            match &branch.condition {
                Some(condition) => match self.condition(condition).await? {
                    Err(flow) => return Ok(flow),
                    Ok(true) => return self.run_list(&branch.body).await,
                    Ok(false) => {}
                },
                None => return self.run_list(&branch.body).await,
            }
        }
        // No branch ran: the status is 0, not the condition's.
        self.set_status(0);
        Ok(Flow::Normal)
    }

    /// Counts one loop iteration against the limit.
    async fn iteration(&mut self, count: &mut u64) -> Exec<()> {
        *count += 1;
        if *count > self.env.limits.max_loop_iterations {
            let message = format!(
                "loop ran more than {} iterations; raise Limits::max_loop_iterations if this is intended",
                self.env.limits.max_loop_iterations
            );
            return Err(self.fatal(1, message).await);
        }
        self.tick().await
    }

    async fn run_for(&mut self, clause: &ast::ForClauseCommand) -> Exec {
        let values = match &clause.values {
            Some(words) => {
                let words: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
                self.expand_words(&words).await?
            }
            None => self.state.positional.to_vec(),
        };
        self.set_status(0);
        self.state.loop_depth += 1;
        let mut count = 0;
        let mut result = Ok(Flow::Normal);
        for value in values {
            if let Err(e) = self.iteration(&mut count).await {
                result = Err(e);
                break;
            }
            if let Err(err) = self.set_scalar(&clause.variable_name, value) {
                self.error_line(&err.message()).await;
                self.set_status(1);
                break;
            }
            if let Some(end) = after_body(self.run_list(&clause.body.list).await) {
                result = end;
                break;
            }
        }
        self.state.loop_depth -= 1;
        result
    }

    async fn run_arith_for(&mut self, clause: &ast::ArithmeticForClauseCommand) -> Exec {
        if let Some(init) = &clause.initializer {
            self.arith_command(&init.value).await?;
        }
        self.state.loop_depth += 1;
        let mut count = 0;
        let mut result = Ok(Flow::Normal);
        let mut last_status = 0;
        loop {
            if let Some(condition) = &clause.condition {
                match self.arith_command(&condition.value).await {
                    Ok(0) => {}
                    Ok(_) => break,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            if let Err(e) = self.iteration(&mut count).await {
                result = Err(e);
                break;
            }
            let outcome = self.run_list(&clause.body.list).await;
            if outcome.is_ok() {
                last_status = self.state.last_status;
            }
            if let Some(end) = after_body(outcome) {
                result = end;
                break;
            }
            if let Some(update) = &clause.updater {
                if let Err(e) = self.arith_command(&update.value).await {
                    result = Err(e);
                    break;
                }
            }
        }
        self.state.loop_depth -= 1;
        self.set_status(last_status);
        result
    }

    async fn run_while(&mut self, clause: &ast::WhileOrUntilClauseCommand, is_while: bool) -> Exec {
        let ast::WhileOrUntilClauseCommand(condition, body, _) = clause;
        self.state.loop_depth += 1;
        let mut count = 0;
        let mut last_status = 0;
        let mut result = Ok(Flow::Normal);
        loop {
            match self.condition(condition).await {
                Ok(Ok(success)) => {
                    if success != is_while {
                        break;
                    }
                }
                Ok(Err(flow)) => {
                    result = Ok(flow);
                    break;
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
            if let Err(e) = self.iteration(&mut count).await {
                result = Err(e);
                break;
            }
            let outcome = self.run_list(&body.list).await;
            if outcome.is_ok() {
                last_status = self.state.last_status;
            }
            if let Some(end) = after_body(outcome) {
                result = end;
                break;
            }
        }
        self.state.loop_depth -= 1;
        self.set_status(last_status);
        result
    }

    async fn run_case(&mut self, clause: &ast::CaseClauseCommand) -> Exec {
        let value = self.expand_string(&clause.value.value).await?;
        self.set_status(0);
        let mut fall_through = false;
        for item in &clause.cases {
            let mut matched = fall_through;
            if !matched {
                for pattern in &item.patterns {
                    let pattern = self.expand_pattern(&pattern.value).await?;
                    let matcher = Pattern::new(
                        &pattern,
                        self.state.options.extglob,
                        self.state.options.nocasematch,
                    );
                    if matcher.matches(&value) {
                        matched = true;
                        break;
                    }
                }
            }
            if !matched {
                continue;
            }
            let flow = match &item.cmd {
                Some(list) => self.run_list(list).await?,
                None => {
                    self.set_status(0);
                    Flow::Normal
                }
            };
            if flow != Flow::Normal {
                return Ok(flow);
            }
            match item.post_action {
                ast::CaseItemPostAction::ExitCase => return Ok(Flow::Normal),
                ast::CaseItemPostAction::UnconditionallyExecuteNextCaseItem => fall_through = true,
                ast::CaseItemPostAction::ContinueEvaluatingCases => fall_through = false,
            }
        }
        Ok(Flow::Normal)
    }

    /// `(( expr ))`: 0 if the value is non-zero, 1 if zero, and 1 with a
    /// message on an error (the shell goes on, unlike `$(( ))`).
    pub(crate) async fn arith_command(&mut self, expr: &str) -> Exec<i32> {
        self.arith_command_padded(expr, (0, 0)).await
    }

    /// [`Interp::arith_command`] for an expression written with `padding`
    /// blanks before and after it (shown by `set -x`).
    async fn arith_command_padded(&mut self, expr: &str, padding: (usize, usize)) -> Exec<i32> {
        let text = self.expand_arith_text(expr).await?;
        if self.state.options.xtrace {
            // bash shows the expression as written, between `(( ` and ` ))`.
            let (before, after) = (" ".repeat(padding.0), " ".repeat(padding.1));
            self.trace_line(&format!("(( {before}{text}{after} ))"))
                .await;
        }
        // bash's error messages quote the expression with its trailing blanks.
        match self.eval_arith_str(&format!("{text}{}", " ".repeat(padding.1))) {
            Ok(value) => Ok(i32::from(value == 0)),
            Err(message) => {
                self.error_line(&format!("((: {message}")).await;
                Ok(1)
            }
        }
    }
}

/// True if the text of a `(( … ))` is commands rather than arithmetic: a
/// word followed by another word with only blanks between (`exit 42`),
/// which no arithmetic expression has.
fn looks_like_commands(text: &str) -> bool {
    let text = text.trim_start();
    let word_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    if word_end == 0
        || !text[..1]
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '_')
    {
        return false;
    }
    let rest = &text[word_end..];
    let after_blanks = rest.trim_start_matches([' ', '\t']);
    after_blanks.len() < rest.len()
        && after_blanks.chars().next().is_some_and(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '"' | '\'' | '$' | '/' | '.')
        })
}
