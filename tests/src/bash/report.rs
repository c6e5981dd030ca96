//! The human report of the bash suite: pass rates per area and overall,
//! every unexpected failure with its differences, the known failures that
//! now pass, and the slowest cases. Also the listing of bash's own output
//! used while writing cases.

use crate::bash::suite::{BashResult, Verdict};
use crate::outcome::indent;
use crate::report::{rate_table, Tally};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How many of the slowest cases the report lists.
const SLOWEST_SHOWN: usize = 5;

fn add(tally: &mut Tally, result: &BashResult) {
    tally.cases += 1;
    match result.verdict {
        Verdict::Pass => tally.passed += 1,
        Verdict::KnownFailure => tally.known += 1,
        _ => tally.failed += 1,
    }
}

/// Counts per area and overall.
pub fn tallies(results: &[BashResult]) -> (BTreeMap<String, Tally>, Tally) {
    let mut per_area: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for result in results {
        add(
            per_area.entry(result.case.area.clone()).or_default(),
            result,
        );
        add(&mut total, result);
    }
    (per_area, total)
}

/// The pass-rate table: one row per area, then the total. `known` counts
/// listed failures, `fail` everything that makes the suite fail.
pub fn table(results: &[BashResult]) -> String {
    let (per_area, total) = tallies(results);
    rate_table("area", 20, &per_area, &total)
}

/// The whole report.
pub fn render(results: &[BashResult]) -> String {
    let mut out = table(results);
    let failures: Vec<&BashResult> = results.iter().filter(|r| r.is_failure()).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\n{} failing case(s):", failures.len());
        for result in failures {
            out.push('\n');
            out.push_str(&render_failure(result));
        }
    }
    let mut slowest: Vec<&BashResult> = results.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.elapsed));
    let _ = writeln!(out, "\nslowest cases:");
    for result in slowest.iter().take(SLOWEST_SHOWN) {
        let _ = writeln!(out, "  {:>8.1?}  {}", result.elapsed, result.case.id);
    }
    out
}

/// Every known failure that still fails, with its reason and its current
/// differences: the work list for whoever fixes the shell.
pub fn render_known(results: &[BashResult]) -> String {
    let mut out = String::new();
    for result in results
        .iter()
        .filter(|r| r.verdict == Verdict::KnownFailure)
    {
        let reason = result.known_reason.as_deref().unwrap_or_default();
        out.push_str(&case_header(result));
        let _ = writeln!(out, "  known: {reason}");
        for section in &result.differences {
            let _ = writeln!(out, "{}", indent(section));
        }
        out.push('\n');
    }
    out
}

fn case_header(result: &BashResult) -> String {
    format!(
        "{} {}\n{}\n",
        match result.verdict {
            Verdict::KnownFailure => "KNOWN",
            Verdict::Pass => "PASS",
            _ => "FAIL",
        },
        result.case.id,
        indent(&format!("$ {}", result.case.script.trim_end()))
    )
}

fn render_failure(result: &BashResult) -> String {
    let mut out = case_header(result);
    match &result.verdict {
        Verdict::Error(message) => {
            let _ = writeln!(out, "  broken case: {}", message.trim_end());
        }
        Verdict::FixedKnownFailure => {
            let _ = writeln!(
                out,
                "  listed in tests/known-failures/bash.toml ({:?}) but now matches bash: \
                 remove the entry",
                result.known_reason.as_deref().unwrap_or_default()
            );
        }
        _ => {
            for section in &result.differences {
                let _ = writeln!(out, "{}", indent(section));
            }
        }
    }
    out
}

/// Each case's script and what bash printed: for reading new cases and
/// checking they test what they mean to.
pub fn render_bash_outputs(results: &[BashResult]) -> String {
    let mut out = String::new();
    for result in results {
        let _ = writeln!(out, "== {}", result.case.id);
        let _ = writeln!(out, "{}", indent(result.case.script.trim_end()));
        if let Verdict::Error(message) = &result.verdict {
            let _ = writeln!(out, "-- BROKEN: {}", message.trim_end());
            continue;
        }
        let bash = &result.bash;
        let _ = writeln!(
            out,
            "-- status {}\n{}",
            bash.exit_code,
            String::from_utf8_lossy(&bash.stdout).trim_end()
        );
        if !bash.stderr.is_empty() {
            let _ = writeln!(
                out,
                "-- stderr\n{}",
                String::from_utf8_lossy(&bash.stderr).trim_end()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bash::case::BashCase;
    use crate::outcome::StepOutput;

    fn result(id: &str, verdict: Verdict) -> BashResult {
        let (area, _) = id.split_once('/').unwrap();
        BashResult {
            case: BashCase {
                id: id.into(),
                area: area.into(),
                script: "echo x".into(),
                fixture: Default::default(),
                stdin: None,
                status: 0,
                sort_lines: false,
                compare_stderr: false,
            },
            differences: if verdict == Verdict::Pass {
                vec![]
            } else {
                vec!["exit status: bash 0, ours 1".into()]
            },
            known_reason: (verdict == Verdict::KnownFailure).then(|| "why".into()),
            verdict,
            bash: StepOutput::default(),
            elapsed: std::time::Duration::from_millis(1),
        }
    }

    #[test]
    fn the_table_counts_per_area_and_in_total() {
        let results = vec![
            result("quoting/a", Verdict::Pass),
            result("quoting/b", Verdict::Fail),
            result("arrays/c", Verdict::KnownFailure),
            result("arrays/d", Verdict::Pass),
        ];
        let (per_area, total) = tallies(&results);
        assert_eq!(
            (per_area["quoting"].passed, per_area["quoting"].failed),
            (1, 1)
        );
        assert_eq!(per_area["arrays"].known, 1);
        assert_eq!((total.cases, total.passed), (4, 2));
        let text = render(&results);
        assert!(
            text.contains("total                     4      2      1      1   50.0%"),
            "{text}"
        );
        assert!(text.contains("1 failing case(s)"), "{text}");
        assert!(
            text.contains("FAIL quoting/b\n    $ echo x\n    exit status"),
            "{text}"
        );
        let known = render_known(&results);
        assert!(known.starts_with("KNOWN arrays/c"), "{known}");
        assert!(known.contains("known: why"), "{known}");
    }
}
