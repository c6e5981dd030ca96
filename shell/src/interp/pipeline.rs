//! Pipelines: every stage runs concurrently, joined by bounded pipes.

use super::Interp;
use crate::error::{Exec, Flow};
use crate::io::{pipe, Input, Output, DEFAULT_PIPE_CAPACITY};
use crate::state::Fd;
use brush_parser::ast;
use futures_util::future::join_all;

impl Interp {
    /// Runs a pipeline and sets `$?` and `PIPESTATUS`.
    pub(crate) async fn run_pipeline(&mut self, pipeline: &ast::Pipeline) -> Exec {
        if pipeline.bang {
            self.state.condition_depth += 1;
        }
        let result = if pipeline.seq.len() == 1 {
            let flow = self.run_command(&pipeline.seq[0]).await;
            self.state.pipestatus = vec![self.state.last_status];
            flow
        } else {
            self.run_stages(&pipeline.seq).await.map(|()| Flow::Normal)
        };
        if pipeline.bang {
            self.state.condition_depth -= 1;
        }
        let flow = result?;
        if pipeline.bang {
            let status = i32::from(self.state.last_status == 0);
            self.set_status(status);
        }
        Ok(flow)
    }

    /// Runs the stages of a multi-command pipeline, each in a subshell (the
    /// last one in this shell under `shopt -s lastpipe`).
    async fn run_stages(&mut self, stages: &[ast::Command]) -> Exec<()> {
        let count = stages.len();
        let lastpipe = self.state.options.lastpipe;
        let mut next_input: Option<Input> = None;
        let mut subshells = Vec::with_capacity(count);
        let mut last_input = None;
        for i in 0..count {
            let output = if i + 1 < count {
                let (writer, reader) = pipe(DEFAULT_PIPE_CAPACITY);
                let input = next_input.replace(Input::pipe(reader));
                (input, Some(Output::Pipe(writer)))
            } else {
                (next_input.take(), None)
            };
            if i + 1 == count && lastpipe {
                last_input = output.0;
                break;
            }
            let mut stage = self.subshell();
            stage.state.pid = self.env.new_pid();
            if let Some(input) = output.0 {
                stage.state.fds.set(0, Some(Fd::Input(input)));
            }
            if let Some(out) = output.1 {
                stage.state.fds.set(1, Some(Fd::Output(out)));
            }
            subshells.push(stage);
        }
        let futures = subshells
            .into_iter()
            .zip(stages)
            .map(|(mut stage, command)| async move {
                let result = stage.run_command(command).await;
                stage.finish(result).await
            });
        let mut statuses = if lastpipe {
            // The last stage runs here, concurrently with the others, and
            // its variable assignments stay.
            let saved = self.state.fds.get(0).cloned();
            if let Some(input) = last_input {
                self.state.fds.set(0, Some(Fd::Input(input)));
            }
            let (mut statuses, last) =
                futures_util::join!(join_all(futures), self.run_command(&stages[count - 1]));
            self.state.fds.set(0, saved);
            last?;
            statuses.push(self.state.last_status);
            statuses
        } else {
            join_all(futures).await
        };
        let status = if self.state.options.pipefail {
            statuses
                .iter()
                .rev()
                .copied()
                .find(|s| *s != 0)
                .unwrap_or(0)
        } else {
            *statuses.last().expect("a pipeline has stages")
        };
        statuses.truncate(count);
        self.state.pipestatus = statuses;
        self.set_status(status);
        Ok(())
    }
}
