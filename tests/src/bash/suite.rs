//! Running bash cases: one directory per case, bash first (twice, to catch
//! cases whose output is not deterministic), then our shell, then the
//! comparison and the verdict against the known failures. Cases run
//! concurrently.

use crate::bash::case::BashCase;
use crate::bash::known::KnownFailures;
use crate::bash::process::{run_script, ScriptRun, ShellCommand, TIMEOUT};
use crate::outcome::{indent, StepOutput};
use crate::text::line_diff;
use crate::tree::Tree;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How one case came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Our shell matched bash.
    Pass,
    /// Our shell differed and the case is not a known failure.
    Fail,
    /// Listed as a known failure and still differs.
    KnownFailure,
    /// Listed as a known failure but now matches bash: the entry must go.
    FixedKnownFailure,
    /// The case itself is broken or could not run (bash's status is not
    /// the one the case states, bash's output changes between runs, a
    /// process could not start); counts as a failure.
    Error(String),
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct BashResult {
    /// The case.
    pub case: BashCase,
    /// Its verdict.
    pub verdict: Verdict,
    /// How our shell differed from bash, one text section per aspect
    /// (empty: it matched).
    pub differences: Vec<String>,
    /// The reason from the known failures list, if the case is on it.
    pub known_reason: Option<String>,
    /// What bash printed (for showing cases while writing them).
    pub bash: StepOutput,
    /// Wall time of the whole case.
    pub elapsed: Duration,
}

impl BashResult {
    /// True if this result makes the suite fail.
    pub fn is_failure(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Fail | Verdict::FixedKnownFailure | Verdict::Error(_)
        )
    }
}

/// What the suite runs the cases with.
#[derive(Debug, Clone)]
pub struct SuiteConfig {
    /// Our shell; `None` runs bash only (to check and show cases).
    pub sandbox: Option<ShellCommand>,
    /// The accepted failures.
    pub known: KnownFailures,
    /// Cases run at once.
    pub jobs: usize,
}

