//! Tests for timestamps: which operations stamp which times of which nodes
//! (tmpfs's rules), `relatime`, `utimensat`'s changes, and the times of a
//! tree loaded from cpio.

use alloc::vec;

use super::ops::{O_CREAT, O_EXCL, O_RDONLY, O_TRUNC};
use super::times::{RELATIME_MAX_AGE, relatime_needs_update};
use super::*;
use crate::cpio::{S_IFDIR, S_IFLNK, S_IFREG, build};
use vibix_uapi::fcntl::RENAME_NOREPLACE;
use vibix_uapi::stat::{UTIME_NOW, UTIME_OMIT};

const O_WRONLY: u32 = 0o1;

fn at(sec: i64) -> Timestamp {
    Timestamp::from_secs(sec)
}

/// A tree at time 100 with `/d/` and `/d/f` ("data"), the clock then
/// moved to 200.
fn tree() -> (Tree, Ino, Ino) {
    let mut t = Tree::new();
    t.set_clock(at(100));
    let d = t.mkdir_at(ROOT, b"d", 0o755).unwrap();
    let f = t
        .create(d, b"f", NodeKind::File(b"data".to_vec().into()), 0o644)
        .unwrap();
    t.set_clock(at(200));
    (t, d, f)
}

fn times(atime: i64, mtime: i64, ctime: i64) -> Times {
    Times {
        atime: at(atime),
        mtime: at(mtime),
        ctime: at(ctime),
    }
}

#[test]
fn timestamps_order_by_seconds_then_nanoseconds() {
    assert_eq!(
        Timestamp::from_nanos(1_500_000_000),
        Timestamp {
            sec: 1,
            nsec: 500_000_000
        }
    );
    assert!(Timestamp::from_nanos(1_999_999_999) < Timestamp::from_nanos(2_000_000_000));
    assert!(at(-1) < at(0));
    assert_eq!(Tree::new().clock(), Timestamp::default());
}

#[test]
fn creating_stamps_the_node_and_its_directory() {
    let (mut t, d, f) = tree();
    assert_eq!(t.times(f), Times::all(at(100)));
    assert_eq!(t.times(d), Times::all(at(100)), "d got f at 100");
    let g = t.open(ROOT, b"d/g", O_CREAT | O_WRONLY, 0o644).unwrap();
    assert_eq!(t.times(g), Times::all(at(200)));
    assert_eq!(t.times(d), times(100, 200, 200));
    assert_eq!(
        t.times(ROOT).mtime,
        at(100),
        "the root is not d's parent's business"
    );
    assert_eq!(t.times(f), Times::all(at(100)), "a sibling does not move");

    t.set_clock(at(300));
    let s = t.symlink_at(b"f", d, b"s").unwrap();
    assert_eq!(t.times(s), Times::all(at(300)));
    assert_eq!(t.times(d), times(100, 300, 300));
    t.set_clock(at(400));
    let sub = t.mkdir_at(d, b"sub", 0o755).unwrap();
    assert_eq!(t.times(sub), Times::all(at(400)));
    assert_eq!(t.times(d), times(100, 400, 400));
}

#[test]
fn opening_an_existing_file_changes_nothing() {
    let (mut t, d, f) = tree();
    t.open(ROOT, b"d/f", O_CREAT | O_WRONLY, 0o644).unwrap();
    assert_eq!(t.times(f), Times::all(at(100)));
    assert_eq!(t.times(d), Times::all(at(100)));
}

#[test]
fn writing_bytes_moves_mtime_and_ctime() {
    let (mut t, _, f) = tree();
    assert_eq!(t.write_at(f, 0, b""), Ok(0));
    assert_eq!(t.times(f), Times::all(at(100)), "an empty write is none");
    assert_eq!(t.write_at(f, 10, b"x"), Ok(1));
    assert_eq!(t.times(f), times(100, 200, 200));
}

