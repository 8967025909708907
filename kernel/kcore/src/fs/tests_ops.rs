//! Tests for changing the tree: open/create, data, unlink, rmdir, link,
//! symlink, rename, listings, open references, and the invariants that
//! must survive any sequence of them.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::dirent::{NAME_OFFSET, record_len};
use super::ops::*;
use super::*;
use crate::test_util::Rng;

const O_WRONLY: u32 = 0o1;
const O_RDWR: u32 = 0o2;

/// ```text
/// /d/            /d/sub/        /d/file ("data")
/// /f  ("hello")  /lf -> f       /ld -> d       /dang -> nowhere
/// /empty/
/// ```
struct Fixture {
    tree: Tree,
    d: Ino,
    sub: Ino,
    f: Ino,
    empty: Ino,
}

fn fixture() -> Fixture {
    let mut tree = Tree::new();
    let d = tree.mkdir_at(ROOT, b"d", 0o755).unwrap();
    let sub = tree.mkdir_at(ROOT, b"d/sub", 0o755).unwrap();
    tree.create(d, b"file", NodeKind::File(b"data".to_vec().into()), 0o644)
        .unwrap();
    let f = tree
        .create(ROOT, b"f", NodeKind::File(b"hello".to_vec().into()), 0o644)
        .unwrap();
    tree.symlink_at(b"f", ROOT, b"lf").unwrap();
    tree.symlink_at(b"d", ROOT, b"ld").unwrap();
    tree.symlink_at(b"nowhere", ROOT, b"dang").unwrap();
    let empty = tree.mkdir_at(ROOT, b"empty", 0o755).unwrap();
    check_invariants(&tree);
    Fixture {
        tree,
        d,
        sub,
        f,
        empty,
    }
}

fn data(tree: &Tree, ino: Ino) -> Vec<u8> {
    match &tree.node(ino).kind {
        NodeKind::File(data) => data.bytes().unwrap().into_owned(),
        other => panic!("not a file: {other:?}"),
    }
}

/// Every link count, parent pointer, byte count and free slot agrees with
/// the directory entries.
fn check_invariants(tree: &Tree) {
    let mut names: BTreeMap<Ino, u32> = BTreeMap::new();
    let mut subdirs: BTreeMap<Ino, u32> = BTreeMap::new();
    let mut used = 0;
    for (ino, slot) in tree.nodes.iter().enumerate() {
        let Some(node) = slot else {
            assert!(tree.free.contains(&ino), "slot {ino} empty but not free");
            continue;
        };
        assert!(!tree.free.contains(&ino), "slot {ino} used and free");
        if let NodeKind::File(bytes) = &node.kind {
            used += bytes.len();
        }
        if let Some(entries) = node.entries() {
            for (_, child) in entries.iter() {
                *names.entry(child).or_default() += 1;
                if tree.node(child).is_dir() {
                    *subdirs.entry(ino).or_default() += 1;
                    assert_eq!(tree.node(child).parent, ino, "parent of dir {child}");
                }
            }
        }
    }
    assert_eq!(tree.used, used, "used bytes");
    for (ino, slot) in tree.nodes.iter().enumerate() {
        let Some(node) = slot else { continue };
        let names = names.get(&ino).copied().unwrap_or(0);
        if node.is_dir() {
            if ino == ROOT || names > 0 {
                assert_eq!(names, if ino == ROOT { 0 } else { 1 }, "dir {ino} names");
                let sub = subdirs.get(&ino).copied().unwrap_or(0);
                assert_eq!(node.nlink, 2 + sub, "nlink of dir {ino}");
            } else {
                assert!(node.is_removed_dir(), "unnamed dir {ino} not removed");
                assert!(node.entries().unwrap().is_empty());
                assert!(node.open_count() > 0, "removed dir {ino} kept but not open");
            }
        } else {
            assert_eq!(node.nlink, names, "nlink of {ino}");
            assert!(names > 0 || node.open_count() > 0, "{ino} leaked");
        }
    }
}

// ---- open and create ----

#[test]
fn open_creates_regular_files() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let new = tree.open(ROOT, b"new", O_CREAT | O_WRONLY, 0o640).unwrap();
    assert_eq!(tree.node(new).kind, NodeKind::File(FileData::new()));
    assert_eq!(tree.node(new).mode, 0o640);
    assert_eq!(tree.node(new).nlink, 1);
    // Again: the same file, not a new one; with O_EXCL: EEXIST.
    assert_eq!(tree.open(ROOT, b"new", O_CREAT | O_RDWR, 0), Ok(new));
    assert_eq!(
        tree.open(ROOT, b"new", O_CREAT | O_EXCL | O_RDWR, 0),
        Err(Errno::EEXIST)
    );
    // Only the permission bits are kept.
    let all = tree.open(t.d, b"all", O_CREAT, 0o177777).unwrap();
    assert_eq!(tree.node(all).mode, 0o7777);
    assert_eq!(tree.lookup(ROOT, b"/d/all", false), Ok(all));
    check_invariants(tree);
}

