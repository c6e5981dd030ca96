//! Native `zcat`, for differential tests against the GNU tool.
fn main() {
    std::process::exit(wa_archive::zcat_main(std::env::args_os().collect()));
}
