//! Where a needed library is looked for, in glibc's order: a name with a
//! `/` is a path and used as it is; otherwise each directory of
//! `LD_LIBRARY_PATH`, then of the needing object's `DT_RUNPATH`, then the
//! default directory `/lib` (glibc's `/lib` and `/usr/lib`: vibix has only
//! the one). Empty entries are skipped (glibc reads them as the current
//! directory); `$ORIGIN` is not expanded.

/// The default directory, searched last.
pub const DEFAULT_DIR: &[u8] = b"/lib";

/// The directories to try for a library needed by an object whose
/// `DT_RUNPATH` is `runpath`, in order. A name containing `/` is not
/// searched for (see [`is_path`]).
pub fn directories<'a>(
    ld_library_path: Option<&'a [u8]>,
    runpath: Option<&'a [u8]>,
) -> impl Iterator<Item = &'a [u8]> {
    let split = |list: Option<&'a [u8]>| {
        list.into_iter()
            .flat_map(|l| l.split(|&c| c == b':'))
            .filter(|d| !d.is_empty())
    };
    split(ld_library_path)
        .chain(split(runpath))
        .chain(core::iter::once(DEFAULT_DIR))
}

/// Whether a `DT_NEEDED` name is a path (it contains a `/`).
pub fn is_path(name: &[u8]) -> bool {
    name.contains(&b'/')
}

/// Writes `dir/name` and a NUL into `buf`; the path without its NUL, or
/// `None` if it does not fit or a part holds a NUL.
pub fn join<'b>(buf: &'b mut [u8], dir: &[u8], name: &[u8]) -> Option<&'b [u8]> {
    if dir.contains(&0) || name.contains(&0) {
        return None;
    }
    let slash = usize::from(!dir.is_empty() && !dir.ends_with(b"/"));
    let len = dir.len() + slash + name.len();
    if len + 1 > buf.len() {
        return None;
    }
    buf[..dir.len()].copy_from_slice(dir);
    if slash == 1 {
        buf[dir.len()] = b'/';
    }
    buf[dir.len() + slash..len].copy_from_slice(name);
    buf[len] = 0;
    Some(&buf[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glibc_s_order() {
        let dirs: Vec<&[u8]> = directories(Some(b"/a::/b"), Some(b"/r")).collect();
        assert_eq!(dirs, [&b"/a"[..], b"/b", b"/r", b"/lib"]);
        let only: Vec<&[u8]> = directories(None, None).collect();
        assert_eq!(only, [DEFAULT_DIR]);
    }

    #[test]
    fn paths_are_joined_with_one_slash() {
        let mut buf = [0u8; 16];
        assert_eq!(
            join(&mut buf, b"/lib", b"libc.so"),
            Some(&b"/lib/libc.so"[..])
        );
        assert_eq!(buf[12], 0);
        assert_eq!(join(&mut buf, b"/lib/", b"x"), Some(&b"/lib/x"[..]));
        assert_eq!(join(&mut buf, b"/a", b"0123456789abc"), None, "too long");
        assert!(is_path(b"./x.so") && !is_path(b"libx.so"));
    }
}