#[test]
fn open_follows_symlinks_unless_told_not_to() {
    let mut t = fixture();
    let tree = &mut t.tree;
    assert_eq!(tree.open(ROOT, b"lf", O_RDONLY, 0), Ok(t.f));
    assert_eq!(tree.open(ROOT, b"ld", O_DIRECTORY, 0), Ok(t.d));
    assert_eq!(tree.open(ROOT, b"lf", O_NOFOLLOW, 0), Err(Errno::ELOOP));
    // O_DIRECTORY is checked first.
    assert_eq!(
        tree.open(ROOT, b"ld", O_DIRECTORY | O_NOFOLLOW, 0),
        Err(Errno::ENOTDIR)
    );
    // A trailing slash follows the link anyway.
    assert_eq!(tree.open(ROOT, b"ld/", O_NOFOLLOW, 0), Ok(t.d));
    // O_EXCL does not follow: the link exists, dangling or not.
    for link in [&b"lf"[..], b"dang"] {
        assert_eq!(
            tree.open(ROOT, link, O_CREAT | O_EXCL | O_WRONLY, 0o644),
            Err(Errno::EEXIST)
        );
    }
    assert_eq!(
        tree.open(ROOT, b"dang", O_CREAT | O_NOFOLLOW | O_WRONLY, 0o644),
        Err(Errno::ELOOP)
    );
}

#[test]
fn open_creat_through_a_dangling_link_creates_its_target() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let ino = tree.open(ROOT, b"dang", O_CREAT | O_WRONLY, 0o600).unwrap();
    assert_eq!(tree.lookup(ROOT, b"/nowhere", false), Ok(ino));
    assert_eq!(tree.lookup(ROOT, b"/dang", true), Ok(ino));
    // A link into a missing directory stays ENOENT.
    tree.symlink_at(b"no/such", ROOT, b"deep").unwrap();
    assert_eq!(
        tree.open(ROOT, b"deep", O_CREAT | O_WRONLY, 0o600),
        Err(Errno::ENOENT)
    );
    check_invariants(tree);
}

#[test]
fn open_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let cases: [(&[u8], u32, Errno); 14] = [
        (b"d", O_WRONLY, Errno::EISDIR),
        (b"d", O_RDWR, Errno::EISDIR),
        (b"d", O_CREAT, Errno::EISDIR),
        (b"d/", O_CREAT, Errno::EISDIR),
        (b"d", O_TRUNC, Errno::EISDIR),
        (b"new/", O_CREAT | O_WRONLY, Errno::EISDIR),
        (b"new/", O_CREAT | O_EXCL | O_WRONLY, Errno::EISDIR),
        (b"f", O_DIRECTORY, Errno::ENOTDIR),
        (b"f/", O_RDONLY, Errno::ENOTDIR),
        (b"f/x", O_CREAT | O_WRONLY, Errno::ENOTDIR),
        (b"missing", O_RDONLY, Errno::ENOENT),
        (b"missing/x", O_CREAT | O_WRONLY, Errno::ENOENT),
        (b"", O_CREAT | O_WRONLY, Errno::ENOENT),
        (b"x", O_CREAT | O_DIRECTORY, Errno::EINVAL),
    ];
    for (path, flags, err) in cases {
        assert_eq!(
            tree.open(ROOT, path, flags, 0o644),
            Err(err),
            "{:?} {flags:#o}",
            core::str::from_utf8(path)
        );
    }
    let long = vec![b'n'; 256];
    assert_eq!(
        tree.open(ROOT, &long, O_CREAT | O_WRONLY, 0o644),
        Err(Errno::ENAMETOOLONG)
    );
    // Directories open read-only.
    assert_eq!(tree.open(ROOT, b"d", O_RDONLY, 0), Ok(t.d));
    assert_eq!(tree.open(ROOT, b"d/.", O_DIRECTORY, 0), Ok(t.d));
    check_invariants(tree);
}

#[test]
fn open_trunc_empties_files_even_read_only() {
    let mut t = fixture();
    let tree = &mut t.tree;
    assert_eq!(tree.open(ROOT, b"f", O_RDONLY, 0), Ok(t.f));
    assert_eq!(data(tree, t.f), b"hello");
    assert_eq!(tree.open(ROOT, b"f", O_RDONLY | O_TRUNC, 0), Ok(t.f));
    assert_eq!(data(tree, t.f), b"");
    assert_eq!(tree.used_bytes(), 4); // d/file's "data"
    check_invariants(tree);
}

// ---- file data ----

#[test]
fn writes_grow_files_and_fill_gaps_with_zeros() {
    let mut t = fixture();
    let tree = &mut t.tree;
    assert_eq!(tree.write_at(t.f, 0, b"J"), Ok(1));
    assert_eq!(data(tree, t.f), b"Jello");
    assert_eq!(tree.write_at(t.f, 8, b"!!"), Ok(2));
    assert_eq!(data(tree, t.f), b"Jello\0\0\0!!");
    // Writing nothing never extends.
    assert_eq!(tree.write_at(t.f, 100, b""), Ok(0));
    assert_eq!(tree.node(t.f).size(), 10);

    let mut buf = [0xffu8; 4];
    assert_eq!(tree.read_at(t.f, 3, &mut buf), Ok(4));
    assert_eq!(&buf, b"lo\0\0");
    assert_eq!(tree.read_at(t.f, 8, &mut buf), Ok(2));
    assert_eq!(tree.read_at(t.f, 10, &mut buf), Ok(0));
    assert_eq!(tree.read_at(t.f, u64::MAX, &mut buf), Ok(0));
    check_invariants(tree);
}

