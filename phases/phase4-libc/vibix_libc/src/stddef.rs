//! `<stddef.h>`: `offsetof` (and, with every header, `NULL`; the types
//! `size_t`, `ptrdiff_t`, `wchar_t` are in `types.rs`).
//!
//! ```c
//! #define offsetof(type, member) __builtin_offsetof(type, member)
//! ```
