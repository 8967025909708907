//! File locks (`File::lock`, `try_lock`, shared and exclusive, through
//! two opens of one file) and file times (`set_times`, `set_modified`,
//! `metadata().modified()/accessed()`), compared with
//! Linux. Times are set to fixed values, so they print the same on both.

use std::fs::{self, File, FileTimes, TryLockError};
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn lock_state(r: Result<(), TryLockError>) -> &'static str {
    match r {
        Ok(()) => "acquired",
        Err(TryLockError::WouldBlock) => "would block",
        Err(TryLockError::Error(_)) => "error",
    }
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn main() -> std::io::Result<()> {
    let dir = phase2_programs::scratch("fs-lock-times")?;
    fs::write("locked", "x")?;
    let a = File::open("locked")?;
    let b = File::open("locked")?;

    a.lock()?;
    println!(
        "b.try_lock while a holds it exclusively: {}",
        lock_state(b.try_lock())
    );
    println!("b.try_lock_shared too: {}", lock_state(b.try_lock_shared()));
    a.unlock()?;
    println!("after a.unlock, b.try_lock: {}", lock_state(b.try_lock()));
    b.unlock()?;
    a.lock_shared()?;
    println!(
        "shared by a, b.try_lock_shared: {}",
        lock_state(b.try_lock_shared())
    );
    println!("shared by both, a.try_lock: {}", lock_state(a.try_lock()));
    b.unlock()?;
    println!("b gone, a upgrades: {}", lock_state(a.try_lock()));
    drop(a);
    println!("a closed, b.try_lock: {}", lock_state(b.try_lock()));
    drop(b);

    // Times: fixed values in, the same values out.
    let t1 = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let t2 = UNIX_EPOCH + Duration::from_secs(1_500_000_000);
    let mut f = File::create("timed")?;
    f.write_all(b"data")?;
    f.set_times(FileTimes::new().set_accessed(t1).set_modified(t2))?;
    let m = f.metadata()?;
    println!(
        "accessed {} modified {}",
        secs(m.accessed()?),
        secs(m.modified()?)
    );
    f.set_modified(t1)?;
    let m = fs::metadata("timed")?;
    println!(
        "after set_modified: accessed {} modified {}",
        secs(m.accessed()?),
        secs(m.modified()?)
    );
    drop(f);
    fs::File::options()
        .write(true)
        .open("timed")?
        .write_all(b"more")?;
    let m = fs::metadata("timed")?;
    println!(
        "a write moves modified to now: {}",
        secs(m.modified()?) > 1_500_000_000
    );
    File::open("timed")?.set_times(FileTimes::new().set_modified(t2))?;
    println!(
        "set_times through a read-only open: modified {}",
        secs(fs::metadata("timed")?.modified()?)
    );
    phase2_programs::cleanup(&dir);
    println!("ok");
    Ok(())
}
