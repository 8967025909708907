//! `<stddef.h>`: `NULL` and `offsetof` (the scalar types `size_t`,
//! `ptrdiff_t` and `wchar_t` are in `types.rs`).
//!
//! ```c
//! #define NULL ((void *)0)
//! #define offsetof(type, member) __builtin_offsetof(type, member)
//! ```
