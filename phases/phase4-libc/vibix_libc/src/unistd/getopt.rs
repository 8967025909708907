//! `<unistd.h>`: `getopt` and its globals `optarg`, `optind`, `opterr`,
//! `optopt`; the parser is shared with `getopt_long` (`<getopt.h>`).
//!
//! The behaviour is GNU's:
//!
//! - options are permuted: operands met before the last option are moved
//!   after the options (in `argv` itself, as glibc does), so that when
//!   `getopt` returns -1, `optind` is the first operand;
//! - an option string starting with `+`, or `POSIXLY_CORRECT` in the
//!   environment, stops at the first operand instead; one starting with
//!   `-` returns each operand in order as the argument of option `1`;
//! - `--` ends the options; a lone `-` is an operand;
//! - `x:` takes an argument (the rest of the word or the next word),
//!   `x::` an optional one (only the rest of the word);
//! - an unknown option or a missing argument returns `?` with `optopt` set
//!   and a glibc-worded message on standard error (if `opterr` is not 0
//!   and the option string, after `+`/`-`, does not start with `:`); with
//!   that leading `:`, a missing argument returns `:` instead, silently;
//! - setting `optind` to 0 starts over (re-reading the option string's
//!   prefix and `POSIXLY_CORRECT`), setting it to 1 starts a new vector
//!   once the previous one was parsed to its end.
//!
//! Not handled: the `W;` option string convention.

use core::ffi::CStr;
use core::ptr;

use crate::types::{c_char, c_int};

/// The argument of the option just returned, or NULL.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut optarg: *mut c_char = ptr::null_mut();
/// The index of the next element of `argv` to look at.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut optind: c_int = 1;
/// Whether to print error messages (not 0: yes).
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut opterr: c_int = 1;
/// The option character that caused the last error.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals)]
pub static mut optopt: c_int = b'?' as c_int;

/// How operands mixed with options are treated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ordering {
    /// Move them after the options (GNU's default).
    Permute,
    /// Stop at the first one (`+`, `POSIXLY_CORRECT`).
    RequireOrder,
    /// Return each as the argument of option 1 (`-`).
    ReturnInOrder,
}

/// The parser's state between calls.
struct State {
    /// Where in `argv[optind]` the next short option is; 0 if none.
    nextchar: usize,
    /// The operands skipped so far: `argv[first_nonopt..last_nonopt]`.
    first_nonopt: c_int,
    last_nonopt: c_int,
    ordering: Ordering,
    initialized: bool,
}

static mut STATE: State = State {
    nextchar: 0,
    first_nonopt: 1,
    last_nonopt: 1,
    ordering: Ordering::Permute,
    initialized: false,
};

/// One long option (`struct option` of `<getopt.h>`), read by the parser.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct LongOpt {
    pub name: *const c_char,
    pub has_arg: c_int,
    pub flag: *mut c_int,
    pub val: c_int,
}

/// The long-option side of a call: the table (ending with a zero entry)
/// and where to store the index found.
pub(crate) struct Long {
    pub options: *const LongOpt,
    pub index: *mut c_int,
    /// `getopt_long_only`: `-name` is a long option too.
    pub only: bool,
}

/// The parser's globals, as one place to read and write them.
struct Globals {
    optind: c_int,
    optarg: *mut c_char,
    optopt: c_int,
    opterr: c_int,
}

/// A message for standard error, written with one `write`, as glibc's
/// unbuffered `stderr` does.
struct Message {
    buf: [u8; 512],
    len: usize,
}

impl Message {
    fn new() -> Message {
        Message {
            buf: [0; 512],
            len: 0,
        }
    }
    fn push(&mut self, bytes: &[u8]) -> &mut Message {
        let n = bytes.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        self
    }
    fn send(&self) {
        // SAFETY: `buf` holds `len` initialized bytes.
        unsafe { crate::unistd::io::write(2, self.buf.as_ptr().cast(), self.len) };
    }
}

/// The bytes of the NUL-terminated string `s`.
///
/// # Safety
///
/// `s` must be a NUL-terminated string that outlives the result.
unsafe fn bytes<'a>(s: *const c_char) -> &'a [u8] {
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(s) }.to_bytes()
}

/// Whether `arg` is an operand rather than an option: not starting with
/// `-`, or `-` alone.
fn is_operand(arg: &[u8]) -> bool {
    arg.first() != Some(&b'-') || arg.len() == 1
}

