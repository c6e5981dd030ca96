//! Tasks: child sessions over the same sandbox, nesting at most 4 deep.

use serde_json::json;
use wasm_agent_harness::{EventKind, PromptOptions, RunOutcome, MAX_TASK_DEPTH};
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::{harness, last_tool_results, text_of, tool_names, Recorder};

#[tokio::test]
async fn a_task_tool_call_runs_a_sub_agent_whose_answer_comes_back() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "p1",
            "task",
            json!({"prompt": "Create notes/todo.txt saying 'buy milk'", "cwd": "/tmp"}),
        ),
        // The sub-agent's turns.
        Turn::tool_call(
            "c1",
            "write",
            json!({"path": "todo.txt", "content": "buy milk\n"}),
        ),
        Turn::text("Created /tmp/todo.txt."),
        // Back in the parent.
        Turn::text("The sub-agent created the file."),
    ]);
    let harness = harness(&server).await;
    let recorder = Recorder::on(&harness);
    let session = harness.session("main").await.unwrap();
    let answer = session
        .prompt("Delegate it", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(answer.text, "The sub-agent created the file.");
    assert_eq!(
        harness.fs().read_file("/tmp/todo.txt").await.unwrap(),
        "buy milk\n"
    );

    let requests = server.requests();
    let child_first = &requests[1].body;
    assert_eq!(
        child_first["messages"].as_array().unwrap().len(),
        1,
        "a fresh conversation"
    );
    assert!(text_of(&child_first["messages"][0]).contains("buy milk"));
    assert_eq!(
        last_tool_results(&requests[3].body),
        vec![("Created /tmp/todo.txt.".to_string(), false)]
    );
    assert_eq!(
        session.messages().await.len(),
        4,
        "the child's turns stay in the child"
    );

    let events = recorder.events();
    let tasks: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Task {
                child_session,
                child_run,
                depth,
                outcome,
            } => Some((
                e.run_id.clone(),
                child_session.clone(),
                child_run.clone(),
                *depth,
                outcome.clone(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(tasks.len(), 2, "start and end");
    assert_eq!(tasks[0].0, answer.run_id);
    assert_eq!(tasks[0].1, "main.task-1");
    assert_eq!(tasks[0].3, 1);
    assert_eq!(tasks[1].4, Some(RunOutcome::Ok));
    let child_run = &tasks[0].2;
    assert!(events.iter().any(|e| &e.run_id == child_run
        && matches!(&e.kind, EventKind::ToolCall { name, .. } if name == "write")));
}

#[tokio::test]
async fn tasks_nest_four_deep_and_the_deepest_is_not_offered_task() {
    // Every agent that has `task` delegates; the deepest answers; each
    // level then reports back.
    let server = ScriptedLlm::start_with(|request| {
        let messages = request.body["messages"].as_array().unwrap();
        let last = messages.last().unwrap();
        if last["content"].to_string().contains("tool_result") {
            return Some(Turn::text("done below"));
        }
        if tool_names(&request.body).contains(&"task".to_string()) {
            Some(Turn::tool_call("t", "task", json!({"prompt": "go deeper"})))
        } else {
            Some(Turn::text("bottom"))
        }
    });
    let harness = harness(&server).await;
    let session = harness.session("top").await.unwrap();
    let answer = session
        .prompt("go", PromptOptions::default())
        .await
        .unwrap();
    assert_eq!(answer.text, "done below");
    let requests = server.requests();
    let offered: Vec<bool> = requests
        .iter()
        .filter(|r| r.body["messages"].as_array().unwrap().len() == 1)
        .map(|r| tool_names(&r.body).contains(&"task".to_string()))
        .collect();
    assert_eq!(offered.len() as u32, MAX_TASK_DEPTH + 1, "depths 0 to 4");
    assert_eq!(offered, [true, true, true, true, false]);
}

#[tokio::test]
async fn a_task_started_by_the_caller_has_its_own_conversation_and_holds_the_session() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "c1",
            "bash",
            json!({"command": "sleep 1; echo hi > /tmp/hi"}),
        ),
        Turn::text("child done"),
    ]);
    let harness = harness(&server).await;
    let session = harness.session("main").await.unwrap();
    let task = session.task("say hi", PromptOptions::default().cwd("/tmp"));
    let busy = session
        .prompt("meanwhile", PromptOptions::default())
        .await
        .unwrap_err();
    assert!(busy.to_string().contains("busy running a task"), "{busy}");
    let answer = task.await.unwrap();
    assert_eq!(answer.text, "child done");
    assert!(
        session.messages().await.is_empty(),
        "the parent's conversation is untouched"
    );
    assert_eq!(harness.fs().read_file("/tmp/hi").await.unwrap(), "hi\n");
}
