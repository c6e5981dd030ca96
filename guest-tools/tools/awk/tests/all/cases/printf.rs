//! printf/sprintf conversions, flags, width, precision.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("printf/d_i", &["BEGIN { printf \"%d %i %d %d\\n\", 42.9, -3.2, \"17x\", 1e3 }"], "", "42 -3 17 1000\n"),
    t("printf/width_and_flags", &["BEGIN { printf \"[%5d][%-5d][%05d][%+d][% d]\\n\", 42, 42, 42, 42, 42 }"], "", "[   42][42   ][00042][+42][ 42]\n"),
    t("printf/precision_int", &["BEGIN { printf \"[%.3d][%8.3d][%.0d]\\n\", 7, 7, 0 }"], "", "[007][     007][]\n"),
    t("printf/octal_hex", &["BEGIN { printf \"%o %x %X %#o %#x %#X\\n\", 8, 255, 255, 8, 255, 255 }"], "", "10 ff FF 010 0xff 0XFF\n"),
    t("printf/unsigned", &["BEGIN { printf \"%u %u\\n\", 42, 3000000000 }"], "", "42 3000000000\n"),
    t("printf/negative_hex", &["BEGIN { printf \"%x\\n\", -1 }"], "", "ffffffffffffffff\n").idef(),
    t("printf/floats", &["BEGIN { printf \"%f %.2f %10.3f %-10.1f|\\n\", 3.14159, 2.5, 3.14159, 2.25 }"], "", "3.141590 2.50      3.142 2.2       |\n"),
    t("printf/float_rounding", &["BEGIN { printf \"%.2f %.0f %.0f %.0f\\n\", 2.675, 0.5, 1.5, 2.5 }"], "", "2.67 0 2 2\n"),
    t("printf/exponent", &["BEGIN { printf \"%e %.2e %E %e\\n\", 12345.678, 0.000123, 1e100, 0 }"], "", "1.234568e+04 1.23e-04 1.000000E+100 0.000000e+00\n"),
    t("printf/general", &["BEGIN { printf \"%g %g %g %g %G %.3g %#g\\n\", 100000, 1000000, 0.0001, 0.00001, 1e-10, 3.14159, 1.5 }"], "", "100000 1e+06 0.0001 1e-05 1E-10 3.14 1.50000\n"),
    t("printf/upper_f", &["BEGIN { printf \"%F\\n\", 1.5 }"], "", "1.500000\n").idef(),
    t("printf/strings", &["BEGIN { printf \"[%s][%5s][%-5s][%.2s][%5.1s]\\n\", \"abc\", \"abc\", \"abc\", \"abc\", \"abc\" }"], "", "[abc][  abc][abc  ][ab][    a]\n"),
    t("printf/char", &["BEGIN { printf \"%c%c%c\\n\", 65, \"BCD\", 97 }"], "", "ABa\n"),
    t("printf/char_from_numeric_field", &["{ printf \"%c\\n\", $1 }"], "66\n", "B\n").idef(),
    t("printf/char_utf8", &["BEGIN { printf \"%c\\n\", 233 }"], "", "é\n").idef(),
    t("printf/star_width_precision", &["BEGIN { printf \"[%*d][%-*d][%.*f]\\n\", 5, 1, 4, 2, 2, 3.14159 }"], "", "[    1][2   ][3.14]\n"),
    t("printf/percent_literal", &["BEGIN { printf \"100%%\\n\" }"], "", "100%\n"),
    t("printf/no_newline_added", &["BEGIN { printf \"a\"; printf \"b\\n\" }"], "", "ab\n"),
    t("printf/parenthesized_args", &["BEGIN { printf(\"%s-%s\\n\", \"a\", \"b\") }"], "", "a-b\n"),
    t("printf/extra_args_ignored", &["BEGIN { printf \"%s\\n\", \"a\", \"b\" }"], "", "a\n"),
    t("printf/not_enough_args_fatal", &["BEGIN { printf \"%s %s\\n\", \"a\" }"], "", "").status(2),
    t("printf/string_number_conversion", &["BEGIN { printf \"%d %s %s\\n\", \"3.9abc\", 3.0, 0.1 }"], "", "3 3 0.1\n"),
    t("printf/zero_flag_with_float", &["BEGIN { printf \"%08.3f|%-08.2f|\\n\", -3.14159, 2.5 }"], "", "-003.142|2.50    |\n"),
    t("printf/large_d", &["BEGIN { printf \"%d\\n\", 2^53 }"], "", "9007199254740992\n"),
    t("printf/sprintf_reuse_format", &["{ printf \"%-4s|%3d\\n\", $1, $2 }"], "ab 5\nc 10\n", "ab  |  5\nc   | 10\n"),
    t("printf/percent_with_width", &["BEGIN { printf \"%5%|%-3%|\\n\" }"], "", "%|%|\n").idef(),
    t("printf/hex_beyond_64_bits", &["BEGIN { printf \"%x\\n\", 2^64 }"], "", "1.84467e+19\n").idef(),
    t("printf/zero_flag_ignored_for_strings", &["BEGIN { printf \"%05s|%03c|\\n\", \"ab\", \"x\" }"], "", "   ab|  x|\n").idef(),
];
