//! std::fs on files: create, write, read back, seek, truncate, append,
//! metadata (type, length, read-only), copy, rename, hard links, remove,
//! and the errors Linux gives for the usual mistakes.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};

fn main() -> std::io::Result<()> {
    let dir = phase2_programs::scratch("fs-files")?;

    // Create, write, read back.
    let mut f = File::create("a.txt")?;
    f.write_all(b"hello, files\n")?;
    drop(f);
    println!("read back: {:?}", fs::read_to_string("a.txt")?);

    // Seek and overwrite in the middle; read from an offset.
    let mut f = OpenOptions::new().read(true).write(true).open("a.txt")?;
    f.seek(SeekFrom::Start(7))?;
    f.write_all(b"FILES")?;
    let mut tail = String::new();
    f.seek(SeekFrom::End(-6))?;
    f.read_to_string(&mut tail)?;
    println!(
        "after overwrite: {:?}, tail {:?}",
        fs::read_to_string("a.txt")?,
        tail
    );
    println!("position at end: {}", f.stream_position()?);

    // set_len shrinks and grows (with zeros).
    f.set_len(5)?;
    println!("after set_len(5): {:?}", fs::read("a.txt")?);
    f.set_len(8)?;
    println!("after set_len(8): {:?}", fs::read("a.txt")?);
    f.sync_all()?;
    f.sync_data()?;
    drop(f);

    // Append mode writes at the end whatever the offset.
    let mut f = OpenOptions::new().append(true).open("a.txt")?;
    f.write_all(b"+tail")?;
    drop(f);
    println!("after append: {:?}", fs::read("a.txt")?);

    // Metadata.
    let m = fs::metadata("a.txt")?;
    println!(
        "metadata: file {} dir {} symlink {} len {} readonly {}",
        m.is_file(),
        m.is_dir(),
        m.file_type().is_symlink(),
        m.len(),
        m.permissions().readonly()
    );
    let modified = m.modified()?;
    let age = std::time::SystemTime::now()
        .duration_since(modified)
        .unwrap_or_default();
    println!("modified within the last minute: {}", age.as_secs() < 60);

    // Permissions: read-only, then writable again.
    let mut perm = m.permissions();
    perm.set_readonly(true);
    fs::set_permissions("a.txt", perm.clone())?;
    println!(
        "readonly now: {}",
        fs::metadata("a.txt")?.permissions().readonly()
    );
    perm.set_readonly(false);
    fs::set_permissions("a.txt", perm)?;

    // try_clone shares the offset.
    let mut f = File::open("a.txt")?;
    let mut g = f.try_clone()?;
    let mut two = [0u8; 2];
    f.read_exact(&mut two)?;
    g.read_exact(&mut two)?;
    println!(
        "clone continues where the original stopped: {:?}",
        std::str::from_utf8(&two)
    );

    // copy, rename, hard_link, remove.
    println!("copied {} bytes", fs::copy("a.txt", "b.txt")?);
    fs::rename("b.txt", "c.txt")?;
    println!(
        "b exists {}, c exists {}",
        fs::exists("b.txt")?,
        fs::exists("c.txt")?
    );
    fs::hard_link("c.txt", "d.txt")?;
    fs::write("d.txt", b"through the link")?;
    println!("c through its link: {:?}", fs::read_to_string("c.txt")?);
    fs::remove_file("c.txt")?;
    println!("d after removing c: {:?}", fs::read_to_string("d.txt")?);

    // create_new on an existing file; open a missing one; write a
    // read-only handle; a directory as a file; options without access.
    let e = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open("a.txt")
        .unwrap_err();
    println!("create_new existing: {:?} {e}", e.kind());
    let e = File::open("missing.txt").unwrap_err();
    println!("open missing: {:?} {e}", e.kind());
    let e = File::open("a.txt")?.write(b"x").unwrap_err();
    println!("write read-only: {:?}", e.kind());
    fs::create_dir("sub")?;
    let e = OpenOptions::new().write(true).open("sub").unwrap_err();
    println!("open dir for writing: {:?} {e}", e.kind());
    let e = OpenOptions::new().open("a.txt").unwrap_err();
    println!("no access mode: {:?} {e}", e.kind());
    let e = OpenOptions::new()
        .read(true)
        .truncate(true)
        .open("a.txt")
        .unwrap_err();
    println!("truncate read-only: {:?} {e}", e.kind());
    let e = fs::remove_file("sub").unwrap_err();
    println!("remove_file on a dir: {:?} {e}", e.kind());
    let e = fs::copy("sub", "x").unwrap_err();
    println!("copy a dir: {:?} {e}", e.kind());
    let e = File::open("a.txt/x").unwrap_err();
    println!("file as a dir: {:?} {e}", e.kind());

    phase2_programs::cleanup(&dir);
    println!("ok");
    Ok(())
}
