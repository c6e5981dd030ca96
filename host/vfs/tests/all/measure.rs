//! Timing and memory runs, ignored by default; numbers for reports:
//! `cargo test --release -p wasm-agent-vfs --test all measure -- --ignored --nocapture --test-threads 1`
//!
//! Each prints its figures; the only assertions are sanity bounds loose
//! enough for a loaded machine, so a regression by an order of magnitude
//! still fails.

use crate::support::block_on;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent_vfs::{HostDirFs, MemFs, MountFs, OpenOptions, OverlayFs, Vfs};

/// Counts live heap bytes, so memory figures are exact rather than RSS
/// estimates.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments and
// only adds bookkeeping on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Mean time of `f` over enough runs to fill ~200 ms.
fn time<R>(mut f: impl FnMut() -> R) -> Duration {
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < Duration::from_millis(200) {
        for _ in 0..100 {
            std::hint::black_box(f());
        }
        runs += 100;
    }
    start.elapsed() / runs
}

/// Mean time of an async operation, awaited in a loop inside one runtime
/// (so the figure includes the trait's boxed future, not runtime entry).
fn time_async<F: std::future::Future>(mut f: impl FnMut() -> F) -> Duration {
    block_on(async {
        let start = Instant::now();
        let mut runs = 0u32;
        while start.elapsed() < Duration::from_millis(200) {
            for _ in 0..100 {
                std::hint::black_box(f().await);
            }
            runs += 100;
        }
        start.elapsed() / runs
    })
}

/// 100 directories of 1000 small files.
fn big_tree() -> MemFs {
    block_on(async {
        let fs = MemFs::new();
        for d in 0..100 {
            fs.create_dir(&format!("/d{d}")).await.unwrap();
            for f in 0..1000 {
                fs.write_file(&format!("/d{d}/f{f}"), b"0123456789abcdef")
                    .await
                    .unwrap();
            }
        }
        fs
    })
}

#[test]
#[ignore = "measurement; run with --release --ignored --nocapture"]
fn measure_fork_of_100k_files() {
    let fs = big_tree();
    assert_eq!(fs.inode_count(), 100_101);
    let before = live();
    let fork = fs.fork_mem();
    let fork_bytes = live() - before;
    let fork_time = time(|| fs.fork_mem());
    let dyn_fork_time = time(|| fs.fork().unwrap());
    // First write in a fork copies the trie path and one inode.
    let before = live();
    block_on(fork.write_file("/d50/f500", b"changed")).unwrap();
    let first_write_bytes = live() - before;
    let write_time = {
        let mut forks: Vec<MemFs> = (0..20_000).map(|_| fs.fork_mem()).collect();
        let start = Instant::now();
        block_on(async {
            for f in &forks {
                f.write_file("/d50/f500", b"changed").await.unwrap();
            }
        });
        let t = start.elapsed() / forks.len() as u32;
        forks.clear();
        t
    };
    println!("fork of a 100k-file MemFs: {fork_time:?} (fork_mem), {dyn_fork_time:?} (Vfs::fork), {fork_bytes} heap bytes");
    println!("first write in a fresh fork: {write_time:?}, {first_write_bytes} heap bytes copied");
    assert!(
        fork_time < Duration::from_micros(5),
        "fork took {fork_time:?}"
    );
}

#[test]
#[ignore = "measurement; run with --release --ignored --nocapture"]
fn measure_idle_memory() {
    let before = live();
    let fs = MemFs::new();
    let idle = live() - before;
    let before = live();
    let fork = fs.fork_mem();
    let forked = live() - before;
    println!("idle MemFs::new(): {idle} heap bytes; a fork of it: {forked} heap bytes");
    drop((fs, fork));
    assert!(idle < 2048, "idle MemFs takes {idle} bytes");
}

