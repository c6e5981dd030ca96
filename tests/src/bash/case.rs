//! The bash case model: what one `tests/bash/<area>.toml` file holds, and
//! loading it.
//!
//! A file is one area of the shell (quoting, arrays, redirections, ...). It
//! may define named fixture sets under `[fixtures.<name>]` that its cases
//! share (the same entry format as the tool suite, see
//! [`crate::fixture::Entry`]), then any number of `[[case]]` tables, each a
//! script run with `bash -c` and with `wasm-agent exec -c`.

use crate::case::LoadError;
use crate::fixture::{Entry, Fixture};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One `tests/bash/<area>.toml` file as written.
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
    script: String,
    #[serde(default)]
    fixture: Option<String>,
    #[serde(default)]
    files: BTreeMap<String, Entry>,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    status: i32,
    #[serde(default)]
    sort_lines: bool,
    #[serde(default)]
    stderr: bool,
}

/// One bash conformance case, ready to run.
#[derive(Debug, Clone)]
pub struct BashCase {
    /// `<area>/<name>`, unique over all files; the key of the known
    /// failures list.
    pub id: String,
    /// The file stem the case comes from (`quoting` for `quoting.toml`).
    pub area: String,
    /// The script, passed as the argument of `-c`.
    pub script: String,
    /// The files the case directory starts with.
    pub fixture: Fixture,
    /// Standard input of the script; `None` runs it with `/dev/null`.
    pub stdin: Option<Vec<u8>>,
    /// The exit status bash must give. Checked before comparing, so a
    /// case broken by a typo (say, a command that does not exist, status
    /// 127) cannot pass just because both shells fail alike. Default: 0.
    pub status: i32,
    /// Compare stdout as a sorted list of lines, for output whose order
    /// is not defined (directory walks, `find`).
    pub sort_lines: bool,
    /// Compare stderr bytes too: for the shell's own diagnostics (`bash:
    /// line 1: ...`), whose wording our shell copies. Off by default, as
    /// tools' messages legitimately differ.
    pub compare_stderr: bool,
}

/// Loads every `*.toml` file of `dir`, in file-name order; case ids must
/// be unique.
pub fn load_dir(dir: &Path) -> Result<Vec<BashCase>, LoadError> {
    crate::case::load_cases(dir, load_file, |case| &case.id)
}

/// Loads the cases of one file.
pub fn load_file(path: &Path) -> Result<Vec<BashCase>, LoadError> {
    let err = |message: String| LoadError {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let area = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse(&area, &text).map_err(err)
}

/// Parses the text of one case file of area `area`.
fn parse(area: &str, text: &str) -> Result<Vec<BashCase>, String> {
    let file: CaseFile = toml::from_str(text).map_err(|e| e.to_string())?;
    file.cases
        .into_iter()
        .map(|raw| build_case(area, &file.fixtures, raw))
        .collect()
}

fn build_case(
    area: &str,
    fixtures: &BTreeMap<String, BTreeMap<String, Entry>>,
    raw: RawCase,
) -> Result<BashCase, String> {
    let fail = |what: String| format!("case `{}`: {what}", raw.name);
    let name_ok = !raw.name.is_empty()
        && raw
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !name_ok {
        return Err(fail(
            "the name must be non-empty and use only letters, digits, `-`, `_` and `.`".into(),
        ));
    }
    if raw.script.trim().is_empty() {
        return Err(fail("`script` is empty".into()));
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
    if !(0..=255).contains(&raw.status) {
        return Err(fail(format!(
            "status {} is not an exit status (0-255)",
            raw.status
        )));
    }
    Ok(BashCase {
        id: format!("{area}/{}", raw.name),
        area: area.to_string(),
        script: raw.script,
        fixture,
        stdin: raw.stdin.map(String::into_bytes),
        status: raw.status,
        sort_lines: raw.sort_lines,
        compare_stderr: raw.stderr,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_gets_its_area_and_extends_its_fixture() {
        let cases = parse(
            "quoting",
            r#"
            [fixtures.base]
            "a.txt" = "one\n"

            [[case]]
            name = "cat-a"
            script = "cat a.txt b.txt"
            fixture = "base"
            files = { "b.txt" = "two\n" }
            stdin = "in\n"
            status = 1
            sort_lines = true
            stderr = true
            "#,
        )
        .unwrap();
        let case = &cases[0];
        assert_eq!(case.id, "quoting/cat-a");
        assert_eq!(case.area, "quoting");
        assert_eq!(case.fixture.paths().collect::<Vec<_>>(), ["a.txt", "b.txt"]);
        assert_eq!(case.stdin.as_deref(), Some(&b"in\n"[..]));
        assert_eq!(case.status, 1);
        assert!(case.sort_lines && case.compare_stderr);
    }

    #[test]
    fn mistakes_in_a_case_are_named() {
        let err = |text: &str| parse("a", text).unwrap_err();
        assert!(err("[[case]]\nname = \"x\"\nscript = \"true\"\nstatu = 1\n").contains("statu"));
        assert!(err("[[case]]\nname = \"a b\"\nscript = \"true\"\n").contains("the name"));
        assert!(err("[[case]]\nname = \"x\"\nscript = \" \"\n").contains("is empty"));
        assert!(
            err("[[case]]\nname = \"x\"\nscript = \"true\"\nfixture = \"no\"\n")
                .contains("[fixtures.no]")
        );
        assert!(err("[[case]]\nname = \"x\"\nscript = \"true\"\nstatus = 300\n").contains("0-255"));
    }

    #[test]
    fn duplicate_ids_across_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let case = "[[case]]\nname = \"x\"\nscript = \"true\"\n";
        std::fs::write(dir.path().join("a.toml"), format!("{case}{case}")).unwrap();
        let error = load_dir(dir.path()).unwrap_err();
        assert!(error.message.contains("`a/x` is defined twice"), "{error}");
    }
}
