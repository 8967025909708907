//! `fsmatrix`: the writable file system, call by call and error by error.
//!
//! Everything happens in a scratch directory, `tmp-fsmatrix/`, made in the
//! current directory (the initramfs root on vibix, a staged copy of it on
//! Linux) and removed at the end, so the program can run again. It
//! creates, writes, reads, seeks and truncates files; makes and removes
//! directories; makes symbolic and hard links and reads them back; lists
//! directories with `getdents64`; changes modes and checks access; and for
//! each call provokes the errors a program can meet (`ENOENT EEXIST
//! ENOTDIR EISDIR ENOTEMPTY EBADF EINVAL ENAMETOOLONG ELOOP EFAULT`, and
//! `EPERM`, `EACCES` where Linux gives them). Then `/dev/null` and
//! `/dev/zero`.
//!
//! The output is compared with Linux's, so it shows no inode numbers, times
//! or sizes of directories (which depend on the file system), and the
//! directory listing is sorted before it is printed (the order is the file
//! system's).

#![no_std]
#![no_main]

use core::ffi::CStr;
use core::ptr;

use vrt::dirent::{self, DT_CHR, DT_DIR, DT_LNK, DT_REG};
use vrt::errno::Errno;
use vrt::fs::{
    self, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
    SEEK_CUR, SEEK_END, SEEK_SET,
};
use vrt::fsops::{self, AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, F_OK, R_OK, W_OK, X_OK};
use vrt::io;
use vrt::print::Bytes;
use vrt::stat::{S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG};
use vrt::{check, check_eq, check_ok, cred};

vrt::entry!(main);

/// The scratch directory.
const DIR: &CStr = c"tmp-fsmatrix";

/// A descriptor number no test has open.
const BAD_FD: i32 = 999;

fn main(_args: &vrt::Args) -> i32 {
    // A run that failed half-way may have left the directory behind.
    remove_tree(fs::AT_FDCWD, DIR);

    check_ok!(fsops::mkdir(DIR, 0o755), "mkdir tmp-fsmatrix");
    check_eq!(
        fsops::mkdir(DIR, 0o755),
        Err(Errno::EEXIST),
        "mkdir it again -> EEXIST"
    );
    let st = check_ok!(fsops::stat(DIR), "stat tmp-fsmatrix");
    check_eq!(st.file_type(), S_IFDIR, "it is a directory");
    check_eq!(st.permissions(), 0o755, "with mode 0755");
    let d = check_ok!(
        fs::open(DIR, O_RDONLY | O_DIRECTORY, 0),
        "open it with O_DIRECTORY"
    );

    files();
    directories();
    symlinks();
    hard_links();
    unlinked_while_open();
    listing(d);
    modes();
    stat_family(d);
    at_calls(d);
    limits();
    bad_pointers();
    devices();
    credentials();

    // Clean up, with the calls under test.
    check_ok!(fs::close(d), "close the directory");
    remove_tree(fs::AT_FDCWD, DIR);
    check_eq!(
        fsops::stat(DIR).map(|_| ()),
        Err(Errno::ENOENT),
        "tmp-fsmatrix and everything in it are gone"
    );
    vrt::check::all_passed();
    0
}

/// Reads what is left of `fd` (up to 64 bytes).
fn read_rest(fd: i32) -> ([u8; 64], usize) {
    let mut buf = [0u8; 64];
    let mut len = 0;
    loop {
        match io::read(fd, &mut buf[len..]) {
            Ok(0) => return (buf, len),
            Ok(n) => len += n,
            Err(e) => vrt::check::fail(format_args!("read"), format_args!("got {e}")),
        }
        if len == buf.len() {
            return (buf, len);
        }
    }
}

/// The whole content of the file `path`.
fn content(path: &CStr) -> ([u8; 64], usize) {
    let fd = match fs::open(path, O_RDONLY, 0) {
        Ok(fd) => fd,
        Err(e) => vrt::check::fail(format_args!("open {path:?}"), format_args!("got {e}")),
    };
    let rest = read_rest(fd);
    let _ = fs::close(fd);
    rest
}

fn size_of(path: &CStr) -> i64 {
    fsops::stat(path).map_or(-1, |st| st.st_size)
}

