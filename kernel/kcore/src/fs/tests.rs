//! Tests for the file tree: creation, path resolution, cpio loading.

use alloc::vec;
use alloc::vec::Vec;

use super::lookup::MAX_SYMLINKS;
use super::*;
use crate::cpio::build::archive;
use crate::cpio::{CpioError, S_IFDIR, S_IFLNK, S_IFREG};
use crate::path::PATH_MAX;
use crate::test_util::feed_garbage;

fn dir() -> NodeKind {
    NodeKind::Dir(Dir::new())
}

fn file(data: &[u8]) -> NodeKind {
    NodeKind::File(data.to_vec().into())
}

fn link(target: &[u8]) -> NodeKind {
    NodeKind::Symlink(target.to_vec())
}

/// A small tree:
///
/// ```text
/// /bin/            /bin/sh -> busybox   /bin/busybox
/// /etc/            /etc/motd
/// /usr/            /usr/bin -> ../bin   /usr/lib/
/// /abs -> /etc/motd
/// /loop1 -> loop2  /loop2 -> loop1
/// /dangling -> nowhere
/// ```
struct Fixture {
    tree: Tree,
    bin: Ino,
    busybox: Ino,
    etc: Ino,
    motd: Ino,
    usr: Ino,
    usr_bin: Ino,
    usr_lib: Ino,
}

fn fixture() -> Fixture {
    let mut tree = Tree::new();
    let bin = tree.create(ROOT, b"bin", dir(), 0o755).unwrap();
    let busybox = tree
        .create(bin, b"busybox", file(b"\x7fELF"), 0o755)
        .unwrap();
    tree.create(bin, b"sh", link(b"busybox"), 0o777).unwrap();
    let etc = tree.create(ROOT, b"etc", dir(), 0o755).unwrap();
    let motd = tree.create(etc, b"motd", file(b"hi\n"), 0o644).unwrap();
    let usr = tree.create(ROOT, b"usr", dir(), 0o755).unwrap();
    let usr_bin = tree.create(usr, b"bin", link(b"../bin"), 0o777).unwrap();
    let usr_lib = tree.create(usr, b"lib", dir(), 0o755).unwrap();
    tree.create(ROOT, b"abs", link(b"/etc/motd"), 0o777)
        .unwrap();
    tree.create(ROOT, b"loop1", link(b"loop2"), 0o777).unwrap();
    tree.create(ROOT, b"loop2", link(b"loop1"), 0o777).unwrap();
    tree.create(ROOT, b"dangling", link(b"nowhere"), 0o777)
        .unwrap();
    Fixture {
        tree,
        bin,
        busybox,
        etc,
        motd,
        usr,
        usr_bin,
        usr_lib,
    }
}

#[test]
fn new_tree_has_a_root() {
    let tree = Tree::new();
    let root = tree.node(ROOT);
    assert!(root.is_dir());
    assert_eq!(root.parent, ROOT);
    assert_eq!(root.nlink, 2);
    assert_eq!(Tree::ROOT, ROOT);
    assert_eq!(tree.path_of(ROOT), b"/");
    assert_eq!(tree.lookup(ROOT, b"/", true), Ok(ROOT));
    assert!(tree.get(1).is_none());
}

#[test]
fn create_links_into_parent() {
    let mut tree = Tree::new();
    let d = tree.create(ROOT, b"d", dir(), 0o40755).unwrap();
    let f = tree.create(d, b"f", file(b"x"), 0o100644).unwrap();
    assert_eq!(tree.child(ROOT, b"d"), Some(d));
    assert_eq!(tree.child(d, b"f"), Some(f));
    assert_eq!(tree.node(d).parent, ROOT);
    assert_eq!(tree.node(f).parent, d);
    // Only the permission bits are kept.
    assert_eq!(tree.node(d).mode, 0o755);
    assert_eq!(tree.node(f).mode, 0o644);
}

