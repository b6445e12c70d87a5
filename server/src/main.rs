//! `truyxuat`: the command-line entry point.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    truyxuat_server::cli::run(truyxuat_server::cli::Cli::parse())
}