fn files() {
    let a = c"tmp-fsmatrix/a";
    let fd = check_ok!(
        fs::open(a, O_CREAT | O_EXCL | O_RDWR, 0o644),
        "create a with O_CREAT|O_EXCL"
    );
    check_eq!(
        fs::open(a, O_CREAT | O_EXCL | O_RDWR, 0o644),
        Err(Errno::EEXIST),
        "O_CREAT|O_EXCL on an existing file -> EEXIST"
    );
    let st = check_ok!(fs::fstat(fd), "fstat the new file");
    check_eq!(st.file_type(), S_IFREG, "a regular file");
    check_eq!(st.permissions(), 0o644, "mode 0644");
    check_eq!(st.st_size, 0, "empty");
    check_eq!(st.st_nlink, 1, "one link");

    check_eq!(io::write(fd, b"hello, world\n"), Ok(13), "write 13 bytes");
    check_eq!(fs::lseek(fd, 0, SEEK_CUR), Ok(13), "the offset is 13");
    check_eq!(size_of(a), 13, "the size is 13");
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "seek to 0");
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"hello, world\n", "read it back");
    check_eq!(fs::lseek(fd, 7, SEEK_SET), Ok(7), "seek to 7");
    check_eq!(io::write(fd, b"vibix"), Ok(5), "overwrite 5 bytes there");
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "seek to 0");
    let (buf, n) = read_rest(fd);
    vrt::print!("a: {}", Bytes(&buf[..n]));
    check_eq!(
        &buf[..n],
        b"hello, vibix\n",
        "the middle changed, nothing else"
    );

    // Past the end: the gap reads as zeros.
    check_eq!(fs::lseek(fd, 20, SEEK_SET), Ok(20), "seek past the end");
    check_eq!(size_of(a), 13, "seeking does not grow the file");
    check_eq!(io::write(fd, b"!"), Ok(1), "write 1 byte at 20");
    check_eq!(size_of(a), 21, "the size is 21");
    check_eq!(fs::lseek(fd, 13, SEEK_SET), Ok(13), "seek to the old end");
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"\0\0\0\0\0\0\0!", "the gap reads as zeros");
    check_eq!(io::read(fd, &mut [0; 8]), Ok(0), "read at the end -> 0");
    check_eq!(
        fs::lseek(fd, -2, SEEK_END),
        Ok(19),
        "lseek(-2, SEEK_END) -> 19"
    );

    check_ok!(fsops::ftruncate(fd, 5), "ftruncate to 5");
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "seek to 0");
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"hello", "the file is cut");
    check_ok!(fsops::ftruncate(fd, 8), "ftruncate to 8");
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "seek to 0");
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"hello\0\0\0", "and extended with zeros");
    check_eq!(
        fsops::ftruncate(fd, -1),
        Err(Errno::EINVAL),
        "ftruncate to -1 -> EINVAL"
    );
    check_ok!(fsops::fsync(fd), "fsync");
    check_ok!(fs::close(fd), "close");

    let fd = check_ok!(fs::open(a, O_WRONLY | O_APPEND, 0), "open with O_APPEND");
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "seek to 0");
    check_eq!(io::write(fd, b"++"), Ok(2), "write 2 bytes");
    check_eq!(
        fs::lseek(fd, 0, SEEK_CUR),
        Ok(10),
        "O_APPEND wrote at the end"
    );
    check_ok!(fs::close(fd), "close");
    let (buf, n) = content(a);
    check_eq!(&buf[..n], b"hello\0\0\0++", "the content");

    let fd = check_ok!(fs::open(a, O_WRONLY | O_TRUNC, 0), "open with O_TRUNC");
    check_eq!(size_of(a), 0, "O_TRUNC empties the file");
    check_eq!(io::write(fd, b"again\n"), Ok(6), "write 6 bytes");
    check_eq!(
        io::read(fd, &mut [0; 4]),
        Err(Errno::EBADF),
        "read a write-only fd -> EBADF"
    );
    check_ok!(fs::close(fd), "close");

    let fd = check_ok!(
        fs::open(a, O_CREAT | O_RDONLY, 0o600),
        "O_CREAT without O_EXCL opens an existing file"
    );
    check_eq!(
        fsops::stat(a).map(|st| st.permissions()),
        Ok(0o644),
        "and leaves its mode alone"
    );
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"again\n", "the content");
    check_eq!(
        io::write(fd, b"x"),
        Err(Errno::EBADF),
        "write a read-only fd -> EBADF"
    );
    check_eq!(
        fsops::ftruncate(fd, 0),
        Err(Errno::EINVAL),
        "ftruncate a read-only fd -> EINVAL"
    );
    check_ok!(fs::close(fd), "close");

    check_ok!(fsops::truncate(a, 3), "truncate by path to 3");
    let (buf, n) = content(a);
    check_eq!(&buf[..n], b"aga", "the content");
    check_eq!(
        fsops::truncate(a, -1),
        Err(Errno::EINVAL),
        "truncate to -1 -> EINVAL"
    );
    check_eq!(
        fsops::truncate(c"tmp-fsmatrix/missing", 0),
        Err(Errno::ENOENT),
        "truncate a missing file -> ENOENT"
    );
    check_eq!(
        fsops::truncate(DIR, 0),
        Err(Errno::EISDIR),
        "truncate a directory -> EISDIR"
    );
    check_eq!(
        fsops::ftruncate(BAD_FD, 0),
        Err(Errno::EBADF),
        "ftruncate a bad fd -> EBADF"
    );
    check_eq!(
        fsops::fsync(BAD_FD),
        Err(Errno::EBADF),
        "fsync a bad fd -> EBADF"
    );
    check_eq!(
        fs::close(BAD_FD),
        Err(Errno::EBADF),
        "close a bad fd -> EBADF"
    );
}

