//! Differential tests: many generated file pairs through GNU diff 3.8
//! (`/usr/bin/diff`) and ours, in every format and with the comparison
//! options, requiring the same output and exit status.
//!
//! The texts come from a small vocabulary so that lines repeat (which is
//! where equally short scripts differ), with random insertions, deletions,
//! replacements, blank lines, white space and case changes, carriage
//! returns and missing final newlines. `DIFF_FUZZ_ROUNDS` sets the number
//! of file pairs (default 60; each goes through every option set), and
//! `DIFF_FUZZ_SEED` the seed.

use std::path::Path;

use crate::support::{gnu_diff_available, run_gnu, run_ours, Rng, Scratch};

/// Option sets every pair goes through.
const OPTION_SETS: &[&[&str]] = &[
    &[],
    &["-u"],
    &["-c"],
    &["-U0"],
    &["-U1"],
    &["-C1"],
    &["-U5"],
    &["-e"],
    &["-f"],
    &["-n"],
    &["-y"],
    &["-y", "-W", "61"],
    &["-y", "-W", "40", "-t"],
    &["-y", "-W", "25"],
    &["-y", "-W", "33", "-t", "--tabsize=4"],
    &["-y", "--suppress-common-lines"],
    &["-y", "--left-column"],
    &["-i"],
    &["-b"],
    &["-w"],
    &["-B"],
    &["-E"],
    &["-Z"],
    &["-bB"],
    &["-u", "-wB"],
    &["-u", "-i", "-b"],
    &["--strip-trailing-cr"],
    &["-u", "-t"],
    &["-c", "-T"],
    &["-T"],
    &["-u", "--suppress-blank-empty"],
    &["-c", "--suppress-blank-empty"],
    &["-u", "-p"],
    &["-c", "-F", "^[a-d]"],
    &["-u", "-I", "^gamma"],
    &["-I", "a\\|e", "-B"],
    &["-d"],
    &["-u", "-d"],
    &["-H"],
    &["-q"],
    &["-q", "-B"],
    &["-a"],
    &["-a", "-u", "-i"],
    &["-s"],
    &["-u", "--label", "L1", "--label", "L2"],
    &["--horizon-lines=2", "-u"],
    &["-D", "FOO"],
    &["-D", "X", "-B"],
    &[
        "--old-line-format=-%l\n",
        "--new-line-format=+%l\n",
        "--unchanged-line-format= %l\n",
    ],
    &["--changed-group-format=%<%>", "--unchanged-group-format="],
    &["--line-format=%5dn: %L"],
    &[
        "--new-group-format=%dF,%dL %dN %dE %dM%c'\\012'%>",
        "--old-group-format=%(n=1?one:%dn)%c':'%<",
    ],
    &[
        "--unchanged-group-format=%(N=0?:[%xN %oN %XM])\n",
        "--changed-group-format=%-4dn|%04dN|%.3dF\n",
    ],
    &[
        "--old-line-format=%L",
        "--new-line-format=",
        "--unchanged-line-format=",
    ],
    &["-t", "--line-format=%l|%%|%c'x'%q\n"],
];

const WORDS: &[&str] = &[
    "alpha",
    "beta",
    "gamma",
    "delta",
    "",
    "{",
    "}",
    "x",
    "x",
    "return 0;",
    "int main() {",
    "  indented",
    "\tTabbed",
    "END",
    "end",
    "a  b",
    "a b",
    "a b ",
    ".",
    "  ",
    "caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e",
    "ctl\x01\x07x\x0cy",
    "back\x08\x08sp",
    "a\tb\tc\td\te\tf",
    "one long line that is wider than half of the side by side output",
];

fn line(rng: &mut Rng) -> String {
    let w = WORDS[rng.below(WORDS.len())];
    if rng.below(6) == 0 {
        format!("{w} {}", rng.below(5))
    } else {
        w.to_owned()
    }
}

fn text(rng: &mut Rng, max_lines: usize) -> Vec<String> {
    let n = rng.below(max_lines + 1);
    (0..n).map(|_| line(rng)).collect()
}

/// A random edit of `lines`.
fn edit(rng: &mut Rng, lines: &[String]) -> Vec<String> {
    let mut out = lines.to_vec();
    let edits = rng.below(5) + if rng.below(8) == 0 { 8 } else { 0 };
    for _ in 0..edits {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 | 1 => {
                let n = rng.below(3) + 1;
                for _ in 0..n {
                    out.insert(at, line(rng));
                }
            }
            2 | 3 if at < out.len() => {
                let n = (rng.below(3) + 1).min(out.len() - at);
                out.drain(at..at + n);
            }
            4 if at < out.len() => out[at] = line(rng),
            5 if at < out.len() => out[at] = out[at].to_uppercase(),
            6 if at < out.len() => out[at] = format!(" {} ", out[at].replace(' ', "  ")),
            _ => out.insert(at, String::new()),
        }
    }
    out
}

