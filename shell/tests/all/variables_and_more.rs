//! declare/typeset/local, associative arithmetic, chmod, aliases (expectations from bash 5.2).

use crate::check;

#[test]
fn attributes_and_printing() {
    check(
        "declare -a a=(1 \"2 3\"); declare -p a; declare -i n=3+4; declare -p n; declare -l l=ABC; echo $l",
        "declare -a a=([0]=\"1\" [1]=\"2 3\")\ndeclare -i n=\"7\"\nabc\n",
        0,
    );
    check(
        "declare -A m=([k]=v); echo ${m[k]}; declare -p m",
        "v\ndeclare -A m=([k]=\"v\" )\n",
        0,
    );
    // Assigning a readonly variable ends a non-interactive bash.
    check("declare -r r=1; r=2; echo $r", "", 1);
    check(
        "declare -x e=1; declare -p e; typeset -u up=abc; echo $up",
        "declare -x e=\"1\"\nABC\n",
        0,
    );
    check(
        "declare -n ref=target; target=7; echo $ref; declare -p ref",
        "7\ndeclare -n ref=\"target\"\n",
        0,
    );
    check("declare -p nope", "", 1);
}

#[test]
fn locals_are_scoped_to_the_function() {
    check(
        "x=global; f() { local x=inner; declare y=2; declare -g z=3; echo $x; }; f; echo $x ${y-unset} $z",
        "inner\nglobal unset 3\n",
        0,
    );
    check(
        "f() { local v; echo \"${v-unset}\"; local -a arr=(a b); echo ${#arr[@]}; }; f",
        "unset\n2\n",
        0,
    );
    check("local q=1", "", 1);
    check(
        "f() { local x=1; g; }; g() { echo \"g sees $x\"; }; f",
        "g sees 1\n",
        0,
    );
}

#[test]
fn chmod_sets_the_execute_bit_that_running_a_script_needs() {
    check(
        "printf 'echo ran\\n' > /s.sh; /s.sh; echo $?; chmod +x /s.sh && /s.sh; [ -x /s.sh ] && echo x",
        "126\nran\nx\n",
        0,
    );
    check(
        "echo x > /f; chmod -v 755 /f; chmod -v 755 /f; chmod -c u-x /f; chmod -c u-x /f; chmod -v =x /f; chmod -v +w /f",
        "mode of '/f' changed from 0644 (rw-r--r--) to 0755 (rwxr-xr-x)\n\
         mode of '/f' retained as 0755 (rwxr-xr-x)\n\
         mode of '/f' changed from 0755 (rwxr-xr-x) to 0655 (rw-r-xr-x)\n\
         mode of '/f' changed from 0655 (rw-r-xr-x) to 0111 (--x--x--x)\n\
         mode of '/f' changed from 0111 (--x--x--x) to 0311 (-wx--x--x)\n",
        0,
    );
    check(
        "echo > /a; echo > /b; chmod 700 /a; chmod --reference=/a /b; [ -x /b ] && echo same",
        "same\n",
        0,
    );
}

#[test]
fn chmod_errors_are_gnus() {
    check("chmod 755 /missing", "", 1);
    check(
        "chmod -v 755 /missing",
        "'/missing' could not be accessed\n",
        1,
    );
    check("echo x > /f; chmod q /f", "", 1);
    check("echo x > /f; chmod u+755 /f", "", 1);
    check("chmod", "", 1);
    check("chmod 644", "", 1);
    // The umask keeps group and other write: GNU says so and fails.
    check("echo x > /h; chmod 666 /h; chmod -w /h; echo $?", "1\n", 0);
    let result = crate::run("echo x > /h; chmod 666 /h; chmod -w /h; chmod q /h; chmod -f 1 /nope");
    assert_eq!(
        result.stderr_lossy(),
        "chmod: /h: new permissions are r--rw-rw-, not r--r--r--\n\
         chmod: invalid mode: 'q'\nTry 'chmod --help' for more information.\n"
    );
}

#[test]
fn associative_counters_in_arithmetic() {
    check(
        "declare -A n; for f in a.txt b.md a.txt; do ((n[$f]++)); done; echo ${n[a.txt]} ${n[b.md]}",
        "2 1\n",
        0,
    );
    check(
        "a=(5 6 7); i=1; echo $((a[i+1])); ((a[0]+=1)); echo ${a[0]}",
        "7\n6\n",
        0,
    );
}

#[test]
fn aliases_expand_only_when_asked() {
    check("alias greet='echo hello'\ngreet world; echo $?", "127\n", 0);
    check(
        "shopt -s expand_aliases\nalias greet='echo hello'\ngreet world\nalias echo='echo x'\necho y",
        "hello world\nx y\n",
        0,
    );
}

#[test]
fn enable_turns_builtins_off_and_on() {
    // With `echo` off and no tools, `echo` is not found (127).
    check("enable -n echo; echo hi; echo $?", "", 127);
    check(
        "enable -n echo; enable -n; builtin echo x; printf '%s\\n' $?; enable echo; echo back; enable -n",
        "enable -n echo\n1\nback\n",
        0,
    );
    // `[` stays a builtin when `test` is off.
    check("enable -n test; type -t test; [ 1 ]; echo $?", "0\n", 0);
    check(
        "enable nosuch; echo $?; enable -n xargs; echo $?",
        "1\n1\n",
        0,
    );
    check("enable -f x.so name; echo $?", "1\n", 0);
    let listing = crate::run("enable -n cd; enable -a; enable -s");
    let text = listing.stdout_lossy();
    assert!(text.contains("enable -n cd\n"), "{text}");
    assert!(text.contains("enable echo\n"), "{text}");
    assert!(text.contains("enable eval\n"), "{text}");
    assert!(!text.contains("enable xargs"), "{text}");
}
