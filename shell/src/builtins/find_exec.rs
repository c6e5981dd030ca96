//! `find … -exec`, `-execdir`, `-ok`, `-okdir`: the guest `find` cannot
//! start processes, so the shell runs the commands.
//!
//! How: the find tool runs with each exec primary replaced by a marker
//! action, `-printf '\001X<n>\0%p\0'` (always true), and with a marker
//! `-printf '\001B\0'` put before the whole expression, so that its output
//! is a stream of per-file records: where each file's evaluation begins,
//! where it reached exec primary `n`, and whatever the expression's own
//! actions (`-print`, `-printf`…) printed in between. The shell then
//! replays that stream in order: it copies the printed text, runs the
//! command at each exec marker, and, when a `;` command fails (the
//! primary is false), drops the rest of that file's record, which is what
//! find does when a primary of an `-a` chain is false.
//!
//! Exact for exec primaries in the expression's top-level `-a` chain or
//! in the last operand of a top-level `-o` (`-name x -exec … \; -print`,
//! `-path ./.git -prune -o -type f -exec … +`). Not reproduced: a failing
//! exec inside `!`, or in the left operand of `-o` or `,`, whose falsity
//! would make find go on with the other operand (find already took it as
//! true); and tests after an exec that depend on what the command did
//! (find evaluated them before the command ran). The walk also happens
//! before any command runs, so commands that change the tree do not change
//! what find visits.
//!
//! `{} +` batches run after the walk (GNU runs them when the walk ends or
//! when a batch reaches its size limit), `-execdir` batches per directory.

use super::program::{self, Launch, Outcome};
use crate::error::{Exec, Flow};
use crate::interp::Interp;
use crate::io::{Capture, Input, Output};
use crate::state::{Attrs, Value, Variable};

/// Most bytes of arguments one `{} +` command gets (GNU's default 128 KiB).
const BATCH_BYTES: usize = 128 * 1024;

/// Primaries taking one argument (so that `-name -exec` is no exec).
const ONE_ARGUMENT: &[&str] = &[
    "-amin",
    "-anewer",
    "-atime",
    "-cmin",
    "-cnewer",
    "-context",
    "-ctime",
    "-files0-from",
    "-fls",
    "-fprint",
    "-fprint0",
    "-fstype",
    "-gid",
    "-group",
    "-ilname",
    "-iname",
    "-inum",
    "-ipath",
    "-iregex",
    "-iwholename",
    "-links",
    "-lname",
    "-maxdepth",
    "-mindepth",
    "-mmin",
    "-mtime",
    "-name",
    "-newer",
    "-path",
    "-perm",
    "-printf",
    "-regex",
    "-regextype",
    "-samefile",
    "-size",
    "-type",
    "-uid",
    "-used",
    "-user",
    "-wholename",
    "-xtype",
];

/// The four primaries that run commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exec,
    ExecDir,
    Ok,
    OkDir,
}

impl Kind {
    fn parse(word: &str) -> Option<Kind> {
        match word {
            "-exec" => Some(Kind::Exec),
            "-execdir" => Some(Kind::ExecDir),
            "-ok" => Some(Kind::Ok),
            "-okdir" => Some(Kind::OkDir),
            _ => None,
        }
    }

    fn in_dir(self) -> bool {
        matches!(self, Kind::ExecDir | Kind::OkDir)
    }

    fn asks(self) -> bool {
        matches!(self, Kind::Ok | Kind::OkDir)
    }
}

/// One exec primary: its command (with `{}` placeholders) and whether it
/// batches (`{} +`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ExecSpec {
    kind: Kind,
    command: Vec<String>,
    batch: bool,
}

/// The rewritten find command and the exec primaries it stands for.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    tool_argv: Vec<String>,
    execs: Vec<ExecSpec>,
    /// The starting points (GNU gives each its own `-execdir … +` batch).
    starts: Vec<String>,
}

/// True if `argv` is a find command with an exec primary (to intercept).
pub(crate) fn has_exec(argv: &[String]) -> bool {
    !matches!(plan(argv), Ok(None))
}

