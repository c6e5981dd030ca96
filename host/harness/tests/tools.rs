//! The built-in tools against a real sandbox with the guest tools: one
//! module per tool, each test one clause of the tool's contract.

use serde_json::{json, Value};
use std::sync::Arc;
use wasm_agent::runtime::ModuleSource;
use wasm_agent::{Runtime, Sandbox};
use wasm_agent_harness::tools::{
    builtin_tools, BashTool, EditTool, GlobTool, GrepTool, ReadTool, Tool, ToolContext, ToolOutput,
    WriteTool,
};

/// The runtime with the real guest tools, loaded once for the binary.
///
/// The tools module is `$WASM_AGENT_TOOLS`, else this workspace's build
/// output: `wasm_agent`'s own default names the checkout it was compiled
/// from, which another worktree sharing the target directory may be.
fn runtime() -> &'static Runtime {
    static RUNTIME: std::sync::OnceLock<Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        let tools = std::env::var_os("WASM_AGENT_TOOLS").map_or_else(
            || {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../target/guest-tools/tools.wasm")
            },
            std::path::PathBuf::from,
        );
        let runtime = Runtime::builder()
            .tools(ModuleSource::File(tools))
            .build()
            .expect("runtime builds");
        if let Err(err) = runtime.preload() {
            panic!("{err}\n(the tools module is built by scripts/build-guest-tools.sh)");
        }
        runtime
    })
}

/// A fresh sandbox, working in `/work`.
async fn ctx() -> ToolContext {
    let sandbox = Sandbox::new(runtime());
    sandbox.mkdir("/work", true).await.unwrap();
    ToolContext::new(Arc::new(sandbox)).with_cwd("/work")
}

async fn call(tool: &dyn Tool, ctx: &ToolContext, args: Value) -> ToolOutput {
    tool.call(ctx, args).await
}

fn ok(out: ToolOutput) -> String {
    assert!(!out.is_error, "unexpected error: {}", out.content);
    out.content
}

fn err(out: ToolOutput) -> String {
    assert!(out.is_error, "expected an error, got: {}", out.content);
    out.content
}

mod registry {
    use super::*;

    #[test]
    fn builtins_have_names_descriptions_and_object_schemas() {
        let names: Vec<String> = builtin_tools()
            .iter()
            .map(|t| t.name().to_string())
            .collect();
        assert_eq!(names, ["read", "write", "edit", "bash", "grep", "glob"]);
        for tool in builtin_tools() {
            assert!(!tool.description().is_empty());
            let schema = tool.parameters();
            assert_eq!(schema["type"], "object", "{}", tool.name());
            assert!(schema["required"].is_array(), "{}", tool.name());
        }
    }

    #[tokio::test]
    async fn calls_in_one_turn_run_concurrently_on_one_sandbox() {
        let ctx = ctx().await;
        ctx.files()
            .write_file("/work/a.txt", "hello\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let (one, two, read, grep) = tokio::join!(
            call(&BashTool, &ctx, json!({"command": "sleep 0.5; echo one"})),
            call(&BashTool, &ctx, json!({"command": "sleep 0.5; echo two"})),
            call(&ReadTool, &ctx, json!({"path": "a.txt"})),
            call(&GrepTool, &ctx, json!({"pattern": "hel+o"})),
        );
        assert_eq!(ok(one), "one\n");
        assert_eq!(ok(two), "two\n");
        assert_eq!(ok(read), "     1\thello\n");
        assert_eq!(ok(grep), "./a.txt:1:hello\n");
        // Two half-second sleeps one after the other would take a second.
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_millis(900), "{took:?}");
    }

    #[tokio::test]
    async fn bad_arguments_come_back_as_tool_errors() {
        let ctx = ctx().await;
        let msg = err(call(&EditTool, &ctx, json!({"path": "a", "new_string": "x"})).await);
        assert_eq!(msg, "edit: missing required argument 'old_string'");
        let msg = err(call(&ReadTool, &ctx, json!({"path": 3})).await);
        assert_eq!(
            msg,
            "read: argument 'path' must be a string, got an integer (3)"
        );
        let msg = err(call(
            &GrepTool,
            &ctx,
            json!({"pattern": "x", "output_mode": "lines"}),
        )
        .await);
        assert!(
            msg.starts_with("grep: argument 'output_mode' must be one of"),
            "{msg}"
        );
        let msg = err(call(&BashTool, &ctx, json!({"command": "true", "cwd": "/"})).await);
        assert_eq!(
            msg,
            "bash: unknown argument 'cwd' (arguments: command, timeout)"
        );
    }
}