fn directories() {
    let dir = c"tmp-fsmatrix/d";
    check_ok!(fsops::mkdir(dir, 0o755), "mkdir d");
    check_ok!(fsops::mkdir(c"tmp-fsmatrix/d/sub", 0o700), "mkdir d/sub");
    let st = check_ok!(fsops::stat(c"tmp-fsmatrix/d/sub"), "stat d/sub");
    check_eq!(
        (st.file_type(), st.permissions()),
        (S_IFDIR, 0o700),
        "a directory with mode 0700"
    );
    let nlink = fsops::stat(dir).map_or(0, |st| st.st_nlink);
    check!(
        nlink == 3 || nlink == 1,
        "d has 3 links: its name, its ., sub's .. (1 where a file system does not count)"
    );

    let cases: [(&CStr, Errno, &str); 5] = [
        (dir, Errno::EEXIST, "mkdir d again -> EEXIST"),
        (c"tmp-fsmatrix/d/", Errno::EEXIST, "mkdir d/ -> EEXIST"),
        (
            c"tmp-fsmatrix/a",
            Errno::EEXIST,
            "mkdir over a file -> EEXIST",
        ),
        (
            c"tmp-fsmatrix/a/x",
            Errno::ENOTDIR,
            "mkdir a/x (a is a file) -> ENOTDIR",
        ),
        (
            c"tmp-fsmatrix/missing/x",
            Errno::ENOENT,
            "mkdir missing/x -> ENOENT",
        ),
    ];
    for (path, err, what) in cases {
        check_eq!(fsops::mkdir(path, 0o755), Err(err), "{what}");
    }

    let cases: [(&CStr, Errno, &str); 6] = [
        (dir, Errno::ENOTEMPTY, "rmdir d (not empty) -> ENOTEMPTY"),
        (c"tmp-fsmatrix/d/.", Errno::EINVAL, "rmdir d/. -> EINVAL"),
        (
            c"tmp-fsmatrix/d/sub/..",
            Errno::ENOTEMPTY,
            "rmdir d/sub/.. -> ENOTEMPTY",
        ),
        (c"tmp-fsmatrix/a", Errno::ENOTDIR, "rmdir a file -> ENOTDIR"),
        (
            c"tmp-fsmatrix/missing",
            Errno::ENOENT,
            "rmdir missing -> ENOENT",
        ),
        (c"tmp-fsmatrix/a/", Errno::ENOTDIR, "rmdir a/ -> ENOTDIR"),
    ];
    for (path, err, what) in cases {
        check_eq!(fsops::rmdir(path), Err(err), "{what}");
    }
    check_eq!(
        fsops::unlink(dir),
        Err(Errno::EISDIR),
        "unlink a directory -> EISDIR"
    );
    check_eq!(
        fsops::unlink(c"tmp-fsmatrix/a/"),
        Err(Errno::ENOTDIR),
        "unlink a/ (a file) -> ENOTDIR"
    );

    let cases: [(&CStr, u32, Errno, &str); 8] = [
        (dir, O_WRONLY, Errno::EISDIR, "open d O_WRONLY -> EISDIR"),
        (dir, O_RDWR, Errno::EISDIR, "open d O_RDWR -> EISDIR"),
        (
            dir,
            O_CREAT | O_RDONLY,
            Errno::EISDIR,
            "open d O_CREAT -> EISDIR",
        ),
        (
            c"tmp-fsmatrix/new/",
            O_CREAT | O_WRONLY,
            Errno::EISDIR,
            "create new/ -> EISDIR",
        ),
        (
            c"tmp-fsmatrix/a",
            O_DIRECTORY,
            Errno::ENOTDIR,
            "open a file O_DIRECTORY -> ENOTDIR",
        ),
        (
            c"tmp-fsmatrix/a/",
            O_RDONLY,
            Errno::ENOTDIR,
            "open a/ (a file) -> ENOTDIR",
        ),
        (
            c"tmp-fsmatrix/a/x",
            O_CREAT | O_WRONLY,
            Errno::ENOTDIR,
            "create a/x -> ENOTDIR",
        ),
        (
            c"tmp-fsmatrix/missing/x",
            O_CREAT | O_WRONLY,
            Errno::ENOENT,
            "create missing/x -> ENOENT",
        ),
    ];
    for (path, flags, err, what) in cases {
        check_eq!(fs::open(path, flags, 0o644), Err(err), "{what}");
    }
    check_eq!(
        fs::open(c"tmp-fsmatrix/x", O_CREAT | O_DIRECTORY | O_RDONLY, 0o644),
        Err(Errno::EINVAL),
        "O_CREAT|O_DIRECTORY -> EINVAL"
    );

    let fd = check_ok!(fs::open(dir, O_RDONLY, 0), "open d read-only");
    check_eq!(
        io::read(fd, &mut [0; 8]),
        Err(Errno::EISDIR),
        "read a directory -> EISDIR"
    );
    check_eq!(
        io::write(fd, b"x"),
        Err(Errno::EBADF),
        "write a directory fd -> EBADF"
    );
    check_ok!(fs::close(fd), "close");

    check_ok!(fsops::rmdir(c"tmp-fsmatrix/d/sub/"), "rmdir d/sub/");
    check_eq!(
        fsops::stat(c"tmp-fsmatrix/d/sub").map(|_| ()),
        Err(Errno::ENOENT),
        "d/sub is gone"
    );
    let nlink = fsops::stat(dir).map_or(0, |st| st.st_nlink);
    check!(nlink == 2 || nlink == 1, "d has 2 links again");
}