#[test]
fn link_counts() {
    let mut tree = Tree::new();
    let a = tree.create(ROOT, b"a", dir(), 0o755).unwrap();
    tree.create(ROOT, b"b", dir(), 0o755).unwrap();
    let f = tree.create(a, b"f", file(b""), 0o644).unwrap();
    assert_eq!(tree.node(ROOT).nlink, 4); // ., a/.., b/..
    assert_eq!(tree.node(a).nlink, 2); // files do not add to it
    assert_eq!(tree.node(f).nlink, 1);
}

#[test]
fn create_errors() {
    let mut t = fixture();
    let tree = &mut t.tree;
    assert_eq!(tree.create(ROOT, b"etc", file(b""), 0), Err(Errno::EEXIST));
    assert_eq!(tree.create(ROOT, b"abs", dir(), 0), Err(Errno::EEXIST));
    assert_eq!(tree.create(ROOT, b".", dir(), 0), Err(Errno::EEXIST));
    assert_eq!(tree.create(ROOT, b"..", dir(), 0), Err(Errno::EEXIST));
    assert_eq!(tree.create(t.motd, b"x", file(b""), 0), Err(Errno::ENOTDIR));
    assert_eq!(tree.create(ROOT, b"", file(b""), 0), Err(Errno::ENOENT));
    assert_eq!(tree.create(ROOT, b"a/b", file(b""), 0), Err(Errno::EINVAL));
    assert_eq!(
        tree.create(ROOT, &vec![b'n'; 256], file(b""), 0),
        Err(Errno::ENAMETOOLONG)
    );
    assert!(tree.create(ROOT, &vec![b'n'; 255], file(b""), 0).is_ok());
    let mut full = Dir::new();
    full.insert(b"x", ROOT);
    let full = NodeKind::Dir(full);
    assert_eq!(tree.create(ROOT, b"full", full, 0), Err(Errno::EINVAL));
}

#[test]
fn absolute_and_relative_lookups() {
    let t = fixture();
    let tree = &t.tree;
    assert_eq!(tree.lookup(ROOT, b"/etc/motd", true), Ok(t.motd));
    assert_eq!(tree.lookup(t.bin, b"/etc/motd", true), Ok(t.motd)); // start ignored
    assert_eq!(tree.lookup(t.etc, b"motd", true), Ok(t.motd));
    assert_eq!(tree.lookup(ROOT, b"etc/motd", true), Ok(t.motd));
    assert_eq!(tree.lookup(t.etc, b"../bin/busybox", true), Ok(t.busybox));
    assert_eq!(tree.lookup(t.etc, b".", true), Ok(t.etc));
    assert_eq!(tree.lookup(t.etc, b"..", true), Ok(ROOT));
}

#[test]
fn dots_and_slashes() {
    let t = fixture();
    let tree = &t.tree;
    assert_eq!(tree.lookup(ROOT, b"//etc//./motd", true), Ok(t.motd));
    assert_eq!(tree.lookup(ROOT, b"/etc/../etc/./motd", true), Ok(t.motd));
    assert_eq!(tree.lookup(ROOT, b"/..", true), Ok(ROOT));
    assert_eq!(tree.lookup(ROOT, b"/../../..", true), Ok(ROOT));
    assert_eq!(tree.lookup(ROOT, b"/usr/lib/../../etc", true), Ok(t.etc));
    assert_eq!(tree.lookup(ROOT, b"/etc/", true), Ok(t.etc));
    assert_eq!(tree.lookup(ROOT, b"/etc/.", true), Ok(t.etc));
}

#[test]
fn non_directories_in_the_way() {
    let tree = fixture().tree;
    for path in [
        &b"/etc/motd/"[..],
        b"/etc/motd/.",
        b"/etc/motd/..",
        b"/etc/motd/x",
        b"/etc/motd/./x",
        b"/abs/",
    ] {
        assert_eq!(
            tree.lookup(ROOT, path, true),
            Err(Errno::ENOTDIR),
            "{path:?}"
        );
    }
}

#[test]
fn missing_names() {
    let tree = fixture().tree;
    assert_eq!(tree.lookup(ROOT, b"/nope", true), Err(Errno::ENOENT));
    assert_eq!(tree.lookup(ROOT, b"/nope/x", true), Err(Errno::ENOENT));
    assert_eq!(tree.lookup(ROOT, b"/etc/nope", true), Err(Errno::ENOENT));
    assert_eq!(tree.lookup(ROOT, b"", true), Err(Errno::ENOENT));
}

