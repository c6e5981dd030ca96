//! Every bucket command's `--help` shows an example.

use crate::cli::wasm_agent;

#[test]
fn every_bucket_command_has_an_example_in_its_help() {
    let commands: &[&[&str]] = &[
        &["fork"],
        &["snapshot"],
        &["snapshot", "list"],
        &["checkpoint"],
        &["checkpoint", "list"],
        &["restore"],
        &["diff"],
        &["merge"],
        &["workspace"],
        &["workspace", "create"],
        &["workspace", "delete"],
        &["workspace", "forks"],
        &["workspace", "forks-delete"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let run = wasm_agent(&args, &[]);
        let help = run.ok();
        let name = command.join(" ");
        assert!(
            help.contains(&format!("wasm-agent {name} ")),
            "no example of `{name}` in:\n{help}"
        );
    }
}
