#!/usr/bin/env python3
"""Smoke test of the guest-tools module in a real WASI runtime.

Runs target/guest-tools/tools.wasm (or the module named on the command line)
under wasmtime's Python bindings, the way the host runs it: argv[0] is the
tool name, the sandbox root is preopened as "/", the working directory comes
in PWD. Each case checks stdout, the exit status and (where it matters) the
start of stderr. Prints one line per failure and ends with "N passed, N failed".

    pip install --target /tmp/pywasmtime wasmtime
    PYTHONPATH=/tmp/pywasmtime python3 guest-tools/scripts/smoke.py [tools.wasm]
    ... --imports     also print the WASI functions the module imports
    ... -k NAME       run only the cases whose tool or argv contains NAME

Compiling the module takes a while; the compiled form is kept next to the
module (tools.wasm.cwasm) and reused while the module is unchanged.
"""

import argparse
import gzip
import hashlib
import io
import os
import sys
import tarfile
import tempfile

from wasmtime import Config, Engine, ExitTrap, Linker, Module, Store, Trap, WasiConfig, WasmtimeError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_MODULE = os.path.join(ROOT, "target", "guest-tools", "tools.wasm")
SECTION = "wasm-agent.tools"

def tar_of(files):
    """A ustar archive holding `files` (name -> bytes)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()


# Files every case starts with, below the sandbox root.
FILES = {
    "work/a.txt": "apple\nbanana\ncherry\n",
    "work/b.txt": "apple\nblueberry\ncherry\n",
    "work/nums.txt": "3\n1\n2\n1\n",
    "work/data.json": '{"name": "wasm", "tags": ["a", "b"], "n": 3}\n',
    "work/sub/deep.txt": "deep\n",
    "work/z.gz": gzip.compress(b"zipped\n", mtime=0),
    "work/sample.tar": tar_of({"hello.txt": b"hello\n"}),
    # Two trees for diff -r.
    "work/t/d1/changed.txt": "one\n",
    "work/t/d2/changed.txt": "two\n",
    "work/t/d1/same.txt": "same\n",
    "work/t/d2/same.txt": "same\n",
    "work/t/d1/only1.txt": "1\n",
    "work/t/d2/only2.txt": "2\n",
    "work/t/d1/sub/bin": b"\0\1",
    "work/t/d2/sub/bin": b"\0\2",
    "work/t/d1/kind": "file\n",
    "work/t/d2/kind/x": "in a directory\n",
    "work/t/a3.txt": "apple\nbanana\ncherry\ndate\n",
}

A_B_DIFF = "2c2\n< banana\n---\n> blueberry\n"
DIFF_R = """diff -r t/d1/changed.txt t/d2/changed.txt
1c1
< one
---
> two
File t/d1/kind is a regular file while file t/d2/kind is a directory
Only in t/d1: only1.txt
Only in t/d2: only2.txt
Binary files t/d1/sub/bin and t/d2/sub/bin differ
"""
DIFF_DIRS = """diff t/d1/changed.txt t/d2/changed.txt
1c1
< one
---
> two
File t/d1/kind is a regular file while file t/d2/kind is a directory
Only in t/d1: only1.txt
Only in t/d2: only2.txt
Common subdirectories: t/d1/sub and t/d2/sub
"""
DIFF_RN = """diff -rN t/d1/changed.txt t/d2/changed.txt
1c1
< one
---
> two
File t/d1/kind is a regular file while file t/d2/kind is a directory
diff -rN t/d1/only1.txt t/d2/only1.txt
1d0
< 1
diff -rN t/d1/only2.txt t/d2/only2.txt
0a1
> 2
Binary files t/d1/sub/bin and t/d2/sub/bin differ
"""
DIFF_RQ = """Files t/d1/changed.txt and t/d2/changed.txt differ
File t/d1/kind is a regular file while file t/d2/kind is a directory
Only in t/d1: only1.txt
Only in t/d2: only2.txt
Files t/d1/sub/bin and t/d2/sub/bin differ
"""


def case(argv, out=None, code=0, err=None, stdin="", check=None):
    """One invocation: argv, expected stdout (None: not checked), exit status,
    expected start of stderr (None: not checked), optional check(root) -> str|None
    run afterwards on the sandbox directory."""
    return dict(argv=argv, out=out, code=code, err=err, stdin=stdin, check=check)


def file_is(path, content):
    def check(root):
        full = os.path.join(root, path)
        if not os.path.exists(full):
            return f"{path} does not exist"
        with open(full, "rb") as f:
            got = f.read()
        return None if got == content else f"{path} holds {got!r}, expected {content!r}"

    return check


def missing(path):
    return lambda root: f"{path} still exists" if os.path.exists(os.path.join(root, path)) else None


CASES = [
    # Dispatch and module options.
    case(["echo", "hello", "world"], "hello world\n"),
    case(["/usr/bin/echo", "-n", "x"], "x"),
    case(["wasm-agent-tools", "echo", "second"], "second\n"),
    case(["wasm-agent-tools", "nosuchtool"], "", 1, "wasm-agent-tools: unknown tool 'nosuchtool'"),
    case(["wasm-agent-tools"], "", 1, "wasm-agent-tools: missing tool name"),
    # Files relative to PWD, GNU-style errors naming the tool.
    case(["cat", "a.txt"], FILES["work/a.txt"]),
    case(["cat", "/work/sub/deep.txt"], "deep\n"),
    case(["cat", "-"], "from stdin\n", stdin="from stdin\n"),
    case(["cat", "nope"], "", 1, "cat: nope: No such file or directory"),
    case(["wasm-agent-tools", "cat", "nope"], "", 1, "cat: nope: No such file or directory"),
    case(["ls"], "a.txt\nb.txt\ndata.json\nnums.txt\nsample.tar\nsub\nt\nz.gz\n"),
    case(["ls", "nope"], "", 2, "ls: cannot access 'nope': No such file or directory"),
    case(["pwd"], "/work\n"),
    # grep: 0 match, 1 no match, 2 trouble.
    case(["grep", "an", "a.txt"], "banana\n"),
    case(["grep", "-c", "e", "a.txt", "b.txt"], "a.txt:2\nb.txt:3\n"),
    case(["grep", "zzz", "a.txt"], "", 1),
    case(["grep", "-E", "a(", "a.txt"], "", 2, "grep:"),
    case(["grep", "x", "nope"], "", 2, "grep: nope: No such file or directory"),
    case(["grep", "-rn", "deep", "."], "./sub/deep.txt:1:deep\n"),
    case(["egrep", "^(apple|cherry)$", "a.txt"], "apple\ncherry\n"),
    case(["fgrep", "a.", "a.txt"], "", 1),
    # sed, find, diff, cmp.
    case(["sed", "s/an/AN/g", "a.txt"], "apple\nbANANa\ncherry\n"),
    case(["sed", "-n", "2p"], "two\n", stdin="one\ntwo\nthree\n"),
    case(["sed", "-i", "s/deep/shallow/", "sub/deep.txt"], "", check=file_is("work/sub/deep.txt", b"shallow\n")),
    case(["find", ".", "-name", "deep.txt"], "./sub/deep.txt\n"),
    case(["find", "sub", "-type", "f"], "sub/deep.txt\n"),
    case(["find", "nope"], "", 1, "find: 'nope': No such file or directory\n"),
    case(["find", "nope", "sub", "-type", "f"], "sub/deep.txt\n", 1, "find: 'nope': No such file or directory\n"),
    case(["find", "-L", "sub", "-name", "*.txt"], "sub/deep.txt\n"),
    case(["diff", "a.txt", "b.txt"], A_B_DIFF, 1),
    case(["diff", "a.txt", "a.txt"], "", 0),
    case(["diff", "-u", "a.txt", "nope"], "", 2, "diff: nope: No such file or directory"),
    case(["diff", "-y", "a.txt", "b.txt"], None, 1),
    case(["diff", "-y", "a.txt", "a.txt"], None, 0),
    case(["diff", "-r", "t/d1", "t/d2"], DIFF_R, 1),
    case(["diff", "-rq", "t/d1", "t/d2"], DIFF_RQ, 1),
    case(["diff", "-ru", "t/d1/sub", "t/d2/sub"], "Binary files t/d1/sub/bin and t/d2/sub/bin differ\n", 1),
    case(["diff", "-r", "t/d1", "t/d1"], "", 0),
    case(["diff", "t/d1", "t/d2"], DIFF_DIRS, 1),
    case(["diff", "-rN", "t/d1", "t/d2"], DIFF_RN, 1),
    case(["diff", "a.txt", "t/a3.txt"], "3a4\n> date\n", 1),
    case(["diff", "t/a3.txt", "a.txt"], "4d3\n< date\n", 1),
    case(["diff", "-N", "a.txt", "nope"], "1,3d0\n< apple\n< banana\n< cherry\n", 1),
    case(["diff", "-uq", "a.txt", "b.txt"], "Files a.txt and b.txt differ\n", 1),
    # Without LANG the locale is C, where GNU cmp says "char" too.
    case(["cmp", "a.txt", "b.txt"], "a.txt b.txt differ: char 8, line 2\n", 1),
    case(["cmp", "a.txt", "a.txt"], "", 0),
    # expr and test: statuses above 1 must survive.
    case(["expr", "1", "+", "2"], "3\n"),
    case(["expr", "0"], "0\n", 1),
    case(["expr", "1", "/", "0"], "", 2, "expr: division by zero"),
    case(["expr", "1", "+"], "", 2, "expr: syntax error"),
    case(["expr", "abc", ":", "a\\(b\\)"], "b\n"),
    case(["test", "-f", "a.txt"], "", 0),
    case(["test", "-d", "a.txt"], "", 1),
    case(["[", "1", "-lt", "2", "]"], "", 0),
    case(["[", "1", "-lt", "2"], "", 2, "[: missing ']'"),
    case(["true"], "", 0),
    case(["false"], "", 1),
    # Text tools.
    case(["sort", "-n", "nums.txt"], "1\n1\n2\n3\n"),
    case(["sort", "-u", "nums.txt"], "1\n2\n3\n"),
    # -m is served by a plain sort; -c needs a thread and is refused (no trap).
    case(["sort", "-m", "a.txt", "b.txt"], "apple\napple\nbanana\nblueberry\ncherry\ncherry\n"),
    case(["sort", "-c", "nums.txt"], "", 2, "sort: --check (-c, -C) is not available"),
    case(["uniq", "-c"], "      2 a\n      1 b\n", stdin="a\na\nb\n"),
    case(["seq", "3"], "1\n2\n3\n"),
    case(["seq", "-s,", "1", "2", "7"], "1,3,5,7\n"),
    case(["wc", "-l", "a.txt"], "3 a.txt\n"),
    case(["wc"], "      2       3      12\n", stdin="one two\nend\n"),
    case(["head", "-n", "1", "a.txt"], "apple\n"),
    case(["tail", "-n", "1", "a.txt"], "cherry\n"),
    case(["tac", "a.txt"], "cherry\nbanana\napple\n"),
    case(["cut", "-d:", "-f2"], "b\n", stdin="a:b:c\n"),
    case(["tr", "a-z", "A-Z"], "HI\n", stdin="hi\n"),
    case(["paste", "-sd,", "a.txt"], "apple,banana,cherry\n"),
    case(["comm", "-12", "a.txt", "b.txt"], "apple\ncherry\n"),
    case(["nl", "a.txt"], "     1\tapple\n     2\tbanana\n     3\tcherry\n"),
    case(["base64"], "aGVsbG8=\n", stdin="hello"),
    case(["sha256sum", "-"], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  -\n", stdin="hello"),
    case(["md5sum", "a.txt"], None),
    case(["printf", "%s-%03d\\n", "x", "7"], "x-007\n"),
    case(["date", "-u", "-d", "@0", "+%Y-%m-%d %H:%M"], "1970-01-01 00:00\n"),
    case(["basename", "/a/b/c.txt", ".txt"], "c\n"),
    case(["dirname", "/a/b/c.txt"], "/a/b\n"),
    case(["realpath", "sub/../a.txt"], "/work/a.txt\n"),
    case(["od", "-An", "-c"], "   h   i  \\n\n", stdin="hi\n"),
    case(["factor", "12"], "12: 2 2 3\n"),
    case(["fold", "-w", "3"], "abc\ndef\n", stdin="abcdef\n"),
    case(["numfmt", "--to=iec", "2048"], "2.0K\n"),
    case(["printenv", "PWD"], "/work\n"),
    # Writes into the sandbox.
    case(["mkdir", "-p", "new/dir"], "", check=lambda root: None if os.path.isdir(os.path.join(root, "work/new/dir")) else "work/new/dir missing"),
    case(["touch", "t.txt"], "", check=file_is("work/t.txt", b"")),
    case(["cp", "a.txt", "c.txt"], "", check=file_is("work/c.txt", FILES["work/a.txt"].encode())),
    case(["cp", "-a", "sub", "sub2"], "", check=file_is("work/sub2/deep.txt", b"deep\n")),
    case(["cp", "-p", "a.txt", "p.txt"], "", check=file_is("work/p.txt", FILES["work/a.txt"].encode())),
    case(["cp"], "", 1, "error: the following required arguments were not provided"),
    case(["mv", "a.txt", "m.txt"], "", check=file_is("work/m.txt", FILES["work/a.txt"].encode())),
    case(["rm", "a.txt"], "", check=missing("work/a.txt")),
    case(["rm", "nope"], "", 1, "rm: cannot remove 'nope': No such file or directory"),
    case(["tee", "t.txt"], "x\n", stdin="x\n", check=file_is("work/t.txt", b"x\n")),
    case(["ln", "-s", "a.txt", "l.txt"], "", check=lambda root: None if os.path.islink(os.path.join(root, "work/l.txt")) else "no symlink"),
    case(["split", "-l", "2", "a.txt", "part."], "", check=file_is("work/part.ab", b"cherry\n")),
]

# The project's own tools, checked when the module lists them.
OWN_CASES = [
    case(["awk", "-F:", "{ print $2 }"], "b\n", stdin="a:b:c\n"),
    case(["awk", "{ s += $1 } END { print s }", "nums.txt"], "7\n"),
    case(["jq", "-r", ".name", "data.json"], "wasm\n"),
    case(["jq", ".tags | length", "data.json"], "2\n"),
    case(["gzip", "-k", "a.txt"], "", check=lambda root: None if os.path.exists(os.path.join(root, "work/a.txt.gz")) else "no a.txt.gz"),
    case(["gzip", "nope"], "", 1, "gzip: nope: No such file or directory"),
    case(["zcat", "z.gz"], "zipped\n"),
    case(["gunzip", "z.gz"], "", check=file_is("work/z", b"zipped\n")),
    case(["tar", "-cf", "t.tar", "sub"], "", check=lambda root: None if os.path.getsize(os.path.join(root, "work/t.tar")) >= 1024 else "t.tar too small"),
    case(["tar", "-tf", "sample.tar"], "hello.txt\n"),
    case(["tar", "-xf", "sample.tar"], "", check=file_is("work/hello.txt", b"hello\n")),
    case(["tar", "-tf", "nope.tar"], "", 2, "tar: nope.tar: Cannot open: No such file or directory"),
    case(["stat", "-c", "%s %n", "a.txt"], "20 a.txt\n"),
    case(["stat", "nope"], "", 1, "stat: cannot statx 'nope': No such file or directory"),
    case(["du", "-b", "sub/deep.txt"], "5\tsub/deep.txt\n"),
    case(["du", "nope"], "", 1, "du: cannot access 'nope': No such file or directory"),
]


class Runner:
    """Runs the module once per case, each in a fresh sandbox directory."""

    def __init__(self, module_path):
        self.engine = Engine(Config())
        self.module = load_module(self.engine, module_path)
        self.linker = Linker(self.engine)
        self.linker.define_wasi()

    def run(self, argv, stdin="", env=None, root=None):
        with tempfile.TemporaryDirectory() as io_dir:
            paths = {name: os.path.join(io_dir, name) for name in ("in", "out", "err")}
            with open(paths["in"], "w") as f:
                f.write(stdin)
            wasi = WasiConfig()
            wasi.argv = argv
            wasi.env = list((env or {}).items())
            if root is not None:
                wasi.preopen_dir(root, "/")
            wasi.stdin_file = paths["in"]
            wasi.stdout_file = paths["out"]
            wasi.stderr_file = paths["err"]
            store = Store(self.engine)
            store.set_wasi(wasi)
            instance = self.linker.instantiate(store, self.module)
            try:
                instance.exports(store)["_start"](store)
                code = 0
            except ExitTrap as trap:
                code = trap.code
            except (Trap, WasmtimeError) as trap:
                # A crash (panic=abort, out of bounds...) is reported as a
                # failed case, not as a failure of the smoke script.
                code = f"trap: {str(trap).splitlines()[-1]}"
            with open(paths["out"], encoding="utf-8", errors="replace") as f:
                out = f.read()
            with open(paths["err"], encoding="utf-8", errors="replace") as f:
                err = f.read()
            return out, err, code


def load_module(engine, path):
    """The compiled module, from the cache beside `path` when it is current."""
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    cached = path + ".cwasm"
    stamp = cached + ".sha256"
    if os.path.exists(cached) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == digest:
                return Module.deserialize_file(engine, cached)
    module = Module.from_file(engine, path)
    with open(cached, "wb") as f:
        f.write(module.serialize())
    with open(stamp, "w") as f:
        f.write(digest)
    return module


def custom_section(path, name):
    """The content of the custom section `name` of the wasm module at `path`."""
    data = open(path, "rb").read()
    if data[:4] != b"\0asm":
        raise ValueError(f"{path} is not a wasm module")

    def leb(at):
        value = shift = 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, at

    at = 8
    while at < len(data):
        kind = data[at]
        size, body = leb(at + 1)
        if kind == 0:
            name_len, name_at = leb(body)
            if data[name_at : name_at + name_len].decode() == name:
                return data[name_at + name_len : body + size]
        at = body + size
    return None


def make_sandbox(root):
    for rel, content in FILES.items():
        full = os.path.join(root, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode())


def run_case(runner, c):
    with tempfile.TemporaryDirectory() as root:
        make_sandbox(root)
        out, err, code = runner.run(c["argv"], c["stdin"], {"PWD": "/work"}, root)
        problems = []
        if code != c["code"]:
            problems.append(f"exit {code}, expected {c['code']}")
        if c["out"] is not None and out != c["out"]:
            problems.append(f"stdout {out!r}, expected {c['out']!r}")
        if c["err"] is not None and not err.startswith(c["err"]):
            problems.append(f"stderr {err!r}, expected to start with {c['err']!r}")
        if c["check"] is not None:
            try:
                problem = c["check"](root)
            except OSError as oops:
                problem = str(oops)
            if problem:
                problems.append(problem)
        if problems and err and all("stderr" not in p for p in problems):
            problems.append(f"stderr was {err!r}")
        return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="?", default=DEFAULT_MODULE)
    parser.add_argument("--imports", action="store_true", help="print the module's imports")
    parser.add_argument("-k", dest="filter", help="run only cases whose argv contains this")
    args = parser.parse_args()

    runner = Runner(args.module)
    if args.imports:
        for imp in runner.module.imports:
            ty = imp.type
            sig = f"({', '.join(map(str, ty.params))}) -> ({', '.join(map(str, ty.results))})"
            print(f"import {imp.module}.{imp.name} {sig}")

    passed = failed = 0

    def report(name, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            passed += 1

    listed, _, _ = runner.run(["wasm-agent-tools", "--list"])
    tools = listed.split()
    section = custom_section(args.module, SECTION)
    if section is None:
        report("custom section", [f"no {SECTION} section"])
    else:
        names = section.decode().split("\n")
        report("custom section", [] if names == tools else [f"section {names} != --list {tools}"])

    cases = CASES + [c for c in OWN_CASES if c["argv"][0] in tools]
    skipped = [c["argv"][0] for c in OWN_CASES if c["argv"][0] not in tools]
    for c in cases:
        if args.filter and not any(args.filter in a for a in c["argv"]):
            continue
        report(" ".join(c["argv"]), run_case(runner, c))
    if skipped:
        print(f"not in the module, not checked: {' '.join(sorted(set(skipped)))}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
