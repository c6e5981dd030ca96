//! Real guest tools over the sandbox filesystem: the WASI layer seen
//! through the programs agents run.

use crate::support::tools_runtime;
use std::time::{Duration, Instant};
use wasm_agent::io::{pipe, Capture, Output};
use wasm_agent::{Command, CommandOutput, Limits, Sandbox};

fn sandbox() -> Sandbox {
    Sandbox::new(tools_runtime())
}

async fn run(sb: &Sandbox, argv: &[&str]) -> CommandOutput {
    sb.run(argv.iter().copied()).await.expect("command runs")
}

#[tokio::test]
async fn exit_statuses_of_tools_reach_the_caller() {
    let sb = sandbox();
    sb.write_file("/f.txt", "alpha\nbeta\n").await.unwrap();
    assert_eq!(run(&sb, &["grep", "beta", "/f.txt"]).await.exit_code, 0);
    assert_eq!(run(&sb, &["grep", "gamma", "/f.txt"]).await.exit_code, 1);
    assert_eq!(run(&sb, &["grep", "x", "/missing"]).await.exit_code, 2);
    assert_eq!(run(&sb, &["expr", "1", "+", "1"]).await.exit_code, 0);
    assert_eq!(run(&sb, &["expr", "0", "+", "0"]).await.exit_code, 1);
    assert_eq!(run(&sb, &["expr", "1", "+"]).await.exit_code, 2);
    assert_eq!(run(&sb, &["false"]).await.exit_code, 1);
}

#[tokio::test]
async fn errors_name_the_tool_and_the_file() {
    let sb = sandbox();
    let out = run(&sb, &["cat", "/nope.txt"]).await;
    assert_eq!(out.exit_code, 1);
    assert_eq!(
        out.stderr_lossy(),
        "cat: /nope.txt: No such file or directory\n"
    );
}

#[tokio::test]
async fn guests_see_only_the_environment_they_are_given() {
    let runtime = tools_runtime();
    let sb = Sandbox::builder(runtime).env("FROM_SANDBOX", "1").build();
    let mut cmd = Command::new("printenv");
    cmd.env("FROM_COMMAND", "2");
    let out = sb.run_command(cmd).await.unwrap();
    let mut vars: Vec<&str> = out.stdout_lossy().leak().lines().collect();
    vars.sort();
    assert_eq!(vars, ["FROM_COMMAND=2", "FROM_SANDBOX=1", "PWD=/"]);
}

#[tokio::test]
async fn relative_paths_resolve_against_the_working_directory() {
    let sb = sandbox();
    sb.write_file("/work/sub/data.txt", "1\n2\n3\n")
        .await
        .unwrap();
    let mut cmd = Command::new("wc");
    cmd.args(["-l", "sub/data.txt"]).cwd("/work");
    let out = sb.run_command(cmd).await.unwrap();
    assert_eq!(out.stdout_lossy(), "3 sub/data.txt\n");
    let mut cmd = Command::new("pwd");
    cmd.cwd("/work/sub");
    assert_eq!(
        sb.run_command(cmd).await.unwrap().stdout_lossy(),
        "/work/sub\n"
    );
}

#[tokio::test]
async fn stdin_bytes_reach_the_tool() {
    let sb = sandbox();
    let mut cmd = Command::new("sort");
    cmd.arg("-r").stdin("b\na\nc\n");
    assert_eq!(
        sb.run_command(cmd).await.unwrap().stdout_lossy(),
        "c\nb\na\n"
    );
}

#[tokio::test]
async fn tools_create_modify_and_remove_files() {
    let sb = sandbox();
    let script = [
        &["mkdir", "-p", "/p/q"][..],
        &["touch", "/p/q/empty"],
        &["cp", "/p/q/empty", "/p/copy"],
        &["mv", "/p/copy", "/p/moved"],
        &["ln", "-s", "q/empty", "/p/link"],
        &["ln", "/p/moved", "/p/hard"],
    ];
    for argv in script {
        let out = run(&sb, argv).await;
        assert_eq!(out.exit_code, 0, "{argv:?}: {}", out.stderr_lossy());
    }
    assert_eq!(
        sb.read_dir("/p").await.unwrap(),
        ["hard", "link", "moved", "q"]
    );
    assert!(sb.stat("/p/link").await.unwrap().is_symlink);
    assert_eq!(
        run(&sb, &["readlink", "/p/link"]).await.stdout_lossy(),
        "q/empty\n"
    );
    let out = run(&sb, &["rm", "-r", "/p"]).await;
    assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
    assert!(!sb.exists("/p").await);
}

#[tokio::test]
async fn sed_in_place_rewrites_the_file() {
    let sb = sandbox();
    sb.write_file("/conf.ini", "port=80\nhost=a\n")
        .await
        .unwrap();
    let out = run(&sb, &["sed", "-i", "s/80/8080/", "/conf.ini"]).await;
    assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
    assert_eq!(
        sb.read_file("/conf.ini").await.unwrap(),
        "port=8080\nhost=a\n"
    );
}

#[tokio::test]
async fn output_can_go_to_a_sandbox_file() {
    let sb = sandbox();
    let file = sb
        .fs()
        .open("/out.txt", wasm_agent::vfs::OpenOptions::write_truncate())
        .await
        .unwrap();
    let mut cmd = Command::new("seq");
    cmd.arg("3").stdout(Output::file(file, false));
    assert_eq!(sb.spawn(cmd).await.unwrap(), 0);
    assert_eq!(sb.read_file("/out.txt").await.unwrap(), "1\n2\n3\n");
}

