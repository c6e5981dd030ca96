//! Which model a run asks for: `--model` > `WASM_AGENT_MODEL` > the
//! agent's `model` > `[defaults] model` of wasm-agent.toml.

use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::Project;

/// Agent, flags, variables, the model id the provider is asked for.
type Case<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn flags_beat_variables_beat_the_agent_beats_the_config() {
    let server = ScriptedLlm::start(Vec::new());
    let project = Project::new(&server);
    project
        .agent("plain", "Hi.\n")
        .agent("pinned", "---\nmodel: scripted/agent-model\n---\nHi.\n");
    let dir = project.path();
    let cases: [Case; 4] = [
        ("plain", &[], &[], "m"),
        ("pinned", &[], &[], "agent-model"),
        (
            "pinned",
            &[],
            &[("WASM_AGENT_MODEL", "scripted/env-model")],
            "env-model",
        ),
        (
            "pinned",
            &["--model", "scripted/flag-model"],
            &[("WASM_AGENT_MODEL", "scripted/env-model")],
            "flag-model",
        ),
    ];
    for (index, (agent, flags, env, expected)) in cases.into_iter().enumerate() {
        server.push(Turn::text("ok"));
        let id = format!("m{index}");
        let mut args = vec![agent, "--id", id.as_str()];
        args.extend_from_slice(flags);
        let run = project.run_with(dir, &args, env);
        assert_eq!(run.status, Some(0), "{}", run.stderr);
        let asked = &server.requests()[index].body["model"];
        assert_eq!(asked, expected, "case {index}");
    }
}

#[test]
fn another_config_file_replaces_the_projects() {
    let server = ScriptedLlm::start(vec![Turn::text("ok")]);
    let project = Project::new(&server);
    project.agent("plain", "Hi.\n").file(
        "other.toml",
        &format!(
            "[defaults]\nmodel = \"mine/other-default\"\n[providers.mine]\nbase_url = \"{}\"\n\
             format = \"anthropic\"\napi_key_env = \"OTHER_KEY\"\n",
            server.base_url()
        ),
    );
    project.file("keys.env", "OTHER_KEY=from-env-file\n");
    let run = project.run_with(
        project.path(),
        &["plain", "--id", "c", "--env", "keys.env"],
        &[("WASM_AGENT_CONFIG", "other.toml")],
    );
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert_eq!(server.requests()[0].body["model"], "other-default");
    // The key named by api_key_env came from the --env file.
    assert_eq!(
        server.requests()[0].header("x-api-key"),
        Some("from-env-file")
    );
    assert!(!run.stderr.contains("from-env-file"), "{}", run.stderr);
}
