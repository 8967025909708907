//! An object's `PT_LOAD` segments as the dynamic linker maps them: the
//! page-aligned span they cover (reserved first, so the object gets one
//! contiguous range), and for each segment the file pages to map at its
//! place, where its `.bss` starts and the protection it ends with. The
//! checks are the ones the kernel's loader makes: segments in ascending
//! order and not overlapping, `p_offset` and `p_vaddr` congruent modulo the
//! page size, `p_filesz <= p_memsz`, nothing that wraps, and no segment
//! both writable and executable (finding S-A5).

use vibix_uapi::elf::{PF_R, PF_W, PF_X, PT_LOAD, Phdr};

use crate::Error;

/// The page size the objects are mapped with.
pub const PAGE: u64 = 4096;

/// `PROT_*` as `mmap` takes them (`vibix_uapi::mman`'s values).
pub const PROT_READ: u32 = 1;
pub const PROT_WRITE: u32 = 2;
pub const PROT_EXEC: u32 = 4;

/// One segment's mapping, in link-time addresses (add the bias).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First page of the segment.
    pub page: u64,
    /// The file offset mapped there (page aligned).
    pub file_offset: u64,
    /// Bytes of the file mapped from `page` (the segment's file bytes and
    /// what precedes them in their first page).
    pub file_len: u64,
    /// Where the file's bytes end: from here to `end`, zeros.
    pub zero_from: u64,
    /// One past the segment's last byte in memory.
    pub end: u64,
    /// Its protection once relocated (`PROT_*`).
    pub prot: u32,
}

/// All of an object's segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The first page of the first segment, and the end of the last one's
    /// last page: the range to reserve.
    pub first: u64,
    pub end: u64,
    /// How many `PT_LOAD` segments.
    pub count: usize,
}

fn round_down(v: u64) -> u64 {
    v & !(PAGE - 1)
}

fn round_up(v: u64) -> Option<u64> {
    Some(v.checked_add(PAGE - 1)? & !(PAGE - 1))
}

/// The protection a segment's flags ask for.
pub fn prot(p_flags: u32) -> u32 {
    let mut p = 0;
    if p_flags & PF_R != 0 {
        p |= PROT_READ;
    }
    if p_flags & PF_W != 0 {
        p |= PROT_WRITE;
    }
    if p_flags & PF_X != 0 {
        p |= PROT_EXEC;
    }
    p
}

/// The mapping of one `PT_LOAD` header, checked.
pub fn segment(p: &Phdr) -> Result<Segment, Error> {
    let bad = |what| Error::BadSegment(what);
    if p.p_filesz > p.p_memsz {
        return Err(bad("p_filesz > p_memsz"));
    }
    if p.p_offset % PAGE != p.p_vaddr % PAGE {
        return Err(bad("p_offset and p_vaddr differ modulo the page size"));
    }
    if p.p_flags & PF_W != 0 && p.p_flags & PF_X != 0 {
        return Err(bad("writable and executable (W^X)"));
    }
    let end = p.p_vaddr.checked_add(p.p_memsz).ok_or(bad("wraps"))?;
    let zero_from = p.p_vaddr.checked_add(p.p_filesz).ok_or(bad("wraps"))?;
    p.p_offset.checked_add(p.p_filesz).ok_or(bad("wraps"))?;
    round_up(end).ok_or(bad("wraps"))?;
    let page = round_down(p.p_vaddr);
    Ok(Segment {
        page,
        file_offset: round_down(p.p_offset),
        file_len: zero_from - page,
        zero_from,
        end,
        prot: prot(p.p_flags),
    })
}

/// The span of `phdrs`' `PT_LOAD` segments, each checked, in ascending
/// order and not overlapping.
pub fn layout(phdrs: &[Phdr]) -> Result<Layout, Error> {
    let mut first = None;
    let mut last_end = 0u64;
    let mut count = 0;
    for p in phdrs.iter().filter(|p| p.p_type == PT_LOAD) {
        let s = segment(p)?;
        if count > 0 && p.p_vaddr < last_end {
            return Err(Error::BadSegment("segments overlap or are not in order"));
        }
        first.get_or_insert(s.page);
        last_end = s.end;
        count += 1;
    }
    let first = first.ok_or(Error::BadSegment("no PT_LOAD segment"))?;
    let end = round_up(last_end).ok_or(Error::BadSegment("wraps"))?;
    Ok(Layout { first, end, count })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(offset: u64, vaddr: u64, filesz: u64, memsz: u64, flags: u32) -> Phdr {
        Phdr {
            p_type: PT_LOAD,
            p_offset: offset,
            p_vaddr: vaddr,
            p_filesz: filesz,
            p_memsz: memsz,
            p_flags: flags,
            ..Phdr::default()
        }
    }

    #[test]
    fn a_shared_object_s_segments() {
        // As `readelf -l` shows a small shared object.
        let text = load(0x1000, 0x1000, 0x200, 0x200, PF_R | PF_X);
        let data = load(0x2e10, 0x3e10, 0x220, 0x260, PF_R | PF_W);
        let l = layout(&[text, data]).unwrap();
        assert_eq!((l.first, l.end, l.count), (0x1000, 0x5000, 2));
        let d = segment(&data).unwrap();
        assert_eq!(d.page, 0x3000);
        assert_eq!(d.file_offset, 0x2000);
        assert_eq!(d.file_len, 0xe10 + 0x220);
        assert_eq!((d.zero_from, d.end), (0x4030, 0x4070));
        assert_eq!(d.prot, PROT_READ | PROT_WRITE);
        assert_eq!(segment(&text).unwrap().prot, PROT_READ | PROT_EXEC);
    }

    #[test]
    fn bad_segments_are_refused() {
        let wx = load(0, 0, 1, 1, PF_R | PF_W | PF_X);
        assert!(matches!(segment(&wx), Err(Error::BadSegment(_))));
        let odd = load(0x10, 0x1000, 1, 1, PF_R);
        assert!(segment(&odd).is_err(), "offset and vaddr not congruent");
        let big = load(0, 0, 2, 1, PF_R);
        assert!(segment(&big).is_err(), "filesz > memsz");
        let wrap = load(0, u64::MAX - 10, 1, 100, PF_R);
        assert!(segment(&wrap).is_err());
        let a = load(0, 0x2000, 0x100, 0x100, PF_R);
        let b = load(0, 0x1000, 0x100, 0x100, PF_R);
        assert!(layout(&[a, b]).is_err(), "out of order");
        assert!(layout(&[]).is_err(), "nothing to load");
    }
}
