//! `wasm-agent demo`: real tools over an in-memory project, printed like a
//! terminal session.

use std::time::Instant;
use wasm_agent::{Command, Runtime, Sandbox};

const FILES: &[(&str, &str)] = &[
    (
        "/project/src/main.rs",
        "fn main() {\n    // TODO: parse arguments\n    println!(\"hello\");\n}\n",
    ),
    (
        "/project/src/lib.rs",
        "pub fn add(a: i32, b: i32) -> i32 {\n    a + b // TODO: overflow\n}\n",
    ),
    (
        "/project/data/people.csv",
        "name,team,score\nada,core,91\nlin,web,78\nbob,core,85\nkim,web,93\n",
    ),
    (
        "/project/package.json",
        "{\"name\": \"demo\", \"version\": \"1.2.3\", \"dependencies\": {\"left-pad\": \"^1.3.0\"}}\n",
    ),
];

const COMMANDS: &[&[&str]] = &[
    &["ls", "-R", "/project"],
    &["grep", "-rn", "TODO", "/project/src"],
    &["wc", "-l", "/project/src/main.rs", "/project/src/lib.rs"],
    &["sort", "-t,", "-k3", "-n", "-r", "/project/data/people.csv"],
    &[
        "awk",
        "-F,",
        "NR > 1 { total[$2] += $3 } END { for (t in total) print t, total[t] }",
        "/project/data/people.csv",
    ],
    &["sed", "-n", "s/.*TODO: //p", "/project/src/main.rs"],
    &[
        "jq",
        "-r",
        ".name + \"@\" + .version",
        "/project/package.json",
    ],
    &["sha256sum", "/project/package.json"],
    &["find", "/project", "-name", "*.rs"],
    &["diff", "-u", "/project/src/main.rs", "/project/src/lib.rs"],
];

pub async fn run(runtime: &Runtime) -> wasm_agent::Result<i32> {
    let started = Instant::now();
    runtime.preload()?;
    println!("# guest tools loaded in {:.1?}", started.elapsed());
    let sandbox = Sandbox::builder(runtime).cwd("/").build();
    for (path, contents) in FILES {
        sandbox.write_file(path, contents).await?;
    }
    for argv in COMMANDS {
        let shown: Vec<String> = argv.iter().map(|a| shell_quote(a)).collect();
        println!("$ {}", shown.join(" "));
        let mut command = Command::new(argv[0]);
        command.args(argv[1..].iter().copied()).cwd("/project");
        let started = Instant::now();
        let out = sandbox.run_command(command).await?;
        let took = started.elapsed();
        print!("{}", out.stdout_lossy());
        eprint!("{}", out.stderr_lossy());
        println!("# exit {} in {:.0?}\n", out.exit_code, took);
    }
    Ok(0)
}

fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./,=".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}