mod read {
    use super::*;

    #[tokio::test]
    async fn numbers_lines_like_cat_n() {
        let ctx = ctx().await;
        ctx.files()
            .write_file("/work/a.txt", "one\ntwo\n\tthree\n")
            .await
            .unwrap();
        let out = ok(call(&ReadTool, &ctx, json!({"path": "a.txt"})).await);
        assert_eq!(out, "     1\tone\n     2\ttwo\n     3\t\tthree\n");
    }

    #[tokio::test]
    async fn offset_and_limit_pick_a_window_and_say_what_remains() {
        let ctx = ctx().await;
        let text: String = (1..=10).map(|i| format!("line {i}\n")).collect();
        ctx.files().write_file("/work/a.txt", text).await.unwrap();
        let out = ok(call(
            &ReadTool,
            &ctx,
            json!({"path": "/work/a.txt", "offset": 3, "limit": 2}),
        )
        .await);
        assert_eq!(
            out,
            "     3\tline 3\n     4\tline 4\n… 6 more lines; use offset 5 to read on\n"
        );
        let out = ok(call(&ReadTool, &ctx, json!({"path": "a.txt", "offset": 9})).await);
        assert_eq!(out, "     9\tline 9\n    10\tline 10\n");
        let msg = err(call(&ReadTool, &ctx, json!({"path": "a.txt", "offset": 11})).await);
        assert_eq!(
            msg,
            "read: offset 11 is past the end of /work/a.txt, which has 10 lines"
        );
    }

