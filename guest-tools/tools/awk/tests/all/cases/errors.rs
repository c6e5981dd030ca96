//! Errors, ranked as gawk 5.2 ranks them: usage and syntax errors (including rules gawk
//! checks while parsing) exit 1, fatal errors exit 2 (mawk uses 2 for all, so the
//! status-1 cases are implementation-defined); nothing on stdout after the failure.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("errors/syntax_unclosed_brace", &["BEGIN { print 1"], "", "")
        .status(1)
        .idef(),
    t(
        "errors/syntax_bad_token",
        &["BEGIN { print 1 +* 2 }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t(
        "errors/syntax_unterminated_string",
        &["BEGIN { print \"abc }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t("errors/syntax_unterminated_regex", &["/abc"], "", "")
        .status(1)
        .idef(),
    t(
        "errors/division_by_zero",
        &["BEGIN { x = 0; print \"before\"; print 1 / x; print \"after\" }"],
        "",
        "before\n",
    )
    .status(2),
    t(
        "errors/modulo_by_zero",
        &["BEGIN { x = 0; print 1 % x }"],
        "",
        "",
    )
    .status(2),
    t(
        "errors/scalar_used_as_array",
        &["BEGIN { x = 1; x[1] = 2 }"],
        "",
        "",
    )
    .status(2),
    t(
        "errors/array_used_as_scalar",
        &["BEGIN { a[1] = 1; print a + 1 }"],
        "",
        "",
    )
    .status(2),
    t(
        "errors/undefined_function",
        &["BEGIN { nosuch(1) }"],
        "",
        "",
    )
    .status(2),
    t("errors/negative_field", &["{ print $(-1) }"], "a\n", "").status(2),
    t("errors/bad_regex", &["/a(/"], "x\n", "").status(1).idef(),
    t("errors/next_in_begin", &["BEGIN { next }"], "", "")
        .status(1)
        .idef(),
    t("errors/break_outside_loop", &["BEGIN { break }"], "", "")
        .status(1)
        .idef(),
    t(
        "errors/return_outside_function",
        &["BEGIN { return 1 }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t("errors/usage_no_program", &[], "", "").status(1).idef(),
    t("errors/unknown_option", &["-z", "1"], "", "")
        .status(1)
        .idef(),
    t(
        "errors/output_before_error_kept",
        &["{ print; if (NR == 2) print 1 / (NR - 2) }"],
        "a\nb\nc\n",
        "a\nb\n",
    )
    .status(2)
    .status_only(),
    t(
        "errors/extra_args_to_function_ignored",
        &["function f(a) { return a } BEGIN { print f(1, 2) }"],
        "",
        "1\n",
    )
    .idef(),
    t(
        "errors/getline_then_concat",
        &["BEGIN { getline 1 }"],
        "",
        "",
    )
    .idef(),
    t("errors/missing_progfile", &["-f", "$DIR/none.awk"], "", "").status(2),
    t(
        "errors/function_name_as_variable",
        &["function foo(x) { return x } BEGIN { foo(foo) }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t(
        "errors/function_name_as_array",
        &["function pile(c, r) { r = ++pile[c] } { pile($1) }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t(
        "errors/huge_field_assignment",
        &["BEGIN { $100000000 = 1; print \"not reached\" }"],
        "",
        "",
    )
    .status(2)
    .not_gawk(),
    t(
        "errors/group_outside_print",
        &["BEGIN { x = (1, 2) }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t(
        "errors/scalar_argument_for_array_parameter",
        &["function f(a) { a[1] = 1 } BEGIN { f(1) }"],
        "",
        "",
    )
    .status(2),
    t(
        "errors/v_without_assignment",
        &["-v", "x", "BEGIN { }"],
        "",
        "",
    )
    .status(1)
    .idef(),
    t(
        "errors/v_bad_variable_name",
        &["-v", "1x=2", "BEGIN { }"],
        "",
        "",
    )
    .status(2),
];
