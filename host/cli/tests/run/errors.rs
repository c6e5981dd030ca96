//! Runs refused before or during the run: exit statuses and messages
//! that name the file, line and field.

use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::Project;

const TRIAGE: &str = "---
model: scripted/m
---
Triage.

Issue {{payload.number}}: {{payload.issue.title}}
";

#[test]
fn a_payload_that_is_not_json_is_a_usage_error() {
    let server = ScriptedLlm::start(Vec::new());
    let project = Project::new(&server);
    project.agent("triage", TRIAGE);
    let run = project.run(&["triage", "--id", "a", "--payload", "{\"number\": 7,}"]);
    run.fails(2, "--payload:1:");
    assert!(run.stderr.contains("not valid JSON"), "{}", run.stderr);
    let run = project.run(&["triage", "--id", "a", "--payload", "@missing.json"]);
    run.fails(2, "--payload @missing.json: cannot read");
    assert!(server.requests().is_empty());
}

#[test]
fn a_payload_lacking_a_template_key_names_key_and_line() {
    let server = ScriptedLlm::start(Vec::new());
    let project = Project::new(&server);
    project.agent("triage", TRIAGE);
    project.file("p.json", r#"{"number": 7, "issue": {"body": "x"}}"#);
    let run = project.run(&["triage", "--id", "a", "--payload", "@p.json"]);
    run.fails(2, ".wasm-agent/agents/triage.md:6:");
    assert!(
        run.stderr.contains("no key 'issue.title'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("payload.issue has body"),
        "{}",
        run.stderr
    );
    let run = project.run(&["triage", "--id", "a"]);
    run.fails(2, "no payload was given");
    assert!(server.requests().is_empty());
}

#[test]
fn definition_errors_name_file_line_and_field() {
    let server = ScriptedLlm::start(Vec::new());
    let project = Project::new(&server);
    project
        .agent(
            "yaml",
            "---\nmodel: scripted/m\nresult: [unclosed\n---\nx\n",
        )
        .agent(
            "unknown",
            "---\nmodel: scripted/m\nwebhook: true\ncolour: blue\n---\nx\n",
        )
        .agent("model", "---\nwebhook: true\nmodel: gpt-4\n---\nx\n")
        .agent("place", "---\n---\nHello {{user.name}}\n")
        .agent("role", "---\nrole: ghost\n---\nx\n");
    let cases = [
        ("yaml", "yaml.md:", "invalid YAML"),
        (
            "unknown",
            "unknown.md:4: 'colour': unknown key",
            "an agent file knows",
        ),
        (
            "model",
            "model.md:3: 'model': model 'gpt-4'",
            "provider/model-id",
        ),
        (
            "place",
            "place.md:3: template: unknown placeholder",
            "{{id}}",
        ),
        (
            "role",
            "role.md:2: 'role': no role 'ghost'",
            "roles/ghost.md",
        ),
    ];
    for (agent, place, what) in cases {
        let run = project.run(&[agent, "--id", "a"]);
        run.fails(1, place);
        assert!(run.stderr.contains(what), "{agent}: {}", run.stderr);
    }
    // With --output json the failure is also the last line of stdout.
    let run = project.run(&["unknown", "--id", "a", "--output", "json"]);
    run.fails(1, "unknown.md:4:");
    let last: serde_json::Value = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        (&last["type"], &last["kind"]),
        (&"error".into(), &"definition".into())
    );
    assert!(server.requests().is_empty());
}

#[test]
fn unknown_agents_and_missing_projects_are_usage_errors() {
    let server = ScriptedLlm::start(Vec::new());
    let project = Project::new(&server);
    project.agent("triage", TRIAGE);
    project
        .run(&["nope", "--id", "a"])
        .fails(2, "no agent named 'nope' (known agents: triage)");
    project
        .run(&["triage", "--id", "../etc"])
        .fails(2, "session id '../etc' may hold only");
    let elsewhere = tempfile::tempdir().unwrap();
    project
        .run_in(elsewhere.path(), &["triage", "--id", "a"])
        .fails(2, "no .wasm-agent/ directory");
    project.run(&["triage"]).fails(2, "--id");
}

#[test]
fn config_and_model_errors_exit_1() {
    let server = ScriptedLlm::start(vec![Turn::text("unused")]);
    let project = Project::new(&server);
    project.agent("other", "---\nmodel: elsewhere/m\n---\nx\n");
    project
        .run(&["other", "--id", "a"])
        .fails(1, "unknown provider 'elsewhere'");
    project.file(
        "bad.toml",
        "[defaults]\nmodel = \"scripted/m\"\ncolour = 1\n",
    );
    project
        .run(&["other", "--id", "a", "--config", "bad.toml"])
        .fails(1, "bad.toml:3:");
    assert!(server.requests().is_empty());
}
