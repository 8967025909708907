//! `<string.h>`: byte blocks (`memcpy`, `memset`, ...), NUL-terminated
//! strings (`strlen`, `strcmp`, `strstr`, `strtok`, ...) and the messages
//! of error numbers and signals (`strerror`, `strsignal`), for the C locale.
//!
//! `core` itself calls `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp`,
//! so these must never be compiled into calls to themselves: forward
//! copies, fills and `strlen` are assembly loops that move words through
//! general registers (QEMU's TCG runs them faster than SSE or `rep` string
//! instructions; see each), backward copies `rep movsb`, and the loops that
//! compare or search are written so that LLVM
//! does not recognise them as an idiom (checked in the built `libc.a`: none
//! of them calls another `mem*` function). Under Miri, which cannot run
//! inline assembly, the copies are plain byte loops.
//!
//! `strerror_r` is the XSI one (it returns an `int`), not GNU's; it is
//! also exported as `__xpg_strerror_r`, glibc's name for the XSI one.
//!
//! No export calls another export by its C name: LLVM knows what the C
//! library's functions mean and rewrites calls between them (an unused
//! `stpcpy` becomes `strcpy`, which inside `strcpy` itself is a call to
//! itself). The exports are thin shells over the private functions below.

use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use vibix_uapi::errno::{EINVAL, ERANGE};

use crate::types::{c_char, c_int, c_void, size_t};

/// Copies `n` bytes forwards, lowest address first.
///
/// # Safety
///
/// `dst` must be valid for `n` writes, `src` for `n` reads; if they
/// overlap, `dst` must not be above `src`.
#[inline(always)]
unsafe fn copy_forward(dst: *mut u8, src: *const u8, n: usize) {
    #[cfg(not(miri))]
    // SAFETY: every load is inside `src..src + n` and every store inside
    // `dst..dst + n` (the caller's ranges). Where one size class copies
    // overlapping pieces, all of its loads come before its stores; above 64
    // bytes the last 64 are loaded first, then each 32 bytes are loaded
    // before they are stored, in rising order, so a store never reaches
    // source bytes a later load needs when `dst` is below `src`: memmove's
    // forward case.
    unsafe {
        core::arch::asm!(
            "cmp rcx, 16",
            "jb 5f",
            "cmp rcx, 32",
            "ja 3f",
            // 16 to 32 bytes: the first and the last 16.
            "movdqu xmm0, xmmword ptr [rsi]",
            "movdqu xmm1, xmmword ptr [rsi + rcx - 16]",
            "movdqu xmmword ptr [rdi], xmm0",
            "movdqu xmmword ptr [rdi + rcx - 16], xmm1",
            "jmp 9f",
            "3:",
            "cmp rcx, 64",
            "ja 4f",
            // 33 to 64 bytes: the first and the last 32.
            "movdqu xmm0, xmmword ptr [rsi]",
            "movdqu xmm1, xmmword ptr [rsi + 16]",
            "movdqu xmm2, xmmword ptr [rsi + rcx - 32]",
            "movdqu xmm3, xmmword ptr [rsi + rcx - 16]",
            "movdqu xmmword ptr [rdi], xmm0",
            "movdqu xmmword ptr [rdi + 16], xmm1",
            "movdqu xmmword ptr [rdi + rcx - 32], xmm2",
            "movdqu xmmword ptr [rdi + rcx - 16], xmm3",
            "jmp 9f",
            "4:",
            // Above 64: the last 64 bytes, then 64-byte blocks while more
            // than 64 remain, then those last 64 (over the final block).
            "movdqu xmm4, xmmword ptr [rsi + rcx - 64]",
            "movdqu xmm5, xmmword ptr [rsi + rcx - 48]",
            "movdqu xmm6, xmmword ptr [rsi + rcx - 32]",
            "movdqu xmm7, xmmword ptr [rsi + rcx - 16]",
            // The blocks go through general registers, 32 bytes at a
            // time: under QEMU's TCG an SSE register lives in memory, so a
            // 16-byte move costs about what four 8-byte ones do (measured:
            // a 4 KiB copy takes half the time this way).
            "lea rax, [rdi + rcx - 64]",
            "2:",
            "mov r8, qword ptr [rsi]",
            "mov r9, qword ptr [rsi + 8]",
            "mov r10, qword ptr [rsi + 16]",
            "mov r11, qword ptr [rsi + 24]",
            "mov qword ptr [rdi], r8",
            "mov qword ptr [rdi + 8], r9",
            "mov qword ptr [rdi + 16], r10",
            "mov qword ptr [rdi + 24], r11",
            "mov r8, qword ptr [rsi + 32]",
            "mov r9, qword ptr [rsi + 40]",
            "mov r10, qword ptr [rsi + 48]",
            "mov r11, qword ptr [rsi + 56]",
            "mov qword ptr [rdi + 32], r8",
            "mov qword ptr [rdi + 40], r9",
            "mov qword ptr [rdi + 48], r10",
            "mov qword ptr [rdi + 56], r11",
            "add rsi, 64",
            "add rdi, 64",
            "sub rcx, 64",
            "cmp rcx, 64",
            "ja 2b",
            "movdqu xmmword ptr [rax], xmm4",
            "movdqu xmmword ptr [rax + 16], xmm5",
            "movdqu xmmword ptr [rax + 32], xmm6",
            "movdqu xmmword ptr [rax + 48], xmm7",
            "jmp 9f",
            "5:",
            "cmp rcx, 8",
            "jb 6f",
            // 8 to 15 bytes: the first and the last 8.
            "mov r8, qword ptr [rsi]",
            "mov r9, qword ptr [rsi + rcx - 8]",
            "mov qword ptr [rdi], r8",
            "mov qword ptr [rdi + rcx - 8], r9",
            "jmp 9f",
            "6:",
            "cmp rcx, 4",
            "jb 7f",
            // 4 to 7 bytes: the first and the last 4.
            "mov r8d, dword ptr [rsi]",
            "mov r9d, dword ptr [rsi + rcx - 4]",
            "mov dword ptr [rdi], r8d",
            "mov dword ptr [rdi + rcx - 4], r9d",
            "jmp 9f",
            "7:",
            "test rcx, rcx",
            "jz 9f",
            // 1 to 3 bytes: the first, the middle and the last.
            "mov r10, rcx",
            "shr r10, 1",
            "movzx r8d, byte ptr [rsi]",
            "movzx r9d, byte ptr [rsi + r10]",
            "movzx r11d, byte ptr [rsi + rcx - 1]",
            "mov byte ptr [rdi], r8b",
            "mov byte ptr [rdi + r10], r9b",
            "mov byte ptr [rdi + rcx - 1], r11b",
            "9:",
            inout("rcx") n => _,
            inout("rdi") dst => _,
            inout("rsi") src => _,
            out("rax") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("xmm0") _,
            out("xmm1") _,
            out("xmm2") _,
            out("xmm3") _,
            out("xmm4") _,
            out("xmm5") _,
            out("xmm6") _,
            out("xmm7") _,
            options(nostack)
        );
    }
    #[cfg(miri)]
    for i in 0..n {
        // SAFETY: `i < n`: inside both ranges (the caller's contract).
        unsafe { *dst.add(i) = *src.add(i) };
    }
}

