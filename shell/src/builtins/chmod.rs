//! `chmod`: sets permission bits in the sandbox's filesystem, with GNU
//! chmod's modes, options, messages and statuses.
//!
//! A builtin rather than a guest tool because WASI preview 1 has no call
//! that changes a mode. The execute bit matters: `./script.sh` runs only
//! when it is set (bash's 126 otherwise), and `[ -x ]` reads it.

mod mode;

use self::mode::{symbolic, Mode};
use super::{done, Ret};
use crate::error::Exec;
use crate::interp::{BoxFuture, Interp};
use wasm_agent_vfs::{path::join_normalized, Metadata};

/// Letters that make an argument starting with `-` a mode, not options.
const MODE_LETTERS: &str = "rwxXstugoa,+-=01234567";

/// What `-c`, `-v` and `-f` ask to be told.
#[derive(Debug, Clone, Copy, Default)]
struct Report {
    changes: bool,
    verbose: bool,
    quiet: bool,
}

/// `chmod [-cfvR] MODE[,MODE]... FILE...` and `chmod --reference=RFILE FILE...`
pub(crate) fn run(sh: &mut Interp, argv: Vec<String>) -> BoxFuture<'_, Exec<Ret>> {
    Box::pin(async move {
        let mut report = Report::default();
        let mut recursive = false;
        let mut reference = None;
        let mut operands = Vec::new();
        let mut options_done = false;
        for arg in &argv[1..] {
            if options_done || !arg.starts_with('-') || arg == "-" || Mode::parse(arg).is_some() {
                operands.push(arg.clone());
                continue;
            }
            match arg.as_str() {
                "--" => options_done = true,
                "--silent" | "--quiet" => report.quiet = true,
                "--changes" => report.changes = true,
                "--verbose" => report.verbose = true,
                "--recursive" => recursive = true,
                "--no-preserve-root" | "--preserve-root" => {}
                "--help" => {
                    sh.out("chmod", HELP.as_bytes()).await?;
                    return done(0);
                }
                long if long.starts_with("--reference=") => {
                    reference = Some(long["--reference=".len()..].to_string());
                }
                long if long.starts_with("--") => {
                    return usage_error(sh, &format!("unrecognized option '{long}'")).await;
                }
                // GNU's getopt takes a mode letter as the start of a mode
                // (`-w`), so `-fw` is the mode `-fw`, which is invalid.
                short if short[1..].contains(|c| MODE_LETTERS.contains(c)) => {
                    operands.push(short.to_string());
                }
                short => {
                    for letter in short[1..].chars() {
                        match letter {
                            'f' => report.quiet = true,
                            'c' => report.changes = true,
                            'v' => report.verbose = true,
                            'R' => recursive = true,
                            other => {
                                return usage_error(sh, &format!("invalid option -- '{other}'"))
                                    .await
                            }
                        }
                    }
                }
            }
        }
        let (change, files) = match reference {
            Some(file) => {
                let path = sh.absolute_path(&file);
                match sh.env.fs.metadata(&path).await {
                    Ok(meta) => (Change::Copy(meta.mode & 0o7777), &operands[..]),
                    Err(err) => {
                        let message = format!("failed to get attributes of '{file}'");
                        return fail(sh, &format!("{message}: {}", err.errno())).await;
                    }
                }
            }
            None => {
                let Some((text, files)) = operands.split_first() else {
                    return usage_error(sh, "missing operand").await;
                };
                if files.is_empty() {
                    return usage_error(sh, &format!("missing operand after '{text}'")).await;
                }
                let Some(mode) = Mode::parse(text) else {
                    return usage_error(sh, &format!("invalid mode: '{text}'")).await;
                };
                (Change::Mode(mode), files)
            }
        };
        if files.is_empty() {
            return usage_error(sh, "missing operand").await;
        }
        let mut failed = false;
        for file in files {
            let path = sh.absolute_path(file);
            failed |= !chmod_tree(sh, &change, file, &path, recursive, report).await?;
        }
        done(i32::from(failed))
    })
}

/// The mode to set: parsed from the command line or copied from a file.
enum Change {
    Mode(Mode),
    Copy(u32),
}

impl Change {
    fn apply(&self, old: u32, dir: bool, umask: u32) -> u32 {
        match self {
            Change::Mode(mode) => mode.apply(old, dir, umask),
            Change::Copy(mode) => *mode,
        }
    }
}