    #[tokio::test]
    async fn default_limit_is_2000_lines() {
        let ctx = ctx().await;
        let text: String = (1..=2500).map(|i| format!("{i}\n")).collect();
        ctx.files().write_file("/work/big.txt", text).await.unwrap();
        let out = ok(call(&ReadTool, &ctx, json!({"path": "big.txt"})).await);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2001);
        assert_eq!(lines[1999], "  2000\t2000");
        assert_eq!(lines[2000], "… 500 more lines; use offset 2001 to read on");
    }

    #[tokio::test]
    async fn long_lines_are_cut_with_a_marker() {
        let ctx = ctx().await;
        let line = "x".repeat(2500);
        ctx.files()
            .write_file("/work/long.txt", format!("{line}\nshort\n"))
            .await
            .unwrap();
        let out = ok(call(&ReadTool, &ctx, json!({"path": "long.txt"})).await);
        let first = out.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "     1\t{}… [line truncated: 500 more characters]",
                "x".repeat(2000)
            )
        );
        assert!(out.ends_with("     2\tshort\n"));
    }

    #[tokio::test]
    async fn binary_files_are_reported_not_dumped() {
        let ctx = ctx().await;
        ctx.files()
            .write_file("/work/nul.bin", b"ab\0cd")
            .await
            .unwrap();
        ctx.files()
            .write_file("/work/bad.bin", b"\xff\xfe\xfd text")
            .await
            .unwrap();
        let out = ok(call(&ReadTool, &ctx, json!({"path": "nul.bin"})).await);
        assert_eq!(out, "/work/nul.bin: binary file, 5 bytes (not shown)");
        let out = ok(call(&ReadTool, &ctx, json!({"path": "bad.bin"})).await);
        assert_eq!(out, "/work/bad.bin: binary file, 8 bytes (not shown)");
    }

    #[tokio::test]
    async fn files_over_10_mb_need_a_window() {
        let ctx = ctx().await;
        let line = format!("{}\n", "y".repeat(1023));
        let text = line.repeat(10 * 1024 + 1);
        ctx.files()
            .write_file("/work/huge.txt", &text)
            .await
            .unwrap();
        let msg = err(call(&ReadTool, &ctx, json!({"path": "huge.txt"})).await);
        assert_eq!(
            msg,
            format!(
                "read: /work/huge.txt is {} bytes, over the 10 MB limit for a whole read; \
                 read a part with offset and limit, or search it with grep",
                text.len()
            )
        );
        let out = ok(call(
            &ReadTool,
            &ctx,
            json!({"path": "huge.txt", "offset": 10241, "limit": 5}),
        )
        .await);
        assert!(out.starts_with(" 10241\tyyy"), "{out:.40}");
        assert_eq!(out.lines().count(), 1);
    }

    #[tokio::test]
    async fn a_window_of_a_huge_file_reads_only_up_to_it() {
        let ctx = ctx().await;
        let line = format!("{}\n", "z".repeat(1023));
        let text = format!("first\n{}", line.repeat(11 * 1024));
        ctx.files()
            .write_file("/work/huge.txt", &text)
            .await
            .unwrap();
        let out = ok(call(&ReadTool, &ctx, json!({"path": "huge.txt", "limit": 1})).await);
        assert_eq!(
            out,
            format!(
                "     1\tfirst\n… more lines follow (/work/huge.txt is {} bytes); use offset 2 to read on\n",
                text.len()
            )
        );
    }

    #[tokio::test]
    async fn lines_across_read_chunks_and_a_last_line_without_newline() {
        let ctx = ctx().await;
        // Line 2 spans two 64 KB chunks; line 3 has no newline.
        let text = format!("a\n{}\nlast", "é".repeat(40_000));
        ctx.files().write_file("/work/t.txt", &text).await.unwrap();
        let out = ok(call(&ReadTool, &ctx, json!({"path": "t.txt"})).await);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[1],
            format!(
                "     2\t{}… [line truncated: 38000 more characters]",
                "é".repeat(2000)
            )
        );
        assert_eq!(lines[2], "     3\tlast");
        let out = ok(call(&ReadTool, &ctx, json!({"path": "t.txt", "offset": 3})).await);
        assert_eq!(out, "     3\tlast\n");
    }

    #[tokio::test]
    async fn directories_and_missing_files_are_named() {
        let ctx = ctx().await;
        ctx.files().mkdir("/work/dir", false).await.unwrap();
        let msg = err(call(&ReadTool, &ctx, json!({"path": "dir"})).await);
        assert_eq!(
            msg,
            "read: /work/dir is a directory, not a file; list it with glob or `ls` in bash"
        );
        let msg = err(call(&ReadTool, &ctx, json!({"path": "nope.txt"})).await);
        assert_eq!(msg, "read: no such file: /work/nope.txt");
        let out = ok(call(&ReadTool, &ctx, json!({"path": "/dev/null"})).await);
        assert_eq!(out, "/dev/null: empty file (0 bytes)");
    }
}

mod write {
    use super::*;

    #[tokio::test]
    async fn creates_parents_and_reports_bytes() {
        let ctx = ctx().await;
        let out = ok(call(
            &WriteTool,
            &ctx,
            json!({"path": "a/b/c.txt", "content": "héllo\n"}),
        )
        .await);
        assert_eq!(out, "Wrote 7 bytes to /work/a/b/c.txt (new file)");
        assert_eq!(
            ctx.files().read_file("/work/a/b/c.txt").await.unwrap(),
            "héllo\n"
        );
        let out = ok(call(
            &WriteTool,
            &ctx,
            json!({"path": "a/b/c.txt", "content": "x"}),
        )
        .await);
        assert_eq!(out, "Wrote 1 byte to /work/a/b/c.txt (replaced)");
        assert_eq!(ctx.files().read_file("/work/a/b/c.txt").await.unwrap(), "x");
    }

    #[tokio::test]
    async fn refuses_a_directory() {
        let ctx = ctx().await;
        let msg = err(call(&WriteTool, &ctx, json!({"path": "/work", "content": ""})).await);
        assert_eq!(
            msg,
            "write: /work is a directory; give a file path inside it"
        );
    }
}

mod edit {
    use super::*;

    const SOURCE: &str = "fn main() {\n    let x = 1;\n    println!(\"{x}\");\n    let x = 1;\n}\n";