fn symlinks() {
    let la = c"tmp-fsmatrix/la";
    check_ok!(fsops::symlink(c"a", la), "symlink la -> a");
    let mut buf = [0u8; 64];
    check_eq!(
        fsops::readlink(la, &mut buf),
        Ok(1),
        "readlink la -> 1 byte"
    );
    check_eq!(&buf[..1], b"a", "which are 'a'");
    let st = check_ok!(fsops::lstat(la), "lstat la");
    check_eq!(st.file_type(), S_IFLNK, "lstat sees a symlink");
    check_eq!(st.st_size, 1, "its size is the target's length");
    let st = check_ok!(fsops::stat(la), "stat la");
    check_eq!(st.file_type(), S_IFREG, "stat sees the file it points to");
    let a = fsops::stat(c"tmp-fsmatrix/a").map(|st| st.st_ino);
    check_eq!(Ok(st.st_ino), a, "the same inode as a");
    let (text, n) = content(la);
    check_eq!(&text[..n], b"aga", "reading through the link reads a");
    check_eq!(
        fs::open(la, O_RDONLY | O_NOFOLLOW, 0),
        Err(Errno::ELOOP),
        "open la O_NOFOLLOW -> ELOOP"
    );

    let ld = c"tmp-fsmatrix/ld";
    check_ok!(fsops::symlink(c"d", ld), "symlink ld -> d");
    let fd = check_ok!(
        fs::open(ld, O_RDONLY | O_DIRECTORY, 0),
        "open ld O_DIRECTORY"
    );
    check_ok!(fs::close(fd), "close");
    check_eq!(
        fs::open(ld, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0),
        Err(Errno::ENOTDIR),
        "open ld O_DIRECTORY|O_NOFOLLOW -> ENOTDIR"
    );
    check_eq!(
        fsops::lstat(c"tmp-fsmatrix/ld/").map(|st| st.file_type()),
        Ok(S_IFDIR),
        "lstat ld/ follows the link (trailing slash)"
    );
    check_eq!(fsops::rmdir(ld), Err(Errno::ENOTDIR), "rmdir ld -> ENOTDIR");
    check_eq!(
        fsops::rmdir(c"tmp-fsmatrix/ld/"),
        Err(Errno::ENOTDIR),
        "rmdir ld/ -> ENOTDIR"
    );
    check_eq!(
        fsops::unlink(c"tmp-fsmatrix/ld/"),
        Err(Errno::ENOTDIR),
        "unlink ld/ -> ENOTDIR"
    );

    check_eq!(
        fsops::readlink(c"tmp-fsmatrix/a", &mut buf),
        Err(Errno::EINVAL),
        "readlink a file -> EINVAL"
    );
    check_eq!(
        fsops::readlink(c"tmp-fsmatrix/d", &mut buf),
        Err(Errno::EINVAL),
        "readlink a directory -> EINVAL"
    );
    check_eq!(
        fsops::readlink(c"tmp-fsmatrix/missing", &mut buf),
        Err(Errno::ENOENT),
        "readlink missing -> ENOENT"
    );
    check_eq!(
        fsops::readlink(la, &mut []),
        Err(Errno::EINVAL),
        "readlink into 0 bytes -> EINVAL"
    );
    check_ok!(
        fsops::symlink(c"a-much-longer-target", c"tmp-fsmatrix/long"),
        "symlink long -> a-much-longer-target"
    );
    check_eq!(
        fsops::readlink(c"tmp-fsmatrix/long", &mut buf[..4]),
        Ok(4),
        "readlink into 4 bytes -> 4"
    );
    check_eq!(&buf[..4], b"a-mu", "the target, cut");

    let dang = c"tmp-fsmatrix/dang";
    check_ok!(fsops::symlink(c"nowhere", dang), "symlink dang -> nowhere");
    check_eq!(
        fsops::stat(dang).map(|_| ()),
        Err(Errno::ENOENT),
        "stat a dangling link -> ENOENT"
    );
    check_eq!(
        fsops::access(dang, F_OK),
        Err(Errno::ENOENT),
        "access a dangling link -> ENOENT"
    );
    check_ok!(fsops::lstat(dang), "lstat it works");
    check_eq!(
        fs::open(dang, O_CREAT | O_EXCL | O_WRONLY, 0o644),
        Err(Errno::EEXIST),
        "O_CREAT|O_EXCL on a dangling link -> EEXIST"
    );
    check_eq!(
        fs::open(dang, O_CREAT | O_NOFOLLOW | O_WRONLY, 0o644),
        Err(Errno::ELOOP),
        "O_CREAT|O_NOFOLLOW on a dangling link -> ELOOP"
    );
    let fd = check_ok!(
        fs::open(dang, O_CREAT | O_WRONLY, 0o644),
        "O_CREAT through a dangling link"
    );
    check_ok!(fs::close(fd), "close");
    check_eq!(
        fsops::stat(c"tmp-fsmatrix/nowhere").map(|st| st.file_type()),
        Ok(S_IFREG),
        "created the link's target"
    );

    check_eq!(
        fsops::symlink(c"x", c"tmp-fsmatrix/a"),
        Err(Errno::EEXIST),
        "symlink over a file -> EEXIST"
    );
    check_eq!(
        fsops::symlink(c"x", c"tmp-fsmatrix/d/"),
        Err(Errno::EEXIST),
        "symlink over d/ -> EEXIST"
    );
    check_eq!(
        fsops::symlink(c"", c"tmp-fsmatrix/empty"),
        Err(Errno::ENOENT),
        "symlink to an empty target -> ENOENT"
    );
    check_eq!(
        fsops::symlink(c"x", c"tmp-fsmatrix/new/"),
        Err(Errno::ENOENT),
        "symlink at new/ -> ENOENT"
    );

    check_ok!(
        fsops::symlink(c"l2", c"tmp-fsmatrix/l1"),
        "symlink l1 -> l2"
    );
    check_ok!(
        fsops::symlink(c"l1", c"tmp-fsmatrix/l2"),
        "symlink l2 -> l1"
    );
    check_eq!(
        fs::open(c"tmp-fsmatrix/l1", O_RDONLY, 0),
        Err(Errno::ELOOP),
        "open a link loop -> ELOOP"
    );
    check_eq!(
        fsops::stat(c"tmp-fsmatrix/l1").map(|_| ()),
        Err(Errno::ELOOP),
        "stat it -> ELOOP"
    );
    check_eq!(
        fs::open(c"tmp-fsmatrix/l1/x", O_CREAT | O_WRONLY, 0o644),
        Err(Errno::ELOOP),
        "create through it -> ELOOP"
    );
    check_ok!(fsops::lstat(c"tmp-fsmatrix/l1"), "lstat it works");
}

fn hard_links() {
    let (a, b) = (c"tmp-fsmatrix/a", c"tmp-fsmatrix/b");
    check_ok!(fsops::link(a, b), "link a b");
    let sa = check_ok!(fsops::stat(a), "stat a");
    let sb = check_ok!(fsops::stat(b), "stat b");
    check_eq!((sa.st_nlink, sb.st_nlink), (2, 2), "both have 2 links");
    check_eq!(sa.st_ino, sb.st_ino, "one inode");

    let fd = check_ok!(fs::open(b, O_WRONLY | O_APPEND, 0), "open b");
    check_eq!(io::write(fd, b"!"), Ok(1), "write through b");
    check_ok!(fs::close(fd), "close");
    let (buf, n) = content(a);
    check_eq!(&buf[..n], b"aga!", "read through a");

    let cases: [(&CStr, &CStr, Errno, &str); 6] = [
        (a, b, Errno::EEXIST, "link onto an existing name -> EEXIST"),
        (
            c"tmp-fsmatrix/d",
            c"tmp-fsmatrix/d2",
            Errno::EPERM,
            "link a directory -> EPERM",
        ),
        (
            c"tmp-fsmatrix/missing",
            c"tmp-fsmatrix/x",
            Errno::ENOENT,
            "link missing -> ENOENT",
        ),
        (
            a,
            c"tmp-fsmatrix/new/",
            Errno::ENOENT,
            "link a new/ -> ENOENT",
        ),
        (
            c"tmp-fsmatrix/a/",
            c"tmp-fsmatrix/x",
            Errno::ENOTDIR,
            "link a/ (a file) -> ENOTDIR",
        ),
        (
            a,
            c"tmp-fsmatrix/missing/x",
            Errno::ENOENT,
            "link into a missing directory -> ENOENT",
        ),
    ];
    for (old, new, err, what) in cases {
        check_eq!(fsops::link(old, new), Err(err), "{what}");
    }

    check_ok!(
        fsops::link(c"tmp-fsmatrix/la", c"tmp-fsmatrix/lb"),
        "link la lb (la is a symlink)"
    );
    check_eq!(
        fsops::lstat(c"tmp-fsmatrix/lb").map(|st| st.file_type()),
        Ok(S_IFLNK),
        "lb is the symlink itself, not followed"
    );

    check_ok!(fsops::unlink(a), "unlink a");
    check_eq!(fsops::stat(a).map(|_| ()), Err(Errno::ENOENT), "a is gone");
    check_eq!(
        fsops::unlink(a),
        Err(Errno::ENOENT),
        "unlink it again -> ENOENT"
    );
    check_eq!(
        fsops::stat(b).map(|st| st.st_nlink),
        Ok(1),
        "b is left, with 1 link"
    );
    let (buf, n) = content(b);
    check_eq!(&buf[..n], b"aga!", "and the data");
    check_eq!(
        fsops::stat(c"tmp-fsmatrix/la").map(|_| ()),
        Err(Errno::ENOENT),
        "la dangles now"
    );
}

