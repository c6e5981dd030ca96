//! Progress on stderr for long bucket operations, drawn only when stderr
//! is a terminal: a pipe or a CI log gets no bar, no spinner and no
//! carriage returns.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Once;
use std::time::Duration;

/// A bar over a count of items (objects copied), or a spinner for work
/// that reports no count. Cleared when finished or dropped.
pub struct Progress {
    bar: ProgressBar,
    /// For a bar on a terminal: shows it at the first update. Before, its
    /// length is unknown and it would draw as a complete `0/0`.
    reveal: Option<Once>,
}

impl Progress {
    /// A bar labelled `what`; its length is set by the first update.
    pub fn bar(what: &str) -> Progress {
        let bar = ProgressBar::hidden();
        // A constant template; the fallback only guards against a typo.
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_owned());
        Progress {
            bar,
            reveal: std::io::stderr().is_terminal().then(Once::new),
        }
    }

    /// A spinner labelled `what`, ticking on its own until finished.
    pub fn spinner(what: &str) -> Progress {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_message(what.to_owned());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress { bar, reveal: None }
    }

    /// Records that `done` of `total` items are finished.
    pub fn update(&self, done: usize, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
        if let Some(reveal) = &self.reveal {
            reveal.call_once(|| self.bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
    }

    /// A callback for library calls that report `(done, total)`.
    pub fn callback(&self) -> impl Fn(usize, usize) + Send + Sync + '_ {
        move |done, total| self.update(done, total)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // The result follows on stdout/stderr: leave no half-drawn line.
        self.bar.finish_and_clear();
    }
}
