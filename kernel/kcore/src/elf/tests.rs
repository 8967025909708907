//! Tests for `plan`, on images built by `test_image`.

use alloc::collections::BTreeSet;
use alloc::string::ToString;
use alloc::vec;

use super::test_image::*;
use super::*;
use crate::errno::Errno;
use crate::layout::USER_END;
use crate::test_util::feed_garbage;

fn plan_of(image: &Image) -> Result<LoadPlan, ElfError> {
    plan(&image.build())
}

/// `typical()` with one change applied.
fn with(change: impl FnOnce(&mut Image)) -> Result<LoadPlan, ElfError> {
    let mut image = Image::typical();
    change(&mut image);
    plan_of(&image)
}

const RX: Perms = Perms {
    read: true,
    write: false,
    exec: true,
};
const RW: Perms = Perms {
    read: true,
    write: true,
    exec: false,
};

#[test]
fn typical_executable() {
    let plan = plan_of(&Image::typical()).unwrap();
    assert_eq!(
        plan,
        LoadPlan {
            kind: Kind::Exec,
            interp: None,
            entry: TEXT + 0x100,
            segments: vec![
                Segment {
                    vaddr: TEXT,
                    memsz: 0x200,
                    offset: 0,
                    filesz: 0x200,
                    perms: RX
                },
                Segment {
                    vaddr: DATA,
                    memsz: 0x100,
                    offset: 0x200,
                    filesz: 0x20,
                    perms: RW
                },
            ],
            phdr_vaddr: TEXT + 64,
            phnum: 5,
            phentsize: 56,
            tls: Some(Tls {
                offset: 0x200,
                filesz: 8,
                memsz: 24,
                align: 8
            }),
            end: 0x40_2000,
        }
    );
}

#[test]
fn end_is_page_aligned_above_the_highest_segment() {
    // Data ends exactly on a page boundary.
    let plan = with(|i| i.phdrs[2].memsz = 0x1000 - 0x200).unwrap();
    assert_eq!(plan.end, 0x40_2000);
    // One byte more spills into the next page.
    let plan = with(|i| i.phdrs[2].memsz = 0x1000 - 0x200 + 1).unwrap();
    assert_eq!(plan.end, 0x40_3000);
}

#[test]
fn segments_keep_program_header_order() {
    // Data listed before text: still fine, order preserved.
    let plan = with(|i| i.phdrs.swap(1, 2)).unwrap();
    assert_eq!(plan.segments[0].vaddr, DATA);
    assert_eq!(plan.segments[1].vaddr, TEXT);
    assert_eq!(plan.end, 0x40_2000);
}

#[test]
fn short_or_foreign_files() {
    assert_eq!(plan(b""), Err(ElfError::Truncated));
    assert_eq!(plan(b"\x7fEL"), Err(ElfError::Truncated));
    assert_eq!(plan(b"#!/bin/sh\necho hi\n"), Err(ElfError::BadMagic));
    assert_eq!(plan(b"\x7fELX"), Err(ElfError::BadMagic));
    let image = Image::typical().build();
    assert_eq!(plan(&image[..16]), Err(ElfError::Truncated));
    assert_eq!(plan(&image[..63]), Err(ElfError::Truncated));
    assert_eq!(with(|i| i.version = 2), Err(ElfError::BadMagic));
}

#[test]
fn every_truncation_is_rejected() {
    // The segments cover the whole file, so no proper prefix can load.
    let image = Image::typical().build();
    for len in 0..image.len() {
        assert!(plan(&image[..len]).is_err(), "accepted {len} bytes");
    }
}

#[test]
fn header_fields() {
    assert_eq!(with(|i| i.class = 1), Err(ElfError::NotElf64));
    assert_eq!(with(|i| i.class = 0), Err(ElfError::NotElf64));
    assert_eq!(with(|i| i.data = 2), Err(ElfError::NotLittleEndian));
    assert_eq!(with(|i| i.machine = 3), Err(ElfError::NotX86_64)); // i386
    assert_eq!(with(|i| i.machine = 183), Err(ElfError::NotX86_64)); // aarch64
    assert_eq!(with(|i| i.e_type = 1), Err(ElfError::NotExecutable)); // ET_REL
    assert_eq!(with(|i| i.e_type = 4), Err(ElfError::NotExecutable)); // ET_CORE
    assert_eq!(with(|i| i.e_type = 3).map(|p| p.kind), Ok(Kind::Dyn)); // ET_DYN
}