#[test]
fn truncate_cuts_and_extends() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.truncate(t.f, 2).unwrap();
    assert_eq!(data(tree, t.f), b"he");
    tree.truncate(t.f, 4).unwrap();
    assert_eq!(data(tree, t.f), b"he\0\0");
    tree.truncate(t.f, 0).unwrap();
    assert_eq!(data(tree, t.f), b"");
    check_invariants(tree);
}

#[test]
fn data_operations_need_a_regular_file() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let link = tree.lookup(ROOT, b"lf", false).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(tree.read_at(t.d, 0, &mut buf), Err(Errno::EISDIR));
    assert_eq!(tree.write_at(t.d, 0, b"x"), Err(Errno::EISDIR));
    assert_eq!(tree.truncate(t.d, 0), Err(Errno::EISDIR));
    assert_eq!(tree.read_at(link, 0, &mut buf), Err(Errno::EINVAL));
    assert_eq!(tree.write_at(link, 0, b""), Err(Errno::EINVAL));
    assert_eq!(tree.truncate(link, 0), Err(Errno::EINVAL));
}

#[test]
fn capacity_limits_file_data() {
    let mut t = fixture();
    let tree = &mut t.tree;
    assert_eq!(tree.used_bytes(), 9); // "hello" + "data"
    tree.set_capacity(20);
    assert_eq!(tree.write_at(t.f, 0, &[1; 16]), Ok(16)); // 16 + 4
    assert_eq!(tree.write_at(t.f, 16, b"x"), Err(Errno::ENOSPC));
    assert_eq!(tree.truncate(t.f, 17), Err(Errno::ENOSPC));
    assert_eq!(tree.write_at(t.f, u64::MAX - 1, b"xx"), Err(Errno::ENOSPC));
    assert_eq!(tree.node(t.f).size(), 16, "a failed write changes nothing");
    // Overwriting within the file needs no room.
    assert_eq!(tree.write_at(t.f, 0, &[2; 16]), Ok(16));
    assert_eq!(
        tree.open(ROOT, b"new", O_CREAT | O_WRONLY, 0o644)
            .map(|_| ()),
        Ok(())
    );
    assert_eq!(
        tree.create(ROOT, b"big", NodeKind::File(vec![0; 1].into()), 0o644),
        Err(Errno::ENOSPC)
    );
    // Freed data makes room again.
    tree.unlink_at(ROOT, b"f").unwrap();
    assert_eq!(tree.used_bytes(), 4);
    assert_eq!(tree.write_at(t.sub, 0, b"x"), Err(Errno::EISDIR));
    check_invariants(tree);
}

// ---- open references ----

#[test]
fn an_open_file_outlives_its_names() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.open_ref(t.f);
    tree.unlink_at(ROOT, b"f").unwrap();
    assert_eq!(tree.lookup(ROOT, b"f", true), Err(Errno::ENOENT));
    assert_eq!(tree.lookup(ROOT, b"lf", true), Err(Errno::ENOENT));
    // Still there for whoever has it open.
    assert_eq!(tree.node(t.f).nlink, 0);
    assert_eq!(tree.write_at(t.f, 5, b"!"), Ok(1));
    assert_eq!(data(tree, t.f), b"hello!");
    check_invariants(tree);
    // Nameless files cannot get a name back.
    assert_eq!(tree.link(t.f, ROOT, b"back"), Err(Errno::ENOENT));

    let count = tree.node_count();
    assert!(tree.close_ref(t.f), "the last close frees it");
    assert!(tree.get(t.f).is_none());
    assert_eq!(tree.node_count(), count - 1);
    assert_eq!(tree.used_bytes(), 4);
    // The slot is reused.
    let again = tree
        .open(ROOT, b"again", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    assert_eq!(again, t.f);
    check_invariants(tree);
}

#[test]
fn closing_a_named_file_frees_nothing() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.open_ref(t.f);
    tree.open_ref(t.f);
    assert_eq!(tree.node(t.f).open_count(), 2);
    assert!(!tree.close_ref(t.f));
    tree.unlink_at(ROOT, b"f").unwrap();
    assert!(tree.get(t.f).is_some());
    assert!(tree.close_ref(t.f));
    check_invariants(tree);
}

#[test]
#[should_panic(expected = "close_ref without open_ref")]
fn close_ref_without_open_ref_panics() {
    let mut t = fixture();
    t.tree.close_ref(t.f);
}

// ---- unlink ----

#[test]
fn unlink_removes_names() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.unlink_at(ROOT, b"d/file").unwrap();
    assert_eq!(tree.lookup(ROOT, b"d/file", true), Err(Errno::ENOENT));
    // A symlink goes, not its target.
    tree.unlink_at(ROOT, b"lf").unwrap();
    assert_eq!(tree.lookup(ROOT, b"f", true), Ok(t.f));
    tree.unlink_at(ROOT, b"dang").unwrap();
    assert_eq!(tree.used_bytes(), 5);
    check_invariants(tree);
}

