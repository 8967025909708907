//! The program interpreter (`PT_INTERP`): the path of the dynamic linker a
//! program asks the kernel to load with it. Checked as Linux's
//! `load_elf_binary` does, and with its errors: a size below 2 or above
//! `PATH_MAX` is `ENOEXEC`, bytes past the end of the file are `EIO` (the
//! read comes back short), a last byte that is not NUL is `ENOEXEC`. The
//! path is what precedes the first NUL, as for any C string.

use super::ElfError;

/// `PATH_MAX`: the longest `PT_INTERP` accepted, its NUL included.
const PATH_MAX: u64 = vibix_uapi::limits::PATH_MAX as u64;

/// Where the interpreter's path lies in the file: `len` bytes at `offset`,
/// without the NUL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interp {
    pub offset: u64,
    pub len: u64,
}

impl Interp {
    /// The path's bytes in `image` (the image `check` was given).
    pub fn path<'a>(&self, image: &'a [u8]) -> &'a [u8] {
        // `check` proved the range lies inside the image.
        &image[self.offset as usize..(self.offset + self.len) as usize]
    }
}

// ANCHOR: check
/// Checks the `PT_INTERP` segment of `filesz` bytes at `offset`.
pub fn check(image: &[u8], offset: u64, filesz: u64) -> Result<Interp, ElfError> {
    if !(2..=PATH_MAX).contains(&filesz) {
        return Err(ElfError::InterpSize);
    }
    let bytes = usize::try_from(offset)
        .ok()
        .and_then(|start| image.get(start..start.checked_add(filesz as usize)?))
        .ok_or(ElfError::InterpOutsideFile)?;
    if bytes.last() != Some(&0) {
        return Err(ElfError::InterpNotTerminated);
    }
    // The last byte is a NUL, so there is a first one.
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    Ok(Interp {
        offset,
        len: len as u64,
    })
}
// ANCHOR_END: check

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> [u8; 32] {
        let mut b = [b'x'; 32];
        b[8..21].copy_from_slice(b"/lib/ld.so\0\0\0");
        b
    }

    #[test]
    fn reads_the_path() {
        let b = image();
        let interp = check(&b, 8, 11).unwrap();
        assert_eq!(interp.path(&b), b"/lib/ld.so");
        // Padding NULs after the path: the path ends at the first one.
        assert_eq!(check(&b, 8, 13).unwrap().path(&b), b"/lib/ld.so");
        // The smallest accepted: one byte and its NUL.
        let mut one = *b"a\0";
        assert_eq!(check(&one, 0, 2).unwrap().path(&one), b"a");
        one[0] = 0;
        assert_eq!(check(&one, 0, 2).unwrap().path(&one), b"");
    }

    #[test]
    fn sizes() {
        let b = image();
        assert_eq!(check(&b, 20, 1), Err(ElfError::InterpSize));
        assert_eq!(check(&b, 20, 0), Err(ElfError::InterpSize));
        assert_eq!(check(&b, 0, PATH_MAX + 1), Err(ElfError::InterpSize));
        let long = alloc::vec![0u8; PATH_MAX as usize];
        assert!(check(&long, 0, PATH_MAX).is_ok());
    }

    #[test]
    fn outside_the_file() {
        let b = image();
        assert_eq!(check(&b, 30, 3), Err(ElfError::InterpOutsideFile));
        assert_eq!(check(&b, 32, 2), Err(ElfError::InterpOutsideFile));
        assert_eq!(check(&b, u64::MAX, 2), Err(ElfError::InterpOutsideFile));
        assert_eq!(check(&b, u64::MAX - 1, 4), Err(ElfError::InterpOutsideFile));
        assert_eq!(
            ElfError::InterpOutsideFile.errno(),
            crate::errno::Errno::EIO
        );
    }

    #[test]
    fn must_end_with_nul() {
        let b = image();
        // "/lib/ld.s": no NUL at the end.
        assert_eq!(check(&b, 8, 9), Err(ElfError::InterpNotTerminated));
        assert_eq!(check(&b, 0, 8), Err(ElfError::InterpNotTerminated));
        assert_eq!(
            ElfError::InterpNotTerminated.errno(),
            crate::errno::Errno::ENOEXEC
        );
    }
}
