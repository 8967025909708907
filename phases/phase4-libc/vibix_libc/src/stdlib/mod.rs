//! `<stdlib.h>`, one concept per file: the environment, ending the
//! program (`exit`, `atexit`, `abort`), the heap (`malloc`), numbers from
//! text (`strtol`, `strtod`), sorting (`qsort`, `bsearch`), integer
//! arithmetic (`abs`, `div`), pseudo-random numbers (`rand`) and shell
//! commands (`system`).

pub mod arith;
pub mod env;
pub mod exit;
mod lock;
pub mod malloc;
pub mod rand;
pub mod sort;
pub mod strto;
pub mod system;