#[test]
fn long_names_and_paths() {
    let tree = fixture().tree;
    let mut name = b"/".to_vec();
    name.extend(vec![b'x'; 256]);
    assert_eq!(tree.lookup(ROOT, &name, true), Err(Errno::ENAMETOOLONG));
    let long: Vec<u8> = b"/.".iter().copied().cycle().take(PATH_MAX).collect();
    assert_eq!(tree.lookup(ROOT, &long, true), Err(Errno::ENAMETOOLONG));
    assert_eq!(tree.lookup(ROOT, &long[..PATH_MAX - 1], true), Ok(ROOT));
}

#[test]
fn symlinks_are_followed() {
    let t = fixture();
    let tree = &t.tree;
    // Final component, relative target.
    assert_eq!(tree.lookup(ROOT, b"/bin/sh", true), Ok(t.busybox));
    // Final component, absolute target.
    assert_eq!(tree.lookup(ROOT, b"/abs", true), Ok(t.motd));
    // In the middle: /usr/bin -> ../bin, then /usr/bin/sh -> busybox.
    assert_eq!(tree.lookup(ROOT, b"/usr/bin/sh", true), Ok(t.busybox));
    assert_eq!(tree.lookup(t.usr, b"bin/busybox", false), Ok(t.busybox));
    // `..` after a link is the parent of where the link led.
    assert_eq!(tree.lookup(ROOT, b"/usr/bin/..", true), Ok(ROOT));
    assert_eq!(
        tree.lookup(ROOT, b"/usr/bin/../usr/lib", true),
        Ok(t.usr_lib)
    );
}

#[test]
fn final_symlink_only_when_asked() {
    let t = fixture();
    let tree = &t.tree;
    assert_eq!(tree.lookup(ROOT, b"/usr/bin", false), Ok(t.usr_bin));
    assert_eq!(tree.lookup(ROOT, b"/usr/bin", true), Ok(t.bin));
    // A trailing slash means "the directory": the link is followed anyway.
    assert_eq!(tree.lookup(ROOT, b"/usr/bin/", false), Ok(t.bin));
    assert_eq!(tree.lookup(ROOT, b"/usr/bin/.", false), Ok(t.bin));
    // Dangling or looping final links are fine when not followed.
    assert!(tree.lookup(ROOT, b"/dangling", false).is_ok());
    assert!(tree.lookup(ROOT, b"/loop1", false).is_ok());
}

#[test]
fn broken_symlinks() {
    let tree = fixture().tree;
    assert_eq!(tree.lookup(ROOT, b"/dangling", true), Err(Errno::ENOENT));
    assert_eq!(tree.lookup(ROOT, b"/loop1", true), Err(Errno::ELOOP));
    assert_eq!(tree.lookup(ROOT, b"/loop1/x", false), Err(Errno::ELOOP));
    let mut tree = tree;
    tree.create(ROOT, b"empty", link(b""), 0o777).unwrap();
    assert_eq!(tree.lookup(ROOT, b"/empty", true), Err(Errno::ENOENT));
    tree.create(ROOT, b"self", link(b"self/x"), 0o777).unwrap();
    assert_eq!(tree.lookup(ROOT, b"/self", true), Err(Errno::ELOOP));
}

#[test]
fn symlink_chain_limit() {
    // l0 -> l1 -> ... -> lN -> target; resolving l0 takes N+1 expansions.
    let chain = |n: usize| {
        let mut tree = Tree::new();
        let target = tree.create(ROOT, b"target", file(b""), 0o644).unwrap();
        for i in 0..=n {
            let next = if i == n {
                b"target".to_vec()
            } else {
                alloc::format!("l{}", i + 1).into_bytes()
            };
            tree.create(ROOT, alloc::format!("l{i}").as_bytes(), link(&next), 0o777)
                .unwrap();
        }
        (tree.lookup(ROOT, b"l0", true), target)
    };
    let (ok, target) = chain(MAX_SYMLINKS - 1);
    assert_eq!(ok, Ok(target));
    assert_eq!(chain(MAX_SYMLINKS).0, Err(Errno::ELOOP));
}