fn render(rng: &mut Rng, lines: &[String]) -> Vec<u8> {
    let crlf = rng.below(10) == 0;
    let mut s = String::new();
    for l in lines {
        s.push_str(l);
        if crlf && rng.below(2) == 0 {
            s.push('\r');
        }
        s.push('\n');
    }
    if !s.is_empty() && rng.below(4) == 0 {
        s.pop();
    }
    let mut bytes = s.into_bytes();
    // Now and then a NUL byte: a binary file (or text, with -a).
    if !bytes.is_empty() && rng.below(40) == 0 {
        let at = rng.below(bytes.len());
        bytes[at] = 0;
    }
    bytes
}

#[test]
fn random_edits_match_gnu_in_every_format() {
    if !gnu_diff_available() {
        eprintln!("GNU diff 3.8 not found at /usr/bin/diff; differential test not run");
        return;
    }
    let rounds: usize = std::env::var("DIFF_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("DIFF_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Rng::new(seed);
    let scratch = Scratch::new("differential");
    let mut failures = Vec::new();
    for round in 0..rounds {
        let max = if round % 10 == 9 { 200 } else { 25 };
        let a = text(&mut rng, max);
        let b = edit(&mut rng, &a);
        let (ba, bb) = (render(&mut rng, &a), render(&mut rng, &b));
        scratch.write("a", &ba);
        scratch.write("b", &bb);
        for opts in OPTION_SETS {
            let args: Vec<&str> = opts.iter().copied().chain(["a", "b"]).collect();
            if let Some(report) = compare(scratch.path(), &args) {
                failures.push(format!(
                    "round {round} (seed {seed}): {report}\n--- a ---\n{}\n--- b ---\n{}",
                    show(&ba),
                    show(&bb)
                ));
            }
        }
        if failures.len() >= 5 {
            break;
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches with GNU diff:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Directory trees with random differences, compared recursively.
#[test]
fn random_trees_match_gnu() {
    if !gnu_diff_available() {
        eprintln!("GNU diff 3.8 not found at /usr/bin/diff; differential test not run");
        return;
    }
    let mut rng = Rng::new(77);
    let scratch = Scratch::new("trees");
    let mut failures = Vec::new();
    for round in 0..15 {
        scratch.reset();
        for side in ["l", "r"] {
            scratch.mkdir(side);
        }
        for k in 0..rng.below(8) + 2 {
            let dir = if rng.below(3) == 0 {
                format!("d{}/", rng.below(3))
            } else {
                String::new()
            };
            let name = format!("{dir}f{k}.txt");
            let lines = text(&mut rng, 6);
            let content = render(&mut rng, &lines);
            match rng.below(4) {
                0 => scratch.write(&format!("l/{name}"), &content),
                1 => scratch.write(&format!("r/{name}"), &content),
                2 => {
                    scratch.write(&format!("l/{name}"), &content);
                    scratch.write(&format!("r/{name}"), &content);
                }
                _ => {
                    scratch.write(&format!("l/{name}"), &content);
                    let lines: Vec<String> = String::from_utf8_lossy(&content)
                        .lines()
                        .map(str::to_owned)
                        .collect();
                    let edited = edit(&mut rng, &lines);
                    let other = render(&mut rng, &edited);
                    scratch.write(&format!("r/{name}"), &other);
                }
            }
        }
        if rng.below(2) == 0 {
            scratch.mkdir("l/emptydir");
        }
        for opts in [
            &["-r"][..],
            &["-ru"],
            &["-rq"],
            &["-rN"],
            &["-rNu"],
            &["--unidirectional-new-file", "-r"],
            &[],
            &["-rs"],
            &["-r", "-x", "*1*"],
            &["-rc", "-x", "d?"],
        ] {
            for (x, y) in [("l", "r"), ("r", "l"), ("l/", "r")] {
                let args: Vec<&str> = opts.iter().copied().chain([x, y]).collect();
                if let Some(report) = compare(scratch.path(), &args) {
                    failures.push(format!("round {round}: {report}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches with GNU diff:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Runs both diffs; a description of the mismatch, if any.
fn compare(dir: &Path, args: &[&str]) -> Option<String> {
    let gnu = run_gnu(dir, args, b"");
    let ours = run_ours(dir, args, b"");
    if gnu.stdout == ours.stdout && gnu.status == ours.status {
        return None;
    }
    Some(format!(
        "diff {}: status GNU {} ours {}\n--- GNU stdout ---\n{}--- our stdout ---\n{}--- our stderr ---\n{}",
        args.join(" "),
        gnu.status,
        ours.status,
        show(&gnu.stdout),
        show(&ours.stdout),
        show(&ours.stderr)
    ))
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).replace('\r', "\\r")
}
