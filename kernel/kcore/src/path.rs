//! Path names: splitting them into components and checking their length.
//!
//! Paths are byte strings, as on Linux: any byte but `/` and NUL may appear
//! in a name, and nothing requires UTF-8.

use crate::errno::Errno;

/// Longest path accepted, including the terminating NUL (so a path may have
/// at most `PATH_MAX - 1` bytes), and longest single file name.
pub use vibix_uapi::limits::{NAME_MAX, PATH_MAX};

/// The names in `path`, in order.
///
/// Splits on `/`, skipping empty components (from `//` or a leading or
/// trailing `/`) and `.`. `..` is returned like any other name; resolving it
/// needs the file tree, so that is the caller's job.
///
/// Whether the path was absolute or ended in `/` is not visible here: look at
/// the first and last byte for that.
pub fn components(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
}

/// Checks the length rules Linux applies to every path argument.
///
/// An empty path names nothing (`ENOENT`); a path of `PATH_MAX` bytes or more,
/// or one with a component longer than `NAME_MAX`, is `ENAMETOOLONG`.
pub fn check_path(path: &[u8]) -> Result<(), Errno> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    if path.split(|&b| b == b'/').any(|c| c.len() > NAME_MAX) {
        return Err(Errno::ENAMETOOLONG);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    fn split(path: &str) -> Vec<&str> {
        components(path.as_bytes())
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect()
    }

    #[test]
    fn splits_on_slashes() {
        assert_eq!(split("a/b/c"), ["a", "b", "c"]);
        assert_eq!(split("/usr/bin/env"), ["usr", "bin", "env"]);
    }

    #[test]
    fn skips_empty_and_dot() {
        assert_eq!(split("//a///b//"), ["a", "b"]);
        assert_eq!(split("./a/./b/."), ["a", "b"]);
        assert_eq!(split("/"), Vec::<&str>::new());
        assert_eq!(split("."), Vec::<&str>::new());
        assert_eq!(split(""), Vec::<&str>::new());
    }

    #[test]
    fn keeps_dot_dot_and_dotfiles() {
        assert_eq!(split("a/../b"), ["a", "..", "b"]);
        assert_eq!(split("../.."), ["..", ".."]);
        assert_eq!(split(".hidden/..."), [".hidden", "..."]);
    }

    #[test]
    fn empty_path_is_enoent() {
        assert_eq!(check_path(b""), Err(Errno::ENOENT));
    }

    #[test]
    fn ordinary_paths_pass() {
        assert_eq!(check_path(b"/"), Ok(()));
        assert_eq!(check_path(b"a/b/../c"), Ok(()));
    }

    #[test]
    fn path_length_limit() {
        // Short components, so only the total length matters.
        let ok: Vec<u8> = b"a/".iter().copied().cycle().take(PATH_MAX - 1).collect();
        assert_eq!(check_path(&ok), Ok(()));
        let long: Vec<u8> = b"a/".iter().copied().cycle().take(PATH_MAX).collect();
        assert_eq!(check_path(&long), Err(Errno::ENAMETOOLONG));
    }

    #[test]
    fn name_length_limit() {
        let mut path = b"/dir/".to_vec();
        path.extend(vec![b'x'; NAME_MAX]);
        assert_eq!(check_path(&path), Ok(()));
        path.push(b'x');
        assert_eq!(check_path(&path), Err(Errno::ENAMETOOLONG));
        // Also in the middle of the path.
        path.extend(b"/tail");
        assert_eq!(check_path(&path), Err(Errno::ENAMETOOLONG));
    }
}