#[test]
fn program_header_table() {
    assert_eq!(with(|i| i.phentsize = 64), Err(ElfError::BadPhdr));
    assert_eq!(with(|i| i.phnum = Some(0xffff)), Err(ElfError::BadPhdr));
    assert_eq!(with(|i| i.phnum = Some(10)), Err(ElfError::BadPhdr));
    assert_eq!(with(|i| i.phoff = u64::MAX - 8), Err(ElfError::BadPhdr));
    assert_eq!(with(|i| i.phnum = Some(0)), Err(ElfError::NoLoadSegments));
}

#[test]
fn no_load_segments() {
    assert_eq!(
        with(|i| i.phdrs.retain(|p| p.p_type != PT_LOAD)),
        Err(ElfError::NoLoadSegments)
    );
    // Empty PT_LOADs do not count.
    assert_eq!(
        with(|i| {
            for p in &mut i.phdrs {
                if p.p_type == PT_LOAD {
                    p.filesz = 0;
                    p.memsz = 0;
                }
            }
        }),
        Err(ElfError::NoLoadSegments)
    );
}

#[test]
fn empty_load_segment_is_skipped() {
    // memsz 0 at an address that would otherwise be refused.
    let plan = with(|i| i.phdrs.push(Phdr::load(R | W | X, 0, 0, 0, 0))).unwrap();
    assert_eq!(plan.segments.len(), 2);
}

#[test]
fn segment_file_range() {
    assert_eq!(
        with(|i| i.phdrs[2].filesz = 0x21),
        Err(ElfError::SegmentOutsideFile)
    );
    assert_eq!(
        with(|i| i.phdrs[2].offset = 0x1201),
        Err(ElfError::SegmentOutsideFile)
    );
    assert_eq!(
        with(|i| i.phdrs[2].offset = u64::MAX - 0x10),
        Err(ElfError::SegmentOutsideFile)
    );
    assert_eq!(
        with(|i| i.phdrs[2].memsz = 0x1f),
        Err(ElfError::FileszExceedsMemsz)
    );
}

#[test]
fn segment_address_range() {
    let outside = Err(ElfError::SegmentOutsideUser);
    // Below USER_MIN (page offset kept equal to the file offset).
    assert_eq!(
        with(|i| i.phdrs[2].vaddr = USER_MIN - 0x1000 + 0x200),
        outside
    );
    assert_eq!(with(|i| i.phdrs[2].vaddr = 0x200), outside);
    // Running past the end of the user half.
    assert_eq!(
        with(|i| {
            i.phdrs[2].vaddr = USER_END - 0x1000 + 0x200;
            i.phdrs[2].memsz = 0xe01;
        }),
        outside
    );
    // Wrapping around.
    assert_eq!(
        with(|i| {
            i.phdrs[2].vaddr = 0xffff_ffff_ffff_f200;
            i.phdrs[2].memsz = 0x1000;
        }),
        outside
    );
    // The top page of the user half stays unmapped, as on Linux.
    assert_eq!(
        with(|i| {
            i.phdrs[2].vaddr = USER_END - 0x1000 + 0x200;
            i.phdrs[2].memsz = 0xe00;
        }),
        outside
    );
    // The main stack's 8 MiB below it are the stack's: one byte in is too
    // many (exec used to fail there with EEXIST when mapping the stack).
    let stack_bottom = USER_STACK_TOP - USER_STACK_SIZE;
    assert_eq!(
        with(|i| {
            i.phdrs[2].vaddr = stack_bottom - 0x1000 + 0x200;
            i.phdrs[2].memsz = 0xe01;
        }),
        outside
    );
    // Ending exactly at the bottom of the stack is fine.
    let plan = with(|i| {
        i.phdrs[2].vaddr = stack_bottom - 0x1000 + 0x200;
        i.phdrs[2].memsz = 0xe00;
    })
    .unwrap();
    assert_eq!(plan.end, stack_bottom);
}

