//! The cases, as data: arguments, stdin, expected stdout and exit status,
//! and whether jq 1.6 (the system jq) must agree.

use crate::{Case, Oracle::*};

macro_rules! case {
    ($oracle:ident, [$($arg:expr),*], $stdin:expr, $stdout:expr, $status:expr) => {
        Case { args: &[$($arg),*], stdin: $stdin, stdout: $stdout, status: $status, oracle: $oracle }
    };
}

pub static CASES: &[Case] = &[
    // Pretty printing: two spaces, `"key": value`, empty containers inline.
    case!(Same, ["."], r#"{"a":[1,2.5,{"b":null}],"c":{},"d":[],"e":"x"}"#,
        "{\n  \"a\": [\n    1,\n    2.5,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": \"x\"\n}\n", 0),
    case!(Same, ["-c", "."], r#"{"a" : [1, 2], "b": {"c": true}}"#, "{\"a\":[1,2],\"b\":{\"c\":true}}\n", 0),
    case!(Same, ["--tab", "."], r#"{"a":[1]}"#, "{\n\t\"a\": [\n\t\t1\n\t]\n}\n", 0),
    case!(Same, ["--indent", "4", "."], r#"{"a":[1]}"#, "{\n    \"a\": [\n        1\n    ]\n}\n", 0),
    case!(Same, ["--indent", "0", "."], r#"{"a":[1]}"#, "{\"a\":[1]}\n", 0),
    case!(Same, ["-S", "-c", "."], r#"{"b":1,"a":{"d":2,"c":3}}"#, "{\"a\":{\"c\":3,\"d\":2},\"b\":1}\n", 0),
    // Multiple values per input, whitespace between them optional.
    case!(Same, ["-c", "."], "1 2\n[3]{\"a\":4}\"s\"", "1\n2\n[3]\n{\"a\":4}\n\"s\"\n", 0),
    // String escapes.
    case!(Same, ["."], r#""a\"\\\/\b\f\n\r\t\u0001\u007f\u00e9""#, "\"a\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u007fé\"\n", 0),
    case!(Same, ["-a", "."], r#""é😀""#, "\"\\u00e9\\ud83d\\ude00\"\n", 0),
    // Raw and joined output.
    case!(Same, ["-r", ".[]"], r#"["a\nb", 1, null, {"c":"d"}]"#, "a\nb\n1\nnull\n{\n  \"c\": \"d\"\n}\n", 0),
    case!(Same, ["-j", ".[]"], r#"["a", 1, "b"]"#, "a1b", 0),
    // Numbers: computed doubles print like jq's dtoa.
    case!(Same, ["-c", "[.[] / 2]"], "[1, 4, 3, 10]", "[0.5,2,1.5,5]\n", 0),
    case!(Same, ["-n", "[0.1 + 0.2, 1e17 * 1, 0.00001 * 1, 1e15 * 1, 10 / 3, 3 * 1.5] | .[]"], "",
        "0.30000000000000004\n1e+17\n1e-05\n1000000000000000\n3.3333333333333335\n4.5\n", 0),
    case!(Same, ["-n", "[infinite, -infinite, nan] | .[]"], "", "1.7976931348623157e+308\n-1.7976931348623157e+308\nnull\n", 0),
    case!(Same, ["-n", "(4 / 2 | tostring), \"\\(1.5 * 2)\", (10 / 4 | tojson)"], "", "\"2\"\n\"3\"\n\"2.5\"\n", 0),
    case!(Same, ["-n", "pow(2; 64), (9007199254740993 + 0 | . == .)"], "", "18446744073709552000\ntrue\n", 0),
    // jq 1.7 keeps number literals as written (jq 1.6 converts to double).
    case!(Jq17, ["-c", "."], "[1.000, 1.10, 1e2, 100000000000000000000]", "[1.000,1.10,1E+2,100000000000000000000]\n", 0),
    // Null, slurp and raw input.
    case!(Same, ["-n", "."], "", "null\n", 0),
    case!(Same, ["-c", "-s", "."], "1 2 3", "[1,2,3]\n", 0),
    case!(Same, ["-c", "-s", "."], "", "[]\n", 0),
    case!(Same, ["-R", "."], "a\nb c\n", "\"a\"\n\"b c\"\n", 0),
    case!(Same, ["-R", "."], "no newline", "\"no newline\"\n", 0),
    case!(Same, ["-Rs", "."], "a\nb\n", "\"a\\nb\\n\"\n", 0),
    case!(Same, ["-Rn", "[inputs]", "-c"], "a\nb\n", "[\"a\",\"b\"]\n", 0),
    case!(Same, ["-n", "[inputs]", "-c"], "1 2 3", "[1,2,3]\n", 0),
    case!(Same, ["-n", "input, input"], "1 2 3", "1\n2\n", 0),
    case!(Same, ["-c", "[., input]"], "1 2 3 4", "[1,2]\n[3,4]\n", 0),
    // Variables and positional arguments.
    case!(Same, ["-n", "-c", "--arg", "x", "1", "--argjson", "y", "{\"a\":2}", "[$x, $y, $ARGS.named]"], "",
        "[\"1\",{\"a\":2},{\"x\":\"1\",\"y\":{\"a\":2}}]\n", 0),
    case!(Same, ["-n", "-c", "$ARGS", "--args", "a", "b"], "", "{\"positional\":[\"a\",\"b\"],\"named\":{}}\n", 0),
    case!(Same, ["-n", "-c", "$ARGS.positional", "--jsonargs", "1", "{\"b\":[2]}"], "", "[1,{\"b\":[2]}]\n", 0),
    case!(Same, ["-n", "$ENV | type, (env | type)"], "", "\"object\"\n\"object\"\n", 0),
    // Exit status with -e.
    case!(Same, ["-e", ".a"], "{\"a\":1}", "1\n", 0),
    case!(Same, ["-e", ".a"], "{\"a\":false}", "false\n", 1),
    case!(Same, ["-e", ".a"], "{\"a\":null}", "null\n", 1),
    case!(Same, ["-e", "empty"], "1", "", 4),
    case!(Same, ["-e", ".[]"], "[1, null]", "1\nnull\n", 1),
    // Errors: runtime 5, compile 3, bad input 2, missing file 2.
    case!(Same, [".a"], "1", "", 5),
    case!(Same, [".a"], "1 {\"a\":2}", "2\n", 0),
    case!(Same, ["-n", "1 +"], "", "", 3),
    case!(Same, ["-n", "undefined_function"], "", "", 3),
    // jq 1.6 exits 4 on invalid input; jq 1.7 exits 2.
    case!(Jq17, ["."], "{", "", 2),
    case!(Same, [".", "/nonexistent/file.json"], "", "", 2),
    case!(Same, ["-n", "error(\"x\")"], "", "", 5),
    case!(Same, ["-n", "try error(\"x\") catch ."], "", "\"x\"\n", 0),
    case!(Same, ["-n", "halt"], "", "", 0),
    // jq 1.7 reports `error(null)`; jq 1.6 exits 0.
    case!(Jq17, ["-n", "error(null)"], "", "", 5),
    // Paths and updates create containers like jq.
    case!(Same, ["-c", ".a.b = 1"], "null", "{\"a\":{\"b\":1}}\n", 0),
    case!(Same, ["-c", ".[2] = 1"], "null", "[null,null,1]\n", 0),
    case!(Same, ["-c", "del(.a)"], "{\"a\":1,\"b\":2,\"c\":3}", "{\"b\":2,\"c\":3}\n", 0),
    case!(Same, ["-c", "to_entries"], "{\"a\":1,\"b\":2}", "[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]\n", 0),
    case!(Same, ["-c", "with_entries(.value += 1)"], "{\"a\":1}", "{\"a\":2}\n", 0),
    case!(Same, ["-c", "[paths]"], "{\"a\":[1]}", "[[\"a\"],[\"a\",0]]\n", 0),
    case!(Same, ["-c", "[leaf_paths]"], "{\"a\":[1]}", "[[\"a\",0]]\n", 0),
    case!(Same, ["-c", "[tostream]"], "{\"a\":[1,2]}", "[[[\"a\",0],1],[[\"a\",1],2],[[\"a\",1]],[[\"a\"]]]\n", 0),
    case!(Same, ["-c", "fromstream(tostream)"], "{\"a\":[1,{\"b\":2}]}", "{\"a\":[1,{\"b\":2}]}\n", 0),
    // Builtins commonly used by scripts.
    case!(Same, ["-r", "@csv"], "[1,\"a\\\"b\",null,true]", "1,\"a\"\"b\",,true\n", 0),
    case!(Same, ["-r", "@tsv"], "[1,\"a\\tb\",null]", "1\ta\\tb\t\n", 0),
    case!(Same, ["-r", "@sh"], "[\"it's\", 1]", "'it'\\''s' 1\n", 0),
    case!(Same, ["-r", "@base64, (@base64 | @base64d), @uri, @html"], "\"a b<&>\"",
        "YSBiPCY+\na b<&>\na%20b%3C%26%3E\na b&lt;&amp;&gt;\n", 0),
    case!(Same, ["-c", "[.[] | tostring]"], "[1, \"a\", [1], {\"a\":null}]", "[\"1\",\"a\",\"[1]\",\"{\\\"a\\\":null}\"]\n", 0),
    case!(Same, ["-c", "map(select(. > 1)) | add"], "[1,2,3]", "5\n", 0),
    case!(Same, ["-c", "group_by(.a) | map(length)"], "[{\"a\":1},{\"a\":2},{\"a\":1}]", "[2,1]\n", 0),
    case!(Same, ["-c", "sort_by(.n) | map(.n)"], "[{\"n\":3},{\"n\":1},{\"n\":2}]", "[1,2,3]\n", 0),
    case!(Same, ["-c", "[.[] | ascii_downcase] | unique"], "[\"B\",\"a\",\"b\"]", "[\"a\",\"b\"]\n", 0),
    case!(Same, ["-c", "keys, length, (.[\"a\"] | length)"], "{\"b\":1,\"a\":\"xyz\"}", "[\"a\",\"b\"]\n2\n3\n", 0),
    case!(Same, ["-c", "[splits(\", *\")]"], "\"a, b,c\"", "[\"a\",\"b\",\"c\"]\n", 0),
    case!(Same, ["-c", "[test(\"B\"; \"i\"), (sub(\"b\"; \"X\")), (gsub(\"[ac]\"; \"-\"))]"], "\"abc\"", "[true,\"aXc\",\"-b-\"]\n", 0),
    case!(Same, ["-c", "[match(\"(?<x>b+)\").captures[0].name, capture(\"(?<x>b+)\")]"], "\"abbc\"", "[\"x\",{\"x\":\"bb\"}]\n", 0),
    case!(Same, ["-c", "[limit(3; range(10))], first(range(5; 9)), [range(0; 10; 3)]"], "null", "[0,1,2]\n5\n[0,3,6,9]\n", 0),
    case!(Same, ["-c", "reduce .[] as $x (0; . + $x), [foreach .[] as $x (0; . + $x)]"], "[1,2,3]", "6\n[1,3,6]\n", 0),
    case!(Same, ["-c", "INDEX(.id) | keys"], "[{\"id\":\"x\"},{\"id\":\"y\"}]", "[\"x\",\"y\"]\n", 0),
    case!(Same, ["-c", "[.[] | IN(2, 3)]"], "[1,2,3]", "[false,true,true]\n", 0),
    case!(Same, ["-c", ".a // \"default\", (.b | values), ([.[] | numbers])"], "{\"a\":null,\"b\":1}", "\"default\"\n1\n[1]\n", 0),
    case!(Same, ["-c", "fromjson | .a, (. | tojson)"], "\"{\\\"a\\\":[1,2]}\"", "[1,2]\n\"{\\\"a\\\":[1,2]}\"\n", 0),
    case!(Same, ["-r", "todate, (\"2015-03-05T23:51:47Z\" | fromdate)"], "1425599507", "2015-03-05T23:51:47Z\n1425599507\n", 0),
    case!(Same, ["-c", "{a, b: .c, \"d\": 1, (.e): 2}"], "{\"a\":1,\"c\":3,\"e\":\"k\"}", "{\"a\":1,\"b\":3,\"d\":1,\"k\":2}\n", 0),
    case!(Same, ["-c", "def f(x): x * 2; [.[] | f(.)]"], "[1,2]", "[2,4]\n", 0),
    case!(Same, ["-c", "label $out | .[] | if . > 1 then ., break $out else . end"], "[1,2,3]", "1\n2\n", 0),
    case!(Same, ["-c", "to_entries | map(\"\\(.key)=\\(.value)\") | join(\"&\")"], "{\"a\":1,\"b\":\"x\"}", "\"a=1&b=x\"\n", 0),
    case!(Same, ["-c", "[.[] as [$a, $b] | {a: $a, b: $b}]"], "[[1,2],[3]]", "[{\"a\":1,\"b\":2},{\"a\":3,\"b\":null}]\n", 0),
    case!(Same, ["-c", "getpath([\"a\",\"b\"]), setpath([\"a\",\"b\"]; 1), delpaths([[\"a\"]])"], "{\"a\":{\"b\":0},\"c\":1}",
        "0\n{\"a\":{\"b\":1},\"c\":1}\n{\"c\":1}\n", 0),
    case!(Same, ["-c", "walk(if type == \"number\" then . + 1 else . end)"], "[1,{\"a\":2}]", "[2,{\"a\":3}]\n", 0),
    case!(Same, ["-c", "any, all, flatten, (. | min), max, (map(. * 10) | add / length)"], "[1,[2]]", "true\ntrue\n[1,2]\n1\n[2]\n", 5),
    case!(Same, ["-r", "ltrimstr(\"a\"), rtrimstr(\"c\"), startswith(\"ab\"), (explode | implode), ascii_upcase"], "\"abc\"",
        "bc\nab\ntrue\nabc\nABC\n", 0),
    case!(Same, ["-c", "indices(\", \"), index(\",\"), rindex(\",\")"], "\"a, b, c\"", "[1,4]\n1\n4\n", 0),
    case!(Same, ["-c", "[.[] | type]"], "[null,true,1,\"s\",[],{}]", "[\"null\",\"boolean\",\"number\",\"string\",\"array\",\"object\"]\n", 0),
    case!(Same, ["-c", "[.[] | length]"], "[null,-5,\"héllo\",[1,2],{\"a\":1}]", "[0,5,5,2,1]\n", 0),
    case!(Same, ["-c", ". as {a: $x, b: [$y]} | [$x, $y]"], "{\"a\":1,\"b\":[2]}", "[1,2]\n", 0),
    case!(Same, ["-c", "[.[] | select(type == \"string\" and test(\"^a\"))]"], "[\"ab\",1,\"ba\"]", "[\"ab\"]\n", 0),
    case!(Same, ["-c", "transpose, combinations"], "[[1,2],[3,4]]", "[[1,3],[2,4]]\n[1,3]\n[1,4]\n[2,3]\n[2,4]\n", 0),
    case!(Same, ["-c", "splits(\"a\") | length"], "\"banana\"", "1\n1\n1\n0\n", 0),
    case!(Same, ["-c", "[.[] | tonumber]"], "[\"1\", \"2.5\", 3]", "[1,2.5,3]\n", 0),
    case!(Same, ["-c", "\"\\(.a) and \\(.b)\""], "{\"a\":[1],\"b\":\"s\"}", "\"[1] and s\"\n", 0),
    case!(Same, ["-c", "[.[] | @text, @json]"], "[1,\"a\"]", "[\"1\",\"1\",\"a\",\"\\\"a\\\"\"]\n", 0),
    case!(Same, ["-c", "map(has(\"a\")), (.[0] | has(\"a\"))"], "[{\"a\":1},{}]", "[true,false]\ntrue\n", 0),
    case!(Same, ["-c", "[.[] | floor, sqrt]"], "[4.5]", "[4,2.1213203435596424]\n", 0),
    case!(Same, ["-c", "if . == 0 then \"zero\" elif . == 1 then \"one\" else \"many\" end"], "0 1 2", "\"zero\"\n\"one\"\n\"many\"\n", 0),
    case!(Same, ["-c", "[.[] | . % 3]"], "[5, -5, 5.5]", "[2,-2,2]\n", 0),
    // Usage: no filter means `.` (a sandboxed guest has no terminal).
    case!(Jq17, ["-c"], "{\"a\": 1}", "{\"a\":1}\n", 0),
];
