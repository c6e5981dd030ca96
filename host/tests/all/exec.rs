//! `Sandbox::exec`: bash scripts whose commands are builtins, host
//! commands and real guest tools; state model; hostile scripts.

use crate::support::tools_runtime;
use std::time::{Duration, Instant};
use wasm_agent::shell::Limits as ShellLimits;
use wasm_agent::{ExecOptions, Sandbox};

fn sandbox() -> Sandbox {
    Sandbox::new(tools_runtime())
}

#[tokio::test]
async fn pipelines_mix_builtins_and_tools() {
    let sb = sandbox();
    let out = sb
        .exec("mkdir -p /src && printf 'b\\na\\nb\\n' > /src/x.txt && sort /src/x.txt | uniq -c | sort -rn")
        .await
        .unwrap();
    assert_eq!(out.stdout_lossy(), "      2 b\n      1 a\n");
    assert_eq!(out.exit_code, 0);
    let out = sb
        .exec("yes | head -3; echo ${PIPESTATUS[@]}")
        .await
        .unwrap();
    assert_eq!(out.stdout_lossy(), "y\ny\ny\n141 0\n");
}

#[tokio::test]
async fn the_filesystem_persists_and_shell_state_does_not() {
    let sb = sandbox();
    sb.exec("x=1; cd /tmp 2>/dev/null || mkdir /tmp; echo kept > /tmp/f")
        .await
        .unwrap();
    let out = sb.exec("echo \"[$x]\"; pwd; cat /tmp/f").await.unwrap();
    assert_eq!(out.stdout_lossy(), "[]\n/\nkept\n");
}

#[tokio::test]
async fn shell_state_can_be_kept() {
    let sb = Sandbox::builder(tools_runtime())
        .keep_shell_state(true)
        .build();
    sb.exec("x=1; f() { echo f$1; }; mkdir /w; cd /w")
        .await
        .unwrap();
    let out = sb.exec("echo $x; f 2; pwd").await.unwrap();
    assert_eq!(out.stdout_lossy(), "1\nf2\n/w\n");
}

#[tokio::test]
async fn options_set_cwd_env_stdin_and_arguments() {
    let sb = sandbox();
    sb.exec("mkdir -p /work").await.unwrap();
    let options = ExecOptions::default()
        .cwd("/work")
        .env("GREETING", "hi")
        .stdin("line one\nline two\n")
        .args("script", ["a".to_string(), "b c".to_string()]);
    let out = sb
        .exec_with(
            "pwd; echo $GREETING $0 $# \"$2\"; wc -l; printenv GREETING",
            options,
        )
        .await
        .unwrap();
    assert_eq!(out.stdout_lossy(), "/work\nhi script 2 b c\n2\nhi\n");
    let missing = sb
        .exec_with("true", ExecOptions::default().cwd("/nope"))
        .await;
    assert!(missing.is_err());
}

#[tokio::test]
async fn host_commands_run_in_the_host() {
    let sb = Sandbox::builder(tools_runtime())
        .host_command("secret-upper", |call| async move {
            let input = call.read_stdin().await.unwrap_or_default();
            let text = String::from_utf8_lossy(&input).to_uppercase();
            let _ = call
                .write_stdout(format!("{text}{}\n", call.argv.len()))
                .await;
            3
        })
        .build();
    let out = sb.exec("echo abc | secret-upper x | tr A-Z a-z; echo ${PIPESTATUS[1]}; type -t secret-upper 2>/dev/null; true").await.unwrap();
    assert!(out.stdout_lossy().starts_with("abc\n2\n3\n"), "{out:?}");
}

#[tokio::test]
async fn granted_host_commands_exist_for_that_call_only() {
    use std::collections::HashMap;
    use wasm_agent::HostCommand;
    let sb = Sandbox::builder(tools_runtime())
        .host_command("who", |call| async move {
            let _ = call.write_stdout("built-in\n").await;
            0
        })
        .build();
    let granted = HashMap::from([
        (
            "deploy".to_string(),
            HostCommand::new(|call| async move {
                let _ = call
                    .write_stdout(format!("deploy {}\n", call.argv[1..].join(" ")))
                    .await;
                0
            }),
        ),
        (
            "who".to_string(),
            HostCommand::new(|call| async move {
                let _ = call.write_stdout("granted\n").await;
                0
            }),
        ),
    ]);
    let out = sb
        .exec_granting("deploy prod | cat; who", ExecOptions::default(), &granted)
        .await
        .unwrap();
    assert_eq!(out.stdout_lossy(), "deploy prod\ngranted\n", "{out:?}");
    let out = sb.exec("deploy prod; who").await.unwrap();
    assert_eq!(out.stdout_lossy(), "built-in\n");
    assert!(
        out.stderr_lossy().contains("deploy: command not found"),
        "{out:?}"
    );
}