/// Copies `n` bytes backwards, highest address first.
///
/// # Safety
///
/// As [`copy_forward`], but if they overlap `dst` must not be below `src`.
#[inline(always)]
unsafe fn copy_backward(dst: *mut u8, src: *const u8, n: usize) {
    if n == 0 {
        return;
    }
    #[cfg(not(miri))]
    // SAFETY: with the direction flag set, `rep movsb` copies `rcx` bytes
    // downwards from the last byte of each range; `cld` restores the flag
    // the ABI requires before anything else runs.
    unsafe {
        core::arch::asm!(
            "std",
            "rep movsb",
            "cld",
            inout("rcx") n => _,
            inout("rdi") dst.add(n - 1) => _,
            inout("rsi") src.add(n - 1) => _,
            options(nostack)
        );
    }
    #[cfg(miri)]
    for i in (0..n).rev() {
        // SAFETY: `i < n`: inside both ranges (the caller's contract).
        unsafe { *dst.add(i) = *src.add(i) };
    }
}

/// Fills `n` bytes at `dst` with `byte`.
///
/// # Safety
///
/// `dst` must be valid for `n` writes.
#[inline(always)]
pub(crate) unsafe fn fill(dst: *mut u8, byte: u8, n: usize) {
    #[cfg(not(miri))]
    if n < 8 {
        // SAFETY: `rep stosb` (direction flag clear) stores `al` into the
        // `rcx` bytes from `rdi` up: exactly the caller's range.
        unsafe {
            core::arch::asm!(
                "rep stosb",
                inout("rcx") n => _,
                inout("rdi") dst => _,
                in("al") byte,
                options(nostack, preserves_flags)
            );
        }
    } else {
        // Eight bytes per store from a general register: under QEMU's TCG
        // `rep stosb` costs a pass through the emulator's loop per byte.
        // SAFETY: every store is 8 bytes at an offset from 0 to `n - 8`
        // (the last 8 or 32 bytes are stored over the loop's last ones):
        // inside the caller's range.
        unsafe {
            core::arch::asm!(
                "mov qword ptr [rdi + rcx - 8], rax",
                "cmp rcx, 32",
                "jb 3f",
                // 32 and more: 32-byte blocks, then the last 32 bytes.
                "lea r8, [rdi + rcx - 32]",
                "2:",
                "mov qword ptr [rdi], rax",
                "mov qword ptr [rdi + 8], rax",
                "mov qword ptr [rdi + 16], rax",
                "mov qword ptr [rdi + 24], rax",
                "add rdi, 32",
                "cmp rdi, r8",
                "jb 2b",
                "mov qword ptr [r8], rax",
                "mov qword ptr [r8 + 8], rax",
                "mov qword ptr [r8 + 16], rax",
                "mov qword ptr [r8 + 24], rax",
                "jmp 9f",
                // 8 to 31: words while more than 8 remain (the last 8 are
                // stored).
                "3:",
                "mov qword ptr [rdi], rax",
                "add rdi, 8",
                "sub rcx, 8",
                "cmp rcx, 8",
                "ja 3b",
                "9:",
                inout("rcx") n => _,
                inout("rdi") dst => _,
                in("rax") u64::from(byte) * 0x0101_0101_0101_0101,
                out("r8") _,
                options(nostack)
            );
        }
    }
    #[cfg(miri)]
    for i in 0..n {
        // SAFETY: `i < n`: inside the range (the caller's contract).
        unsafe { *dst.add(i) = byte };
    }
}

