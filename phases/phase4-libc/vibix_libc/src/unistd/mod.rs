//! `<unistd.h>`, one concept per file: descriptors' I/O, the process and
//! its ids, running programs, names in the file tree, files' owners,
//! sleeping, system limits, `getopt`; and `mkstemp`/`mkdtemp`, `realpath` (declared in
//! `<stdlib.h>`).
//! `environ` is defined with the environment (`stdlib/env.rs`); this
//! header declares it.
//!
//! ```c
//! extern char **environ;
//! ```

pub use vibix_uapi::fcntl::{
    SEEK_CUR, SEEK_END, SEEK_SET, STDERR_FILENO, STDIN_FILENO, STDOUT_FILENO,
};
pub use vibix_uapi::stat::{F_OK, R_OK, W_OK, X_OK};

pub mod credentials;
pub mod exec;
pub mod fs;
pub mod getopt;
pub mod io;
pub mod mktemp;
pub mod owner;
pub mod process;
pub mod realpath;
pub mod sleep;
pub mod syscall;
pub mod sysconf;
