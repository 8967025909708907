//! `<stdarg.h>`: variable arguments, gcc's builtins under C's names. An
//! export that takes a `va_list` declares it as
//! `core::ffi::VaList`, which the header generator spells
//! `__builtin_va_list` (what `va_list` is).
//!
//! ```c
//! typedef __builtin_va_list va_list;
//! typedef __builtin_va_list __gnuc_va_list;
//! #define va_start(ap, last) __builtin_va_start(ap, last)
//! #define va_arg(ap, type) __builtin_va_arg(ap, type)
//! #define va_end(ap) __builtin_va_end(ap)
//! #define va_copy(dest, src) __builtin_va_copy(dest, src)
//! ```
