//! Cases as data: `tests/cases/*.txt`, each case an argv, the files it
//! runs on, standard input, and the exit status and output GNU diff 3.8
//! gave (recorded by `tests/cases/record.py`, whose header describes the
//! format). Every case must give the same with ours.

use std::path::Path;

use crate::support::{run_ours, Scratch};

/// One parsed case.
#[derive(Default)]
struct Case {
    name: String,
    argv: Vec<String>,
    setup: Vec<Setup>,
    stdin: Vec<u8>,
    status: Option<i32>,
    stdout: Option<Vec<u8>>,
}

enum Setup {
    File(String, Vec<u8>),
    Dir(String),
    Symlink(String, String),
}

/// A `kind args` line and the `| ` lines under it.
struct Block {
    head: String,
    lines: Vec<String>,
}

impl Block {
    fn content(&self) -> Vec<u8> {
        let mut text = self.lines.join("\n");
        if !self.lines.is_empty() && !self.head.ends_with(" !") {
            text.push('\n');
        }
        text.into_bytes()
    }

    fn path(&self, kind: &str) -> String {
        let rest = &self.head[kind.len() + 1..];
        rest.strip_suffix(" !").unwrap_or(rest).to_owned()
    }
}

fn parse(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let flush = |cases: &mut Vec<Case>, blocks: &mut Vec<Block>| {
        if let Some(case) = cases.last_mut() {
            for b in blocks.drain(..) {
                apply(case, b);
            }
        }
    };
    for raw in text.split('\n') {
        if raw == "|" || raw.starts_with("| ") {
            let block = blocks.last_mut().expect("content line outside a block");
            block
                .lines
                .push(raw.get(2..).unwrap_or_default().to_owned());
        } else if let Some(name) = raw.strip_prefix("=== ") {
            flush(&mut cases, &mut blocks);
            cases.push(Case {
                name: name.to_owned(),
                ..Case::default()
            });
        } else if !(raw.trim().is_empty() || raw.starts_with('#')) {
            blocks.push(Block {
                head: raw.to_owned(),
                lines: Vec::new(),
            });
        }
    }
    flush(&mut cases, &mut blocks);
    cases
}

fn apply(case: &mut Case, b: Block) {
    let kind = b.head.split(' ').next().unwrap_or_default();
    match kind {
        "$" => case.argv = split_words(&b.head[2..]),
        "file" => case.setup.push(Setup::File(b.path("file"), b.content())),
        "hexfile" => {
            let words: Vec<&str> = b.head.split(' ').collect();
            let bytes = (0..words[2].len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&words[2][i..i + 2], 16).expect("hex byte"))
                .collect();
            case.setup.push(Setup::File(words[1].to_owned(), bytes));
        }
        "dir" => case.setup.push(Setup::Dir(b.path("dir"))),
        "symlink" => {
            let words: Vec<&str> = b.head.split(' ').collect();
            case.setup
                .push(Setup::Symlink(words[1].to_owned(), words[2].to_owned()));
        }
        "stdin" => case.stdin = b.content(),
        "status" => case.status = Some(b.head[7..].parse().expect("status number")),
        "stdout" => case.stdout = Some(b.content()),
        other => panic!("case {}: unknown line kind {other:?}", case.name),
    }
}

/// Splits a command line as a POSIX shell (and Python's `shlex`) would:
/// at spaces, with '...' and "..." grouping and `\` escaping.
fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' if matches!(chars.peek(), Some('\\' | '"' | '$' | '`')) => {
                            cur.push(chars.next().unwrap_or_default());
                        }
                        q => cur.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

fn set_up(scratch: &Scratch, setup: &[Setup]) {
    for s in setup {
        match s {
            Setup::File(path, data) => scratch.write(path, data),
            Setup::Dir(path) => scratch.mkdir(path),
            Setup::Symlink(path, target) => {
                #[cfg(unix)]
                std::os::unix::fs::symlink(target, scratch.path().join(path)).expect("symlink");
                #[cfg(not(unix))]
                let _ = (path, target);
            }
        }
    }
}

fn run_file(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read case file");
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let scratch = Scratch::new(&format!("cases-{stem}"));
    let mut failures = Vec::new();
    for case in parse(&text) {
        scratch.reset();
        set_up(&scratch, &case.setup);
        assert_eq!(
            case.argv.first().map(String::as_str),
            Some("diff"),
            "case {}",
            case.name
        );
        let args: Vec<&str> = case.argv[1..].iter().map(String::as_str).collect();
        let run = run_ours(scratch.path(), &args, &case.stdin);
        let want_status = case
            .status
            .unwrap_or_else(|| panic!("case {} has no status", case.name));
        let want_stdout = case.stdout.unwrap_or_default();
        if run.status != want_status || run.stdout != want_stdout {
            failures.push(format!(
                "{stem}: {}\n  $ {}\n  status: want {want_status}, got {}\n--- want ---\n{}--- got ---\n{}--- stderr ---\n{}",
                case.name,
                case.argv.join(" "),
                run.status,
                String::from_utf8_lossy(&want_stdout),
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr),
            ));
        }
    }
    failures
}

#[test]
fn recorded_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/cases")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let failures: Vec<String> = files.iter().flat_map(|f| run_file(f)).collect();
    assert!(
        failures.is_empty(),
        "{} failing cases:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn case_files_parse() {
    let cases = parse(
        "=== a\n$ diff -x 'a b' \"%c'\\012'\" x\\ y\nfile x !\n| 1\n|\nstatus 1\nstdout\n| out\n",
    );
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].argv, ["diff", "-x", "a b", "%c'\\012'", "x y"]);
    match &cases[0].setup[0] {
        Setup::File(p, d) => assert_eq!((p.as_str(), &d[..]), ("x", &b"1\n"[..])),
        _ => panic!("expected a file"),
    }
    assert_eq!(cases[0].stdout.as_deref(), Some(&b"out\n"[..]));
}