#[test]
fn a_truncate_that_changes_the_size_moves_mtime_and_ctime() {
    let (mut t, _, f) = tree();
    t.truncate(f, 4).unwrap();
    assert_eq!(t.times(f), Times::all(at(100)), "the same size: nothing");
    t.truncate(f, 2).unwrap();
    assert_eq!(t.times(f), times(100, 200, 200));
    t.set_clock(at(300));
    t.truncate(f, 10).unwrap();
    assert_eq!(t.times(f), times(100, 300, 300), "growing too");

    t.set_clock(at(400));
    t.open(ROOT, b"d/f", O_WRONLY | O_TRUNC, 0).unwrap();
    assert_eq!(
        t.times(f),
        times(100, 400, 400),
        "O_TRUNC of a non-empty file"
    );
    t.set_clock(at(500));
    t.open(ROOT, b"d/f", O_WRONLY | O_TRUNC, 0).unwrap();
    assert_eq!(t.times(f), times(100, 400, 400), "O_TRUNC of an empty file");
}

#[test]
fn reads_move_atime_as_relatime_says() {
    let (mut t, _, f) = tree();
    let mut buf = [0u8; 8];
    assert_eq!(t.read_at(f, 0, &mut []), Ok(0));
    assert_eq!(t.times(f).atime, at(100), "an empty read is none");
    t.read_at(f, 0, &mut buf).unwrap();
    assert_eq!(t.times(f), times(200, 100, 100), "atime == mtime: moves");
    t.set_clock(at(300));
    t.read_at(f, 0, &mut buf).unwrap();
    assert_eq!(
        t.times(f).atime,
        at(200),
        "atime after mtime and ctime: stays"
    );
    t.write_at(f, 0, b"D").unwrap();
    t.set_clock(at(400));
    t.read_at(f, 100, &mut buf).unwrap();
    assert_eq!(
        t.times(f).atime,
        at(400),
        "written since: moves, even at the end"
    );
    t.set_clock(at(400 + RELATIME_MAX_AGE - 1));
    t.read_at(f, 0, &mut buf).unwrap();
    assert_eq!(t.times(f).atime, at(400), "less than a day: stays");
    t.set_clock(at(400 + RELATIME_MAX_AGE));
    t.read_at(f, 0, &mut buf).unwrap();
    assert_eq!(t.times(f).atime, at(400 + RELATIME_MAX_AGE), "a day: moves");
}

#[test]
fn the_relatime_rule() {
    let now = at(1000);
    assert!(
        relatime_needs_update(&times(10, 10, 5), now),
        "atime == mtime"
    );
    assert!(
        relatime_needs_update(&times(10, 5, 10), now),
        "atime == ctime"
    );
    assert!(relatime_needs_update(&times(10, 20, 5), now), "mtime after");
    assert!(relatime_needs_update(&times(10, 5, 20), now), "ctime after");
    assert!(!relatime_needs_update(&times(10, 5, 5), now));
    let old = times(10, 5, 5);
    assert!(!relatime_needs_update(&old, at(10 + RELATIME_MAX_AGE - 1)));
    assert!(relatime_needs_update(&old, at(10 + RELATIME_MAX_AGE)));
    // Nanoseconds count.
    let t = Times {
        atime: Timestamp { sec: 5, nsec: 2 },
        mtime: Timestamp { sec: 5, nsec: 1 },
        ctime: Timestamp { sec: 5, nsec: 1 },
    };
    assert!(!relatime_needs_update(&t, at(6)));
    // No overflow with extreme times (utimensat can set any).
    assert!(relatime_needs_update(
        &times(i64::MIN, i64::MIN + 1, i64::MIN),
        at(i64::MAX)
    ));
    assert!(!relatime_needs_update(&times(i64::MAX, 0, 0), at(i64::MIN)));
}

