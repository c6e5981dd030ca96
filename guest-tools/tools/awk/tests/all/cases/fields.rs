//! Field splitting and assignment: FS forms, NF, $0 rebuilding.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t(
        "fields/default_fs_trims",
        &["{ print $2 \"|\" NF }"],
        "  a   b\tc  \n",
        "b|3\n",
    ),
    t(
        "fields/comma_fs",
        &["-F,", "{ print $3, NF }"],
        "a,b,,d\n",
        " 4\n",
    ),
    t(
        "fields/tab_fs_escape",
        &["-F", "\\t", "{ print $2 }"],
        "a b\tc d\n",
        "c d\n",
    ),
    t(
        "fields/F_t_is_letter_t",
        &["-Ft", "{ print $2 }"],
        "atb\n",
        "b\n",
    )
    .idef(),
    t(
        "fields/regex_fs",
        &["-F", "[:;]+", "{ print $1 \"-\" $2 \"-\" $3 }"],
        "a:;b;c\n",
        "a-b-c\n",
    ),
    t(
        "fields/regex_fs_leading_empty",
        &["-F", " +", "{ print NF; print \"[\" $1 \"]\" }"],
        " a b\n",
        "3\n[]\n",
    ),
    t(
        "fields/pipe_fs_literal",
        &["-F|", "{ print $2 }"],
        "a|b|c\n",
        "b\n",
    ),
    t(
        "fields/dot_fs_literal",
        &["-F.", "{ print $2 }"],
        "a.b.c\n",
        "b\n",
    ),
    t(
        "fields/fs_in_begin",
        &["BEGIN { FS = \":\" } { print $2 }"],
        "a:b\n",
        "b\n",
    ),
    t(
        "fields/fs_change_applies_to_next_record",
        &["{ FS = \":\"; print $1 }"],
        "a:b c\nd:e f\n",
        "a:b\nd\n",
    ),
    t(
        "fields/fs_via_v",
        &["-v", "FS=-", "{ print $2 }"],
        "a-b\n",
        "b\n",
    ),
    t(
        "fields/fs_operand_assignment",
        &["{ print $1 }", "FS=,", "$DIR/f"],
        "",
        "a\n",
    )
    .files(&[("f", "a,b\n")]),
    t(
        "fields/assign_field_rebuilds",
        &["{ $2 = \"X\"; print; print NF }"],
        "a  b   c\n",
        "a X c\n3\n",
    ),
    t(
        "fields/assign_field_uses_ofs",
        &["BEGIN { OFS = \"-\" } { $1 = $1; print }"],
        "a b c\n",
        "a-b-c\n",
    ),
    t(
        "fields/assign_past_nf",
        &["BEGIN { OFS = \",\" } { $5 = \"e\"; print; print NF }"],
        "a b\n",
        "a,b,,,e\n5\n",
    ),
    t(
        "fields/nf_decrease",
        &["{ NF = 2; print }"],
        "a b c d\n",
        "a b\n",
    ),
    t(
        "fields/nf_increase",
        &["BEGIN { OFS = \":\" } { NF = 4; print }"],
        "a b\n",
        "a:b::\n",
    ),
    t(
        "fields/dollar_nf",
        &["{ print $NF, $(NF-1) }"],
        "a b c\n",
        "c b\n",
    ),
    t(
        "fields/assign_dollar0_resplits",
        &["{ $0 = \"x y z\"; print NF, $2 }"],
        "a\n",
        "3 y\n",
    ),
    t(
        "fields/field_beyond_nf_empty",
        &["{ print \"[\" $7 \"]\", NF }"],
        "a b\n",
        "[] 2\n",
    ),
    t(
        "fields/empty_fs_splits_chars",
        &["BEGIN { FS = \"\" } { print NF, $2 }"],
        "abc\n",
        "3 b\n",
    )
    .idef(),
    t(
        "fields/single_space_fs_via_F",
        &["-F", " ", "{ print $2 }"],
        " a  b\n",
        "b\n",
    ),
    t(
        "fields/numeric_field_compare",
        &["$1 == 10"],
        "10\n10.0\n1e1\nabc\n",
        "10\n10.0\n1e1\n",
    ),
    t(
        "fields/string_field_compare",
        &["$1 < $2 { print \"lt\" } $1 >= $2 { print \"ge\" }"],
        "10 9\nabc abd\n2 10\n",
        "ge\nlt\nlt\n",
    ),
    t(
        "fields/incr_field",
        &["{ $2++; print }"],
        "a 1 c\n",
        "a 2 c\n",
    ),
    t(
        "fields/dollar_of_expression",
        &["{ i = 1; print $(i+1) }"],
        "a b\n",
        "b\n",
    ),
    t(
        "fields/paragraph_mode_newline_fs",
        &["BEGIN { RS = \"\"; FS = \",\" } { print NF \": \" $2 }"],
        "a,b\nc\n\nd\n",
        "3: b\n1: \n",
    ),
    t(
        "fields/paragraph_mode_default_fs",
        &["BEGIN { RS = \"\" } { print NF }"],
        "a b\nc\n\n\n\nd\n",
        "3\n1\n",
    ),
    t(
        "fields/nf_zero_empties_record",
        &["{ NF = 0; print \"[\" $0 \"]\" }"],
        "a b\n",
        "[]\n",
    ),
    t(
        "fields/field_assign_number_formatting",
        &["{ $1 = 0.1 + 0.2; $2 = 3.0; print }"],
        "a b\n",
        "0.3 3\n",
    ),
];
