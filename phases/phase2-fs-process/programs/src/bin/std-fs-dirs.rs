//! std::fs on directories: create_dir(_all), read_dir with file types
//! (sorted: the order of entries is the file system's), symbolic links,
//! read_link, canonicalize, remove_dir(_all), and their errors.

use std::fs;
use std::path::Path;

fn list(dir: &str) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let t = entry.file_type()?;
        let kind = if t.is_dir() {
            "dir"
        } else if t.is_symlink() {
            "link"
        } else if t.is_file() {
            "file"
        } else {
            "other"
        };
        let name = entry.file_name().into_string().unwrap();
        assert_eq!(entry.path(), Path::new(dir).join(&name));
        // A directory's length is the file system's business; a file's
        // and a link's (its target's length) are not.
        let len = entry.metadata()?.len();
        match kind {
            "dir" => names.push(format!("{name} ({kind})")),
            _ => names.push(format!("{name} ({kind}, {len} bytes)")),
        }
    }
    names.sort();
    Ok(names)
}

fn main() -> std::io::Result<()> {
    let dir = phase2_programs::scratch("fs-dirs")?;
    let base = fs::canonicalize(".")?;

    fs::create_dir_all("a/b/c")?;
    fs::create_dir_all("a/b/c")?; // already there: still Ok
    fs::write("a/one.txt", "1")?;
    fs::write("a/b/two.txt", "22")?;
    for i in 0..40 {
        fs::write(format!("a/b/c/f{i:02}"), "x".repeat(i))?;
    }

    println!("a: {:?}", list("a")?);
    println!("a/b: {:?}", list("a/b")?);
    println!("a/b/c has {} entries", fs::read_dir("a/b/c")?.count());

    // Symbolic links: to a file, to a directory, dangling.
    {
        symlink("one.txt", "a/link-to-one")?;
        symlink("b", "a/link-to-b")?;
        symlink("nowhere", "a/dangling")?;
        println!("a with links: {:?}", list("a")?);
        println!("read_link: {:?}", fs::read_link("a/link-to-one")?);
        println!(
            "through the link: {:?}",
            fs::read_to_string("a/link-to-one")?
        );
        println!(
            "symlink_metadata is link {}, metadata is file {}",
            fs::symlink_metadata("a/link-to-one")?
                .file_type()
                .is_symlink(),
            fs::metadata("a/link-to-one")?.is_file()
        );
        println!("dangling exists: {}", fs::exists("a/dangling")?);
        let c = fs::canonicalize("a/link-to-b/c/../two.txt")?;
        println!("canonicalize: {:?}", c.strip_prefix(&base).unwrap());
        let e = fs::canonicalize("a/dangling").unwrap_err();
        println!("canonicalize dangling: {:?} {e}", e.kind());
        let e = fs::read_link("a/one.txt").unwrap_err();
        println!("read_link of a file: {:?} {e}", e.kind());
    }
    let e = fs::canonicalize("a/one.txt/..").unwrap_err();
    println!("canonicalize through a file: {:?} {e}", e.kind());

    // Errors.
    let e = fs::create_dir("a").unwrap_err();
    println!("create_dir existing: {:?} {e}", e.kind());
    let e = fs::create_dir("x/y").unwrap_err();
    println!("create_dir without parent: {:?} {e}", e.kind());
    let e = fs::remove_dir("a").unwrap_err();
    println!("remove_dir non-empty: {:?} {e}", e.kind());
    let e = fs::remove_dir("a/one.txt").unwrap_err();
    println!("remove_dir on a file: {:?} {e}", e.kind());
    let e = fs::read_dir("a/one.txt").unwrap_err();
    println!("read_dir on a file: {:?} {e}", e.kind());
    let e = fs::read_dir("missing").unwrap_err();
    println!("read_dir missing: {:?} {e}", e.kind());
    let e = fs::rename("a", "a/b/inside").unwrap_err();
    println!("rename into itself: {:?} {e}", e.kind());

    // Renaming a directory moves its contents.
    fs::rename("a/b", "moved")?;
    println!("moved: {:?}", list("moved")?);

    fs::remove_dir_all("a")?;
    fs::remove_dir_all("moved")?;
    println!("after remove_dir_all: {:?}", list(".")?);
    phase2_programs::cleanup(&dir);
    println!("ok");
    Ok(())
}

#[cfg(unix)]
fn symlink(original: &str, link: &str) -> std::io::Result<()> {
    std::os::unix::fs::symlink(original, link)
}

/// std offers `symlink` only in `std::os::unix` (and Windows'), which
/// vibix does not have; the soft-link function std deprecated in their
/// favour still exists on every platform.
#[cfg(not(unix))]
#[allow(deprecated)]
fn symlink(original: &str, link: &str) -> std::io::Result<()> {
    fs::soft_link(original, link)
}
