//! Decides what one invocation of the module means, from its argv alone.
//!
//! The host normally runs the module with argv[0] set to the command name
//! (`cat`, or a path ending in it). Run under its own name, or any name that
//! is not a tool, the module reads the tool from argv[1], like the uutils
//! coreutils multicall: `wasm-agent-tools cat file`.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use crate::registry::{self, Tool};

/// Name the module goes by in its own messages.
pub const MODULE_NAME: &str = "wasm-agent-tools";

/// Exit status for an unknown tool. Not the shell's 127: WASI runtimes such
/// as wasmtime refuse exit statuses of 126 and above. 1 is what the uutils
/// coreutils multicall uses.
pub const UNKNOWN_TOOL: i32 = 1;

/// What an argv asks for.
pub enum Invocation {
    /// Run `tool` with `args`; `args[0]` is the tool's name.
    Run {
        /// The tool to run.
        tool: &'static Tool,
        /// Its arguments, program name first.
        args: Vec<OsString>,
        /// The tool name came from argv[1], not argv[0]; libraries that read
        /// the program name from the process arguments must be told.
        name_in_second_arg: bool,
    },
    /// `--list`: print the tool names.
    List,
    /// `--help`: print how to call the module.
    Help,
    /// `--version`: print the module version.
    Version,
    /// A call that cannot be served: print `message` and exit with `code`.
    Fail {
        /// The complete message, without the trailing newline.
        message: String,
        /// The exit status.
        code: i32,
    },
}

/// Interprets `argv` (program name first).
pub fn resolve(mut argv: Vec<OsString>) -> Invocation {
    if let Some(tool) = argv.first().and_then(|arg0| tool_named_by_path(arg0)) {
        argv[0] = OsString::from(tool.name);
        return Invocation::Run {
            tool,
            args: argv,
            name_in_second_arg: false,
        };
    }
    let Some(requested) = argv.get(1) else {
        return Invocation::Fail {
            message: format!(
                "{MODULE_NAME}: missing tool name\n\
                 Try '{MODULE_NAME} --help' for more information."
            ),
            code: 1,
        };
    };
    match requested.to_str() {
        Some("--list") | Some("--help") | Some("-h") | Some("--version") | Some("-V")
            if argv.len() > 2 =>
        {
            Invocation::Fail {
                message: format!(
                    "{MODULE_NAME}: extra operand '{}'\n\
                     Try '{MODULE_NAME} --help' for more information.",
                    argv[2].to_string_lossy()
                ),
                code: 1,
            }
        }
        Some("--list") => Invocation::List,
        Some("--help") | Some("-h") => Invocation::Help,
        Some("--version") | Some("-V") => Invocation::Version,
        Some(name) => match registry::find(name) {
            Some(tool) => {
                argv.remove(0);
                Invocation::Run {
                    tool,
                    args: argv,
                    name_in_second_arg: true,
                }
            }
            None => unknown_tool(requested),
        },
        None => unknown_tool(requested),
    }
}

/// The tool whose name is the last component of `arg0`, if any.
fn tool_named_by_path(arg0: &OsStr) -> Option<&'static Tool> {
    let base = Path::new(arg0).file_name()?;
    registry::find(base.to_str()?)
}

/// The failure for a tool name the module does not know.
fn unknown_tool(name: &OsStr) -> Invocation {
    Invocation::Fail {
        message: format!(
            "{MODULE_NAME}: unknown tool '{}'\n\
             Try '{MODULE_NAME} --list' to see the tools.",
            name.to_string_lossy()
        ),
        code: UNKNOWN_TOOL,
    }
}

/// The `--help` text.
pub fn usage() -> String {
    format!(
        "Usage: TOOL [ARGUMENT]...\n\
         \x20 or:  {MODULE_NAME} TOOL [ARGUMENT]...\n\
         \x20 or:  {MODULE_NAME} --list\n\
         Run the command-line tool TOOL. The tool is chosen by the name the\n\
         module was started under, or else by the first argument.\n\
         \n\
         \x20     --list      print the names of all tools, one per line\n\
         \x20 -h, --help      display this help and exit\n\
         \x20 -V, --version   output version information and exit\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    fn run_of(invocation: Invocation) -> (&'static str, Vec<OsString>, bool) {
        match invocation {
            Invocation::Run {
                tool,
                args,
                name_in_second_arg,
            } => (tool.name, args, name_in_second_arg),
            _ => panic!("expected a tool run"),
        }
    }

    fn failure_of(invocation: Invocation) -> (String, i32) {
        match invocation {
            Invocation::Fail { message, code } => (message, code),
            _ => panic!("expected a failure"),
        }
    }

    #[test]
    fn argv0_names_the_tool() {
        let (name, args, second) = run_of(resolve(argv(&["cat", "-n", "f"])));
        assert_eq!((name, second), ("cat", false));
        assert_eq!(args, ["cat", "-n", "f"]);
    }

    #[test]
    fn argv0_path_is_reduced_to_the_tool_name() {
        let (name, args, _) = run_of(resolve(argv(&["/usr/bin/sort", "-r"])));
        assert_eq!(name, "sort");
        assert_eq!(args, ["sort", "-r"]);
    }

    #[test]
    fn bracket_is_a_tool() {
        let (name, args, _) = run_of(resolve(argv(&["[", "-n", "x", "]"])));
        assert_eq!(name, "[");
        assert_eq!(args.len(), 4);
    }

    #[test]
    fn module_name_takes_the_tool_from_argv1() {
        let (name, args, second) = run_of(resolve(argv(&["wasm-agent-tools", "grep", "x"])));
        assert_eq!((name, second), ("grep", true));
        assert_eq!(args, ["grep", "x"]);
    }

    #[test]
    fn any_other_argv0_also_defers_to_argv1() {
        let (name, _, second) = run_of(resolve(argv(&["/x/tools.wasm", "wc"])));
        assert_eq!((name, second), ("wc", true));
    }

    #[test]
    fn argv1_must_be_an_exact_tool_name() {
        let (message, code) = failure_of(resolve(argv(&["tools.wasm", "/bin/cat"])));
        assert_eq!(code, UNKNOWN_TOOL);
        assert!(message.starts_with("wasm-agent-tools: unknown tool '/bin/cat'"));
    }

    #[test]
    fn module_options() {
        assert!(matches!(
            resolve(argv(&["wasm-agent-tools", "--list"])),
            Invocation::List
        ));
        assert!(matches!(resolve(argv(&["m", "--help"])), Invocation::Help));
        assert!(matches!(resolve(argv(&["m", "-V"])), Invocation::Version));
        let (message, code) = failure_of(resolve(argv(&["m", "--list", "x"])));
        assert_eq!(code, 1);
        assert!(message.contains("extra operand 'x'"));
    }

    #[test]
    fn missing_tool_name_is_an_error() {
        assert_eq!(failure_of(resolve(argv(&["wasm-agent-tools"]))).1, 1);
        assert_eq!(failure_of(resolve(Vec::new())).1, 1);
    }

    #[test]
    fn unknown_tool_is_an_error() {
        let (message, code) = failure_of(resolve(argv(&["wasm-agent-tools", "bash"])));
        assert_eq!(code, UNKNOWN_TOOL);
        assert!(message.contains("unknown tool 'bash'"));
    }
}
