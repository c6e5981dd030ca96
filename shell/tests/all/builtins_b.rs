//! Builtins that run or describe other commands: `type`, `command`,
//! `which`, `hash`, `alias`, `trap`, `wait`, `env`, `timeout`, `xargs` and
//! `find -exec`. Expected outputs are GNU bash 5.2's, findutils 4.9's and
//! coreutils 9.1's (C locale).
//!
//! Programs come from [`FakeTools`], a small command runner over the
//! same in-memory filesystem: `echo`, `cat`, `pwd`, `printenv`, `sleep`,
//! `false`, `status N`, and a `find` that knows enough of the real one
//! (`-name -type -maxdepth -print -print0 -printf ( ) ! -o`) to stand in
//! for the guest tool.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasm_agent_shell::io::Input;
use wasm_agent_shell::{
    CommandKind, CommandRunner, ExecOptions, ExecResult, Invocation, RunnerError, Shell,
};
use wasm_agent_vfs::{MemFs, Vfs};

/// A runner with a handful of tools, enough to watch programs run.
struct FakeTools {
    fs: Arc<MemFs>,
}

const TOOLS: &[&str] = &[
    "cat", "echo", "false", "find", "printenv", "pwd", "sleep", "status", "true",
];

#[async_trait]
impl CommandRunner for FakeTools {
    async fn lookup(&self, name: &str) -> Option<CommandKind> {
        TOOLS.contains(&name).then_some(CommandKind::Tool)
    }

    async fn run(&self, inv: Invocation) -> Result<i32, RunnerError> {
        let args = &inv.argv[1..];
        let out = |text: String| {
            let stdout = inv.stdout.clone();
            async move { stdout.write_all(text.as_bytes()).await.map_or(141, |_| 0) }
        };
        let status = match inv.argv[0].as_str() {
            "echo" => out(format!("{}\n", args.join(" "))).await,
            "true" => 0,
            "false" => 1,
            "status" => args[0].parse().unwrap(),
            "pwd" => out(format!("{}\n", inv.cwd)).await,
            "printenv" => {
                let mut text = String::new();
                for (name, value) in &inv.env {
                    if args.is_empty() {
                        text.push_str(&format!("{name}={value}\n"));
                    } else if args.contains(name) {
                        text.push_str(&format!("{value}\n"));
                    }
                }
                out(text).await
            }
            "cat" => {
                let mut data = Vec::new();
                if args.is_empty() {
                    data = inv.stdin.read_to_end().await.unwrap_or_default();
                }
                for file in args {
                    let path = absolute(&inv.cwd, file);
                    match self.fs.read_file(&path).await {
                        Ok(bytes) => data.extend(bytes),
                        Err(_) => {
                            let message = format!("cat: {file}: No such file or directory\n");
                            let _ = inv.stderr.write_all(message.as_bytes()).await;
                            return Ok(1);
                        }
                    }
                }
                inv.stdout.write_all(&data).await.map_or(141, |_| 0)
            }
            "sleep" => {
                let wanted = Duration::from_secs_f64(args[0].parse().unwrap());
                let end = Instant::now() + wanted;
                match inv.deadline {
                    Some(deadline) if deadline < end => {
                        tokio::time::sleep_until(deadline.into()).await;
                        124
                    }
                    _ => {
                        tokio::time::sleep(wanted).await;
                        0
                    }
                }
            }
            "find" => find(&self.fs, &inv).await,
            other => return Err(RunnerError::new(format!("{other}: not a fake tool"))),
        };
        Ok(status)
    }
}

fn absolute(cwd: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else if cwd == "/" {
        format!("/{path}")
    } else {
        format!("{cwd}/{path}")
    }
}

/// The fake `find`: starting points, then an expression of `-name`,
/// `-type`, `-maxdepth`, `-print`, `-print0`, `-printf` (`%p`, `\0`,
/// `\NNN`, `\n`), `(`, `)`, `!`, `-a`, `-o`. Walks in name order.
async fn find(fs: &MemFs, inv: &Invocation) -> i32 {
    let args = &inv.argv[1..];
    let first = args
        .iter()
        .position(|a| a.starts_with('-') || a == "(" || a == "!")
        .unwrap_or(args.len());
    let mut starts: Vec<String> = args[..first].to_vec();
    if starts.is_empty() {
        starts.push(".".to_string());
    }
    let tokens = &args[first..];
    let max_depth = tokens
        .iter()
        .position(|t| t == "-maxdepth")
        .map(|i| tokens[i + 1].parse::<usize>().unwrap())
        .unwrap_or(usize::MAX);
    let has_action = tokens.iter().any(|t| t.starts_with("-print"));
    let mut output = Vec::new();
    let mut status = 0;
    for start in starts {
        let mut stack = vec![(start.clone(), 0usize)];
        while let Some((path, depth)) = stack.pop() {
            let full = absolute(&inv.cwd, &path);
            let Ok(meta) = fs.metadata(&full).await else {
                let message = format!("find: '{path}': No such file or directory\n");
                let _ = inv.stderr.write_all(message.as_bytes()).await;
                status = 1;
                continue;
            };
            let mut at = 0;
            let matched = eval(tokens, &mut at, &path, meta.is_dir(), &mut output);
            if matched && !has_action {
                output.extend_from_slice(format!("{path}\n").as_bytes());
            }
            if meta.is_dir() && depth < max_depth {
                let entries = fs.read_dir(&full).await.unwrap();
                for entry in entries.iter().rev() {
                    let child = if path.ends_with('/') {
                        format!("{path}{}", entry.name)
                    } else {
                        format!("{path}/{}", entry.name)
                    };
                    stack.push((child, depth + 1));
                }
            }
        }
    }
    match inv.stdout.write_all(&output).await {
        Ok(()) => status,
        Err(_) => 141,
    }
}

