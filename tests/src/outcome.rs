//! What a run of a case produced, and how two runs are compared.

use crate::case::Case;
use crate::text::line_diff;
use crate::tree::Tree;
use std::fmt;

/// Where a case ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Backend {
    /// The GNU tools of the machine, as processes: the expectation.
    Native,
    /// The sandbox, the case directory being a `HostDirFs` mounted at its
    /// own path in a `MountFs` over a `MemFs` root.
    HostDir,
    /// The sandbox over a pure `MemFs` holding a copy of the fixtures.
    Memory,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Native => "GNU",
            Backend::HostDir => "sandbox/hostdir",
            Backend::Memory => "sandbox/memory",
        })
    }
}

/// The result of one command of a case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepOutput {
    /// Everything it wrote to stdout.
    pub stdout: Vec<u8>,
    /// Everything it wrote to stderr (shown in reports, never compared:
    /// program names and wording legitimately differ).
    pub stderr: Vec<u8>,
    /// Its exit status (128 + signal for a native process killed by one).
    pub exit_code: i32,
}

/// The result of running all of a case's commands on one backend.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// One output per step, in order.
    pub steps: Vec<StepOutput>,
    /// The case directory afterwards.
    pub tree: Tree,
}

/// Compares `actual` with the expectation `expected` under `case`'s rules;
/// returns one text section per difference (empty if they agree).
pub fn compare(case: &Case, expected: &Outcome, actual: &Outcome) -> Vec<String> {
    let mut sections = Vec::new();
    for (i, (want, got)) in expected.steps.iter().zip(&actual.steps).enumerate() {
        let step = if case.steps.len() > 1 {
            format!("step {} ({}) ", i + 1, case.steps[i][0])
        } else {
            "".to_string()
        };
        let (want_out, got_out) = if case.sort_lines {
            (sorted_lines(&want.stdout), sorted_lines(&got.stdout))
        } else {
            (want.stdout.clone(), got.stdout.clone())
        };
        if want_out != got_out {
            let sorted = if case.sort_lines {
                ", lines sorted"
            } else {
                ""
            };
            sections.push(format!(
                "{step}stdout (- GNU, + sandbox{sorted}):\n{}",
                indent(&line_diff(&want_out, &got_out))
            ));
        }
        if want.exit_code != got.exit_code {
            sections.push(format!(
                "{step}exit code: GNU {}, sandbox {}",
                want.exit_code, got.exit_code
            ));
        }
        let differs = want_out != got_out || want.exit_code != got.exit_code;
        if differs && !got.stderr.is_empty() {
            sections.push(format!(
                "{step}sandbox stderr:\n{}",
                indent(String::from_utf8_lossy(&got.stderr).trim_end())
            ));
        }
        if differs && !want.stderr.is_empty() {
            sections.push(format!(
                "{step}GNU stderr:\n{}",
                indent(String::from_utf8_lossy(&want.stderr).trim_end())
            ));
        }
    }
    if expected.steps.len() != actual.steps.len() {
        sections.push(format!(
            "ran {} steps, expected {}",
            actual.steps.len(),
            expected.steps.len()
        ));
    }
    let tree = expected.tree.diff(&actual.tree, &case.ignore_content);
    if !tree.is_empty() {
        sections.push(format!(
            "resulting tree (- GNU only, + sandbox only, ~ changed):\n{}",
            indent(&tree.join("\n"))
        ));
    }
    sections
}

/// The lines of `text` sorted bytewise. Lines keep their newline, so an
/// unterminated last line still counts as a difference.
fn sorted_lines(text: &[u8]) -> Vec<u8> {
    let mut lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    lines.sort();
    lines.concat()
}

/// Indents every line by four spaces.
pub fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Node;

    fn case(sort_lines: bool) -> Case {
        Case {
            id: "t/x".into(),
            family: "t".into(),
            steps: vec![vec!["ls".into()]],
            fixture: Default::default(),
            stdin: None,
            cwd: String::new(),
            sort_lines,
            ignore_content: Default::default(),
            status: 0,
            known_difference: None,
        }
    }

    fn outcome(stdout: &str, exit_code: i32) -> Outcome {
        Outcome {
            steps: vec![StepOutput {
                stdout: stdout.as_bytes().to_vec(),
                stderr: Vec::new(),
                exit_code,
            }],
            tree: Tree::default(),
        }
    }

    #[test]
    fn equal_outcomes_agree() {
        assert!(compare(&case(false), &outcome("a\n", 0), &outcome("a\n", 0)).is_empty());
    }

    #[test]
    fn stdout_exit_code_and_tree_are_each_reported() {
        let mut got = outcome("b\n", 1);
        got.tree.nodes.insert("new".into(), Node::Dir);
        got.steps[0].stderr = b"ls: oops\n".to_vec();
        let sections = compare(&case(false), &outcome("a\n", 0), &got);
        assert_eq!(sections.len(), 4, "{sections:#?}");
        assert!(sections[0].contains("- a\\n") && sections[0].contains("+ b\\n"));
        assert_eq!(sections[1], "exit code: GNU 0, sandbox 1");
        assert!(sections[2].contains("ls: oops"));
        assert!(sections[3].contains("+ new: unexpected directory"));
    }

    #[test]
    fn sort_lines_ignores_order_only() {
        let c = case(true);
        assert!(compare(&c, &outcome("a\nb\n", 0), &outcome("b\na\n", 0)).is_empty());
        assert_eq!(
            compare(&c, &outcome("a\nb\n", 0), &outcome("b\nb\n", 0)).len(),
            1
        );
    }
}