/// Runs `cases` with at most `config.jobs` at a time, each in its own
/// directory under `work` (existing, empty, UTF-8 path). Results come back
/// in the order of `cases`.
pub async fn run_cases(cases: Vec<BashCase>, work: &Path, config: SuiteConfig) -> Vec<BashResult> {
    let permits = Arc::new(tokio::sync::Semaphore::new(config.jobs.max(1)));
    let config = Arc::new(config);
    let mut tasks = tokio::task::JoinSet::new();
    for (index, case) in cases.into_iter().enumerate() {
        let (config, permits) = (config.clone(), permits.clone());
        // The index keeps directories apart; the name helps when looking
        // at a leftover directory.
        let dir = work.join(format!("{index:04}-{}", case.id.replace('/', "-")));
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("never closed");
            let result = run_case(case, &dir, &config).await;
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
pub async fn run_case(case: BashCase, dir: &Path, config: &SuiteConfig) -> BashResult {
    let started = Instant::now();
    let known_reason = config.known.reason(&case.id).map(str::to_string);
    let mut result = BashResult {
        case,
        verdict: Verdict::Pass,
        differences: Vec::new(),
        known_reason,
        bash: StepOutput::default(),
        elapsed: Duration::ZERO,
    };
    match run_both(&result.case, dir, config.sandbox.as_ref()).await {
        Ok((bash, differences)) => {
            result.bash = bash;
            result.verdict = match (differences.is_empty(), result.known_reason.is_some()) {
                (true, false) => Verdict::Pass,
                (false, false) => Verdict::Fail,
                (false, true) => Verdict::KnownFailure,
                (true, true) if config.sandbox.is_some() => Verdict::FixedKnownFailure,
                // Without our shell nothing was compared: not "fixed".
                (true, true) => Verdict::KnownFailure,
            };
            result.differences = differences;
        }
        Err(message) => result.verdict = Verdict::Error(message),
    }
    result.elapsed = started.elapsed();
    result
}

/// What a run left: its output and the case directory afterwards.
struct Run {
    script: ScriptRun,
    tree: Tree,
}

/// Runs bash twice and then our shell (if any), each from a fresh copy of
/// the fixture; returns bash's output and the differences.
async fn run_both(
    case: &BashCase,
    dir: &Path,
    sandbox: Option<&ShellCommand>,
) -> Result<(StepOutput, Vec<String>), String> {
    let first = run_in(&ShellCommand::Bash, case, dir).await?;
    check_bash(case, &first)?;
    let second = run_in(&ShellCommand::Bash, case, dir).await?;
    let unstable = compare(case, &first, &second, true);
    if !unstable.is_empty() {
        return Err(format!(
            "bash gives different results on two runs; the case depends on the machine \
             or on timing (pids, times, order) and must be rewritten:\n{}",
            unstable.join("\n")
        ));
    }
    let Some(sandbox) = sandbox else {
        return Ok((first.script.output, Vec::new()));
    };
    let ours = run_in(sandbox, case, dir).await?;
    let differences = compare(case, &first, &ours, case.compare_stderr);
    Ok((first.script.output, differences))
}

/// Checks that bash finished and exited as the case says.
fn check_bash(case: &BashCase, run: &Run) -> Result<(), String> {
    let output = &run.script.output;
    if run.script.timed_out {
        return Err(format!("bash ran longer than {TIMEOUT:?}; fix the case"));
    }
    if output.exit_code != case.status {
        return Err(format!(
            "bash exited {}, but the case expects {}; fix the case (or set `status`).\n\
             bash stdout:\n{}\nbash stderr:\n{}",
            output.exit_code,
            case.status,
            indent(&String::from_utf8_lossy(&output.stdout)),
            indent(&String::from_utf8_lossy(&output.stderr))
        ));
    }
    Ok(())
}

/// Writes the fixture into a fresh `dir`, runs the script there with
/// `shell`, and reads the tree it left.
async fn run_in(shell: &ShellCommand, case: &BashCase, dir: &Path) -> Result<Run, String> {
    reset(case, dir)?;
    let script = run_script(shell, &case.script, dir, case.stdin.as_deref())
        .await
        .map_err(|e| e.to_string())?;
    let tree =
        Tree::read_host(dir).map_err(|e| format!("cannot read the tree {}: {e}", dir.display()))?;
    Ok(Run { script, tree })
}

/// Makes `dir` hold exactly the case's fixture.
fn reset(case: &BashCase, dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    case.fixture
        .write_host(dir)
        .map_err(|e| format!("cannot write the fixture into {}: {e}", dir.display()))
}

/// How `actual` differs from `expected` (bash): one section per aspect.
fn compare(case: &BashCase, expected: &Run, actual: &Run, with_stderr: bool) -> Vec<String> {
    let (want, got) = (&expected.script.output, &actual.script.output);
    let mut sections = Vec::new();
    if actual.script.timed_out {
        sections.push(format!("timed out after {TIMEOUT:?}"));
    }
    let (want_out, got_out) = if case.sort_lines {
        (sorted_lines(&want.stdout), sorted_lines(&got.stdout))
    } else {
        (want.stdout.clone(), got.stdout.clone())
    };
    let stdout_differs = want_out != got_out;
    if stdout_differs {
        let sorted = if case.sort_lines {
            ", lines sorted"
        } else {
            ""
        };
        sections.push(format!(
            "stdout (- bash, + ours{sorted}):\n{}",
            indent(&line_diff(&want_out, &got_out))
        ));
    }
    if want.exit_code != got.exit_code {
        sections.push(format!(
            "exit status: bash {}, ours {}",
            want.exit_code, got.exit_code
        ));
    }
    let stderr_differs = with_stderr && want.stderr != got.stderr;
    if stderr_differs {
        sections.push(format!(
            "stderr (- bash, + ours):\n{}",
            indent(&line_diff(&want.stderr, &got.stderr))
        ));
    }
    let tree = expected.tree.diff(&actual.tree, &BTreeSet::new());
    if !tree.is_empty() {
        sections.push(format!(
            "resulting tree (- bash only, + ours only, ~ changed):\n{}",
            indent(&tree.join("\n"))
        ));
    }
    // Both stderrs help explain any difference; shown unless already diffed.
    if !sections.is_empty() && !stderr_differs {
        for (who, stderr) in [("bash", &want.stderr), ("our", &got.stderr)] {
            if !stderr.is_empty() {
                sections.push(format!(
                    "{who} stderr:\n{}",
                    indent(String::from_utf8_lossy(stderr).trim_end())
                ));
            }
        }
    }
    sections
}

/// The lines of `text` sorted bytewise; lines keep their newline, so an
/// unterminated last line still counts as a difference.
fn sorted_lines(text: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    lines.sort();
    lines.concat()
}

/// A fresh, empty work directory for a run under the system temp dir.
pub fn work_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix("wa-bash-").tempdir()
}

/// The directory of the case files: `tests/bash/` of this crate.
pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bash")
}

/// The `wasm-agent` CLI built next to the running test executable
/// (`target/<profile>/deps/<test>` → `target/<profile>/wasm-agent`), or
/// the path in `WASM_AGENT_BIN`.
pub fn sandbox_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("WASM_AGENT_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate the test binary: {e}"))?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("unexpected test binary location {}", exe.display()))?;
    let path = profile_dir.join("wasm-agent");
    if !path.is_file() {
        return Err(format!(
            "{} does not exist; build the CLI first (`cargo build -p wasm-agent --bin \
             wasm-agent`, same profile as the tests) or set WASM_AGENT_BIN",
            path.display()
        ));
    }
    Ok(path)
}

/// The sources the CLI is built from: the shell and host crates.
pub fn cli_source_dirs() -> Vec<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new(".."));
    vec![workspace.join("shell/src"), workspace.join("host/src")]
}

