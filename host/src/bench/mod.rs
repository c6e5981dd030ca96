//! Benchmarks of sandbox start-up and agent workloads, side by side with
//! native bash (and, with the `bashkit` cargo feature, the bashkit crate).
//!
//! [`run`] measures every [`Peer`] on the same operations and the same
//! deterministic [`Fixture`], checks that each workload prints what native
//! bash prints, and returns a [`Report`] whose [`Report::to_markdown`] is
//! the table `wasm-agent bench` prints. The criterion benches in `benches/`
//! use the same fixture and workloads.

pub mod fixture;
pub mod measure;
pub mod peer;
pub mod peers;
pub mod report;
pub mod workloads;

pub use fixture::Fixture;
pub use peer::{Peer, RunOutput};
pub use report::{Cell, Report, Row, Value};
pub use workloads::{Workload, DATA_DIR, WORKLOADS};

use measure::{Budget, Sampler};
use std::io;
use std::time::{Duration, Instant};

/// The median time of `$op` (awaited once per run) under `$budget`: a
/// macro, as the operation borrows the peer afresh on every run.
macro_rules! median_of {
    ($budget:expr, $op:expr) => {{
        let mut sampler = Sampler::new($budget);
        while sampler.more() {
            let start = Instant::now();
            $op;
            sampler.record(start.elapsed());
        }
        sampler.median()
    }};
}

/// How much to measure.
#[derive(Debug, Clone)]
pub struct Options {
    /// Multiplies every time budget: 1.0 is the default run (well under a
    /// minute), smaller is quicker and noisier.
    pub scale: f64,
    /// File counts for the populate rows.
    pub populate: Vec<usize>,
    /// Instances alive at once for the idle-memory row.
    pub idle_instances: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            scale: 1.0,
            populate: vec![1_000, 10_000, 100_000],
            idle_instances: 10_000,
        }
    }
}

/// Per-command figures in the long-lived sandbox: (metric, script, goal).
const COMMANDS: [(&str, &str, Option<&str>); 6] = [
    (
        "builtin `echo hi` in an existing sandbox",
        "echo hi",
        Some("≤ 3 µs"),
    ),
    ("builtin `x=$((1+2)); echo $x`", "x=$((1+2)); echo $x", None),
    (
        "tool `cat` of a 5 KB file in an existing sandbox",
        "cat a/phrases-00.txt",
        Some("≤ 50 µs"),
    ),
    (
        "tool `wc -l` of the same file",
        "wc -l a/phrases-00.txt",
        None,
    ),
    (
        "tool `grep -c` in the same file",
        "grep -c cache a/phrases-00.txt",
        None,
    ),
    (
        "pipeline `cat | grep | wc -l`",
        "cat a/phrases-00.txt | grep cache | wc -l",
        None,
    ),
];

