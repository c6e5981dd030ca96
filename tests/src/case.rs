//! The case model: what one `tests/tools/*.toml` file holds, and loading it.
//!
//! A file is one tool family. It may define named fixture sets under
//! `[fixtures.<name>]` that its cases share, then any number of `[[case]]`
//! tables. See `tests/README.md` for the full format with examples.

use crate::fixture::{Entry, Fixture, DIR_PLACEHOLDER};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// One `tests/tools/<family>.toml` file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// Shared fixture sets by name: path → entry.
    #[serde(default)]
    fixtures: BTreeMap<String, BTreeMap<String, Entry>>,
    #[serde(default, rename = "case")]
    cases: Vec<RawCase>,
}

/// One `[[case]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    argv: Vec<String>,
    #[serde(default)]
    then: Vec<Vec<String>>,
    #[serde(default)]
    fixture: Option<String>,
    #[serde(default)]
    files: BTreeMap<String, Entry>,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    stdin_file: Option<String>,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    sort_lines: bool,
    #[serde(default)]
    ignore_content: Vec<String>,
    #[serde(default)]
    status: i32,
    #[serde(default)]
    known_difference: Option<String>,
}

/// One conformance case, ready to run.
#[derive(Debug, Clone)]
pub struct Case {
    /// `<family>/<name>`, unique over all files.
    pub id: String,
    /// The file stem the case comes from (`grep` for `grep.toml`).
    pub family: String,
    /// The commands to run one after the other in the same directory: the
    /// case's `argv`, then each of `then`. Stdout and exit codes of every
    /// step are compared. Arguments may hold [`DIR_PLACEHOLDER`]; run them
    /// through [`Case::argv`].
    pub steps: Vec<Vec<String>>,
    /// The files the case starts from.
    pub fixture: Fixture,
    /// Standard input of the first step (later steps get none).
    pub stdin: Option<Vec<u8>>,
    /// Working directory relative to the case directory (`""` for itself).
    pub cwd: String,
    /// Compare stdout as a sorted list of lines, for tools whose output
    /// order is not defined (directory walks, `shuf`).
    pub sort_lines: bool,
    /// Paths (relative to the case directory) whose file contents are not
    /// compared, only their existence and kind: outputs that legitimately
    /// differ byte for byte, such as compressed data.
    pub ignore_content: BTreeSet<String>,
    /// The exit status GNU must give for the first step (later steps must
    /// succeed). Checked before comparing, so a typo in a case that makes
    /// both sides fail alike cannot pass unnoticed. Default: 0.
    pub status: i32,
    /// Why the sandbox is expected to differ from GNU here, if it is.
    pub known_difference: Option<String>,
}

impl Case {
    /// The tool the case is about: the program of its first step.
    pub fn tool(&self) -> &str {
        &self.steps[0][0]
    }

    /// Step `index` with [`DIR_PLACEHOLDER`] replaced by the case
    /// directory `dir`.
    pub fn argv(&self, index: usize, dir: &str) -> Vec<String> {
        self.steps[index]
            .iter()
            .map(|arg| arg.replace(DIR_PLACEHOLDER, dir))
            .collect()
    }

    /// The steps as shell-like text, for reports.
    pub fn command_line(&self) -> String {
        self.steps
            .iter()
            .map(|argv| {
                argv.iter()
                    .map(|a| shell_quote(a))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" && ")
    }
}

/// A problem in a case file, naming the file and the case.
#[derive(Debug)]
pub struct LoadError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

/// Loads every `*.toml` file of `dir`, in file-name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, LoadError> {
    load_cases(dir, load_file, |case| &case.id)
}

