//! Every tool called over the protocol, with real sandboxes.

use crate::client::Client;
use serde_json::json;

#[test]
fn file_tools_and_bash_share_one_sandbox_across_calls() {
    let mut client = Client::initialized(&["--memory"]);
    let out = client.ok(
        "write",
        json!({"path": "/proj/src/main.rs", "content": "fn main() {\n    println!(\"hi\");\n}\n"}),
    );
    assert!(out.contains("/proj/src/main.rs"), "{out}");
    client.ok(
        "write",
        json!({"path": "/proj/README.md", "content": "# proj\n"}),
    );

    let out = client.ok("read", json!({"path": "/proj/src/main.rs"}));
    assert!(out.contains("     2\t    println!(\"hi\");"), "{out}");

    client.ok(
        "edit",
        json!({"path": "/proj/src/main.rs", "old_string": "\"hi\"", "new_string": "\"hello\""}),
    );
    let out = client.ok(
        "bash",
        json!({"command": "cd /proj && grep -c hello src/main.rs && ls"}),
    );
    assert_eq!(out, "1\nREADME.md\nsrc\n");

    let out = client.ok("grep", json!({"pattern": "print\\w+", "path": "/proj"}));
    assert!(out.contains("/proj/src/main.rs:2:"), "{out}");
    let out = client.ok("glob", json!({"pattern": "**/*.rs", "path": "/proj"}));
    assert_eq!(out.trim(), "/proj/src/main.rs");

    // A file written by bash is read by read.
    client.ok("bash", json!({"command": "seq 3 > /proj/n.txt"}));
    let out = client.ok("read", json!({"path": "/proj/n.txt"}));
    assert!(out.contains("     3\t3"), "{out}");
}

#[test]
fn failures_and_bad_arguments_are_error_results() {
    let mut client = Client::initialized(&["--memory"]);
    let out = client.fails("read", json!({}));
    assert!(out.contains("missing required argument 'path'"), "{out}");
    let out = client.fails("bash", json!({"command": 3}));
    assert!(out.contains("'command' must be"), "{out}");
    let out = client.fails("write", json!({"path": "/a", "content": "x", "bogus": 1}));
    assert!(out.contains("unknown argument 'bogus'"), "{out}");
    let out = client.fails("read", json!({"path": "/missing.txt"}));
    assert!(out.contains("no such file: /missing.txt"), "{out}");
    let out = client.fails("bash", json!({"command": "echo oops >&2; exit 3"}));
    assert!(out.contains("oops") && out.contains("3"), "{out}");
    let out = client.fails(
        "edit",
        json!({"path": "/nope", "old_string": "a", "new_string": "b"}),
    );
    assert!(out.contains("no such file"), "{out}");
    let out = client.fails("bash", json!({"command": "true", "sandbox": "ghost"}));
    assert!(
        out.contains("unknown sandbox 'ghost'") && out.contains("main"),
        "{out}"
    );
    let out = client.fails("restore", json!({"id": "never"}));
    assert!(out.contains("no snapshot 'never'"), "{out}");
    let out = client.fails("fork", json!({"name": "bad name!"}));
    assert!(out.contains("'name' must be"), "{out}");
}

#[test]
fn snapshot_then_change_then_restore() {
    let mut client = Client::initialized(&["--memory"]);
    client.ok("write", json!({"path": "/state.txt", "content": "one\n"}));
    let result = client.call("snapshot", json!({}));
    assert_eq!(result["isError"], false, "{result}");
    let id = result["structuredContent"]["id"]
        .as_str()
        .expect("an id")
        .to_string();

    client.ok(
        "bash",
        json!({"command": "echo two > /state.txt; touch /extra"}),
    );
    assert_eq!(
        client.ok("bash", json!({"command": "cat /state.txt"})),
        "two\n"
    );

    let named = client.call("snapshot", json!({"name": "after-two"}));
    assert_eq!(named["structuredContent"]["id"], "after-two", "{named}");

    client.ok("restore", json!({"id": id}));
    assert_eq!(
        client.ok(
            "bash",
            json!({"command": "cat /state.txt; ls /extra 2>&1 || true"})
        ),
        "one\nls: cannot access '/extra': No such file or directory\n"
    );
    // Snapshots stay usable: restore the later one, then the first again.
    client.ok("restore", json!({"id": "after-two"}));
    assert_eq!(
        client.ok("bash", json!({"command": "cat /state.txt"})),
        "two\n"
    );
    client.ok("restore", json!({"id": id}));
    assert_eq!(
        client.ok("bash", json!({"command": "cat /state.txt"})),
        "one\n"
    );
}

#[test]
fn forks_are_named_sandboxes_isolated_from_main() {
    let mut client = Client::initialized(&["--memory"]);
    client.ok("write", json!({"path": "/f.txt", "content": "base\n"}));
    let result = client.call("fork", json!({"name": "try-b"}));
    assert_eq!(result["structuredContent"]["sandbox"], "try-b", "{result}");

    client.ok(
        "write",
        json!({"path": "/f.txt", "content": "fork\n", "sandbox": "try-b"}),
    );
    client.ok("bash", json!({"command": "echo main > /only-main"}));
    assert_eq!(
        client.ok("bash", json!({"command": "cat /f.txt"})),
        "base\n"
    );
    assert_eq!(
        client.ok(
            "bash",
            json!({"command": "cat /f.txt; test -e /only-main || echo absent", "sandbox": "try-b"})
        ),
        "fork\nabsent\n"
    );
    // A snapshot of main restored into the fork.
    client.call("snapshot", json!({"name": "m"}));
    client.ok("restore", json!({"id": "m", "sandbox": "try-b"}));
    assert_eq!(
        client
            .ok("read", json!({"path": "/only-main", "sandbox": "try-b"}))
            .trim(),
        "1\tmain"
    );

    let out = client.fails("fork", json!({"name": "try-b"}));
    assert!(out.contains("already exists"), "{out}");
}

#[test]
fn a_mounted_host_directory_is_read_and_written_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "from the host\n").unwrap();
    let mount = format!("{}:/work", dir.path().display());
    let mut client = Client::initialized(&["--memory", "--mount", &mount]);

    let out = client.ok("read", json!({"path": "/work/notes.txt"}));
    assert!(out.contains("from the host"), "{out}");
    client.ok(
        "write",
        json!({"path": "/work/new.txt", "content": "from the sandbox\n"}),
    );
    client.ok(
        "bash",
        json!({"command": "cd /work && sed -i 's/host/HOST/' notes.txt"}),
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("new.txt")).unwrap(),
        "from the sandbox\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "from the HOST\n"
    );
    let out = client.ok("glob", json!({"pattern": "*.txt", "path": "/work"}));
    assert_eq!(out.trim(), "/work/new.txt\n/work/notes.txt");

    // Snapshots could not roll a host directory back: refused, with why.
    let out = client.fails("snapshot", json!({}));
    assert!(out.contains("--memory") && out.contains("fork"), "{out}");
    // A fork's writes stay in the fork, never on the host.
    client.ok("fork", json!({"name": "scratch"}));
    client.ok(
        "write",
        json!({"path": "/work/scratch.txt", "content": "x", "sandbox": "scratch"}),
    );
    assert!(!dir.path().join("scratch.txt").exists());
    assert_eq!(client.close(std::time::Duration::from_secs(10)), 0);
}