/// The length of the NUL-terminated string at `s`.
///
/// # Safety
///
/// `s` must point to a NUL-terminated string.
///
/// Eight bytes at a time in general registers (under QEMU's TCG these are
/// cheaper than SSE's vector ones, which live in memory: measured, a 1 KiB
/// string takes a third of the time the SSE2 loop took): a word holds a
/// zero byte where `(x - 0x01..01) & !x & 0x80..80` is not zero, and its
/// lowest set bit marks the first zero byte. The first load is of the
/// aligned word holding `s`, with the bytes before `s` made non-zero, then
/// aligned words up to a 32-byte boundary, then aligned 32-byte blocks of
/// four words. No load crosses into a page the string does not reach: an
/// aligned word or 32-byte block never straddles two pages. The loads read
/// bytes around the string that are not its own, which Rust code may not
/// do; assembly may, as they are never used.
#[inline]
pub(crate) unsafe fn cstr_len(s: *const c_char) -> usize {
    #[cfg(not(miri))]
    {
        let len: usize;
        // SAFETY: every load is an aligned word or 32-byte block holding at
        // least one byte of the string (the first one, `s`, or one up to
        // its NUL): mapped memory, as the string is. Only registers change.
        unsafe {
            core::arch::asm!(
                "mov {p}, {s}",
                "and {p}, -8",
                // The bytes before `s` made 0xff: `(1 << 8 * (s % 8)) - 1`.
                "mov ecx, {s:e}",
                "and ecx, 7",
                "shl ecx, 3",
                "mov {x}, 1",
                "shl {x}, cl",
                "dec {x}",
                "or {x}, qword ptr [{p}]",
                "movabs {lo}, 0x0101010101010101",
                "movabs {hi}, 0x8080808080808080",
                // Single words up to a 32-byte boundary.
                "2:",
                "mov {t}, {x}",
                "sub {t}, {lo}",
                "not {x}",
                "and {x}, {t}",
                "and {x}, {hi}",
                "jnz 8f",
                "add {p}, 8",
                "test {p:l}, 31",
                "jz 3f",
                "mov {x}, qword ptr [{p}]",
                "jmp 2b",
                // 32-byte blocks: the zero-byte bits of four words at once.
                "3:",
                "mov {x}, qword ptr [{p}]",
                "mov {t}, {x}",
                "sub {t}, {lo}",
                "not {x}",
                "and {t}, {x}",
                "mov {x}, qword ptr [{p} + 8]",
                "mov {acc}, {x}",
                "sub {acc}, {lo}",
                "not {x}",
                "and {acc}, {x}",
                "or {t}, {acc}",
                "mov {x}, qword ptr [{p} + 16]",
                "mov {acc}, {x}",
                "sub {acc}, {lo}",
                "not {x}",
                "and {acc}, {x}",
                "or {t}, {acc}",
                "mov {x}, qword ptr [{p} + 24]",
                "mov {acc}, {x}",
                "sub {acc}, {lo}",
                "not {x}",
                "and {acc}, {x}",
                "or {t}, {acc}",
                "and {t}, {hi}",
                "jnz 4f",
                "add {p}, 32",
                "jmp 3b",
                // The NUL is in this block: which word of it.
                "4:",
                "mov {x}, qword ptr [{p}]",
                "mov {t}, {x}",
                "sub {t}, {lo}",
                "not {x}",
                "and {x}, {t}",
                "and {x}, {hi}",
                "jnz 8f",
                "add {p}, 8",
                "jmp 4b",
                // The first zero byte of the word at `p`.
                "8:",
                "bsf {x}, {x}",
                "shr {x}, 3",
                "add {p}, {x}",
                "sub {p}, {s}",
                s = in(reg) s,
                p = out(reg) len,
                x = out(reg) _,
                t = out(reg) _,
                acc = out(reg) _,
                lo = out(reg) _,
                hi = out(reg) _,
                out("rcx") _,
                options(nostack, readonly)
            );
        }
        len
    }
    #[cfg(miri)]
    {
        let mut n = 0;
        // SAFETY: every byte up to the NUL is part of the string.
        while unsafe { *s.add(n) } != 0 {
            n += 1;
        }
        n
    }
}

/// Copies `n` bytes from `src` to `dst`; the ranges must not overlap.
///
/// # Safety
///
/// `dst` valid for `n` writes, `src` for `n` reads, not overlapping.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memcpy(dst: *mut c_void, src: *const c_void, n: size_t) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe { copy_forward(dst.cast(), src.cast(), n) };
    dst
}