#[test]
fn listing_and_readlink_are_reads() {
    let (mut t, d, _) = tree();
    t.getdents64(d, 0, 4096).unwrap();
    assert_eq!(t.times(d), times(200, 100, 100));
    t.set_clock(at(300));
    assert_eq!(t.getdents64(d, 0, 1), Err(Errno::EINVAL));
    assert_eq!(t.times(d).atime, at(200), "after mtime: stays");
    let s = t.symlink_at(b"f", d, b"s").unwrap();
    t.set_clock(at(400));
    assert_eq!(t.getdents64(d, 0, 1), Err(Errno::EINVAL));
    assert_eq!(
        t.times(d).atime,
        at(400),
        "a listing that does not fit reads too"
    );
    t.set_clock(at(500));
    assert_eq!(t.readlink_at(d, b"s"), Ok(&b"f"[..]));
    assert_eq!(t.times(s), times(500, 300, 300));
    assert_eq!(t.readlink_at(d, b"f"), Err(Errno::EINVAL));
}

#[test]
fn chmod_moves_ctime_only() {
    let (mut t, d, f) = tree();
    t.chmod(f, 0o644);
    assert_eq!(t.times(f), times(100, 100, 200), "even to the same mode");
    assert_eq!(t.times(d), Times::all(at(100)));
}

#[test]
fn names_move_the_directory_and_the_node() {
    let (mut t, d, f) = tree();
    t.link_at(ROOT, b"d/f", ROOT, b"hard", false).unwrap();
    assert_eq!(t.times(f), times(100, 100, 200), "link: the node's ctime");
    assert_eq!(
        t.times(ROOT),
        times(0, 200, 200),
        "the new name's directory"
    );
    assert_eq!(t.times(d), Times::all(at(100)), "the old name's directory");
    t.set_clock(at(300));
    t.unlink_at(ROOT, b"d/f").unwrap();
    assert_eq!(t.times(f), times(100, 100, 300), "unlink: the node's ctime");
    assert_eq!(t.times(d), times(100, 300, 300));

    t.set_clock(at(400));
    let sub = t.mkdir_at(d, b"sub", 0o755).unwrap();
    t.set_clock(at(500));
    t.rmdir_at(d, b"sub").unwrap();
    assert_eq!(t.times(d), times(100, 500, 500), "rmdir");
    assert!(t.get(sub).is_none());
}

#[test]
fn failed_operations_change_no_time() {
    let (mut t, d, f) = tree();
    let before = (t.times(ROOT), t.times(d), t.times(f));
    assert_eq!(t.unlink_at(ROOT, b"d/none"), Err(Errno::ENOENT));
    assert_eq!(t.rmdir_at(ROOT, b"d"), Err(Errno::ENOTEMPTY));
    assert_eq!(t.mkdir_at(ROOT, b"d/f", 0o755), Err(Errno::EEXIST));
    assert_eq!(t.link_at(ROOT, b"d", ROOT, b"x", false), Err(Errno::EPERM));
    assert_eq!(t.rename_at(ROOT, b"d", ROOT, b"d/in"), Err(Errno::EINVAL));
    assert_eq!(
        t.rename_at_flags(ROOT, b"d/f", ROOT, b"d/f", RENAME_NOREPLACE),
        Err(Errno::EEXIST)
    );
    assert_eq!(
        t.open(ROOT, b"d/f", O_CREAT | O_EXCL | O_RDONLY, 0),
        Err(Errno::EEXIST)
    );
    assert_eq!((t.times(ROOT), t.times(d), t.times(f)), before);
}

#[test]
fn rename_moves_both_directories_and_the_node() {
    let (mut t, d, f) = tree();
    let e = t.mkdir_at(ROOT, b"e", 0o755).unwrap();
    t.set_clock(at(300));
    t.rename_at(ROOT, b"d/f", ROOT, b"e/g").unwrap();
    assert_eq!(t.times(d), times(100, 300, 300));
    assert_eq!(t.times(e), times(200, 300, 300));
    assert_eq!(
        t.times(f),
        times(100, 100, 300),
        "the moved node: ctime only"
    );

    // Replacing: the replaced node (alive through another name) gets a
    // new ctime.
    let h = t
        .create(e, b"h", NodeKind::File(b"h".to_vec().into()), 0o644)
        .unwrap();
    t.link_at(ROOT, b"e/h", ROOT, b"keep", false).unwrap();
    t.set_clock(at(400));
    t.rename_at(ROOT, b"e/g", ROOT, b"e/h").unwrap();
    assert_eq!(t.times(h), times(300, 300, 400));
    assert_eq!(t.times(e), times(200, 400, 400));

    // Onto itself (another name of the same node): nothing happens.
    t.link_at(ROOT, b"e/h", ROOT, b"e/h2", false).unwrap();
    t.set_clock(at(500));
    let before = (t.times(e), t.times(f));
    t.rename_at(ROOT, b"e/h", ROOT, b"e/h2").unwrap();
    assert_eq!((t.times(e), t.times(f)), before);
}

