//! A shared object's ELF header, as the dynamic linker reads it from the
//! file before mapping anything: 64-bit, little-endian, x86_64, `ET_DYN`,
//! program headers of `Elf64_Phdr`'s size. Anything else is refused.

use vibix_uapi::elf::{
    EI_CLASS, EI_DATA, ELFCLASS64, ELFDATA2LSB, ELFMAG, EM_X86_64, ET_DYN, Phdr,
};

use crate::Error;

/// Bytes of an `Elf64_Ehdr`.
pub const EHDR_SIZE: usize = 64;

/// Where the program headers are in the file, and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub phoff: u64,
    pub phnum: u16,
}

/// Checks the header of a shared object (its first [`EHDR_SIZE`] bytes).
pub fn check(b: &[u8; EHDR_SIZE]) -> Result<Header, Error> {
    let bad = Error::BadHeader;
    if b[..4] != ELFMAG {
        return Err(bad("not an ELF file"));
    }
    if b[EI_CLASS] != ELFCLASS64 || b[EI_DATA] != ELFDATA2LSB {
        return Err(bad("not 64-bit little-endian"));
    }
    let half = |at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
    if half(16) != ET_DYN {
        return Err(bad("not a shared object (ET_DYN)"));
    }
    if half(18) != EM_X86_64 {
        return Err(bad("not for x86_64"));
    }
    if usize::from(half(54)) != size_of::<Phdr>() {
        return Err(bad("e_phentsize is not Elf64_Phdr's"));
    }
    let phoff = u64::from_le_bytes(b[32..40].try_into().unwrap_or([0; 8]));
    Ok(Header {
        phoff,
        phnum: half(56),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> [u8; EHDR_SIZE] {
        let mut b = [0u8; EHDR_SIZE];
        b[..6].copy_from_slice(b"\x7fELF\x02\x01");
        b[16] = ET_DYN as u8;
        b[18] = 62;
        b[32] = 64;
        b[54] = 56;
        b[56] = 9;
        b
    }

    #[test]
    fn a_shared_object_is_accepted_and_others_refused() {
        assert_eq!(
            check(&good()),
            Ok(Header {
                phoff: 64,
                phnum: 9
            })
        );
        for (at, v) in [(0, 0), (4, 1), (16, 2), (18, 3), (54, 32)] {
            let mut b = good();
            b[at] = v;
            assert!(matches!(check(&b), Err(Error::BadHeader(_))), "byte {at}");
        }
    }
}