    async fn with_source() -> ToolContext {
        let ctx = ctx().await;
        ctx.files()
            .write_file("/work/main.rs", SOURCE)
            .await
            .unwrap();
        ctx
    }

    #[tokio::test]
    async fn replaces_a_unique_match_and_shows_context() {
        let ctx = with_source().await;
        let args = json!({"path": "main.rs", "old_string": "println!(\"{x}\");", "new_string": "dbg!(x);"});
        let out = ok(call(&EditTool, &ctx, args).await);
        assert_eq!(
            out,
            "Replaced 1 occurrence in /work/main.rs.\n     1\tfn main() {\n     2\t    let x = 1;\n     3\t    dbg!(x);\n     4\t    let x = 1;\n     5\t}\n"
        );
        let text = ctx.files().read_file("/work/main.rs").await.unwrap();
        assert_eq!(text, SOURCE.replace("println!(\"{x}\");", "dbg!(x);"));
    }

    #[tokio::test]
    async fn ambiguity_is_refused_with_count_and_lines() {
        let ctx = with_source().await;
        let args =
            json!({"path": "main.rs", "old_string": "let x = 1;", "new_string": "let x = 2;"});
        let msg = err(call(&EditTool, &ctx, args).await);
        assert_eq!(
            msg,
            "edit: old_string occurs 2 times in /work/main.rs (at lines 2, 4); include more \
             surrounding text to make it unique, or set replace_all to true"
        );
        assert_eq!(
            ctx.files().read_file("/work/main.rs").await.unwrap(),
            SOURCE
        );
        let args = json!({"path": "main.rs", "old_string": "let x = 1;", "new_string": "let x = 2;", "replace_all": true});
        let out = ok(call(&EditTool, &ctx, args).await);
        assert!(
            out.starts_with("Replaced 2 occurrences in /work/main.rs.\n"),
            "{out}"
        );
        assert_eq!(
            ctx.files().read_file("/work/main.rs").await.unwrap(),
            SOURCE.replace("let x = 1;", "let x = 2;")
        );
    }

    #[tokio::test]
    async fn no_match_says_so_and_hints_at_whitespace() {
        let ctx = with_source().await;
        let args = json!({"path": "main.rs", "old_string": "\tprintln!(\"{x}\");\n  let x = 1;", "new_string": "y"});
        let msg = err(call(&EditTool, &ctx, args).await);
        assert_eq!(
            msg,
            "edit: old_string was not found in /work/main.rs; lines 3-4 match it if \
             leading/trailing whitespace is ignored: check the indentation (tabs vs spaces) \
             and copy the text exactly as the file has it"
        );
        let args = json!({"path": "main.rs", "old_string": "absent", "new_string": "y"});
        let msg = err(call(&EditTool, &ctx, args).await);
        assert_eq!(
            msg,
            "edit: old_string was not found in /work/main.rs; read the file again and copy \
             old_string exactly (without the line-number prefix)"
        );
    }

    #[tokio::test]
    async fn same_strings_empty_old_and_missing_file_are_errors() {
        let ctx = with_source().await;
        let msg = err(call(
            &EditTool,
            &ctx,
            json!({"path": "main.rs", "old_string": "x", "new_string": "x"}),
        )
        .await);
        assert_eq!(
            msg,
            "edit: old_string and new_string are the same; there is nothing to change"
        );
        let msg = err(call(
            &EditTool,
            &ctx,
            json!({"path": "main.rs", "old_string": "", "new_string": "x"}),
        )
        .await);
        assert_eq!(
            msg,
            "edit: old_string is empty; to create or replace a whole file, use write"
        );
        let msg = err(call(
            &EditTool,
            &ctx,
            json!({"path": "no.rs", "old_string": "a", "new_string": "b"}),
        )
        .await);
        assert_eq!(
            msg,
            "edit: no such file: /work/no.rs; to create it, use write"
        );
    }
}

mod bash {
    use super::*;

    #[tokio::test]
    async fn stdout_then_stderr_in_the_working_directory() {
        let ctx = ctx().await;
        let out = ok(call(
            &BashTool,
            &ctx,
            json!({"command": "echo err >&2; pwd; printf tail"}),
        )
        .await);
        assert_eq!(out, "/work\ntail\nerr\n");
    }

