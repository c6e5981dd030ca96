//! The portable bucket commands against SeaweedFS: forks written through
//! `exec --s3`, `diff`, `merge` (conflicts included), `snapshot --to`,
//! checkpoints, and the errors users meet.

use crate::cli::{wasm_agent, Run};
use wasm_agent::s3::{S3Config, S3Fs};
use wasm_agent::vfs::Vfs;
use wasm_agent_seaweed::SeaweedServer;

fn server() -> &'static SeaweedServer {
    SeaweedServer::shared()
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(future)
}

/// Creates a bucket named `name`.
fn create_bucket(name: &str) {
    block_on(wasm_agent_s3_support::create_bucket(name));
}

/// A new, empty bucket.
fn new_bucket(hint: &str) -> String {
    let bucket = server().unique_bucket(hint);
    create_bucket(&bucket);
    bucket
}

/// The bytes of `path` in `url` (`s3://bucket[/prefix]`), read by the
/// library rather than the CLI; `None` when absent.
fn read(url: &str, path: &str) -> Option<String> {
    let parsed = S3Config::from_url(url).expect("URL");
    let config = wasm_agent_s3_support::config(&parsed.bucket, &parsed.prefix);
    block_on(async {
        let fs = S3Fs::connect(config).await.expect("connect");
        fs.read_file(path)
            .await
            .ok()
            .map(|bytes| String::from_utf8(bytes).expect("text"))
    })
}

/// The server's keys, the only credentials the CLI gets.
fn env() -> [(&'static str, &'static str); 3] {
    let server = server();
    [
        ("AWS_ACCESS_KEY_ID", server.access_key()),
        ("AWS_SECRET_ACCESS_KEY", server.secret_key()),
        ("AWS_REGION", server.region()),
    ]
}

/// `wasm-agent ARGS --endpoint <server>`.
fn cli(args: &[&str]) -> Run {
    let endpoint = server().endpoint();
    let mut all = args.to_vec();
    all.extend(["--endpoint", &endpoint]);
    let run = wasm_agent(&all, &env());
    assert!(
        !run.stderr.contains(server().secret_key()) && !run.stdout.contains(server().secret_key()),
        "the secret key was printed: {run:#?}"
    );
    run
}

/// `wasm-agent exec --s3 URL -c SCRIPT`; asserts success, returns stdout.
#[track_caller]
fn exec(url: &str, script: &str) -> String {
    let endpoint = server().endpoint();
    let run = wasm_agent(
        &["exec", "--s3", url, "--endpoint", &endpoint, "-c", script],
        &env(),
    );
    run.ok().to_owned()
}

/// A base at `s3://BUCKET/main` with three files.
fn base(hint: &str) -> (String, String) {
    let bucket = new_bucket(hint);
    let base = format!("s3://{bucket}/main");
    exec(
        &base,
        "mkdir -p src && echo a > src/a.txt && echo b > b.txt && echo c > c.txt",
    );
    (bucket, base)
}

#[test]
fn a_fork_takes_writes_through_exec_and_diff_lists_them() {
    let (bucket, base) = base("cli fork diff");
    let fork = format!("s3://{bucket}/agent-1");
    let run = cli(&["fork", &base, &fork]);
    assert_eq!(run.ok(), format!("{fork}\n"));
    assert!(run.stderr.contains("portable fork"), "{run:#?}");
    assert_eq!(cli(&["diff", &fork]).ok(), "", "a new fork changed nothing");

    exec(
        &fork,
        "echo a2 > src/a.txt && rm b.txt && echo new > new.txt",
    );
    assert_eq!(
        cli(&["diff", &fork]).ok(),
        "D /b.txt\nA /new.txt\nM /src/a.txt\n"
    );
    // The base saw none of it; the fork reads unchanged files through.
    assert_eq!(read(&base, "/src/a.txt").as_deref(), Some("a\n"));
    assert_eq!(read(&base, "/b.txt").as_deref(), Some("b\n"));
    assert_eq!(exec(&fork, "cat c.txt src/a.txt"), "c\na2\n");
}

#[test]
fn merge_applies_the_fork_and_leaves_conflicts_with_exit_status_1() {
    let (bucket, base) = base("cli merge");
    let fork = format!("s3://{bucket}/agent-1");
    cli(&["fork", &base, &fork]).ok();
    exec(
        &fork,
        "echo a2 > src/a.txt && rm b.txt && echo new > new.txt && echo fork > c.txt",
    );
    exec(&base, "echo base > c.txt");

    // `fail`: the conflict is reported and nothing is written.
    let run = cli(&["merge", &fork, "--on-conflict", "fail"]);
    run.fails(1, &["nothing merged", "/c.txt"]);
    assert_eq!(read(&base, "/src/a.txt").as_deref(), Some("a\n"));

    // Default (keep-base): everything else merges, the conflict is listed.
    let run = cli(&["merge", &fork]);
    assert_eq!(run.status, 1, "{run:#?}");
    assert_eq!(
        run.stdout,
        "D /b.txt\nA /new.txt\nM /src/a.txt\nC /c.txt (changed in both)\n"
    );
    assert!(run.stderr.contains("merged 3 changes"), "{run:#?}");
    assert!(run.stderr.contains("1 conflict left"), "{run:#?}");
    assert_eq!(read(&base, "/src/a.txt").as_deref(), Some("a2\n"));
    assert_eq!(read(&base, "/new.txt").as_deref(), Some("new\n"));
    assert_eq!(read(&base, "/b.txt"), None);
    assert_eq!(read(&base, "/c.txt").as_deref(), Some("base\n"));
}

