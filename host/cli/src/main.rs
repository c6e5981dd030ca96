//! The `wasm-agent` command line: parses flags, calls the library, maps
//! errors to exit statuses.

mod agents;
mod bench;
mod buckets;
mod demo;
mod events_print;
mod exec;
mod logs;
mod mcp_server;
mod mounts;
mod progress;
mod run;
mod s3_args;
mod serve;
mod stdio;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;
use wasm_agent::{Command, Runtime, Sandbox};

/// Agent sandboxes: real command-line tools compiled to WebAssembly,
/// run in wasmtime over a virtual filesystem.
#[derive(Parser)]
#[command(
    name = "wasm-agent",
    version,
    after_help = "Examples:\n  \
        wasm-agent exec -c 'grep -rn TODO . | wc -l'\n  \
        wasm-agent run triage --id issue-42 --payload '{\"title\": \"crash\"}'\n  \
        wasm-agent serve --port 8080\n  \
        claude mcp add wasm-agent -- wasm-agent mcp\n  \
        wasm-agent completions bash > ~/.local/share/bash-completion/completions/wasm-agent"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run one guest tool (e.g. `wasm-agent tool grep -rn TODO .`).
    ///
    /// By default the current host directory is mounted read-write at its
    /// own path and is the tool's working directory.
    Tool {
        #[command(flatten)]
        sandbox: mounts::SandboxArgs,
        /// Stop the tool after this many seconds (exit status 124).
        #[arg(long, value_name = "SECS")]
        timeout: Option<f64>,
        /// The tool and its arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        argv: Vec<String>,
    },
    /// Run a bash script in a sandbox (`-c SCRIPT`, a script FILE, or the
    /// script on stdin). Exit status = the script's.
    ///
    /// By default the current host directory is mounted read-write at its
    /// own path and is the working directory, like `bash -c` run there.
    Exec {
        #[command(flatten)]
        sandbox: mounts::SandboxArgs,
        /// Stop the script after this many seconds (exit status 124).
        #[arg(long, value_name = "SECS")]
        timeout: Option<f64>,
        /// The script to run; the arguments after it become $0, $1, ...
        #[arg(short = 'c', value_name = "SCRIPT")]
        command: Option<String>,
        /// With -c: $0 and the positional parameters. Without: a script
        /// file and its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// List the guest tools.
    ///
    /// Example: `wasm-agent tools | grep -c .`
    Tools,
    /// Run a short demo: real tools over an in-memory project.
    ///
    /// Example: `wasm-agent demo`
    Demo,
    /// Print a shell completion script for SHELL to stdout.
    ///
    /// Examples:
    /// `wasm-agent completions bash > ~/.local/share/bash-completion/completions/wasm-agent`,
    /// `wasm-agent completions zsh > "${fpath[1]}/_wasm-agent"`,
    /// `wasm-agent completions fish > ~/.config/fish/completions/wasm-agent.fish`
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Measure sandbox start-up and seven agent workloads next to native
    /// bash (and bashkit, in builds with `--features bashkit`); prints a
    /// Markdown table in under a minute.
    ///
    /// Example: `wasm-agent bench --quick`
    Bench {
        /// A shorter, noisier run (about a third of the time).
        #[arg(long)]
        quick: bool,
        /// Only write the benchmark fixture (1,000 files, about 5 MB, the
        /// same bytes every time) into DIR, to inspect it or run the
        /// workloads elsewhere; measures nothing.
        #[arg(long, value_name = "DIR")]
        write_fixture: Option<std::path::PathBuf>,
    },
    #[command(flatten)]
    Buckets(buckets::Command),
    /// Run an agent of this project (.wasm-agent/agents/<AGENT>.md):
    /// progress on stderr, the result as JSON on stdout.
    ///
    /// Example: `wasm-agent run triage --id issue-42 --payload '{"title": "crash"}'`
    Run(run::RunArgs),
    /// Serve sandboxes, agent webhooks and their runs over HTTP (JSON;
    /// `GET /openapi.json` lists the routes).
    ///
    /// Example: `wasm-agent serve --port 8080 --token "$TOKEN"`, then
    /// `curl -H "Authorization: Bearer $TOKEN" -X POST localhost:8080/sandboxes`
    Serve(serve::ServeArgs),
    /// Print a run's events from a running `wasm-agent serve`.
    ///
    /// Example: `wasm-agent logs run_5f0c2a9e1b7d4c3a --follow --server http://127.0.0.1:8080`
    Logs(logs::LogsArgs),
    /// Serve the sandbox to an MCP client (Claude Code, Codex...) over
    /// stdio: tools bash, read, write, edit, grep, glob, snapshot,
    /// restore, fork.
    ///
    /// The sandbox flags are those of `exec`: by default the current host
    /// directory is mounted read-write at its own path and is the working
    /// directory. Logs go to stderr; stdout carries only the protocol.
    #[command(after_help = mcp_server::HELP_EXAMPLES)]
    Mcp(mcp_server::McpArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Cmd::Completions { shell } = cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(shell, &mut command, "wasm-agent", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    // The MCP server answers calls concurrently, on a runtime of its own.
    let cli = match cli.command {
        Cmd::Mcp(args) => return mcp_server::main(args),
        command => Cli { command },
    };
    // One thread: a command line runs one script or tool, whose commands
    // and pipeline stages are futures of that thread; worker threads (and
    // their malloc arenas) would only add to the start-up time.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("wasm-agent: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => {
            eprintln!("wasm-agent: {err}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> wasm_agent::Result<i32> {
    let command = match cli.command {
        // Bucket commands run no guest code: no wasm runtime to start.
        Cmd::Buckets(command) => return buckets::run(command).await,
        // The harness starts its own wasm runtime for the agent's sandbox.
        Cmd::Run(args) => return Ok(i32::from(run::run(args).await)),
        // The server builds its own multi-thread runtime.
        Cmd::Serve(args) => return serve::run(args).await,
        // A client of a server: no wasm runtime to start.
        Cmd::Logs(args) => return logs::run(args).await,
        command => command,
    };
    // One process runs a handful of commands at a time (a pipeline's
    // stages); a small pool keeps process start fast, since every slot's
    // guard pages are set up front.
    let runtime = Runtime::builder().max_concurrent_commands(16).build()?;
    match command {
        Cmd::Tools => {
            let mut out = std::io::stdout().lock();
            for name in runtime.commands()? {
                // A closed stdout (`| head`) ends the listing quietly.
                if writeln!(out, "{name}").is_err() {
                    break;
                }
            }
            Ok(0)
        }
        Cmd::Demo => demo::run(&runtime).await,
        Cmd::Buckets(_) => unreachable!("bucket commands return before the runtime starts"),
        Cmd::Completions { .. } => unreachable!("completions return before any runtime starts"),
        Cmd::Run(_) => unreachable!("agent runs return before this runtime starts"),
        Cmd::Serve(_) => unreachable!("the server returns before this runtime starts"),
        Cmd::Logs(_) => unreachable!("logs returns before this runtime starts"),
        Cmd::Mcp(_) => unreachable!("the MCP server returns before this runtime starts"),
        Cmd::Bench {
            write_fixture: Some(dir),
            ..
        } => bench::write_fixture(&dir),
        Cmd::Bench { quick, .. } => bench::run(quick).await,
        Cmd::Exec {
            sandbox,
            timeout,
            command,
            mut args,
        } => {
            let (fs, cwd) = sandbox.build().await?;
            let sandbox = Sandbox::builder(&runtime).fs(fs).cwd(cwd).build();
            let source = match command {
                Some(script) => exec::Source::Inline { script, args },
                None if args.is_empty() => exec::Source::Stdin,
                None => exec::Source::File {
                    path: args.remove(0),
                    args,
                },
            };
            exec::run(&sandbox, source, timeout).await
        }
        Cmd::Tool {
            sandbox,
            timeout,
            argv,
        } => {
            let (fs, cwd) = sandbox.build().await?;
            let sandbox = Sandbox::builder(&runtime).fs(fs).cwd(cwd).build();
            let mut command = Command::new(&argv[0]);
            command.args(&argv[1..]).envs(stdio::guest_env());
            if let Some(secs) = timeout {
                command.timeout(Duration::from_secs_f64(secs.max(0.0)));
            }
            stdio::run_attached(&sandbox, command).await
        }
    }
}
