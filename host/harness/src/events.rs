//! The harness's typed event stream.
//!
//! Everything a harness does is reported as an [`Event`]: operations and
//! agent runs starting and ending, each model turn, streamed text and
//! thinking, tool calls, child tasks, compactions, log lines, and the
//! moment the harness goes idle. Every event carries the id of the run it
//! belongs to and an index that increases by one per event across the
//! whole harness, so a consumer can order events from concurrent
//! sessions and notice a gap.
//!
//! Subscribers are called synchronously, in order, from the task that
//! emits the event, so they must be quick (push into a channel, count,
//! print). [`Events::subscribe`] gives such a channel ready-made.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use serde::{Deserialize, Serialize};

use crate::message::Usage;
use crate::provider::pricing::Cost;

/// One thing that happened. It serialises as one JSON object (the kind's
/// fields next to `run_id`, `index`, `session` and a `type` tag) and reads
/// back from it, so a client of a server gets the same type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The run (one operation: a prompt, a skill, a task, a shell call)
    /// this belongs to; empty for harness-wide events ([`EventKind::Idle`]).
    pub run_id: String,
    /// Position in the harness's stream: 0, 1, 2… without gaps.
    pub index: u64,
    /// The session the run belongs to; empty for harness-wide events.
    pub session: String,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What an [`Event`] reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// An operation on a session starts.
    OperationStart {
        /// `prompt`, `skill`, `task` or `shell`.
        operation: String,
        /// The run that started this one (a `task` started by a model's
        /// tool call), if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        parent_run: Option<String>,
    },
    /// An operation ended.
    OperationEnd {
        /// `prompt`, `skill`, `task` or `shell`.
        operation: String,
        /// How it ended.
        outcome: RunOutcome,
    },
    /// An agent run (the model loop of a prompt, skill or task) starts.
    RunStart {
        /// `provider/model-id`.
        model: String,
        /// The role in effect, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// An agent run ended.
    RunEnd {
        /// How it ended.
        outcome: RunOutcome,
        /// Tokens used by all its turns.
        usage: Usage,
        /// Their price, when the model's prices are known.
        #[serde(skip_serializing_if = "Option::is_none")]
        cost: Option<Cost>,
        /// Model calls made.
        turns: u32,
    },
    /// A model call starts.
    TurnStart {
        /// Its number in the run, from 1.
        turn: u32,
    },
    /// A model call ended.
    TurnEnd {
        /// Its number in the run, from 1.
        turn: u32,
        /// Its tokens.
        usage: Usage,
        /// Their price, when the model's prices are known.
        #[serde(skip_serializing_if = "Option::is_none")]
        cost: Option<Cost>,
    },
    /// Answer text as it streams.
    TextDelta {
        /// The new text.
        text: String,
    },
    /// Reasoning as it streams.
    Thinking {
        /// The new reasoning text.
        text: String,
    },
    /// A tool call starts.
    ToolStart {
        /// The model's id for the call.
        id: String,
        /// The tool.
        name: String,
        /// Its arguments.
        input: serde_json::Value,
    },
    /// A tool call finished.
    ToolCall {
        /// The model's id for the call.
        id: String,
        /// The tool.
        name: String,
        /// What the model is given back.
        output: String,
        /// The call failed.
        is_error: bool,
        /// How long it ran, in milliseconds.
        duration_ms: u64,
    },
    /// A child task (a session of its own over the same sandbox) starts or
    /// ends.
    Task {
        /// The child's session name.
        child_session: String,
        /// The child's run id (its own events carry it).
        child_run: String,
        /// How deep the child is (1 for a task of a top-level session).
        depth: u32,
        /// `None` when it starts, its outcome when it ends.
        #[serde(skip_serializing_if = "Option::is_none")]
        outcome: Option<RunOutcome>,
    },
    /// The conversation was summarised to fit the model's context window.
    Compaction {
        /// Why: `threshold` (the context neared the window) or `overflow`
        /// (the provider refused the prompt as too long).
        reason: String,
        /// Messages before.
        messages_before: usize,
        /// Messages after.
        messages_after: usize,
    },
    /// A log line (a skill that could not be read, a save that failed…).
    Log {
        /// `info`, `warn` or `error`.
        level: String,
        /// The message.
        message: String,
    },
    /// No operation is running in the harness any more.
    Idle,
}

/// How a run or operation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "detail", rename_all = "snake_case")]
pub enum RunOutcome {
    /// It finished.
    Ok,
    /// It failed; the message says why.
    Error(String),
    /// It was aborted.
    Cancelled,
}

type Subscriber = Arc<dyn Fn(&Event) + Send + Sync>;