/// Moves the operands `argv[first..last]` after the options
/// `argv[last..next]`, and updates the bounds.
///
/// # Safety
///
/// `argv` must have at least `next` writable entries.
unsafe fn exchange(argv: *mut *mut c_char, st: &mut State, next: c_int) {
    let (first, last) = (st.first_nonopt as usize, st.last_nonopt as usize);
    // SAFETY: entries `first..next` exist and are writable (caller).
    let span = unsafe { core::slice::from_raw_parts_mut(argv.add(first), next as usize - first) };
    span.rotate_left(last - first);
    st.first_nonopt += next - st.last_nonopt;
    st.last_nonopt = next;
}

/// `getopt`, `getopt_long` and `getopt_long_only`.
///
/// # Safety
///
/// `argv` must hold `argc` NUL-terminated strings (and be writable: it is
/// permuted), `optstring` a NUL-terminated string, `long` (if any) a table
/// ending with an entry whose name is NULL.
pub(crate) unsafe fn parse(
    argc: c_int,
    argv: *const *mut c_char,
    optstring: *const c_char,
    long: Option<Long>,
) -> c_int {
    let state: *mut State = &raw mut STATE;
    // SAFETY: C's getopt is not thread-safe: the caller parses from one
    // thread, so nothing else touches the state meanwhile.
    let st = unsafe { &mut *state };
    // SAFETY: as above, for the globals.
    let mut g = unsafe {
        Globals {
            optind: (&raw const optind).read(),
            optarg: ptr::null_mut(),
            optopt: (&raw const optopt).read(),
            opterr: (&raw const opterr).read(),
        }
    };
    // SAFETY: the caller's contract for `argv` and `optstring`.
    let r = unsafe { parse_with(st, &mut g, argc, argv.cast_mut(), optstring, long) };
    // SAFETY: as above.
    unsafe {
        (&raw mut optind).write(g.optind);
        (&raw mut optarg).write(g.optarg);
        (&raw mut optopt).write(g.optopt);
    }
    r
}

