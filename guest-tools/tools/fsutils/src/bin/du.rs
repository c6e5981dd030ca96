//! Native `du`, for differential tests against GNU coreutils.
fn main() {
    std::process::exit(wa_fsutils::du_main(std::env::args_os().collect()));
}