#[test]
fn alignment_and_permissions() {
    assert_eq!(with(|i| i.phdrs[2].vaddr += 1), Err(ElfError::BadAlignment));
    assert_eq!(
        with(|i| i.phdrs[2].flags = R | W | X),
        Err(ElfError::WriteAndExecute)
    );
    assert_eq!(
        with(|i| i.phdrs[1].flags = W | X),
        Err(ElfError::WriteAndExecute)
    );
    // Other flag combinations map one to one.
    let plan = with(|i| i.phdrs[2].flags = 0).unwrap();
    assert_eq!(
        plan.segments[1].perms,
        Perms {
            read: false,
            write: false,
            exec: false
        }
    );
    let plan = with(|i| i.phdrs[2].flags = W).unwrap();
    assert_eq!(
        plan.segments[1].perms,
        Perms {
            read: false,
            write: true,
            exec: false
        }
    );
}

#[test]
fn shared_pages_are_refused() {
    // Data moved into the last page of the text segment.
    assert_eq!(
        with(|i| i.phdrs[2].vaddr = TEXT + 0x200),
        Err(ElfError::SegmentsOverlap)
    );
    // Text grown into the data page.
    assert_eq!(
        with(|i| i.phdrs[1].memsz = 0x1001),
        Err(ElfError::SegmentsOverlap)
    );
    // Text ending exactly where the data page starts is fine.
    assert!(with(|i| i.phdrs[1].memsz = 0x1000).is_ok());
    // A third segment inside the data page, listed first.
    assert_eq!(
        with(|i| i.phdrs.insert(0, Phdr::load(R, 0x100, DATA - 0x100, 0, 8))),
        Err(ElfError::SegmentsOverlap)
    );
}

#[test]
fn entry_point() {
    let not_exec = Err(ElfError::EntryNotExecutable);
    assert_eq!(with(|i| i.entry = DATA), not_exec);
    assert_eq!(with(|i| i.entry = TEXT - 1), not_exec);
    assert_eq!(with(|i| i.entry = TEXT + 0x200), not_exec);
    assert_eq!(with(|i| i.entry = 0), not_exec);
    assert_eq!(with(|i| i.phdrs[1].flags = R), not_exec);
    assert_eq!(with(|i| i.entry = TEXT).unwrap().entry, TEXT);
    assert_eq!(
        with(|i| i.entry = TEXT + 0x1ff).unwrap().entry,
        TEXT + 0x1ff
    );
}

#[test]
fn tls_rules() {
    let bad = Err(ElfError::BadTls);
    assert_eq!(with(|i| i.phdrs[3].align = 3), bad);
    assert_eq!(with(|i| i.phdrs[3].align = 8192), bad);
    assert_eq!(with(|i| i.phdrs[3].memsz = 7), bad);
    assert_eq!(with(|i| i.phdrs[3].offset = 0x219), bad);
    assert_eq!(with(|i| i.phdrs[3].offset = u64::MAX), bad);
    let second = Image::typical().phdrs[3];
    assert_eq!(with(|i| i.phdrs.push(second)), bad);

    let tls = |align| with(|i| i.phdrs[3].align = align).unwrap().tls.unwrap();
    assert_eq!(tls(0).align, 0);
    assert_eq!(tls(1).align, 1);
    assert_eq!(tls(4096).align, 4096);
    assert_eq!(
        with(|i| {
            i.phdrs.remove(3);
        })
        .unwrap()
        .tls,
        None
    );
}

/// `typical()` with a `PT_INTERP` of `filesz` bytes at `offset`, the path
/// `/ld\0` written at 0x210 (inside the data segment's file bytes).
fn with_interp(
    offset: u64,
    filesz: u64,
    path: &[u8],
) -> (alloc::vec::Vec<u8>, Result<LoadPlan, ElfError>) {
    let mut image = Image::typical();
    image.phdrs.push(Phdr {
        p_type: PT_INTERP,
        flags: R,
        offset,
        vaddr: 0,
        filesz,
        memsz: filesz,
        align: 1,
    });
    image.phnum = Some(6);
    let mut bytes = image.build();
    bytes[0x210..0x210 + path.len()].copy_from_slice(path);
    let result = plan(&bytes);
    (bytes, result)
}

