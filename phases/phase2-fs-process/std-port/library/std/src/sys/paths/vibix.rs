//! vibix: the paths `std::env` knows: the working directory (`getcwd`,
//! `chdir`), `PATH`-style lists (`:`-separated, as on every Unix), the
//! temporary and home directories (from `TMPDIR` and `HOME`), and
//! `current_exe`.
//!
//! `current_exe` on Linux reads the link `/proc/self/exe`. vibix has no
//! `/proc`: the answer is the path the program was started from, which
//! the kernel passes in the auxiliary vector (`AT_EXECFN`), made absolute
//! against the working directory of the moment it started
//! (`vibix_abi::exe`, which keeps that directory at start-up only when the
//! path is relative).

use crate::ffi::{OsStr, OsString};
use crate::path::{Path, PathBuf};
use crate::sys::cvt_abi;
use crate::sys::helpers::run_path_with_cstr;
use crate::{fmt, io};

/// The separator of `PATH`-style lists.
const SEPARATOR: u8 = b':';

pub fn getcwd() -> io::Result<PathBuf> {
    let mut buf = vec![0u8; 512];
    loop {
        match vibix_abi::cwd::getcwd(&mut buf) {
            Ok(len) => {
                buf.truncate(len);
                return Ok(PathBuf::from(crate::sys::os_string(&buf)));
            }
            // Too small: grow (the kernel's limit is PATH_MAX).
            Err(vibix_abi::Errno::ERANGE) if buf.len() < vibix_abi::cwd::PATH_MAX => {
                buf.resize(buf.len() * 2, 0);
            }
            Err(e) => return cvt_abi(Err(e)),
        }
    }
}

pub fn chdir(path: &Path) -> io::Result<()> {
    run_path_with_cstr(path, &|path| cvt_abi(vibix_abi::cwd::chdir(path)))
}

/// The entries of a `PATH`-style list.
pub struct SplitPaths<'a> {
    parts: crate::slice::Split<'a, u8, fn(&u8) -> bool>,
}

pub fn split_paths(unparsed: &OsStr) -> SplitPaths<'_> {
    fn is_separator(b: &u8) -> bool {
        *b == SEPARATOR
    }
    SplitPaths {
        parts: unparsed
            .as_encoded_bytes()
            .split(is_separator as fn(&u8) -> bool),
    }
}

impl<'a> Iterator for SplitPaths<'a> {
    type Item = PathBuf;
    fn next(&mut self) -> Option<PathBuf> {
        self.parts
            .next()
            .map(|part| PathBuf::from(crate::sys::os_string(part)))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.parts.size_hint()
    }
}

#[derive(Debug)]
pub struct JoinPathsError;

pub fn join_paths<I, T>(paths: I) -> Result<OsString, JoinPathsError>
where
    I: Iterator<Item = T>,
    T: AsRef<OsStr>,
{
    let mut joined = Vec::new();
    for (i, path) in paths.enumerate() {
        let path = path.as_ref().as_encoded_bytes();
        if path.contains(&SEPARATOR) {
            return Err(JoinPathsError);
        }
        if i > 0 {
            joined.push(SEPARATOR);
        }
        joined.extend_from_slice(path);
    }
    Ok(crate::sys::os_string(&joined))
}

impl fmt::Display for JoinPathsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "path segment contains separator `{}`",
            char::from(SEPARATOR)
        )
    }
}

impl crate::error::Error for JoinPathsError {}

// ANCHOR: current_exe
pub fn current_exe() -> io::Result<PathBuf> {
    match vibix_abi::exe::current_exe_parts() {
        Some(parts) => {
            let path: Vec<u8> = parts.flatten().copied().collect();
            Ok(PathBuf::from(crate::sys::os_string(&path)))
        }
        None => Err(io::const_error!(
            io::ErrorKind::NotFound,
            "the kernel gave no path for this program (AT_EXECFN)"
        )),
    }
}
// ANCHOR_END: current_exe

pub fn temp_dir() -> PathBuf {
    crate::env::var_os("TMPDIR").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from)
}

/// `HOME`, unless it is unset or empty. (Linux's std then asks the user
/// database; vibix has none.)
pub fn home_dir() -> Option<PathBuf> {
    crate::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
}
