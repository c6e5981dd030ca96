//! Sessions over time: one operation at a time, aborts, provider errors,
//! compaction, persistence across restarts.

use std::time::{Duration, Instant};

use serde_json::json;
use wasm_agent_harness::agent_loop::LoopError;
use wasm_agent_harness::compaction::CompactionConfig;
use wasm_agent_harness::message::{Content, Role};
use wasm_agent_harness::provider::ProviderErrorKind;
use wasm_agent_harness::store::VfsStore;
use wasm_agent_harness::{
    EventKind, Harness, HarnessError, InitOptions, PromptOptions, RunOutcome,
};
use wasm_agent_scripted_llm::{Fault, ScriptedLlm, Turn};

use crate::support::{harness, options, text_of, Recorder};

#[tokio::test]
async fn an_aborted_prompt_stops_its_tools_and_the_session_goes_on() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "sleep 30; echo late > /tmp/late"}),
        ),
        Turn::text("fresh start"),
    ]);
    let harness = harness(&server).await;
    let (mut events, _subscription) = harness.subscribe();
    let session = harness.session("s").await.unwrap();
    let running = session.prompt("Sleep", PromptOptions::default());
    loop {
        let event = events.recv().await.unwrap();
        if matches!(event.kind, EventKind::ToolStart { .. }) {
            break;
        }
    }
    // One operation at a time: a second one is refused, not queued.
    let busy = session
        .prompt("Another", PromptOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(busy, HarnessError::Busy { ref running, .. } if running == "prompt"),
        "{busy}"
    );
    assert!(busy.to_string().contains("busy running a prompt"));

    let started = Instant::now();
    running.abort();
    let err = running.await.unwrap_err();
    assert!(matches!(err, HarnessError::Cancelled), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the sleep was aborted"
    );
    assert!(!harness.fs().exists("/tmp/late").await);
    let messages = session.messages().await;
    let last = messages.last().unwrap();
    assert!(matches!(&last.content[0],
        Content::ToolResult { is_error: true, content, .. } if content.contains("cancelled")));

    // The session is free again, and the conversation stays valid: the
    // new prompt joins the pending user turn.
    let answer = session
        .prompt("Try again", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(answer.text, "fresh start");
    let body = &server.requests()[1].body;
    let sent = body["messages"].as_array().unwrap();
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[2]["role"], "user");
    assert!(sent[2].to_string().contains("tool_result") && text_of(&sent[2]).contains("Try again"));
    let mut outcomes = Vec::new();
    while let Ok(event) = events.try_recv() {
        if let EventKind::OperationEnd { outcome, .. } = event.kind {
            outcomes.push(outcome);
        }
    }
    assert_eq!(outcomes, [RunOutcome::Cancelled, RunOutcome::Ok]);
}

#[tokio::test]
async fn a_rate_limit_is_retried_and_a_broken_stream_is_an_error() {
    let server = ScriptedLlm::start(vec![
        Turn::rate_limited(0),
        Turn::text("after the retry"),
        Turn::text("never whole").malformed(Fault::InvalidJson),
        Turn::text("whole again"),
    ]);
    let harness = harness(&server).await;
    let session = harness.session("s").await.unwrap();
    let answer = session
        .prompt("one", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(answer.text, "after the retry");
    let err = session
        .prompt("two", PromptOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, HarnessError::Run(LoopError::Provider(e)) if e.kind == ProviderErrorKind::Malformed),
        "{err:?}"
    );
    let answer = session
        .prompt("three", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(answer.text, "whole again");
}

#[tokio::test]
async fn an_overflow_is_compacted_and_the_turn_retried_once() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "echo early work"})),
        Turn::text("first done"),
        Turn::context_overflow(),
        Turn::text("SUMMARY: ran echo early work."),
        Turn::text("second done"),
        // With compaction off, an overflow is the caller's error.
        Turn::context_overflow(),
    ]);
    let harness = harness(&server).await;
    let recorder = Recorder::on(&harness);
    let session = harness.session("s").await.unwrap();
    session
        .prompt("first", PromptOptions::default())
        .await
        .unwrap();
    let answer = session
        .prompt("second", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(answer.text, "second done");

    let requests = server.requests();
    let summary_request = &requests[3].body;
    assert!(summary_request["tools"]
        .as_array()
        .is_none_or(Vec::is_empty));
    assert!(text_of(&summary_request["messages"][0]).contains("first"));
    let retried = requests[4].body["messages"].as_array().unwrap();
    assert!(text_of(&retried[0]).contains("SUMMARY: ran echo early work."));
    assert_eq!(
        retried[1]["role"], "assistant",
        "the kept part starts with the model's turn"
    );
    assert!(recorder.events().iter().any(|e| matches!(&e.kind,
        EventKind::Compaction { reason, .. } if reason == "overflow")));
    let messages = session.messages().await;
    assert_eq!(messages[0].role, Role::User);
    assert!(messages[0].text().contains("SUMMARY"));

    let strict = Harness::init(InitOptions {
        compaction: CompactionConfig {
            enabled: false,
            ..CompactionConfig::default()
        },
        ..options(&server)
    })
    .await
    .unwrap();
    let err = strict
        .session("s")
        .await
        .unwrap()
        .prompt("third", PromptOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, HarnessError::Run(LoopError::Provider(e)) if e.kind == ProviderErrorKind::ContextOverflow),
        "{err:?}"
    );
}