/// The harness's event bus: numbers events and hands them to subscribers.
#[derive(Default)]
pub struct Events {
    next: AtomicU64,
    subscribers: Mutex<Vec<(u64, Subscriber)>>,
    next_subscriber: AtomicU64,
    /// Held while an event is numbered and delivered, so every
    /// subscriber sees indexes in increasing order even when sessions
    /// emit from several threads.
    delivery: Mutex<()>,
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Events")
            .field("emitted", &self.next.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Keeps a subscriber subscribed; dropping it unsubscribes.
#[must_use = "dropping the subscription unsubscribes at once"]
pub struct Subscription {
    events: Weak<Events>,
    id: u64,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(events) = self.events.upgrade() {
            events.lock().retain(|(id, _)| *id != self.id);
        }
    }
}

impl Events {
    /// A bus with no subscribers.
    pub fn new() -> Arc<Events> {
        Arc::new(Events::default())
    }

    /// Calls `subscriber` with every event from now on, until the returned
    /// [`Subscription`] is dropped.
    pub fn observe(
        self: &Arc<Self>,
        subscriber: impl Fn(&Event) + Send + Sync + 'static,
    ) -> Subscription {
        let id = self.next_subscriber.fetch_add(1, Ordering::Relaxed);
        self.lock().push((id, Arc::new(subscriber)));
        Subscription {
            events: Arc::downgrade(self),
            id,
        }
    }

    /// Every event from now on, through a channel (unbounded: the harness
    /// never waits for a slow reader). The subscription ends when the
    /// receiver is dropped and the next event is emitted, or when the
    /// returned [`Subscription`] is dropped.
    pub fn subscribe(
        self: &Arc<Self>,
    ) -> (tokio::sync::mpsc::UnboundedReceiver<Event>, Subscription) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let subscription = self.observe(move |event| {
            let _ = tx.send(event.clone());
        });
        (rx, subscription)
    }

    /// Numbers `kind` and hands it to every subscriber. A subscriber must
    /// not emit events itself (it would wait for its own delivery).
    pub fn emit(&self, run_id: &str, session: &str, kind: EventKind) {
        let _delivering = self.delivery.lock().unwrap_or_else(|e| e.into_inner());
        // Subscribers run outside the subscriber list's lock, so one may
        // subscribe or unsubscribe another.
        let subscribers: Vec<Subscriber> = {
            let guard = self.lock();
            guard.iter().map(|(_, s)| s.clone()).collect()
        };
        let event = Event {
            run_id: run_id.to_string(),
            index: self.next.fetch_add(1, Ordering::SeqCst),
            session: session.to_string(),
            kind,
        };
        for subscriber in subscribers {
            subscriber(&event);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, Subscriber)>> {
        self.subscribers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where a run reports its events: the bus, with its run id and session.
#[derive(Debug, Clone)]
pub struct Emitter {
    events: Arc<Events>,
    run_id: String,
    session: String,
}

impl Emitter {
    /// An emitter for `run_id` of `session`.
    pub fn new(events: Arc<Events>, run_id: String, session: String) -> Emitter {
        Emitter {
            events,
            run_id,
            session,
        }
    }

    /// The run's id.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// The session's name.
    pub fn session(&self) -> &str {
        &self.session
    }

    /// The bus.
    pub fn events(&self) -> &Arc<Events> {
        &self.events
    }

    /// Emits `kind` for this run.
    pub fn emit(&self, kind: EventKind) {
        self.events.emit(&self.run_id, &self.session, kind);
    }

    /// Emits a log line for this run.
    pub fn log(&self, level: &str, message: impl Into<String>) {
        self.emit(EventKind::Log {
            level: level.to_string(),
            message: message.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_numbered_without_gaps_and_subscriptions_end_on_drop() {
        let events = Events::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let subscription = events.observe(move |e| sink.lock().unwrap().push(e.index));
        events.emit("r1", "s", EventKind::Idle);
        events.emit("r1", "s", EventKind::Idle);
        drop(subscription);
        events.emit("r1", "s", EventKind::Idle);
        assert_eq!(*seen.lock().unwrap(), vec![0, 1]);
    }

    #[test]
    fn events_from_many_threads_reach_a_subscriber_in_index_order() {
        let events = Events::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let _subscription = events.observe(move |e| sink.lock().unwrap().push(e.index));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let events = events.clone();
                std::thread::spawn(move || {
                    for _ in 0..500 {
                        events.emit("r", "s", EventKind::Idle);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let seen = seen.lock().unwrap();
        assert_eq!(*seen, (0..2000).collect::<Vec<u64>>());
    }

    #[test]
    fn events_serialise_with_their_type_tag() {
        let event = Event {
            run_id: "run-1".into(),
            index: 7,
            session: "main".into(),
            kind: EventKind::TextDelta { text: "hi".into() },
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"run_id": "run-1", "index": 7, "session": "main",
                               "type": "text_delta", "text": "hi"})
        );
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
        let ended = Event {
            kind: EventKind::Task {
                child_session: "s.task-1".into(),
                child_run: "run-2".into(),
                depth: 1,
                outcome: Some(RunOutcome::Error("boom".into())),
            },
            ..event
        };
        let json = serde_json::to_value(&ended).unwrap();
        assert_eq!(
            json["outcome"],
            serde_json::json!({"status": "error", "detail": "boom"})
        );
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), ended);
    }
}
