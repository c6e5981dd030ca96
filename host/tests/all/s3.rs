//! The real guest tools on a bucket mount give what they give on memory:
//! one script, run step by step in a sandbox with a SeaweedFS bucket at
//! /workspace and in one with an in-memory /workspace.

use crate::support::tools_runtime;
use std::sync::Arc;
use wasm_agent::s3::{S3Config, S3Fs};
use wasm_agent::vfs::{DevFs, MemFs, MountFs, Vfs};
use wasm_agent::Sandbox;

/// Each step runs as its own `exec`, so write-through saves happen
/// between them as they would for an agent.
const STEPS: &[&str] = &[
    "mkdir -p src/lib docs && printf 'fn main() {\\n  // TODO: x\\n}\\n' > src/main.rs \
     && printf 'TODO one\\nnothing\\n' > docs/notes.md && echo hi > src/lib/a.txt && ls -R",
    "grep -rn TODO . | sort",
    "grep -rl --include='*.rs' main .",
    "find . -type f | sort; find . -name '*.rs'",
    "sed -i 's/TODO/DONE/' src/main.rs && cat src/main.rs",
    "cp -r src src2 && ls -R src2 && cmp src/main.rs src2/main.rs && echo same",
    "mv src2 moved && ls && ls moved/lib && cat moved/lib/a.txt",
    "rm -r moved && ls",
    "tar cf /tmp/a.tar src docs && mkdir x && cd x && tar xf /tmp/a.tar && find . | sort",
    "diff -r src x/src && echo no-diff",
    "echo appended >> docs/notes.md && tail -n 2 docs/notes.md && wc -l docs/notes.md",
    "sort -r docs/notes.md | uniq | head -n 2; awk 'END { print NR }' docs/notes.md",
    "cat missing; echo status=$?; mkdir src; echo status=$?; rmdir src; echo status=$?",
    "touch empty && test -f empty && test ! -s empty && echo empty-file",
    "rm -rf x docs && find . | sort",
];

async fn bucket_fs() -> (S3Fs, S3Config) {
    let config = wasm_agent_s3_support::new_bucket("tools").await;
    (
        S3Fs::connect(config.clone()).await.expect("connect"),
        config,
    )
}

async fn sandbox_with(workspace: Arc<dyn Vfs>) -> Sandbox {
    let root: Arc<dyn Vfs> = Arc::new(MemFs::new());
    root.create_dir_all("/workspace").await.unwrap();
    root.create_dir_all("/tmp").await.unwrap();
    let mut fs = MountFs::new(root);
    fs.mount("/dev", DevFs::shared()).unwrap();
    fs.mount("/workspace", workspace).unwrap();
    Sandbox::builder(tools_runtime())
        .fs(Arc::new(fs))
        .cwd("/workspace")
        .build()
}

#[tokio::test]
async fn the_tool_suite_gives_the_same_results_on_a_bucket() {
    let (bucket, config) = bucket_fs().await;
    let on_bucket = sandbox_with(Arc::new(bucket)).await;
    let on_memory = sandbox_with(Arc::new(MemFs::new())).await;
    for step in STEPS {
        let want = on_memory.exec(step).await.unwrap();
        let got = on_bucket.exec(step).await.unwrap();
        assert_eq!(
            (got.stdout_lossy(), got.stderr_lossy(), got.exit_code),
            (want.stdout_lossy(), want.stderr_lossy(), want.exit_code),
            "step: {step}"
        );
    }
    // What the tools wrote is in the bucket for anyone to read.
    let fresh = S3Fs::connect(config).await.unwrap();
    assert_eq!(
        fresh.read_file("/src/main.rs").await.unwrap(),
        b"fn main() {\n  // DONE: x\n}\n"
    );
    assert_eq!(fresh.read_file("/empty").await.unwrap(), b"");
    assert!(!fresh.exists("/docs").await);
}
