//! Record separators: single character, paragraph mode, regex RS.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("records/rs_char", &["BEGIN { RS = \";\" } { print NR \":\" $0 }"], "a;b;c", "1:a\n2:b\n3:c\n"),
    t("records/rs_char_trailing_newline", &["BEGIN { RS = \";\" } { print \"[\" $0 \"]\" }"], "a;b\n", "[a]\n[b\n]\n"),
    t("records/paragraph_mode", &["BEGIN { RS = \"\" } { print NR \": \" $1 \"/\" $NF }"], "\n\na b\nc\n\n\n\nd e\n\n", "1: a/c\n2: d/e\n"),
    t("records/paragraph_mode_record_text", &["BEGIN { RS = \"\" } { print \"[\" $0 \"]\" }"], "a\nb\n\nc\n", "[a\nb]\n[c]\n"),
    t("records/regex_rs", &["BEGIN { RS = \"[0-9]+\" } { print \"[\" $0 \"]\" }"], "a1b22c\n", "[a]\n[b]\n[c\n]\n").idef(),
    t("records/multichar_rs_literal", &["BEGIN { RS = \"--\" } { print $0 }"], "a--b--c", "a\nb\nc\n").idef(),
    t("records/rs_newline_explicit", &["BEGIN { RS = \"\\n\" } { n++ } END { print n }"], "a\nb\n", "2\n"),
    t("records/rs_via_v", &["-v", "RS=,", "{ print }"], "x,y", "x\ny\n"),
    t("records/ors_empty", &["BEGIN { ORS = \"\" } { print } END { printf \"\\n\" }"], "a\nb\n", "ab\n"),
    t("records/empty_lines_are_records", &["{ print NR \":\" NF }"], "a\n\nb c\n", "1:1\n2:0\n3:2\n"),
    t("records/long_record", &["{ print length($0) }"], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "108\n"),
    t("records/nr_assignment", &["NR == 2 { NR = 10 } { print NR }"], "a\nb\nc\n", "1\n10\n11\n"),
];
