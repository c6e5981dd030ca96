//! Program structure: BEGIN/END, patterns, ranges, the default action, comments.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("basics/print_all", &["{ print }"], "a\nb\n", "a\nb\n"),
    t("basics/default_action", &["NR == 2"], "a\nb\nc\n", "b\n"),
    t(
        "basics/begin_only_reads_no_input",
        &["BEGIN { print \"hi\" }"],
        "ignored\n",
        "hi\n",
    ),
    t(
        "basics/several_begin_end",
        &["BEGIN{printf \"1\"} BEGIN{printf \"2\"} END{printf \"3\"} END{print \"4\"}"],
        "x\n",
        "1234\n",
    ),
    t(
        "basics/end_sees_last_record",
        &["END { print $0, NF, NR }"],
        "a b\nc d e\n",
        "c d e 3 2\n",
    ),
    t(
        "basics/regex_pattern",
        &["/b/"],
        "abc\nxyz\nb\n",
        "abc\nb\n",
    ),
    t(
        "basics/negated_regex_pattern",
        &["!/b/"],
        "abc\nxyz\nb\n",
        "xyz\n",
    ),
    t(
        "basics/expression_pattern",
        &["$1 > 2 { print $2 }"],
        "1 a\n3 b\n10 c\n",
        "b\nc\n",
    ),
    t(
        "basics/range_pattern",
        &["/start/,/end/"],
        "a\nstart\nb\nend\nc\nstart\nd\n",
        "start\nb\nend\nstart\nd\n",
    ),
    t(
        "basics/range_same_line",
        &["/s/,/s/ { print NR }"],
        "s\nx\ns\n",
        "1\n3\n",
    ),
    t(
        "basics/range_by_nr",
        &["NR==2,NR==3"],
        "1\n2\n3\n4\n",
        "2\n3\n",
    ),
    t(
        "basics/comments_and_continuation",
        &["# comment\n{ print \\\n $1 } # trailing"],
        "a b\n",
        "a\n",
    ),
    t(
        "basics/semicolons_between_items",
        &["BEGIN { x = 1 }; { print x + NR };"],
        "a\n",
        "2\n",
    ),
    t(
        "basics/pattern_and_action_same_line",
        &["/a/{print \"A\"} /b/{print \"B\"}"],
        "ab\n",
        "A\nB\n",
    ),
    t("basics/empty_program", &[""], "a\n", ""),
    t(
        "basics/newline_after_brace_and_operators",
        &["{ x = 1 +  2; if (x == 3 &&\n 1) print \"ok\" }"],
        "a\n",
        "ok\n",
    ),
    t(
        "basics/uninitialized_values",
        &["BEGIN { print x + 0, \"[\" x \"]\", length(x) }"],
        "",
        "0 [] 0\n",
    ),
    t(
        "basics/nr_fnr_across_files",
        &["{ print FILENAME, NR, FNR }", "$DIR/a", "$DIR/b"],
        "",
        "$DIR/a 1 1\n$DIR/a 2 2\n$DIR/b 3 1\n",
    )
    .files(&[("a", "x\ny\n"), ("b", "z\n")]),
    t(
        "basics/stdin_dash_operand",
        &["{ print FILENAME \":\" $0 }", "$DIR/a", "-"],
        "in\n",
        "$DIR/a:x\n-:in\n",
    )
    .files(&[("a", "x\n")]),
    t(
        "basics/no_trailing_newline",
        &["{ print \"<\" $0 \">\" }"],
        "a\nb",
        "<a>\n<b>\n",
    ),
    t(
        "basics/crlf_kept",
        &["{ print length($0) }"],
        "ab\r\n",
        "3\n",
    ),
    t(
        "basics/getline_in_begin_reads_input",
        &["BEGIN { getline; print \"first:\", $0 } { print }"],
        "a\nb\n",
        "first: a\nb\n",
    ),
];
