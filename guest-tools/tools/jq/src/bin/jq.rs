//! Native `jq` binary, for differential tests against the system jq.
fn main() {
    std::process::exit(wa_jq::main(std::env::args_os().collect()));
}