#[test]
fn lookup_parent_splits_off_the_last_name() {
    let t = fixture();
    let tree = &t.tree;
    assert_eq!(
        tree.lookup_parent(ROOT, b"/etc/new"),
        Ok((t.etc, b"new".to_vec()))
    );
    assert_eq!(
        tree.lookup_parent(ROOT, b"/etc/motd"),
        Ok((t.etc, b"motd".to_vec()))
    );
    assert_eq!(
        tree.lookup_parent(t.etc, b"new"),
        Ok((t.etc, b"new".to_vec()))
    );
    assert_eq!(
        tree.lookup_parent(t.usr, b"lib/x/"),
        Ok((t.usr_lib, b"x".to_vec()))
    );
    assert_eq!(
        tree.lookup_parent(ROOT, b"/usr/bin/x"),
        Ok((t.bin, b"x".to_vec()))
    );
    assert_eq!(tree.lookup_parent(ROOT, b"/x"), Ok((ROOT, b"x".to_vec())));
    assert_eq!(tree.lookup_parent(ROOT, b"/"), Ok((ROOT, b".".to_vec())));
    assert_eq!(tree.lookup_parent(t.etc, b"."), Ok((t.etc, b".".to_vec())));
    assert_eq!(
        tree.lookup_parent(t.etc, b"/usr/lib/.."),
        Ok((t.usr_lib, b"..".to_vec()))
    );
}

#[test]
fn lookup_parent_errors() {
    let t = fixture();
    let tree = &t.tree;
    assert_eq!(tree.lookup_parent(ROOT, b""), Err(Errno::ENOENT));
    assert_eq!(tree.lookup_parent(ROOT, b"/nope/x"), Err(Errno::ENOENT));
    assert_eq!(
        tree.lookup_parent(ROOT, b"/etc/motd/x"),
        Err(Errno::ENOTDIR)
    );
    assert_eq!(tree.lookup_parent(t.motd, b"x"), Err(Errno::ENOTDIR));
    assert_eq!(tree.lookup_parent(ROOT, b"/loop1/x"), Err(Errno::ELOOP));
}

#[test]
fn mkdir_p_creates_what_is_missing() {
    let mut t = fixture();
    let tree = &mut t.tree;
    let c = tree.mkdir_p(b"/a/b/c", 0o700).unwrap();
    assert_eq!(tree.path_of(c), b"/a/b/c");
    assert_eq!(tree.node(c).mode, 0o700);
    // Idempotent.
    assert_eq!(tree.mkdir_p(b"a/b/c/", 0o755), Ok(c));
    // Through existing directories and symlinks to directories.
    let x = tree.mkdir_p(b"/usr/bin/x", 0o755).unwrap();
    assert_eq!(tree.node(x).parent, t.bin);
    assert_eq!(tree.mkdir_p(b"/usr/lib", 0o755), Ok(t.usr_lib));
    assert_eq!(tree.mkdir_p(b"/usr/lib/../lib", 0o755), Ok(t.usr_lib));
    assert_eq!(tree.mkdir_p(b"/", 0o755), Ok(ROOT));
}

#[test]
fn mkdir_p_errors() {
    let mut tree = fixture().tree;
    assert_eq!(tree.mkdir_p(b"/etc/motd", 0o755), Err(Errno::ENOTDIR));
    assert_eq!(tree.mkdir_p(b"/etc/motd/x", 0o755), Err(Errno::ENOTDIR));
    assert_eq!(tree.mkdir_p(b"/abs/x", 0o755), Err(Errno::ENOTDIR));
    assert_eq!(tree.mkdir_p(b"/loop1/x", 0o755), Err(Errno::ELOOP));
    assert_eq!(tree.mkdir_p(b"", 0o755), Err(Errno::ENOENT));
}

