//! Vectored I/O (`writev`, later `readv`): decoding the iovec array a
//! process passes. The kernel copies the whole array in first, in one
//! piece, and only then looks at the entries (finding S-B1: the process
//! cannot change an entry between its check and its use); this module
//! works on that copy.

use alloc::vec::Vec;

use crate::errno::{Errno, KResult};

/// Linux's UIO_MAXIOV: more entries than this is EINVAL (finding S-A1).
pub const UIO_MAXIOV: u64 = 1024;
/// The size of one `struct iovec { void *iov_base; size_t iov_len; }`.
pub const IOVEC_SIZE: usize = 16;

/// One entry: a user address and a length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IoVec {
    pub base: u64,
    pub len: u64,
}

/// How many bytes to copy in for `iovcnt` entries, or EINVAL past
/// [`UIO_MAXIOV`].
pub fn array_bytes(iovcnt: u64) -> KResult<usize> {
    if iovcnt > UIO_MAXIOV {
        return Err(Errno::EINVAL);
    }
    Ok(iovcnt as usize * IOVEC_SIZE)
}

/// Decodes the copied-in array and checks the lengths: their sum must stay
/// within `isize::MAX` (else EINVAL, as on Linux), before any data moves.
pub fn decode(raw: &[u8]) -> KResult<(Vec<IoVec>, u64)> {
    if !raw.len().is_multiple_of(IOVEC_SIZE) {
        return Err(Errno::EINVAL);
    }
    let word = |b: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        u64::from_le_bytes(w)
    };
    let entries: Vec<IoVec> = raw
        .chunks_exact(IOVEC_SIZE)
        .map(|e| IoVec {
            base: word(&e[..8]),
            len: word(&e[8..]),
        })
        .collect();
    let mut total: u64 = 0;
    for e in &entries {
        total = total
            .checked_add(e.len)
            .filter(|&t| t <= i64::MAX as u64)
            .ok_or(Errno::EINVAL)?;
    }
    Ok((entries, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes of an iovec array exactly as a process lays it out in its
    /// memory (what the kernel copies in): real buffers' addresses.
    fn laid_out(bufs: &[&[u8]]) -> Vec<u8> {
        let mut raw = Vec::new();
        for b in bufs {
            raw.extend_from_slice(&(b.as_ptr() as u64).to_le_bytes());
            raw.extend_from_slice(&(b.len() as u64).to_le_bytes());
        }
        raw
    }

    #[test]
    fn decodes_entries_in_order() {
        let (a, b) = (b"hello ".as_slice(), b"world".as_slice());
        let raw = laid_out(&[a, b, &[]]);
        let (entries, total) = decode(&raw).unwrap();
        assert_eq!(total, 11);
        assert_eq!(entries.len(), 3);
        assert_eq!(
            entries[0],
            IoVec {
                base: a.as_ptr() as u64,
                len: 6
            }
        );
        assert_eq!(
            entries[1],
            IoVec {
                base: b.as_ptr() as u64,
                len: 5
            }
        );
        assert_eq!(entries[2].len, 0);
    }

    #[test]
    fn entry_count_limit() {
        assert_eq!(array_bytes(0), Ok(0));
        assert_eq!(array_bytes(1024), Ok(1024 * 16));
        assert_eq!(array_bytes(1025), Err(Errno::EINVAL));
        assert_eq!(array_bytes(u64::MAX), Err(Errno::EINVAL));
    }

    #[test]
    fn lengths_past_isize_max_are_einval() {
        let mut raw = laid_out(&[b"x"]);
        raw.extend_from_slice(&0u64.to_le_bytes());
        raw.extend_from_slice(&(i64::MAX as u64).to_le_bytes());
        assert_eq!(decode(&raw), Err(Errno::EINVAL));
        // Exactly isize::MAX in total is still fine.
        let mut raw = Vec::new();
        raw.extend_from_slice(&0u64.to_le_bytes());
        raw.extend_from_slice(&(i64::MAX as u64).to_le_bytes());
        assert_eq!(decode(&raw).map(|(_, t)| t), Ok(i64::MAX as u64));
        // Two halves that overflow u64 are caught, not wrapped.
        let mut raw = Vec::new();
        for _ in 0..2 {
            raw.extend_from_slice(&0u64.to_le_bytes());
            raw.extend_from_slice(&u64::MAX.to_le_bytes());
        }
        assert_eq!(decode(&raw), Err(Errno::EINVAL));
    }

    #[test]
    fn a_partial_entry_is_refused() {
        assert_eq!(decode(&[0u8; 17]), Err(Errno::EINVAL));
        assert_eq!(decode(&[]).map(|(e, t)| (e.len(), t)), Ok((0, 0)));
    }
}