    #[tokio::test]
    async fn failure_appends_the_exit_code() {
        let ctx = ctx().await;
        let out = err(call(
            &BashTool,
            &ctx,
            json!({"command": "echo partial; ls /missing; exit 3"}),
        )
        .await);
        assert_eq!(
            out,
            "partial\nls: cannot access '/missing': No such file or directory\nCommand exited with code 3\n"
        );
    }

    #[tokio::test]
    async fn empty_output_is_named() {
        let ctx = ctx().await;
        assert_eq!(
            ok(call(&BashTool, &ctx, json!({"command": "true"})).await),
            "(no output)\n"
        );
        assert_eq!(
            err(call(&BashTool, &ctx, json!({"command": "false"})).await),
            "(no output)\nCommand exited with code 1\n"
        );
    }

    #[tokio::test]
    async fn long_output_keeps_the_last_2000_lines() {
        let ctx = ctx().await;
        let out = ok(call(&BashTool, &ctx, json!({"command": "seq 1 5000"})).await);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "[output truncated: first 3000 lines omitted]");
        assert_eq!(lines[1], "3001");
        assert_eq!(lines.last(), Some(&"5000"));
        assert_eq!(lines.len(), 2001);
    }

    #[tokio::test]
    async fn wide_output_keeps_the_last_50_kb() {
        let ctx = ctx().await;
        // 600 lines of 100 bytes (99 + newline): 60 KB, under 2,000 lines.
        let script = "for i in $(seq 1 600); do printf '%099d\\n' $i; done";
        let out = ok(call(&BashTool, &ctx, json!({"command": script})).await);
        let (note, body) = out.split_once('\n').unwrap();
        assert_eq!(note, "[output truncated: first 88 lines omitted]");
        assert!(body.len() <= 50 * 1024 + 1, "{}", body.len());
        assert!(body.starts_with(&format!("{:099}\n", 89)), "{:.120}", body);
        assert!(body.ends_with(&format!("{:099}\n", 600)));
    }

    #[tokio::test]
    async fn timeout_is_a_result_with_status_124() {
        let ctx = ctx().await;
        let started = std::time::Instant::now();
        let out = err(call(
            &BashTool,
            &ctx,
            json!({"command": "echo before; sleep 5; echo after", "timeout": 0.5}),
        )
        .await);
        assert!(
            started.elapsed().as_secs_f64() < 4.0,
            "{:?}",
            started.elapsed()
        );
        assert!(out.starts_with("before\n"), "{out}");
        assert!(!out.contains("\nafter\n"), "{out}");
        assert!(out.ends_with("Command timed out after 0.5 s\n"), "{out}");
        // An ordinary exit 124 is not called a timeout.
        let out = err(call(&BashTool, &ctx, json!({"command": "exit 124"})).await);
        assert_eq!(out, "(no output)\nCommand exited with code 124\n");
        let msg = err(call(&BashTool, &ctx, json!({"command": "true", "timeout": 601})).await);
        assert_eq!(
            msg,
            "bash: timeout 601 is out of range; give seconds above 0 and at most 600"
        );
    }
}

mod grep {
    use super::*;

    async fn tree() -> ToolContext {
        let ctx = ctx().await;
        let sb = ctx.files();
        sb.write_file("/work/src/a.rs", "fn alpha() {}\n// TODO: one\n")
            .await
            .unwrap();
        sb.write_file("/work/src/b.rs", "// todo: two\n// TODO: three\n")
            .await
            .unwrap();
        sb.write_file("/work/notes.md", "TODO in notes\n")
            .await
            .unwrap();
        sb.write_file(
            "/work/dir with space/it's $(x).txt",
            "cost: $(rm -rf /work) 'q' \"d\"\n",
        )
        .await
        .unwrap();
        ctx
    }

    #[tokio::test]
    async fn content_mode_shows_path_line_text() {
        let ctx = tree().await;
        let out = ok(call(&GrepTool, &ctx, json!({"pattern": "TODO", "path": "src"})).await);
        let mut lines: Vec<&str> = out.lines().collect();
        lines.sort_unstable();
        assert_eq!(
            lines,
            ["src/a.rs:2:// TODO: one", "src/b.rs:2:// TODO: three"]
        );
    }