/// Evaluates `-o` chains from `tokens[*at]` for one file.
fn eval(tokens: &[String], at: &mut usize, path: &str, dir: bool, out: &mut Vec<u8>) -> bool {
    let mut result = eval_and(tokens, at, path, dir, out);
    while *at < tokens.len() && tokens[*at] == "-o" {
        *at += 1;
        if result {
            skip_and(tokens, at);
        } else {
            result = eval_and(tokens, at, path, dir, out);
        }
    }
    result
}

fn eval_and(tokens: &[String], at: &mut usize, path: &str, dir: bool, out: &mut Vec<u8>) -> bool {
    let mut result = true;
    while *at < tokens.len() && tokens[*at] != "-o" && tokens[*at] != ")" {
        if tokens[*at] == "-a" {
            *at += 1;
            continue;
        }
        if result {
            result = eval_unary(tokens, at, path, dir, out);
        } else {
            skip_unary(tokens, at);
        }
    }
    result
}

fn eval_unary(tokens: &[String], at: &mut usize, path: &str, dir: bool, out: &mut Vec<u8>) -> bool {
    let token = tokens[*at].clone();
    *at += 1;
    let name = path.rsplit('/').next().unwrap_or(path);
    match token.as_str() {
        "!" => !eval_unary(tokens, at, path, dir, out),
        "(" => {
            let result = eval(tokens, at, path, dir, out);
            *at += 1;
            result
        }
        "-name" => {
            *at += 1;
            glob(tokens[*at - 1].as_bytes(), name.as_bytes())
        }
        "-type" => {
            *at += 1;
            (tokens[*at - 1] == "d") == dir
        }
        "-maxdepth" => {
            *at += 1;
            true
        }
        "-print" => {
            out.extend_from_slice(format!("{path}\n").as_bytes());
            true
        }
        "-print0" => {
            out.extend_from_slice(format!("{path}\0").as_bytes());
            true
        }
        "-printf" => {
            *at += 1;
            printf(&tokens[*at - 1], path, out);
            true
        }
        other => panic!("fake find: unknown primary {other}"),
    }
}

fn skip_and(tokens: &[String], at: &mut usize) {
    while *at < tokens.len() && tokens[*at] != "-o" && tokens[*at] != ")" {
        skip_unary(tokens, at);
    }
}

fn skip_unary(tokens: &[String], at: &mut usize) {
    let token = tokens[*at].as_str();
    *at += 1;
    match token {
        "!" => skip_unary(tokens, at),
        "(" => {
            let mut depth = 1;
            while depth > 0 {
                match tokens[*at].as_str() {
                    "(" => depth += 1,
                    ")" => depth -= 1,
                    _ => {}
                }
                *at += 1;
            }
        }
        "-name" | "-type" | "-maxdepth" | "-printf" => *at += 1,
        _ => {}
    }
}

fn printf(format: &str, path: &str, out: &mut Vec<u8>) {
    let bytes = format.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take(3)
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if digits > 0 {
                    let text = std::str::from_utf8(&bytes[i + 1..i + 1 + digits]).unwrap();
                    out.push(u8::from_str_radix(text, 8).unwrap());
                    i += 1 + digits;
                } else {
                    out.push(if bytes[i + 1] == b'n' {
                        b'\n'
                    } else {
                        bytes[i + 1]
                    });
                    i += 2;
                }
            }
            b'%' if bytes.get(i + 1) == Some(&b'p') => {
                out.extend_from_slice(path.as_bytes());
                i += 2;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
}

fn glob(pattern: &[u8], name: &[u8]) -> bool {
    match (pattern.first(), name.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob(&pattern[1..], name) || (!name.is_empty() && glob(pattern, &name[1..]))
        }
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &name[1..]),
        (Some(p), Some(n)) if p == n => glob(&pattern[1..], &name[1..]),
        _ => false,
    }
}

/// Files every test starts with.
const FILES: &[(&str, &str)] = &[
    ("/d/a.txt", "alpha\n"),
    ("/d/b.log", "beta\n"),
    ("/d/sub/c.txt", "gamma\n"),
];

/// Runs `script` with the fake tools over [`FILES`] (and `/tmp`).
fn run_b(script: &str, stdin: &str) -> ExecResult {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let fs = Arc::new(MemFs::new());
        fs.create_dir_all("/tmp").await.unwrap();
        for (path, text) in FILES {
            let dir = &path[..path.rfind('/').unwrap()];
            fs.create_dir_all(dir).await.unwrap();
            fs.write_file(path, text.as_bytes()).await.unwrap();
        }
        let runner = Arc::new(FakeTools { fs: fs.clone() });
        let mut shell = Shell::builder(fs).runner(runner).build();
        let options = ExecOptions::default().stdin(Input::from(stdin));
        shell.exec_with(script, options).await
    })
}