/// Loads every `*.toml` file of `dir` with `load_file`, in file-name
/// order; case ids (`id` of a case) must be unique across the files.
/// Shared by the tool and bash suites.
pub fn load_cases<T>(
    dir: &Path,
    load_file: impl Fn(&Path) -> Result<Vec<T>, LoadError>,
    id: impl Fn(&T) -> &str,
) -> Result<Vec<T>, LoadError> {
    let err = |message: String| LoadError {
        path: dir.to_path_buf(),
        message,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| err(format!("cannot list the case directory: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    let mut seen = BTreeSet::new();
    for path in paths {
        for case in load_file(&path)? {
            if !seen.insert(id(&case).to_string()) {
                return Err(LoadError {
                    message: format!("case `{}` is defined twice; rename one", id(&case)),
                    path,
                });
            }
            cases.push(case);
        }
    }
    Ok(cases)
}

/// Loads the cases of one file.
pub fn load_file(path: &Path) -> Result<Vec<Case>, LoadError> {
    let err = |message: String| LoadError {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let file: CaseFile = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
    let family = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.cases
        .into_iter()
        .map(|raw| build_case(&family, &file.fixtures, raw).map_err(&err))
        .collect()
}

fn build_case(
    family: &str,
    fixtures: &BTreeMap<String, BTreeMap<String, Entry>>,
    raw: RawCase,
) -> Result<Case, String> {
    let id = format!("{family}/{}", raw.name);
    let fail = |what: String| format!("case `{}`: {what}", raw.name);
    if raw.name.is_empty() || raw.name.contains(char::is_whitespace) {
        return Err(fail("the name must be non-empty and without spaces".into()));
    }
    let mut steps = vec![raw.argv];
    steps.extend(raw.then);
    if steps.iter().any(|argv| argv.is_empty()) {
        return Err(fail(
            "`argv` and every `then` step need at least the tool name".into(),
        ));
    }
    let mut entries = match &raw.fixture {
        Some(name) => fixtures
            .get(name)
            .cloned()
            .ok_or_else(|| fail(format!("no `[fixtures.{name}]` table in this file")))?,
        None => BTreeMap::new(),
    };
    // The case's own files extend (or override) the shared set.
    entries.extend(raw.files);
    let fixture = Fixture::new(entries).map_err(&fail)?;
    if raw
        .known_difference
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err(fail(
            "`known_difference` needs the reason for the difference".into(),
        ));
    }
    let stdin = match (raw.stdin, raw.stdin_file) {
        (Some(_), Some(_)) => return Err(fail("give `stdin` or `stdin_file`, not both".into())),
        (Some(text), None) => Some(text.into_bytes()),
        (None, Some(path)) => Some(
            fixture
                .file(&path)
                .ok_or_else(|| fail(format!("stdin_file `{path}` is not a file of the fixture")))?
                .to_vec(),
        ),
        (None, None) => None,
    };
    let cwd = raw.cwd.unwrap_or_default();
    if cwd.starts_with('/') || cwd.split('/').any(|c| c == "..") {
        return Err(fail(format!(
            "cwd `{cwd}` must be relative and stay inside the case directory"
        )));
    }
    Ok(Case {
        id,
        family: family.to_string(),
        steps,
        fixture,
        stdin,
        cwd: cwd.trim_matches('/').to_string(),
        sort_lines: raw.sort_lines,
        ignore_content: raw.ignore_content.into_iter().collect(),
        status: raw.status,
        known_difference: raw.known_difference,
    })
}

/// Quotes `arg` for display the way a shell user would type it.
pub fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,=:+%@^".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Case>, String> {
        let file: CaseFile = toml::from_str(text).map_err(|e| e.to_string())?;
        file.cases
            .into_iter()
            .map(|raw| build_case("t", &file.fixtures, raw))
            .collect()
    }

    #[test]
    fn a_case_extends_its_shared_fixture() {
        let cases = parse(
            r#"
            [fixtures.base]
            "a.txt" = "one\n"
            "b.txt" = "two\n"

            [[case]]
            name = "x"
            argv = ["cat", "a.txt"]
            fixture = "base"
            files = { "b.txt" = "changed\n", "c.txt" = "three\n" }
            "#,
        )
        .unwrap();
        let paths: Vec<&str> = cases[0].fixture.paths().collect();
        assert_eq!(paths, ["a.txt", "b.txt", "c.txt"]);
        assert_eq!(cases[0].id, "t/x");
        assert_eq!(cases[0].tool(), "cat");
    }

    #[test]
    fn unknown_fixture_and_bad_cwd_are_errors() {
        let missing = parse("[[case]]\nname = \"x\"\nargv = [\"ls\"]\nfixture = \"nope\"\n");
        assert!(missing.unwrap_err().contains("[fixtures.nope]"));
        let escape = parse("[[case]]\nname = \"x\"\nargv = [\"ls\"]\ncwd = \"../up\"\n");
        assert!(escape.unwrap_err().contains("inside the case directory"));
        let typo = parse("[[case]]\nname = \"x\"\nargv = [\"ls\"]\nsort_line = true\n");
        assert!(typo.unwrap_err().contains("sort_line"));
        let no_reason =
            parse("[[case]]\nname = \"x\"\nargv = [\"ls\"]\nknown_difference = \" \"\n");
        assert!(no_reason.unwrap_err().contains("needs the reason"));
    }

    #[test]
    fn stdin_file_reads_the_fixture_and_argv_fills_the_dir() {
        let cases = parse(
            "[[case]]\nname = \"x\"\nargv = [\"wc\", \"@DIR@/in\"]\nstdin_file = \"in\"\n\
             files = { \"in\" = \"abc\\n\" }\n",
        )
        .unwrap();
        assert_eq!(cases[0].stdin.as_deref(), Some(&b"abc\n"[..]));
        assert_eq!(cases[0].argv(0, "/tmp/c"), ["wc", "/tmp/c/in"]);
        let missing = parse("[[case]]\nname = \"x\"\nargv = [\"wc\"]\nstdin_file = \"no\"\n");
        assert!(missing.unwrap_err().contains("not a file of the fixture"));
    }

    #[test]
    fn command_lines_are_quoted_for_display() {
        let cases = parse(
            "[[case]]\nname = \"x\"\nargv = [\"grep\", \"a b\"]\nthen = [[\"wc\", \"-l\"]]\n",
        )
        .unwrap();
        assert_eq!(cases[0].command_line(), "grep 'a b' && wc -l");
    }
}
