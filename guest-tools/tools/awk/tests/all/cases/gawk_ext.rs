//! gawk extensions that are implemented: gensub, asort, asorti, strftime, mktime, systime,
//! PROCINFO["sorted_in"].
//! All are implementation-defined for the differential test (mawk lacks them).

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("gawk_ext/gensub_groups", &["{ print gensub(/([a-z]+)=([0-9]+)/, \"\\\\2:\\\\1\", \"g\") }"], "a=1 b=22\n", "1:a 22:b\n").idef(),
    t("gawk_ext/gensub_nth_match", &["BEGIN { print gensub(/o/, \"0\", 2, \"foo boo\") }"], "", "fo0 boo\n").idef(),
    t("gawk_ext/gensub_leaves_target", &["BEGIN { s = \"aaa\"; t = gensub(/a/, \"b\", \"g\", s); print s, t }"], "", "aaa bbb\n").idef(),
    t("gawk_ext/gensub_default_dollar0", &["{ print gensub(/ +/, \"_\", \"g\") }"], "a  b   c\n", "a_b_c\n").idef(),
    t("gawk_ext/gensub_ampersand_and_zero", &["BEGIN { print gensub(/b+/, \"[&|\\\\0|\\\\&]\", \"g\", \"abbc\") }"], "", "a[bb|bb|&]c\n").idef(),
    t("gawk_ext/asort_values", &["BEGIN { a[\"x\"] = \"b\"; a[\"y\"] = 10; a[\"z\"] = 9; a[\"w\"] = \"a\"; n = asort(a); for (i = 1; i <= n; i++) printf \"%s \", a[i]; print n }"], "", "9 10 a b 4\n").idef(),
    t("gawk_ext/asorti_into_dest", &["BEGIN { a[\"b\"]; a[\"c\"]; a[\"a\"]; n = asorti(a, k); for (i = 1; i <= n; i++) printf \"%s \", k[i]; print length(a) }"], "", "a b c 3\n").idef(),
    t("gawk_ext/asort_numeric_strings_from_input", &["{ v[NR] = $1 } END { n = asort(v); for (i = 1; i <= n; i++) print v[i] }"], "10\n9\n100\n", "9\n10\n100\n").idef(),
    t("gawk_ext/strftime_utc", &["BEGIN { print strftime(\"%Y-%m-%d %H:%M:%S %j %a %b\", 1700000000, 1) }"], "", "2023-11-14 22:13:20 318 Tue Nov\n").idef(),
    t("gawk_ext/mktime", &["BEGIN { print mktime(\"2023 11 14 22 13 20\"), mktime(\"bad\") }"], "", "1700000000 -1\n").idef().not_gawk(),
    t("gawk_ext/systime_is_recent", &["BEGIN { print (systime() > 1600000000) }"], "", "1\n").idef(),
    t("gawk_ext/sorted_in_index_string", &["BEGIN { PROCINFO[\"sorted_in\"] = \"@ind_str_asc\" } { c[$1]++ } END { for (k in c) print k, c[k] }"], "pear\napple\nfig\napple\n", "apple 2\nfig 1\npear 1\n").idef(),
    t("gawk_ext/sorted_in_value_numeric_desc", &["BEGIN { a[\"x\"] = 5; a[\"y\"] = 50; a[\"z\"] = 7; PROCINFO[\"sorted_in\"] = \"@val_num_desc\"; for (k in a) printf \"%s \", k; print \"\" }"], "", "y z x \n").idef(),
];