/// Asserts stdout, stderr and status.
#[track_caller]
fn check(script: &str, stdout: &str, stderr: &str, status: i32) {
    check_in(script, "", stdout, stderr, status);
}

/// Asserts stdout, stderr and status with `stdin` as standard input.
#[track_caller]
fn check_in(script: &str, stdin: &str, stdout: &str, stderr: &str, status: i32) {
    let result = run_b(script, stdin);
    assert_eq!(
        (
            result.stdout_lossy().as_str(),
            result.stderr_lossy().as_str(),
            result.exit_code
        ),
        (stdout, stderr, status),
        "script: {script}"
    );
}

#[test]
fn type_names_each_kind() {
    check("type echo cat if xargs", "echo is a shell builtin\ncat is /usr/bin/cat\nif is a shell keyword\nxargs is /usr/bin/xargs\n", "", 0);
    check(
        "f(){ echo hi; }; type -t echo cat if f [[ nosuch; echo $?",
        "builtin\nfile\nkeyword\nfunction\nkeyword\n1\n",
        "",
        0,
    );
    check(
        "f(){ echo hi; }; type f",
        "f is a function\nf () \n{ \n    echo hi\n}\n",
        "",
        0,
    );
    check(
        "type -a echo",
        "echo is a shell builtin\necho is /usr/bin/echo\n",
        "",
        0,
    );
    check(
        "f(){ :; }; type -f f",
        "",
        "bash: line 1: type: f: not found\n",
        1,
    );
}

#[test]
fn type_paths_and_errors() {
    check("type -p cat echo; echo $?", "/usr/bin/cat\n0\n", "", 0);
    check(
        "type -P echo cat cd; echo $?",
        "/usr/bin/echo\n/usr/bin/cat\n1\n",
        "",
        0,
    );
    check(
        "type nosuch",
        "",
        "bash: line 1: type: nosuch: not found\n",
        1,
    );
    check(
        "type /d/a.txt ./nope",
        "/d/a.txt is /d/a.txt\n",
        "bash: line 1: type: ./nope: not found\n",
        1,
    );
    check("type; echo $?", "0\n", "", 0);
    check(
        "type -x ls",
        "",
        "bash: line 1: type: -x: invalid option\ntype: usage: type [-afptP] name [name ...]\n",
        2,
    );
}

#[test]
fn type_sees_aliases_only_when_they_expand() {
    check(
        "alias ll='ls -l'\ntype ll",
        "",
        "bash: line 2: type: ll: not found\n",
        1,
    );
    check(
        "shopt -s expand_aliases; alias ll='ls -l'\ntype ll; type -t ll; command -v ll",
        "ll is aliased to `ls -l'\nalias\nalias ll='ls -l'\n",
        "",
        0,
    );
}

#[test]
fn command_skips_functions() {
    check(
        "f(){ echo fn; }; command f",
        "",
        "bash: line 1: f: command not found\n",
        127,
    );
    check("echo(){ printf fn; }; command echo hi", "hi\n", "", 0);
    check("command; echo $?", "0\n", "", 0);
    check("command exit 3; echo no", "", "", 3);
}

#[test]
fn command_describes() {
    check(
        "f(){ :; }; command -v cat echo if f nosuch; echo $?",
        "/usr/bin/cat\necho\nif\nf\n0\n",
        "",
        0,
    );
    check("command -v nosuch", "", "", 1);
    check(
        "command -V nosuch",
        "",
        "bash: line 1: command: nosuch: not found\n",
        1,
    );
    check(
        "command -V cat nosuch; echo $?",
        "cat is /usr/bin/cat\n0\n",
        "bash: line 1: command: nosuch: not found\n",
        0,
    );
    check(
        "command -v -V cat; command -V -v cat",
        "cat is /usr/bin/cat\n/usr/bin/cat\n",
        "",
        0,
    );
    check(
        "command -x",
        "",
        "bash: line 1: command: -x: invalid option\ncommand: usage: command [-pVv] command [arg ...]\n",
        2,
    );
}

#[test]
fn which_prints_programs_only() {
    check(
        "which cat cd nosuch xargs",
        "/usr/bin/cat\n/usr/bin/xargs\n",
        "",
        1,
    );
    check("which echo", "/usr/bin/echo\n", "", 0);
    check("which", "", "", 1);
    check(
        "which -x cat",
        "Usage: /usr/bin/which [-a] args\n",
        "Illegal option -x\n",
        2,
    );
}

#[test]
fn hash_keeps_an_empty_table() {
    check("hash; hash -r; hash -l", "hash: hash table empty\n", "", 0);
    check("hash cat echo ./x; echo $?", "0\n", "", 0);
    check(
        "hash nosuch",
        "",
        "bash: line 1: hash: nosuch: not found\n",
        1,
    );
    check(
        "hash -t cat; hash -t cat echo",
        "/usr/bin/cat\ncat\t/usr/bin/cat\n",
        "bash: line 1: hash: echo: not found\n",
        1,
    );
    check(
        "hash -t",
        "",
        "bash: line 1: hash: -t: option requires an argument\n",
        1,
    );
    check(
        "hash -p",
        "",
        "bash: line 1: hash: -p: option requires an argument\nhash: usage: hash [-lr] [-p pathname] [-dt] [name ...]\n",
        2,
    );
}