#[tokio::test]
async fn sleep_waits_and_a_timeout_stops_it() {
    let sb = sandbox();
    let started = Instant::now();
    assert_eq!(run(&sb, &["sleep", "0.05"]).await.exit_code, 0);
    assert!(started.elapsed() >= Duration::from_millis(50));
    let mut cmd = Command::new("sleep");
    cmd.arg("30").timeout(Duration::from_millis(200));
    let out = sb.run_command(cmd).await.unwrap();
    assert_eq!(out.exit_code, 124);
    assert_eq!(
        out.stderr_lossy(),
        "wasm-agent: sleep: timed out after 0.2s\n"
    );
}

#[tokio::test]
async fn yes_is_stopped_by_the_output_limit() {
    let sb = Sandbox::builder(tools_runtime())
        .limits(Limits {
            output_bytes: 100_000,
            ..Limits::default()
        })
        .build();
    let out = run(&sb, &["yes"]).await;
    assert_eq!(out.exit_code, 141);
    assert!(out.stdout_truncated);
    assert_eq!(out.stdout.len(), 100_000);
    assert!(out.stdout.starts_with(b"y\ny\n"));
}

#[tokio::test]
async fn a_reader_exiting_early_ends_the_writer_like_sigpipe() {
    // yes | head -n 2: both stages run concurrently through a bounded pipe.
    let sb = sandbox();
    let (writer, reader) = pipe(4096);
    let mut yes = Command::new("yes");
    yes.stdout(Output::Pipe(writer));
    let capture = Capture::unlimited();
    let mut head = Command::new("head");
    head.args(["-n", "2"])
        .stdin(wasm_agent::io::Input::pipe(reader))
        .stdout(Output::Capture(capture.clone()));
    let (yes_status, head_status) = tokio::join!(sb.spawn(yes), sb.spawn(head));
    assert_eq!(head_status.unwrap(), 0);
    assert_eq!(yes_status.unwrap(), 141);
    assert_eq!(capture.take(), b"y\ny\n");
}

#[tokio::test]
async fn directory_listing_sees_every_entry() {
    let sb = sandbox();
    for i in 0..300 {
        sb.write_file(&format!("/many/file-{i:03}"), "")
            .await
            .unwrap();
    }
    let out = run(&sb, &["ls", "/many"]).await;
    assert_eq!(out.stdout_lossy().lines().count(), 300);
    let out = run(&sb, &["ls", "-a", "/many"]).await;
    assert_eq!(
        out.stdout_lossy().lines().take(2).collect::<Vec<_>>(),
        [".", ".."]
    );
}

#[tokio::test]
async fn writes_in_a_fork_do_not_reach_the_parent() {
    let sb = sandbox();
    sb.write_file("/f", "parent\n").await.unwrap();
    let fork = sb.fork().unwrap();
    run(&fork, &["sed", "-i", "s/parent/fork/", "/f"]).await;
    assert_eq!(run(&fork, &["cat", "/f"]).await.stdout_lossy(), "fork\n");
    assert_eq!(run(&sb, &["cat", "/f"]).await.stdout_lossy(), "parent\n");
}

#[tokio::test]
async fn dev_files_behave_like_linux() {
    let sb = sandbox();
    sb.write_file("/new.txt", "line\n").await.unwrap();
    let out = run(&sb, &["cat", "/dev/null"]).await;
    assert_eq!((out.exit_code, out.stdout.len()), (0, 0));
    let out = run(&sb, &["diff", "/dev/null", "/new.txt"]).await;
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stdout_lossy().contains("> line"),
        "{}",
        out.stdout_lossy()
    );
    let out = run(&sb, &["head", "-c", "5", "/dev/zero"]).await;
    assert_eq!(out.stdout, [0; 5]);
    let out = run(&sb, &["head", "-c", "64", "/dev/urandom"]).await;
    assert_eq!(out.stdout.len(), 64);
    let out = run(&sb, &["cp", "/new.txt", "/dev/null"]).await;
    assert_eq!(out.exit_code, 0, "{}", out.stderr_lossy());
    let out = run(&sb, &["ls", "/dev"]).await;
    assert!(out.stdout_lossy().contains("null\n"));
}

#[tokio::test]
async fn dev_stdout_and_stdin_are_the_commands_own_streams() {
    let sb = sandbox();
    sb.write_file("/f.txt", "to stdout\n").await.unwrap();
    let out = run(&sb, &["cp", "/f.txt", "/dev/stdout"]).await;
    assert_eq!(out.stdout_lossy(), "to stdout\n", "{}", out.stderr_lossy());
    let out = run(&sb, &["tee", "/dev/stderr"]).await;
    assert_eq!(out.exit_code, 0);
    let mut cmd = Command::new("tee");
    cmd.arg("/dev/stderr").stdin("both\n");
    let out = sb.run_command(cmd).await.unwrap();
    assert_eq!(
        (out.stdout_lossy(), out.stderr_lossy()),
        ("both\n".into(), "both\n".into())
    );
    let mut cmd = Command::new("cat");
    cmd.arg("/dev/stdin").stdin("from stdin\n");
    assert_eq!(
        sb.run_command(cmd).await.unwrap().stdout_lossy(),
        "from stdin\n"
    );
}

#[tokio::test]
async fn a_reader_waiting_on_a_silent_pipe_is_stopped_by_its_deadline() {
    let sb = sandbox();
    // The writer stays open and never writes: cat waits in fd_read.
    let (writer, reader) = pipe(1024);
    let mut cmd = Command::new("cat");
    cmd.stdin(wasm_agent::io::Input::pipe(reader))
        .timeout(Duration::from_millis(200));
    let started = Instant::now();
    let out = sb.run_command(cmd).await.unwrap();
    assert_eq!(out.exit_code, 124);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(writer);
}