/// The hook in dispatch: runs `find` with exec primaries here; `None`
/// for any other command. `env` holds the command's prefix assignments.
pub(crate) async fn intercept(
    sh: &mut Interp,
    argv: &[String],
    env: &[(String, String)],
) -> Exec<Option<Flow>> {
    if argv[0] != "find" || !has_exec(argv) {
        return Ok(None);
    }
    let status = if env.is_empty() {
        run(sh, argv.to_vec()).await?
    } else {
        // `X=1 find … -exec`: the assignments reach the commands only.
        let mut child = sh.subshell();
        for (name, value) in env {
            child.state.vars.insert(
                name,
                Variable {
                    value: Some(Value::Scalar(value.clone())),
                    attrs: Attrs {
                        exported: true,
                        ..Attrs::default()
                    },
                },
            );
        }
        run(&mut child, argv.to_vec()).await?
    };
    sh.set_status(status);
    Ok(Some(Flow::Normal))
}

/// Runs a find command that has exec primaries; returns find's status.
pub(crate) async fn run(sh: &mut Interp, argv: Vec<String>) -> Exec<i32> {
    let plan = match plan(&argv) {
        Ok(Some(plan)) => plan,
        Ok(None) => unreachable!("run only for commands with an exec primary"),
        Err(message) => {
            write_err(sh, &format!("find: {message}\n")).await;
            return Ok(1);
        }
    };
    if sh.env.runner.lookup("find").await.is_none() {
        sh.error_line("find: command not found").await;
        return Ok(127);
    }
    let capture = Capture::new(sh.env.limits.max_output_bytes);
    let launch = Launch {
        stdout: Some(Output::Capture(capture.clone())),
        ..Launch::default()
    };
    let find_status = match program::run_tool(sh, plan.tool_argv.clone(), launch).await? {
        Outcome::Exited(status) => status,
        Outcome::Signaled(signal) => 128 + signal,
        Outcome::TimedOut => 124,
        Outcome::NotFound | Outcome::NotExecutable => 127,
        Outcome::Failed(message) => {
            write_err(sh, &format!("find: {message}\n")).await;
            return Ok(1);
        }
    };
    let output = capture.take();
    let mut replay = Replay {
        execs: &plan.execs,
        starts: &plan.starts,
        batches: vec![Batch::default(); plan.execs.len()],
        failed: false,
    };
    replay.events(sh, &output).await?;
    replay.flush_all(sh).await?;
    Ok(if replay.failed {
        find_status.max(1)
    } else {
        find_status
    })
}

/// Splits find's arguments into the tool's (exec primaries replaced by
/// markers) and the exec primaries. `Ok(None)`: no exec primary; `Err`:
/// GNU find's message for a malformed one.
fn plan(argv: &[String]) -> Result<Option<Plan>, String> {
    let mut i = 1;
    while i < argv.len() {
        match argv[i].as_str() {
            "-H" | "-L" | "-P" => i += 1,
            "-D" => i += 2,
            word if word.starts_with("-O") => i += 1,
            _ => break,
        }
    }
    let i = i.min(argv.len());
    let is_expression = |word: &str| {
        (word.starts_with('-') && word.len() > 1) || matches!(word, "(" | "!" | ")" | ",")
    };
    let start = (i..argv.len())
        .find(|&j| is_expression(&argv[j]))
        .unwrap_or(argv.len());
    let mut expression = Vec::new();
    let mut execs = Vec::new();
    let mut j = start;
    while j < argv.len() {
        let word = argv[j].as_str();
        if let Some(kind) = Kind::parse(word) {
            let (spec, next) = exec_spec(argv, j, kind)?;
            expression.push("-printf".to_string());
            expression.push(format!("\\001X{}\\0%p\\0", execs.len()));
            execs.push(spec);
            j = next;
            continue;
        }
        let arguments = if word == "-fprintf" {
            2
        } else if ONE_ARGUMENT.contains(&word) || (word.starts_with("-newer") && word.len() == 8) {
            1
        } else {
            0
        };
        let end = (j + 1 + arguments).min(argv.len());
        expression.extend(argv[j..end].iter().cloned());
        j = end;
    }
    if execs.is_empty() {
        return Ok(None);
    }
    let mut tool_argv: Vec<String> = argv[..start].to_vec();
    tool_argv.push("-printf".to_string());
    tool_argv.push("\\001B\\0".to_string());
    tool_argv.push("(".to_string());
    tool_argv.extend(expression);
    tool_argv.push(")".to_string());
    let starts = argv[i..start].to_vec();
    Ok(Some(Plan {
        tool_argv,
        execs,
        starts,
    }))
}

