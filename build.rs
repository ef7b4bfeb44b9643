//! Links the `xacct` binary as a position-dependent executable on Linux.
//!
//! A position-independent binary of this size carries about 80,000
//! relocations, which the loader applies at every start by writing to
//! 1.7 MB of relocated read-only data: some 350 copy-on-write page faults
//! before `main`. Linked at a fixed address, `xacct --version` takes
//! 2.7 ms of CPU instead of 5.0 ms and the classic flow 6.5 ms instead of
//! 7.6 ms (`benches/flow.py`). The price is that the binary's own image is
//! not randomised (ASLR still places the stack, the heap and the shared
//! libraries); its code is safe Rust (`unsafe_code` is denied).

#![allow(
    clippy::print_stdout,
    reason = "a build script speaks to cargo on stdout"
)]

fn main() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux && gnu {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