#[test]
fn alias_defines_and_lists() {
    check(
        "alias ll='ls -l' a=\"it's\" b=\nalias; alias ll; alias -p b",
        "alias a='it'\\''s'\nalias b=''\nalias ll='ls -l'\nalias ll='ls -l'\nalias a='it'\\''s'\nalias b=''\nalias ll='ls -l'\nalias b=''\n",
        "",
        0,
    );
    check("alias -- -a=1; alias", "alias -- -a='1'\n", "", 0);
    check(
        "alias nope =x",
        "",
        "bash: line 1: alias: nope: not found\nbash: line 1: alias: =x: not found\n",
        1,
    );
    check(
        "alias 'a b=c' a/b=c; echo $?",
        "1\n",
        "bash: line 1: alias: `a b': invalid alias name\nbash: line 1: alias: `a/b': invalid alias name\n",
        0,
    );
    check(
        "alias -x",
        "",
        "bash: line 1: alias: -x: invalid option\nalias: usage: alias [-p] [name[=value] ... ]\n",
        2,
    );
}

#[test]
fn unalias_removes() {
    check("alias a=1 b=2; unalias a; alias", "alias b='2'\n", "", 0);
    check("alias a=1 b=2; unalias -a; alias; echo $?", "0\n", "", 0);
    check(
        "unalias nope",
        "",
        "bash: line 1: unalias: nope: not found\n",
        1,
    );
    check(
        "unalias",
        "",
        "unalias: usage: unalias [-a] name [name ...]\n",
        2,
    );
}

#[test]
fn trap_lists_in_bash_order() {
    check(
        "trap 'echo bye' EXIT; trap 'echo x' INT TERM 1 usr1 SIGUSR2 rtmin+1 32; trap 'echo e' ERR DEBUG RETURN; trap",
        "trap -- 'echo bye' EXIT\ntrap -- 'echo x' SIGHUP\ntrap -- 'echo x' SIGINT\ntrap -- 'echo x' SIGUSR1\ntrap -- 'echo x' SIGUSR2\ntrap -- 'echo x' SIGTERM\ntrap -- 'echo x' 32\ntrap -- 'echo x' SIGRTMIN+1\ntrap -- 'echo e' DEBUG\ntrap -- 'echo e' ERR\ntrap -- 'echo e' RETURN\nbye\n",
        "",
        0,
    );
    check(
        "trap \"it's\" 0; trap -p EXIT INT; trap - EXIT",
        "trap -- 'it'\\''s' EXIT\n",
        "",
        0,
    );
}

#[test]
fn trap_resets_and_ignores() {
    check(
        "trap 'echo x' INT; trap '' TERM; trap - INT; trap",
        "trap -- '' SIGTERM\n",
        "",
        0,
    );
    check("trap 'echo x' INT; trap INT; trap", "", "", 0);
    check("trap 'echo x' INT EXIT; trap 0 INT; trap", "", "", 0);
    check(
        "trap 'echo x' EXIT; trap '' EXIT; trap",
        "trap -- '' EXIT\n",
        "",
        0,
    );
    check("trap -- -- INT; trap", "trap -- '--' SIGINT\n", "", 0);
}

#[test]
fn trap_errors() {
    check(
        "trap 'echo x' 0 nope 65 -1 SIGEXIT; echo $?; trap",
        "1\ntrap -- 'echo x' EXIT\nx\n",
        "bash: line 1: trap: nope: invalid signal specification\nbash: line 1: trap: 65: invalid signal specification\nbash: line 1: trap: -1: invalid signal specification\nbash: line 1: trap: SIGEXIT: invalid signal specification\n",
        0,
    );
    check(
        "trap nosig",
        "",
        "trap: usage: trap [-lp] [[arg] signal_spec ...]\n",
        2,
    );
    check(
        "trap 'echo a' EXIT; trap -",
        "a\n",
        "trap: usage: trap [-lp] [[arg] signal_spec ...]\n",
        2,
    );
    check(
        "trap -p NOPE",
        "",
        "bash: line 1: trap: NOPE: invalid signal specification\n",
        1,
    );
    check(
        "trap -x",
        "",
        "bash: line 1: trap: -x: invalid option\ntrap: usage: trap [-lp] [[arg] signal_spec ...]\n",
        2,
    );
}

#[test]
fn trap_lists_signals() {
    let result = run_b("trap -l", "");
    let text = result.stdout_lossy();
    assert!(text.starts_with(" 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n"));
    assert!(text
        .contains("\n31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t36) SIGRTMIN+2\t37) SIGRTMIN+3\n"));
    assert!(text.ends_with("63) SIGRTMAX-1\t64) SIGRTMAX\t\n"));
    assert_eq!(text.lines().count(), 13);
}

#[test]
fn err_and_exit_traps_run() {
    check(
        "trap 'echo err' ERR; false; echo after",
        "err\nafter\n",
        "",
        0,
    );
    check("trap 'echo bye $?' EXIT; exit 3", "bye 3\n", "", 3);
}