fn unlinked_while_open() {
    let b = c"tmp-fsmatrix/b";
    let fd = check_ok!(fs::open(b, O_RDWR, 0), "open b");
    check_ok!(fsops::unlink(b), "unlink b while it is open");
    check_eq!(
        fsops::stat(b).map(|_| ()),
        Err(Errno::ENOENT),
        "its name is gone"
    );
    check_eq!(
        fs::fstat(fd).map(|st| st.st_nlink),
        Ok(0),
        "fstat shows 0 links"
    );
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"aga!", "the data is still readable");
    check_eq!(io::write(fd, b"?"), Ok(1), "and writable");
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "seek to 0");
    let (buf, n) = read_rest(fd);
    check_eq!(&buf[..n], b"aga!?", "the data");
    check_ok!(fs::close(fd), "close: now the file goes");
}

/// A name from a listing, with its type.
#[derive(Clone, Copy)]
struct Name {
    bytes: [u8; 24],
    len: usize,
    d_type: u8,
    ino: u64,
}

impl Name {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Lists directory `fd` from its current offset to the end, with a buffer
/// of `room` bytes, checking every record's shape.
fn list(fd: i32, room: usize, out: &mut [Name; 16]) -> usize {
    let mut count = 0;
    let mut buf = [0u8; 512];
    loop {
        let n = match dirent::getdents64(fd, &mut buf[..room]) {
            Ok(0) => return count,
            Ok(n) => n,
            Err(e) => vrt::check::fail(format_args!("getdents64"), format_args!("got {e}")),
        };
        let mut used = 0;
        for rec in dirent::records(&buf[..n]) {
            used += rec.reclen as usize;
            let len = rec.name.len();
            if rec.reclen % 8 != 0
                || (rec.reclen as usize) < 19 + len + 1
                || count == out.len()
                || len > 24
            {
                vrt::check::fail(
                    format_args!("getdents64 records"),
                    format_args!("bad record"),
                );
            }
            let mut name = Name {
                bytes: [0; 24],
                len,
                d_type: rec.d_type,
                ino: rec.ino,
            };
            name.bytes[..len].copy_from_slice(rec.name);
            out[count] = name;
            count += 1;
        }
        if used != n {
            vrt::check::fail(
                format_args!("getdents64 records"),
                format_args!("they do not fill the {n} bytes"),
            );
        }
    }
}

fn type_name(d_type: u8) -> &'static str {
    match d_type {
        DT_DIR => "dir",
        DT_REG => "reg",
        DT_LNK => "lnk",
        DT_CHR => "chr",
        _ => "?",
    }
}

