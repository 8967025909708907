//! `<stdlib.h>`, one concept per file: the environment, ending the
//! program (`exit`, `atexit`, `abort`).

pub mod arith;
pub mod env;
pub mod exit;
mod lock;
pub mod malloc;
pub mod rand;
pub mod sort;
pub mod strto;