#[test]
fn path_of_names_nodes() {
    let t = fixture();
    assert_eq!(t.tree.path_of(t.motd), b"/etc/motd");
    assert_eq!(t.tree.path_of(t.usr_lib), b"/usr/lib");
    assert_eq!(t.tree.path_of(t.usr_bin), b"/usr/bin");
    // path_of and lookup agree for every node.
    for ino in [t.bin, t.busybox, t.etc, t.motd, t.usr, t.usr_lib] {
        assert_eq!(t.tree.lookup(ROOT, &t.tree.path_of(ino), false), Ok(ino));
    }
}

fn sample_archive() -> Vec<u8> {
    archive(&[
        (".", S_IFDIR | 0o700, b""),
        ("./bin", S_IFDIR | 0o750, b""),
        ("./bin/init", S_IFREG | 0o755, b"\x7fELF"),
        ("./bin/sh", S_IFLNK | 0o777, b"init"),
        ("./usr/share/doc/README", S_IFREG | 0o644, b"read me"),
        ("./usr/share", S_IFDIR | 0o711, b""),
        ("./dev/console", 0o020600, b""), // a character device: skipped
    ])
}

#[test]
fn from_cpio_builds_the_tree() {
    let tree = Tree::from_cpio(&sample_archive()).unwrap();
    let init = tree.lookup(ROOT, b"/bin/init", true).unwrap();
    assert_eq!(tree.node(init).kind, file(b"\x7fELF"));
    assert_eq!(tree.node(init).mode, 0o755);
    assert_eq!(tree.lookup(ROOT, b"/bin/sh", true), Ok(init));
    let sh = tree.lookup(ROOT, b"/bin/sh", false).unwrap();
    assert_eq!(tree.node(sh).kind, link(b"init"));

    let readme = tree.lookup(ROOT, b"/usr/share/doc/README", true).unwrap();
    assert_eq!(tree.node(readme).kind, file(b"read me"));
    // Implicit directories get 0o755; a later entry for one sets its mode.
    let mode = |path: &[u8]| tree.node(tree.lookup(ROOT, path, true).unwrap()).mode;
    assert_eq!(mode(b"/usr"), 0o755);
    assert_eq!(mode(b"/usr/share"), 0o711);
    assert_eq!(mode(b"/usr/share/doc"), 0o755);
    assert_eq!(mode(b"/bin"), 0o750);
    assert_eq!(mode(b"/"), 0o700);
    // The device was skipped, entirely.
    assert_eq!(tree.lookup(ROOT, b"/dev/console", true), Err(Errno::ENOENT));
    assert_eq!(tree.lookup(ROOT, b"/dev", true), Err(Errno::ENOENT));
}

#[test]
fn from_cpio_refuses_impossible_entries() {
    let dup = archive(&[("a", S_IFREG, b"1"), ("a", S_IFREG, b"2")]);
    assert_eq!(Tree::from_cpio(&dup).err(), Some(CpioError::BadName));
    let under_file = archive(&[("a", S_IFREG, b"1"), ("a/b", S_IFREG, b"2")]);
    assert_eq!(Tree::from_cpio(&under_file).err(), Some(CpioError::BadName));
    let dir_over_file = archive(&[("a", S_IFREG, b"1"), ("a", S_IFDIR, b"")]);
    assert_eq!(
        Tree::from_cpio(&dir_over_file).err(),
        Some(CpioError::BadName)
    );
    let long = alloc::format!("d/{}", "n".repeat(256));
    let long = archive(&[(long.as_str(), S_IFREG, b"")]);
    assert_eq!(Tree::from_cpio(&long).err(), Some(CpioError::BadName));
}

#[test]
fn from_cpio_passes_archive_errors_on() {
    let a = sample_archive();
    assert_eq!(
        Tree::from_cpio(&a[..a.len() - 4]).err(),
        Some(CpioError::Truncated)
    );
    assert_eq!(
        Tree::from_cpio(b"garbage").err(),
        Some(CpioError::Truncated)
    );
    assert_eq!(
        Tree::from_cpio(&[b'x'; 120]).err(),
        Some(CpioError::BadMagic)
    );
    assert!(Tree::from_cpio(b"").is_ok());
}

#[test]
fn from_cpio_garbage_never_panics() {
    let accepted = feed_garbage(&sample_archive(), |bytes| Tree::from_cpio(bytes).is_ok());
    assert!(accepted > 0);
}