/// Parses the exec primary at `argv[at]`; returns it and the index after
/// its terminator. Follows GNU find's rules: `;` ends the command, `+`
/// does too right after an argument containing `{}` (not for `-ok`).
fn exec_spec(argv: &[String], at: usize, kind: Kind) -> Result<(ExecSpec, usize), String> {
    let name = &argv[at];
    let start = at + 1;
    let mut end = start;
    let mut batch = false;
    let mut saw_braces = false;
    let mut braces = 0;
    let mut brace_arg = "";
    while end < argv.len() && argv[end] != ";" {
        if !kind.asks() && argv[end] == "+" && saw_braces {
            batch = true;
            break;
        }
        saw_braces = argv[end].contains("{}");
        if saw_braces {
            braces += 1;
            brace_arg = &argv[end];
            if end == start && kind.in_dir() {
                return Err("You may not use {} within the utility name for -execdir and -okdir, because this is a potential security problem.".to_string());
            }
        }
        end += 1;
    }
    if end == argv.len() {
        return Err(format!("missing argument to `{name}'"));
    }
    if end == start {
        return Err(format!("invalid argument `{}' to `{name}'", argv[end]));
    }
    if batch {
        let suffix = if kind == Kind::ExecDir { "dir" } else { "" };
        if braces > 1 {
            return Err(format!(
                "Only one instance of {{}} is supported with -exec{suffix} ... +"
            ));
        }
        if brace_arg != "{}" {
            return Err(format!(
                "In '-exec{suffix} ... {{}} +' the '{{}}' must appear by itself, but you specified '{brace_arg}'"
            ));
        }
    }
    let spec = ExecSpec {
        kind,
        command: argv[start..end].to_vec(),
        batch,
    };
    Ok((spec, end + 1))
}

/// One piece of the marked-up output of the find tool.
#[derive(Debug, PartialEq, Eq)]
enum Event<'a> {
    /// A file's evaluation begins.
    Begin,
    /// Text the expression's own actions printed.
    Text(&'a [u8]),
    /// The file reached exec primary `n`.
    Exec(usize, &'a [u8]),
}

/// Splits the tool's output into events.
fn events(data: &[u8]) -> Vec<Event<'_>> {
    let mut events = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(offset) = data[at..].iter().position(|&b| b == 1) {
        let mark = at + offset;
        let parsed = marker(&data[mark + 1..]);
        let Some((event, length)) = parsed else {
            at = mark + 1;
            continue;
        };
        if mark > text_start {
            events.push(Event::Text(&data[text_start..mark]));
        }
        events.push(event);
        at = mark + 1 + length;
        text_start = at;
    }
    if text_start < data.len() {
        events.push(Event::Text(&data[text_start..]));
    }
    events
}

/// The marker at the start of `rest` (just after its `\001`) and its length.
fn marker(rest: &[u8]) -> Option<(Event<'_>, usize)> {
    if rest.starts_with(b"B\0") {
        return Some((Event::Begin, 2));
    }
    let body = rest.strip_prefix(b"X")?;
    let digits = body.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || body.get(digits) != Some(&0) {
        return None;
    }
    let index: usize = std::str::from_utf8(&body[..digits]).ok()?.parse().ok()?;
    let path_start = digits + 1;
    let path_len = body[path_start..].iter().position(|&b| b == 0)?;
    let path = &body[path_start..path_start + path_len];
    Some((Event::Exec(index, path), 1 + path_start + path_len + 1))
}

/// Paths waiting for a `{} +` command, and the directory they are in
/// (for `-execdir`).
#[derive(Debug, Clone, Default)]
struct Batch {
    dir: String,
    /// What paths must share to join the batch: their directory, or for a
    /// starting point, itself.
    key: String,
    paths: Vec<String>,
    bytes: usize,
}