#[test]
fn unlink_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let cases: [(&[u8], Errno); 13] = [
        (b"d", Errno::EISDIR),
        (b"d/", Errno::EISDIR),
        (b"d/.", Errno::EISDIR),
        (b"d/..", Errno::EISDIR),
        (b".", Errno::EISDIR),
        (b"/", Errno::EISDIR),
        (b"f/", Errno::ENOTDIR),
        (b"ld/", Errno::ENOTDIR),
        (b"lf/", Errno::ENOTDIR),
        (b"missing", Errno::ENOENT),
        (b"missing/", Errno::ENOENT),
        (b"missing/x", Errno::ENOENT),
        (b"f/x", Errno::ENOTDIR),
    ];
    for (path, err) in cases {
        assert_eq!(
            tree.unlink_at(ROOT, path),
            Err(err),
            "{:?}",
            core::str::from_utf8(path)
        );
    }
    assert_eq!(tree.unlink(t.f, b"x"), Err(Errno::ENOTDIR));
    check_invariants(tree);
}

// ---- mkdir and rmdir ----

#[test]
fn mkdir_counts_links_and_masks_the_mode() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let before = tree.node(t.d).nlink;
    let x = tree.mkdir_at(t.d, b"x/", 0o7777).unwrap();
    assert_eq!(tree.node(x).mode, 0o1777, "setuid and setgid go");
    assert_eq!(tree.node(x).nlink, 2);
    assert_eq!(tree.node(x).parent, t.d);
    assert_eq!(tree.node(t.d).nlink, before + 1);
    check_invariants(tree);
}

#[test]
fn mkdir_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let cases: [(&[u8], Errno); 11] = [
        (b"d", Errno::EEXIST),
        (b"d/", Errno::EEXIST),
        (b"f", Errno::EEXIST),
        (b"ld", Errno::EEXIST),
        (b"dang", Errno::EEXIST),
        (b".", Errno::EEXIST),
        (b"..", Errno::EEXIST),
        (b"/", Errno::EEXIST),
        (b"f/x", Errno::ENOTDIR),
        (b"missing/x", Errno::ENOENT),
        (b"", Errno::ENOENT),
    ];
    for (path, err) in cases {
        assert_eq!(
            tree.mkdir_at(ROOT, path, 0o755),
            Err(err),
            "{:?}",
            core::str::from_utf8(path)
        );
    }
    check_invariants(tree);
}

#[test]
fn rmdir_removes_empty_directories() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let before = tree.node(ROOT).nlink;
    tree.rmdir_at(ROOT, b"empty/").unwrap();
    assert_eq!(tree.lookup(ROOT, b"empty", true), Err(Errno::ENOENT));
    assert!(tree.get(t.empty).is_none());
    assert_eq!(tree.node(ROOT).nlink, before - 1);
    tree.rmdir_at(t.d, b"sub").unwrap();
    check_invariants(tree);
}

#[test]
fn rmdir_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let cases: [(&[u8], Errno); 12] = [
        (b"/", Errno::EBUSY),
        (b"//", Errno::EBUSY),
        (b".", Errno::EINVAL),
        (b"d/.", Errno::EINVAL),
        (b"d/sub/..", Errno::ENOTEMPTY),
        (b"d", Errno::ENOTEMPTY),
        (b"f", Errno::ENOTDIR),
        (b"f/", Errno::ENOTDIR),
        (b"ld", Errno::ENOTDIR),
        (b"ld/", Errno::ENOTDIR),
        (b"missing", Errno::ENOENT),
        (b"f/x", Errno::ENOTDIR),
    ];
    for (path, err) in cases {
        assert_eq!(
            tree.rmdir_at(ROOT, path),
            Err(err),
            "{:?}",
            core::str::from_utf8(path)
        );
    }
    check_invariants(tree);
}

#[test]
fn a_removed_directory_lives_on_while_open() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.open_ref(t.empty); // a working directory, say
    tree.rmdir_at(ROOT, b"empty").unwrap();
    let node = tree.node(t.empty);
    assert!(node.is_removed_dir());
    assert_eq!(node.nlink, 0);
    // `.` still resolves, `..` stays put, nothing else exists or can.
    assert_eq!(tree.lookup(t.empty, b".", true), Ok(t.empty));
    assert_eq!(tree.lookup(t.empty, b"..", true), Ok(t.empty));
    assert_eq!(tree.lookup(t.empty, b"x", true), Err(Errno::ENOENT));
    assert_eq!(
        tree.open(t.empty, b"x", O_CREAT | O_WRONLY, 0o644),
        Err(Errno::ENOENT)
    );
    assert_eq!(tree.mkdir_at(t.empty, b"x", 0o755), Err(Errno::ENOENT));
    assert_eq!(tree.symlink_at(b"t", t.empty, b"x"), Err(Errno::ENOENT));
    assert_eq!(
        tree.link_at(ROOT, b"f", t.empty, b"x", false),
        Err(Errno::ENOENT)
    );
    assert_eq!(tree.readdir(t.empty, 0).err(), Some(Errno::ENOENT));
    // Absolute paths still work from it.
    assert_eq!(tree.lookup(t.empty, b"/f", true), Ok(t.f));
    check_invariants(tree);
    assert!(tree.close_ref(t.empty));
    check_invariants(tree);
}

