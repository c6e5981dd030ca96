//! Statements: if/else, loops, break/continue, next, nextfile, exit.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("control/if_else_chain", &["{ if ($1 > 5) print \"big\"; else if ($1 > 2) print \"mid\"; else print \"small\" }"], "7\n3\n1\n", "big\nmid\nsmall\n"),
    t("control/if_else_blocks_newlines", &["{ if ($1) {\n print \"t\"\n }\n else {\n print \"f\"\n } }"], "1\n0\n", "t\nf\n"),
    t("control/while", &["BEGIN { i = 0; while (i < 3) { printf \"%d\", i; i++ } print \"\" }"], "", "012\n"),
    t("control/do_while_runs_once", &["BEGIN { i = 10; do { print i; i++ } while (i < 3) }"], "", "10\n"),
    t("control/for_loop", &["BEGIN { for (i = 1; i <= 3; i++) s = s i; print s }"], "", "123\n"),
    t("control/for_empty_parts", &["BEGIN { i = 0; for (;;) { if (++i > 3) break }; print i }"], "", "4\n"),
    t("control/break_continue", &["BEGIN { for (i = 0; i < 10; i++) { if (i % 2) continue; if (i > 6) break; printf \"%d \", i } print \"\" }"], "", "0 2 4 6 \n"),
    t("control/nested_loops_break_inner", &["BEGIN { for (i = 0; i < 3; i++) for (j = 0; j < 3; j++) { if (j == 1) break; printf \"%d%d \", i, j } print \"\" }"], "", "00 10 20 \n"),
    t("control/next", &["NR == 2 { next } { print }"], "a\nb\nc\n", "a\nc\n"),
    t("control/nextfile", &["FNR == 2 { nextfile } { print FILENAME \":\" $0 }", "$DIR/a", "$DIR/b"], "", "$DIR/a:1\n$DIR/b:x\n").files(&[("a", "1\n2\n3\n"), ("b", "x\ny\n")]),
    t("control/exit_status", &["{ print; exit 3 }"], "a\nb\n", "a\n").status(3),
    t("control/exit_runs_end", &["{ exit } END { print \"end\", NR }"], "a\nb\n", "end 1\n"),
    t("control/exit_in_begin_runs_end", &["BEGIN { exit 1 } { print \"no\" } END { print \"end\" }"], "a\n", "end\n").status(1),
    t("control/exit_in_end_keeps_status", &["BEGIN { exit 4 } END { exit }"], "", "").status(4),
    t("control/exit_in_end_stops", &["END { print 1; exit; print 2 }"], "", "1\n"),
    t("control/exit_expression", &["BEGIN { exit 1 + 1 }"], "", "").status(2),
    t("control/semicolon_empty_statements", &["BEGIN { ; ; print \"ok\"; ; }"], "", "ok\n"),
    t("control/while_empty_body", &["BEGIN { while (i++ < 5); print i }"], "", "6\n"),
    t("control/if_semicolon_else", &["{ if ($1 == 1) print \"one\"; else print \"other\" }"], "1\n2\n", "one\nother\n"),
    t("control/for_in_with_break", &["BEGIN { a[1]; a[2]; a[3]; for (k in a) { n++; break } print n }"], "", "1\n"),
    t("control/getline_loop_main_input", &["NR == 1 { while ((getline line) > 0) n++; print n, NR }"], "a\nb\nc\n", "2 3\n"),
    t("control/do_while_newlines", &["BEGIN { do\n x++\n while (x < 3)\n print x }"], "", "3\n"),
];