    #[tokio::test]
    async fn files_count_ignore_case_and_glob() {
        let ctx = tree().await;
        let out = ok(call(
            &GrepTool,
            &ctx,
            json!({"pattern": "todo", "ignore_case": true, "output_mode": "files_with_matches"}),
        )
        .await);
        assert_eq!(out, "./notes.md\n./src/a.rs\n./src/b.rs\n");
        let out = ok(call(
            &GrepTool,
            &ctx,
            json!({"pattern": "todo", "ignore_case": true, "output_mode": "count", "glob": "*.rs"}),
        )
        .await);
        assert_eq!(out, "./src/a.rs:1\n./src/b.rs:2\n");
    }

    #[tokio::test]
    async fn context_lines_and_max_results() {
        let ctx = tree().await;
        let out = ok(call(
            &GrepTool,
            &ctx,
            json!({"pattern": "TODO: one", "path": "src/a.rs", "context": 1}),
        )
        .await);
        assert_eq!(out, "src/a.rs-1-fn alpha() {}\nsrc/a.rs:2:// TODO: one\n");
        let out = ok(call(
            &GrepTool,
            &ctx,
            json!({"pattern": ".", "path": "src", "max_results": 2}),
        )
        .await);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert_eq!(
            lines[2],
            "[results truncated: showing 2 of 4 lines; narrow the pattern or path, or raise max_results]"
        );
    }

    #[tokio::test]
    async fn patterns_are_perl_style() {
        let ctx = tree().await;
        ctx.files()
            .write_file("/work/n.txt", "no digits\nport 8080\n")
            .await
            .unwrap();
        let out = ok(call(
            &GrepTool,
            &ctx,
            json!({"pattern": "\\d{4}", "path": "n.txt"}),
        )
        .await);
        assert_eq!(out, "n.txt:2:port 8080\n");
        let args = json!({"pattern": "(?i)todo:\\s+t\\w+", "output_mode": "files_with_matches"});
        assert_eq!(ok(call(&GrepTool, &ctx, args).await), "./src/b.rs\n");
    }

    #[tokio::test]
    async fn the_whole_tree_is_searched_without_reading_devices() {
        let ctx = tree().await;
        let args = json!({"pattern": "TODO in", "path": "/"});
        let out = ok(call(&GrepTool, &ctx, args).await);
        assert_eq!(out, "/work/notes.md:1:TODO in notes\n");
    }

    #[tokio::test]
    async fn no_matches_and_bad_input() {
        let ctx = tree().await;
        assert_eq!(
            ok(call(&GrepTool, &ctx, json!({"pattern": "zzz"})).await),
            "No matches\n"
        );
        let msg = err(call(&GrepTool, &ctx, json!({"pattern": "x", "path": "nowhere"})).await);
        assert_eq!(msg, "grep: no such file or directory: /work/nowhere");
        let msg = err(call(&GrepTool, &ctx, json!({"pattern": "(unclosed"})).await);
        assert!(msg.contains("grep"), "{msg}");
    }

    #[tokio::test]
    async fn special_characters_are_data_not_shell() {
        let ctx = tree().await;
        let args = json!({"pattern": "\\$\\(rm -rf /work\\) 'q' \"d\"", "path": "dir with space"});
        let out = ok(call(&GrepTool, &ctx, args).await);
        assert_eq!(
            out,
            "dir with space/it's $(x).txt:1:cost: $(rm -rf /work) 'q' \"d\"\n"
        );
        // A pattern that would run a command in a shell only searches.
        let args = json!({"pattern": "$(touch /work/pwned)", "glob": "*'$(touch /work/pwned2)'*"});
        call(&GrepTool, &ctx, args).await;
        let args = json!({"pattern": "-rf", "path": "dir with space/it's $(x).txt", "output_mode": "count"});
        let out = ok(call(&GrepTool, &ctx, args).await);
        assert_eq!(out, "dir with space/it's $(x).txt:1\n");
        assert!(!ctx.files().exists("/work/pwned").await);
        assert!(!ctx.files().exists("/work/pwned2").await);
        assert!(ctx.files().exists("/work/src/a.rs").await);
    }
}

