//! An object's loaded image: its bytes in memory, byte 0 at link-time
//! address `vaddr` (0 for a shared object or a PIE, whose first segment is
//! linked at 0). Every read the other modules make goes through
//! [`Image::span`], which turns `len` bytes at a link-time address into a
//! range of the slice or says which table lies outside the object.

use core::ops::Range;

use crate::Error;

/// The range of `image_len` bytes starting at `vaddr` that holds `len`
/// bytes at `addr`, if all of them are inside.
pub fn span(image_len: usize, vaddr: u64, addr: u64, len: u64) -> Option<Range<usize>> {
    let start = addr.checked_sub(vaddr)?;
    let end = start.checked_add(len)?;
    if end > image_len as u64 {
        return None;
    }
    Some(start as usize..end as usize)
}

/// `span`, or the error naming `what`.
pub fn checked_span(
    image_len: usize,
    vaddr: u64,
    addr: u64,
    len: u64,
    what: &'static str,
) -> Result<Range<usize>, Error> {
    span(image_len, vaddr, addr, len).ok_or(Error::OutOfObject { what, addr, len })
}

/// A loaded object, read-only.
#[derive(Clone, Copy, Debug)]
pub struct Image<'a> {
    bytes: &'a [u8],
    vaddr: u64,
}

impl<'a> Image<'a> {
    /// The image whose first byte is at link-time address `vaddr`.
    pub fn new(bytes: &'a [u8], vaddr: u64) -> Self {
        Image { bytes, vaddr }
    }

    /// The link-time address of the first byte.
    pub fn vaddr(&self) -> u64 {
        self.vaddr
    }

    /// All the bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// `len` bytes at `addr`.
    pub fn read(&self, addr: u64, len: u64, what: &'static str) -> Result<&'a [u8], Error> {
        Ok(&self.bytes[checked_span(self.bytes.len(), self.vaddr, addr, len, what)?])
    }

    /// Checks that `len` bytes at `addr` are inside.
    pub fn check(&self, addr: u64, len: u64, what: &'static str) -> Result<(), Error> {
        self.read(addr, len, what).map(|_| ())
    }

    /// The little-endian `u64` at `addr`.
    pub fn u64(&self, addr: u64, what: &'static str) -> Result<u64, Error> {
        let b = self.read(addr, 8, what)?;
        Ok(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }

    /// The little-endian `u32` at `addr`.
    pub fn u32(&self, addr: u64, what: &'static str) -> Result<u32, Error> {
        let b = self.read(addr, 4, what)?;
        Ok(u32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
    }

    /// The NUL-terminated string starting at `addr`, the NUL left out, if
    /// it ends before `limit` (the end of its string table).
    pub fn c_str(&self, addr: u64, limit: u64, what: &'static str) -> Result<&'a [u8], Error> {
        let len = limit
            .checked_sub(addr)
            .ok_or(Error::OutOfObject { what, addr, len: 1 })?;
        let b = self.read(addr, len, what)?;
        let nul = b
            .iter()
            .position(|&c| c == 0)
            .ok_or(Error::Unterminated(what))?;
        Ok(&b[..nul])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_checked() {
        assert_eq!(span(16, 0x1000, 0x1008, 8), Some(8..16));
        assert_eq!(span(16, 0x1000, 0x1009, 8), None);
        assert_eq!(span(16, 0x1000, 0xfff, 1), None);
        assert_eq!(span(16, 0, u64::MAX, 2), None);
        let img = Image::new(b"ab\0cd", 0);
        assert_eq!(img.c_str(0, 5, "s"), Ok(&b"ab"[..]));
        assert_eq!(img.c_str(3, 5, "s"), Err(Error::Unterminated("s")));
        assert!(img.u32(2, "w").is_err());
    }
}
