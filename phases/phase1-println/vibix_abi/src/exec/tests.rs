//! Host tests of the pure parts of `exec`: packing string arrays (also
//! under Miri, which checks every pointer stays inside its buffer), the
//! `PATH` search's candidates and its error rule.

use super::*;
use std::ffi::CStr;
use std::vec;
use std::vec::Vec;

/// Packs `items` into fresh buffers, as std does before `fork`.
fn packed<'a, I, P>(items: I) -> (Vec<u8>, Vec<*const c_char>)
where
    I: IntoIterator<Item = P> + Clone,
    P: IntoIterator<Item = &'a [u8]>,
{
    let size = packed_size(items.clone());
    let mut bytes = vec![0xffu8; size.bytes];
    let mut pointers = vec![core::ptr::dangling::<c_char>(); size.pointers];
    pack(items, &mut bytes, &mut pointers).unwrap();
    (bytes, pointers)
}

/// Reads a packed array back through its pointers, as `execve` would.
fn strings(pointers: &[*const c_char]) -> Vec<Vec<u8>> {
    let (last, items) = pointers.split_last().unwrap();
    assert!(last.is_null(), "the array ends with a null pointer");
    items
        .iter()
        // SAFETY: each pointer is one `pack` wrote into a live buffer.
        .map(|&p| unsafe { CStr::from_ptr(p) }.to_bytes().to_vec())
        .collect()
}

#[test]
fn argv_round_trips() {
    let args: [&[u8]; 3] = [b"/bin/prog", b"two words", b""];
    let (bytes, pointers) = packed(args.iter().map(|a| [*a]));
    assert_eq!(bytes, b"/bin/prog\0two words\0\0");
    assert_eq!(pointers.len(), 4);
    assert_eq!(strings(&pointers), args);
}

#[test]
fn env_entries_are_joined() {
    let env: [(&[u8], &[u8]); 2] = [(b"HOME", b"/"), (b"EMPTY", b"")];
    let (bytes, pointers) = packed(env.iter().map(|(k, v)| [*k, &b"="[..], *v]));
    assert_eq!(bytes, b"HOME=/\0EMPTY=\0");
    assert_eq!(strings(&pointers), [&b"HOME=/"[..], b"EMPTY="]);
}

#[test]
fn empty_array_is_one_null_pointer() {
    let none: [[&[u8]; 1]; 0] = [];
    assert_eq!(
        packed_size(none),
        PackedSize {
            bytes: 0,
            pointers: 1
        }
    );
    let (bytes, pointers) = packed(none);
    assert!(bytes.is_empty());
    assert_eq!(pointers, [core::ptr::null()]);
}

#[test]
fn nul_and_wrong_sizes_are_refused() {
    let mut bytes = [0u8; 4];
    let mut pointers = [core::ptr::null::<c_char>(); 2];
    assert_eq!(
        pack([[&b"a\0b"[..]]], &mut bytes, &mut pointers),
        Err(PackError::Nul)
    );
    // One byte short, one byte long, a pointer short, a pointer long.
    let item = [[&b"abc"[..]]];
    assert_eq!(
        pack(item, &mut [0u8; 3], &mut pointers),
        Err(PackError::Size)
    );
    assert_eq!(
        pack(item, &mut [0u8; 5], &mut pointers),
        Err(PackError::Size)
    );
    assert_eq!(
        pack(item, &mut bytes, &mut [core::ptr::null(); 1]),
        Err(PackError::Size)
    );
    assert_eq!(
        pack(item, &mut bytes, &mut [core::ptr::null(); 3]),
        Err(PackError::Size)
    );
    assert_eq!(pack(item, &mut bytes, &mut pointers), Ok(()));
}

/// The candidates as whole paths.
fn candidates(program: &str, path: Option<&str>) -> Vec<String> {
    search_path(program.as_bytes(), path.map(str::as_bytes))
        .map(|parts| String::from_utf8(parts.concat()).unwrap())
        .collect()
}

use std::string::String;

#[test]
fn a_slash_means_no_search() {
    assert_eq!(candidates("/bin/ls", Some("/x:/y")), ["/bin/ls"]);
    assert_eq!(candidates("./prog", None), ["./prog"]);
    assert_eq!(candidates("sub/prog", Some("/x")), ["sub/prog"]);
    assert_eq!(candidates("", Some("/x")), [""]);
}

#[test]
fn path_is_searched_in_order() {
    assert_eq!(candidates("ls", Some("/a:/b/c")), ["/a/ls", "/b/c/ls"]);
    // Empty entries are the current directory, wherever they are.
    assert_eq!(candidates("ls", Some(":/a::")), ["ls", "/a/ls", "ls", "ls"]);
    assert_eq!(candidates("ls", Some("")), ["ls"]);
    // No PATH: C's default.
    assert_eq!(candidates("ls", None), ["/bin/ls", "/usr/bin/ls"]);
}

#[test]
fn candidates_pack() {
    let found = search_path(b"prog", Some(b"/a:/b"));
    let (_bytes, pointers) = packed(found);
    assert_eq!(strings(&pointers), [&b"/a/prog"[..], b"/b/prog"]);
}

#[test]
fn search_reports_like_execvp() {
    let mut s = Search::new();
    assert_eq!(s.error(), Errno::ENOENT, "no candidate at all");
    assert!(s.failed(Errno::ENOENT));
    assert!(s.failed(Errno::ENOTDIR));
    assert_eq!(s.error(), Errno::ENOTDIR);

    let mut s = Search::new();
    assert!(s.failed(Errno::EACCES));
    assert!(s.failed(Errno::ENOENT));
    assert_eq!(s.error(), Errno::EACCES, "a later miss keeps the EACCES");

    let mut s = Search::new();
    assert!(s.failed(Errno::EACCES));
    assert!(
        !s.failed(Errno::ENOEXEC),
        "a file that is not a program stops"
    );
    assert_eq!(s.error(), Errno::ENOEXEC);

    let mut s = Search::new();
    assert!(!s.failed(Errno::E2BIG));
    assert_eq!(s.error(), Errno::E2BIG);
}