fn listing(d: i32) {
    check_ok!(fsops::mkdirat(d, c"list", 0o755), "mkdirat list");
    for name in [c"list/f1", c"list/f2", c"list/f3", c"list/f4", c"list/f5"] {
        let fd = check_ok!(
            fs::openat(d, name, O_CREAT | O_WRONLY, 0o644),
            "create {}",
            Bytes(name.to_bytes())
        );
        check_ok!(fs::close(fd), "close");
    }
    check_ok!(fsops::mkdirat(d, c"list/sub", 0o755), "mkdirat list/sub");
    check_ok!(
        fsops::symlink(c"f1", c"tmp-fsmatrix/list/ln"),
        "symlink list/ln"
    );

    let fd = check_ok!(
        fs::openat(d, c"list", O_RDONLY | O_DIRECTORY, 0),
        "open list"
    );
    let mut names = [Name {
        bytes: [0; 24],
        len: 0,
        d_type: 0,
        ino: 0,
    }; 16];
    let count = list(fd, 64, &mut names);
    check_eq!(count, 9, "getdents64 with a 64-byte buffer lists 9 entries");
    let names = &mut names[..count];
    names.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    vrt::print!("list:");
    for name in names.iter() {
        vrt::print!(" {} ({})", Bytes(name.as_bytes()), type_name(name.d_type));
    }
    vrt::println!();
    let f1 = fsops::stat(c"tmp-fsmatrix/list/f1").map(|st| st.st_ino);
    check_eq!(Ok(names[2].ino), f1, "d_ino of f1 is its st_ino");
    check_eq!(dirent::getdents64(fd, &mut [0; 64]), Ok(0), "at the end: 0");

    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "rewind with lseek");
    let mut again = [Name {
        bytes: [0; 24],
        len: 0,
        d_type: 0,
        ino: 0,
    }; 16];
    check_eq!(
        list(fd, 512, &mut again),
        9,
        "a big buffer lists the same 9"
    );
    check_eq!(fs::lseek(fd, 0, SEEK_SET), Ok(0), "rewind");
    check_eq!(
        dirent::getdents64(fd, &mut [0; 8]),
        Err(Errno::EINVAL),
        "a buffer too small for one record -> EINVAL"
    );
    // SAFETY: the kernel is expected to refuse to write at NULL.
    let null = unsafe { dirent::getdents64_raw(fd, ptr::null_mut(), 64) };
    check_eq!(null, Err(Errno::EFAULT), "getdents64 into NULL -> EFAULT");
    check_eq!(
        dirent::getdents64(BAD_FD, &mut [0; 64]),
        Err(Errno::EBADF),
        "getdents64 on a bad fd -> EBADF"
    );
    let file = check_ok!(fs::openat(d, c"list/f1", O_RDONLY, 0), "open list/f1");
    check_eq!(
        dirent::getdents64(file, &mut [0; 64]),
        Err(Errno::ENOTDIR),
        "getdents64 on a file -> ENOTDIR"
    );
    check_ok!(fs::close(file), "close");

    // `rm -r`: remove each entry as soon as it is listed. Each must come
    // exactly once.
    let mut removed = 0;
    let mut buf = [0u8; 64];
    loop {
        let n = match dirent::getdents64(fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => vrt::check::fail(format_args!("getdents64"), format_args!("got {e}")),
        };
        for rec in dirent::records(&buf[..n]) {
            if rec.name == b"." || rec.name == b".." {
                continue;
            }
            let mut path = [0u8; 32];
            path[..rec.name.len()].copy_from_slice(rec.name);
            let Ok(name) = CStr::from_bytes_until_nul(&path) else {
                continue;
            };
            let flags = if rec.d_type == DT_DIR {
                AT_REMOVEDIR
            } else {
                0
            };
            if fsops::unlinkat(fd, name, flags).is_ok() {
                removed += 1;
            }
        }
    }
    check_eq!(
        removed,
        7,
        "removing entries while listing: each of the 7 comes once"
    );
    check_eq!(list(fd, 512, &mut again), 0, "nothing more to list");
    check_ok!(fs::close(fd), "close list");
    check_ok!(
        fsops::unlinkat(d, c"list", AT_REMOVEDIR),
        "list is empty: rmdir it"
    );

    // A removed directory that is still open.
    check_ok!(fsops::mkdirat(d, c"gone", 0o755), "mkdirat gone");
    let fd = check_ok!(
        fs::openat(d, c"gone", O_RDONLY | O_DIRECTORY, 0),
        "open gone"
    );
    check_ok!(
        fsops::unlinkat(d, c"gone", AT_REMOVEDIR),
        "rmdir gone while it is open"
    );
    check_eq!(
        dirent::getdents64(fd, &mut [0; 64]),
        Err(Errno::ENOENT),
        "getdents64 on it -> ENOENT"
    );
    check_eq!(
        fs::fstat(fd).map(|st| st.st_nlink),
        Ok(0),
        "fstat shows 0 links"
    );
    check_eq!(
        fs::openat(fd, c"x", O_CREAT | O_WRONLY, 0o644),
        Err(Errno::ENOENT),
        "creating in it -> ENOENT"
    );
    check_eq!(
        fsops::mkdirat(fd, c"x", 0o755),
        Err(Errno::ENOENT),
        "mkdirat in it -> ENOENT"
    );
    check_ok!(fs::close(fd), "close");
}

fn modes() {
    let c = c"tmp-fsmatrix/c";
    let fd = check_ok!(fs::open(c, O_CREAT | O_EXCL | O_RDWR, 0o644), "create c");
    let perms = |path: &CStr| fsops::stat(path).map(|st| st.permissions());
    check_ok!(fsops::chmod(c, 0o600), "chmod c 0600");
    check_eq!(perms(c), Ok(0o600), "mode 0600");
    check_ok!(fsops::access(c, R_OK | W_OK), "access R_OK|W_OK");
    check_eq!(
        fsops::access(c, X_OK),
        Err(Errno::EACCES),
        "access X_OK without x bits -> EACCES"
    );
    check_ok!(fsops::chmod(c, 0o755), "chmod c 0755");
    check_ok!(fsops::access(c, X_OK), "access X_OK");
    check_ok!(fsops::fchmod(fd, 0o640), "fchmod 0640");
    check_eq!(perms(c), Ok(0o640), "mode 0640");
    check_ok!(fsops::chmod(c, 0o4755), "chmod c 04755");
    check_eq!(perms(c), Ok(0o4755), "the set-user-ID bit is kept");
    check_ok!(fsops::chmod(c, 0o644), "chmod c 0644");
    check_ok!(
        fsops::access(c"tmp-fsmatrix/d", X_OK),
        "access a directory X_OK"
    );
    check_ok!(fsops::access(c, F_OK), "access F_OK");
    check_eq!(
        fsops::access(c"tmp-fsmatrix/missing", F_OK),
        Err(Errno::ENOENT),
        "access missing -> ENOENT"
    );
    check_eq!(
        fsops::access(c, 8),
        Err(Errno::EINVAL),
        "access with mode 8 -> EINVAL"
    );
    check_eq!(
        fsops::chmod(c"tmp-fsmatrix/missing", 0o644),
        Err(Errno::ENOENT),
        "chmod missing -> ENOENT"
    );
    check_eq!(
        fsops::fchmod(BAD_FD, 0o644),
        Err(Errno::EBADF),
        "fchmod a bad fd -> EBADF"
    );
    check_ok!(fsops::symlink(c"c", c"tmp-fsmatrix/lc"), "symlink lc -> c");
    check_ok!(
        fsops::chmod(c"tmp-fsmatrix/lc", 0o600),
        "chmod through a link"
    );
    check_eq!(perms(c), Ok(0o600), "changes the target");
    check_ok!(fs::close(fd), "close");
}