// ---- link ----

#[test]
fn hard_links_share_the_node() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.link_at(ROOT, b"f", t.d, b"hard", false).unwrap();
    assert_eq!(tree.lookup(ROOT, b"d/hard", true), Ok(t.f));
    assert_eq!(tree.node(t.f).nlink, 2);
    tree.write_at(t.f, 0, b"J").unwrap();
    tree.unlink_at(ROOT, b"f").unwrap();
    assert_eq!(tree.node(t.f).nlink, 1);
    assert_eq!(data(tree, t.f), b"Jello");
    // Linking a symlink links the symlink itself.
    tree.link_at(ROOT, b"lf", ROOT, b"lf2", false).unwrap();
    let lf = tree.lookup(ROOT, b"lf", false).unwrap();
    assert_eq!(tree.lookup(ROOT, b"lf2", false), Ok(lf));
    assert_eq!(tree.node(lf).nlink, 2);
    check_invariants(tree);
}

#[test]
fn link_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let cases: [(&[u8], &[u8], Errno); 10] = [
        (b"d", b"d2", Errno::EPERM),
        (b"f", b"f", Errno::EEXIST),
        (b"f", b"d/", Errno::EEXIST),
        (b"f", b".", Errno::EEXIST),
        (b"f", b"/", Errno::EEXIST),
        (b"d", b"f", Errno::EEXIST), // the new name is checked first
        (b"missing", b"x", Errno::ENOENT),
        (b"f/", b"x", Errno::ENOTDIR),
        (b"f", b"new/", Errno::ENOENT),
        (b"f", b"missing/x", Errno::ENOENT),
    ];
    for (old, new, err) in cases {
        assert_eq!(
            tree.link_at(ROOT, old, ROOT, new, false),
            Err(err),
            "{:?} {:?}",
            core::str::from_utf8(old),
            core::str::from_utf8(new)
        );
    }
    check_invariants(tree);
}

// ---- symlink and readlink ----

#[test]
fn symlinks_hold_any_target() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let l = tree.symlink_at(b"../../x y", t.d, b"l").unwrap();
    assert_eq!(tree.node(l).mode, 0o777);
    assert_eq!(tree.node(l).size(), 9);
    assert_eq!(tree.readlink_at(ROOT, b"d/l"), Ok(&b"../../x y"[..]));
    assert_eq!(tree.readlink_at(ROOT, b"dang"), Ok(&b"nowhere"[..]));
    check_invariants(tree);
}

#[test]
fn symlink_and_readlink_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    assert_eq!(tree.symlink_at(b"", ROOT, b"x"), Err(Errno::ENOENT));
    let long = vec![b'a'; PATH_MAX_TEST];
    assert_eq!(tree.symlink_at(&long, ROOT, b"x"), Err(Errno::ENAMETOOLONG));
    assert_eq!(tree.symlink_at(b"t", ROOT, b"f"), Err(Errno::EEXIST));
    assert_eq!(tree.symlink_at(b"t", ROOT, b"d/"), Err(Errno::EEXIST));
    assert_eq!(tree.symlink_at(b"t", ROOT, b"new/"), Err(Errno::ENOENT));
    assert_eq!(tree.readlink_at(ROOT, b"f"), Err(Errno::EINVAL));
    assert_eq!(tree.readlink_at(ROOT, b"d"), Err(Errno::EINVAL));
    assert_eq!(tree.readlink_at(ROOT, b"ld/"), Err(Errno::EINVAL));
    assert_eq!(tree.readlink_at(ROOT, b"missing"), Err(Errno::ENOENT));
    check_invariants(tree);
}

const PATH_MAX_TEST: usize = crate::path::PATH_MAX;

// ---- chmod and access ----

#[test]
fn chmod_and_access() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.chmod(t.f, 0o104700);
    assert_eq!(tree.node(t.f).mode, 0o4700);
    assert_eq!(tree.check_access(t.f, X_OK), Ok(()));
    tree.chmod(t.f, 0o644);
    // Root reads and writes anything, but executes only with an x bit.
    assert_eq!(tree.check_access(t.f, R_OK | W_OK), Ok(()));
    assert_eq!(tree.check_access(t.f, X_OK), Err(Errno::EACCES));
    tree.chmod(t.f, 0);
    assert_eq!(tree.check_access(t.f, R_OK | W_OK), Ok(()));
    tree.chmod(t.d, 0);
    assert_eq!(tree.check_access(t.d, X_OK), Ok(()));
    assert_eq!(tree.check_access(t.f, 0), Ok(()));
    assert_eq!(tree.check_access(t.f, 8), Err(Errno::EINVAL));
    assert_eq!(check_access_mode(R_OK | W_OK | X_OK), Ok(()));
    assert_eq!(check_access_mode(!0), Err(Errno::EINVAL));
}

