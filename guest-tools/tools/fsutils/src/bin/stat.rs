//! Native `stat`, for differential tests against GNU coreutils.
fn main() {
    std::process::exit(wa_fsutils::stat_main(std::env::args_os().collect()));
}