/// Copies `n` bytes from `src` to `dst`; the ranges may overlap.
///
/// # Safety
///
/// `dst` valid for `n` writes, `src` for `n` reads.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memmove(dst: *mut c_void, src: *const c_void, n: size_t) -> *mut c_void {
    // Backwards only when `dst` is inside `(src, src + n)`, where a forward
    // copy would overwrite bytes before reading them.
    if dst.addr().wrapping_sub(src.addr()) < n && dst.addr() != src.addr() {
        // SAFETY: the caller's contract; `dst` above `src`.
        unsafe { copy_backward(dst.cast(), src.cast(), n) };
    } else {
        // SAFETY: the caller's contract; `dst` below `src` or disjoint.
        unsafe { copy_forward(dst.cast(), src.cast(), n) };
    }
    dst
}

/// Fills `n` bytes at `s` with `(unsigned char) c`.
///
/// # Safety
///
/// `s` valid for `n` writes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memset(s: *mut c_void, c: c_int, n: size_t) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe { fill(s.cast(), c as u8, n) };
    s
}

/// Compares `n` bytes as `unsigned char`: negative, zero or positive.
///
/// # Safety
///
/// `a` and `b` valid for `n` reads.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memcmp(a: *const c_void, b: *const c_void, n: size_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { compare_block(a, b, n) }
}

/// `memcmp`'s work.
///
/// # Safety
///
/// `a` and `b` valid for `n` reads.
pub(crate) unsafe fn compare_block(a: *const c_void, b: *const c_void, n: usize) -> c_int {
    let (a, b) = (a.cast::<u8>(), b.cast::<u8>());
    let mut i = 0;
    while i < n {
        // SAFETY: `i < n`: inside both ranges.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return c_int::from(x) - c_int::from(y);
        }
        i += 1;
    }
    0
}

/// The first of the `n` bytes at `s` equal to `(unsigned char) c`, or NULL.
///
/// # Safety
///
/// `s` valid for `n` reads (or up to the match).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memchr(s: *const c_void, c: c_int, n: size_t) -> *mut c_void {
    let s = s.cast::<u8>();
    for i in 0..n {
        // SAFETY: `i < n`: inside the range.
        if unsafe { *s.add(i) } == c as u8 {
            // SAFETY: as above.
            return unsafe { s.add(i) }.cast_mut().cast();
        }
    }
    ptr::null_mut()
}

/// The last of the `n` bytes at `s` equal to `(unsigned char) c`, or NULL.
///
/// # Safety
///
/// `s` valid for `n` reads.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memrchr(s: *const c_void, c: c_int, n: size_t) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe { find_last(s, c, n) }
}

/// `memrchr`'s work.
///
/// # Safety
///
/// `s` valid for `n` reads.
unsafe fn find_last(s: *const c_void, c: c_int, n: usize) -> *mut c_void {
    let s = s.cast::<u8>();
    for i in (0..n).rev() {
        // SAFETY: `i < n`: inside the range.
        if unsafe { *s.add(i) } == c as u8 {
            // SAFETY: as above.
            return unsafe { s.add(i) }.cast_mut().cast();
        }
    }
    ptr::null_mut()
}

/// The length of `s`, its NUL excluded.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strlen(s: *const c_char) -> size_t {
    // SAFETY: the caller's contract.
    unsafe { cstr_len(s) }
}

/// The length of `s`, but at most `max`.
///
/// # Safety
///
/// `s` valid for reads up to its NUL or `max` bytes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strnlen(s: *const c_char, max: size_t) -> size_t {
    // SAFETY: the caller's contract.
    unsafe { bounded_len(s, max) }
}

/// `strnlen`'s work.
///
/// # Safety
///
/// `s` valid for reads up to its NUL or `max` bytes.
unsafe fn bounded_len(s: *const c_char, max: usize) -> usize {
    let mut n = 0;
    // SAFETY: `n < max` and no NUL met yet: inside the caller's range.
    while n < max && unsafe { *s.add(n) } != 0 {
        n += 1;
    }
    n
}

/// Copies `src` with its NUL to `dst`; returns `dst`.
///
/// # Safety
///
/// `src` NUL-terminated, `dst` room for it, not overlapping.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcpy(dst: *mut c_char, src: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { copy_string(dst, src) };
    dst
}

/// Copies `src` with its NUL to `dst`; returns a pointer to the copied NUL.
///
/// # Safety
///
/// As [`strcpy`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn stpcpy(dst: *mut c_char, src: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { copy_string(dst, src) }
}

/// `stpcpy`'s work.
///
/// # Safety
///
/// As [`strcpy`].
unsafe fn copy_string(dst: *mut c_char, src: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe {
        let n = cstr_len(src);
        copy_forward(dst.cast(), src.cast(), n + 1);
        dst.add(n)
    }
}

/// Copies at most `n` bytes of `src` to `dst` and pads with NULs up to
/// `n`; returns `dst` (which is not NUL-terminated if `src` is that long).
///
/// # Safety
///
/// `dst` valid for `n` writes, `src` for reads up to its NUL or `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strncpy(dst: *mut c_char, src: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { copy_string_n(dst, src, n) };
    dst
}

/// As [`strncpy`], but returns a pointer to the first NUL written (or
/// `dst + n` if none).
///
/// # Safety
///
/// As [`strncpy`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn stpncpy(dst: *mut c_char, src: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { copy_string_n(dst, src, n) }
}

