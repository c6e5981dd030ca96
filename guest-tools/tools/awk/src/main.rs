//! Native `awk` binary: the same entry point the multicall module calls, used for
//! differential tests against the system awk.

fn main() {
    let code = wa_awk::main(std::env::args_os().collect());
    std::process::exit(code);
}