/// Replays the tool's output: text, commands, batches.
struct Replay<'a> {
    execs: &'a [ExecSpec],
    starts: &'a [String],
    batches: Vec<Batch>,
    /// A command could not run or a batch failed: find's status is 1.
    failed: bool,
}

impl Replay<'_> {
    async fn events(&mut self, sh: &mut Interp, output: &[u8]) -> Exec<()> {
        let mut skipping = false;
        for event in events(output) {
            match event {
                Event::Begin => skipping = false,
                Event::Text(text) => {
                    if !skipping {
                        sh.out("find", text).await?;
                    }
                }
                Event::Exec(index, path) => {
                    if skipping {
                        continue;
                    }
                    let path = String::from_utf8_lossy(path).into_owned();
                    let Some(spec) = self.execs.get(index) else {
                        continue;
                    };
                    if spec.batch {
                        self.add(sh, index, path).await?;
                    } else if !self.run_one(sh, spec, &path).await? {
                        skipping = true;
                    }
                }
            }
        }
        Ok(())
    }

    /// Runs a `;` command for `path`; returns the primary's truth.
    async fn run_one(&mut self, sh: &mut Interp, spec: &ExecSpec, path: &str) -> Exec<bool> {
        let (dir, name) = locate(sh, spec.kind, path);
        if spec.kind.asks() && !ask(sh, &spec.command[0], path).await {
            return Ok(false);
        }
        let argv: Vec<String> = spec
            .command
            .iter()
            .map(|a| a.replace("{}", &name))
            .collect();
        self.launch(sh, spec, argv, dir).await
    }

    /// Adds `path` to batch `index`, running the batch first if it is full
    /// or (for `-execdir`) in another directory.
    async fn add(&mut self, sh: &mut Interp, index: usize, path: String) -> Exec<()> {
        let spec = &self.execs[index];
        let (dir, name) = locate(sh, spec.kind, &path);
        let key = if spec.kind.in_dir() && self.starts.contains(&path) {
            format!("{dir}\0{path}")
        } else {
            dir.clone()
        };
        let batch = &self.batches[index];
        let fixed: usize = spec.command.iter().map(|a| a.len() + 1).sum();
        let full = fixed + batch.bytes + name.len() + 1 > BATCH_BYTES;
        if !batch.paths.is_empty() && (full || batch.key != key) {
            self.flush(sh, index).await?;
        }
        let batch = &mut self.batches[index];
        batch.dir = dir;
        batch.key = key;
        batch.bytes += name.len() + 1;
        batch.paths.push(name);
        Ok(())
    }

    async fn flush_all(&mut self, sh: &mut Interp) -> Exec<()> {
        for index in 0..self.batches.len() {
            if !self.batches[index].paths.is_empty() {
                self.flush(sh, index).await?;
            }
        }
        Ok(())
    }

    /// Runs batch `index`: the command without its final `{}`, then the
    /// paths.
    async fn flush(&mut self, sh: &mut Interp, index: usize) -> Exec<()> {
        let batch = std::mem::take(&mut self.batches[index]);
        let spec = &self.execs[index];
        let mut argv: Vec<String> = spec.command[..spec.command.len() - 1].to_vec();
        argv.extend(batch.paths);
        if !self.launch(sh, spec, argv, batch.dir).await? {
            self.failed = true;
        }
        Ok(())
    }

    /// Starts one command; true if it exited with status 0.
    async fn launch(
        &mut self,
        sh: &mut Interp,
        spec: &ExecSpec,
        argv: Vec<String>,
        dir: String,
    ) -> Exec<bool> {
        let shown = argv[0].clone();
        let launch = Launch {
            cwd: Some(dir),
            // -ok's command must not eat the answers to the next prompts.
            stdin: spec.kind.asks().then(|| Input::Empty),
            ..Launch::default()
        };
        let why = match program::run(sh, argv, launch).await? {
            Outcome::Exited(status) => return Ok(status == 0),
            Outcome::Signaled(_) | Outcome::TimedOut => return Ok(false),
            Outcome::NotFound => "No such file or directory".to_string(),
            Outcome::NotExecutable => "Permission denied".to_string(),
            Outcome::Failed(message) => message,
        };
        write_err(sh, &format!("find: '{shown}': {why}\n")).await;
        self.failed |= spec.batch;
        Ok(false)
    }
}