/// `stpncpy`'s work.
///
/// # Safety
///
/// As [`strncpy`].
unsafe fn copy_string_n(dst: *mut c_char, src: *const c_char, n: usize) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe {
        let len = bounded_len(src, n);
        copy_forward(dst.cast(), src.cast(), len);
        fill(dst.add(len).cast(), 0, n - len);
        dst.add(len)
    }
}

/// Appends `src` to `dst`; returns `dst`.
///
/// # Safety
///
/// Both NUL-terminated, `dst` room for both, not overlapping.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcat(dst: *mut c_char, src: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { copy_string(dst.add(cstr_len(dst)), src) };
    dst
}

/// Appends at most `n` bytes of `src`, then a NUL, to `dst`; returns `dst`.
///
/// # Safety
///
/// `dst` NUL-terminated with room for `n + 1` more bytes; `src` readable up
/// to its NUL or `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strncat(dst: *mut c_char, src: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe {
        let end = dst.add(cstr_len(dst));
        let len = bounded_len(src, n);
        copy_forward(end.cast(), src.cast(), len);
        *end.add(len) = 0;
    }
    dst
}

/// Compares two strings as `unsigned char`.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcmp(a: *const c_char, b: *const c_char) -> c_int {
    // SAFETY: the caller's contract; `usize::MAX` never limits.
    unsafe { compare_strings(a, b, usize::MAX) }
}

/// Compares at most `n` bytes of two strings as `unsigned char`.
///
/// # Safety
///
/// Both readable up to their NUL or `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strncmp(a: *const c_char, b: *const c_char, n: size_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { compare_strings(a, b, n) }
}

/// `strncmp`'s work.
///
/// # Safety
///
/// Both readable up to their NUL or `n`.
unsafe fn compare_strings(a: *const c_char, b: *const c_char, n: usize) -> c_int {
    let mut i = 0;
    while i < n {
        // SAFETY: no NUL met before `i`: inside both strings.
        let (x, y) = unsafe { (*a.add(i) as u8, *b.add(i) as u8) };
        if x != y || x == 0 {
            return c_int::from(x) - c_int::from(y);
        }
        i += 1;
    }
    0
}

/// Compares two strings in the current locale's collation: the C locale's
/// is `strcmp`'s.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcoll(a: *const c_char, b: *const c_char) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { compare_strings(a, b, usize::MAX) }
}

/// Transforms `src` for `strcmp` (the C locale: a copy) into `dst` if it
/// fits in `n` bytes with its NUL; returns the transformed length.
///
/// # Safety
///
/// `src` NUL-terminated; `dst` valid for `n` writes (may be NULL if `n` is
/// 0).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strxfrm(dst: *mut c_char, src: *const c_char, n: size_t) -> size_t {
    // SAFETY: the caller's contract.
    let len = unsafe { cstr_len(src) };
    if len < n {
        // SAFETY: `len + 1 <= n` bytes fit in `dst`.
        unsafe { copy_forward(dst.cast(), src.cast(), len + 1) };
    }
    len
}

/// The first `(char) c` in `s` (its NUL included), or NULL.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strchr(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { find(s, c) }
}

/// `strchr`'s work.
///
/// # Safety
///
/// `s` NUL-terminated.
pub(crate) unsafe fn find(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract.
    let at = unsafe { find_or_end(s, c) };
    // SAFETY: `at` is inside the string.
    if unsafe { *at } as u8 == c as u8 {
        at
    } else {
        ptr::null_mut()
    }
}

/// The first `(char) c` in `s`, or its NUL.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strchrnul(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { find_or_end(s, c) }
}

/// `strchrnul`'s work.
///
/// # Safety
///
/// `s` NUL-terminated.
unsafe fn find_or_end(s: *const c_char, c: c_int) -> *mut c_char {
    let mut at = s;
    loop {
        // SAFETY: not past the NUL yet.
        let b = unsafe { *at } as u8;
        if b == c as u8 || b == 0 {
            return at.cast_mut();
        }
        // SAFETY: `b` was not the NUL.
        at = unsafe { at.add(1) };
    }
}

/// The last `(char) c` in `s` (its NUL included), or NULL.
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strrchr(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { find_last_in(s, c) }
}

/// `strrchr`'s work.
///
/// # Safety
///
/// `s` NUL-terminated.
pub(crate) unsafe fn find_last_in(s: *const c_char, c: c_int) -> *mut c_char {
    // SAFETY: the caller's contract; the range is the string with its NUL.
    unsafe { find_last(s.cast(), c, cstr_len(s) + 1) }.cast()
}

/// The first occurrence of `needle` in `hay`, or NULL; `hay` if `needle`
/// is empty.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strstr(hay: *const c_char, needle: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    let (h, n) = unsafe { (bytes(hay), bytes(needle)) };
    if n.is_empty() {
        return hay.cast_mut();
    }
    match h.windows(n.len()).position(|w| w == n) {
        // SAFETY: `i` is inside the haystack.
        Some(i) => unsafe { hay.add(i) }.cast_mut(),
        None => ptr::null_mut(),
    }
}