/// Measures every peer; `progress` hears what is being measured. The
/// first peer is the one the ratios describe (wasm-agent); native bash,
/// when present, is the reference for outputs.
pub async fn run(
    peers: &mut [Box<dyn Peer>],
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> io::Result<Report> {
    let mut report = Report {
        peers: peers.iter().map(|p| p.name()).collect(),
        ..Report::default()
    };
    let reference = peers.iter().position(|p| p.name() == "native bash");
    let fast = Budget::fast(options.scale);
    let slow = Budget::slow(options.scale);

    // Memory first, before other steps free megabytes that the allocator
    // would hand to these instances (hiding their cost); then the heap is
    // given back, since a process with a large heap spawns programs
    // slowly and native bash's figures would suffer.
    progress("idle memory");
    let mut idle_cells = Vec::new();
    for peer in peers.iter_mut() {
        idle_cells.push(
            peer.idle_bytes(options.idle_instances)
                .await?
                .map(|b| Cell {
                    value: Value::Bytes(b),
                    matches: true,
                }),
        );
    }
    measure::release_free_memory();

    progress("new sandbox + echo hi");
    let mut cells = Vec::new();
    for peer in peers.iter_mut() {
        let first = peer.fresh_echo().await?;
        let matches = first.stdout == b"hi\n" && first.status == 0;
        let median = median_of!(fast, peer.fresh_echo().await?);
        cells.push(Some(time_cell(median, matches)));
    }
    report.rows.push(Row {
        metric: "new sandbox + `echo hi`".into(),
        cells,
        goal: Some("≤ 10 µs"),
    });

    for (metric, script, goal) in COMMANDS {
        progress(metric);
        let expected = match reference {
            Some(i) => Some(peers[i].existing(script).await?),
            None => None,
        };
        let mut cells = Vec::new();
        for peer in peers.iter_mut() {
            let first = peer.existing(script).await?;
            let matches = expected.as_ref().is_none_or(|e| *e == first);
            if !matches {
                report
                    .notes
                    .push(difference(peer.name(), script, expected.as_ref(), &first));
            }
            let median = median_of!(fast, peer.existing(script).await?);
            cells.push(Some(time_cell(median, matches)));
        }
        report.rows.push(Row {
            metric: metric.into(),
            cells,
            goal,
        });
    }

    let mut sums = vec![Some(Duration::ZERO); peers.len()];
    let mut sums_match = vec![true; peers.len()];
    for workload in WORKLOADS {
        progress(workload.name);
        let expected = match reference {
            Some(i) => Some(peers[i].workload(workload.script).await?),
            None => None,
        };
        let mut cells = Vec::new();
        for (i, peer) in peers.iter_mut().enumerate() {
            let first = peer.workload(workload.script).await?;
            let matches = expected.as_ref().is_none_or(|e| *e == first);
            if !matches {
                report.notes.push(difference(
                    peer.name(),
                    workload.script,
                    expected.as_ref(),
                    &first,
                ));
                sums_match[i] = false;
            }
            let median = median_of!(slow, peer.workload(workload.script).await?);
            sums[i] = sums[i].map(|s| s + median);
            cells.push(Some(time_cell(median, matches)));
        }
        report.rows.push(Row {
            metric: format!("`{}`", workload.script),
            cells,
            goal: None,
        });
    }
    report.rows.push(Row {
        metric: "**7 workloads, sum of medians**".into(),
        cells: sums
            .iter()
            .zip(&sums_match)
            .map(|(sum, ok)| sum.map(|s| time_cell(s, *ok)))
            .collect(),
        goal: Some("≤ 45 ms"),
    });

    progress("fresh process printing hi");
    let mut cells = Vec::new();
    for peer in peers.iter_mut() {
        let Some(first) = peer.process_echo().await? else {
            cells.push(None);
            continue;
        };
        let matches = first.stdout == b"hi\n" && first.status == 0;
        let median = median_of!(slow, peer.process_echo().await?);
        cells.push(Some(time_cell(median, matches)));
    }
    report.rows.push(Row {
        metric: "fresh process: `wasm-agent exec -c 'echo hi'` / `bash -c 'echo hi'`".into(),
        cells,
        goal: Some("≤ 3 ms"),
    });

    for &count in &options.populate {
        progress(&format!("populate {count} files"));
        let files = populate_files(count);
        // Larger trees take long enough that one run is a fair figure.
        let runs = if count <= 10_000 { 5 } else { 1 };
        let mut cells = Vec::new();
        for peer in peers.iter_mut() {
            let mut times = Vec::new();
            for _ in 0..runs {
                match peer.populate(&files).await? {
                    Some(t) => times.push(t),
                    None => break,
                }
            }
            times.sort();
            cells.push(times.get(times.len() / 2).map(|t| time_cell(*t, true)));
        }
        report.rows.push(Row {
            metric: format!("populate a new sandbox with {} files", thousands(count)),
            cells,
            goal: (count == 1_000).then_some("≤ 2 ms"),
        });
    }

    report.rows.push(Row {
        metric: format!(
            "memory per idle sandbox ({} alive; bash: one idle process)",
            thousands(options.idle_instances)
        ),
        cells: idle_cells,
        goal: Some("≤ 8 KiB"),
    });
    Ok(report)
}

fn time_cell(t: Duration, matches: bool) -> Cell {
    Cell {
        value: Value::Time(t),
        matches,
    }
}

/// `count` small files spread over 100 directories, as absolute paths.
pub fn populate_files(count: usize) -> Vec<(String, Vec<u8>)> {
    (0..count)
        .map(|i| {
            (
                format!("/populate/d{:02}/f{i}.txt", i % 100),
                format!("file {i}\n").into_bytes(),
            )
        })
        .collect()
}

fn thousands(n: usize) -> String {
    if n >= 1000 && n.is_multiple_of(1000) {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

/// A note saying how a peer's output differed from the reference.
fn difference(peer: &str, script: &str, expected: Option<&RunOutput>, got: &RunOutput) -> String {
    let show = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let mut short: String = text.chars().take(200).collect();
        if short.len() < text.len() {
            short.push('…');
        }
        format!("{short:?}")
    };
    match expected {
        Some(e) => format!(
            "- {peer}: `{script}` printed {} (status {}); native bash printed {} (status {}).",
            show(&got.stdout),
            got.status,
            show(&e.stdout),
            e.status
        ),
        None => format!("- {peer}: `{script}` printed {}.", show(&got.stdout)),
    }
}
