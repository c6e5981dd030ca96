//! Host commands: granted per call or harness-wide, secrets kept in the host.

use serde_json::json;
use wasm_agent_harness::{Command, Harness, InitOptions, PromptOptions, ShellOptions};
use wasm_agent_scripted_llm::{ScriptedLlm, Turn};

use crate::support::{harness, last_tool_results, options};

const SECRET: &str = "ghp_s3cr3t-token";

fn deploy() -> Command {
    let token = SECRET.to_string();
    Command::new("deploy", move |call| {
        let token = token.clone();
        async move {
            // The secret is used here, in the host, and never printed.
            let signed = token.len();
            let target = call.argv.get(1).cloned().unwrap_or_default();
            let _ = call
                .write_stdout(format!(
                    "deployed {target} (signed with a {signed}-byte token)\n"
                ))
                .await;
            0
        }
    })
}

#[tokio::test]
async fn a_command_granted_to_one_call_is_not_available_in_the_next() {
    let script = "deploy prod; echo status=$?";
    let server = ScriptedLlm::start(vec![
        Turn::tool_call("t1", "bash", json!({"command": script})),
        Turn::text("Deployed."),
        Turn::tool_call("t2", "bash", json!({"command": script})),
        Turn::text("Could not."),
    ]);
    let harness = harness(&server).await;
    let session = harness.session("s").await.unwrap();
    session
        .prompt("Deploy", PromptOptions::default().command(deploy()))
        .await
        .unwrap();
    session
        .prompt("Deploy again", PromptOptions::default())
        .await
        .unwrap();
    let requests = server.requests();
    let granted = &last_tool_results(&requests[1].body)[0].0;
    assert!(
        granted.starts_with("deployed prod (signed with a 16-byte token)\nstatus=0"),
        "{granted}"
    );
    let refused = &last_tool_results(&requests[3].body)[0].0;
    assert!(
        refused.contains("deploy: command not available"),
        "{refused}"
    );
    assert!(refused.contains("status=127"), "{refused}");
    for request in &requests {
        assert!(
            !request.body.to_string().contains(SECRET),
            "the secret reached the model"
        );
    }
}

#[tokio::test]
async fn harness_wide_commands_reach_every_call_and_the_harness_shell() {
    let server = ScriptedLlm::start(vec![]);
    let harness = Harness::init(InitOptions {
        commands: vec![deploy()],
        ..options(&server)
    })
    .await
    .unwrap();
    let out = harness
        .shell("deploy staging | tr a-z A-Z", ShellOptions::default())
        .await
        .unwrap();
    assert_eq!(
        out.stdout,
        "DEPLOYED STAGING (SIGNED WITH A 16-BYTE TOKEN)\n"
    );
    let session = harness.session("s").await.unwrap();
    let out = session
        .shell("deploy qa", ShellOptions::default())
        .await
        .unwrap();
    assert_eq!(out.exit_code, 0);

    let bad = Harness::init(InitOptions {
        commands: vec![Command::new("no spaces", |_call| async { 0 })],
        ..options(&server)
    })
    .await
    .unwrap_err();
    assert!(
        bad.to_string().contains("host command name 'no spaces'"),
        "{bad}"
    );
}

#[tokio::test]
async fn a_recorded_shell_command_hides_its_environment_values() {
    let server = ScriptedLlm::start(vec![Turn::text("noted")]);
    let harness = harness(&server).await;
    let session = harness.session("s").await.unwrap();
    let options = ShellOptions {
        env: vec![("TOKEN".into(), "tok-123".into())],
        ..ShellOptions::default()
    };
    let out = session
        .shell("echo \"token is $TOKEN\"", options)
        .await
        .unwrap();
    assert_eq!(
        out.stdout, "token is tok-123\n",
        "the command itself sees the value"
    );
    harness
        .shell("echo unrecorded", ShellOptions::default())
        .await
        .unwrap();
    let messages = session.messages().await;
    assert_eq!(messages.len(), 1, "the harness's shell is not recorded");
    let record = messages[0].text();
    assert!(record.contains("$ echo \"token is $TOKEN\""), "{record}");
    assert!(record.contains("env: TOKEN=***"), "{record}");
    assert!(record.contains("token is ***"), "{record}");
    assert!(!record.contains("tok-123"), "{record}");
    assert!(record.contains("[exit status 0]"), "{record}");
    // The model sees it with the next prompt.
    session
        .prompt("What did I run?", Default::default())
        .await
        .unwrap();
    let body = server.requests()[0].body.to_string();
    assert!(body.contains("token is ***") && body.contains("What did I run?"));
    assert!(!body.contains("tok-123"));
}

#[tokio::test]
async fn a_host_program_gets_its_own_environment_and_the_scripts_input() {
    use wasm_agent_harness::HostProgram;
    let server = ScriptedLlm::start(vec![]);
    let program = HostProgram::new("sh").env("API_TOKEN", "tok-98765");
    let harness = Harness::init(InitOptions {
        commands: vec![Command::program("hostsh", program)],
        ..options(&server)
    })
    .await
    .unwrap();
    let out = harness
        .shell(
            r#"hostsh -c 'printf %s "$API_TOKEN" | wc -c'; echo "sandbox sees [$API_TOKEN]"; printf 'piped in' | hostsh -c 'cat; exit 3'; echo " status=$?""#,
            ShellOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        out.stdout, "9\nsandbox sees []\npiped in status=3\n",
        "{out:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let in_dir = Harness::init(InitOptions {
        commands: vec![Command::program(
            "hostpwd",
            HostProgram::new("pwd").dir(dir.path()),
        )],
        ..options(&server)
    })
    .await
    .unwrap();
    let out = in_dir
        .shell("hostpwd", ShellOptions::default())
        .await
        .unwrap();
    let expected = dir.path().canonicalize().unwrap();
    assert_eq!(out.stdout.trim_end(), expected.to_str().unwrap(), "{out:?}");

    let missing = Harness::init(InitOptions {
        commands: vec![Command::program(
            "gone",
            HostProgram::new("/no/such/program"),
        )],
        ..options(&server)
    })
    .await
    .unwrap();
    let out = missing
        .shell("gone", ShellOptions::default())
        .await
        .unwrap();
    assert_eq!(out.exit_code, 127);
    assert!(
        out.stderr
            .contains("cannot run the host program /no/such/program"),
        "{out:?}"
    );
}