#[test]
fn interpreter_path() {
    let (bytes, p) = with_interp(0x210, 4, b"/ld\0");
    let p = p.unwrap();
    assert_eq!(p.interp.unwrap().path(&bytes), b"/ld");
    // Linux's errors, whatever else the program looks like.
    assert_eq!(with_interp(0x210, 1, b"\0").1, Err(ElfError::InterpSize));
    assert_eq!(
        with_interp(0x210, 3, b"/ld\0").1,
        Err(ElfError::InterpNotTerminated)
    );
    assert_eq!(
        with_interp(0x21e, 4, b"").1,
        Err(ElfError::InterpOutsideFile)
    );
    assert_eq!(
        with_interp(u64::MAX, 4, b"").1,
        Err(ElfError::InterpOutsideFile)
    );
    // The path is checked first: before a malformed segment.
    let mut image = Image::typical();
    image.phdrs.insert(
        0,
        Phdr {
            p_type: PT_INTERP,
            flags: R,
            offset: 0x210,
            vaddr: 0,
            filesz: 9,
            memsz: 9,
            align: 1,
        },
    );
    image.phdrs[2].flags = R | W | X;
    let mut bytes = image.build();
    bytes[0x210..0x219].copy_from_slice(b"/lib/ld.s");
    assert_eq!(plan(&bytes), Err(ElfError::InterpNotTerminated));
}

#[test]
fn an_interpreter_own_interp_is_ignored() {
    let (bytes, p) = with_interp(0x210, 3, b"/ld\0");
    assert_eq!(p, Err(ElfError::InterpNotTerminated));
    let p = plan_interpreter(&bytes).unwrap();
    assert_eq!(p.interp, None);
    assert_eq!(p.entry, TEXT + 0x100);
}

#[test]
fn phdr_address() {
    // Text no longer loads the headers: it starts at file offset 0x180.
    let plan = with(|i| {
        i.phdrs[1].offset = 0x180;
        i.phdrs[1].vaddr = TEXT + 0x180;
        i.phdrs[1].filesz = 0x80;
        i.phdrs[1].memsz = 0x80;
        i.entry = TEXT + 0x180;
    })
    .unwrap();
    assert_eq!(plan.phdr_vaddr, 0);
    // Text loaded at another address: AT_PHDR moves with it.
    let plan = with(|i| {
        i.phdrs[1].vaddr = 0x60_0000;
        i.entry = 0x60_0000;
    })
    .unwrap();
    assert_eq!(plan.phdr_vaddr, 0x60_0000 + 64);
}

#[test]
fn errno_and_messages() {
    let all = [
        ElfError::Truncated,
        ElfError::BadMagic,
        ElfError::NotElf64,
        ElfError::NotLittleEndian,
        ElfError::NotX86_64,
        ElfError::NotExecutable,
        ElfError::BadPhdr,
        ElfError::NoLoadSegments,
        ElfError::SegmentOutsideFile,
        ElfError::FileszExceedsMemsz,
        ElfError::SegmentOutsideUser,
        ElfError::SegmentsOverlap,
        ElfError::WriteAndExecute,
        ElfError::BadAlignment,
        ElfError::EntryNotExecutable,
        ElfError::BadTls,
        ElfError::InterpSize,
        ElfError::InterpOutsideFile,
        ElfError::InterpNotTerminated,
        ElfError::PlacementOutsideUser,
    ];
    let mut messages = BTreeSet::new();
    for e in all {
        let expected = match e {
            ElfError::SegmentOutsideUser | ElfError::PlacementOutsideUser => Errno::ENOMEM,
            ElfError::InterpOutsideFile => Errno::EIO,
            _ => Errno::ENOEXEC,
        };
        assert_eq!(e.errno(), expected, "{e:?}");
        assert!(
            messages.insert(e.to_string()),
            "duplicate message for {e:?}"
        );
    }
}

#[test]
fn garbage_never_panics() {
    let accepted = feed_garbage(&Image::typical().build(), |bytes| plan(bytes).is_ok());
    // Some corruptions hit bytes nobody reads (e.g. code); most do not.
    assert!(accepted > 0);
}

#[test]
fn only_read_only_segments_without_zero_fill_show_file_pages() {
    let plan = plan_of(&Image::typical()).unwrap();
    assert_eq!(plan.segments[0].file_page(), Some(0), "text: file page 0");
    assert_eq!(plan.segments[1].file_page(), None, "data: writable");
    let far = Segment {
        vaddr: TEXT + 0x5123,
        memsz: 0x3000,
        offset: 0x2123,
        filesz: 0x3000,
        perms: RX,
    };
    assert_eq!(far.file_page(), Some(2), "the page holding its first byte");
    let zero_filled = Segment {
        memsz: 0x3001,
        ..far.clone()
    };
    assert_eq!(zero_filled.file_page(), None, "a read-only .bss");
    let read_only_data = Segment {
        perms: Perms { exec: false, ..RX },
        ..far
    };
    assert_eq!(read_only_data.file_page(), Some(2));
}