/// The string at `s` as a slice, its NUL excluded.
///
/// # Safety
///
/// `s` NUL-terminated, not written while the slice lives.
unsafe fn bytes<'a>(s: *const c_char) -> &'a [u8] {
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts(s.cast(), cstr_len(s)) }
}

/// The length of the prefix of `s` made of bytes in `accept`.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strspn(s: *const c_char, accept: *const c_char) -> size_t {
    // SAFETY: the caller's contract.
    unsafe { span(s, accept, true) }
}

/// The length of the prefix of `s` whose bytes are (if `inside`) or are
/// not in `set`.
///
/// # Safety
///
/// Both NUL-terminated.
unsafe fn span(s: *const c_char, set: *const c_char, inside: bool) -> usize {
    // SAFETY: the caller's contract.
    let (s, set) = unsafe { (bytes(s), bytes(set)) };
    s.iter()
        .position(|b| set.contains(b) != inside)
        .unwrap_or(s.len())
}

/// The length of the prefix of `s` made of bytes not in `reject`.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcspn(s: *const c_char, reject: *const c_char) -> size_t {
    // SAFETY: the caller's contract.
    unsafe { span(s, reject, false) }
}

/// The first byte of `s` in `accept`, or NULL.
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strpbrk(s: *const c_char, accept: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    let at = unsafe { s.add(span(s, accept, false)) };
    // SAFETY: `at` is inside the string, its NUL included.
    if unsafe { *at } == 0 {
        ptr::null_mut()
    } else {
        at.cast_mut()
    }
}

/// `strtok`'s position between calls (one for the whole process, as C
/// has it).
static STRTOK_SAVE: AtomicPtr<c_char> = AtomicPtr::new(ptr::null_mut());

/// The next token of `s` (or, if NULL, of the string of the previous call)
/// delimited by bytes of `delim`; NULL when none is left.
///
/// # Safety
///
/// As [`strtok_r`]; not reentrant.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtok(s: *mut c_char, delim: *const c_char) -> *mut c_char {
    let mut save = STRTOK_SAVE.load(Ordering::Relaxed);
    // SAFETY: the caller's contract.
    let tok = unsafe { next_token(s, delim, &mut save) };
    STRTOK_SAVE.store(save, Ordering::Relaxed);
    tok
}

/// The next token, with the position kept in `*save`.
///
/// # Safety
///
/// `delim` NUL-terminated; `s` a writable NUL-terminated string, or NULL
/// with `*save` from a previous call on a string still alive.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strtok_r(
    s: *mut c_char,
    delim: *const c_char,
    save: *mut *mut c_char,
) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { next_token(s, delim, save) }
}

/// `strtok_r`'s work.
///
/// # Safety
///
/// As [`strtok_r`].
unsafe fn next_token(s: *mut c_char, delim: *const c_char, save: *mut *mut c_char) -> *mut c_char {
    // SAFETY: `save` is valid (the caller's contract).
    let mut at = if s.is_null() { unsafe { *save } } else { s };
    if at.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: `at` is inside a NUL-terminated string; so is every
    // position computed from it below.
    unsafe {
        at = at.add(span(at, delim, true));
        if *at == 0 {
            *save = at;
            return ptr::null_mut();
        }
        let end = at.add(span(at, delim, false));
        if *end == 0 {
            *save = end;
        } else {
            *end = 0;
            *save = end.add(1);
        }
    }
    at
}

/// A copy of `s` from `malloc`, or NULL (`ENOMEM`).
///
/// # Safety
///
/// `s` NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strdup(s: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { duplicate(s, usize::MAX) }
}

/// A copy of at most `n` bytes of `s`, NUL-terminated, from `malloc`, or
/// NULL (`ENOMEM`).
///
/// # Safety
///
/// `s` readable up to its NUL or `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strndup(s: *const c_char, n: size_t) -> *mut c_char {
    // SAFETY: the caller's contract.
    unsafe { duplicate(s, n) }
}

/// `strndup`'s work.
///
/// # Safety
///
/// As [`strndup`].
unsafe fn duplicate(s: *const c_char, n: usize) -> *mut c_char {
    // SAFETY: the caller's contract.
    let len = unsafe { bounded_len(s, n) };
    // SAFETY: `malloc` has no precondition.
    let copy = unsafe { crate::stdlib::malloc::malloc(len + 1) }.cast::<c_char>();
    if !copy.is_null() {
        // SAFETY: `copy` holds `len + 1` bytes; `s` has `len` readable.
        unsafe {
            copy_forward(copy.cast(), s.cast(), len);
            *copy.add(len) = 0;
        }
    }
    copy
}

/// Copies bytes from `src` to `dst` up to and including the first
/// `(unsigned char) c`, at most `n`; returns the byte after the copied
/// `c` in `dst`, or NULL if `c` was not among the `n` bytes.
///
/// # Safety
///
/// `dst` valid for `n` writes, `src` for `n` reads (or up to `c`), not
/// overlapping.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memccpy(
    dst: *mut c_void,
    src: *const c_void,
    c: c_int,
    n: size_t,
) -> *mut c_void {
    let (d, s) = (dst.cast::<u8>(), src.cast::<u8>());
    for i in 0..n {
        // SAFETY: `i < n`: inside both ranges; `c` not met before `i`.
        unsafe {
            let b = *s.add(i);
            *d.add(i) = b;
            if b == c as u8 {
                return d.add(i + 1).cast();
            }
        }
    }
    ptr::null_mut()
}

