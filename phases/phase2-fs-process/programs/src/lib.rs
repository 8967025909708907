//! What phase 2's programs share: a fresh scratch directory, so that a
//! program's output names only relative paths and reads the same on vibix
//! and on Linux; and the benchmark programs' harness ([`bench`]).

pub mod bench;

use std::path::PathBuf;
use std::{env, fs, io, process};

/// A new, empty directory for this run of `program`, under the system's
/// temporary directory (`/tmp` on both systems), made the working
/// directory. The process id keeps parallel host runs apart; programs
/// print only paths relative to it.
pub fn scratch(program: &str) -> io::Result<PathBuf> {
    let dir = env::temp_dir().join(format!("vibix-{program}-{}", process::id()));
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    env::set_current_dir(&dir)?;
    Ok(dir)
}

/// Leaves the scratch directory and removes it.
pub fn cleanup(dir: &PathBuf) {
    let _ = env::set_current_dir(env::temp_dir());
    let _ = fs::remove_dir_all(dir);
}
