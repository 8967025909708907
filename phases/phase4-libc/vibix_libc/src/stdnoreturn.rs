//! `<stdnoreturn.h>`: `noreturn`, C11's `_Noreturn` (C only).
//!
//! ```c
//! #ifndef __cplusplus
//! #define noreturn _Noreturn
//! #endif
//! ```