/// As `memcpy`, but returns `dst + n` (GNU).
///
/// # Safety
///
/// As `memcpy`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn mempcpy(dst: *mut c_void, src: *const c_void, n: size_t) -> *mut c_void {
    // SAFETY: the caller's contract.
    unsafe {
        copy_forward(dst.cast(), src.cast(), n);
        dst.cast::<u8>().add(n).cast()
    }
}

/// The first occurrence of the `nlen` bytes at `needle` in the `hlen`
/// bytes at `hay`, or NULL; `hay` for an empty needle (GNU).
///
/// # Safety
///
/// `hay` valid for `hlen` reads, `needle` for `nlen`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn memmem(
    hay: *const c_void,
    hlen: size_t,
    needle: *const c_void,
    nlen: size_t,
) -> *mut c_void {
    if nlen == 0 {
        return hay.cast_mut();
    }
    if hay.is_null() || needle.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: the caller's contract.
    let (h, n) = unsafe {
        (
            core::slice::from_raw_parts(hay.cast::<u8>(), hlen),
            core::slice::from_raw_parts(needle.cast::<u8>(), nlen),
        )
    };
    match h.windows(nlen).position(|w| w == n) {
        // SAFETY: `i` is inside the haystack.
        Some(i) => unsafe { hay.cast::<u8>().add(i) }.cast_mut().cast(),
        None => ptr::null_mut(),
    }
}

/// The token at `*sp` up to the first byte of `delim` (which becomes a
/// NUL); `*sp` moves past it, or becomes NULL after the last token. Empty
/// tokens count (BSD).
///
/// # Safety
///
/// `sp` valid; `*sp` NULL or a writable NUL-terminated string; `delim`
/// NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strsep(sp: *mut *mut c_char, delim: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    let tok = unsafe { *sp };
    if tok.is_null() {
        return tok;
    }
    // SAFETY: the token is a NUL-terminated string; `end` is inside it.
    unsafe {
        let end = tok.add(span(tok, delim, false));
        if *end == 0 {
            *sp = ptr::null_mut();
        } else {
            *end = 0;
            *sp = end.add(1);
        }
    }
    tok
}

/// As `strstr`, ignoring ASCII case (GNU).
///
/// # Safety
///
/// Both NUL-terminated.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strcasestr(hay: *const c_char, needle: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract.
    let (h, n) = unsafe { (bytes(hay), bytes(needle)) };
    if n.is_empty() {
        return hay.cast_mut();
    }
    match h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n)) {
        // SAFETY: `i` is inside the haystack.
        Some(i) => unsafe { hay.add(i) }.cast_mut(),
        None => ptr::null_mut(),
    }
}

/// Zeroes `n` bytes at `s`, a store the compiler may not remove even if
/// nothing reads them afterwards (for secrets).
///
/// # Safety
///
/// `s` valid for `n` writes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn explicit_bzero(s: *mut c_void, n: size_t) {
    // SAFETY: the caller's contract.
    unsafe { fill(s.cast(), 0, n) };
    // The asm may read the memory: the stores above must happen.
    #[cfg(not(miri))]
    // SAFETY: an empty asm statement touches nothing.
    unsafe {
        core::arch::asm!("/* {0} */", in(reg) s, options(nostack, readonly, preserves_flags))
    };
}

/// Room for the longest message of [`MESSAGES`], with its NUL.
const MSG_ROOM: usize = 56;
/// One past the largest error number with a message.
const ERRNO_END: usize = 134;

/// Every known error message, NUL-terminated, indexed by number (an
/// empty entry for unknown numbers), built at compile time from
/// `vibix_uapi::errno`'s table.
static MESSAGES: [[u8; MSG_ROOM]; ERRNO_END] = {
    let mut table = [[0u8; MSG_ROOM]; ERRNO_END];
    let mut n = 0;
    while n < ERRNO_END {
        let msg = if n == 0 {
            Some("Success")
        } else {
            vibix_uapi::errno::message(n as i32)
        };
        if let Some(msg) = msg {
            let b = msg.as_bytes();
            assert!(b.len() < MSG_ROOM);
            let mut i = 0;
            while i < b.len() {
                table[n][i] = b[i];
                i += 1;
            }
        }
        n += 1;
    }
    // Every number with a message is below the table's end.
    let all = vibix_uapi::errno::ALL;
    assert!(all[all.len() - 1].0 < ERRNO_END as i32);
    table
};

/// The message of error `n` as C bytes with their NUL, if known.
fn known_message(n: c_int) -> Option<&'static [u8]> {
    let entry = MESSAGES.get(usize::try_from(n).ok()?)?;
    let len = entry.iter().position(|&b| b == 0)?;
    (len > 0).then_some(&entry[..=len])
}

