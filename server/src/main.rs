//! `truyxuat`: the command-line entry point (decoding and the GS1 engine today;
//! the server, device simulator and importer join as they are built).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}
