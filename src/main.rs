//! The `xacct` binary: parse, run, exit with the documented code.

use std::process::ExitCode;

fn main() -> ExitCode {
    xacct::cli::main(std::env::args_os()).into()
}
