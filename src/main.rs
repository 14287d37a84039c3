//! dutydesk command line entry point.

fn main() {
    std::process::exit(dutydesk::cli::main());
}