/// A warning if `binary` is older than the newest file under `sources`:
/// the suite would then judge yesterday's shell. Cargo does not rebuild
/// another package's binary for this test, so it is easy to forget.
pub fn stale_binary_warning(binary: &Path, sources: &[PathBuf]) -> Option<String> {
    let built = std::fs::metadata(binary).and_then(|m| m.modified()).ok()?;
    let mut pending = sources.to_vec();
    let mut newest: Option<(std::time::SystemTime, PathBuf)> = None;
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                pending.push(path);
            } else if let Ok(modified) = meta.modified() {
                if newest.as_ref().is_none_or(|(t, _)| modified > *t) {
                    newest = Some((modified, path));
                }
            }
        }
    }
    let (changed, path) = newest?;
    (changed > built).then(|| {
        format!(
            "warning: {} is older than {} (changed after the build): rebuild it with \
             `cargo build -p wasm-agent-cli --bin wasm-agent` or this run judges an old shell",
            binary.display(),
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stdout: &str, stderr: &str, status: i32) -> Run {
        Run {
            script: ScriptRun {
                output: StepOutput {
                    stdout: stdout.into(),
                    stderr: stderr.into(),
                    exit_code: status,
                },
                timed_out: false,
            },
            tree: Tree::default(),
        }
    }

    fn case(sort_lines: bool) -> BashCase {
        BashCase {
            id: "a/b".into(),
            area: "a".into(),
            script: "true".into(),
            fixture: Default::default(),
            stdin: None,
            status: 0,
            sort_lines,
            compare_stderr: false,
        }
    }

    #[test]
    fn stdout_status_and_stderr_are_compared() {
        let c = case(false);
        assert!(compare(&c, &run("a\n", "x", 0), &run("a\n", "y", 0), false).is_empty());
        let diff = compare(&c, &run("a\n", "x", 0), &run("a\n", "y", 0), true);
        assert_eq!(diff.len(), 1);
        assert!(diff[0].starts_with("stderr"), "{diff:?}");
        let diff = compare(&c, &run("a\n", "e1", 1), &run("b\n", "e2", 2), false);
        assert!(diff[0].starts_with("stdout"), "{diff:?}");
        assert_eq!(diff[1], "exit status: bash 1, ours 2");
        assert!(diff[2].starts_with("bash stderr:\n    e1"), "{diff:?}");
        assert!(diff[3].starts_with("our stderr:\n    e2"), "{diff:?}");
    }

    #[test]
    fn sorted_comparison_ignores_order_only() {
        let c = case(true);
        assert!(compare(&c, &run("a\nb\n", "", 0), &run("b\na\n", "", 0), false).is_empty());
        assert!(!compare(&c, &run("a\nb\n", "", 0), &run("b\nb\n", "", 0), false).is_empty());
    }

    #[test]
    fn a_binary_older_than_its_sources_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (binary, src) = (dir.path().join("wasm-agent"), dir.path().join("src"));
        std::fs::create_dir_all(src.join("deep")).unwrap();
        let set = |path: &Path, secs: u64| {
            std::fs::write(path, "x").unwrap();
            let time = std::time::UNIX_EPOCH + Duration::from_secs(secs);
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(time).unwrap();
        };
        set(&binary, 2_000);
        set(&src.join("deep/old.rs"), 1_000);
        assert_eq!(
            stale_binary_warning(&binary, std::slice::from_ref(&src)),
            None
        );
        set(&src.join("deep/new.rs"), 3_000);
        let warning = stale_binary_warning(&binary, &[src]).unwrap();
        assert!(warning.contains("new.rs"), "{warning}");
    }

    #[test]
    fn a_wrong_status_or_unstable_output_is_a_broken_case() {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = SuiteConfig {
            sandbox: None,
            known: KnownFailures::default(),
            jobs: 1,
        };
        let mut wrong = case(false);
        wrong.script = "echo hi; exit 2".into();
        let result = rt.block_on(run_case(wrong, &dir.path().join("w"), &config));
        assert!(
            matches!(&result.verdict, Verdict::Error(m) if m.contains("bash exited 2")),
            "{:?}",
            result.verdict
        );
        let mut unstable = case(false);
        unstable.script = "echo $$".into();
        let result = rt.block_on(run_case(unstable, &dir.path().join("u"), &config));
        assert!(
            matches!(&result.verdict, Verdict::Error(m) if m.contains("different results")),
            "{:?}",
            result.verdict
        );
    }

    #[test]
    fn bash_against_itself_passes_and_known_failures_must_fail() {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut c = case(false);
        c.script = "echo hi > f; cat f".into();
        let mut config = SuiteConfig {
            sandbox: Some(ShellCommand::Bash),
            known: KnownFailures::default(),
            jobs: 1,
        };
        let result = rt.block_on(run_case(c.clone(), &dir.path().join("p"), &config));
        assert_eq!(result.verdict, Verdict::Pass, "{:?}", result.differences);
        assert_eq!(result.bash.stdout, b"hi\n");
        let known = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(known.path(), "\"a/b\" = \"used to differ\"\n").unwrap();
        config.known = KnownFailures::load(known.path()).unwrap();
        let result = rt.block_on(run_case(c, &dir.path().join("k"), &config));
        assert_eq!(result.verdict, Verdict::FixedKnownFailure);
        assert!(result.is_failure());
    }
}
