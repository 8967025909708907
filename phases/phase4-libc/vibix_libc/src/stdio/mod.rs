//! `<stdio.h>`, one concept per file.

/// Flushes every open stream: `exit` calls it after the `atexit` handlers.
pub(crate) fn flush_all() {}
