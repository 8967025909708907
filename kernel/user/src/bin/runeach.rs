//! `runeach ID PATH [ID PATH …]`: runs programs one after another, each as
//! its own process, and says how each ended. For every pair it forks,
//! execs PATH (argv = [PATH], init's environment), waits, and prints
//!
//! ```text
//! @@vibix-book end ID exit N@@
//! ```
//!
//! or `signal N` for a death by signal. The book's tests boot it once per
//! phase to run every block of the phase (runner/src/book/separator.rs).
//! It exits 0 once every program has run, 2 on a bad command line.

#![no_std]
#![no_main]

use vrt::children::{self, Ended, Fork};

vrt::entry!(main);

fn main(args: &vrt::Args) -> i32 {
    let words: [_; 64] = core::array::from_fn(|i| args.arg(i + 1));
    let count = args.argc().saturating_sub(1);
    if count == 0 || !count.is_multiple_of(2) || count > words.len() {
        vrt::println!("usage: runeach ID PATH [ID PATH …] (at most 32 programs)");
        return 2;
    }
    let mut env: [&core::ffi::CStr; 16] = [c""; 16];
    let mut n_env = 0;
    for (slot, e) in env.iter_mut().zip(args.env()) {
        *slot = e;
        n_env += 1;
    }
    for pair in words[..count].chunks(2) {
        let (Some(id), Some(path)) = (pair[0], pair[1]) else {
            return 2;
        };
        let ended = match children::fork() {
            Ok(Fork::Child) => {
                let err = children::execve(path, &[path], &env[..n_env]);
                vrt::println!(
                    "runeach: cannot execute {}: {err:?}",
                    path.to_str().unwrap_or("?")
                );
                vrt::process::exit(127)
            }
            Ok(Fork::Parent { child }) => children::reap(child),
            Err(e) => {
                vrt::println!("runeach: fork: {e:?}");
                return 1;
            }
        };
        let id = id.to_str().unwrap_or("?");
        match ended {
            Ended::Exited(code) => vrt::println!("@@vibix-book end {id} exit {code}@@"),
            Ended::Killed(sig) => vrt::println!("@@vibix-book end {id} signal {sig}@@"),
            Ended::Other(status) => vrt::println!("@@vibix-book end {id} status {status:#x}@@"),
        }
    }
    0
}
