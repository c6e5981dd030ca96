//! The human report: pass rates per tool and overall, then every failure
//! with its differences, then the documented exceptions.

use crate::outcome::{indent, Backend};
use crate::runner::{CaseResult, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How many of the slowest cases the report lists, to spot a case (or a
/// tool) that makes the suite slow.
const SLOWEST_SHOWN: usize = 5;

/// Counts for one tool (or the total).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases run.
    pub cases: usize,
    /// Matched GNU on every backend.
    pub passed: usize,
    /// Documented exceptions that still differ.
    pub known: usize,
    /// Failures (including errors and exceptions that no longer differ).
    pub failed: usize,
}

impl Tally {
    fn add(&mut self, result: &CaseResult) {
        self.cases += 1;
        match result.verdict {
            Verdict::Pass => self.passed += 1,
            Verdict::KnownDifference => self.known += 1,
            _ => self.failed += 1,
        }
    }

    /// Percentage of cases that matched GNU.
    pub fn pass_rate(&self) -> f64 {
        if self.cases == 0 {
            return 100.0;
        }
        100.0 * self.passed as f64 / self.cases as f64
    }
}

/// Counts per tool (the program of each case's first step) and overall.
pub fn tallies(results: &[CaseResult]) -> (BTreeMap<String, Tally>, Tally) {
    let mut per_tool: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for result in results {
        per_tool
            .entry(result.case.tool().to_string())
            .or_default()
            .add(result);
        total.add(result);
    }
    (per_tool, total)
}

/// The pass-rate table: one row per group (tool, area), then the total.
/// `known` counts documented failures, `fail` everything that makes the
/// suite fail; `width` is the width of the first column.
pub fn rate_table(
    heading: &str,
    width: usize,
    per_group: &BTreeMap<String, Tally>,
    total: &Tally,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{heading:<width$} {:>6} {:>6} {:>6} {:>6} {:>7}",
        "cases", "pass", "known", "fail", "rate"
    );
    let row = |out: &mut String, name: &str, t: &Tally| {
        let _ = writeln!(
            out,
            "{name:<width$} {:>6} {:>6} {:>6} {:>6} {:>6.1}%",
            t.cases,
            t.passed,
            t.known,
            t.failed,
            t.pass_rate()
        );
    };
    for (group, tally) in per_group {
        row(&mut out, group, tally);
    }
    let _ = writeln!(out, "{}", "-".repeat(width + 36));
    row(&mut out, "total", total);
    out
}

/// The whole report as text.
pub fn render(results: &[CaseResult]) -> String {
    let (per_tool, total) = tallies(results);
    let mut out = rate_table("tool", 10, &per_tool, &total);

    let failures: Vec<&CaseResult> = results.iter().filter(|r| r.is_failure()).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\n{} failing case(s):", failures.len());
        for result in failures {
            out.push('\n');
            out.push_str(&render_failure(result));
        }
    }

    let mut slowest: Vec<&CaseResult> = results.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.elapsed));
    let _ = writeln!(out, "\nslowest cases:");
    for result in slowest.iter().take(SLOWEST_SHOWN) {
        let _ = writeln!(out, "  {:>8.1?}  {}", result.elapsed, result.case.id);
    }

    let known: Vec<&CaseResult> = results
        .iter()
        .filter(|r| r.verdict == Verdict::KnownDifference)
        .collect();
    if !known.is_empty() {
        let _ = writeln!(
            out,
            "\n{} documented difference(s), still differing:",
            known.len()
        );
        for result in known {
            let reason = result.case.known_difference.as_deref().unwrap_or_default();
            let _ = writeln!(out, "  {}: {reason}", result.case.id);
        }
    }
    out
}

fn render_failure(result: &CaseResult) -> String {
    let case = &result.case;
    let mut out = format!("FAIL {}\n  $ {}\n", case.id, case.command_line());
    match &result.verdict {
        Verdict::Error(message) => {
            let _ = writeln!(out, "  error: {message}");
        }
        Verdict::FixedKnownDifference => {
            let _ = writeln!(
                out,
                "  marked known_difference ({:?}) but now matches GNU on every backend: \
                 remove the mark",
                case.known_difference.as_deref().unwrap_or_default()
            );
        }
        _ => {
            for (backends, sections) in group_backends(&result.differences) {
                let _ = writeln!(out, "  on {backends}:");
                for section in sections {
                    let _ = writeln!(out, "{}", indent(section));
                }
            }
        }
    }
    out
}

/// Backends with identical differences, shown once (`sandbox/hostdir +
/// sandbox/memory`), skipping backends that matched.
fn group_backends(differences: &[(Backend, Vec<String>)]) -> Vec<(String, &Vec<String>)> {
    let mut groups: Vec<(Vec<Backend>, &Vec<String>)> = Vec::new();
    for (backend, sections) in differences {
        if sections.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(_, s)| *s == sections) {
            Some((backends, _)) => backends.push(*backend),
            None => groups.push((vec![*backend], sections)),
        }
    }
    groups
        .into_iter()
        .map(|(backends, sections)| {
            let names: Vec<String> = backends.iter().map(|b| b.to_string()).collect();
            (names.join(" + "), sections)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Case;

    fn result(tool: &str, verdict: Verdict, diffs: Vec<(Backend, Vec<String>)>) -> CaseResult {
        CaseResult {
            case: Case {
                id: format!("f/{tool}"),
                family: "f".into(),
                steps: vec![vec![tool.into()]],
                fixture: Default::default(),
                stdin: None,
                cwd: String::new(),
                sort_lines: false,
                ignore_content: Default::default(),
                status: 0,
                known_difference: matches!(verdict, Verdict::KnownDifference)
                    .then(|| "why".to_string()),
            },
            verdict,
            differences: diffs,
            elapsed: std::time::Duration::from_millis(1),
        }
    }

    #[test]
    fn tallies_count_per_tool() {
        let results = vec![
            result("ls", Verdict::Pass, vec![]),
            result("ls", Verdict::Fail, vec![]),
            result("wc", Verdict::KnownDifference, vec![]),
        ];
        let (per_tool, total) = tallies(&results);
        assert_eq!(per_tool["ls"].passed, 1);
        assert_eq!(per_tool["ls"].failed, 1);
        assert_eq!(per_tool["wc"].known, 1);
        assert_eq!(total.cases, 3);
        assert!((per_tool["ls"].pass_rate() - 50.0).abs() < 1e-9);
    }

    #[test]
    fn identical_differences_are_grouped() {
        let same = vec!["exit code: GNU 0, sandbox 1".to_string()];
        let text = render(&[result(
            "ls",
            Verdict::Fail,
            vec![(Backend::HostDir, same.clone()), (Backend::Memory, same)],
        )]);
        assert!(
            text.contains("on sandbox/hostdir + sandbox/memory:"),
            "{text}"
        );
        assert!(text.contains("1 failing case(s)"));
    }
}
