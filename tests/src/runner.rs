//! Running cases: one case directory each, GNU first, then the sandbox on
//! both backends, then the comparison. Cases run concurrently.

use crate::case::Case;
use crate::outcome::{compare, Backend, Outcome};
use crate::tree::Tree;
use crate::{guest, native};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent::Runtime;

/// How one case came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every backend matched GNU.
    Pass,
    /// Some backend differed from GNU.
    Fail,
    /// Marked `known_difference` and still differs: documented, accepted.
    KnownDifference,
    /// Marked `known_difference` but now matches on every backend: the
    /// mark must go (the list of exceptions may only shrink).
    FixedKnownDifference,
    /// The case could not be run at all (fixture, process or sandbox
    /// error); counts as a failure.
    Error(String),
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case.
    pub case: Case,
    /// Its verdict.
    pub verdict: Verdict,
    /// The differences per sandbox backend (empty sections: it matched).
    pub differences: Vec<(Backend, Vec<String>)>,
    /// Wall time of the whole case: fixtures, all three runs, comparison.
    pub elapsed: Duration,
}

impl CaseResult {
    /// True if this result makes the suite fail.
    pub fn is_failure(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Fail | Verdict::FixedKnownDifference | Verdict::Error(_)
        )
    }
}

/// Runs `cases` with at most `jobs` at a time, each in its own directory
/// under `work` (which must exist and be empty; its path must be UTF-8).
/// Results come back in the order of `cases`.
pub async fn run_cases(
    runtime: &Runtime,
    cases: Vec<Case>,
    work: &Path,
    jobs: usize,
) -> Vec<CaseResult> {
    let permits = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, case) in cases.into_iter().enumerate() {
        let (runtime, permits) = (runtime.clone(), permits.clone());
        // The index keeps directories apart; the name helps when looking
        // at a leftover directory.
        let dir = work.join(format!("{index:03}-{}", case.id.replace('/', "-")));
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("never closed");
            let result = run_case(&runtime, case, &dir).await;
            let _ = std::fs::remove_dir_all(&dir);
            (index, result)
        });
    }
    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        results.push(joined.expect("a case task panicked"));
    }
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Runs one case in `dir` (created here) and judges it.
pub async fn run_case(runtime: &Runtime, case: Case, dir: &Path) -> CaseResult {
    let started = Instant::now();
    let outcome = run_backends(runtime, &case, dir).await;
    let elapsed = started.elapsed();
    match outcome {
        Ok(differences) => {
            let differs = differences.iter().any(|(_, d)| !d.is_empty());
            let verdict = match (differs, case.known_difference.is_some()) {
                (false, false) => Verdict::Pass,
                (true, false) => Verdict::Fail,
                (true, true) => Verdict::KnownDifference,
                (false, true) => Verdict::FixedKnownDifference,
            };
            CaseResult {
                case,
                verdict,
                differences,
                elapsed,
            }
        }
        Err(message) => CaseResult {
            case,
            verdict: Verdict::Error(message),
            differences: Vec::new(),
            elapsed,
        },
    }
}

async fn run_backends(
    runtime: &Runtime,
    case: &Case,
    dir: &Path,
) -> Result<Vec<(Backend, Vec<String>)>, String> {
    let dir_str = dir
        .to_str()
        .ok_or_else(|| format!("{} is not UTF-8", dir.display()))?
        .to_string();

    reset(case, dir)?;
    let expected = Outcome {
        steps: native::run(case, dir).await.map_err(|e| e.to_string())?,
        tree: read_host(dir)?,
    };
    check_gnu_status(case, &expected)?;

    reset(case, dir)?;
    let fs = guest::host_dir_fs(&dir_str).await?;
    let host_dir = Outcome {
        steps: guest::run(runtime, fs, case, &dir_str).await?,
        tree: read_host(dir)?,
    };

    let fs = guest::memory_fs(&case.fixture, &dir_str).await?;
    let memory = Outcome {
        steps: guest::run(runtime, fs.clone(), case, &dir_str).await?,
        tree: Tree::read_vfs(fs.as_ref(), &dir_str)
            .await
            .map_err(|e| format!("cannot read the in-memory tree: {e}"))?,
    };

    Ok(vec![
        (Backend::HostDir, compare(case, &expected, &host_dir)),
        (Backend::Memory, compare(case, &expected, &memory)),
    ])
}

/// Checks that GNU exited as the case says: 0 unless `status` is given
/// for the first step, 0 for every later step.
fn check_gnu_status(case: &Case, expected: &Outcome) -> Result<(), String> {
    for (i, step) in expected.steps.iter().enumerate() {
        let want = if i == 0 { case.status } else { 0 };
        if step.exit_code != want {
            return Err(format!(
                "GNU `{}` (step {}) exited {}, but the case expects {want}; fix the case \
                 (or set `status`). GNU stderr: {}",
                case.steps[i][0],
                i + 1,
                step.exit_code,
                String::from_utf8_lossy(&step.stderr).trim_end()
            ));
        }
    }
    Ok(())
}

/// Makes `dir` hold exactly the case's fixture.
fn reset(case: &Case, dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    case.fixture
        .write_host(dir)
        .map_err(|e| format!("cannot write the fixture into {}: {e}", dir.display()))
}

fn read_host(dir: &Path) -> Result<Tree, String> {
    Tree::read_host(dir).map_err(|e| format!("cannot read the tree {}: {e}", dir.display()))
}

/// A fresh, empty work directory for a run under the system temp dir.
pub fn work_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("wa-conformance-").tempdir()
}

/// The directory of the case files: `tests/tools/` of this crate.
pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools")
}
