//! The running program's own image, as the auxiliary vector shows it: its
//! program headers (`AT_PHDR`, `AT_PHNUM`), the load bias, and the segments
//! std looks for in them: the TLS template (`thread::tls`), the index
//! of the unwind tables (`PT_GNU_EH_FRAME`, the linker's `.eh_frame_hdr`),
//! which the unwinder reads to find the frame description of a return
//! address, and the loaded segments (`PT_LOAD`), which the backtrace
//! symbolizer checks an address against before it looks up its name.
//!
//! On Linux a C library answers these questions with `dl_iterate_phdr`;
//! vibix programs are static and alone in their address space, so the
//! kernel's auxiliary vector is the whole answer.

use vibix_uapi::elf::{PT_GNU_EH_FRAME, PT_LOAD, PT_PHDR, Phdr};

/// The program headers and the address the kernel reported them at.
#[derive(Clone, Copy)]
pub struct Headers {
    /// The program headers (`AT_PHDR`, `AT_PHNUM` entries).
    pub phdrs: &'static [Phdr],
    /// Where the kernel said they are (`AT_PHDR`).
    pub at_phdr: usize,
}

impl Headers {
    /// How far the program was loaded from where it was linked: the
    /// `PT_PHDR` header's `p_vaddr` against `at_phdr` (0 for a program
    /// without one, which is loaded where it was linked).
    pub fn bias(&self) -> usize {
        self.phdrs
            .iter()
            .find(|p| p.p_type == PT_PHDR)
            .map_or(0, |p| self.at_phdr.wrapping_sub(p.p_vaddr as usize))
    }

    /// The first header of type `p_type`.
    pub fn find(&self, p_type: u32) -> Option<&'static Phdr> {
        self.phdrs.iter().find(|p| p.p_type == p_type)
    }

    // ANCHOR: eh_frame_hdr
    /// The run-time address of `.eh_frame_hdr` (the `PT_GNU_EH_FRAME`
    /// segment), or `None` if the linker wrote none.
    pub fn eh_frame_hdr(&self) -> Option<usize> {
        let p = self.find(PT_GNU_EH_FRAME)?;
        Some((p.p_vaddr as usize).wrapping_add(self.bias()))
    }
    // ANCHOR_END: eh_frame_hdr

    /// The loaded segments (`PT_LOAD`), as the linker stated them: each
    /// one's `(p_vaddr, p_memsz)`. Add [`bias`](Self::bias) to an address
    /// for where it is at run time.
    pub fn segments(&self) -> impl Iterator<Item = (usize, usize)> + use<> {
        self.phdrs
            .iter()
            .filter(|p| p.p_type == PT_LOAD)
            .map(|p| (p.p_vaddr as usize, p.p_memsz as usize))
    }
}

/// The running program's headers, from the auxiliary vector `start`
/// recorded; `None` if there is none (on the host) or its headers are not
/// `Elf64_Phdr`s.
pub fn headers() -> Option<Headers> {
    use vibix_uapi::auxv::{AT_PHDR, AT_PHENT, AT_PHNUM};
    let stack = crate::start::recorded()?;
    let at_phdr = stack.getauxval(AT_PHDR)?;
    let count = stack.getauxval(AT_PHNUM)?;
    if stack.getauxval(AT_PHENT) != Some(size_of::<Phdr>()) || at_phdr % align_of::<Phdr>() != 0 {
        return None;
    }
    // SAFETY: the kernel's AT_PHDR and AT_PHNUM describe the program headers
    // of the loaded program, which stay mapped and unchanged for its whole
    // life; the address is checked aligned above.
    let phdrs = unsafe {
        core::slice::from_raw_parts(core::ptr::with_exposed_provenance::<Phdr>(at_phdr), count)
    };
    Some(Headers { phdrs, at_phdr })
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn phdr(p_type: u32, p_vaddr: u64) -> Phdr {
        Phdr {
            p_type,
            p_flags: 0,
            p_offset: 0,
            p_vaddr,
            p_paddr: 0,
            p_filesz: 0,
            p_memsz: 0,
            p_align: 0,
        }
    }

    /// A program's headers live as long as the program: a `static` here.
    static LIST: [Phdr; 3] = [
        phdr(PT_PHDR, 0x40),
        phdr(PT_LOAD, 0),
        phdr(PT_GNU_EH_FRAME, 0x1234),
    ];

    #[test]
    fn finds_the_unwind_index_with_the_load_bias() {
        let list = &LIST;
        // Loaded where it was linked (a static vibix program).
        let at_home = Headers {
            phdrs: list,
            at_phdr: 0x40,
        };
        assert_eq!(at_home.eh_frame_hdr(), Some(0x1234));
        // Moved by 0x10000 (a position-independent program).
        let moved = Headers {
            phdrs: list,
            at_phdr: 0x10040,
        };
        assert_eq!(moved.bias(), 0x10000);
        assert_eq!(moved.eh_frame_hdr(), Some(0x11234));
        let none = Headers {
            phdrs: &list[..2],
            at_phdr: 0x40,
        };
        assert_eq!(none.eh_frame_hdr(), None);
    }

    /// Two loaded segments among other headers.
    static SEGMENTS: [Phdr; 4] = [
        phdr(PT_PHDR, 0x40),
        Phdr {
            p_memsz: 0x2000,
            ..phdr(PT_LOAD, 0)
        },
        phdr(PT_GNU_EH_FRAME, 0x1234),
        Phdr {
            p_memsz: 0x300,
            ..phdr(PT_LOAD, 0x3000)
        },
    ];

    #[test]
    fn lists_the_loaded_segments_as_linked() {
        let moved = Headers {
            phdrs: &SEGMENTS,
            at_phdr: 0x10040,
        };
        // Stated addresses: the caller adds the bias.
        assert!(moved.segments().eq([(0, 0x2000), (0x3000, 0x300)]));
    }
}
