//! `<stdlib.h>`, one concept per file: the environment, ending the
//! program (`exit`, `atexit`, `abort`).

pub mod env;
pub mod exit;
pub mod malloc;
pub mod strto;