#[tokio::test]
async fn unknown_commands_and_syntax_errors_are_reported_like_bash() {
    let sb = sandbox();
    let out = sb.exec("echo a\nnosuch-cmd --x").await.unwrap();
    assert_eq!(out.exit_code, 127);
    assert_eq!(
        out.stderr_lossy(),
        "bash: line 2: nosuch-cmd: command not found\n"
    );
    let out = sb.exec("echo a\nif true; then fi").await.unwrap();
    assert_eq!(out.exit_code, 2);
    assert_eq!(
        out.stderr_lossy(),
        "bash: -c: line 2: syntax error near unexpected token `fi'\nbash: -c: line 2: `if true; then fi'\n"
    );
    // As bash, the whole lines before the broken one ran.
    assert_eq!(out.stdout_lossy(), "a\n");
}

#[tokio::test]
async fn scripts_in_the_filesystem_run_by_path_and_with_bash() {
    let sb = sandbox();
    sb.write_file("/s.sh", "#!/bin/bash\necho \"script $1\"\nexit 4\n")
        .await
        .unwrap();
    let out = sb
        .exec("chmod +x /s.sh 2>/dev/null; /s.sh one; echo $?; bash /s.sh two; echo $?")
        .await
        .unwrap();
    assert_eq!(out.stdout_lossy(), "script one\n4\nscript two\n4\n");
}

// --- hostile scripts: each ends with a clear error within its limit ---

fn limited(limits: ShellLimits) -> Sandbox {
    Sandbox::builder(tools_runtime())
        .shell_limits(limits)
        .build()
}

#[tokio::test]
async fn an_endless_loop_is_stopped_by_the_timeout() {
    let sb = sandbox();
    let started = Instant::now();
    let options = ExecOptions::default().timeout(Duration::from_millis(300));
    let out = sb.exec_with("while :; do :; done", options).await.unwrap();
    assert_eq!(out.exit_code, 124);
    assert!(
        out.stderr_lossy().contains("timed out"),
        "{}",
        out.stderr_lossy()
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_loop_of_tools_is_stopped_by_the_timeout() {
    let sb = sandbox();
    let options = ExecOptions::default().timeout(Duration::from_millis(300));
    let out = sb
        .exec_with("while true; do cat /dev/null; done", options)
        .await
        .unwrap();
    assert_eq!(out.exit_code, 124);
}

#[tokio::test]
async fn runaway_recursion_hits_the_call_depth_limit() {
    let sb = sandbox();
    let out = sb.exec("f() { f; }; f; echo after").await.unwrap();
    assert_ne!(out.exit_code, 0);
    assert!(
        out.stderr_lossy()
            .contains("maximum function nesting level exceeded"),
        "{}",
        out.stderr_lossy()
    );
    let started = Instant::now();
    // The call ends when its shell has; the jobs the bomb left behind are
    // stopped with it.
    sb.exec(":(){ :|:& };:").await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    let out = sb
        .exec("for i in $(seq 1 1100); do true & done; wait")
        .await
        .unwrap();
    assert!(
        out.stderr_lossy()
            .contains("background job limit exceeded (1000 jobs)"),
        "{}",
        out.stderr_lossy()
    );
    assert_eq!(out.exit_code, 1);
}

#[tokio::test]
async fn huge_brace_expansions_are_refused() {
    let sb = sandbox();
    let started = Instant::now();
    let out = sb.exec("echo {1..100000000} | wc -c").await.unwrap();
    assert!(
        out.stderr_lossy().contains("max_expansion_words"),
        "{}",
        out.stderr_lossy()
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn deeply_nested_substitutions_are_refused() {
    let sb = sandbox();
    let mut script = "echo x".to_string();
    for _ in 0..500 {
        script = format!("echo $({script})");
    }
    let out = sb.exec(&script).await.unwrap();
    assert!(
        out.stderr_lossy().contains("nested deeper than 200 levels"),
        "{}",
        out.stderr_lossy()
    );
    // Past the parser's nesting limit the script is refused as a whole.
    let deep = format!("{}echo x{}", "(".repeat(5000), ")".repeat(5000));
    let out = sb.exec(&deep).await.unwrap();
    assert_eq!(out.exit_code, 2);
    assert!(
        out.stderr_lossy().contains("the limit is 1000"),
        "{}",
        out.stderr_lossy()
    );
}

#[tokio::test]
async fn a_ten_megabyte_line_is_handled() {
    let sb = sandbox();
    let line = "a".repeat(10 << 20);
    let options = ExecOptions::default().stdin(format!("{line}\n"));
    let out = sb
        .exec_with(
            "wc -c; x=$(head -c 100 /dev/zero | wc -c); echo $x",
            options,
        )
        .await
        .unwrap();
    assert_eq!(out.stdout_lossy(), format!("{}\n100\n", (10 << 20) + 1));
}

#[tokio::test]
async fn the_command_limit_stops_a_script() {
    let sb = limited(ShellLimits {
        max_commands: 1000,
        ..ShellLimits::default()
    });
    let out = sb.exec("while :; do :; done").await.unwrap();
    assert_ne!(out.exit_code, 0);
    assert!(
        out.stderr_lossy().contains("command limit exceeded"),
        "{}",
        out.stderr_lossy()
    );
}
