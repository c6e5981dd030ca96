//! Command-line handling: -F, -v, -f, --, operand assignments.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t(
        "cli/v_assignment",
        &["-v", "x=hello", "BEGIN { print x }"],
        "",
        "hello\n",
    ),
    t(
        "cli/v_attached",
        &["-vx=1", "-vy=2", "BEGIN { print x + y }"],
        "",
        "3\n",
    ),
    t(
        "cli/v_escapes",
        &["-v", "x=a\\tb", "BEGIN { print x }"],
        "",
        "a\tb\n",
    ),
    t(
        "cli/v_is_strnum",
        &["-v", "x=10", "BEGIN { print (x > 9) }"],
        "",
        "1\n",
    ),
    t("cli/F_attached", &["-F:", "{ print $2 }"], "a:b\n", "b\n"),
    t(
        "cli/F_regex",
        &["-F", "[,;]", "{ print $3 }"],
        "a,b;c\n",
        "c\n",
    ),
    t("cli/progfile", &["-f", "$DIR/p.awk"], "a b\n", "b\n").files(&[("p.awk", "{ print $2 }\n")]),
    t(
        "cli/two_progfiles",
        &["-f", "$DIR/lib.awk", "-f", "$DIR/main.awk"],
        "",
        "42\n",
    )
    .files(&[
        ("lib.awk", "function answer() { return 42 }\n"),
        ("main.awk", "BEGIN { print answer() }\n"),
    ]),
    t("cli/double_dash", &["--", "{ print }", "$DIR/f"], "", "x\n").files(&[("f", "x\n")]),
    t(
        "cli/operand_assignment_order",
        &["{ print x, $0 }", "x=1", "$DIR/f", "x=2", "$DIR/f"],
        "",
        "1 a\n2 a\n",
    )
    .files(&[("f", "a\n")]),
    t(
        "cli/operand_assignment_before_end",
        &["END { print x }", "$DIR/f", "x=done"],
        "",
        "done\n",
    )
    .files(&[("f", "a\n")]),
    t(
        "cli/assignment_only_operands_read_stdin",
        &["{ print x, $0 }", "x=5"],
        "in\n",
        "5 in\n",
    ),
    t(
        "cli/empty_operand_skipped",
        &["{ print }", "", "$DIR/f"],
        "",
        "a\n",
    )
    .files(&[("f", "a\n")])
    .idef(),
    t("cli/version", &["--version"], "", "")
        .status_only()
        .not_gawk(),
    t("cli/help", &["--help"], "", "").status_only().not_gawk(),
];