fn stat_family(d: i32) {
    let st = check_ok!(fsops::fstatat(d, c"c", 0), "newfstatat(d, c)");
    check_eq!(st.file_type(), S_IFREG, "a regular file");
    check_eq!(
        fsops::fstatat(d, c"lc", AT_SYMLINK_NOFOLLOW).map(|st| st.file_type()),
        Ok(S_IFLNK),
        "newfstatat(AT_SYMLINK_NOFOLLOW) on a link: the link"
    );
    check_eq!(
        fsops::fstatat(d, c"lc", 0).map(|st| st.st_ino),
        Ok(st.st_ino),
        "newfstatat without it: the target"
    );
    let fd = check_ok!(fs::openat(d, c"c", O_RDONLY, 0), "open c");
    check_eq!(
        fsops::fstatat(fd, c"", AT_EMPTY_PATH).map(|st| st.st_ino),
        Ok(st.st_ino),
        "newfstatat(fd, \"\", AT_EMPTY_PATH) is fstat"
    );
    check_eq!(
        fsops::fstatat(d, c"", 0).map(|_| ()),
        Err(Errno::ENOENT),
        "an empty path without AT_EMPTY_PATH -> ENOENT"
    );
    check_eq!(
        fsops::stat(c"").map(|_| ()),
        Err(Errno::ENOENT),
        "stat \"\" -> ENOENT"
    );
    check_eq!(
        fsops::fstatat(d, c"c", 0x4).map(|_| ()),
        Err(Errno::EINVAL),
        "newfstatat with an unknown flag -> EINVAL"
    );
    check_eq!(
        fsops::fstatat(fd, c"x", 0).map(|_| ()),
        Err(Errno::ENOTDIR),
        "relative to a file fd -> ENOTDIR"
    );
    check_eq!(
        fsops::fstatat(BAD_FD, c"x", 0).map(|_| ()),
        Err(Errno::EBADF),
        "relative to a bad fd -> EBADF"
    );
    check_eq!(
        fsops::fstatat(BAD_FD, c"/dev/null", 0).map(|st| st.file_type()),
        Ok(S_IFCHR),
        "an absolute path ignores the fd"
    );
    check_eq!(
        fs::fstat(BAD_FD).map(|_| ()),
        Err(Errno::EBADF),
        "fstat a bad fd -> EBADF"
    );
    check_ok!(fs::close(fd), "close");
}

fn at_calls(d: i32) {
    check_ok!(fsops::mkdirat(d, c"m", 0o700), "mkdirat(d, m)");
    check_eq!(
        fsops::fstatat(d, c"m", 0).map(|st| (st.file_type(), st.permissions())),
        Ok((S_IFDIR, 0o700)),
        "a directory, mode 0700"
    );
    check_eq!(
        fsops::unlinkat(d, c"m", 0),
        Err(Errno::EISDIR),
        "unlinkat a directory without AT_REMOVEDIR -> EISDIR"
    );
    check_eq!(
        fsops::unlinkat(d, c"c", AT_REMOVEDIR),
        Err(Errno::ENOTDIR),
        "unlinkat a file with AT_REMOVEDIR -> ENOTDIR"
    );
    check_eq!(
        fsops::unlinkat(d, c"c", 0x1),
        Err(Errno::EINVAL),
        "unlinkat with an unknown flag -> EINVAL"
    );
    check_ok!(
        fsops::unlinkat(d, c"m", AT_REMOVEDIR),
        "unlinkat(d, m, AT_REMOVEDIR)"
    );
    check_ok!(fsops::faccessat(d, c"c", R_OK), "faccessat(d, c, R_OK)");
    check_eq!(
        fsops::faccessat(d, c"missing", F_OK),
        Err(Errno::ENOENT),
        "faccessat(d, missing) -> ENOENT"
    );
    let fd = check_ok!(
        fs::openat(d, c"o", O_CREAT | O_EXCL | O_WRONLY, 0o644),
        "openat(d, o, O_CREAT)"
    );
    check_eq!(
        fsops::mkdirat(fd, c"x", 0o755),
        Err(Errno::ENOTDIR),
        "mkdirat relative to a file fd -> ENOTDIR"
    );
    check_ok!(fs::close(fd), "close");
    check_ok!(fsops::unlinkat(d, c"o", 0), "unlinkat(d, o)");
}

/// A path built at run time, NUL-terminated on demand.
struct PathBuf {
    buf: [u8; 4200],
    len: usize,
}

impl PathBuf {
    fn new(start: &[u8]) -> PathBuf {
        let mut p = PathBuf {
            buf: [0; 4200],
            len: 0,
        };
        p.push(start);
        p
    }