#[test]
fn wait_for_jobs() {
    check("(exit 3) & p=$!; wait $p; echo $?", "3\n", "", 0);
    check("(exit 3) & (exit 4) & wait; echo $?", "0\n", "", 0);
    check(
        "(sleep 0.2; echo late) & echo early; wait; echo end",
        "early\nlate\nend\n",
        "",
        0,
    );
    check("(exit 2) & wait %1; echo $?", "2\n", "", 0);
    check(
        "(exit 2) & (exit 5) & wait %%; echo $?; wait %-; echo $?",
        "5\n127\n",
        "bash: line 1: wait: %-: no such job\n",
        0,
    );
}

#[test]
fn wait_n_takes_the_first_to_end() {
    check(
        "(sleep 0.3; exit 5) & (exit 6) & wait -n; echo $?; wait -n; echo $?; wait -n; echo $?",
        "6\n5\n127\n",
        "",
        0,
    );
    check(
        "(exit 7) & p=$!; wait -p v -n; echo $? $((v == p))",
        "7 1\n",
        "",
        0,
    );
}

#[test]
fn wait_errors() {
    check(
        "wait 12345",
        "",
        "bash: line 1: wait: pid 12345 is not a child of this shell\n",
        127,
    );
    check("wait %3", "", "bash: line 1: wait: %3: no such job\n", 127);
    check(
        "wait abc; echo $?",
        "1\n",
        "bash: line 1: wait: `abc': not a pid or valid job spec\n",
        0,
    );
    check(
        "wait 1x2; echo $?",
        "1\n",
        "bash: line 1: wait: `1x2': not a pid or valid job spec\n",
        0,
    );
    check(
        "wait -n 999; echo $?",
        "127\n",
        "bash: line 1: wait: 999: no such job\n",
        0,
    );
    check(
        "wait -x",
        "",
        "bash: line 1: wait: -x: invalid option\nwait: usage: wait [-fn] [-p var] [id ...]\n",
        2,
    );
}

#[test]
fn env_prints_and_changes_the_environment() {
    check("env -i A=1 B=2", "A=1\nB=2\n", "", 0);
    check("env -i A=1 env", "A=1\n", "", 0);
    check("env -u HOME -i X=1; env - A=1", "X=1\nA=1\n", "", 0);
    check("env -0 -i A=1 B=2", "A=1\0B=2\0", "", 0);
    check("env -i =x", "=x\n", "", 0);
    check(
        "export Q=1; env -i Q=2 printenv Q; env printenv Q",
        "2\n1\n",
        "",
        0,
    );
    check(
        "env -i A=1 bash -c 'echo $A ${HOME-unset}'",
        "1 unset\n",
        "",
        0,
    );
    check("env -S 'echo a b' c", "a b c\n", "", 0);
}

#[test]
fn env_runs_programs_not_functions() {
    check("echo(){ printf fn; }; env echo hi", "hi\n", "", 0);
    check(
        "f(){ :; }; env f",
        "",
        "env: 'f': No such file or directory\n",
        127,
    );
    check(
        "env nosuch",
        "",
        "env: 'nosuch': No such file or directory\n",
        127,
    );
    check("env /tmp", "", "env: '/tmp': Permission denied\n", 126);
    check("env false; echo $?", "1\n", "", 0);
    check("cd /d; env -C sub pwd; pwd", "/d/sub\n/d\n", "", 0);
}

#[test]
fn env_errors() {
    check(
        "env -x",
        "",
        "env: invalid option -- 'x'\nTry 'env --help' for more information.\n",
        125,
    );
    check(
        "env -u",
        "",
        "env: option requires an argument -- 'u'\nTry 'env --help' for more information.\n",
        125,
    );
    check(
        "env -u A=B true",
        "",
        "env: cannot unset 'A=B': Invalid argument\n",
        125,
    );
    check(
        "env -0 echo hi",
        "",
        "env: cannot specify --null (-0) with command\nTry 'env --help' for more information.\n",
        125,
    );
    check(
        "env -C /nope pwd",
        "",
        "env: cannot change directory to '/nope': No such file or directory\n",
        125,
    );
    check(
        "env -C /tmp",
        "",
        "env: must specify command with --chdir (-C)\nTry 'env --help' for more information.\n",
        125,
    );
}

#[test]
fn timeout_stops_programs() {
    check(
        "timeout 1 true; echo $?; timeout 1 false; echo $?",
        "0\n1\n",
        "",
        0,
    );
    check("timeout 0.1 sleep 5; echo $?", "124\n", "", 0);
    check(
        "timeout 0.1 bash -c 'while :; do :; done'; echo $?",
        "124\n",
        "",
        0,
    );
    check("timeout -s KILL 0.1 sleep 5; echo $?", "137\n", "", 0);
    check(
        "timeout --preserve-status 0.1 sleep 5; echo $?",
        "143\n",
        "",
        0,
    );
    check("timeout --pres -s INT 0.1 sleep 5; echo $?", "130\n", "", 0);
    check(
        "timeout -v 0.1 sleep 5; echo $?",
        "124\n",
        "timeout: sending signal TERM to command 'sleep'\n",
        0,
    );
    check("timeout 1 sh -c 'exit 7'; echo $?", "7\n", "", 0);
    check("timeout 0 sleep 0.05; echo $?", "0\n", "", 0);
}