// ---- listings ----

fn names(tree: &Tree, dir: Ino, offset: u64) -> Vec<Vec<u8>> {
    tree.readdir(dir, offset)
        .unwrap()
        .map(|e| e.name.to_vec())
        .collect()
}

#[test]
fn readdir_lists_dots_then_entries_in_creation_order() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let entries: Vec<_> = tree.readdir(t.d, 0).unwrap().collect();
    let listed: Vec<(&[u8], Ino, FileType)> = entries
        .iter()
        .map(|e| (e.name, e.ino, e.file_type))
        .collect();
    let file = tree.child(t.d, b"file").unwrap();
    assert_eq!(
        listed,
        [
            (&b"."[..], t.d, FileType::Dir),
            (b"..", ROOT, FileType::Dir),
            (b"sub", t.sub, FileType::Dir),
            (b"file", file, FileType::File),
        ]
    );
    // Each entry's `next` resumes right after it.
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(names(tree, t.d, e.next).len(), entries.len() - i - 1);
    }
    let root: Vec<_> = tree.readdir(ROOT, 0).unwrap().collect();
    assert_eq!(root[1].ino, ROOT, "the root's .. is itself");
    assert_eq!(root[2].name, b"d");
    let kinds: Vec<FileType> = root.iter().map(|e| e.file_type).collect();
    assert!(kinds.contains(&FileType::Symlink));
    assert_eq!(tree.readdir(t.f, 0).err(), Some(Errno::ENOTDIR));
}

#[test]
fn readdir_offsets_survive_changes() {
    let mut tree = Tree::new();
    for name in [&b"a"[..], b"b", b"c", b"d"] {
        tree.open(ROOT, name, O_CREAT, 0o644).unwrap();
    }
    // Read up to and including "b", then change the directory.
    let after_b = tree
        .readdir(ROOT, 0)
        .unwrap()
        .find(|e| e.name == b"b")
        .unwrap()
        .next;
    tree.unlink_at(ROOT, b"a").unwrap();
    tree.unlink_at(ROOT, b"b").unwrap();
    tree.open(ROOT, b"0", O_CREAT, 0o644).unwrap();
    // Nothing is skipped or repeated; the new name comes at the end.
    assert_eq!(
        names(&tree, ROOT, after_b),
        [&b"c"[..], b"d", b"0"].map(<[u8]>::to_vec)
    );
    assert_eq!(names(&tree, ROOT, u64::MAX), Vec::<Vec<u8>>::new());
}

#[test]
fn dirent_records_have_the_linux_layout() {
    let mut tree = Tree::new();
    let ino = tree.open(ROOT, b"file.txt", O_CREAT, 0o644).unwrap();
    let (bytes, next) = tree.getdents64(ROOT, 2, 4096).unwrap();
    assert_eq!(record_len(8), 32); // 19 + 8 + NUL = 28, rounded up to 32
    assert_eq!(bytes.len(), 32);
    assert_eq!(
        u64::from_le_bytes(bytes[0..8].try_into().unwrap()),
        inode_number(ino)
    );
    assert_eq!(
        i64::from_le_bytes(bytes[8..16].try_into().unwrap()),
        next as i64
    );
    assert_eq!(u16::from_le_bytes(bytes[16..18].try_into().unwrap()), 32);
    assert_eq!(bytes[18], 8, "DT_REG");
    assert_eq!(&bytes[NAME_OFFSET..NAME_OFFSET + 8], b"file.txt");
    assert!(
        bytes[NAME_OFFSET + 8..].iter().all(|&b| b == 0),
        "NUL and zero padding"
    );
    // "." and "..": DT_DIR, 24 bytes each.
    let (dots, _) = tree.getdents64(ROOT, 0, 48).unwrap();
    assert_eq!(dots.len(), 48);
    assert_eq!(dots[18], 4);
    assert_eq!(&dots[19..21], b".\0");
    assert_eq!(&dots[24 + 19..24 + 22], b"..\0");
    // Symlinks and devices.
    tree.symlink_at(b"t", ROOT, b"l").unwrap();
    tree.create(ROOT, b"null", NodeKind::CharDev(0x103), 0o666)
        .unwrap();
    let types: Vec<u8> = tree
        .readdir(ROOT, 3)
        .unwrap()
        .map(|e| e.file_type.dirent_type())
        .collect();
    assert_eq!(types, [10, 2], "DT_LNK, DT_CHR");
}

