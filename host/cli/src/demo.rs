//! `wasm-agent demo`: real tools over an in-memory project, printed like a
//! terminal session.

use std::time::Instant;
use wasm_agent::{Runtime, Sandbox};

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

/// What an agent would type: each script runs with `Sandbox::exec` in a
/// shell over the sandbox (builtins in the host, every other command a
/// guest tool in its own wasm instance).
const SCRIPTS: &[&str] = &[
    "ls -R",
    "grep -rn TODO src | sort",
    "for f in src/*.rs; do echo \"$f: $(wc -l < \"$f\") lines\"; done",
    "sort -t, -k3 -nr data/people.csv | head -3",
    "awk -F, 'NR > 1 { total[$2] += $3 } END { for (t in total) print t, total[t] }' data/people.csv | sort",
    "jq -r '.name + \"@\" + .version' package.json",
    "cat > notes.md <<EOF\n# Notes\nversion: $(jq -r .version package.json)\nEOF\nsed -i 's/^version/Version/' notes.md && cat notes.md",
    "find . -name '*.rs' | xargs wc -l",
    "diff -u src/main.rs src/lib.rs; echo \"diff exit: $?\"",
    "declare -A teams; while IFS=, read -r name team score; do teams[$team]+=\"$name \"; done < <(tail -n +2 data/people.csv); for t in \"${!teams[@]}\"; do echo \"$t: ${teams[$t]}\"; done | sort",
];

pub async fn run(runtime: &Runtime) -> wasm_agent::Result<i32> {
    let started = Instant::now();
    runtime.preload()?;
    println!("# guest tools loaded in {:.1?}", started.elapsed());
    let sandbox = Sandbox::builder(runtime).cwd("/project").build();
    for (path, contents) in FILES {
        sandbox.write_file(path, contents).await?;
    }
    for script in SCRIPTS {
        println!("$ {}", script.replace('\n', "\n> "));
        let started = Instant::now();
        let out = sandbox.exec(script).await?;
        let took = started.elapsed();
        print!("{}", out.stdout_lossy());
        eprint!("{}", out.stderr_lossy());
        println!("# exit {} in {:.0?}\n", out.exit_code, took);
    }
    Ok(0)
}