#[test]
fn set_times_as_utimensat_asks() {
    let (mut t, _, f) = tree();
    t.set_times(f, TimeChange::Omit, TimeChange::Omit);
    assert_eq!(t.times(f), Times::all(at(100)), "both omitted: nothing");
    t.set_times(f, TimeChange::To(at(-5)), TimeChange::Omit);
    assert_eq!(t.times(f), times(-5, 100, 200));
    t.set_clock(at(300));
    t.set_times(f, TimeChange::Omit, TimeChange::To(at(7)));
    assert_eq!(t.times(f), times(-5, 7, 300));
    t.set_clock(at(400));
    t.set_times(f, TimeChange::Now, TimeChange::Now);
    assert_eq!(t.times(f), Times::all(at(400)));
}

#[test]
fn utimensat_timespecs() {
    use TimeChange::*;
    assert_eq!(TimeChange::from_timespec(123, UTIME_NOW), Ok(Now));
    assert_eq!(TimeChange::from_timespec(-1, UTIME_OMIT), Ok(Omit));
    assert_eq!(
        TimeChange::from_timespec(-3, 999_999_999),
        Ok(To(Timestamp {
            sec: -3,
            nsec: 999_999_999
        }))
    );
    assert_eq!(TimeChange::from_timespec(0, 0), Ok(To(at(0))));
    for bad in [-1, 1_000_000_000, UTIME_OMIT - 1, UTIME_NOW + 1, i64::MIN] {
        assert_eq!(
            TimeChange::from_timespec(0, bad),
            Err(Errno::EINVAL),
            "{bad}"
        );
    }
}

#[test]
fn cpio_times_are_the_entries_mtimes() {
    let mut a = vec![];
    build::push_with_mtime(&mut a, ".", S_IFDIR | 0o755, b"", 10);
    build::push_with_mtime(&mut a, "bin", S_IFDIR | 0o755, b"", 20);
    build::push_with_mtime(&mut a, "bin/init", S_IFREG | 0o755, b"x", 30);
    build::push_with_mtime(&mut a, "bin/sh", S_IFLNK | 0o777, b"init", 40);
    build::push_with_mtime(&mut a, "etc/deep/motd", S_IFREG | 0o644, b"hi", 50);
    build::finish(&mut a);
    let mut t = Tree::from_cpio(&a).unwrap();
    let ino = |t: &Tree, p: &[u8]| t.lookup(ROOT, p, false).unwrap();
    assert_eq!(t.times(ROOT), Times::all(at(10)));
    assert_eq!(
        t.times(ino(&t, b"bin")),
        Times::all(at(20)),
        "not moved by its children"
    );
    assert_eq!(t.times(ino(&t, b"bin/init")), Times::all(at(30)));
    assert_eq!(t.times(ino(&t, b"bin/sh")), Times::all(at(40)));
    assert_eq!(t.times(ino(&t, b"etc/deep/motd")), Times::all(at(50)));
    assert_eq!(
        t.times(ino(&t, b"etc")),
        Times::all(at(50)),
        "implicit: its entry's"
    );
    assert_eq!(t.times(ino(&t, b"etc/deep")), Times::all(at(50)));
    assert_eq!(t.clock(), Timestamp::default());
    // The times are the nodes' own from here on.
    t.set_clock(at(60));
    let motd = ino(&t, b"etc/deep/motd");
    t.write_at(motd, 0, b"!").unwrap();
    assert_eq!(t.times(motd), times(50, 60, 60));
}
