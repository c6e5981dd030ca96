//! Associative arrays: creation, in, delete, for-in, SUBSEP, numeric keys.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("arrays/count_words", &["{ c[$1]++ } END { print c[\"a\"], c[\"b\"], length(c) }"], "a\nb\na\n", "2 1 2\n"),
    t("arrays/sum_by_key", &["{ s[$1] += $2 } END { print s[\"x\"], s[\"y\"] }"], "x 1\ny 2\nx 3\n", "4 2\n"),
    t("arrays/reference_creates_element", &["BEGIN { if (a[\"k\"] == \"\") print length(a) }"], "", "1\n"),
    t("arrays/in_does_not_create", &["BEGIN { if (\"k\" in a) print \"yes\"; print length(a) }"], "", "0\n"),
    t("arrays/delete_element", &["BEGIN { a[1]; a[2]; delete a[1]; print length(a), (1 in a), (2 in a) }"], "", "1 0 1\n"),
    t("arrays/delete_whole", &["BEGIN { a[1]; a[2]; delete a; print length(a) }"], "", "0\n"),
    t("arrays/for_in_sum", &["BEGIN { a[\"x\"] = 1; a[\"y\"] = 2; a[\"z\"] = 3; for (k in a) s += a[k]; print s }"], "", "6\n"),
    t("arrays/for_in_delete_all", &["BEGIN { for (i = 0; i < 100; i++) a[i]; for (k in a) delete a[k]; print length(a) }"], "", "0\n"),
    t("arrays/numeric_key_normalized", &["BEGIN { a[1] = \"x\"; print a[\"1\"], a[1.0], a[2 - 1]; a[\"01\"] = \"y\"; print length(a) }"], "", "x x x\n2\n"),
    t("arrays/float_key_convfmt", &["BEGIN { a[0.1] = 1; for (k in a) print k; CONVFMT = \"%.2f\"; b[0.123] = 1; for (k in b) print k }"], "", "0.1\n0.12\n"),
    t("arrays/multi_subscript_subsep", &["BEGIN { a[1, 2] = 3; for (k in a) { split(k, p, SUBSEP); print p[1], p[2], a[k] } }"], "", "1 2 3\n"),
    t("arrays/custom_subsep", &["BEGIN { SUBSEP = \":\"; a[\"x\", \"y\"] = 1; for (k in a) print k }"], "", "x:y\n"),
    t("arrays/sorted_output_via_loop", &["{ a[NR] = $0 } END { for (i = NR; i >= 1; i--) print a[i] }"], "1\n2\n3\n", "3\n2\n1\n"),
    t("arrays/for_in_keys_are_strings", &["BEGIN { a[10]; for (k in a) print (k < 9) }"], "", "0\n").idef(),
    t("arrays/uniq_idiom", &["!seen[$0]++"], "a\nb\na\nc\nb\n", "a\nb\nc\n"),
    t("arrays/join_files_idiom", &["NR == FNR { m[$1] = $2; next } $1 in m { print $1, m[$1], $2 }", "$DIR/a", "$DIR/b"], "", "k1 v1 w1\n").files(&[("a", "k1 v1\nk2 v2\n"), ("b", "k1 w1\nk3 w3\n")]),
    t("arrays/array_element_incr_from_uninit", &["BEGIN { a[\"x\"]++; a[\"x\"] += 2; print a[\"x\"] }"], "", "3\n"),
    t("arrays/nested_index", &["BEGIN { a[1] = 2; b[2] = \"ok\"; print b[a[1]] }"], "", "ok\n"),
    t("arrays/environ", &["BEGIN { print (\"PATH\" in ENVIRON) || 1 }"], "", "1\n"),
    t("arrays/argv_argc", &["BEGIN { print ARGC; for (i = 0; i < ARGC; i++) print ARGV[i] }", "x", "y=1"], "", "3\nawk\nx\ny=1\n").not_gawk(),
    t("arrays/argv_modified_in_begin", &["BEGIN { ARGV[1] = \"$DIR/b\" } { print }", "$DIR/a"], "", "from b\n").files(&[("a", "from a\n"), ("b", "from b\n")]),
    t("arrays/argc_reduced_reads_stdin", &["BEGIN { ARGC = 1 } { print \"stdin:\", $0 }", "$DIR/nonexistent"], "x\n", "stdin: x\n"),
    t("arrays/group_concat_idiom", &["{ a[$1] = a[$1] \",\" $2 } END { print a[\"x\"], a[\"y\"] }"], "x 1\ny 2\nx 3\n", ",1,3 ,2\n"),
    t("arrays/element_append_keeps_copies_apart", &["BEGIN { a[\"k\"] = \"x\"; b = a[\"k\"]; a[\"k\"] = a[\"k\"] \"y\"; print a[\"k\"], b; a[1] = 5; a[1] = a[1] \"z\"; print a[1]; a[2] = a[2] \"q\" a[2]; print a[2] }"], "", "xy x\n5z\nq\n"),
];
