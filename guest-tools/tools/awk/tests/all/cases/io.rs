//! getline forms, output redirection, close, fflush, commands (unsupported).

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("io/getline_from_file", &["BEGIN { while ((getline line < \"$DIR/f\") > 0) print \"got\", line; print NR }"], "", "got a\ngot b\n0\n").files(&[("f", "a\nb\n")]),
    t("io/getline_file_sets_dollar0", &["BEGIN { getline < \"$DIR/f\"; print $2, NF, NR }"], "", "y 2 0\n").files(&[("f", "x y\n")]),
    t("io/getline_missing_file", &["BEGIN { print (getline line < \"$DIR/missing\") }"], "", "-1\n"),
    t("io/getline_var_updates_nr", &["NR == 1 { getline x; print x, NR, $0 }"], "a\nb\n", "b 2 a\n"),
    t("io/getline_plain_updates_record", &["NR == 1 { getline; print $0, NR }"], "a\nb\n", "b 2\n"),
    t("io/getline_at_eof", &["{ r = getline; print r, $0 }"], "a\n", "0 a\n"),
    t("io/print_to_file_then_read", &["BEGIN { print \"one\" > \"$DIR/o\"; print \"two\" > \"$DIR/o\"; close(\"$DIR/o\"); while ((getline l < \"$DIR/o\") > 0) print \"r:\" l }"], "", "r:one\nr:two\n"),
    t("io/append_redirect", &["BEGIN { print \"new\" >> \"$DIR/f\"; close(\"$DIR/f\"); while ((getline l < \"$DIR/f\") > 0) print l }"], "", "old\nnew\n").files(&[("f", "old\n")]),
    t("io/truncate_on_first_open", &["BEGIN { print \"x\" > \"$DIR/f\"; close(\"$DIR/f\"); getline l < \"$DIR/f\"; print l }"], "", "x\n").files(&[("f", "old\nlines\n")]),
    t("io/close_return_values", &["BEGIN { print \"a\" > \"$DIR/o\"; print close(\"$DIR/o\"), close(\"$DIR/never\") }"], "", "0 -1\n"),
    t("io/printf_to_file", &["BEGIN { printf \"%s-%d\\n\", \"a\", 1 > \"$DIR/o\"; close(\"$DIR/o\"); getline l < \"$DIR/o\"; print l }"], "", "a-1\n"),
    t("io/print_redirect_concat_target", &["BEGIN { f = \"$DIR/o\"; print \"z\" > f \".txt\"; close(f \".txt\"); getline l < (f \".txt\"); print l }"], "", "z\n"),
    t("io/dev_stdout_and_stderr", &["BEGIN { print \"out\" > \"/dev/stdout\"; print \"err\" > \"/dev/stderr\" }"], "", "out\n"),
    t("io/print_parenthesized_list_redirect", &["BEGIN { print(\"a\", \"b\") > \"$DIR/o\"; close(\"$DIR/o\"); getline l < \"$DIR/o\"; print l }"], "", "a b\n"),
    t("io/print_comparison_in_parens", &["BEGIN { print (1 > 2) \"x\" }"], "", "0x\n"),
    t("io/ofs_ors", &["BEGIN { OFS = \"-\"; ORS = \"|\\n\" } { print $1, $2 }"], "a b\nc d\n", "a-b|\nc-d|\n"),
    t("io/print_numbers_ofmt", &["BEGIN { OFMT = \"%.2f\"; print 3.14159, 2, \"3.14159\" }"], "", "3.14 2 3.14159\n"),
    t("io/fflush", &["BEGIN { printf \"a\"; fflush(); printf \"b\\n\"; print fflush(\"$DIR/none\") }"], "", "ab\n-1\n"),
    t("io/cmd_getline_fails_cleanly", &["BEGIN { \"date\" | getline d; print \"not reached\" }"], "", "").status(2).not_gawk(),
    t("io/print_pipe_fails_cleanly", &["BEGIN { print \"x\" | \"cat\" }"], "", "").status(2).not_gawk(),
    t("io/system_returns_minus_one", &["BEGIN { r = system(\"true\"); print r }"], "", "-1\n").not_gawk(),
    t("io/missing_input_file_fatal", &["{ print }", "$DIR/missing"], "", "").status(2),
    t("io/directory_operand_skipped", &["{ print }", "$DIR", "$DIR/f"], "", "x\n").files(&[("f", "x\n")]).idef(),
    t("io/getline_var_from_file_keeps_record", &["{ getline x < \"$DIR/f\"; print $0, x }"], "main\n", "main other\n").files(&[("f", "other\n")]),
    t("io/two_files_open_at_once", &["BEGIN { print \"1\" > \"$DIR/a\"; print \"2\" > \"$DIR/b\"; print \"3\" > \"$DIR/a\"; close(\"$DIR/a\"); close(\"$DIR/b\"); while ((getline l < \"$DIR/a\") > 0) print l; getline l < \"$DIR/b\"; print l }"], "", "1\n3\n2\n"),
];