#[test]
fn timeout_errors() {
    check(
        "timeout",
        "",
        "Try 'timeout --help' for more information.\n",
        125,
    );
    check(
        "timeout x sleep 1",
        "",
        "timeout: invalid time interval 'x'\nTry 'timeout --help' for more information.\n",
        125,
    );
    check(
        "timeout -s FOO 1 true",
        "",
        "timeout: 'FOO': invalid signal\nTry 'timeout --help' for more information.\n",
        125,
    );
    check(
        "timeout 1 nosuch",
        "",
        "timeout: failed to run command 'nosuch': No such file or directory\n",
        127,
    );
    check(
        "timeout 1 /tmp",
        "",
        "timeout: failed to run command '/tmp': Permission denied\n",
        126,
    );
}

#[test]
fn xargs_builds_command_lines() {
    check_in("xargs", "a b\nc\n", "a b c\n", "", 0);
    check_in("xargs -n1 echo x", "a b\nc\n", "x a\nx b\nx c\n", "", 0);
    check_in(
        "xargs -L1 echo",
        "a b\nc d e\n\nf\n",
        "a b\nc d e\nf\n",
        "",
        0,
    );
    check_in("xargs -L1 echo", "a b \nc\n", "a b c\n", "", 0);
    check_in(
        "xargs -n1",
        "\"a b\" c\\ d 'e f'\n",
        "a b\nc d\ne f\n",
        "",
        0,
    );
    check_in("xargs -0 -n1 echo", "a\0b c\0", "a\nb c\n", "", 0);
    check_in("xargs -d, -n1 echo", "a,b,c\n", "a\nb\nc\n\n", "", 0);
    check_in("xargs -n 2 -s 9 -x echo", "a b c d\n", "a b\nc d\n", "", 0);
    check_in("xargs -s 10 echo", "a b c\n", "a b\nc\n", "", 0);
    check_in("xargs -E b echo x", "a b\nc\n", "x a\n", "", 0);
}

#[test]
fn xargs_replaces() {
    check_in(
        "xargs -I{} echo [{}]",
        "x y\n  z\n\n",
        "[x y]\n[z]\n",
        "",
        0,
    );
    check_in(
        "xargs -I {} echo {}{} pre{}post",
        "a b\n",
        "a ba b prea bpost\n",
        "",
        0,
    );
    check_in("xargs -i echo [{}]", "a\n", "[a]\n", "", 0);
    check_in(
        "xargs -I{} {}",
        "a\n",
        "",
        "xargs: {}: No such file or directory\n",
        127,
    );
    check_in("xargs -I{} echo hi", "", "", "", 0);
}

#[test]
fn xargs_runs_programs_with_empty_stdin() {
    check_in("xargs -n1 sh -c 'echo [$0]'", "a b\n", "[a]\n[b]\n", "", 0);
    check_in("xargs -I{} sh -c 'cat; echo {}'", "x\n", "x\n", "", 0);
    check(
        "echo /d/a.txt > /tmp/list; xargs -a /tmp/list cat",
        "alpha\n",
        "",
        0,
    );
    check_in("xargs echo hi", "", "hi\n", "", 0);
    check_in("xargs -r echo hi", "", "", "", 0);
    check_in("echo(){ printf fn; }; xargs echo", "a\n", "a\n", "", 0);
}

#[test]
fn xargs_statuses() {
    check_in("xargs false", "a\n", "", "", 123);
    check_in("xargs -n1 status", "0 3 0\n", "", "", 123);
    check_in(
        "xargs -n1 sh -c 'echo $0; exit 255'",
        "a b c\n",
        "a\n",
        "xargs: sh: exited with status 255; aborting\n",
        124,
    );
    check_in(
        "xargs -n1 status",
        "141 0\n",
        "",
        "xargs: status: terminated by signal 13\n",
        125,
    );
    check_in(
        "xargs nosuch",
        "a\n",
        "",
        "xargs: nosuch: No such file or directory\n",
        127,
    );
    check_in(
        "xargs /tmp",
        "a\n",
        "",
        "xargs: /tmp: Permission denied\n",
        126,
    );
}

#[test]
fn xargs_verbose_quotes_like_gnu() {
    check_in("xargs -t echo b", "a\n", "b a\n", "echo b a\n", 0);
    check_in("xargs -I{} -t echo {}", "a b\n", "a b\n", "echo 'a b'\n", 0);
    check_in(
        "xargs -0 -t true",
        "it's\0a=b\0\0",
        "",
        "true \"it's\" 'a=b' ''\n",
        0,
    );
}

