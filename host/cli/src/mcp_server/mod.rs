//! `wasm-agent mcp`: the sandbox as an MCP server over stdio, so Claude
//! Code, Codex or any MCP client can work inside a wasm-agent sandbox.
//!
//! - [`protocol`]: JSON-RPC lines classified, error codes, versions.
//! - [`server`]: the stdio loop, concurrent calls, cancellation.
//! - [`tools`]: the harness built-ins plus `snapshot`, `restore`, `fork`.
//!
//! One server process holds one sandbox (`main`), built from the same
//! flags as `exec`, for its whole life; `fork` adds named children.
//! Snapshots are offered only when the sandbox lives entirely in memory
//! (`--memory`, no `--mount`/`--s3`): a snapshot of a mounted host
//! directory or bucket would not copy it, and restoring one would put a
//! memory layer over it, so later writes would silently stop reaching the
//! host. Forks are offered always, since an isolated copy whose writes
//! stay in memory is exactly what a fork promises.

mod protocol;
mod server;
mod tools;

use crate::mounts::SandboxArgs;
use crate::stdio;
use clap::{ArgMatches, Args, FromArgMatches};
use std::process::ExitCode;
use std::sync::Arc;
use wasm_agent::{Runtime, Sandbox};

/// Examples shown after `wasm-agent mcp --help`.
pub const HELP_EXAMPLES: &str = "\
Examples:
  # Claude Code: the project directory mounted at /work (read-write)
  claude mcp add wasm-agent -- wasm-agent mcp --mount $PWD:/work

  # Any MCP client (JSON config): a scratch sandbox in memory, with snapshots
  {\"mcpServers\": {\"wasm-agent\": {\"command\": \"wasm-agent\", \"args\": [\"mcp\", \"--memory\"]}}}

  # One round trip by hand
  printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"bash\",\"arguments\":{\"command\":\"echo hi | wc -c\"}}}' \\
    | wasm-agent mcp --memory

Tools: bash, read, write, edit, grep, glob (each with an optional `sandbox`),
snapshot and restore (in-memory sandboxes only), fork.";

/// Flags of `wasm-agent mcp`.
#[derive(Args)]
pub struct McpArgs {
    // Must come before `sandbox`: the derived parser of `SandboxArgs`
    // takes its values out of the matches, this one only looks at them.
    #[command(flatten)]
    storage: Storage,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// Whether the sandbox lives entirely in memory, read from the flags of
/// [`SandboxArgs`] (whose fields are private to their module).
struct Storage {
    memory_only: bool,
}

impl FromArgMatches for Storage {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let memory = matches.try_get_one::<bool>("memory").ok().flatten() == Some(&true);
        let none_of = |id: &str| {
            matches
                .try_get_many::<String>(id)
                .is_ok_and(|values| values.is_none_or(|mut values| values.next().is_none()))
        };
        Ok(Storage {
            memory_only: memory && none_of("mounts") && none_of("buckets"),
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Storage::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for Storage {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd
    }
}

/// Runs the server until stdin ends; exit status 0, or 2 if the sandbox
/// cannot be built (the message is on stderr).
pub fn main(args: McpArgs) -> ExitCode {
    // Several threads: a long command in one call must not stall another
    // call, nor the reading of stdin.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("wasm-agent mcp: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let status = match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("wasm-agent mcp: {err}");
            ExitCode::from(2)
        }
    };
    // A blocked read of stdin would keep a normal shutdown waiting.
    runtime.shutdown_background();
    status
}

async fn run(args: McpArgs) -> wasm_agent::Result<()> {
    let (fs, cwd) = args.sandbox.build().await?;
    let runtime = Runtime::builder().max_concurrent_commands(16).build()?;
    let mut builder = Sandbox::builder(&runtime);
    builder.fs(fs).cwd(cwd.clone());
    for (name, value) in stdio::guest_env() {
        builder.env(name, value);
    }
    let snapshots = if args.storage.memory_only {
        Ok(())
    } else {
        Err(
            "snapshots need a sandbox held entirely in memory (start the server with --memory \
             and no --mount or --s3): restoring over a mounted host directory or bucket would \
             not roll it back, and later writes would stay in memory instead of reaching it. \
             Use fork for an isolated copy instead."
                .to_string(),
        )
    };
    let workspace = Arc::new(tools::Workspace::new(builder.build(), snapshots));
    eprintln!("wasm-agent mcp: serving a sandbox on stdio (working directory {cwd})");
    server::serve(Arc::clone(&workspace)).await;
    // A bucket mounted write-back keeps changes until flushed.
    workspace.main_sandbox().flush().await
}
