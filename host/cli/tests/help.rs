//! Every subcommand explains itself with an example; completions cover
//! every subcommand.

use std::process::Command;

fn wasm_agent(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The subcommands the top-level help lists.
fn subcommands() -> Vec<String> {
    let help = wasm_agent(&["--help"]);
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_subcommand_has_an_example_in_its_help() {
    let commands = subcommands();
    assert!(commands.len() >= 17, "{commands:?}");
    for command in &commands {
        let help = wasm_agent(&[command, "--help"]);
        assert!(
            help.contains("xample") && help.contains("wasm-agent"),
            "`wasm-agent {command} --help` shows no example:\n{help}"
        );
    }
}

#[test]
fn completion_scripts_name_every_subcommand() {
    let commands = subcommands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = wasm_agent(&["completions", shell]);
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "{shell} completions miss {command}"
            );
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}
