//! POSIX ERE features and their translation.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t(
        "regex/bracket_class",
        &["/^[[:digit:]]+$/"],
        "123\n12a\n",
        "123\n",
    ),
    t(
        "regex/bracket_classes_mixed",
        &["{ gsub(/[[:upper:][:space:]]/, \"_\"); print }"],
        "aB c\tD\n",
        "a__c__\n",
    ),
    t(
        "regex/bracket_close_first",
        &["{ gsub(/[]x]/, \"-\"); print }"],
        "a]bx\n",
        "a-b-\n",
    ),
    t(
        "regex/negated_bracket_close_first",
        &["{ gsub(/[^]a]/, \"-\"); print }"],
        "a]bc\n",
        "a]--\n",
    ),
    t(
        "regex/bracket_dash_edges",
        &["{ gsub(/[-a]/, \"*\"); gsub(/[b-]/, \"+\"); print }"],
        "a-b\n",
        "**+\n",
    )
    .idef(),
    t("regex/escaped_slash", &["/a\\/b/"], "a/b\nab\n", "a/b\n"),
    t("regex/escaped_dot", &["/a\\.b/"], "a.b\naxb\n", "a.b\n"),
    t("regex/tab_escape", &["/a\\tb/"], "a\tb\na b\n", "a\tb\n"),
    t(
        "regex/interval",
        &["/^a{2,3}$/"],
        "a\naa\naaa\naaaa\n",
        "aa\naaa\n",
    ),
    t(
        "regex/interval_exact",
        &["/^(ab){2}$/"],
        "ab\nabab\n",
        "abab\n",
    )
    .idef(),
    t(
        "regex/brace_literal_without_interval",
        &["/a{/"],
        "a{\nab\n",
        "a{\n",
    )
    .idef(),
    t(
        "regex/alternation_and_groups",
        &["/^(foo|bar)+$/"],
        "foobar\nfoobaz\n",
        "foobar\n",
    ),
    t(
        "regex/dot_matches_any",
        &["/^a.c$/"],
        "abc\na.c\nac\n",
        "abc\na.c\n",
    ),
    t(
        "regex/anchors_in_middle_of_string",
        &["{ print ($0 ~ /^b/), ($0 ~ /b$/) }"],
        "ab\n",
        "0 1\n",
    ),
    t(
        "regex/optional_and_plus",
        &["/^colou?r+$/"],
        "color\ncolourrr\ncolouur\n",
        "color\ncolourrr\n",
    ),
    t(
        "regex/dynamic_with_backslash_string",
        &["BEGIN { re = \"\\\\.\" } $0 ~ re"],
        "a.b\nab\n",
        "a.b\n",
    ),
    t(
        "regex/dynamic_regex_literal_string",
        &["$0 ~ \"^[a-c]+$\""],
        "abc\nabd\n",
        "abc\n",
    ),
    t("regex/case_sensitive", &["/abc/"], "ABC\nabc\n", "abc\n"),
    t(
        "regex/special_chars_in_bracket",
        &["{ gsub(/[.*+?|()]/, \"_\"); print }"],
        "a.b*c+d?e|f(g)\n",
        "a_b_c_d_e_f_g_\n",
    ),
    t(
        "regex/backslash_in_bracket",
        &["{ gsub(/[\\\\]/, \"/\"); print }"],
        "a\\b\n",
        "a/b\n",
    ),
    t(
        "regex/star_at_start_literal",
        &["{ gsub(/*a/, \"X\"); print }"],
        "b*a\n",
        "bX\n",
    )
    .idef(),
    t(
        "regex/word_boundary_gawk",
        &["{ gsub(/\\<b/, \"B\"); print }"],
        "bab b\n",
        "Bab B\n",
    )
    .idef(),
    t(
        "regex/regex_in_split_and_fs_same",
        &["-F", "[0-9]", "{ n = split($0, a, /[0-9]/); print NF, n }"],
        "a1b2c\n",
        "3 3\n",
    ),
    t(
        "regex/utf8_dot",
        &["{ print match($0, /é./), RLENGTH }"],
        "aébc\n",
        "2 2\n",
    )
    .idef(),
    t(
        "regex/repeat_group_longest",
        &["BEGIN { s = \"xyxyz\"; match(s, /(xy)*x?/); print RLENGTH }"],
        "",
        "4\n",
    ),
    t(
        "regex/empty_regex_matches_all",
        &["BEGIN { print match(\"abc\", //), RLENGTH }"],
        "",
        "1 0\n",
    )
    .idef(),
    t(
        "regex/dynamic_regex_cache_varies",
        &["{ print ($1 ~ $2) }"],
        "abc b\nabc ^b\nabc c$\n",
        "1\n0\n1\n",
    ),
    t(
        "regex/bracket_close_then_range",
        &["/x[]-a]y/"],
        "x]y\nxay\nx-y\nxy\n",
        "x]y\nxay\n",
    ),
    t(
        "regex/bracket_of_both_brackets",
        &["/x[][]y/"],
        "x[y\nx]y\nxy\nx][y\n",
        "x[y\nx]y\n",
    ),
    t(
        "regex/escaped_dash_in_bracket",
        &["/^[0\\-9]$/"],
        "0\n-\n9\n1\n",
        "0\n-\n9\n",
    )
    .idef(),
    t(
        "regex/octal_escape_is_metachar",
        &["/x\\056y/"],
        "x.y\nxby\nxy\n",
        "x.y\nxby\n",
    )
    .idef(),
    t(
        "regex/alternation_anchors",
        &["/^abc|xyz$/"],
        "abcd\naxyz\nxabc\nxyza\n",
        "abcd\naxyz\n",
    ),
];
