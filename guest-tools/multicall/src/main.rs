//! `wasm-agent-tools`: every guest tool of wasm-agent in one `wasm32-wasip1`
//! module, chosen by the name it is started under.
//!
//! - [`registry`] is the table of tools (name → entry point);
//! - [`dispatch`] turns argv into a tool run (or `--list`, `--help`);
//! - [`adapters`] give every upstream crate the same entry shape;
//! - [`section`] embeds the tool names as the `wasm-agent.tools` custom
//!   section, which the host reads without running the module.
//!
//! The process exits with the tool's own status, unchanged: grep's 2, diff's
//! 1 and test's 1 mean something to the shell.

mod adapters;
mod dispatch;
mod registry;
mod section;

use std::ffi::OsString;
use std::io::Write;

use dispatch::{Invocation, MODULE_NAME};

/// Pre-initialisation entry point, run once by the wasm-agent host before
/// the module's state is snapshotted (see host/src/runtime/preinit.rs):
/// builds every utility's message catalogue, so commands start with it
/// built instead of parsing it. Must not touch the environment or the
/// filesystem (it runs before `_start`).
#[cfg(target_os = "wasi")]
#[export_name = "wizer-initialize"]
pub extern "C" fn wizer_initialize() {
    uucore::locale::prebuild_all_localizers();
    // grep has no catalogue of its own (its messages are in its code) but
    // still loads uucore's common one at every start.
    uucore::locale::prebuild_localizers(&["grep"]);
}

fn main() {
    let code = match dispatch::resolve(std::env::args_os().collect()) {
        Invocation::Run {
            tool,
            args,
            name_in_second_arg,
        } => {
            if name_in_second_arg {
                // uucore takes the program name for messages from the process
                // arguments, not from the vector handed to the tool; both
                // uucore versions keep that flag separately.
                uucore::set_utility_is_second_arg();
            }
            enter_working_directory(tool.name, std::env::var_os("PWD"));
            (tool.run)(args)
        }
        Invocation::List => print_or_fail(&tool_list()),
        Invocation::Help => print_or_fail(&dispatch::usage()),
        Invocation::Version => {
            print_or_fail(&format!("{MODULE_NAME} {}\n", env!("CARGO_PKG_VERSION")))
        }
        Invocation::Fail { message, code } => {
            eprintln!("{message}");
            code
        }
    };
    std::process::exit(code);
}

/// Makes `$PWD` the current directory.
///
/// wasi-libc starts every process in "/"; the host passes the shell's
/// working directory in `PWD` (and preopens the sandbox root as "/"), so
/// relative paths resolve as the user expects. A relative or missing `PWD`
/// is ignored, as a shell would not trust it either.
fn enter_working_directory(tool: &str, pwd: Option<OsString>) {
    let Some(pwd) = pwd.filter(|pwd| pwd.as_encoded_bytes().starts_with(b"/")) else {
        return;
    };
    if let Err(err) = std::env::set_current_dir(&pwd) {
        // The tool still runs, from "/": a tool that names only absolute
        // paths works, and the warning explains any other failure.
        eprintln!(
            "{tool}: warning: cannot enter the working directory '{}': {err}",
            pwd.to_string_lossy()
        );
    }
}

/// The `--list` output: one tool name per line.
fn tool_list() -> String {
    registry::TOOLS
        .iter()
        .map(|tool| format!("{}\n", tool.name))
        .collect()
}

/// Writes `text` to standard output; 0, or 1 with a message if that fails
/// (a closed pipe is not a failure, as with GNU tools under SIGPIPE).
fn print_or_fail(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(err) => {
            eprintln!("{MODULE_NAME}: write error: {err}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_matches_the_custom_section() {
        let section = std::str::from_utf8(&section::TOOL_NAMES).unwrap();
        assert_eq!(tool_list(), format!("{section}\n"));
    }
}
