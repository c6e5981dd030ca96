//! Builtins, part A: `printf`, `read`, `mapfile`/`readarray`, `getopts`,
//! `test`/`[`, `let`, `umask`, `pushd`/`popd`/`dirs`, `shopt`.
//!
//! Every expectation (stdout, stderr, status) is what GNU bash 5.2.15
//! printed for the same script, run with `bash -c` in `/tmp/empty` with
//! `HOME=/`; [`case`] recreates that setting over an in-memory filesystem.

use std::sync::Arc;
use wasm_agent_shell::{ExecOptions, ExecResult, Shell};
use wasm_agent_vfs::{MemFs, Vfs};

/// Runs `script` in `/tmp/empty` over a filesystem that also holds the
/// directories `/tmp/d/a`, `/tmp/d/b` and `/tmp/d/c`, with `stdin`.
fn run_with(script: &str, stdin: &str) -> ExecResult {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let fs = Arc::new(MemFs::new());
        for dir in ["/tmp/empty", "/tmp/d/a", "/tmp/d/b", "/tmp/d/c"] {
            fs.create_dir_all(dir).await.unwrap();
        }
        let mut shell = Shell::builder(fs).cwd("/tmp/empty").build();
        shell
            .exec_with(script, ExecOptions::default().stdin(stdin))
            .await
    })
}

/// One case: script, expected stdout, stderr and status.
type Case<'a> = (&'a str, &'a str, &'a str, i32);