#[test]
fn xargs_input_errors() {
    let quote = "unmatched double quote; by default quotes are special to xargs unless you use the -0 option";
    check_in(
        "xargs echo",
        "a b \"c\n",
        "a b\n",
        &format!("xargs: {quote}\n"),
        1,
    );
    check_in(
        "xargs -n1 echo",
        "a b\n\"c\n",
        "a\nb\n",
        &format!("xargs: {quote}\n"),
        1,
    );
    check_in(
        "xargs -s 10 echo",
        "aaaaaaaaaaaaaaaaaaa b\n",
        "",
        "xargs: argument line too long\n",
        1,
    );
    check_in(
        "xargs -s 3 echo",
        "a\n",
        "",
        "xargs: cannot fit single argument within argument list size limit\n",
        1,
    );
    check_in(
        "xargs -I{} -s 12 echo x{}",
        "abcdef\n",
        "",
        "xargs: argument list too long\n",
        1,
    );
    check_in(
        "xargs echo",
        "ab\0cd ef\n",
        "ab ef\n",
        "xargs: WARNING: a NUL character occurred in the input.  It cannot be passed through in the argument list.  Did you mean to use the --null option?\n",
        0,
    );
}

#[test]
fn xargs_option_errors() {
    let try_help = "Try 'xargs --help' for more information.\n";
    check(
        "xargs -y",
        "",
        &format!("xargs: invalid option -- 'y'\n{try_help}"),
        1,
    );
    check(
        "xargs -I",
        "",
        &format!("xargs: option requires an argument -- 'I'\n{try_help}"),
        1,
    );
    check(
        "xargs -n 0 echo",
        "",
        &format!("xargs: value 0 for -n option should be >= 1\n{try_help}"),
        1,
    );
    check(
        "xargs -n x echo",
        "",
        &format!("xargs: invalid number \"x\" for -n option\n{try_help}"),
        1,
    );
    check(
        "xargs --max-args=x",
        "",
        &format!("xargs: invalid number \"x\" for -n option\n{try_help}"),
        1,
    );
    check(
        "xargs -d ab",
        "",
        "xargs: Invalid input delimiter specification ab: the delimiter must be either a single character or an escape sequence starting with \\.\n",
        1,
    );
    check(
        "xargs -a /nope",
        "",
        "xargs: Cannot open input file '/nope': No such file or directory\n",
        1,
    );
    check_in(
        "xargs -n1 -I{} echo {}",
        "a b\n",
        "a b\n",
        "xargs: warning: options --max-args and --replace/-I/-i are mutually exclusive, ignoring previous --max-args value\n",
        0,
    );
    check_in(
        "xargs -L1 -n1 echo",
        "a b\n",
        "a\nb\n",
        "xargs: warning: options --max-lines and --max-args/-n are mutually exclusive, ignoring previous --max-lines value\n",
        0,
    );
    check_in("xargs -I{} -n1 echo {}", "a b\n", "a b\n", "", 0);
    check_in("xargs -P 4 -n1 echo", "a b\n", "a\nb\n", "", 0);
}

#[test]
fn find_exec_runs_each_file() {
    check(
        "find /d -name '*.txt' -exec echo found {} \\;",
        "found /d/a.txt\nfound /d/sub/c.txt\n",
        "",
        0,
    );
    check(
        "cd /d; find . -name '*.txt' -exec echo x{}y ';'",
        "x./a.txty\nx./sub/c.txty\n",
        "",
        0,
    );
    check(
        "find /d -name '*.txt' -exec echo {} +",
        "/d/a.txt /d/sub/c.txt\n",
        "",
        0,
    );
    check(
        "find /d -maxdepth 0 -exec echo {} \\; -exec echo 2 {} + -print",
        "/d\n/d\n2 /d\n",
        "",
        0,
    );
}

#[test]
fn find_exec_is_a_test() {
    check(
        "find /d -type f -exec sh -c 'test \"$1\" != /d/b.log' _ {} \\; -print",
        "/d/a.txt\n/d/sub/c.txt\n",
        "",
        0,
    );
    check(
        "find /d -name a.txt -exec echo A {} \\; -o -name b.log -exec echo B {} \\;",
        "A /d/a.txt\nB /d/b.log\n",
        "",
        0,
    );
    check(
        "find /d -maxdepth 0 -exec false {} \\; ; echo $?",
        "0\n",
        "",
        0,
    );
    check(
        "find /d -maxdepth 0 -exec false {} + ; echo $?",
        "1\n",
        "",
        0,
    );
}

#[test]
fn find_execdir_and_ok() {
    check(
        "find /d -type f -execdir pwd \\;",
        "/d\n/d\n/d/sub\n",
        "",
        0,
    );
    check(
        "find /d -name '*.txt' -execdir echo {} +",
        "./a.txt\n./c.txt\n",
        "",
        0,
    );
    // A starting point gets a batch of its own, as in GNU find.
    check(
        "cd /d; find . -maxdepth 1 -execdir echo {} +",
        "./.\n./a.txt ./b.log ./sub\n",
        "",
        0,
    );
    check_in(
        "find /d -maxdepth 1 -type f -ok echo hi {} \\;",
        "y\nn\n",
        "hi /d/a.txt\n",
        "< echo ... /d/a.txt > ? < echo ... /d/b.log > ? ",
        0,
    );
}

#[test]
fn find_exec_reaches_programs_and_prefix_assignments() {
    check(
        "X=1 find /d -maxdepth 0 -exec sh -c 'echo $X' \\;",
        "1\n",
        "",
        0,
    );
    check_in(
        "xargs -I% find % -name c.txt -exec echo got {} \\;",
        "/d\n",
        "got /d/sub/c.txt\n",
        "",
        0,
    );
    // -I replaces every occurrence, find's own braces too, as GNU does.
    check_in(
        "xargs -I{} find {} -maxdepth 0 -exec echo got {} \\;",
        "/d\n",
        "got /d\n",
        "",
        0,
    );
    check(
        "command find /d -name b.log -exec cat {} \\;",
        "beta\n",
        "",
        0,
    );
}