/// Writes `prefix` and `n` in decimal, NUL-terminated, into `buf`; returns
/// the bytes written, NUL included (or as many as fit, the last a NUL).
fn format_number(buf: &mut [u8], prefix: &[u8], n: c_int) -> usize {
    let mut digits = [0u8; 12];
    let mut at = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        at -= 1;
        digits[at] = b'-';
    }
    let mut len = 0;
    for &b in prefix.iter().chain(&digits[at..]) {
        if len + 1 >= buf.len() {
            break;
        }
        buf[len] = b;
        len += 1;
    }
    if let Some(last) = buf.get_mut(len) {
        *last = 0;
        len += 1;
    }
    len
}

/// The buffer for messages made at run time (`Unknown error N`), one per
/// thread as glibc's.
#[thread_local]
static mut SCRATCH: [u8; 64] = [0; 64];

/// This thread's scratch buffer.
fn scratch() -> &'static mut [u8; 64] {
    // SAFETY: the buffer is this thread's own and only the caller of this
    // function (strerror, strsignal) uses it until it returns; the C
    // caller may keep reading it afterwards, as C's contract says.
    let buf: *mut [u8; 64] = &raw mut SCRATCH;
    // SAFETY: as above.
    unsafe { &mut *buf }
}

/// The message of error number `n`: `"Unknown error N"` for numbers
/// without one.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn strerror(n: c_int) -> *mut c_char {
    match known_message(n) {
        Some(msg) => msg.as_ptr().cast_mut().cast(),
        None => {
            let buf = scratch();
            format_number(buf, b"Unknown error ", n);
            buf.as_mut_ptr().cast()
        }
    }
}

/// Writes the message of error `n` into `buf` (`len` bytes): 0, or
/// `ERANGE` if it did not fit (truncated then), `EINVAL` if `n` is unknown
/// (the buffer then holds as much of `Unknown error N` as fits).
///
/// # Safety
///
/// `buf` valid for `len` writes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn strerror_r(n: c_int, buf: *mut c_char, len: size_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { message_into(n, buf, len) }
}

/// [`strerror_r`] under the name glibc's `<string.h>` gives the XSI
/// function when a program asks for it (GNU's `strerror_r` keeps the
/// plain name there). Programs built against glibc's headers that use the
/// XSI one (Rust's std for `linux-gnu`) call this name.
///
/// # Safety
///
/// As [`strerror_r`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn __xpg_strerror_r(n: c_int, buf: *mut c_char, len: size_t) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { message_into(n, buf, len) }
}

/// The body of [`strerror_r`].
///
/// # Safety
///
/// As [`strerror_r`].
unsafe fn message_into(n: c_int, buf: *mut c_char, len: size_t) -> c_int {
    let mut unknown = [0u8; 32];
    let (msg, status) = match known_message(n) {
        Some(msg) => (msg, 0),
        None => {
            let l = format_number(&mut unknown, b"Unknown error ", n);
            (&unknown[..l], EINVAL)
        }
    };
    if len == 0 {
        return if status == 0 { ERANGE } else { status };
    }
    let fit = msg.len().min(len);
    // SAFETY: `fit <= len` bytes fit in `buf`; the last one written is a
    // NUL.
    unsafe {
        copy_forward(buf.cast(), msg.as_ptr(), fit);
        *buf.add(fit - 1) = 0;
    }
    // An unknown number is `EINVAL` even when its text did not fit (as
    // glibc).
    if status == 0 && fit < msg.len() {
        ERANGE
    } else {
        status
    }
}

/// glibc's descriptions of signals 1 to 31.
const SIGNAL_TEXT: [&str; 31] = [
    "Hangup",
    "Interrupt",
    "Quit",
    "Illegal instruction",
    "Trace/breakpoint trap",
    "Aborted",
    "Bus error",
    "Floating point exception",
    "Killed",
    "User defined signal 1",
    "Segmentation fault",
    "User defined signal 2",
    "Broken pipe",
    "Alarm clock",
    "Terminated",
    "Stack fault",
    "Child exited",
    "Continued",
    "Stopped (signal)",
    "Stopped",
    "Stopped (tty input)",
    "Stopped (tty output)",
    "Urgent I/O condition",
    "CPU time limit exceeded",
    "File size limit exceeded",
    "Virtual timer expired",
    "Profiling timer expired",
    "Window changed",
    "I/O possible",
    "Power failure",
    "Bad system call",
];

/// The first real-time signal programs see (glibc keeps two for itself).
const SIGRTMIN: c_int = vibix_uapi::signal::SIGRTMIN_KERNEL + 2;

/// The description of signal `sig` (`"Killed"` for 9), `Real-time signal
/// N` or `Unknown signal N`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn strsignal(sig: c_int) -> *mut c_char {
    let buf = scratch();
    if sig >= 1 && sig <= SIGNAL_TEXT.len() as c_int {
        let text = SIGNAL_TEXT[sig as usize - 1].as_bytes();
        buf[..text.len()].copy_from_slice(text);
        buf[text.len()] = 0;
    } else if (SIGRTMIN..=vibix_uapi::signal::SIGRTMAX).contains(&sig) {
        format_number(buf, b"Real-time signal ", sig - SIGRTMIN);
    } else {
        format_number(buf, b"Unknown signal ", sig);
    }
    buf.as_mut_ptr().cast()
}

#[cfg(test)]
mod tests;
