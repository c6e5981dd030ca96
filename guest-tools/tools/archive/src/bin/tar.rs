//! Native `tar`, for differential tests against the GNU tool.
fn main() {
    std::process::exit(wa_archive::tar_main(std::env::args_os().collect()));
}
