//! `flock` locks on one file: who holds which, and whether a request
//! conflicts, as Linux decides it (`fs/locks.c`).
//!
//! A lock belongs to an *owner*, which for `flock` is an open file
//! description: descriptors that share a description (through `dup` or
//! `fork`) share its lock, and opening the file again makes a new owner
//! that can conflict with the first. The kernel names owners with any
//! value it likes; this module only compares them.
//!
//! An owner holds at most one lock per file, shared or exclusive. Shared
//! locks get along with each other; an exclusive lock gets along with
//! nothing of another owner's. Asking for the kind an owner already holds
//! is granted at once; asking for the other kind (a conversion) first gives
//! up the lock it holds, then asks anew, exactly as Linux does: a conversion
//! that conflicts leaves the owner with no lock at all.

use alloc::vec::Vec;

/// The two kinds of lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKind {
    /// `LOCK_SH`: many owners may hold one at once.
    Shared,
    /// `LOCK_EX`: the only lock on the file.
    Exclusive,
}

/// A request that cannot be granted now: another owner holds a lock that
/// conflicts with it (`EWOULDBLOCK` for `LOCK_NB`, else wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict;

/// The `flock` locks on one file, by owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLocks<O> {
    holders: Vec<(O, LockKind)>,
}

impl<O> Default for FileLocks<O> {
    fn default() -> FileLocks<O> {
        FileLocks {
            holders: Vec::new(),
        }
    }
}

/// Whether a lock of kind `a` and one of kind `b`, held by two different
/// owners, can exist together: only two shared ones can.
pub fn conflicts(a: LockKind, b: LockKind) -> bool {
    a == LockKind::Exclusive || b == LockKind::Exclusive
}

impl<O: Copy + Eq> FileLocks<O> {
    /// No locks.
    pub fn new() -> FileLocks<O> {
        FileLocks::default()
    }

    /// What `owner` holds, if anything.
    pub fn held_by(&self, owner: O) -> Option<LockKind> {
        self.holders
            .iter()
            .find(|&&(o, _)| o == owner)
            .map(|&(_, kind)| kind)
    }

    /// Whether nobody holds a lock.
    pub fn is_empty(&self) -> bool {
        self.holders.is_empty()
    }

    /// `flock(LOCK_SH)` or `flock(LOCK_EX)` by `owner`. Granted if nobody
    /// else holds a conflicting lock; a conversion gives up the old lock
    /// first, even when the new one is then refused (see the module docs).
    pub fn lock(&mut self, owner: O, kind: LockKind) -> Result<(), Conflict> {
        match self.held_by(owner) {
            Some(held) if held == kind => return Ok(()),
            Some(_) => {
                self.unlock(owner);
            }
            None => {}
        }
        if self.holders.iter().any(|&(_, k)| conflicts(k, kind)) {
            return Err(Conflict);
        }
        self.holders.push((owner, kind));
        Ok(())
    }

    /// `flock(LOCK_UN)` by `owner`, or its description going away: drops
    /// what it holds. Returns whether it held anything (then others may
    /// be waiting for it).
    pub fn unlock(&mut self, owner: O) -> bool {
        let before = self.holders.len();
        self.holders.retain(|&(o, _)| o != owner);
        self.holders.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::LockKind::{Exclusive, Shared};
    use super::*;
    use crate::test_util::Rng;

    #[test]
    fn shared_locks_share() {
        let mut l = FileLocks::new();
        assert_eq!(l.lock(1, Shared), Ok(()));
        assert_eq!(l.lock(2, Shared), Ok(()));
        assert_eq!(l.held_by(1), Some(Shared));
        assert_eq!(l.held_by(2), Some(Shared));
        assert_eq!(l.lock(3, Exclusive), Err(Conflict));
        assert_eq!(l.held_by(3), None, "a refused request holds nothing");
    }

    #[test]
    fn an_exclusive_lock_excludes_every_other_owner() {
        let mut l = FileLocks::new();
        assert_eq!(l.lock(1, Exclusive), Ok(()));
        assert_eq!(l.lock(2, Shared), Err(Conflict));
        assert_eq!(l.lock(2, Exclusive), Err(Conflict));
        assert_eq!(
            l.lock(1, Exclusive),
            Ok(()),
            "the owner asks again: it has it"
        );
        assert!(l.unlock(1));
        assert_eq!(l.lock(2, Shared), Ok(()));
    }

    #[test]
    fn conversions() {
        let mut l = FileLocks::new();
        assert_eq!(l.lock(1, Shared), Ok(()));
        assert_eq!(l.lock(1, Exclusive), Ok(()), "alone: upgraded");
        assert_eq!(l.held_by(1), Some(Exclusive));
        assert_eq!(l.lock(1, Shared), Ok(()), "downgraded");
        assert_eq!(l.held_by(1), Some(Shared));
        assert_eq!(l.lock(2, Shared), Ok(()));
        // An upgrade that conflicts gives up the shared lock all the same.
        assert_eq!(l.lock(1, Exclusive), Err(Conflict));
        assert_eq!(l.held_by(1), None);
        assert_eq!(l.held_by(2), Some(Shared));
        assert_eq!(l.lock(2, Exclusive), Ok(()), "now alone: 2 upgrades");
    }

    #[test]
    fn unlock_releases_only_the_owners_lock() {
        let mut l = FileLocks::new();
        assert!(!l.unlock(1), "nothing to release");
        l.lock(1, Shared).unwrap();
        l.lock(2, Shared).unwrap();
        assert!(l.unlock(1));
        assert!(!l.unlock(1));
        assert_eq!(l.held_by(2), Some(Shared));
        assert!(!l.is_empty());
        assert!(l.unlock(2));
        assert!(l.is_empty());
    }

    #[test]
    fn the_conflict_table() {
        assert!(!conflicts(Shared, Shared));
        assert!(conflicts(Shared, Exclusive));
        assert!(conflicts(Exclusive, Shared));
        assert!(conflicts(Exclusive, Exclusive));
    }

    /// Random requests by a few owners: afterwards either one exclusive
    /// holder or only shared ones, each owner at most once, and each
    /// request's outcome as the rules say.
    #[test]
    fn random_requests_keep_the_invariants() {
        let mut rng = Rng::new(7);
        let mut l = FileLocks::new();
        let rounds = if cfg!(miri) { 300 } else { 10_000 };
        for _ in 0..rounds {
            let owner = rng.below(4);
            match rng.below(3) {
                0 => {
                    l.unlock(owner);
                }
                k => {
                    let kind = if k == 1 { Shared } else { Exclusive };
                    let others_conflict = l
                        .holders
                        .iter()
                        .any(|&(o, held)| o != owner && conflicts(held, kind));
                    let had = l.held_by(owner);
                    let got = l.lock(owner, kind);
                    if had == Some(kind) || !others_conflict {
                        assert_eq!(got, Ok(()));
                        assert_eq!(l.held_by(owner), Some(kind));
                    } else {
                        assert_eq!(got, Err(Conflict));
                        assert_eq!(l.held_by(owner), None);
                    }
                }
            }
            let exclusive = l.holders.iter().filter(|h| h.1 == Exclusive).count();
            assert!(exclusive == 0 || l.holders.len() == 1, "{:?}", l.holders);
            for (i, a) in l.holders.iter().enumerate() {
                assert!(l.holders[i + 1..].iter().all(|b| b.0 != a.0));
            }
        }
    }
}