#[tokio::test]
async fn nearing_the_window_compacts_before_the_next_turn() {
    let server = ScriptedLlm::start(vec![
        Turn::text("one").with_usage(100, 10),
        Turn::tool_call("t1", "bash", json!({"command": "true"})).with_usage(850, 10),
        Turn::text("the summary"),
        Turn::text("two").with_usage(200, 10),
    ]);
    let harness = Harness::init(InitOptions {
        compaction: CompactionConfig {
            context_window: Some(1_000),
            keep_recent_tokens: 1,
            ..CompactionConfig::default()
        },
        ..options(&server)
    })
    .await
    .unwrap();
    let recorder = Recorder::on(&harness);
    let session = harness.session("s").await.unwrap();
    session.prompt("a", PromptOptions::default()).await.unwrap();
    let answer = session.prompt("b", PromptOptions::default()).await.unwrap();
    assert_eq!(answer.text, "two");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests[2].body["tools"]
            .as_array()
            .is_none_or(Vec::is_empty),
        "the summary call"
    );
    assert!(recorder.events().iter().any(|e| matches!(&e.kind,
        EventKind::Compaction { reason, .. } if reason == "threshold")));
}

#[tokio::test]
async fn sessions_survive_a_restart_and_can_be_listed_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let server = ScriptedLlm::start(vec![Turn::text("I will remember 42."), Turn::text("42")]);
    {
        let harness = Harness::init(InitOptions {
            persist: Some(std::sync::Arc::new(
                VfsStore::directory(dir.path()).unwrap(),
            )),
            ..options(&server)
        })
        .await
        .unwrap();
        let session = harness.session("memory").await.unwrap();
        session
            .prompt("Remember 42", PromptOptions::default())
            .await
            .unwrap();
    }
    // A new process: a new harness over the same store.
    let harness = Harness::init(InitOptions {
        persist: Some(std::sync::Arc::new(
            VfsStore::directory(dir.path()).unwrap(),
        )),
        ..options(&server)
    })
    .await
    .unwrap();
    assert_eq!(harness.sessions().list().await.unwrap(), ["memory"]);
    let session = harness
        .sessions()
        .get("memory")
        .await
        .unwrap()
        .expect("saved");
    assert_eq!(session.messages().await.len(), 2);
    session
        .prompt("What number?", PromptOptions::default())
        .await
        .unwrap();
    let sent = server.requests()[1].body["messages"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sent.len(), 3);
    assert!(text_of(&sent[0]).contains("Remember 42"));

    let err = harness.sessions().create("memory").await.unwrap_err();
    assert!(err.to_string().contains("exists already"), "{err}");
    harness.sessions().delete("memory").await.unwrap();
    assert!(harness.sessions().get("memory").await.unwrap().is_none());
    assert!(harness.sessions().list().await.unwrap().is_empty());
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[tokio::test]
async fn a_failed_run_still_counts_the_tokens_of_its_turns() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "true"})).with_usage(300, 20),
        Turn::text("cut").malformed(Fault::InvalidJson),
    ]);
    let harness = harness(&server).await;
    let recorder = Recorder::on(&harness);
    let session = harness.session("s").await.unwrap();
    session
        .prompt("go", PromptOptions::default())
        .await
        .unwrap_err();
    assert_eq!(session.usage().await.input_tokens, 300);
    let ends: Vec<_> = recorder
        .events()
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::RunEnd {
                usage,
                turns,
                outcome,
                ..
            } => Some((usage.input_tokens, turns, outcome)),
            _ => None,
        })
        .collect();
    assert_eq!(ends.len(), 1);
    assert_eq!((ends[0].0, ends[0].1), (300, 1));
    assert!(matches!(ends[0].2, RunOutcome::Error(_)));
}