#[test]
#[ignore = "measurement; run with --release --ignored --nocapture"]
fn measure_op_costs() {
    for (label, fs) in [("small tree", small_tree()), ("100k-file tree", big_tree())] {
        let rw = OpenOptions {
            read: true,
            write: true,
            ..OpenOptions::default()
        };
        let handle = block_on(fs.open("/d5/f5", rw)).unwrap();
        let stat = time_async(|| fs.metadata("/d5/f5"));
        let stat_deep = {
            block_on(fs.create_dir_all("/d5/x/y/z/w")).unwrap();
            block_on(fs.write_file("/d5/x/y/z/w/f", b"deep")).unwrap();
            time_async(|| fs.metadata("/d5/x/y/z/w/f"))
        };
        let read = time_async(|| async {
            let mut buf = [0u8; 16];
            handle.read_at(&mut buf, 0).await
        });
        let write = time_async(|| handle.write_at(b"0123456789abcdef", 0));
        let open_close =
            time_async(|| async { fs.open("/d5/f5", OpenOptions::read()).await.map(drop) });
        let read_file = time_async(|| fs.read_file("/d5/f5"));
        let create_remove = time_async(|| async {
            fs.write_file("/d5/new", b"x").await.unwrap();
            fs.remove_file("/d5/new").await
        });
        let rename = time_async(|| async {
            fs.rename("/d5/f5", "/d5/g5").await.unwrap();
            fs.rename("/d5/g5", "/d5/f5").await
        });
        let list = time_async(|| fs.read_dir("/d5/x"));
        println!("{label}:");
        println!("  stat /d5/f5            {stat:?}");
        println!("  stat 7 levels deep     {stat_deep:?}");
        println!("  read_at 16 B (handle)  {read:?}");
        println!("  write_at 16 B (handle) {write:?}");
        println!("  open + close           {open_close:?}");
        println!("  read_file 16 B         {read_file:?}");
        println!("  create + unlink        {create_remove:?}");
        println!("  rename there and back  {rename:?}");
        println!("  read_dir (1 entry)     {list:?}");
        assert!(stat < Duration::from_micros(20), "stat took {stat:?}");
    }
}

/// 10 directories of 10 files.
fn small_tree() -> MemFs {
    block_on(async {
        let fs = MemFs::new();
        for d in 0..10 {
            fs.create_dir(&format!("/d{d}")).await.unwrap();
            for f in 0..10 {
                fs.write_file(&format!("/d{d}/f{f}"), b"0123456789abcdef")
                    .await
                    .unwrap();
            }
        }
        fs
    })
}

#[test]
#[ignore = "measurement; run with --release --ignored --nocapture"]
fn measure_layered_op_costs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b/c")).unwrap();
    std::fs::write(dir.path().join("a/b/c/f"), b"0123456789abcdef").unwrap();
    let host: Arc<dyn Vfs> = Arc::new(HostDirFs::new(dir.path()).unwrap());
    let mem = MemFs::new();
    block_on(async {
        mem.create_dir_all("/a/b/c").await.unwrap();
        mem.write_file("/a/b/c/f", b"0123456789abcdef")
            .await
            .unwrap();
    });
    let mem: Arc<dyn Vfs> = Arc::new(mem);
    let over_host: Arc<dyn Vfs> = Arc::new(OverlayFs::new(host.clone()));
    let over_mem: Arc<dyn Vfs> = Arc::new(OverlayFs::new(mem.clone()));
    // Changed once elsewhere: every read takes the merged resolution.
    let changed_host: Arc<dyn Vfs> = Arc::new(OverlayFs::new(host.clone()));
    let changed_mem: Arc<dyn Vfs> = Arc::new(OverlayFs::new(mem.clone()));
    for fs in [&changed_host, &changed_mem] {
        block_on(fs.write_file("/elsewhere", b"x")).unwrap();
    }
    let mount: Arc<dyn Vfs> = Arc::new(
        MountFs::new(Arc::new(MemFs::new()))
            .with_mount("/w", mem.clone())
            .unwrap(),
    );
    for (label, fs, path) in [
        ("MemFs", &mem, "/a/b/c/f"),
        ("HostDirFs", &host, "/a/b/c/f"),
        ("OverlayFs over MemFs", &over_mem, "/a/b/c/f"),
        ("OverlayFs over HostDirFs", &over_host, "/a/b/c/f"),
        ("  same, after a change", &changed_host, "/a/b/c/f"),
        ("OverlayFs over MemFs, changed", &changed_mem, "/a/b/c/f"),
        ("MountFs -> MemFs", &mount, "/w/a/b/c/f"),
    ] {
        let stat = time_async(|| fs.metadata(path));
        let read = time_async(|| fs.read_file(path));
        println!("{label:30} stat 4 levels {stat:?}, read_file 16 B {read:?}");
    }
}
