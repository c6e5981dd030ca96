use crate::check;

#[test]
fn echo_and_status() {
    check("echo hi", "hi\n", 0);
    check("false", "", 1);
    check("exit 3", "", 3);
    check("echo a; echo b", "a\nb\n", 0);
    check("true && echo yes || echo no", "yes\n", 0);
    check("false && echo yes || echo no", "no\n", 0);
}

#[test]
fn variables_and_expansions() {
    check("x=5; echo $x ${x}", "5 5\n", 0);
    check("x=hello; echo ${#x} ${x^^} ${x:1:3}", "5 HELLO ell\n", 0);
    check("echo $((2 + 3 * 4))", "14\n", 0);
    check("a=(1 2 3); echo ${a[1]} ${#a[@]}", "2 3\n", 0);
    check("echo {a,b}{1,2}", "a1 a2 b1 b2\n", 0);
    check("f=a.tar.gz; echo ${f%%.*} ${f#*.}", "a tar.gz\n", 0);
    check("echo \"$(echo inner)\"", "inner\n", 0);
}

#[test]
fn control_flow() {
    check("for i in 1 2 3; do echo $i; done", "1\n2\n3\n", 0);
    check(
        "i=0; while [[ $i -lt 3 ]]; do i=$((i+1)); done; echo $i",
        "3\n",
        0,
    );
    check(
        "if false; then echo a; elif true; then echo b; else echo c; fi",
        "b\n",
        0,
    );
    check(
        "case foo in f*) echo match;; *) echo no;; esac",
        "match\n",
        0,
    );
    check(
        "f() { echo \"f:$1\"; return 4; }; f x; echo $?",
        "f:x\n4\n",
        0,
    );
    check("for ((i=0;i<3;i++)); do echo $i; done", "0\n1\n2\n", 0);
}

#[test]
fn files_and_redirections() {
    check(
        "echo hi > /f; echo more >> /f; echo \"[$(< /f)]\"",
        "[hi\nmore]\n",
        0,
    );
    check("cat <<EOF\nx\nEOF", "", 127);
    check("x=$(false); echo $?; x=1; echo $?", "1\n0\n", 0);
    check("echo err >&2", "", 0);
    check("{ echo a; echo b; } > /g; echo $(< /g)", "a b\n", 0);
}

#[test]
fn function_status() {
    check("f() { return 4; }; f; echo $?", "4\n", 0);
    check("f() { false; }; f; echo $?", "1\n", 0);
    check("f() { return 4; }\nf\necho $?", "4\n", 0);
}

#[test]
fn not_found_message() {
    let result = crate::run("echo a\nnosuch");
    assert_eq!(
        result.stderr_lossy(),
        "bash: line 2: nosuch: command not found\n"
    );
    assert_eq!(result.exit_code, 127);
}
