//! `<stdio.h>`, one concept per file: streams and buffering (`file`),
//! opening and closing (`open`), streams on shell commands (`popen`),
//! reading and writing (`io`), the printf
//! family (`printf`, on the engine in `format`) and the scanf family
//! (`scanf`, on the engine in `scan`).

pub mod file;
pub(crate) mod format;
pub mod io;
pub(crate) mod longdouble;
pub mod open;
pub mod popen;
pub mod printf;
pub(crate) mod scan;
pub mod scanf;

/// Flushes every open stream: `exit` calls it after the `atexit` handlers.
pub(crate) fn flush_all() {
    file::flush_all_at_exit();
}
