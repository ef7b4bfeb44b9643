//! The `xacct` binary: parse, run, exit with the documented code.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    xacct::cli::main(std::env::args_os()).into()
}
