//! User-defined functions: recursion, scalars by value, arrays by reference, locals.

use crate::case::{t, Case};

pub const CASES: &[Case] = &[
    t("functions/recursion", &["function fib(n) { return n < 2 ? n : fib(n-1) + fib(n-2) } BEGIN { print fib(20) }"], "", "6765\n"),
    t("functions/scalar_by_value", &["function f(x) { x = 5 } BEGIN { y = 1; f(y); print y }"], "", "1\n"),
    t("functions/array_by_reference", &["function f(a) { a[\"k\"] = 1 } BEGIN { f(arr); print arr[\"k\"] }"], "", "1\n"),
    t("functions/locals_via_extra_params", &["function f(x,   tmp) { tmp = x * 2; return tmp } BEGIN { tmp = \"g\"; print f(3), tmp }"], "", "6 g\n"),
    t("functions/local_array", &["function f(n,   a, i) { for (i = 0; i < n; i++) a[i] = i; return length(a) } BEGIN { print f(3), f(5) }"], "", "3 5\n"),
    t("functions/no_return_value", &["function f() { x = 1 } BEGIN { v = f(); print \"[\" v \"]\", x }"], "", "[] 1\n"),
    t("functions/defined_after_use", &["BEGIN { print g(2) } function g(n) { return n * n }"], "", "4\n"),
    t("functions/array_passed_through", &["function inner(a) { a[1] = \"deep\" } function outer(b) { inner(b) } BEGIN { outer(c); print c[1] }"], "", "deep\n"),
    t("functions/recursive_array_walk", &["function sum(a, n) { return n == 0 ? 0 : a[n] + sum(a, n - 1) } BEGIN { split(\"1 2 3 4\", v); print sum(v, 4) }"], "", "10\n"),
    t("functions/func_keyword", &["func f(x) { return x + 1 } BEGIN { print f(1) }"], "", "2\n").idef(),
    t("functions/return_string", &["function name(x) { return \"<\" x \">\" } { print name($1) }"], "a\n", "<a>\n"),
    t("functions/function_modifies_global", &["function inc() { n++ } { inc() } END { print n }"], "a\nb\n", "2\n"),
    t("functions/newline_in_params", &["function f(a,\n b) { return a + b } BEGIN { print f(1, 2) }"], "", "3\n"),
    t("functions/fewer_args", &["function f(a, b) { return b == \"\" ? \"none\" : b } BEGIN { print f(1) }"], "", "none\n"),
    t("functions/next_inside_function", &["function skip() { next } NR == 1 { skip() } { print }"], "a\nb\n", "b\n"),
    t("functions/deep_recursion", &["function d(n) { return n == 0 ? 0 : 1 + d(n - 1) } BEGIN { print d(150) }"], "", "150\n"),
    t("functions/delete_param_array", &["function clear(a) { delete a } BEGIN { x[1]; clear(x); print length(x) }"], "", "0\n"),
];
