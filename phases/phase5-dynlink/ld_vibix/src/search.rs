//! Where a needed library is looked for, in glibc's order: a name with a
//! `/` is a path and used as it is; otherwise each directory of
//! `LD_LIBRARY_PATH`, then of the needing object's `DT_RUNPATH`, then the
//! default directory `/lib` (glibc's `/lib` and `/usr/lib`: vibix has only
//! the one). Empty entries are skipped (glibc reads them as the current
//! directory). In a directory, `$ORIGIN` (or `${ORIGIN}`) is the directory
//! of the object whose list it is: the needing object for `DT_RUNPATH`,
//! the program for `LD_LIBRARY_PATH`, as in glibc ([`expand`]).

/// The default directory, searched last.
pub const DEFAULT_DIR: &[u8] = b"/lib";

/// A directory to search, and whose `$ORIGIN` it may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dir<'a> {
    pub path: &'a [u8],
    /// From the needing object's `DT_RUNPATH` (its directory is
    /// `$ORIGIN`), not from `LD_LIBRARY_PATH` (the program's is).
    pub from_runpath: bool,
}

/// The directories to try for a library needed by an object whose
/// `DT_RUNPATH` is `runpath`, in order. A name containing `/` is not
/// searched for (see [`is_path`]).
pub fn directories<'a>(
    ld_library_path: Option<&'a [u8]>,
    runpath: Option<&'a [u8]>,
) -> impl Iterator<Item = Dir<'a>> {
    let split = |list: Option<&'a [u8]>, from_runpath: bool| {
        list.into_iter()
            .flat_map(|l| l.split(|&c| c == b':'))
            .filter(|d| !d.is_empty())
            .map(move |path| Dir { path, from_runpath })
    };
    split(ld_library_path, false)
        .chain(split(runpath, true))
        .chain(core::iter::once(Dir {
            path: DEFAULT_DIR,
            from_runpath: false,
        }))
}

/// The directory part of an object's path, which `$ORIGIN` stands for:
/// everything before the last `/` (`/` for an object in the root), or
/// `.` for a bare name.
pub fn origin(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&c| c == b'/') {
        Some(0) => b"/",
        Some(i) => &path[..i],
        None => b".",
    }
}

// ANCHOR: expand
/// Writes `dir` into `buf` with every `${ORIGIN}`, and every `$ORIGIN`
/// that ends the directory or a part of it (glibc's rule: `$ORIGINAL`
/// stays as it is), replaced by `origin`; the result, or `None` if it
/// does not fit.
pub fn expand<'b>(buf: &'b mut [u8], dir: &[u8], origin: &[u8]) -> Option<&'b [u8]> {
    let token = |rest: &[u8]| -> Option<usize> {
        if rest.starts_with(b"${ORIGIN}") {
            return Some(9);
        }
        let after = rest.strip_prefix(b"$ORIGIN")?;
        matches!(after.first(), None | Some(b'/')).then_some(7)
    };
    let mut len = 0;
    let mut rest = dir;
    while !rest.is_empty() {
        let (piece, skip) = match token(rest) {
            Some(n) => (origin, n),
            None => (&rest[..1], 1),
        };
        buf.get_mut(len..len + piece.len())?.copy_from_slice(piece);
        len += piece.len();
        rest = &rest[skip..];
    }
    Some(&buf[..len])
}
// ANCHOR_END: expand

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
        let dirs: Vec<(&[u8], bool)> = directories(Some(b"/a::/b"), Some(b"/r"))
            .map(|d| (d.path, d.from_runpath))
            .collect();
        assert_eq!(
            dirs,
            [
                (&b"/a"[..], false),
                (b"/b", false),
                (b"/r", true),
                (b"/lib", false)
            ]
        );
        let only: Vec<&[u8]> = directories(None, None).map(|d| d.path).collect();
        assert_eq!(only, [DEFAULT_DIR]);
    }

    #[test]
    fn origin_is_the_object_s_directory() {
        assert_eq!(origin(b"/tmp/x/prog"), b"/tmp/x");
        assert_eq!(origin(b"/prog"), b"/");
        assert_eq!(origin(b"bin/prog"), b"bin");
        assert_eq!(origin(b"prog"), b".");
    }

    #[test]
    fn origin_is_expanded_in_both_spellings() {
        let mut buf = [0u8; 64];
        let mut e = |dir: &[u8]| expand(&mut buf, dir, b"/o").map(<[u8]>::to_vec);
        assert_eq!(e(b"$ORIGIN"), Some(b"/o".to_vec()));
        assert_eq!(e(b"$ORIGIN/../lib"), Some(b"/o/../lib".to_vec()));
        assert_eq!(e(b"${ORIGIN}/x:$ORIGIN"), Some(b"/o/x:/o".to_vec()));
        assert_eq!(e(b"/plain"), Some(b"/plain".to_vec()));
        assert_eq!(e(b"$ORIGINAL"), Some(b"$ORIGINAL".to_vec()), "not the name");
        assert_eq!(e(b"${ORIGIN}AL"), Some(b"/oAL".to_vec()));
        assert_eq!(e(b"$OTHER"), Some(b"$OTHER".to_vec()));
        let mut small = [0u8; 3];
        assert_eq!(expand(&mut small, b"$ORIGIN/x", b"/o"), None, "too long");
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