mod glob {
    use super::*;

    async fn tree() -> ToolContext {
        let ctx = ctx().await;
        for path in [
            "/work/Cargo.toml",
            "/work/src/main.rs",
            "/work/src/lib/mod.rs",
            "/work/src/lib/deep/x.rs",
            "/work/src/lib/deep/x.txt",
            "/work/odd dir/it's $(y).rs",
        ] {
            ctx.files().write_file(path, "").await.unwrap();
        }
        ctx
    }

    #[tokio::test]
    async fn double_star_spans_directories_and_results_are_sorted() {
        let ctx = tree().await;
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "**/*.rs"})).await);
        assert_eq!(
            out,
            "/work/odd dir/it's $(y).rs\n/work/src/lib/deep/x.rs\n/work/src/lib/mod.rs\n/work/src/main.rs\n"
        );
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "src/lib/**/*.rs"})).await);
        assert_eq!(out, "/work/src/lib/deep/x.rs\n/work/src/lib/mod.rs\n");
    }

    #[tokio::test]
    async fn star_stays_in_one_directory() {
        let ctx = tree().await;
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "src/*.rs"})).await);
        assert_eq!(out, "/work/src/main.rs\n");
        let out = ok(call(
            &GlobTool,
            &ctx,
            json!({"pattern": "*", "path": "/work/src/lib/deep"}),
        )
        .await);
        assert_eq!(out, "/work/src/lib/deep/x.rs\n/work/src/lib/deep/x.txt\n");
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "**/x.{rs,txt}"})).await);
        assert_eq!(out, "/work/src/lib/deep/x.rs\n/work/src/lib/deep/x.txt\n");
    }

    #[tokio::test]
    async fn absolute_patterns_and_the_root() {
        let ctx = tree().await;
        let out = ok(call(
            &GlobTool,
            &ctx,
            json!({"pattern": "/work/src/*.rs", "path": "/tmp"}),
        )
        .await);
        assert_eq!(out, "/work/src/main.rs\n");
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "**/x.txt", "path": "/"})).await);
        assert_eq!(out, "/work/src/lib/deep/x.txt\n");
    }

    #[tokio::test]
    async fn special_characters_are_data_not_shell() {
        let ctx = tree().await;
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "odd dir/it's $(y).rs"})).await);
        assert_eq!(out, "/work/odd dir/it's $(y).rs\n");
        ctx.files()
            .write_file("/work/odd dir/a[1*.rs", "")
            .await
            .unwrap();
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "**/a[1\\*.rs"})).await);
        assert_eq!(out, "/work/odd dir/a[1*.rs\n");
        let out = ok(call(
            &GlobTool,
            &ctx,
            json!({"pattern": "*$(touch pwned)*", "path": "odd dir"}),
        )
        .await);
        assert_eq!(out, "No matches\n");
        assert!(!ctx.files().exists("/work/pwned").await);
        assert!(!ctx.files().exists("/work/odd dir/pwned").await);
    }

    #[tokio::test]
    async fn no_matches_truncation_and_bad_input() {
        let ctx = tree().await;
        assert_eq!(
            ok(call(&GlobTool, &ctx, json!({"pattern": "**/*.py"})).await),
            "No matches\n"
        );
        assert_eq!(
            ok(call(&GlobTool, &ctx, json!({"pattern": "nodir/*.rs"})).await),
            "No matches\n"
        );
        let msg = err(call(&GlobTool, &ctx, json!({"pattern": "*", "path": "missing"})).await);
        assert_eq!(msg, "glob: no such directory: /work/missing");
        let msg = err(call(&GlobTool, &ctx, json!({"pattern": "{a,b"})).await);
        assert!(msg.starts_with("glob: unclosed '{'"), "{msg}");
        ctx.exec(
            "mkdir -p /work/many && cd /work/many && for i in $(seq 1 1005); do : > f$i; done",
            Default::default(),
        )
        .await
        .unwrap();
        let out = ok(call(&GlobTool, &ctx, json!({"pattern": "many/*"})).await);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1001);
        assert_eq!(
            lines[1000],
            "[results truncated: showing 1000 of 1005 paths; use a narrower pattern or path]"
        );
    }
}
