//! Helpers for the unit tests: a throwaway directory under the system temp
//! dir, and a command context on this repository.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory, removed (with its contents) when dropped.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "vibix-runner-test-{}-{tag}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("cannot create a temp dir");
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A command context on this repository, for tests that build commands
/// without running them.
pub fn ctx() -> crate::Ctx {
    crate::Ctx {
        sh: xshell::Shell::new().expect("a shell"),
        repo: crate::repo::Repo::find_from(Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("the repository"),
        verbose: false,
        ci: true,
    }
}
