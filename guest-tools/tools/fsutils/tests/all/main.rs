//! Integration tests for `stat` and `du`: expectations as data, and
//! differential checks against GNU coreutils on temporary trees (lines are
//! compared sorted where GNU's order is the directory's hash order).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wa-fsutils-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("t/sub/deep")).unwrap();
    std::fs::write(dir.join("t/b"), b"big\n").unwrap();
    std::fs::write(dir.join("t/empty"), b"").unwrap();
    std::fs::write(dir.join("t/sub/f"), vec![b'x'; 5000]).unwrap();
    std::fs::write(dir.join("t/sub/deep/g"), vec![b'y'; 9000]).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("sub/f", dir.join("t/link")).unwrap();
    // Reading the link once settles its atime (relatime), so the stat runs
    // compared below do not see each other's readlink.
    let _ = std::fs::read_link(dir.join("t/link"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let _ = std::fs::read_link(dir.join("t/link"));
    dir
}

fn ours(tool: &str, dir: &Path, args: &[&str]) -> (String, String, i32) {
    let argv: Vec<OsString> = std::iter::once(tool)
        .chain(args.iter().copied())
        .map(OsString::from)
        .collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let cwd = std::env::current_dir().unwrap();
    // The tools take paths relative to the working directory, like GNU's.
    let _lock = CWD.lock().unwrap();
    std::env::set_current_dir(dir).unwrap();
    let code = match tool {
        "stat" => wa_fsutils::stat_run(&argv, &mut out, &mut err),
        _ => wa_fsutils::du_run(&argv, &mut out, &mut err),
    };
    std::env::set_current_dir(cwd).unwrap();
    (
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
        code,
    )
}

static CWD: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn gnu(tool: &str, dir: &Path, args: &[&str]) -> Option<(String, i32)> {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .ok()?;
    Some((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    ))
}

fn sorted(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().collect();
    v.sort();
    v
}

/// `stat` argument lists compared with GNU stat.
const STAT_CASES: &[&[&str]] = &[
    &["t/b"],
    &["t"],
    &["t/link"],
    &["-L", "t/link"],
    &["t/empty", "t/sub"],
    &["-t", "t/b"],
    &[
        "-c",
        "%n|%N|%s|%F|%i|%h|%Y|%X|%Z|%y|%a|%A|%U|%G|%u|%g|%b|%B|%o|%d|%%",
        "t/b",
        "t/link",
        "t",
        "t/empty",
    ],
    &["--format=%-8n|%8s|%04a|%.3A|", "t/b"],
    &["--printf=%n\\t%s\\n", "t/b", "t/sub/f"],
];

/// `du` argument lists compared with GNU du.
const DU_CASES: &[&[&str]] = &[
    &["t"],
    &["-a", "t"],
    &["-s", "t"],
    &["-sh", "t"],
    &["-c", "t", "t/b"],
    &["-b", "t"],
    &["--apparent-size", "-a", "t"],
    &["-m", "t"],
    &["-k", "-d", "1", "t"],
    &["--max-depth=0", "t/sub", "t/b"],
    &["-ah", "t"],
];

#[test]
fn stat_matches_gnu() {
    let dir = scratch("stat");
    if gnu("stat", &dir, &["--version"]).is_none() {
        eprintln!("GNU stat not installed; skipping");
        return;
    }
    for args in STAT_CASES {
        let (want, want_code) = gnu("stat", &dir, args).unwrap();
        let (got, _, code) = ours("stat", &dir, args);
        assert_eq!(
            (got.as_str(), code),
            (want.as_str(), want_code),
            "stat {args:?}"
        );
    }
}

#[test]
fn du_matches_gnu() {
    let dir = scratch("du");
    if gnu("du", &dir, &["--version"]).is_none() {
        eprintln!("GNU du not installed; skipping");
        return;
    }
    for args in DU_CASES {
        let (want, want_code) = gnu("du", &dir, args).unwrap();
        let (got, _, code) = ours("du", &dir, args);
        assert_eq!(
            (sorted(&got), code),
            (sorted(&want), want_code),
            "du {args:?}"
        );
        // Post-order: the operand itself comes last.
        assert_eq!(got.lines().last(), want.lines().last(), "du {args:?}");
    }
}

#[test]
fn errors_like_gnu() {
    let dir = scratch("errors");
    let (_, err, code) = ours("stat", &dir, &["t/b", "missing"]);
    assert_eq!(
        (err.as_str(), code),
        (
            "stat: cannot statx 'missing': No such file or directory\n",
            1
        )
    );
    let (_, err, code) = ours("du", &dir, &["missing"]);
    assert_eq!(
        (err.as_str(), code),
        (
            "du: cannot access 'missing': No such file or directory\n",
            1
        )
    );
    let (_, err, code) = ours("stat", &dir, &[]);
    assert_eq!(
        (err.as_str(), code),
        (
            "stat: missing operand\nTry 'stat --help' for more information.\n",
            1
        )
    );
    let (out, _, code) = ours("du", &dir, &["-s", "t/sub/deep/g"]);
    assert_eq!((out.as_str(), code), ("12\tt/sub/deep/g\n", 0));
}

#[test]
fn ext4_block_emulation() {
    use wa_fsutils::meta::{ext4_blocks, Kind};
    assert_eq!(ext4_blocks(Kind::File, 0), 0);
    assert_eq!(ext4_blocks(Kind::File, 1), 8);
    assert_eq!(ext4_blocks(Kind::File, 4097), 16);
    assert_eq!(ext4_blocks(Kind::Dir, 0), 8);
    assert_eq!(ext4_blocks(Kind::Symlink, 5), 0);
}