#[test]
fn merge_can_take_the_forks_side_of_a_conflict() {
    let (bucket, base) = base("cli merge take");
    let fork = format!("s3://{bucket}/agent-2");
    cli(&["fork", &base, &fork]).ok();
    exec(&fork, "echo fork > c.txt");
    exec(&base, "echo base > c.txt");
    let run = cli(&["merge", &fork, "--on-conflict", "take-fork"]);
    assert_eq!(run.ok(), "M /c.txt\nC /c.txt (changed in both)\n");
    assert!(
        run.stderr.contains("resolved with the fork's version"),
        "{run:#?}"
    );
    assert_eq!(read(&base, "/c.txt").as_deref(), Some("fork\n"));
}

#[test]
fn snapshot_to_copies_a_location_and_draws_no_progress_into_a_pipe() {
    let (_, base) = base("cli snapshot");
    let archive = new_bucket("cli snapshot archive");
    let copy = format!("s3://{archive}/snap-1");
    let run = cli(&["snapshot", &base, "--to", &copy]);
    assert_eq!(run.ok(), format!("{copy}\n"));
    // Four objects: three files and the marker of the directory `src`.
    assert_eq!(
        run.stderr,
        format!("portable snapshot of {base}: 4 objects copied\n")
    );
    exec(&base, "echo later > c.txt");
    assert_eq!(
        exec(&copy, "find . | sort && cat c.txt"),
        ".\n./b.txt\n./c.txt\n./src\n./src/a.txt\nc\n"
    );

    // A second copy into the same place is refused, not merged into it.
    cli(&["snapshot", &base, "--to", &copy]).fails(2, &["is not empty"]);
    // Without --to there is nothing a portable snapshot could be.
    cli(&["snapshot", &base]).fails(2, &["give --to s3://BUCKET/PREFIX"]);
    cli(&["snapshot", "list", &base]).fails(2, &["portable snapshots are plain copies"]);
}

#[test]
fn portable_checkpoints_live_in_a_store_and_restore_into_a_new_location() {
    let bucket = new_bucket("cli cp");
    let base = format!("s3://{bucket}/main");
    exec(&base, "echo one > f.txt");
    // The default store is a bucket of its own, which must exist.
    cli(&["checkpoint", &base, "step-1"]).fails(
        2,
        &[&format!("create bucket '{bucket}-checkpoints'"), "--store"],
    );
    create_bucket(&format!("{bucket}-checkpoints"));

    assert_eq!(cli(&["checkpoint", &base, "step-1"]).ok(), "step-1\n");
    exec(&base, "echo two > f.txt && echo more > g.txt");
    assert_eq!(cli(&["checkpoint", &base, "step-2"]).ok(), "step-2\n");
    assert_eq!(
        read(&format!("s3://{bucket}-checkpoints/main/step-1"), "/f.txt").as_deref(),
        Some("one\n")
    );
    assert_eq!(cli(&["checkpoint", "list", &base]).ok(), "step-1\nstep-2\n");
    cli(&["checkpoint", &base, "step-1"]).fails(2, &["'step-1' exists already"]);
    cli(&["checkpoint", &base, "../x"]).fails(2, &["checkpoint name '../x'"]);

    let restored = format!("s3://{bucket}/restored");
    let run = cli(&["restore", &base, "step-1", "--as", &restored]);
    assert_eq!(run.ok(), format!("{restored}\n"));
    assert_eq!(exec(&restored, "ls && cat f.txt"), "f.txt\none\n");
    cli(&["restore", &base, "step-1"]).fails(2, &["give --as"]);
    cli(&[
        "restore",
        &base,
        "step-9",
        "--as",
        &format!("s3://{bucket}/r9"),
    ])
    .fails(2, &["has no checkpoint 'step-9'", "checkpoint list"]);
}

#[test]
fn errors_say_what_is_wrong_and_what_to_do() {
    let (bucket, base) = base("cli errors");
    let missing = server().unique_bucket("cli never created");
    cli(&["fork", &bucket, &base]).fails(2, &[&bucket, "does not start with s3://"]);
    cli(&["fork", "s3://No_Caps", &base]).fails(2, &["lowercase"]);
    cli(&[
        "fork",
        &format!("s3://{missing}"),
        &format!("s3://{bucket}/f"),
    ])
    .fails(2, &[&missing, "the bucket does not exist"]);
    cli(&["fork", &base, &format!("s3://{missing}/f")])
        .fails(2, &[&missing, "the bucket does not exist"]);
    cli(&["fork", &base, &format!("{base}/inside")]).fails(2, &["lies inside"]);
    cli(&["fork", &base, &format!("s3://{bucket}/main2"), "--at", "17"])
        .fails(2, &["--at 17", "needs Tigris", "--to"]);
    cli(&["diff", &base]).fails(2, &["is not a fork", "wasm-agent fork"]);
    cli(&["merge", &base]).fails(2, &["is not a fork"]);
    for command in [
        &["workspace", "create", "ws-from-a-test"][..],
        &["workspace", "delete", "ws-from-a-test"],
        &["workspace", "forks", &bucket, "2"],
        &["workspace", "forks-delete", "ws-from-a-test"],
    ] {
        cli(command).fails(2, &["needs Tigris", "--tigris"]);
    }
    // The shared flags only configure buckets.
    wasm_agent(
        &["exec", "--endpoint", "http://127.0.0.1:1", "-c", "true"],
        &[],
    )
    .fails(2, &["add --s3"]);
}