/// Changes `path` (shown as `name`) and, with `-R`, everything below it,
/// parents before children. Symbolic links met while recursing are left
/// alone, as GNU's default `-P` does. False if anything failed.
async fn chmod_tree(
    sh: &mut Interp,
    change: &Change,
    name: &str,
    path: &str,
    recursive: bool,
    report: Report,
) -> Exec<bool> {
    let mut ok = true;
    let mut todo = vec![(name.to_string(), path.to_string(), true)];
    while let Some((name, path, top)) = todo.pop() {
        if !top {
            let is_link = sh
                .env
                .fs
                .symlink_metadata(&path)
                .await
                .is_ok_and(|m| m.is_symlink());
            if is_link {
                if report.verbose {
                    let line =
                        format!("neither symbolic link '{name}' nor referent has been changed\n");
                    sh.out("chmod", line.as_bytes()).await?;
                }
                continue;
            }
        }
        let meta = match sh.env.fs.metadata(&path).await {
            Ok(meta) => meta,
            Err(err) => {
                if !report.quiet {
                    if report.verbose {
                        let line = format!("'{name}' could not be accessed\n");
                        sh.out("chmod", line.as_bytes()).await?;
                    }
                    let message = format!("cannot access '{name}': {}", err.errno());
                    sh.tool_error("chmod", &message).await;
                }
                ok = false;
                continue;
            }
        };
        ok &= chmod_one(sh, change, &name, &path, &meta, report).await?;
        if recursive && meta.is_dir() {
            let entries = match sh.env.fs.read_dir(&path).await {
                Ok(entries) => entries,
                Err(err) => {
                    if !report.quiet {
                        let message = format!("cannot read directory '{name}': {}", err.errno());
                        sh.tool_error("chmod", &message).await;
                    }
                    ok = false;
                    continue;
                }
            };
            for entry in entries.into_iter().rev() {
                let child_name = format!("{}/{}", name.trim_end_matches('/'), entry.name);
                let child_path = join_normalized(&path, &entry.name).unwrap_or_default();
                todo.push((child_name, child_path, false));
            }
        }
    }
    Ok(ok)
}

/// Sets one file's mode and reports as GNU chmod does.
async fn chmod_one(
    sh: &mut Interp,
    change: &Change,
    name: &str,
    path: &str,
    meta: &Metadata,
    report: Report,
) -> Exec<bool> {
    let umask = sh.state.umask;
    let old = meta.mode & 0o7777;
    let new = change.apply(old, meta.is_dir(), umask);
    if new != old {
        if let Err(err) = sh.env.fs.set_mode(path, new).await {
            if !report.quiet {
                let message = format!("changing permissions of '{name}': {}", err.errno());
                sh.tool_error("chmod", &message).await;
            }
            return Ok(false);
        }
    }
    if report.verbose || (report.changes && new != old) {
        let line = if new == old {
            format!(
                "mode of '{name}' retained as {old:04o} ({})\n",
                symbolic(old)
            )
        } else {
            format!(
                "mode of '{name}' changed from {old:04o} ({}) to {new:04o} ({})\n",
                symbolic(old),
                symbolic(new)
            )
        };
        sh.out("chmod", line.as_bytes()).await?;
    }
    // A mode without classes is limited by the umask; GNU tells when that
    // left bits the user did not ask for.
    if let Change::Mode(mode) = change {
        if mode.uses_umask() {
            let naive = mode.apply(old, meta.is_dir(), 0);
            if new & !naive != 0 {
                if !report.quiet {
                    let message = format!(
                        "{name}: new permissions are {}, not {}",
                        symbolic(new),
                        symbolic(naive)
                    );
                    sh.tool_error("chmod", &message).await;
                }
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// An error that ends chmod before any file is changed.
async fn fail(sh: &mut Interp, message: &str) -> Exec<Ret> {
    sh.tool_error("chmod", message).await;
    done(1)
}

/// GNU's two lines for a usage error, status 1.
async fn usage_error(sh: &mut Interp, message: &str) -> Exec<Ret> {
    let text = format!("chmod: {message}\nTry 'chmod --help' for more information.\n");
    let _ = sh.state.fds.stderr().write_all(text.as_bytes()).await;
    done(1)
}

const HELP: &str = "\
Usage: chmod [OPTION]... MODE[,MODE]... FILE...
  or:  chmod [OPTION]... --reference=RFILE FILE...
Change the mode of each FILE to MODE.
With --reference, change the mode of each FILE to that of RFILE.

  -c, --changes          like verbose but report only when a change is made
  -f, --silent, --quiet  suppress most error messages
  -v, --verbose          output a diagnostic for every file processed
      --reference=RFILE  use RFILE's mode instead of specifying MODE values
  -R, --recursive        change files and directories recursively
      --help             display this help and exit

Each MODE is of the form '[ugoa]*([-+=]([rwxXst]*|[ugo]))+|[-+=][0-7]+'.
";
