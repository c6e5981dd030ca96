#!/usr/bin/env python3
"""Runs a wasm32-wasip1 program under wasmtime's Python bindings, with this
process's stdio, environment and arguments, and exits with its status.

Cargo uses it to run the multicall's unit tests on their real target:

    pip install --target /tmp/pywasmtime wasmtime
    CARGO_TARGET_WASM32_WASIP1_RUNNER="env PYTHONPATH=/tmp/pywasmtime python3 $PWD/guest-tools/scripts/wasi-runner.py" \\
        cargo test --release --target wasm32-wasip1 --manifest-path guest-tools/Cargo.toml -p wasm-agent-tools

The current directory is preopened as ".", so tests see no other files.
"""

import sys

from wasmtime import Engine, ExitTrap, Linker, Module, Store, WasiConfig


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: wasi-runner.py PROGRAM.wasm [ARGUMENT]...")
    engine = Engine()
    linker = Linker(engine)
    linker.define_wasi()
    module = Module.from_file(engine, sys.argv[1])
    wasi = WasiConfig()
    wasi.argv = sys.argv[1:]
    wasi.inherit_env()
    wasi.inherit_stdin()
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.preopen_dir(".", ".")
    store = Store(engine)
    store.set_wasi(wasi)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
    except ExitTrap as trap:
        sys.exit(trap.code)


if __name__ == "__main__":
    main()
