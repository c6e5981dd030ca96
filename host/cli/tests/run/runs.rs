//! Runs that succeed.

use serde_json::{json, Value};
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::{conversation, Project};

const TRIAGE: &str = "---
description: Label an issue
result:
  type: object
  properties:
    label: {type: string}
  required: [label]
---
Label issue {{payload.number}}: {{payload.title}} (session {{id}})
";

#[test]
fn a_typed_result_goes_to_stdout_and_tool_calls_to_stderr() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "echo triaged | tr a-z A-Z"}),
        ),
        Turn::tool_call("t2", "finish", json!({"result": {"label": "bug"}})),
    ]);
    let project = Project::new(&server);
    project.agent("triage", TRIAGE);
    let run = project.run(&[
        "triage",
        "--id",
        "issue-7",
        "--payload",
        r#"{"number": 7, "title": "crash on start"}"#,
    ]);
    assert_eq!(run.json(), json!({"label": "bug"}));
    assert!(
        run.stderr.contains("→ bash echo triaged | tr a-z A-Z"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("← bash") && run.stderr.contains("TRIAGED"),
        "{}",
        run.stderr
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = conversation(&requests[0].body);
    assert!(
        first.contains("Label issue 7: crash on start (session issue-7)"),
        "{first}"
    );
    assert_eq!(requests[0].header("x-api-key"), Some("test-key"));
    // The session is kept in the project, under the agent's name and the id.
    assert!(project
        .path()
        .join(".wasm-agent/sessions/triage.issue-7.session.json")
        .is_file());
}

#[test]
fn the_same_id_continues_the_session_from_any_subdirectory() {
    let server = ScriptedLlm::start(vec![Turn::text("first answer")]);
    let project = Project::new(&server);
    project.agent(
        "chat",
        "---\nwebhook: false\n---\nQuestion: {{payload.q}}\n",
    );
    let first = project.run(&["chat", "--id", "s1", "--payload", r#"{"q": "one?"}"#]);
    assert_eq!(first.json(), json!({"text": "first answer"}));

    server.push(Turn::text("second answer"));
    let sub = project.path().join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let second = project.run_in(
        &sub,
        &[
            "chat",
            "--session-id",
            "s1",
            "--payload",
            r#"{"q": "two?"}"#,
        ],
    );
    assert_eq!(second.json(), json!({"text": "second answer"}));
    let resumed = conversation(&server.requests()[1].body);
    for said in ["Question: one?", "first answer", "Question: two?"] {
        assert!(resumed.contains(said), "{said:?} missing from {resumed}");
    }

    // Another id is another conversation.
    server.push(Turn::text("fresh"));
    let other = project.run(&["chat", "--id", "s2", "--payload", r#"{"q": "three?"}"#]);
    assert_eq!(other.json(), json!({"text": "fresh"}));
    let fresh = conversation(&server.requests()[2].body);
    assert!(!fresh.contains("one?"), "{fresh}");
}

#[test]
fn json_output_is_one_event_per_line_then_the_result() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "write",
            json!({"path": "note.txt", "content": "hi\n"}),
        ),
        Turn::text("wrote it"),
    ]);
    let project = Project::new(&server);
    project.agent("writer", "Write a note.\n");
    let run = project.run(&["writer", "--id", "w", "--output", "json"]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let types: Vec<&str> = lines.iter().filter_map(|l| l["type"].as_str()).collect();
    for expected in [
        "run_start",
        "turn_start",
        "tool_start",
        "tool_call",
        "run_end",
    ] {
        assert!(
            types.contains(&expected),
            "{expected} missing from {types:?}"
        );
    }
    let indexes: Vec<u64> = lines[..lines.len() - 1]
        .iter()
        .map(|l| l["index"].as_u64().unwrap())
        .collect();
    assert!(indexes.windows(2).all(|w| w[1] == w[0] + 1), "{indexes:?}");
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "result");
    assert_eq!(last["result"], json!({"text": "wrote it"}));
    let run_id = last["run_id"].as_str().unwrap();
    assert!(run_id.starts_with("writer-"), "{run_id}");
    assert_eq!(lines[0]["run_id"], run_id);
}

#[test]
fn env_files_feed_the_template_and_host_commands() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "show GREETING"})),
        Turn::text("done"),
    ]);
    let project = Project::new(&server);
    project
        .agent(
            "greeter",
            "---\ncommands:\n  show: {program: printenv, env: {GREETING: \"hi ${WHO}\"}}\n---\n\
             Greet {{env.WHO}}.\n",
        )
        .file("secrets.env", "# for the greeter\nexport WHO=\"Ada\"\n");
    let run = project.run(&["greeter", "--id", "g", "--env", "secrets.env"]);
    assert_eq!(run.json(), json!({"text": "done"}));
    let requests = server.requests();
    assert!(conversation(&requests[0].body).contains("Greet Ada."));
    let answer = conversation(&requests[1].body);
    assert!(answer.contains("hi Ada"), "{answer}");
}

