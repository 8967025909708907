//! The `runner book …` command line.

use clap::{Args, Subcommand};

use crate::cli::AccelArgs;

#[derive(Args)]
pub struct BookArgs {
    #[command(subcommand)]
    pub command: BookCommand,
}

#[derive(Subcommand)]
pub enum BookCommand {
    /// Serve the book on localhost, rebuilding it when a file changes
    /// (installs the pinned mdBook tools into target/tools first if missing)
    Serve {
        /// The port to listen on
        #[arg(long, default_value_t = 3000)]
        port: u16,

        /// Open the book in a web browser
        #[arg(long)]
        open: bool,
    },
    /// Check that every chapter is listed and the generated CLI page is
    /// current, build the HTML (target/book/html) and check its links
    Build,
    /// Run every runnable code block: `rust,vibix` blocks in QEMU (one boot
    /// per phase, also on the Linux host) and `rust` blocks on the host
    /// (skeptic); check the syscall page is current
    Test {
        #[command(flatten)]
        accel: AccelArgs,
    },
    /// Boot one block's program as init, with the console on this terminal
    /// (ids as in `book test`: phase0/hello)
    Run {
        /// The block: `phase<N>/<name>`, or just its name
        id: String,

        #[command(flatten)]
        accel: AccelArgs,
    },
    /// Regenerate the reference pages: the runner's CLI and the syscall
    /// table (boots each landed phase's kernel)
    Gen {
        #[command(flatten)]
        accel: AccelArgs,
    },
    /// The book's mdBook preprocessor (book.toml runs it; reads the book as
    /// JSON on stdin, writes it on stdout)
    Preprocess {
        #[command(subcommand)]
        query: Option<PreprocessQuery>,
    },
}

#[derive(Subcommand)]
pub enum PreprocessQuery {
    /// Exit with 0: the preprocessor supports every renderer
    Supports {
        /// The renderer mdBook asks about (html, linkcheck2, …)
        renderer: String,
    },
}
