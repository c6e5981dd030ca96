//! Native `diff`: the multicall's entry point as a program, for
//! differential tests against GNU diff.

fn main() {
    std::process::exit(wa_diff::diff_main(std::env::args_os().collect()));
}