#[test]
fn getdents64_fills_buffers_with_whole_records() {
    let mut tree = Tree::new();
    let mut expected = vec![b".".to_vec(), b"..".to_vec()];
    for i in 0..20 {
        let name = alloc::format!("entry-{i}");
        tree.open(ROOT, name.as_bytes(), O_CREAT, 0o644).unwrap();
        expected.push(name.into_bytes());
    }
    // Read it all back through a small buffer, as a program would.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let (bytes, next) = tree.getdents64(ROOT, offset, 100).unwrap();
        if bytes.is_empty() {
            break;
        }
        assert!(bytes.len() <= 100);
        let mut at = 0;
        while at < bytes.len() {
            let reclen = u16::from_le_bytes([bytes[at + 16], bytes[at + 17]]) as usize;
            assert_eq!(reclen % 8, 0);
            let name = &bytes[at + NAME_OFFSET..at + reclen];
            let end = name.iter().position(|&b| b == 0).unwrap();
            seen.push(name[..end].to_vec());
            at += reclen;
        }
        offset = next;
    }
    assert_eq!(seen, expected);
    // Too small for the next record: EINVAL; at the end: nothing.
    assert_eq!(tree.getdents64(ROOT, 2, 31).err(), Some(Errno::EINVAL));
    assert_eq!(tree.getdents64(ROOT, 0, 0).err(), Some(Errno::EINVAL));
    assert_eq!(tree.getdents64(ROOT, offset, 0), Ok((Vec::new(), offset)));
}

// ---- rename ----

#[test]
fn rename_moves_and_replaces() {
    let mut t = fixture();
    let tree = &mut t.tree;
    // A file to a new name in another directory.
    tree.rename_at(ROOT, b"f", ROOT, b"d/g").unwrap();
    assert_eq!(tree.lookup(ROOT, b"d/g", true), Ok(t.f));
    assert_eq!(tree.lookup(ROOT, b"f", true), Err(Errno::ENOENT));
    // Over an existing file, which goes.
    let file = tree.lookup(ROOT, b"d/file", true).unwrap();
    tree.rename_at(ROOT, b"d/g", ROOT, b"d/file").unwrap();
    assert_eq!(tree.lookup(ROOT, b"d/file", true), Ok(t.f));
    assert!(tree.get(file).is_none() || file == t.f);
    assert_eq!(tree.used_bytes(), 5);
    check_invariants(tree);
    // A directory to another parent: link counts follow.
    let (root_links, d_links) = (tree.node(ROOT).nlink, tree.node(t.d).nlink);
    tree.rename_at(ROOT, b"d/sub", ROOT, b"sub2").unwrap();
    assert_eq!(tree.node(t.sub).parent, ROOT);
    assert_eq!(tree.node(ROOT).nlink, root_links + 1);
    assert_eq!(tree.node(t.d).nlink, d_links - 1);
    assert_eq!(tree.path_of(t.sub), b"/sub2");
    // Over an empty directory.
    tree.rename_at(ROOT, b"sub2", ROOT, b"empty").unwrap();
    assert!(tree.get(t.empty).is_none());
    assert_eq!(tree.node(ROOT).nlink, root_links);
    check_invariants(tree);
}

#[test]
fn renameat2_flags() {
    use vibix_uapi::fcntl::{RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT};
    assert_eq!(rename_flags(0), Ok(false));
    assert_eq!(rename_flags(RENAME_NOREPLACE), Ok(true));
    for refused in [
        RENAME_EXCHANGE,
        RENAME_WHITEOUT,
        RENAME_NOREPLACE | RENAME_EXCHANGE,
        8,
        u32::MAX,
    ] {
        assert_eq!(rename_flags(refused), Err(Errno::EINVAL), "{refused:#x}");
    }
    let mut t = fixture();
    let tree = &mut t.tree;
    // NOREPLACE onto an existing name: EEXIST, and nothing moved.
    assert_eq!(
        tree.rename_at_flags(ROOT, b"f", ROOT, b"d/file", RENAME_NOREPLACE),
        Err(Errno::EEXIST)
    );
    assert_eq!(tree.lookup(ROOT, b"f", true), Ok(t.f));
    // A missing source is ENOENT first.
    assert_eq!(
        tree.rename_at_flags(ROOT, b"nope", ROOT, b"d/file", RENAME_NOREPLACE),
        Err(Errno::ENOENT)
    );
    // Refused flags change nothing either.
    assert_eq!(
        tree.rename_at_flags(ROOT, b"f", ROOT, b"g", RENAME_EXCHANGE),
        Err(Errno::EINVAL)
    );
    assert_eq!(tree.lookup(ROOT, b"g", true), Err(Errno::ENOENT));
    // NOREPLACE onto a free name, and flags 0 onto a taken one, work.
    tree.rename_at_flags(ROOT, b"f", ROOT, b"g", RENAME_NOREPLACE)
        .unwrap();
    assert_eq!(tree.lookup(ROOT, b"g", true), Ok(t.f));
    tree.rename_at_flags(ROOT, b"g", ROOT, b"d/file", 0)
        .unwrap();
    assert_eq!(tree.lookup(ROOT, b"d/file", true), Ok(t.f));
    check_invariants(tree);
}

#[test]
fn rename_onto_itself_does_nothing() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.rename_at(ROOT, b"f", ROOT, b"f").unwrap();
    tree.link_at(ROOT, b"f", ROOT, b"hard", false).unwrap();
    tree.rename_at(ROOT, b"f", ROOT, b"hard").unwrap();
    assert_eq!(tree.lookup(ROOT, b"f", true), Ok(t.f), "both names stay");
    assert_eq!(tree.node(t.f).nlink, 2);
    check_invariants(tree);
}

