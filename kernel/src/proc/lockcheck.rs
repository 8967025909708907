//! The kernel's lock assertions, compiled into every kernel (they cost a
//! few loads per task switch). vibix's locks are spinlocks; on one CPU
//! with a kernel that is never preempted, a spinlock held across a switch
//! would deadlock the next task that takes it (finding O-B1). So at every
//! switch none of the kernel's global locks may be held, and a futex
//! bucket's lock is never taken while the process table is held (the one
//! order is bucket, then table: `futex.rs` reads the futex word, through
//! the table, with its bucket locked).

/// Panics if a global lock is held at a task switch.
pub fn assert_none_held() {
    let held = [
        ("the process table", super::TABLE.is_locked()),
        ("the wake-up list", super::sched::WAKEUPS.is_locked()),
        ("the timer's deadlines", super::timer::is_locked()),
        ("a futex bucket", super::futex::any_bucket_locked()),
        ("the file tree", crate::fs::tree_is_locked()),
    ];
    for (name, locked) in held {
        assert!(!locked, "task switch with {name} locked");
    }
}

/// Panics if the process table is held where a futex bucket is about to
/// be locked (the lock order is bucket, then table).
pub fn assert_table_free_for_bucket() {
    assert!(
        !super::TABLE.is_locked(),
        "a futex bucket locked under the process table (order: bucket, then table)"
    );
}
