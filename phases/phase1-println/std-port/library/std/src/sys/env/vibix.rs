//! vibix: the environment. It starts as the `KEY=VALUE` strings `_start`
//! found on the initial stack and lives, from the first use on, in a list
//! owned by std (vibix has no C library whose `environ` it would have to
//! share), in the original order, so `std::env::vars` lists the variables
//! the way Linux does. From phase 4, where a Rust program links the C
//! library, std's Unix version over C's `environ` takes this file's place.

pub use super::common::Env;
use crate::ffi::{OsStr, OsString};
use crate::io;
use crate::sync::Mutex;

// ANCHOR: env
/// The variables, in order; `None` until first used.
static ENV: Mutex<Option<Vec<(OsString, OsString)>>> = Mutex::new(None);

fn with_env<R>(f: impl FnOnce(&mut Vec<(OsString, OsString)>) -> R) -> R {
    let mut guard = ENV.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(initial))
}

/// The environment the kernel passed, parsed as C libraries do: the name
/// ends at the first `=` after its first byte; entries without one are
/// skipped; a repeated name keeps its first value.
fn initial() -> Vec<(OsString, OsString)> {
    let mut vars: Vec<(OsString, OsString)> = Vec::new();
    let Some(stack) = vibix_abi::start::recorded() else {
        return vars;
    };
    for entry in stack.env() {
        let entry = entry.to_bytes();
        let Some(eq) = entry.iter().skip(1).position(|&b| b == b'=') else {
            continue;
        };
        let (key, value) = (bytes_to_os(&entry[..eq + 1]), bytes_to_os(&entry[eq + 2..]));
        if !vars.iter().any(|(k, _)| *k == key) {
            vars.push((key, value));
        }
    }
    vars
}
// ANCHOR_END: env

fn bytes_to_os(bytes: &[u8]) -> OsString {
    // SAFETY: on vibix an `OsString` is any sequence of bytes.
    unsafe { OsString::from_encoded_bytes_unchecked(bytes.to_vec()) }
}

pub fn env() -> Env {
    Env::new(with_env(|vars| vars.clone()))
}

pub fn getenv(key: &OsStr) -> Option<OsString> {
    with_env(|vars| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

pub unsafe fn setenv(key: &OsStr, value: &OsStr) -> io::Result<()> {
    with_env(|vars| match vars.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value.to_owned(),
        None => vars.push((key.to_owned(), value.to_owned())),
    });
    Ok(())
}

pub unsafe fn unsetenv(key: &OsStr) -> io::Result<()> {
    with_env(|vars| vars.retain(|(k, _)| k != key));
    Ok(())
}