/// [`parse`] on explicit state.
///
/// # Safety
///
/// As [`parse`].
unsafe fn parse_with(
    st: &mut State,
    g: &mut Globals,
    argc: c_int,
    argv: *mut *mut c_char,
    optstring: *const c_char,
    long: Option<Long>,
) -> c_int {
    if argc < 1 {
        return -1;
    }
    // SAFETY: `optstring` is NUL-terminated (the caller's contract).
    let mut opts = unsafe { bytes(optstring) };
    if g.optind == 0 || !st.initialized {
        if g.optind == 0 {
            g.optind = 1;
        }
        st.nextchar = 0;
        st.first_nonopt = g.optind;
        st.last_nonopt = g.optind;
        st.ordering = match opts.first() {
            Some(b'-') => Ordering::ReturnInOrder,
            Some(b'+') => Ordering::RequireOrder,
            // SAFETY: the name is NUL-terminated.
            _ if !unsafe { crate::stdlib::env::getenv(c"POSIXLY_CORRECT".as_ptr()) }.is_null() => {
                Ordering::RequireOrder
            }
            _ => Ordering::Permute,
        };
        st.initialized = true;
    }
    if g.optind > argc {
        // Past the end (the caller set `optind`): nothing to parse.
        return -1;
    }
    if let Some(b'-' | b'+') = opts.first() {
        opts = &opts[1..];
    }
    let colon = opts.first() == Some(&b':');
    let report = g.opterr != 0 && !colon;
    // SAFETY: argv[0] is a string (argc >= 1).
    let prog = unsafe { bytes(*argv) };
    // SAFETY: `i < argc`: an element of `argv`.
    let arg = |i: c_int| unsafe { bytes(*argv.add(i as usize)) };

    // SAFETY: (of the reads below) `g.optind < argc` wherever `arg` is called.
    let current_done = st.nextchar == 0 || g.optind >= argc || st.nextchar >= arg(g.optind).len();
    if current_done {
        st.nextchar = 0;
        if st.last_nonopt > g.optind {
            st.last_nonopt = g.optind;
        }
        if st.first_nonopt > g.optind {
            st.first_nonopt = g.optind;
        }
        if st.ordering == Ordering::Permute {
            if st.first_nonopt != st.last_nonopt && st.last_nonopt != g.optind {
                // SAFETY: `argv` has `argc > optind` writable entries.
                unsafe { exchange(argv, st, g.optind) };
            } else if st.last_nonopt != g.optind {
                st.first_nonopt = g.optind;
            }
            while g.optind < argc && is_operand(arg(g.optind)) {
                g.optind += 1;
            }
            st.last_nonopt = g.optind;
        }
        if g.optind < argc && arg(g.optind) == b"--" {
            g.optind += 1;
            if st.first_nonopt != st.last_nonopt && st.last_nonopt != g.optind {
                // SAFETY: as above.
                unsafe { exchange(argv, st, g.optind) };
            } else if st.first_nonopt == st.last_nonopt {
                st.first_nonopt = g.optind;
            }
            st.last_nonopt = argc;
            g.optind = argc;
        }
        if g.optind >= argc {
            if st.first_nonopt != st.last_nonopt {
                g.optind = st.first_nonopt;
            }
            return -1;
        }
        if is_operand(arg(g.optind)) {
            if st.ordering == Ordering::RequireOrder {
                return -1;
            }
            // SAFETY: `optind < argc`.
            g.optarg = unsafe { *argv.add(g.optind as usize) };
            g.optind += 1;
            return 1;
        }
        let word = arg(g.optind);
        if let Some(long) = &long {
            let is_long = word.starts_with(b"--");
            // `getopt_long_only`: `-name` is long unless it is one short
            // option (`-x`), or no long option matches and `x` is short.
            let short = opts.contains(&word[1]);
            let long_only = long.only
                && !is_long
                && (word.len() > 2 || !short)
                // SAFETY: the table's contract.
                && (!short || unsafe { find_long(long.options, &word[1..]) }.is_some());
            if is_long || long_only {
                let skip = if is_long { 2 } else { 1 };
                // SAFETY: the table's contract; `argv` as above.
                return unsafe { parse_long(g, argc, argv, prog, skip, long, colon, report) };
            }
        }
        st.nextchar = 1;
    }

    // A short option.
    let word = arg(g.optind);
    let c = word[st.nextchar];
    st.nextchar += 1;
    let rest_start = st.nextchar;
    if st.nextchar >= word.len() {
        g.optind += 1;
        st.nextchar = 0;
    }
    let spec = opts.iter().position(|&o| o == c);
    let Some(at) = spec.filter(|_| c != b':' && c != b';') else {
        if report {
            Message::new()
                .push(prog)
                .push(b": invalid option -- '")
                .push(&[c])
                .push(b"'\n")
                .send();
        }
        g.optopt = c_int::from(c);
        return c_int::from(b'?');
    };
    if opts.get(at + 1) == Some(&b':') {
        let optional = opts.get(at + 2) == Some(&b':');
        if rest_start < word.len() {
            // The rest of this word is the argument.
            // SAFETY: inside the word `argv[optind]` (before the increment
            // below), whose bytes end with a NUL.
            g.optarg = unsafe { (*argv.add(g.optind as usize)).add(rest_start) };
            g.optind += 1;
        } else if optional {
            g.optarg = ptr::null_mut();
        } else if g.optind >= argc {
            if report {
                Message::new()
                    .push(prog)
                    .push(b": option requires an argument -- '")
                    .push(&[c])
                    .push(b"'\n")
                    .send();
            }
            g.optopt = c_int::from(c);
            return c_int::from(if colon { b':' } else { b'?' });
        } else {
            // SAFETY: `optind < argc`.
            g.optarg = unsafe { *argv.add(g.optind as usize) };
            g.optind += 1;
        }
        st.nextchar = 0;
    }
    c_int::from(c)
}

/// The index of the long option `name` (up to any `=`) in `options`: an
/// exact match, else the only entry it is a prefix of (or several that
/// are all the same option); `Err(())` if ambiguous.
///
/// # Safety
///
/// `options` must end with an entry whose name is NULL.
unsafe fn find_long(options: *const LongOpt, word: &[u8]) -> Option<Result<usize, ()>> {
    let name = word.split(|&b| b == b'=').next().unwrap_or(word);
    let mut found: Option<usize> = None;
    let mut ambiguous = false;
    let mut i = 0;
    loop {
        // SAFETY: the table ends with a NULL name, not reached yet.
        let o = unsafe { *options.add(i) };
        if o.name.is_null() {
            break;
        }
        // SAFETY: a long option's name is a NUL-terminated string.
        let full = unsafe { bytes(o.name) };
        if full == name {
            return Some(Ok(i));
        }
        if full.starts_with(name) {
            match found {
                None => found = Some(i),
                Some(j) => {
                    // SAFETY: `j < i`, inside the table.
                    let p = unsafe { *options.add(j) };
                    if p.has_arg != o.has_arg || p.flag != o.flag || p.val != o.val {
                        ambiguous = true;
                    }
                }
            }
        }
        i += 1;
    }
    if ambiguous {
        return Some(Err(()));
    }
    found.map(Ok)
}