    fn push(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    fn as_cstr(&mut self) -> &CStr {
        self.buf[self.len] = 0;
        CStr::from_bytes_with_nul(&self.buf[..=self.len]).unwrap_or(c"")
    }
}

fn limits() {
    // A name of 255 bytes is fine, 256 is too long.
    let mut name = PathBuf::new(b"tmp-fsmatrix/");
    name.push(&[b'n'; 255]);
    let fd = check_ok!(
        fs::open(name.as_cstr(), O_CREAT | O_WRONLY, 0o644),
        "create a file with a 255-byte name"
    );
    check_ok!(fs::close(fd), "close");
    check_ok!(fsops::unlink(name.as_cstr()), "unlink it");
    name.push(b"n");
    check_eq!(
        fs::open(name.as_cstr(), O_CREAT | O_WRONLY, 0o644),
        Err(Errno::ENAMETOOLONG),
        "a 256-byte name -> ENAMETOOLONG"
    );
    check_eq!(
        fsops::mkdir(name.as_cstr(), 0o755),
        Err(Errno::ENAMETOOLONG),
        "mkdir with it -> ENAMETOOLONG"
    );

    // A path of 4095 bytes is fine (the NUL makes 4096 = PATH_MAX).
    let mut path = PathBuf::new(b"tmp-fsmatrix");
    while path.len < 4095 {
        path.push(b"/");
    }
    check_eq!(
        fsops::stat(path.as_cstr()).map(|st| st.file_type()),
        Ok(S_IFDIR),
        "a 4095-byte path works"
    );
    path.push(b"/");
    check_eq!(
        fsops::stat(path.as_cstr()).map(|_| ()),
        Err(Errno::ENAMETOOLONG),
        "a 4096-byte path -> ENAMETOOLONG"
    );

    // A chain of symlinks: 40 are followed, 41 are too many.
    check_ok!(fsops::mkdir(c"tmp-fsmatrix/chain", 0o755), "mkdir chain");
    let fd = check_ok!(
        fs::open(c"tmp-fsmatrix/chain/s0", O_CREAT | O_WRONLY, 0o644),
        "create chain/s0"
    );
    check_ok!(fs::close(fd), "close");
    let mut made = 0;
    for i in 1..=41u32 {
        let mut target = PathBuf::new(b"s");
        push_number(&mut target, i - 1);
        let mut link = PathBuf::new(b"tmp-fsmatrix/chain/s");
        push_number(&mut link, i);
        if fsops::symlink(target.as_cstr(), link.as_cstr()).is_ok() {
            made += 1;
        }
    }
    check_eq!(made, 41, "symlinks s1 -> s0, ..., s41 -> s40");
    check_eq!(
        fsops::stat(c"tmp-fsmatrix/chain/s40").map(|st| st.file_type()),
        Ok(S_IFREG),
        "following 40 links works"
    );
    check_eq!(
        fsops::stat(c"tmp-fsmatrix/chain/s41").map(|_| ()),
        Err(Errno::ELOOP),
        "41 -> ELOOP"
    );
}

fn push_number(p: &mut PathBuf, n: u32) {
    if n >= 10 {
        push_number(p, n / 10);
    }
    p.push(&[b'0' + (n % 10) as u8]);
}

fn bad_pointers() {
    let mut st = vrt::stat::Stat::default();
    // SAFETY: the kernel only reads at NULL (and refuses); `st` is ours.
    let r = unsafe { fsops::stat_raw(ptr::null(), &raw mut st) };
    check_eq!(r, Err(Errno::EFAULT), "stat(NULL) -> EFAULT");
    // SAFETY: the kernel is expected to refuse to write at NULL.
    let r = unsafe { fsops::stat_raw(c"tmp-fsmatrix".as_ptr().cast(), ptr::null_mut()) };
    check_eq!(r, Err(Errno::EFAULT), "stat into NULL -> EFAULT");
    check_eq!(
        fsops::unlink_raw(ptr::null()),
        Err(Errno::EFAULT),
        "unlink(NULL) -> EFAULT"
    );
    // SAFETY: as above.
    let r = unsafe { fsops::readlink_raw(c"tmp-fsmatrix/lc", ptr::null_mut(), 16) };
    check_eq!(r, Err(Errno::EFAULT), "readlink into NULL -> EFAULT");
}

fn devices() {
    let fd = check_ok!(fs::open(c"/dev/null", O_RDWR, 0), "open /dev/null");
    check_eq!(
        io::write(fd, &[b'x'; 100]),
        Ok(100),
        "writing 100 bytes to it: all taken"
    );
    check_eq!(io::read(fd, &mut [0; 16]), Ok(0), "reading it: end of file");
    check_eq!(fs::lseek(fd, 100, SEEK_SET), Ok(0), "lseek on it -> 0");
    let st = check_ok!(fs::fstat(fd), "fstat it");
    check_eq!(st.file_type(), S_IFCHR, "a character device");
    vrt::println!(
        "/dev/null is device {}:{}",
        major(st.st_rdev),
        minor(st.st_rdev)
    );
    check_ok!(fs::close(fd), "close");

    let fd = check_ok!(fs::open(c"/dev/zero", O_RDWR, 0), "open /dev/zero");
    let mut buf = [0xaau8; 64];
    check_eq!(io::read(fd, &mut buf), Ok(64), "reading 64 bytes of it");
    check!(buf.iter().all(|&b| b == 0), "they are zeros");
    check_eq!(io::write(fd, b"abc"), Ok(3), "writing to it: all taken");
    let st = check_ok!(fsops::stat(c"/dev/zero"), "stat /dev/zero");
    check_eq!(st.file_type(), S_IFCHR, "a character device");
    vrt::println!(
        "/dev/zero is device {}:{}",
        major(st.st_rdev),
        minor(st.st_rdev)
    );
    check_ok!(fs::close(fd), "close");
}

fn major(rdev: u64) -> u64 {
    (rdev >> 8) & 0xfff
}

fn minor(rdev: u64) -> u64 {
    (rdev & 0xff) | ((rdev >> 12) & 0xfff00)
}

fn credentials() {
    check_eq!(cred::getuid(), cred::geteuid(), "getuid() == geteuid()");
    check_eq!(cred::getgid(), cred::getegid(), "getgid() == getegid()");
}

/// Removes `name` (relative to `parent`) and, for a directory, everything
/// in it, like `rm -rf`. Missing is fine.
fn remove_tree(parent: i32, name: &CStr) {
    let Ok(st) = fsops::fstatat(parent, name, AT_SYMLINK_NOFOLLOW) else {
        return;
    };
    if st.file_type() != S_IFDIR {
        let _ = fsops::unlinkat(parent, name, 0);
        return;
    }
    let Ok(fd) = fs::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0) else {
        return;
    };
    let mut buf = [0u8; 1024];
    while let Ok(n @ 1..) = dirent::getdents64(fd, &mut buf) {
        for rec in dirent::records(&buf[..n]) {
            if rec.name == b"." || rec.name == b".." {
                continue;
            }
            let mut path = [0u8; 260];
            path[..rec.name.len()].copy_from_slice(rec.name);
            if let Ok(child) = CStr::from_bytes_until_nul(&path) {
                remove_tree(fd, child);
            }
        }
    }
    let _ = fs::close(fd);
    let _ = fsops::unlinkat(parent, name, AT_REMOVEDIR);
}