#[test]
fn a_local_sandbox_is_the_project_and_roles_come_from_the_project() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "cat /AGENTS.md > /seen.txt"}),
        ),
        Turn::text("ok"),
    ]);
    let project = Project::new(&server);
    project
        .file("AGENTS.md", "Always be brief.\n")
        .file(
            ".wasm-agent/roles/reviewer.md",
            "---\ndescription: reviews\n---\nYou review code carefully.\n",
        )
        .agent(
            "review",
            "---\nsandbox: local\nrole: reviewer\n---\nReview.\n",
        );
    let run = project.run(&["review", "--id", "r1"]);
    assert_eq!(run.json(), json!({"text": "ok"}));
    // The agent's write landed in the project directory.
    let seen = std::fs::read_to_string(project.path().join("seen.txt")).unwrap();
    assert_eq!(seen, "Always be brief.\n");
    let system = server.requests()[0].body["system"].to_string();
    assert!(system.contains("You review code carefully."), "{system}");
    assert!(system.contains("Always be brief."), "{system}");
}

#[test]
fn a_forked_host_directory_is_left_untouched() {
    let server = ScriptedLlm::start(vec![
        Turn::tool_call(
            "t1",
            "bash",
            json!({"command": "cat /data.txt > /copy.txt; echo changed > /data.txt; cat /copy.txt"}),
        ),
        Turn::text("ok"),
    ]);
    let project = Project::new(&server);
    project.file("work/data.txt", "original\n").agent(
        "scratch",
        "---\nsandbox: {source: work, fork: true}\n---\nGo.\n",
    );
    let run = project.run(&["scratch", "--id", "x"]);
    assert_eq!(run.json(), json!({"text": "ok"}));
    assert!(run.stderr.contains("original"), "{}", run.stderr);
    let data = std::fs::read_to_string(project.path().join("work/data.txt")).unwrap();
    assert_eq!(data, "original\n");
    assert!(!project.path().join("work/copy.txt").exists());
}

#[test]
fn help_shows_an_example() {
    let server = ScriptedLlm::start(Vec::new());
    let project = Project::new(&server);
    let run = project.run(&["--help"]);
    assert_eq!(run.status, Some(0));
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("wasm-agent run triage --id issue-42"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--session-id"), "{}", run.stdout);
}

#[test]
fn an_agent_can_be_offered_only_some_tools() {
    let server = ScriptedLlm::start(vec![Turn::text("looked")]);
    let project = Project::new(&server);
    project.agent(
        "reader",
        "---\ntools: [read, grep, glob]\n---\nLook around.\n",
    );
    project.agent("typo", "---\ntools: [read, 'no such']\n---\nx\n");
    let run = project.run(&["reader", "--id", "r1"]);
    assert_eq!(run.json(), json!({"text": "looked"}));
    let requests = server.requests();
    let offered: Vec<&str> = requests[0].body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["read", "grep", "glob"]);
    project
        .run(&["typo", "--id", "r2"])
        .fails(1, "typo.md:2: 'tools': tool name 'no such' may hold only");
}

#[test]
fn ctrl_c_aborts_the_run_and_keeps_the_session() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": "sleep 30"})),
        Turn::text("resumed"),
    ]);
    let project = Project::new(&server);
    project.agent("waiter", "---\n---\nWait.\n");
    let child = Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
        .args(["run", "waiter", "--id", "w1"])
        .current_dir(project.path())
        .env("SCRIPTED_KEY", "test-key")
        .env_remove("WASM_AGENT_MODEL")
        .env_remove("WASM_AGENT_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wasm-agent starts");
    // Wait until the model asked for the sleep, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.requests().is_empty() {
        assert!(Instant::now() < deadline, "the run never called the model");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let interrupted = Instant::now();
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        interrupted.elapsed() < Duration::from_secs(10),
        "the sleep was aborted"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("interrupted; saving the session"),
        "{stderr}"
    );
    let session = std::fs::read_to_string(
        project
            .path()
            .join(".wasm-agent/sessions/waiter.w1.session.json"),
    )
    .unwrap();
    assert!(session.contains("cancelled"), "{session}");
    // The same id goes on from there.
    let run = project.run(&["waiter", "--id", "w1"]);
    assert_eq!(run.json(), json!({"text": "resumed"}));
}