/// Adds ` '--name'` for each option an ambiguous `word` may mean: the
/// first it is a prefix of, and every later one that differs from it.
///
/// # Safety
///
/// `options` must end with an entry whose name is NULL.
unsafe fn push_candidates(m: &mut Message, options: *const LongOpt, word: &[u8], prefix: &[u8]) {
    let name = word.split(|&b| b == b'=').next().unwrap_or(word);
    let mut first: Option<LongOpt> = None;
    let mut i = 0;
    loop {
        // SAFETY: the table ends with a NULL name, not reached yet.
        let o = unsafe { *options.add(i) };
        if o.name.is_null() {
            break;
        }
        // SAFETY: a long option's name is a NUL-terminated string.
        let full = unsafe { bytes(o.name) };
        if full.starts_with(name) {
            let differs =
                first.is_none_or(|f| f.has_arg != o.has_arg || f.flag != o.flag || f.val != o.val);
            if first.is_none() {
                first = Some(o);
            }
            if differs {
                m.push(b" '").push(prefix).push(full).push(b"'");
            }
        }
        i += 1;
    }
}

/// A long option at `argv[optind]`, its name starting at byte `skip`.
///
/// # Safety
///
/// As [`parse`].
#[allow(clippy::too_many_arguments)]
unsafe fn parse_long(
    g: &mut Globals,
    argc: c_int,
    argv: *mut *mut c_char,
    prog: &[u8],
    skip: usize,
    long: &Long,
    colon: bool,
    report: bool,
) -> c_int {
    // SAFETY: `optind < argc`.
    let word_ptr = unsafe { *argv.add(g.optind as usize) };
    // SAFETY: an element of `argv` is a NUL-terminated string.
    let word = unsafe { bytes(word_ptr) };
    let body = &word[skip..];
    let prefix = &word[..skip];
    g.optind += 1;
    // SAFETY: the table's contract.
    let Some(found) = (unsafe { find_long(long.options, body) }) else {
        if report {
            Message::new()
                .push(prog)
                .push(b": unrecognized option '")
                .push(word)
                .push(b"'\n")
                .send();
        }
        g.optopt = 0;
        return c_int::from(b'?');
    };
    let Ok(index) = found else {
        if report {
            let mut m = Message::new();
            m.push(prog)
                .push(b": option '")
                .push(word)
                .push(b"' is ambiguous; possibilities:");
            // SAFETY: the table's contract.
            unsafe { push_candidates(&mut m, long.options, body, prefix) };
            m.push(b"\n").send();
        }
        g.optopt = 0;
        return c_int::from(b'?');
    };
    // SAFETY: `index` is inside the table.
    let o = unsafe { *long.options.add(index) };
    // SAFETY: the name is a NUL-terminated string.
    let name = unsafe { bytes(o.name) };
    let eq = body.iter().position(|&b| b == b'=');
    match (o.has_arg, eq) {
        (0, Some(_)) => {
            if report {
                Message::new()
                    .push(prog)
                    .push(b": option '")
                    .push(prefix)
                    .push(name)
                    .push(b"' doesn't allow an argument\n")
                    .send();
            }
            g.optopt = o.val;
            return c_int::from(b'?');
        }
        (_, Some(at)) => {
            // SAFETY: just after the '=', inside the word.
            g.optarg = unsafe { word_ptr.add(skip + at + 1) };
        }
        (1, None) => {
            if g.optind < argc {
                // SAFETY: `optind < argc`.
                g.optarg = unsafe { *argv.add(g.optind as usize) };
                g.optind += 1;
            } else {
                if report {
                    Message::new()
                        .push(prog)
                        .push(b": option '")
                        .push(prefix)
                        .push(name)
                        .push(b"' requires an argument\n")
                        .send();
                }
                g.optopt = o.val;
                return c_int::from(if colon { b':' } else { b'?' });
            }
        }
        _ => g.optarg = ptr::null_mut(),
    }
    if !long.index.is_null() {
        // SAFETY: a non-null `longindex` points to an `int` (caller).
        unsafe { *long.index = index as c_int };
    }
    if o.flag.is_null() {
        o.val
    } else {
        // SAFETY: a non-null `flag` points to an `int` (the table's contract).
        unsafe { *o.flag = o.val };
        0
    }
}

/// The next option character of `argv` (see the module's documentation),
/// or -1 when the options are over.
///
/// # Safety
///
/// `argv` must hold `argc` NUL-terminated strings, `optstring` be a
/// NUL-terminated string; not thread-safe (the globals are shared).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn getopt(
    argc: c_int,
    argv: *const *mut c_char,
    optstring: *const c_char,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { parse(argc, argv, optstring, None) }
}

#[cfg(test)]
mod tests;
