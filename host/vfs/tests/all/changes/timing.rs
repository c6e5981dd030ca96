//! What a diff of a large fork with a few changes costs, by path taken.
//! Ignored by default; for the figures:
//! `cargo test --release -p wasm-agent-vfs --test all changes::timing -- --ignored --nocapture`

use super::Counted;
use crate::support::block_on;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent_vfs::{diff, merge, MemFs, MergeOptions, Vfs};

/// Mean time of `f` over at least `runs` runs and ~300 ms.
async fn time<F, Fut>(runs: u32, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future,
{
    let start = Instant::now();
    let mut done = 0;
    while done < runs || start.elapsed() < Duration::from_millis(300) {
        std::hint::black_box(f().await);
        done += 1;
    }
    start.elapsed() / done
}

#[test]
#[ignore = "timing run for reports"]
fn diff_of_a_large_fork() {
    block_on(async {
        const DIRS: usize = 1000;
        const FILES: usize = 100;
        let base = MemFs::new();
        for d in 0..DIRS {
            base.create_dir(&format!("/d{d}")).await.unwrap();
            for f in 0..FILES {
                let data = format!("file {d}/{f} with some text in it\n");
                base.write_file(&format!("/d{d}/f{f}"), data.as_bytes())
                    .await
                    .unwrap();
            }
        }
        let untouched = base.fork_mem();
        let fork = base.fork_mem();
        fork.write_file("/d10/f10", b"changed, and not the same length\n")
            .await
            .unwrap();
        fork.remove_file("/d500/f3").await.unwrap();
        fork.write_file("/d999/new", b"new\n").await.unwrap();

        let changes = diff(&base, &fork, "/").await.unwrap();
        assert_eq!(changes.to_string(), "M /d10/f10\nD /d500/f3\nA /d999/new\n");

        let n = DIRS * FILES;
        println!("diff of a {n}-file MemFs fork with 3 changes:");
        let t = time(3, || diff(&base, &untouched, "/")).await;
        println!("  untouched fork, fast path:         {t:>10.2?}");
        let t = time(3, || diff(&base, &fork, "/")).await;
        println!("  fast path:                         {t:>10.2?}");
        let t = time(3, || diff(&base, &fork, "/d10")).await;
        println!("  fast path, root /d10 (100 files):  {t:>10.2?}");
        let (a, b) = (
            Counted::generic(Arc::new(base.clone())),
            Counted::generic(Arc::new(fork.clone())),
        );
        diff(&a, &b, "/").await.unwrap();
        let (calls, read) = (b.calls(), b.bytes_read());
        let t = time(1, || diff(&a, &b, "/")).await;
        println!("  generic walk, content ids:         {t:>10.2?}");
        println!("    one run: {calls} calls, {read} bytes read on the fork's side");
        let (a, b) = (
            Counted {
                ids: false,
                ..Counted::generic(Arc::new(base.clone()))
            },
            Counted {
                ids: false,
                ..Counted::generic(Arc::new(fork.clone()))
            },
        );
        let t = time(1, || diff(&a, &b, "/")).await;
        println!("  generic walk, no content ids:      {t:>10.2?}");

        let t = time(3, || async {
            let target = base.fork_mem();
            let snapshot = base.fork_mem();
            merge(&snapshot, &target, &fork, "/", &MergeOptions::default())
                .await
                .unwrap()
        })
        .await;
        println!("  merge of the fork into a copy:     {t:>10.2?}");
        assert!(base.exists("/d500/f3").await);
    });
}
