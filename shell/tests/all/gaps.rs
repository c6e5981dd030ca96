//! Conformance gaps closed one by one (issue #3): arithmetic error
//! messages, named file descriptors, `GLOBIGNORE`, `${#v}` in the C
//! locale.
//!
//! Every expectation (stdout, stderr, status) is what GNU bash 5.2.15
//! printed for the same script, run with `bash -c` in an empty directory.

use std::sync::Arc;
use wasm_agent_shell::{ExecResult, Shell};
use wasm_agent_vfs::{MemFs, Vfs};

/// Runs `script` in a fresh shell over an empty in-memory filesystem.
fn run(script: &str) -> ExecResult {
    run_in(script, &[])
}

/// Runs `script` in `/w`, a directory holding the empty files `files`
/// (parent directories implied).
fn run_in(script: &str, files: &[&str]) -> ExecResult {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let fs = Arc::new(MemFs::new());
        fs.create_dir_all("/w").await.unwrap();
        for file in files {
            let path = format!("/w/{file}");
            if let Some((dir, _)) = path.rsplit_once('/') {
                fs.create_dir_all(dir).await.unwrap();
            }
            fs.write_file(&path, b"").await.unwrap();
        }
        let mut shell = Shell::builder(fs).cwd("/w").build();
        shell.exec(script).await
    })
}

/// One case: script, expected stdout, stderr and status.
type Case<'a> = (&'a str, &'a str, &'a str, i32);

/// Checks every case and reports all the mismatches at once.
#[track_caller]
fn cases(cases: &[Case]) {
    cases_in(&[], cases)
}