/// Checks every case and reports all the mismatches at once.
#[track_caller]
fn cases(cases: &[Case]) {
    let mut failures = Vec::new();
    for &(script, stdout, stderr, status) in cases {
        let result = run_with(script, "");
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

/// Checks `script` run with `stdin` against bash's output.
#[track_caller]
fn case_with_stdin(script: &str, stdin: &str, stdout: &str, status: i32) {
    let result = run_with(script, stdin);
    assert_eq!(
        (result.stdout_lossy().as_str(), result.exit_code),
        (stdout, status),
        "script: {script}\nstderr: {}",
        result.stderr_lossy()
    );
}

#[test]
fn read_and_mapfile_take_the_callers_stdin() {
    case_with_stdin(
        r#"read a; read b c; echo "$c $b $a"; read d; echo "$? [$d]""#,
        "l1\nl2 x\n",
        "x l2 l1\n1 []\n",
        0,
    );
    case_with_stdin(
        r#"mapfile -t a; echo "${#a[@]} ${a[1]}""#,
        "one\ntwo",
        "2 two\n",
        0,
    );
}

/// `read -t` gives up while the writer is still busy: status 142, and
/// what arrived so far is assigned.
#[test]
fn read_times_out_on_a_quiet_pipe() {
    let busy = "i=0; while (( i < 50000 )); do ((i++)); done";
    case_with_stdin(
        &format!(r#"{{ {busy}; echo late; }} | {{ read -t 0.05 a; echo "st=$? [$a]"; }}"#),
        "",
        "st=142 []\n",
        0,
    );
    case_with_stdin(
        &format!(
            r#"{{ echo -n part; {busy}; echo rest; }} | {{ read -t 0.05 a; echo "st=$? [$a]"; }}"#
        ),
        "",
        "st=142 [part]\n",
        0,
    );
}

#[test]
fn test_builtin() {
    cases(&[
        ("[ a", "", "bash: line 1: [: missing `]'\n", 2),
        ("[ ]; echo $?", "1\n", "", 0),
        ("test; echo $?", "1\n", "", 0),
        ("[ -n ]; echo $?", "0\n", "", 0),
        ("[ a = ]; echo $?", "2\n", "bash: line 1: [: a: unary operator expected\n", 0),
        ("[ a b c ]; echo $?", "2\n", "bash: line 1: [: b: binary operator expected\n", 0),
        ("[ 1 -eq a ]; echo $?", "2\n", "bash: line 1: [: a: integer expression expected\n", 0),
        ("[ ! ]; echo $?", "0\n", "", 0),
        ("[ \\( a \\) ]; echo $?", "0\n", "", 0),
        ("[ a -a b -o \"\" ]; echo $?", "0\n", "", 0),
        ("[ a b c d e ]", "", "bash: line 1: [: too many arguments\n", 2),
        ("[ 1 -eq 1 ] ]", "", "bash: line 1: [: too many arguments\n", 2),
        ("test a ]; echo $?", "2\n", "bash: line 1: test: a: unary operator expected\n", 0),
        ("[ \"(\" a ; echo $?", "2\n", "bash: line 1: [: missing `]'\n", 0),
        ("[ \" 12 \" -eq 12 ]; echo $?", "0\n", "", 0),
        ("[ 99999999999999999999 -eq 1 ]", "", "bash: line 1: [: 99999999999999999999: integer expression expected\n", 2),
        ("[ -12 -lt 1 -a +3 -ge 3 ]; echo $?", "0\n", "", 0),
        ("[ a \\< b ]; echo $? ; [ b \\> a ]; echo $?", "0\n0\n", "", 0),
        ("[ -q a ]", "", "bash: line 1: [: -q: unary operator expected\n", 2),
        ("[ a -q b ]", "", "bash: line 1: [: -q: binary operator expected\n", 2),
        ("[ \\( a -a b ]", "", "bash: line 1: [: `)' expected, found ]\n", 2),
        ("[ -n -n -n -n ]", "", "bash: line 1: [: syntax error: `-n' unexpected\n", 2),
        ("[ 1 -eq 1 -o a -lt b ]; echo $?", "2\n", "bash: line 1: [: a: integer expression expected\n", 0),
        ("[ ! ! ! ]; echo $?", "0\n", "", 0),
        ("[ \\( ! \\) ]; echo $?", "0\n", "", 0),
        ("[ x -a \\( ]; echo $?", "0\n", "", 0),
        ("[ -t x y ]; echo $?", "2\n", "bash: line 1: [: x: binary operator expected\n", 0),
        ("[ -t ]; echo $?; [ -t 1 ]; echo $?", "0\n1\n", "", 0),
        ("[ a =~ a ]", "", "bash: line 1: [: =~: binary operator expected\n", 2),
        ("[ \\( \\( a \\) \\) ]; echo $?", "0\n", "", 0),
        ("[ \\( a -nt \\) ]; echo $?", "2\n", "bash: line 1: [: a: unary operator expected\n", 0),
        ("x=1; [ -v x ]; echo $?; [ -v y ]; echo $?", "0\n1\n", "", 0),
        ("[ -o errexit ]; echo $?; set -e; [ -o errexit ]; echo $?", "1\n0\n", "", 0),
        ("[ a == a ] && [ a != b ] && echo yes", "yes\n", "", 0),
        ("[ ! a = b ]; echo $?; [ ! a = a ]; echo $?", "0\n1\n", "", 0),
        ("[ -d / ] && [ -e / ] && [ ! -f / ] && echo dir", "dir\n", "", 0),
        ("echo hi > f; [ -f f -a -s f ]; echo $?; [ -e nope ]; echo $?", "0\n1\n", "", 0),
        ("[ -z \"\" -a -n x ]; echo $?", "0\n", "", 0),
        ("[ -e ]; echo $?", "0\n", "", 0),
        ("[ \"\" -eq 0 ]", "", "bash: line 1: [: : integer expression expected\n", 2),
        ("echo hi > f; : > e; [ -e f ] && [ -f f ] && [ -s f ] && [ ! -s e ] && [ -r f ] && [ -w f ] && echo yes", "yes\n", "", 0),
        ("echo hi > f; [ -x f ]; echo $?; [ -x /tmp ]; echo $?; [ -d f ]; echo $?; [ -d /tmp ]; echo $?", "1\n0\n1\n0\n", "", 0),
        ("echo hi > f; [ f -nt nofile ]; echo $?; [ nofile -ot f ]; echo $?; [ nofile -nt f ]; echo $?; [ f -ot nofile ]; echo $?", "0\n0\n1\n1\n", "", 0),
        ("echo hi > f; echo hi > g; [ f -ef f ]; echo $?; [ f -ef g ]; echo $?; [ f -ef nofile ]; echo $?", "0\n1\n1\n", "", 0),
        ("echo hi > f; [ -O f ] && [ -G f ]; echo $?; [ -u f ] || [ -g f ] || [ -k f ]; echo $?", "0\n1\n", "", 0),
        ("[ -e \"\" ]; echo $?; [ -f \"\" ]; echo $?; [ -d \"\" ]; echo $?", "1\n1\n1\n", "", 0),
        ("echo hi > f; test -a f; echo $?; test -a f -a -f f; echo $?; test ! -a f; echo $?", "0\n0\n0\n", "", 0),
        ("echo hi > f; [ -h f ]; echo $?; [ -L f ]; echo $?; [ -p f ]; echo $?; [ -S f ]; echo $?; [ -b f ]; echo $?; [ -c f ]; echo $?", "1\n1\n1\n1\n1\n1\n", "", 0),
        ("[ -f nofile -o -d /tmp ]; echo $?", "0\n", "", 0),
        ("mkdir_x=1; cd /tmp/d; [ -d a -a -d b -a ! -d z ]; echo $?", "0\n", "", 0),
        ("[ 2 -gt 10 ]; echo $?; [ 2 \\> 10 ]; echo $?; [ 10 -ge 10 ]; echo $?; [ -1 -le -1 ]; echo $?; [ 3 -ne 3 ]; echo $?", "1\n0\n0\n0\n1\n", "", 0),
        ("x=\"\"; [ -n \"$x\" ]; echo $?; [ -z \"$x\" ]; echo $?; [ \"$x\" ]; echo $?; [ \"$x\" = \"\" ]; echo $?", "1\n0\n1\n0\n", "", 0),
        ("[ \"$undefined\" = x ] || echo no; [ -n $undefined ]; echo $?", "no\n0\n", "", 0),
        ("set -- a b; [ $# -eq 2 ] && echo two", "two\n", "", 0),
        ("[ \\( 1 -eq 1 \\) -a \\( 2 -eq 3 -o 4 -eq 4 \\) ]; echo $?", "0\n", "", 0),
        ("[ ! \\( -n \"\" \\) ]; echo $?", "0\n", "", 0),
        ("[ x = x -a ]; echo $?", "2\n", "bash: line 1: [: argument expected\n", 0),
        ("[ -n x -o ]; echo $?", "2\n", "bash: line 1: [: x: binary operator expected\n", 0),
        ("[ ! -n x -a -z \"\" ]; echo $?", "1\n", "", 0),
    ]);
}

#[test]
fn let_builtin() {
    cases(&[
        (
            "let; echo $?",
            "1\n",
            "bash: line 1: let: expression expected\n",
            0,
        ),
        (
            "let 1; echo $?; let 0; echo $?; let 1 0; echo $?",
            "0\n1\n1\n",
            "",
            0,
        ),
        ("let x=3 y=x*2; echo $? $x $y", "0 3 6\n", "", 0),
        (
            "let -- 1; echo $?; let -- ; echo $?",
            "0\n1\n",
            "bash: line 1: let: expression expected\n",
            0,
        ),
        (
            "let \"3/0\"; echo $?",
            "1\n",
            "bash: line 1: let: 3/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "let x++ ; echo $? $x; let x++; echo $? $x",
            "1 1\n0 2\n",
            "",
            0,
        ),
        (
            "let 0 1/0 1; echo $?",
            "1\n",
            "bash: line 1: let: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        ("let \"\" ; echo $?", "1\n", "", 0),
    ]);
}

#[test]
fn umask_builtin() {
    cases(&[
        (
            "umask; umask -S; umask -p; umask -p -S",
            "0022\nu=rwx,g=rx,o=rx\numask 0022\numask -S u=rwx,g=rx,o=rx\n",
            "",
            0,
        ),
        ("umask 077; umask; umask -S", "0077\nu=rwx,g=,o=\n", "", 0),
        (
            "umask 0777; umask -S; umask 0; umask -S",
            "u=,g=,o=\nu=rwx,g=rwx,o=rwx\n",
            "",
            0,
        ),
        (
            "umask 8",
            "",
            "bash: line 1: umask: 8: octal number out of range\n",
            1,
        ),
        (
            "umask 1234567",
            "",
            "bash: line 1: umask: 1234567: octal number out of range\n",
            1,
        ),
        ("umask 1234; umask", "0234\n", "", 0),
        ("umask u=rwx,g=rx,o=; umask", "0027\n", "", 0),
        ("umask g-w; umask; umask a+w; umask", "0022\n0000\n", "", 0),
        (
            "umask o=u; echo $?; umask",
            "1\n0022\n",
            "bash: line 1: umask: `u': invalid symbolic mode character\n",
            0,
        ),
        (
            "umask x=r",
            "",
            "bash: line 1: umask: `x': invalid symbolic mode operator\n",
            1,
        ),
        (
            "umask u=rwz",
            "",
            "bash: line 1: umask: `z': invalid symbolic mode character\n",
            1,
        ),
        ("umask -S 027; umask", "u=rwx,g=rx,o=\n0027\n", "", 0),
        ("umask -p 027; umask", "0027\n", "", 0),
        ("umask 027 x; echo $?", "0\n", "", 0),
        (
            "umask -x",
            "",
            "bash: line 1: umask: -x: invalid option\numask: usage: umask [-p] [-S] [mode]\n",
            2,
        ),
        ("umask =r; umask; umask +x; umask", "0333\n0222\n", "", 0),
        ("umask ug=rw,o-rwx; umask", "0117\n", "", 0),
        ("umask -- 22; umask; umask -; echo $?", "0022\n0\n", "", 0),
        (
            "umask ,; umask",
            "0022\n",
            "bash: line 1: umask: `,': invalid symbolic mode operator\n",
            0,
        ),
        (
            "umask u+s",
            "",
            "bash: line 1: umask: `s': invalid symbolic mode character\n",
            1,
        ),
        (
            "umask -pq",
            "",
            "bash: line 1: umask: -q: invalid option\numask: usage: umask [-p] [-S] [mode]\n",
            2,
        ),
    ]);
}

#[test]
fn shopt_builtin() {
    cases(&[
        ("shopt", "autocd         \toff\nassoc_expand_once\toff\ncdable_vars    \toff\ncdspell        \toff\ncheckhash      \toff\ncheckjobs      \toff\ncheckwinsize   \ton\ncmdhist        \ton\ncompat31       \toff\ncompat32       \toff\ncompat40       \toff\ncompat41       \toff\ncompat42       \toff\ncompat43       \toff\ncompat44       \toff\ncomplete_fullquote\ton\ndirexpand      \toff\ndirspell       \toff\ndotglob        \toff\nexecfail       \toff\nexpand_aliases \toff\nextdebug       \toff\nextglob        \toff\nextquote       \ton\nfailglob       \toff\nforce_fignore  \ton\nglobasciiranges\ton\nglobskipdots   \ton\nglobstar       \toff\ngnu_errfmt     \toff\nhistappend     \toff\nhistreedit     \toff\nhistverify     \toff\nhostcomplete   \ton\nhuponexit      \toff\ninherit_errexit\toff\ninteractive_comments\ton\nlastpipe       \toff\nlithist        \toff\nlocalvar_inherit\toff\nlocalvar_unset \toff\nlogin_shell    \toff\nmailwarn       \toff\nno_empty_cmd_completion\toff\nnocaseglob     \toff\nnocasematch    \toff\nnoexpand_translation\toff\nnullglob       \toff\npatsub_replacement\ton\nprogcomp       \ton\nprogcomp_alias \toff\npromptvars     \ton\nrestricted_shell\toff\nshift_verbose  \toff\nsourcepath     \ton\nvarredir_close \toff\nxpg_echo       \toff\n", "", 0),
        ("shopt -p", "shopt -u autocd\nshopt -u assoc_expand_once\nshopt -u cdable_vars\nshopt -u cdspell\nshopt -u checkhash\nshopt -u checkjobs\nshopt -s checkwinsize\nshopt -s cmdhist\nshopt -u compat31\nshopt -u compat32\nshopt -u compat40\nshopt -u compat41\nshopt -u compat42\nshopt -u compat43\nshopt -u compat44\nshopt -s complete_fullquote\nshopt -u direxpand\nshopt -u dirspell\nshopt -u dotglob\nshopt -u execfail\nshopt -u expand_aliases\nshopt -u extdebug\nshopt -u extglob\nshopt -s extquote\nshopt -u failglob\nshopt -s force_fignore\nshopt -s globasciiranges\nshopt -s globskipdots\nshopt -u globstar\nshopt -u gnu_errfmt\nshopt -u histappend\nshopt -u histreedit\nshopt -u histverify\nshopt -s hostcomplete\nshopt -u huponexit\nshopt -u inherit_errexit\nshopt -s interactive_comments\nshopt -u lastpipe\nshopt -u lithist\nshopt -u localvar_inherit\nshopt -u localvar_unset\nshopt -u login_shell\nshopt -u mailwarn\nshopt -u no_empty_cmd_completion\nshopt -u nocaseglob\nshopt -u nocasematch\nshopt -u noexpand_translation\nshopt -u nullglob\nshopt -s patsub_replacement\nshopt -s progcomp\nshopt -u progcomp_alias\nshopt -s promptvars\nshopt -u restricted_shell\nshopt -u shift_verbose\nshopt -s sourcepath\nshopt -u varredir_close\nshopt -u xpg_echo\n", "", 0),
        ("shopt -o; shopt -po", "allexport      \toff\nbraceexpand    \ton\nemacs          \toff\nerrexit        \toff\nerrtrace       \toff\nfunctrace      \toff\nhashall        \ton\nhistexpand     \toff\nhistory        \toff\nignoreeof      \toff\ninteractive-comments\ton\nkeyword        \toff\nmonitor        \toff\nnoclobber      \toff\nnoexec         \toff\nnoglob         \toff\nnolog          \toff\nnotify         \toff\nnounset        \toff\nonecmd         \toff\nphysical       \toff\npipefail       \toff\nposix          \toff\nprivileged     \toff\nverbose        \toff\nvi             \toff\nxtrace         \toff\nset +o allexport\nset -o braceexpand\nset +o emacs\nset +o errexit\nset +o errtrace\nset +o functrace\nset -o hashall\nset +o histexpand\nset +o history\nset +o ignoreeof\nset -o interactive-comments\nset +o keyword\nset +o monitor\nset +o noclobber\nset +o noexec\nset +o noglob\nset +o nolog\nset +o notify\nset +o nounset\nset +o onecmd\nset +o physical\nset +o pipefail\nset +o posix\nset +o privileged\nset +o verbose\nset +o vi\nset +o xtrace\n", "", 0),
        ("shopt -s foo; echo $?", "1\n", "bash: line 1: shopt: foo: invalid shell option name\n", 0),
        ("shopt -s extglob foo nullglob; echo $?; shopt -p extglob nullglob", "1\nshopt -s extglob\nshopt -s nullglob\n", "bash: line 1: shopt: foo: invalid shell option name\n", 0),
        ("shopt foo extglob; echo $?", "extglob        \toff\n1\n", "bash: line 1: shopt: foo: invalid shell option name\n", 0),
        ("shopt -q foo; echo $?", "1\n", "bash: line 1: shopt: foo: invalid shell option name\n", 0),
        ("shopt -s -u x", "", "bash: line 1: shopt: cannot set and unset shell options simultaneously\n", 1),
        ("shopt -o -s errexit; shopt -o errexit; shopt -qo errexit; echo $?", "errexit        \ton\n0\n", "", 0),
        ("shopt -o foo; echo $?", "1\n", "bash: line 1: shopt: foo: invalid option name\n", 0),
        ("shopt -so foo; echo $?", "0\n", "bash: line 1: shopt: foo: invalid option name\n", 0),
        ("shopt -o errexit pipefail; echo $?", "errexit        \toff\npipefail       \toff\n1\n", "", 0),
        ("shopt -op errexit", "set +o errexit\n", "", 1),
        ("shopt -qo errexit; echo $?; set -o pipefail; shopt -qo pipefail; echo $?", "1\n0\n", "", 0),
        ("shopt -s -p", "shopt -s checkwinsize\nshopt -s cmdhist\nshopt -s complete_fullquote\nshopt -s extquote\nshopt -s force_fignore\nshopt -s globasciiranges\nshopt -s globskipdots\nshopt -s hostcomplete\nshopt -s interactive_comments\nshopt -s patsub_replacement\nshopt -s progcomp\nshopt -s promptvars\nshopt -s sourcepath\n", "", 0),
        ("shopt -u -p", "shopt -u autocd\nshopt -u assoc_expand_once\nshopt -u cdable_vars\nshopt -u cdspell\nshopt -u checkhash\nshopt -u checkjobs\nshopt -u compat31\nshopt -u compat32\nshopt -u compat40\nshopt -u compat41\nshopt -u compat42\nshopt -u compat43\nshopt -u compat44\nshopt -u direxpand\nshopt -u dirspell\nshopt -u dotglob\nshopt -u execfail\nshopt -u expand_aliases\nshopt -u extdebug\nshopt -u extglob\nshopt -u failglob\nshopt -u globstar\nshopt -u gnu_errfmt\nshopt -u histappend\nshopt -u histreedit\nshopt -u histverify\nshopt -u huponexit\nshopt -u inherit_errexit\nshopt -u lastpipe\nshopt -u lithist\nshopt -u localvar_inherit\nshopt -u localvar_unset\nshopt -u login_shell\nshopt -u mailwarn\nshopt -u no_empty_cmd_completion\nshopt -u nocaseglob\nshopt -u nocasematch\nshopt -u noexpand_translation\nshopt -u nullglob\nshopt -u progcomp_alias\nshopt -u restricted_shell\nshopt -u shift_verbose\nshopt -u varredir_close\nshopt -u xpg_echo\n", "", 0),
        ("shopt -s; shopt -so", "checkwinsize   \ton\ncmdhist        \ton\ncomplete_fullquote\ton\nextquote       \ton\nforce_fignore  \ton\nglobasciiranges\ton\nglobskipdots   \ton\nhostcomplete   \ton\ninteractive_comments\ton\npatsub_replacement\ton\nprogcomp       \ton\npromptvars     \ton\nsourcepath     \ton\nbraceexpand    \ton\nhashall        \ton\ninteractive-comments\ton\n", "", 0),
        ("shopt -q; echo $?; shopt -pq; echo $?", "0\n0\n", "", 0),
        ("shopt -q extglob nullglob; echo $?; shopt -s extglob nullglob; shopt -q extglob nullglob; echo $?", "1\n0\n", "", 0),
        ("shopt -s extglob; echo $BASHOPTS", "checkwinsize:cmdhist:complete_fullquote:extglob:extquote:force_fignore:globasciiranges:globskipdots:hostcomplete:interactive_comments:patsub_replacement:progcomp:promptvars:sourcepath\n", "", 0),
        ("shopt -s autocd; shopt autocd; shopt -u autocd; shopt -p autocd; shopt -u sourcepath; echo $BASHOPTS", "autocd         \ton\nshopt -u autocd\ncheckwinsize:cmdhist:complete_fullquote:extquote:force_fignore:globasciiranges:globskipdots:hostcomplete:interactive_comments:patsub_replacement:progcomp:promptvars\n", "", 0),
        ("shopt -s extglob; BASHOPTS=x; echo $?", "", "bash: line 1: BASHOPTS: readonly variable\n", 1),
        ("shopt -z", "", "bash: line 1: shopt: -z: invalid option\nshopt: usage: shopt [-pqsu] [-o] [optname ...]\n", 2),
        ("shopt -o -p -u", "set +o allexport\nset +o emacs\nset +o errexit\nset +o errtrace\nset +o functrace\nset +o histexpand\nset +o history\nset +o ignoreeof\nset +o keyword\nset +o monitor\nset +o noclobber\nset +o noexec\nset +o noglob\nset +o nolog\nset +o notify\nset +o nounset\nset +o onecmd\nset +o physical\nset +o pipefail\nset +o posix\nset +o privileged\nset +o verbose\nset +o vi\nset +o xtrace\n", "", 0),
        ("shopt -s nullglob; echo /nonexist*; shopt -u nullglob; echo /nonexist*", "\n/nonexist*\n", "", 0),
        ("shopt -s extglob; x=aab; echo ${x//+(a)/-}", "-b\n", "", 0),
    ]);
}

#[test]
fn getopts_builtin() {
    cases(&[
        ("getopts a x -b; echo $? \"$x\" $OPTIND ${OPTARG-unset}", "0 ? 2 unset\n", "bash: illegal option -- b\n", 0),
        ("getopts :a x -b; echo $? \"$x\" $OPTIND ${OPTARG-unset}", "0 ? 2 b\n", "", 0),
        ("getopts a: x -a; echo $? \"$x\" $OPTIND ${OPTARG-unset}", "0 ? 2 unset\n", "bash: option requires an argument -- a\n", 0),
        ("getopts :a: x -a; echo $? \"$x\" $OPTIND ${OPTARG-unset}", "0 : 2 a\n", "", 0),
        ("while getopts ab:c o -ac -b1 -b 2 -- -a rest; do echo \"$o ${OPTARG-u} $OPTIND\"; done; echo $? \"$o\" $OPTIND ${OPTARG-unset}", "a u 1\nc u 2\nb 1 3\nb 2 5\n0 ? 6 unset\n", "", 0),
        ("getopts a 1x -a; echo $?", "1\n", "bash: line 1: getopts: `1x': not a valid identifier\n", 0),
        ("set -- -a -b; getopts ab o; echo $o $OPTIND; getopts ab o; echo $o $OPTIND; getopts ab o; echo $? \"$o\" $OPTIND", "a 2\nb 3\n1 ? 3\n", "", 0),
        ("getopts a o -a; OPTIND=1; getopts a o -a; echo $OPTIND", "2\n", "", 0),
        ("getopts abc o -abc; echo $o $OPTIND; getopts abc o -abc; echo $o $OPTIND; getopts abc o -abc; echo $o $OPTIND; getopts abc o -abc; echo $? \"$o\" $OPTIND", "a 1\nb 1\nc 2\n1 ? 2\n", "", 0),
        ("getopts a o x -a; echo $? \"$o\" $OPTIND", "1 ? 1\n", "", 0),
        ("getopts a o - -a; echo $? \"$o\" $OPTIND", "1 ? 1\n", "", 0),
        ("f() { getopts a o -a; echo $OPTIND; }; f; f; echo $OPTIND", "2\n2\n2\n", "", 0),
        ("getopts \"\" o -a; echo $? \"$o\"", "0 ?\n", "bash: illegal option -- a\n", 0),
        ("getopts : o -:; echo $? \"$o\" $OPTARG", "0 ? :\n", "", 0),
        ("getopts a: o -a \"\"; echo $? $o \"[$OPTARG]\" $OPTIND", "0 a [] 3\n", "", 0),
        ("readonly o; getopts a o -a; echo $?", "2\n", "bash: line 1: o: readonly variable\n", 0),
        ("getopts a; echo $?", "2\n", "getopts: usage: getopts optstring name [arg ...]\n", 0),
        ("getopts; echo $?", "2\n", "getopts: usage: getopts optstring name [arg ...]\n", 0),
        ("getopts -z", "", "bash: line 1: getopts: -z: invalid option\ngetopts: usage: getopts optstring name [arg ...]\n", 2),
        ("getopts -- a o -a; echo $? $o", "0 a\n", "", 0),
        ("getopts a -o -a; echo $?", "1\n", "bash: line 1: getopts: `-o': not a valid identifier\n", 0),
        ("getopts ab o -a -b; OPTIND=5; getopts ab o -a -b; echo $? $OPTIND", "1 3\n", "", 0),
        ("getopts ab o -ab; OPTIND=2; getopts ab o -a -b; echo $? $o $OPTIND", "0 b 3\n", "", 0),
        ("OPTIND=0; getopts ab o -a -b; echo $? $o $OPTIND", "0 a 2\n", "", 0),
        ("OPTIND=x; getopts ab o -a -b; echo $? $o $OPTIND", "0 a 2\n", "", 0),
        ("getopts a o -a; echo \"[${OPTARG-unset}]\"; OPTARG=x; getopts a o -b; echo \"[${OPTARG-unset}]\"", "[unset]\n[unset]\n", "", 0),
        ("f() { OPTIND=1; while getopts xy: o \"$@\"; do echo \"$o=${OPTARG-}\"; done; shift $((OPTIND-1)); echo \"rest: $*\"; }; f -x -y 1 a b; f -yz c", "x=\ny=1\nrest: a b\ny=z\nrest: c\n", "", 0),
        ("set -- -q -v file; while getopts :qv opt; do case $opt in q) echo quiet;; v) echo verbose;; \\?) echo \"bad $OPTARG\";; esac; done; shift $((OPTIND - 1)); echo \"$@\"", "quiet\nverbose\nfile\n", "", 0),
    ]);
}

#[test]
fn dirs_builtin() {
    cases(&[
        ("cd /tmp/d; dirs; pushd a; pushd ../b; dirs -v; dirs -p; dirs -l; dirs +1; dirs -0; dirs -1; popd; dirs; popd; popd; echo $?", "/tmp/d\n/tmp/d/a /tmp/d\n/tmp/d/b /tmp/d/a /tmp/d\n 0  /tmp/d/b\n 1  /tmp/d/a\n 2  /tmp/d\n/tmp/d/b\n/tmp/d/a\n/tmp/d\n/tmp/d/b /tmp/d/a /tmp/d\n/tmp/d/a\n/tmp/d\n/tmp/d/a\n/tmp/d/a /tmp/d\n/tmp/d/a /tmp/d\n/tmp/d\n1\n", "bash: line 1: popd: directory stack empty\n", 0),
        ("cd /tmp/d; pushd; echo $?", "1\n", "bash: line 1: pushd: no other directory\n", 0),
        ("cd /tmp/d; popd; echo $?", "1\n", "bash: line 1: popd: directory stack empty\n", 0),
        ("cd /tmp/d; pushd a >/tmp/n; pushd ../b >/tmp/n; pushd ../c > /tmp/n; dirs; pushd +1; pushd -0; popd +1; popd -1; dirs", "/tmp/d/c /tmp/d/b /tmp/d/a /tmp/d\n/tmp/d/b /tmp/d/a /tmp/d /tmp/d/c\n/tmp/d/c /tmp/d/b /tmp/d/a /tmp/d\n/tmp/d/c /tmp/d/a /tmp/d\n/tmp/d/c /tmp/d\n/tmp/d/c /tmp/d\n", "", 0),
        ("cd /tmp/d; pushd a >/tmp/n; pushd +3", "", "bash: line 1: pushd: +3: directory stack index out of range\n", 1),
        ("cd /tmp/d; pushd -n a; dirs; echo $PWD", "/tmp/d a\n/tmp/d a\n/tmp/d\n", "", 0),
        ("cd /tmp/d; pushd nonexist; echo $?", "1\n", "bash: line 1: pushd: nonexist: No such file or directory\n", 0),
        ("cd /tmp/d; pushd a b; echo $?; dirs", "1\n/tmp/d\n", "bash: line 1: pushd: too many arguments\n", 0),
        ("cd /tmp/d; pushd a >/tmp/n; popd -n; dirs; echo $PWD", "/tmp/d/a\n/tmp/d/a\n/tmp/d/a\n", "", 0),
        ("cd /tmp/d; dirs -c; dirs +5", "", "bash: line 1: dirs: directory stack empty\n", 1),
        ("cd /tmp/d; pushd a > /tmp/n; dirs -c; dirs", "/tmp/d/a\n", "", 0),
        ("cd /tmp/d; pushd a; pushd; pushd", "/tmp/d/a /tmp/d\n/tmp/d /tmp/d/a\n/tmp/d/a /tmp/d\n", "", 0),
        ("cd /tmp/d; dirs x", "", "bash: line 1: dirs: x: invalid option\ndirs: usage: dirs [-clpv] [+N] [-N]\n", 2),
        ("cd /tmp/d; dirs -p -v", " 0  /tmp/d\n", "", 0),
        ("HOME=/tmp/d; cd /tmp/d/a; dirs; dirs -l; pushd /tmp; pushd -n /tmp/d/b", "~/a\n/tmp/d/a\n/tmp ~/a\n/tmp ~/b ~/a\n", "", 0),
        ("cd /tmp/d; pushd a >/tmp/n; echo ${DIRSTACK[@]}", "/tmp/d/a /tmp/d\n", "", 0),
        ("cd /tmp/d; popd +1; popd x; popd -n +0", "", "bash: line 1: popd: directory stack empty\nbash: line 1: popd: x: invalid argument\npopd: usage: popd [-n] [+N | -N]\nbash: line 1: popd: directory stack empty\n", 1),
        ("cd /tmp/d; pushd a >/tmp/n; pushd ../b >/tmp/n; dirs +5; dirs -5; dirs -v +1; dirs -v -0; dirs -v +0; dirs -v -2; dirs -p +1; dirs +1 -l; dirs -2", " 1  /tmp/d/a\n 2  /tmp/d\n 0  /tmp/d/b\n 0  /tmp/d/b\n/tmp/d/a\n/tmp/d/a\n/tmp/d/b\n", "bash: line 1: dirs: 5: directory stack index out of range\nbash: line 1: dirs: 5: directory stack index out of range\n", 0),
        ("cd /tmp/d; pushd -n /tmp/d/a; pushd -n /tmp/d/b; dirs; pushd +1; echo $PWD; pushd -n +1; echo $PWD; dirs", "/tmp/d /tmp/d/a\n/tmp/d /tmp/d/b /tmp/d/a\n/tmp/d /tmp/d/b /tmp/d/a\n/tmp/d/b /tmp/d/a /tmp/d\n/tmp/d/b\n/tmp/d/b\n/tmp/d/b /tmp/d /tmp/d/b\n", "", 0),
        ("cd /tmp/d; pushd -n a; popd +1; dirs", "/tmp/d a\n/tmp/d\n/tmp/d\n", "", 0),
        ("cd /tmp/d; pushd a >/tmp/n; cd ..; popd; echo $PWD $OLDPWD", "/tmp/d\n/tmp/d /tmp/d\n", "", 0),
        ("cd /tmp/d; pushd a >/tmp/n; pushd +0; pushd -1", "/tmp/d/a /tmp/d\n/tmp/d/a /tmp/d\n", "", 0),
        ("cd /tmp/d; pushd -- a; pushd -n -- b", "/tmp/d/a /tmp/d\n/tmp/d/a b /tmp/d\n", "", 0),
        ("cd /tmp/d; pushd -n; echo $?", "0\n", "", 0),
        ("cd /tmp/d; cd a; pushd -; echo $?", "/tmp/d\n/tmp/d /tmp/d/a\n0\n", "", 0),
        ("cd /tmp/d; pushd \"\"; echo $?", "/tmp/d /tmp/d\n0\n", "", 0),
        ("cd /tmp/d; pushd -n a >/tmp/n; popd; echo $?; echo $PWD", "/tmp/d/a\n0\n/tmp/d/a\n", "", 0),
        ("cd /tmp/d; pushd -x", "", "bash: line 1: pushd: -x: invalid number\npushd: usage: pushd [-n] [+N | -N | dir]\n", 2),
        ("cd /tmp/d; popd -x", "", "bash: line 1: popd: -x: invalid number\npopd: usage: popd [-n] [+N | -N]\n", 2),
        ("cd /tmp/d; pushd a >/tmp/n; popd -n -n; popd a", "/tmp/d/a\n", "bash: line 1: popd: a: invalid argument\npopd: usage: popd [-n] [+N | -N]\n", 2),
        ("cd /tmp/d; pushd a >/tmp/n; popd +1 +0; dirs", "/tmp/d\n/tmp/d\n", "", 0),
        ("cd /tmp/d; dirs -z; pushd +x", "", "bash: line 1: dirs: -z: invalid number\ndirs: usage: dirs [-clpv] [+N] [-N]\nbash: line 1: pushd: +x: invalid number\npushd: usage: pushd [-n] [+N | -N | dir]\n", 2),
    ]);
}

#[test]
fn read_builtin() {
    cases(&[
        ("read a b <<< \"  one  two  three  \"; echo \"[$a][$b]\"", "[one][two  three]\n", "", 0),
        ("read <<< \"  x y  \"; echo \"[$REPLY]\"", "[  x y  ]\n", "", 0),
        ("read a <<< \"  x y  \"; echo \"[$a]\"", "[x y]\n", "", 0),
        ("IFS=:; read a b c <<< \"1::2:3:\"; echo \"[$a][$b][$c]\"", "[1][][2:3:]\n", "", 0),
        ("IFS=:; read a b <<< \"1:2:\"; echo \"[$a][$b]\"; IFS=:; read a b <<< \"1:2::\"; echo \"[$a][$b]\"", "[1][2]\n[1][2::]\n", "", 0),
        ("IFS=\": \"; read a b <<< \" 1 : 2 : \"; echo \"[$a][$b]\"", "[1][2]\n", "", 0),
        ("read a <<< \"a\\\\b\\\nc\"; echo \"[$a]\"", "[abc]\n", "", 0),
        ("read -r a <<< \"a\\\\b\\\nc\"; echo \"[$a]\"", "[a\\bc]\n", "", 0),
        ("read a <<'EOF'\nx\\\ny z\nEOF\necho \"[$a]\"", "[xy z]\n", "", 0),
        ("read -d , a b <<< \"x y,z\"; echo \"[$a][$b]\"", "[x][y]\n", "", 0),
        ("read -d \"\" a <<< \"x\ny\"; echo $? \"[$a]\"", "1 [x\ny]\n", "", 0),
        ("read -n 3 a <<< \"abcdef\"; echo \"[$a]\"", "[abc]\n", "", 0),
        ("read -n 3 a b <<< \"a bcdef\"; echo \"[$a][$b]\"", "[a][b]\n", "", 0),
        ("read -N 3 a <<< \" a\nbcdef\"; echo \"[$a]\"", "[ a\n]\n", "", 0),
        ("read -n 5 a <<< \"ab\ncdef\"; echo \"[$a]\"; read -N 5 a <<< \"ab\ncdef\"; echo \"[$a]\"", "[ab]\n[ab\ncd]\n", "", 0),
        ("read -a arr <<< \" a b  c \"; echo \"${#arr[@]} ${arr[2]}\"", "3 c\n", "", 0),
        ("read -p \"prompt> \" a <<< x; echo \"[$a]\"", "[x]\n", "", 0),
        ("echo \"a b\" | { read; echo \"[$REPLY]\"; }", "[a b]\n", "", 0),
        ("read -t 0 <<< x; echo $?", "0\n", "", 0),
        ("read 1a <<< x; echo $?", "1\n", "bash: line 1: read: `1a': not a valid identifier\n", 0),
        ("read a 1b <<< x; echo $? $a", "1 x\n", "bash: line 1: read: `1b': not a valid identifier\n", 0),
        ("readonly r; read r <<< x; echo $?", "1\n", "bash: line 1: r: readonly variable\n", 0),
        ("read -u 0 a <<< q; echo $a", "q\n", "", 0),
        ("exec 3<<< \"fd3\"; read -u 3 a; echo $a", "fd3\n", "", 0),
        ("read -a 1x <<< x; echo $?", "1\n", "bash: line 1: read: `1x': not a valid identifier\n", 0),
        ("read -a arr a <<< \"x y\"; echo $? ${arr[1]} \"[$a]\"", "0 y []\n", "", 0),
        ("IFS=; read a <<< \"  x  \"; echo \"[$a]\"", "[  x  ]\n", "", 0),
        ("read a b <<< \"x\\ y z\"; echo \"[$a][$b]\"", "[x y][z]\n", "", 0),
        ("read a <<< \"x\\\\\"; echo \"[$a]\"", "[x]\n", "", 0),
        ("read -n 0 a <<< x; echo $? \"[$a]\"", "0 []\n", "", 0),
        ("read a 0>&-; echo $?", "1\n", "bash: line 1: read: read error: 0: Bad file descriptor\n", 0),
        ("read -u 1 a; echo $?", "1\n", "bash: line 1: read: read error: 1: Bad file descriptor\n", 0),
        ("read a <<< \"x\\ \"; echo \"[$a]\"; read a <<< \"\\ \"; echo \"[$a]\"", "[x ]\n[ ]\n", "", 0),
        ("read a b <<< \"x \\ \"; echo \"[$a][$b]\"", "[x][ ]\n", "", 0),
        ("read -N 3 a b <<< \" x y z\"; echo \"[$a][$b]\"", "[ x ][]\n", "", 0),
        ("read -n 10 a b <<< \" x y z\"; echo \"[$a][$b]\"", "[x][y z]\n", "", 0),
        ("IFS=:; read -a arr <<< \":a::b:\"; echo ${#arr[@]} \"${arr[@]}\"", "4  a  b\n", "", 0),
        ("IFS=\" :\"; read -a arr <<< \" : a : : b : \"; echo ${#arr[@]} \"${arr[*]}\"", "4  a  b\n", "", 0),
        ("read -a arr <<< \"a\\ b c\"; echo ${#arr[@]} \"${arr[0]}\"", "2 a b\n", "", 0),
        ("read -d x -n 2 a <<< \"abx\"; echo \"[$a]\"; read -d x -N 4 a <<< \"abxcd\"; echo \"[$a]\"", "[ab]\n[abxc]\n", "", 0),
        ("readonly arr; read -a arr <<< x; echo $?", "1\n", "bash: line 1: arr: readonly variable\n", 0),
        ("read -t -1 a <<< x; echo $?", "1\n", "bash: line 1: read: -1: invalid timeout specification\n", 0),
        ("read -t 1.5x a <<< x; echo $?", "1\n", "bash: line 1: read: 1.5x: invalid timeout specification\n", 0),
        ("read -t 1.5 a <<< x; echo $? $a", "0 x\n", "", 0),
        ("read -u -1 a", "", "bash: line 1: read: -1: invalid file descriptor specification\n", 1),
        ("read -u 3x a", "", "bash: line 1: read: 3x: invalid file descriptor specification\n", 1),
        ("read -u 9 a", "", "bash: line 1: read: 9: invalid file descriptor: Bad file descriptor\n", 1),
        ("arr=(1 2 3); read -a arr <<< \"x\"; echo ${#arr[@]}", "1\n", "", 0),
        ("read \"a[1]\" <<< x; echo ${a[1]}", "x\n", "", 0),
        ("read -rd \"\" a <<< \"x\\\\y\"; echo \"[$a]\"", "[x\\y]\n", "", 0),
        ("IFS=,; read a b <<< \"x,\"; echo \"[$a][$b]\"; IFS=,; read a b <<< \"x,,\"; echo \"[$a][$b]\"", "[x][]\n[x][]\n", "", 0),
        ("IFS=,; read a b <<< \"x, y ,\"; echo \"[$a][$b]\"; IFS=\", \"; read a b <<< \"x, y ,\"; echo \"[$a][$b]\"", "[x][ y ]\n[x][y]\n", "", 0),
        ("IFS=,; read a <<< \",x\"; echo \"[$a]\"", "[,x]\n", "", 0),
        ("IFS=; read a b <<< \" x y \"; echo \"[$a][$b]\"", "[ x y ][]\n", "", 0),
        ("unset IFS; read a b <<< \" x  y z \"; echo \"[$a][$b]\"", "[x][y z]\n", "", 0),
        ("IFS=; read -a arr <<< \" x y \"; echo \"${#arr[@]}[${arr[0]}]\"; IFS=; read -a arr <<< \"\"; echo ${#arr[@]}", "1[ x y ]\n0\n", "", 0),
        ("read -N 4 <<< \" a b c\"; echo \"[$REPLY]\"", "[ a b]\n", "", 0),
        ("read -n 2 a <<< \"\\\\\\\\x\"; echo \"[$a]\"", "[\\x]\n", "", 0),
        ("IFS=x; read a b <<< \"1x\\x2x3\"; echo \"[$a][$b]\"", "[1][x2x3]\n", "", 0),
        ("IFS=\" ,\"; read a b c <<< \"x ,, y\"; echo \"[$a][$b][$c]\"", "[x][][y]\n", "", 0),
        ("read a b c <<< \"x y\"; echo \"[$a][$b][${c-unset}]\"", "[x][y][]\n", "", 0),
        ("{ read 1a; read b; echo \"[$b]\"; } <<< $'x\\ny'", "[x]\n", "bash: line 1: read: `1a': not a valid identifier\n", 0),
        ("{ read a 1b; read c; echo \"[$a][$c]\"; } <<< $'x y\\ny'", "[x][y]\n", "bash: line 1: read: `1b': not a valid identifier\n", 0),
        ("{ read -a 1x; read c; echo \"[$c]\"; } <<< $'x\\ny'", "[y]\n", "bash: line 1: read: `1x': not a valid identifier\n", 0),
        ("read -z", "", "bash: line 1: read: -z: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n", 2),
        ("read -u", "", "bash: line 1: read: -u: option requires an argument\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n", 2),
        ("read -n x", "", "bash: line 1: read: x: invalid number\n", 1),
        ("read -N -1", "", "bash: line 1: read: -1: invalid number\n", 1),
        ("printf 'l1\\nl2\\nl3' > f; while read l; do echo \"<$l>\"; done < f; echo \"[$l]\"", "<l1>\n<l2>\n[l3]\n", "", 0),
        ("printf 'l1\\nl2\\nl3\\n' > f; { read a; read b; } < f; echo \"$a $b\"", "l1 l2\n", "", 0),
        ("printf 'a\\nb\\nc\\n' > f; exec 4< f; read -u 4 x; read -u 4 y; echo $x $y", "a b\n", "", 0),
        ("echo \"one two\" | while read a b; do echo \"$b $a\"; done", "two one\n", "", 0),
        ("printf 'x\\0y\\0' > f; while read -d '' w; do echo \"<$w>\"; done < f", "<x>\n<y>\n", "", 0),
        ("read a b <<< \"é ü\"; echo \"[$b]\"; read -n 1 c <<< \"éa\"; echo \"[$c]\"", "[ü]\n[é]\n", "", 0),
        ("echo x | { read -t 5 a; echo $? $a; }", "0 x\n", "", 0),
    ]);
}

#[test]
fn printf_builtin() {
    cases(&[
        ("printf \"%d %i\\n\" 42 -7", "42 -7\n", "", 0),
        ("printf \"%d\\n\" abc; echo $?", "0\n1\n", "bash: line 1: printf: abc: invalid number\n", 0),
        ("printf \"%d|%d\\n\" 12abc 3; echo $?", "12|3\n1\n", "bash: line 1: printf: 12abc: invalid number\n", 0),
        ("printf \"%d\\n\" \"'A\" \"\\\"B\" \"'é\" \"'\"", "65\n66\n233\n0\n", "", 0),
        ("printf \"%5.2f|%-8s|%08.3e|%g|%G\\n\" 3.14159 ab 12345.678 0.0001 1e20", " 3.14|ab      |1.235e+04|0.0001|1E+20\n", "", 0),
        ("printf \"%x %X %o %#x %#o %u\\n\" 255 255 8 255 8 -1", "ff FF 10 0xff 010 18446744073709551615\n", "", 0),
        ("printf \"%s %s\\n\" a b c", "a b\nc \n", "", 0),
        ("printf \"%s\\n\"; printf \"%d %s|\\n\"", "\n0 |\n", "", 0),
        ("printf \"%q\\n\" \"a b\" \"it's\" \"\" \"x\" 'a$b' \"tab\tx\" \"é\" \"~x\" \"a~\" \"#x\" \"a#\" \"a,b\" \"*\" \"a=b\" \"x:~\" \"x=~y\" \"[a]\" \"{}\" \"-\" \"!\" \"%\" \"^\" $'\\x7f' $'\\e' $'a\\x01b' $'a\\nb'", "a\\ b\nit\\'s\n''\nx\na\\$b\n$'tab\\tx'\né\n\\~x\na~\n\\#x\na#\na\\,b\n\\*\na=b\nx:\\~\nx=\\~y\n\\[a\\]\n\\{\\}\n-\n\\!\n%\n\\^\n$'\\177'\n$'\\E'\n$'a\\001b'\n$'a\\nb'\n", "", 0),
        ("printf \"%b\\n\" \"a\\tb\" \"\\0101\" \"\\101\" \"c\\cd\" \"x\"; echo \"[$?]\"", "a\tb\nA\nA\nc[0]\n", "", 0),
        ("printf \"%c|%c|%5c|%-3c|\\n\" abc \"\" x y", "a|\0|    x|y  |\n", "", 0),
        ("printf \"%*d|%-*d|%.*f\\n\" 5 42 4 7 2 3.14159", "   42|7   |3.14\n", "", 0),
        ("printf \"%%|%5%|\\n\"; echo $?", "%|1\n", "bash: line 1: printf: `%': invalid format character\n", 0),
        ("printf \"%z\\n\" 1; echo $?", "1\n", "bash: line 1: printf: `\\': invalid format character\n", 0),
        ("printf \"%\"; echo $?", "1\n", "bash: line 1: printf: `%': missing format character\n", 0),
        ("printf \"%5\"; printf \"%-\"; echo $?", "1\n", "bash: line 1: printf: `%5': missing format character\nbash: line 1: printf: `%-': missing format character\n", 0),
        ("printf \"abc\\n\" extra", "abc\n", "", 0),
        ("printf \"%s\" ; echo \"[$?]\"", "[0]\n", "", 0),
        ("printf -v x \"%s-%s\" a b; echo \"$x\"", "a-b\n", "", 0),
        ("printf -v \"a[2]\" %s z; echo ${a[2]}", "z\n", "", 0),
        ("printf -v 1x %s z; echo $?", "2\n", "bash: line 1: printf: `1x': not a valid identifier\n", 0),
        ("printf \"%(%Y)T\\n\" 0", "1970\n", "", 0),
        ("TZ=UTC printf \"%(%Y-%m-%d %H:%M:%S)T\\n\" 86399", "1970-01-01 23:59:59\n", "", 0),
        ("printf \"%(%a %A %b %B %c)T|%(%C %d %D %e %F %G %g %H %I %j)T\\n\" 1700000000 1700000000", "Tue Tuesday Nov November Tue Nov 14 22:13:20 2023|20 14 11/14/23 14 2023-11-14 2023 23 22 10 318\n", "", 0),
        ("printf \"%(%k|%l|%m %M %p %P %r %R %s %S)T|%(%T %u %U %V %w %W %x %X %y %Y %z %Z %%)T\\n\" 1700000000 1700000000", "22|10|11 13 PM pm 10:13:20 PM 22:13 1700000000 20|22:13:20 2 46 46 2 46 11/14/23 22:13:20 23 2023 +0000 UTC %\n", "", 0),
        ("printf \"%(%-d|%_H|%05d|%^a|%#Z|%10B|%-10B|%Ey %Od %Q %)T\\n\" 1700000000", "14|22|00014|TUE|utc|  November|  November|23 14 %Q %\n", "", 0),
        ("printf \"%10(%H)T|%-10.1(%H)T|\\n\" 1700000000 1700000000", "        22|2         |\n", "", 0),
        ("printf \"%()T\\n\" 1700000000", "22:13:20\n", "", 0),
        ("printf \"%(%s)T\\n\" abc", "0\n", "bash: line 1: printf: abc: invalid number\n", 1),
        ("printf \"%(%Y)X\\n\"; echo $?", "%(1\n", "bash: line 1: printf: warning: `X': invalid time format specification\nbash: line 1: printf: `Y': invalid format character\n", 0),
        ("TZ=EST5EDT printf \"%(%H %Z %z)T\\n\" 1700000000", "17 EST -0500\n", "", 0),
        ("TZ=UTC-2 printf \"%(%H %Z %z)T\\n\" 1700000000", "00 UTC +0200\n", "", 0),
        ("printf \"%(%F %T %F %T %F %T %F %T %F %T %F %T %F %T %F %T)T|\\n\" 1", "|\n", "", 0),
        ("printf \"%10.4s|\\n\" abcdefgh", "      abcd|\n", "", 0),
        ("printf \"%+d % d %+.3d\\n\" 5 5 5", "+5  5 +005\n", "", 0),
        ("printf \"%.3d|%5.3d|%-5d|%05d|%-05d\\n\" 7 7 7 -7 7", "007|  007|7    |-0007|7    \n", "", 0),
        ("printf \"%e\\n\" abc; echo $?", "0.000000e+00\n1\n", "bash: line 1: printf: abc: invalid number\n", 0),
        ("printf \"%d\\n\" 9999999999999999999 -9999999999999999999; echo $?", "9223372036854775807\n-9223372036854775808\n0\n", "bash: line 1: printf: warning: 9999999999999999999: Numerical result out of range\nbash: line 1: printf: warning: -9999999999999999999: Numerical result out of range\n", 0),
        ("printf \"%u %x %o\\n\" -5 -1 0x1f", "18446744073709551611 ffffffffffffffff 37\n", "", 0),
        ("printf \"%d\\n\" 010 0x10 \" 12\" \"12 \"; echo $?", "8\n16\n12\n12\n1\n", "bash: line 1: printf: 12 : invalid number\n", 0),
        ("printf \"%i\\n\" 1.5", "1\n", "bash: line 1: printf: 1.5: invalid number\n", 1),
        ("printf \"%s\\n\" \"\\n\"", "\\n\n", "", 0),
        ("printf \"a\\\\tb\\\\x41\\\\101\\\\u00e9\\\\c\\n\"", "a\tbAAé\\c\n", "", 0),
        ("printf \"\\\\z\\\\\"", "\\z\\", "", 0),
        ("printf \"%05s|%-05s|\\n\" a b", "    a|b    |\n", "", 0),
        ("printf \"\\\\x\"; echo \" $?\"", "\\x 0\n", "bash: line 1: printf: missing hex digit for \\x\n", 0),
        ("printf \"\\\\u\"; echo \" $?\"", "\\u 0\n", "bash: line 1: printf: missing unicode digit for \\u\n", 0),
        ("printf \"%b\" \"\\\\x\" \"\\\\u\"; echo \" $?\"", "\\x\\u 0\n", "bash: line 1: printf: missing hex digit for \\x\nbash: line 1: printf: missing unicode digit for \\u\n", 0),
        ("printf \"%Q\\n\" \"a b\"; printf \"%.3q|%8q|%.1Q|\\n\" \"a b\" x \"a b\"", "a\\ b\na\\ |       x|a|\n", "", 0),
        ("printf \"%s %n%s\\n\" ab x y; echo $x", "ab y\n3\n", "", 0),
        ("printf \"%#o %#x %#X %#.3o %#5x|%#x\\n\" 0 0 10 8 1 0", "0 0 0XA 010   0x1|0\n", "", 0),
        ("printf \"%.0d|%.0x|%5.0d|\\n\" 0 0 0", "||     |\n", "", 0),
        ("printf \"%+u %+x % x\\n\" 5 5 5", "5 5 5\n", "", 0),
        ("printf \"%'d\\n\" 1234567", "1234567\n", "", 0),
        ("printf \"%hd %ld %lld %jd %zd %hhd %Lf\\n\" 1 2 3 4 5 6 7", "1 2 3 4 5 6 7.000000\n", "", 0),
        ("printf \"%.2e %E %.0e %#.0e %.3g %g %g %g %#g %g\\n\" 12345 0.000123 5 5 1234567 100000 1000000 0.0001 1 1e-5", "1.23e+04 1.230000E-04 5e+00 5.e+00 1.23e+06 100000 1e+06 0.0001 1.00000 1e-05\n", "", 0),
        ("printf \"%a %A %.2a\\n\" 1 -2.5 3", "0x8p-3 -0XAP-2 0xc.00p-2\n", "", 0),
        ("printf \"%.0a %.1a %a|%.2a|%a|%a\\n\" 1.99 1.99 -0 1.999 0.1 1e-320", "0x1p+1 0xf.fp-3 -0x0p+0|0xf.fep-3|0xc.ccccccccccccccdp-7|0xf.d00b897478238d1p-1067\n", "", 0),
        ("printf \"%f %F %e\\n\" inf -inf nan", "inf -INF nan\n", "", 0),
        ("printf \"%08f|%-08.1f|\\n\" inf 2", "     inf|2.0     |\n", "", 0),
        ("printf \"%5.1f|%-8.3f|%08.2f|%+f|% f\\n\" 2.25 1 -3.14159 1 1", "  2.2|1.000   |-0003.14|+1.000000| 1.000000\n", "", 0),
        ("printf \"%.1f %.1f %.1f %.0f %.0f\\n\" 0.05 0.15 0.25 0.5 1.5", "0.1 0.2 0.2 0 2\n", "", 0),
        ("printf \"%.20f|%.25e\\n\" 0.1 1e-310", "0.10000000000000000000|9.9999999999999999995483215e-311\n", "", 0),
        ("printf \"%f %e\\n\" 1e5000 1e-5000", "inf 0.000000e+00\n", "bash: line 1: printf: warning: 1e5000: Numerical result out of range\nbash: line 1: printf: warning: 1e-5000: Numerical result out of range\n", 0),
        ("printf \"%.3f\\n\" 2.0005 1.0005", "2.001\n1.001\n", "", 0),
        ("printf \"%g %g\\n\" 0.0001234567 999999.5", "0.000123457 1e+06\n", "", 0),
        ("printf \"%.0e %.0f %.10g\\n\" 9.5 2.5 0.1", "1e+01 2 0.1\n", "", 0),
        ("printf \"%f\\n\" \" 1.5\" \"+1.5\" \"-.5e1\" \"0x.8\" \"INF\" \"nan(12)\" \"infinity\" \"1e\" \"1e+\" \".\"; echo $?", "1.500000\n1.500000\n-5.000000\n0.500000\ninf\nnan\ninf\n1.000000\n1.000000\n0.000000\n1\n", "bash: line 1: printf: 1e: invalid number\nbash: line 1: printf: 1e+: invalid number\nbash: line 1: printf: .: invalid number\n", 0),
        ("printf \"%f\\n\" 0x1.8p1 1e3 .5 5. \"'a\"", "3.000000\n1000.000000\n0.500000\n5.000000\n97.000000\n", "", 0),
        ("printf \"%d\\n\" \"0x\" \"08\" \"-0x10\" \" +7\" \"0b1\"; echo $?", "0\n0\n-16\n7\n0\n1\n", "bash: line 1: printf: 0x: invalid hex number\nbash: line 1: printf: 08: invalid octal number\nbash: line 1: printf: 0b1: invalid number\n", 0),
        ("printf \"%u\\n\" \"-99999999999999999999\" 18446744073709551616", "18446744073709551615\n18446744073709551615\n", "bash: line 1: printf: warning: -99999999999999999999: Numerical result out of range\nbash: line 1: printf: warning: 18446744073709551616: Numerical result out of range\n", 0),
        ("printf \"%010.3f|%-10e|%+.2g|% .3e\\n\" -1.5 2 3 4", "-00001.500|2.000000e+00|+3| 4.000e+00\n", "", 0),
        ("printf \"%g %g %g %G\\n\" 1e-5 123456 1234567 1e-10", "1e-05 123456 1.23457e+06 1E-10\n", "", 0),
        ("printf \"%#g %#.3g %#x %#.0f\\n\" 12 0.0001 0 3", "12.0000 0.000100 0 3.\n", "", 0),
        ("printf \"%g\\n\" 0 -0 1e100 123456789 0.00001234", "0\n-0\n1e+100\n1.23457e+08\n1.234e-05\n", "", 0),
        ("printf \"%5s|%-5s|%.1s|%s\\n\" abc abc abc", "  abc|abc  |a|\n", "", 0),
        ("printf \"%*s|%-*s|%*s|\\n\" -5 a 3 b \"\" c", "a    |b  |c|\n", "", 0),
        ("printf \"%.*s|\\n\" -1 abc", "abc|\n", "", 0),
        ("printf \"%*d\\n\" x 5; echo $?", "5\n1\n", "bash: line 1: printf: x: invalid number\n", 0),
        ("printf \"%d %d\\n\" 1", "1 0\n", "", 0),
        ("printf \"x%sy\" ; echo", "xy\n", "", 0),
        ("printf \"%s\\0%s|\" a b; printf \"%b|\" \"a\\0b\\c\" \"z\"; echo", "a\0b|a\0b\n", "", 0),
        ("printf -- \"-%s\\n\" x", "-x\n", "", 0),
        ("printf -v", "", "bash: line 1: printf: -v: option requires an argument\nprintf: usage: printf [-v var] format [arguments]\n", 2),
        ("printf -v x; echo $?", "2\n", "printf: usage: printf [-v var] format [arguments]\n", 0),
        ("printf -v x \"\"; echo $? \"[$x]\"; x=5; printf -v x \"\"; echo \"[$x]\"", "0 []\n[]\n", "", 0),
        ("printf \"\"; echo $?; printf \"\" a; echo $?", "0\n0\n", "", 0),
        ("readonly r; printf -v r x; echo $?", "1\n", "bash: line 1: r: readonly variable\n", 0),
        ("printf \"%s\\n\" \"$(printf \"%q\" \"$(printf \"a\\nb\")\")\"", "$'a\\nb'\n", "", 0),
        ("printf", "", "printf: usage: printf [-v var] format [arguments]\n", 2),
        ("printf -z", "", "bash: line 1: printf: -z: invalid option\nprintf: usage: printf [-v var] format [arguments]\n", 2),
        ("printf \"%5.3s|\\n\" é", "   é|\n", "", 0),
        ("printf \"%s|%s|%s\\n\" 1 2 3 4 5", "1|2|3\n4|5|\n", "", 0),
        ("printf \"[%s]\" a b c; echo", "[a][b][c]\n", "", 0),
        ("printf \"%d%%\\n\" 50", "50%\n", "", 0),
        ("printf '%s\\n' \"${arr[@]}\"; arr=(x \"y z\"); printf '<%s>' \"${arr[@]}\"; echo", "\n<x><y z>\n", "", 0),
        ("printf \"%x\\n\" \"'A\"; printf \"%c\\n\" 65", "41\n6\n", "", 0),
        ("printf '%-10s|%10s|\\n' left right", "left      |     right|\n", "", 0),
        ("printf '%s=%d\\n' a 1 b 2 c", "a=1\nb=2\nc=0\n", "", 0),
        ("printf -v out '%05.1f' 3.14159; echo \"$out\"", "003.1\n", "", 0),
        ("n=3; printf \"%0${n}d\\n\" 7", "007\n", "", 0),
        ("printf \"%d items\\n\" \"\"; echo $?", "0 items\n0\n", "", 0),
    ]);
}

#[test]
fn mapfile_builtin() {
    cases(&[
        ("mapfile a <<< $'x\\ny\\nz'; echo ${#a[@]}; printf '<%q>' \"${a[@]}\"; echo", "3\n<$'x\\n'><$'y\\n'><$'z\\n'>\n", "", 0),
        ("mapfile -t a <<< $'x\\ny'; printf '<%s>' \"${a[@]}\"; echo", "<x><y>\n", "", 0),
        ("mapfile <<< $'x\\ny'; printf '<%q>' \"${MAPFILE[@]}\"; echo", "<$'x\\n'><$'y\\n'>\n", "", 0),
        ("readarray -t -n 2 a <<< $'1\\n2\\n3'; printf '<%s>' \"${a[@]}\"; echo", "<1><2>\n", "", 0),
        ("mapfile -t -s 1 a <<< $'1\\n2\\n3'; printf '<%s>' \"${a[@]}\"; echo", "<2><3>\n", "", 0),
        ("mapfile -t -O 5 a <<< $'1\\n2'; echo \"${!a[@]}\"; printf '<%s>' \"${a[@]}\"; echo", "5 6\n<1><2>\n", "", 0),
        ("a=(x y z); mapfile -t -O 1 a <<< $'1'; printf '<%s>' \"${a[@]}\"; echo", "<x><1><z>\n", "", 0),
        ("a=(x y z); mapfile -t a <<< $'1'; printf '<%s>' \"${a[@]}\"; echo", "<1>\n", "", 0),
        ("mapfile -d , -t a <<< \"a,b,c\"; printf '<%q>' \"${a[@]}\"; echo", "<a><b><$'c\\n'>\n", "", 0),
        ("printf 'a\\0b\\0' > f; mapfile -d \"\" -t a < f; printf '<%s>' \"${a[@]}\"; echo", "<a><b>\n", "", 0),
        ("mapfile -t a < f2; echo $? ${#a[@]}", "1 0\n", "bash: line 1: f2: No such file or directory\n", 0),
        (": > f; mapfile -t a < f; echo $? ${#a[@]}", "0 0\n", "", 0),
        ("mapfile -n -1 a", "", "bash: line 1: mapfile: -1: invalid line count\n", 1),
        ("mapfile -O x a", "", "bash: line 1: mapfile: x: invalid array origin\n", 1),
        ("mapfile -s x a", "", "bash: line 1: mapfile: x: invalid line count\n", 1),
        ("mapfile -c 0 a", "", "bash: line 1: mapfile: 0: invalid callback quantum\n", 1),
        ("mapfile -C echo -c 1 -t a <<< $'p\\nq'; printf '<%s>' \"${a[@]}\"; echo", "0 p\n1 q\n<p><q>\n", "", 0),
        ("mapfile -C \"echo cb\" -t a <<< $'1\\n2\\n3\\n4\\n5'; echo ${#a[@]}", "5\n", "", 0),
        ("mapfile -t -C \"echo\" -c 2 a <<< $'1\\n2\\n3\\n4'; echo ${#a[@]}", "1 2\n3 4\n4\n", "", 0),
        ("f() { echo \"cb $1 [$2] ${#a[@]}\"; }; mapfile -t -C f -c 1 a <<< $'x\\ny'", "cb 0 [x] 0\ncb 1 [y] 1\n", "", 0),
        ("mapfile 1a <<< x", "", "bash: line 1: mapfile: `1a': not a valid identifier\n", 1),
        ("readonly r; mapfile r <<< x; echo $?", "1\n", "bash: line 1: r: readonly variable\n", 0),
        ("x=5; mapfile x <<< q; printf '<%q>' \"${x[@]}\"; echo", "<$'q\\n'>\n", "", 0),
        ("mapfile a b <<< x; echo $? ${#a[@]}", "0 1\n", "", 0),
        ("{ mapfile -n 1 -t a; read b; echo \"$b\"; } <<< $'1\\n2\\n3'; printf '<%s>' \"${a[@]}\"; echo", "2\n<1>\n", "", 0),
        ("printf '1\\n2\\n3\\n' > f; { mapfile -n 2 -t a; read b; echo \"$b\"; } < f; printf '<%s>' \"${a[@]}\"; echo", "3\n<1><2>\n", "", 0),
        ("mapfile -t a <<< $'x\\r\\ny'; printf '<%q>' \"${a[@]}\"; echo", "<$'x\\r'><y>\n", "", 0),
        ("mapfile -u 3 a", "", "bash: line 1: mapfile: 3: invalid file descriptor: Bad file descriptor\n", 1),
        ("readonly r; mapfile -u 9 r", "", "bash: line 1: mapfile: 9: invalid file descriptor: Bad file descriptor\n", 1),
        ("exec 3<<< \"q\"; mapfile -u 3 -t a; printf '<%s>' \"${a[@]}\"; echo", "<q>\n", "", 0),
        ("mapfile -t a <<< \"\"; echo ${#a[@]}", "1\n", "", 0),
        ("printf \"a\\nb\" | { mapfile -t a; printf '<%s>' \"${a[@]}\"; echo; }", "<a><b>\n", "", 0),
        ("mapfile -n 0 -t a <<< $'1\\n2'; echo ${#a[@]}", "2\n", "", 0),
        ("mapfile -s 5 -t a <<< $'1\\n2'; echo ${#a[@]} $?", "0 0\n", "", 0),
        ("mapfile a 0>&-; echo $? ${#a[@]}", "0 0\n", "", 0),
        ("mapfile -u 1 a; echo $? ${#a[@]}", "0 0\n", "", 0),
        ("mapfile \"\"; echo $?", "2\n", "bash: line 1: mapfile: empty array variable name\n", 0),
        ("mapfile -z", "", "bash: line 1: mapfile: -z: invalid option\nmapfile: usage: mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]\n", 2),
        ("readarray -z", "", "bash: line 1: readarray: -z: invalid option\nreadarray: usage: readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]\n", 2),
        ("printf '%s\\n' a b c | mapfile -t lines; echo ${#lines[@]}", "0\n", "", 0),
        ("printf '%s\\n' a b c > f; mapfile -t lines < f; echo \"${lines[2]} ${#lines[@]}\"", "c 3\n", "", 0),
    ]);
}

/// Cases that need changes outside these builtins: prefix assignments
/// that restore only the variables they assigned (`IFS=: read a b`),
/// arithmetic error messages, `$-` with `c`, `BASHOPTS` at startup,
/// writes to a closed stdout failing, `<&1` on an output, `local` and `declare`.
#[test]
#[ignore = "needs changes in the evaluator, see the doc comment"]
fn pending_elsewhere() {
    cases(&[
        ("IFS=: read a b c <<< \"1::2:3:\"; echo \"[$a][$b][$c]\"", "[1][][2:3:]\n", "", 0),
        ("IFS=: read -a arr <<< \":a::b:\"; echo ${#arr[@]} \"${arr[@]}\"", "4  a  b\n", "", 0),
        ("IFS=, read a <<< \",x\"; echo \"[$a]\"", "[,x]\n", "", 0),
        ("read a <&1; echo $?", "1\n", "bash: line 1: read: read error: 0: Bad file descriptor\n", 0),
        ("let \"1 +\"; echo $?", "1\n", "bash: line 1: let: 1 +: syntax error: operand expected (error token is \"+\")\n", 0),
        ("let x=08; echo $?", "1\n", "bash: line 1: let: x=08: value too great for base (error token is \"08\")\n", 0),
        ("shopt -o -s errexit; echo $-; shopt -o errexit", "ehBc\nerrexit        \ton\n", "", 0),
        ("echo $BASHOPTS; shopt -s extglob; echo $BASHOPTS", "checkwinsize:cmdhist:complete_fullquote:extquote:force_fignore:globasciiranges:globskipdots:hostcomplete:interactive_comments:patsub_replacement:progcomp:promptvars:sourcepath\ncheckwinsize:cmdhist:complete_fullquote:extglob:extquote:force_fignore:globasciiranges:globskipdots:hostcomplete:interactive_comments:patsub_replacement:progcomp:promptvars:sourcepath\n", "", 0),
        ("umask >&-; echo $?", "1\n", "bash: line 1: umask: write error: Bad file descriptor\n", 0),
        ("f() { local OPTIND=1 o; while getopts xy: o \"$@\"; do echo \"$o=${OPTARG-}\"; done; shift $((OPTIND-1)); echo \"rest: $*\"; }; f -x -y 1 a b; f -yz c", "x=\ny=1\nrest: a b\ny=z\nrest: c\n", "", 0),
        ("printf \"%s\\n\" a >&-; echo $?", "1\n", "bash: line 1: printf: write error: Bad file descriptor\n", 0),
        ("declare -A h; mapfile h <<< x; echo $?", "1\n", "bash: line 1: mapfile: h: not an indexed array\n", 0),
    ]);
}