#[test]
fn rename_keeps_a_replaced_open_file() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.open_ref(t.f);
    let file = tree.lookup(ROOT, b"d/file", true).unwrap();
    tree.rename_at(ROOT, b"d/file", ROOT, b"f").unwrap();
    assert_eq!(tree.node(t.f).nlink, 0);
    assert_eq!(data(tree, t.f), b"hello");
    assert_eq!(tree.lookup(ROOT, b"f", true), Ok(file));
    check_invariants(tree);
    assert!(tree.close_ref(t.f));
    check_invariants(tree);
}

#[test]
fn rename_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    tree.open(t.empty, b"x", O_CREAT, 0o644).unwrap();
    tree.mkdir_at(ROOT, b"e2", 0o755).unwrap();
    let cases: [(&[u8], &[u8], Errno); 14] = [
        (b"missing", b"x", Errno::ENOENT),
        (b"f", b"missing/x", Errno::ENOENT),
        (b"d", b"d/sub/x", Errno::EINVAL),
        (b"d", b"d/x", Errno::EINVAL),
        (b"d/sub", b"d", Errno::ENOTEMPTY), // onto its own ancestor
        (b"d", b"f", Errno::ENOTDIR),
        (b"f", b"d", Errno::EISDIR),
        (b"e2", b"empty", Errno::ENOTEMPTY),
        (b"f", b".", Errno::EBUSY),
        (b"d/.", b"x", Errno::EBUSY),
        (b"..", b"x", Errno::EBUSY),
        (b"/", b"x", Errno::EBUSY),
        (b"f/", b"g", Errno::ENOTDIR),
        (b"f", b"g/", Errno::ENOTDIR),
    ];
    for (old, new, err) in cases {
        assert_eq!(
            tree.rename_at(ROOT, old, ROOT, new),
            Err(err),
            "{:?} {:?}",
            core::str::from_utf8(old),
            core::str::from_utf8(new)
        );
    }
    // A directory may be named with a trailing slash.
    tree.rename_at(ROOT, b"e2/", ROOT, b"e3/").unwrap();
    check_invariants(tree);
}

// ---- everything at once ----

/// Removes everything below `dir`, like `rm -r dir/*`.
fn remove_all(tree: &mut Tree, dir: Ino) {
    let entries: Vec<(Vec<u8>, Ino)> = tree
        .node(dir)
        .entries()
        .unwrap()
        .iter()
        .map(|(name, ino)| (name.to_vec(), ino))
        .collect();
    for (name, ino) in entries {
        if tree.node(ino).is_dir() {
            remove_all(tree, ino);
            tree.rmdir(dir, &name).unwrap();
        } else {
            tree.unlink(dir, &name).unwrap();
        }
    }
}

/// Random operations on a small name space: whatever succeeds or fails,
/// the tree stays consistent, and every node is freed once nothing refers
/// to it.
#[test]
fn random_operations_keep_the_tree_consistent() {
    const PATHS: [&[u8]; 10] = [
        b"a", b"b", b"a/x", b"a/y", b"b/x", b"a/x/z", b"l", b"a/l", b"b/y", b"a/x/",
    ];
    let steps = if cfg!(miri) { 120 } else { 5000 };
    let mut rng = Rng::new(0xf11e);
    let mut tree = Tree::new();
    tree.set_capacity(64);
    let mut open: Vec<Ino> = Vec::new();
    for _ in 0..steps {
        let p = PATHS[rng.below(PATHS.len())];
        let q = PATHS[rng.below(PATHS.len())];
        match rng.below(11) {
            0 => {
                if let Ok(ino) = tree.open(ROOT, p, O_CREAT | O_RDWR, 0o644) {
                    tree.open_ref(ino);
                    open.push(ino);
                }
            }
            1 => drop(tree.mkdir_at(ROOT, p, 0o755)),
            2 => drop(tree.unlink_at(ROOT, p)),
            3 => drop(tree.rmdir_at(ROOT, p)),
            4 => drop(tree.link_at(ROOT, p, ROOT, q, false)),
            5 => drop(tree.symlink_at(q, ROOT, p)),
            6 => drop(tree.rename_at(ROOT, p, ROOT, q)),
            7 if !open.is_empty() => {
                let ino = open.swap_remove(rng.below(open.len()));
                tree.close_ref(ino);
            }
            8 if !open.is_empty() => {
                let ino = open[rng.below(open.len())];
                let at = rng.below(40) as u64;
                let _ = tree.write_at(ino, at, &[7; 9]);
            }
            9 if !open.is_empty() => {
                let ino = open[rng.below(open.len())];
                let _ = tree.truncate(ino, rng.below(50) as u64);
            }
            10 => {
                if let Ok(ino) = tree.open(ROOT, p, O_RDONLY, 0) {
                    tree.open_ref(ino);
                    open.push(ino);
                }
            }
            _ => {}
        }
        check_invariants(&tree);
        assert!(tree.used_bytes() <= 64);
    }
    for ino in open.drain(..) {
        tree.close_ref(ino);
    }
    check_invariants(&tree);
    // Empty the tree: only the root is left.
    remove_all(&mut tree, ROOT);
    assert_eq!(tree.node_count(), 1);
    assert_eq!(tree.used_bytes(), 0);
}