/// [`cases`] run in a directory holding `files` (see [`run_in`]).
#[track_caller]
fn cases_in(files: &[&str], cases: &[Case]) {
    let mut failures = Vec::new();
    for &(script, stdout, stderr, status) in cases {
        let result = run_in(script, files);
        let got = (
            result.stdout_lossy(),
            result.stderr_lossy(),
            result.exit_code,
        );
        if (got.0.as_str(), got.1.as_str(), got.2) != (stdout, stderr, status) {
            failures.push(format!(
                "script: {script}\n  expected: {:?}\n  got:      {got:?}",
                (stdout, stderr, status)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn arithmetic_errors_name_the_token_bash_names() {
    cases(&[
        (
            "echo $((1 + )); echo after",
            "",
            r#"bash: line 1: 1 + : syntax error: operand expected (error token is "+ ")
"#,
            1,
        ),
        (
            "echo $((2**-1))",
            "",
            r#"bash: line 1: 2**-1: exponent less than 0 (error token is "1")
"#,
            1,
        ),
        (
            "echo $((1 ** -2 + 3))",
            "",
            r#"bash: line 1: 1 ** -2 + 3: exponent less than 0 (error token is "+ 3")
"#,
            1,
        ),
        (
            r#"v="abc def"; echo $((v))"#,
            "",
            r#"bash: line 1: abc def: syntax error in expression (error token is "def")
"#,
            1,
        ),
        (
            "echo $((a b 08))",
            "",
            r#"bash: line 1: a b 08: value too great for base (error token is "08")
"#,
            1,
        ),
        (
            "echo $((1 + 08 + 2))",
            "",
            r#"bash: line 1: 1 + 08: value too great for base (error token is "08")
"#,
            1,
        ),
        (
            "echo $((1/0 + 2))",
            "",
            r#"bash: line 1: 1/0 + 2: division by 0 (error token is "0 + 2")
"#,
            1,
        ),
        (
            "echo $((x=5, y%=0))",
            "",
            r#"bash: line 1: x=5, y%=0: division by 0 (error token is "0")
"#,
            1,
        ),
        (
            "echo $((0 && 1/0)) $((1 || 1/0)) $((0 ? 1/0 : 2))",
            "0 1 2\n",
            "",
            0,
        ),
        (
            "echo $((1 @ 2))",
            "",
            r#"bash: line 1: 1 @ 2: syntax error: invalid arithmetic operator (error token is "@ 2")
"#,
            1,
        ),
        (
            "echo $((a.b))",
            "",
            r#"bash: line 1: a.b: syntax error: invalid arithmetic operator (error token is ".b")
"#,
            1,
        ),
        (
            "echo $((2#3)) after",
            "",
            r#"bash: line 1: 2#3: value too great for base (error token is "2#3")
"#,
            1,
        ),
        (
            "echo $((65#1))",
            "",
            r#"bash: line 1: 65#1: invalid arithmetic base (error token is "65#1")
"#,
            1,
        ),
        (
            "echo $((2#))",
            "",
            r#"bash: line 1: 2#: invalid integer constant (error token is "2#")
"#,
            1,
        ),
        (
            "echo $((0x1#1))",
            "",
            r#"bash: line 1: 0x1#1: invalid number (error token is "0x1#1")
"#,
            1,
        ),
        (
            "echo $((1 ? 2))",
            "",
            r#"bash: line 1: 1 ? 2: `:' expected for conditional expression (error token is "2")
"#,
            1,
        ),
        (
            "echo $((1 ? : 3))",
            "",
            r#"bash: line 1: 1 ? : 3: expression expected (error token is ": 3")
"#,
            1,
        ),
        (
            "echo $((3 = 4))",
            "",
            r#"bash: line 1: 3 = 4: attempted assignment to non-variable (error token is "= 4")
"#,
            1,
        ),
        (
            "echo $((x++ = 3))",
            "",
            r#"bash: line 1: x++ = 3: attempted assignment to non-variable (error token is "= 3")
"#,
            1,
        ),
        (
            "x=3; echo $((--x++))",
            "",
            r#"bash: line 1: --x++: ++: assignment requires lvalue (error token is "++")
"#,
            1,
        ),
        (
            "echo $(( (1 + 2 3) ))",
            "",
            r#"bash: line 1: (1 + 2 3) : missing `)' (error token is "3) ")
"#,
            1,
        ),
        (
            "echo $((a[1))",
            "",
            r#"bash: line 1: a[1: bad array subscript (error token is "a[1")
"#,
            1,
        ),
        (
            "x=x; echo $((x))",
            "",
            r#"bash: line 1: x: expression recursion level exceeded (error token is "x")
"#,
            1,
        ),
        (
            r#"a="1 +"; echo $((a * 2))"#,
            "",
            r#"bash: line 1: 1 +: syntax error: operand expected (error token is "+")
"#,
            1,
        ),
        (
            "a=(1 2); echo $((a[1+]))",
            "",
            r#"bash: line 1: 1+: syntax error: operand expected (error token is "+")
"#,
            1,
        ),
        (
            r#"let "x=1" "y=1/0"; echo $? $x"#,
            "1 1\n",
            r#"bash: line 1: let: y=1/0: division by 0 (error token is "0")
"#,
            0,
        ),
        (
            "(( 1 + + )); echo status $?",
            "status 1\n",
            r#"bash: line 1: ((: 1 + + : syntax error: operand expected (error token is "+ ")
"#,
            0,
        ),
        (
            "for ((i=0; i<; i++)); do echo $i; done; echo after",
            "after\n",
            r#"bash: line 1: ((: i<: syntax error: operand expected (error token is "<")
"#,
            0,
        ),
        (
            r#"declare -i n; n=abc; echo "[$n]"; n="3 4"; echo after"#,
            "[0]\n",
            r#"bash: line 1: 3 4: syntax error in expression (error token is "4")
"#,
            1,
        ),
        (
            r#"[[ 1 -eq "1 +" || 2 -gt 1 ]]; echo $?"#,
            "0\n",
            r#"bash: line 1: [[: 1 +: syntax error: operand expected (error token is "+")
"#,
            0,
        ),
        (
            "s=abc; echo ${s:1+}",
            "",
            r#"bash: line 1: s: 1+: syntax error: operand expected (error token is "+")
"#,
            1,
        ),
        (
            "set -- abc; echo ${1:0:1/0}",
            "",
            r#"bash: line 1: 1: 1/0: division by 0 (error token is "0")
"#,
            1,
        ),
        (
            "echo $((5++2)) $((5--2)) $((--5)) $((3 ** 0 ** 0))",
            "7 7 5 3\n",
            "",
            0,
        ),
        (
            "i=2; echo $((--i)) $((i--)) $i $((++i)) $((i++)) $i",
            "1 1 0 1 1 2\n",
            "",
            0,
        ),
        (
            "a=(1 2 3); i=0; (( a[i++] += 10 )); echo ${a[@]} $i",
            "11 2 3 1\n",
            "",
            0,
        ),
        (
            "declare -A A; A[x]=3; k=x; echo $((A[x] + A[$k])) $((A[k]))",
            "6 0\n",
            "",
            0,
        ),
        (
            "echo $((-9223372036854775808 / -1)) $((-9223372036854775808 % -1)) $((1 << 64)) $((99999999999999999999))",
            "-9223372036854775808 0 1 7766279631452241919\n",
            "",
            0,
        ),
        (
            "echo $((64#@)) $((64#_)) $((36#Z)) $((0x)) $((010))",
            "62 63 35 0 8\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn runaway_arithmetic_stops_before_the_stack_does() {
    // Recursion through variables stops where bash stops it, with its
    // message; deep nesting must finish, or fail cleanly, on the 2 MiB
    // stack of a test thread (bash has no limit there; ours depends on
    // the build's frame sizes).
    cases(&[
        (
            "x='x+1'; echo $((x))",
            "",
            "bash: line 1: x+1: expression recursion level exceeded (error token is \"x+1\")\n",
            1,
        ),
        (
            "x='1+(x)'; echo $((x))",
            "",
            "bash: line 1: 1+(x): expression recursion level exceeded (error token is \"x)\")\n",
            1,
        ),
    ]);
    let nested = |n: usize| format!("echo $(( {}1{} ))", "(".repeat(n), ")".repeat(n));
    assert_eq!(run(&nested(50)).stdout_lossy(), "1\n");
    let deep = run(&nested(600));
    let finished = (deep.stdout_lossy().as_str(), deep.exit_code) == ("1\n", 0);
    let stopped = deep.exit_code == 1
        && deep
            .stderr_lossy()
            .contains(": expression recursion level exceeded (error token is \"(");
    assert!(finished || stopped, "{deep:?}");
    let minuses = run(&format!("echo $(( {}1 ))", "- ".repeat(1000)));
    assert_eq!(minuses.stdout_lossy(), "1\n");
}

#[test]
fn named_descriptors_are_allocated_from_ten() {
    cases(&[
        (
            "exec {fd}>f; echo $fd; exec {g}>g; echo $g; exec {fd}>&-; exec {h}>f; echo $h",
            "10\n11\n10\n",
            "",
            0,
        ),
        (
            r#"exec {fd}> named.txt; echo "via named fd" >&$fd; exec {fd}>&-; echo "$(<named.txt)""#,
            "via named fd\n",
            "",
            0,
        ),
        (
            r#"printf 'first line\nsecond\n' > f.txt; exec {in}< f.txt; read -r line <&$in; exec {in}<&-; echo "$line""#,
            "first line\n",
            "",
            0,
        ),
        (
            "exec {fd}>f; exec {fd}>&-; echo x >&$fd",
            "",
            "bash: line 1: $fd: Bad file descriptor\n",
            1,
        ),
        (
            "exec {fd}>&-; echo $?; fd=abc; exec {fd}>&-; echo $?; fd=50; exec {fd}<&-; echo $?",
            "1\n0\n0\n",
            "bash: line 1: fd: ambiguous redirect\n",
            0,
        ),
        (
            r#"exec {fd}<<<"hello"; read -r l <&$fd; echo $l $fd"#,
            "hello 10\n",
            "",
            0,
        ),
        (
            "exec 10>f; exec {fd}>g; echo $fd",
            "11\n",
            "",
            0,
        ),
        (
            r#"echo {fd} >f; echo "$(<f)""#,
            "{fd}\n",
            "",
            0,
        ),
        (
            "readonly fd=3; exec {fd}>f; echo $?",
            "1\n",
            "bash: line 1: fd: readonly variable\nbash: line 1: fd: cannot assign fd to variable\n",
            0,
        ),
        (
            "exec {fd}>/nonexistent/x; echo $? ${fd-unset}",
            "1 unset\n",
            "bash: line 1: /nonexistent/x: No such file or directory\n",
            0,
        ),
        (
            "exec {a}>f {b}>g; echo $a $b",
            "10 11\n",
            "",
            0,
        ),
        (
            "exec {fd}>&1; echo $fd; echo to-dup >&$fd",
            "10\nto-dup\n",
            "",
            0,
        ),
        (
            "exec {fd}>&7; echo $?",
            "1\n",
            "bash: redirection error: cannot duplicate fd: Bad file descriptor\nbash: line 1: 7: Bad file descriptor\n",
            0,
        ),
        (
            "exec {fd}>&$nope; echo $?",
            "1\n",
            "bash: line 1: fd: ambiguous redirect\n",
            0,
        ),
        (
            "exec {fd[1]}>f; echo $? ${fd[1]}",
            "0 10\n",
            "",
            0,
        ),
        (
            r#"exec 3>f; exec {fd}>&3; echo hi >&$fd; echo "$(<f)""#,
            "hi\n",
            "",
            0,
        ),
        (
            r#"exec {fd}>>f; echo a >&$fd; exec {fd}<>f; echo $fd; echo "$(<f)""#,
            "11\na\n",
            "",
            0,
        ),
        (
            r#"n=7; echo x >&$n; echo x >&"$n"; echo $?"#,
            "1\n",
            r#"bash: line 1: $n: Bad file descriptor
bash: line 1: "$n": Bad file descriptor
"#,
            0,
        ),
    ]);
}

#[test]
fn globignore_drops_matches_and_shows_dotfiles() {
    let tree = [
        "a.txt",
        "b.txt",
        "c.log",
        ".hidden",
        ".config.txt",
        "dir/one.txt",
        "dir/two.md",
    ];
    cases_in(
        &tree,
        &[
            (
                r#"GLOBIGNORE="*.txt"; echo *"#,
                ".hidden c.log dir\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="*.txt"; echo dir/*"#,
                "dir/one.txt dir/two.md\n",
                "",
                0,
            ),
            (r#"GLOBIGNORE="*/*.txt"; echo dir/*"#, "dir/two.md\n", "", 0),
            (
                r#"GLOBIGNORE="*.txt:*.log"; echo *"#,
                ".hidden dir\n",
                "",
                0,
            ),
            (r#"GLOBIGNORE="*"; echo *"#, "*\n", "", 0),
            (
                r#"GLOBIGNORE=".*"; echo *"#,
                "a.txt b.txt c.log dir\n",
                "",
                0,
            ),
            (r#"GLOBIGNORE="x"; echo .*"#, ".config.txt .hidden\n", "", 0),
            (
                r#"GLOBIGNORE="x"; unset GLOBIGNORE; echo *"#,
                "a.txt b.txt c.log dir\n",
                "",
                0,
            ),
            (r#"GLOBIGNORE=""; echo *"#, "a.txt b.txt c.log dir\n", "", 0),
            (
                r#"GLOBIGNORE="[ab].txt"; echo *"#,
                ".config.txt .hidden c.log dir\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="A.TXT"; shopt -s nocaseglob; echo *"#,
                ".config.txt .hidden b.txt c.log dir\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="a.txt"; echo ./*"#,
                "./.config.txt ./.hidden ./a.txt ./b.txt ./c.log ./dir\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="./a.txt"; echo ./*"#,
                "./.config.txt ./.hidden ./b.txt ./c.log ./dir\n",
                "",
                0,
            ),
            (
                r#"f() { local GLOBIGNORE="*.txt"; echo *; }; f; echo *"#,
                ".hidden c.log dir\na.txt b.txt c.log dir\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="*.txt" echo *"#,
                "a.txt b.txt c.log dir\n",
                "",
                0,
            ),
            (r#"GLOBIGNORE="*.txt"; echo *.txt"#, "*.txt\n", "", 0),
            (
                r#"GLOBIGNORE="*.txt"; shopt -s nullglob; echo *.txt; echo end"#,
                "\nend\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="*.md"; shopt -s globstar; echo **"#,
                ".config.txt .hidden a.txt b.txt c.log dir dir/one.txt dir/two.md\n",
                "",
                0,
            ),
            (
                r#"GLOBIGNORE="*.txt"; for f in *; do echo "[$f]"; done"#,
                "[.hidden]\n[c.log]\n[dir]\n",
                "",
                0,
            ),
            (
                "GLOBIGNORE='@(a|b).txt:c*'; shopt -s extglob; echo *",
                ".config.txt .hidden dir\n",
                "",
                0,
            ),
        ],
    );
}

#[test]
fn length_counts_bytes_outside_utf8_locales() {
    // bash measures in characters only under a UTF-8 locale; the locale is
    // LC_ALL, else LC_CTYPE, else LANG, and the C locale without any.
    cases(&[
        ("v=héllo; echo ${#v}", "6\n", "", 0),
        ("LANG=C.UTF-8; v=héllo; echo ${#v}", "5\n", "", 0),
        (
            "LANG=C.UTF-8; v=héllo; LC_ALL=C; echo ${#v}; unset LC_ALL; echo ${#v}; LC_CTYPE=POSIX; echo ${#v}",
            "6\n5\n6\n",
            "",
            0,
        ),
        (
            "LC_ALL=C.utf8; a=(héllo é); set -- ééé; echo ${#a[0]} ${#a[@]} ${#1} ${#}",
            "5 2 3 1\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn named_descriptors_outlive_their_command() {
    cases(&[
        (
            r#"echo hi {fd}>f; echo more >&$fd; echo "$(<f)""#,
            "hi\nmore\n",
            "",
            0,
        ),
        (
            r#"f() { echo in; }; f {fd}>f; echo x >&$fd; exec {fd}>&-; echo "$(<f)""#,
            "in\nx\n",
            "",
            0,
        ),
        (
            r#"echo x >&""; echo $?; e=; echo x >&$e; read -r l <&$e; echo x 2>&$e; echo done"#,
            "1\ndone\n",
            r#"bash: line 1: "": Bad file descriptor
bash: line 1: $e: ambiguous redirect
bash: line 1: $e: ambiguous redirect
bash: line 1: $e: ambiguous redirect
"#,
            0,
        ),
    ]);
}