/// Where a command for `path` runs and what `{}` becomes: the shell's
/// directory and the path itself, or for `-execdir` the file's directory
/// and `./name`.
fn locate(sh: &Interp, kind: Kind, path: &str) -> (String, String) {
    if !kind.in_dir() {
        return (sh.state.cwd.clone(), path.to_string());
    }
    let trimmed = path.trim_end_matches('/');
    let (dir, base) = match trimmed.rsplit_once('/') {
        Some(("", base)) => ("/", base),
        Some((dir, base)) => (dir, base),
        None if trimmed.is_empty() => ("/", "/"),
        None => (".", trimmed),
    };
    let name = if base == "/" {
        "/".to_string()
    } else {
        format!("./{base}")
    };
    (sh.absolute_path(dir), name)
}

/// `-ok`'s question on stderr, `< cmd ... path > ? `; reads the answer
/// from stdin (yes if it starts with `y` or `Y`).
async fn ask(sh: &mut Interp, command: &str, path: &str) -> bool {
    write_err(sh, &format!("< {command} ... {path} > ? ")).await;
    let input = sh.state.fds.stdin();
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    // One byte at a time: the rest of stdin belongs to the next prompts.
    while let Ok(1) = input.read(&mut byte).await {
        if byte[0] == b'\n' {
            break;
        }
        line.push(byte[0]);
    }
    matches!(line.first(), Some(b'y' | b'Y'))
}

async fn write_err(sh: &mut Interp, text: &str) {
    let _ = sh.state.fds.stderr().write_all(text.as_bytes()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn rewrites_exec_primaries_into_markers() {
        let plan = plan(&argv(&[
            "find", "-L", ".", "-name", "-exec", "-exec", "grep", "-l", "x", "{}", ";", "-print",
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(
            plan.tool_argv,
            argv(&[
                "find",
                "-L",
                ".",
                "-printf",
                "\\001B\\0",
                "(",
                "-name",
                "-exec",
                "-printf",
                "\\001X0\\0%p\\0",
                "-print",
                ")"
            ])
        );
        assert_eq!(plan.execs[0].command, argv(&["grep", "-l", "x", "{}"]));
        assert!(!plan.execs[0].batch);
        assert_eq!(super::plan(&argv(&["find", ".", "-name", "x"])), Ok(None));
    }

    #[test]
    fn plus_ends_a_command_only_after_braces() {
        let plan = plan(&argv(&["find", "-exec", "echo", "{}", "+"]))
            .unwrap()
            .unwrap();
        assert!(plan.execs[0].batch);
        assert_eq!(
            super::plan(&argv(&["find", "a", "-exec", "echo", "{}", "x", "+"])),
            Err("missing argument to `-exec'".to_string())
        );
        assert_eq!(
            super::plan(&argv(&["find", "-exec", "echo", "x{}", "+"])),
            Err(
                "In '-exec ... {} +' the '{}' must appear by itself, but you specified 'x{}'"
                    .to_string()
            )
        );
        assert_eq!(
            super::plan(&argv(&["find", "-exec", "echo", "{}", "{}", "+"])),
            Err("Only one instance of {} is supported with -exec ... +".to_string())
        );
        assert_eq!(
            super::plan(&argv(&["find", "-exec", ";"])),
            Err("invalid argument `;' to `-exec'".to_string())
        );
        assert_eq!(
            super::plan(&argv(&["find", "-ok", "echo", "{}", "+"])),
            Err("missing argument to `-ok'".to_string())
        );
        assert_eq!(
            super::plan(&argv(&["find", "-execdir", "{}", ";"])),
            Err("You may not use {} within the utility name for -execdir and -okdir, because this is a potential security problem.".to_string())
        );
    }

    #[test]
    fn splits_the_marked_up_stream() {
        let data = b"\x01B\0./a\n\x01X0\0./a\0tail\x01x\x01B\0";
        assert_eq!(
            events(data),
            vec![
                Event::Begin,
                Event::Text(b"./a\n"),
                Event::Exec(0, b"./a"),
                Event::Text(b"tail\x01x"),
                Event::Begin,
            ]
        );
    }
}