#[test]
fn find_exec_errors() {
    check(
        "find /d -exec echo",
        "",
        "find: missing argument to `-exec'\n",
        1,
    );
    check(
        "find /d -exec \\;",
        "",
        "find: invalid argument `;' to `-exec'\n",
        1,
    );
    check(
        "find /d -exec echo x{} +",
        "",
        "find: In '-exec ... {} +' the '{}' must appear by itself, but you specified 'x{}'\n",
        1,
    );
    check(
        "find /d -maxdepth 0 -exec nosuch {} \\; ; echo $?",
        "0\n",
        "find: 'nosuch': No such file or directory\n",
        0,
    );
    check(
        "find /d -maxdepth 0 -exec nosuch {} + ; echo $?",
        "1\n",
        "find: 'nosuch': No such file or directory\n",
        0,
    );
    check(
        "find /nope /d -maxdepth 0 -exec echo {} \\;",
        "/d\n",
        "find: '/nope': No such file or directory\n",
        1,
    );
}

#[test]
fn kill_lists_and_translates_signals() {
    check(
        "kill -l 15; kill -l TERM; kill -l 143",
        "TERM\n15\nTERM\n",
        "",
        0,
    );
    check(
        "kill -l 99",
        "",
        "bash: line 1: kill: 99: invalid signal specification\n",
        1,
    );
    let result = run_b("kill -l", "");
    assert_eq!(result.stdout, run_b("trap -l", "").stdout);
}

#[test]
fn kill_to_self_runs_traps_or_ends_the_shell() {
    check(
        "trap 'echo got' USR1; kill -USR1 $$; echo after; kill -s USR1 $$; kill -10 $$; kill -SIGUSR1 $$; kill -n 10 $BASHPID",
        "got\nafter\ngot\ngot\ngot\ngot\n",
        "",
        0,
    );
    check(
        "echo before; kill -TERM $$; echo never",
        "before\n",
        "",
        143,
    );
    check(
        "trap 'echo exit' EXIT; kill $$; echo never",
        "exit\n",
        "",
        143,
    );
    check("trap 'echo exit' EXIT; kill -9 $$; echo never", "", "", 137);
    check("trap '' TERM; kill $$; echo survived", "survived\n", "", 0);
    check("kill -CHLD $$; kill -0 $$; echo alive", "alive\n", "", 0);
}

#[test]
fn kill_stops_jobs() {
    check("sleep 5 & kill $!; wait $!; echo $?", "143\n", "", 0);
    check(
        "sleep 5 & p=$!; kill -0 $p; echo $?; kill -9 $p; wait $p; echo $?",
        "0\n137\n",
        "",
        0,
    );
    check("sleep 5 & kill %1; wait; echo done", "done\n", "", 0);
    check(
        "(exit 3) & p=$!; sleep 0.1; kill $p; wait $p; echo $?",
        "3\n",
        "",
        0,
    );
}

#[test]
fn kill_errors() {
    check(
        "kill 99999",
        "",
        "bash: line 1: kill: (99999) - No such process\n",
        1,
    );
    check(
        "kill",
        "",
        "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n",
        2,
    );
    check(
        "kill -x 1",
        "",
        "bash: line 1: kill: x: invalid signal specification\n",
        1,
    );
    check(
        "kill abc",
        "",
        "bash: line 1: kill: abc: arguments must be process or job IDs\n",
        1,
    );
    check("kill %1", "", "bash: line 1: kill: %1: no such job\n", 1);
    check(
        "kill -s",
        "",
        "bash: line 1: kill: -s: option requires an argument\n",
        1,
    );
}

#[test]
fn builtin_runs_builtins_only() {
    check("builtin; echo $?", "0\n", "", 0);
    check("echo(){ printf fn; }; builtin echo hi", "hi\n", "", 0);
    check(
        "builtin cat",
        "",
        "bash: line 1: builtin: cat: not a shell builtin\n",
        1,
    );
    check(
        "builtin xargs",
        "",
        "bash: line 1: builtin: xargs: not a shell builtin\n",
        1,
    );
    check("builtin exit 4; echo no", "", "", 4);
    check(
        "builtin -x",
        "",
        "bash: line 1: builtin: -x: invalid option\nbuiltin: usage: builtin [shell-builtin [arg ...]]\n",
        2,
    );
}

#[test]
fn programs_by_their_system_paths() {
    check_in("xargs /usr/bin/echo x", "a\n", "x a\n", "", 0);
    check(
        "env /bin/echo hi; timeout 1 /usr/bin/env -i A=1",
        "hi\nA=1\n",
        "",
        0,
    );
    check(
        "find /d -maxdepth 0 -exec /usr/bin/echo {} \\;",
        "/d\n",
        "",
        0,
    );
    check(
        "env /usr/bin/nosuch",
        "",
        "env: '/usr/bin/nosuch': No such file or directory\n",
        127,
    );
}
