//! `hostile_elf`: execve of broken and malicious executables.
//!
//! Starting from a valid static program (`bin/hello`), the program builds a
//! corpus of hostile variants: every short truncation, headers and segments
//! pointing outside the file, overlapping segments, addresses in the kernel
//! half or outside the canonical range, huge sizes, a bad entry point, W+X
//! segments, bad TLS, `PT_INTERP`, wrong class, machine and type, plus a
//! seeded batch of random corruptions of the headers. Each variant is
//! written to a scratch file (mode 0755) and exec'd in a forked child. The
//! kernel must refuse it with `ENOEXEC`, `ENOMEM` or `EINVAL` (or, for a
//! `PT_INTERP`, Linux's errors for its path: `EIO`, the lookup's, `ELIBBAD`;
//! the hand-written cases name the errno they expect), or, for a random
//! corruption that leaves a loadable program, run it. Afterwards the kernel
//! must still run `bin/hello` normally.
//!
//! The child reports a failed `execve` through a close-on-exec pipe (and
//! exits with 200 + errno); if the pipe closes without a word, the exec
//! worked and the new program's exit status or signal is what counts. A
//! variant that runs longer than three seconds is killed.
//!
//! Modes (first argument):
//!
//! - none: every case, checked against what vibix must do, and the random
//!   batch; ends with one `hostile-elf:` summary line.
//! - `--comparable`: only the cases where Linux and vibix agree (Linux
//!   refuses them before its point of no return, with the same errno); its
//!   output is compared with Linux's.
//! - `--linux`: every hand-written case, checked against what Linux does
//!   (for running the binary on a Linux host by hand).

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::children::{Ended, Fork, WNOHANG, decode, execve, fork, wait4};
use vrt::errno::Errno;
use vrt::fs::{self, O_CREAT, O_EXCL, O_RDONLY, O_WRONLY};
use vrt::pipes::{O_CLOEXEC, SIGKILL, dup2, kill, pipe2};
use vrt::process::exit;
use vrt::syscall::syscall3;
use vrt::{check, check_eq, check_ok, fsops, io, mm};

vrt::entry!(main);

/// The valid program every variant starts from.
const ORIGINAL: &CStr = c"bin/hello";
/// Scratch directory (in the current directory) and the variant's file.
const DIR: &CStr = c"tmp-hostile-elf";
const VARIANT: &CStr = c"tmp-hostile-elf/variant";
/// Room for the original and for one variant (hello is about 11 KiB).
const MAX_LEN: usize = 64 * 1024;
/// The random batch: how many variants, and the seed of the generator.
const RANDOM_CASES: usize = 400;
const SEED: u64 = 0x4e1f_5eed_2026;
/// How long a variant that runs may take before it is killed (in 10 ms).
const RUN_LIMIT_TICKS: u32 = 300;

// ELF constants (the System V ABI's values).
const PT_NULL: u32 = 0;
const PT_LOAD: u32 = 1;
const PT_INTERP: u32 = 3;
const PT_TLS: u32 = 7;
const PF_X: u32 = 1;
const PF_W: u32 = 2;
const PF_R: u32 = 4;
// Offsets of header fields.
const EI_CLASS: usize = 4;
const EI_DATA: usize = 5;
const EI_VERSION: usize = 6;
const E_TYPE: usize = 16;
const E_MACHINE: usize = 18;
const E_ENTRY: usize = 24;
const E_PHOFF: usize = 32;
const E_PHENTSIZE: usize = 54;
const E_PHNUM: usize = 56;
// Offsets of program header fields, from the start of the entry.
const P_TYPE: usize = 0;
const P_FLAGS: usize = 4;
const P_OFFSET: usize = 8;
const P_VADDR: usize = 16;
const P_FILESZ: usize = 32;
const P_MEMSZ: usize = 40;
const P_ALIGN: usize = 48;

/// The first address above the user half (the x86_64 lower canonical half).
const USER_END: u64 = 1 << 47;
const PAGE: u64 = 4096;
/// Where vibix's (and Linux's) main stack ends, and how big vibix's is.
const STACK_TOP: u64 = USER_END - PAGE;
const STACK_SIZE: u64 = 8 << 20;
const SIGSEGV: u8 = vrt::uapi::signal::SIGSEGV as u8;

/// How an exec'd variant ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    /// `execve` failed with this errno.
    Refused(Errno),
    /// The variant ran and exited with this status.
    Exited(u8),
    /// The variant ran (or its exec went past the point of no return) and
    /// was killed by this signal.
    Killed(u8),
}

use Outcome::{Exited, Killed, Refused};

/// A valid image: the bytes and where its parts are.
struct Layout {
    len: usize,
    phoff: usize,
    phnum: usize,
    /// Index of the read-only, the executable and the writable `PT_LOAD`.
    rodata: usize,
    text: usize,
    data: usize,
    /// Index of a program header the kernel ignores (`PT_GNU_*`), which a
    /// case may turn into `PT_TLS` or `PT_INTERP`.
    spare: usize,
    /// Where the program header table ends, and where the last segment's
    /// file bytes end.
    table_end: usize,
    seg_end: usize,
}

/// A variant being built: a copy of the original's bytes, and its length.
struct Image<'a> {
    bytes: &'a mut [u8],
    len: usize,
}

impl Image<'_> {
    fn get(&self, at: usize, size: usize) -> u64 {
        let mut v = [0u8; 8];
        v[..size].copy_from_slice(&self.bytes[at..at + size]);
        u64::from_le_bytes(v)
    }
    fn set(&mut self, at: usize, size: usize, value: u64) {
        self.bytes[at..at + size].copy_from_slice(&value.to_le_bytes()[..size]);
    }
    fn u64(&self, at: usize) -> u64 {
        self.get(at, 8)
    }
    fn set_u16(&mut self, at: usize, v: u16) {
        self.set(at, 2, u64::from(v));
    }
    fn set_u32(&mut self, at: usize, v: u32) {
        self.set(at, 4, u64::from(v));
    }
    fn set_u64(&mut self, at: usize, v: u64) {
        self.set(at, 8, v);
    }
}

/// Offset of program header `i`'s field `field`.
fn ph(l: &Layout, i: usize, field: usize) -> usize {
    l.phoff + i * 56 + field
}

fn layout(img: &Image) -> Layout {
    let phoff = img.u64(E_PHOFF) as usize;
    let phnum = img.get(E_PHNUM, 2) as usize;
    let mut l = Layout {
        len: img.len,
        phoff,
        phnum,
        rodata: usize::MAX,
        text: usize::MAX,
        data: usize::MAX,
        spare: usize::MAX,
        table_end: phoff + phnum * 56,
        seg_end: 0,
    };
    for i in 0..phnum {
        let p_type = img.get(ph(&l, i, P_TYPE), 4) as u32;
        let flags = img.get(ph(&l, i, P_FLAGS), 4) as u32;
        if p_type == PT_LOAD {
            let end = img.u64(ph(&l, i, P_OFFSET)) + img.u64(ph(&l, i, P_FILESZ));
            l.seg_end = l.seg_end.max(end as usize);
            if flags & PF_X != 0 {
                l.text = i;
            } else if flags & PF_W != 0 {
                l.data = i;
            } else {
                l.rodata = i;
            }
        } else if p_type >= 0x6000_0000 && l.spare == usize::MAX {
            l.spare = i;
        }
    }
    l
}

// ANCHOR: case
/// One hand-written hostile variant: what to break, what vibix must answer
/// and what Linux (6.x, x86_64) does with it.
struct Case {
    name: &'static str,
    mutate: fn(&mut Image, &Layout),
    vibix: Outcome,
    linux: Outcome,
}
// ANCHOR_END: case

const ENOEXEC: Outcome = Refused(Errno::ENOEXEC);
const ENOMEM: Outcome = Refused(Errno::ENOMEM);
const EINVAL: Outcome = Refused(Errno::EINVAL);
/// Linux refused after its point of no return: the process is killed.
const LINUX_KILLS: Outcome = Killed(SIGSEGV);
/// The program runs normally (hello exits with 0).
const RUNS: Outcome = Exited(0);

/// Linux refuses these before the point of no return, as vibix does.
static CASES: &[Case] = &[
    Case {
        name: "bad magic",
        mutate: |i, _| i.bytes[1] = b'X',
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_type ET_REL",
        mutate: |i, _| i.set_u16(E_TYPE, 1),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_type ET_CORE",
        mutate: |i, _| i.set_u16(E_TYPE, 4),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_machine EM_NONE",
        mutate: |i, _| i.set_u16(E_MACHINE, 0),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_machine 0xbeef",
        mutate: |i, _| i.set_u16(E_MACHINE, 0xbeef),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phentsize 0",
        mutate: |i, _| i.set_u16(E_PHENTSIZE, 0),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phentsize 32",
        mutate: |i, _| i.set_u16(E_PHENTSIZE, 32),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phentsize 57",
        mutate: |i, _| i.set_u16(E_PHENTSIZE, 57),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phnum 0",
        mutate: |i, _| i.set_u16(E_PHNUM, 0),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phnum 1000",
        mutate: |i, _| i.set_u16(E_PHNUM, 1000),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phnum 0xffff",
        mutate: |i, _| i.set_u16(E_PHNUM, 0xffff),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phoff at the end of the file",
        mutate: |i, l| i.set_u64(E_PHOFF, l.len as u64),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "program header table crosses the end of the file",
        mutate: |i, l| i.set_u64(E_PHOFF, (l.len - 56) as u64),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "e_phoff u64::MAX",
        mutate: |i, _| i.set_u64(E_PHOFF, u64::MAX),
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "PT_INTERP of 1 byte",
        mutate: |i, l| {
            i.set_u32(ph(l, l.spare, P_TYPE), PT_INTERP);
            i.set_u64(ph(l, l.spare, P_FILESZ), 1);
        },
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "PT_INTERP not NUL-terminated",
        mutate: |i, l| {
            let at = l.seg_end;
            i.bytes[at..at + 8].copy_from_slice(b"/lib/ld!");
            i.set_u32(ph(l, l.spare, P_TYPE), PT_INTERP);
            i.set_u64(ph(l, l.spare, P_OFFSET), at as u64);
            i.set_u64(ph(l, l.spare, P_FILESZ), 8);
        },
        vibix: ENOEXEC,
        linux: ENOEXEC,
    },
    Case {
        name: "PT_INTERP naming a missing loader",
        mutate: |i, l| {
            let at = l.seg_end;
            i.bytes[at..at + 12].copy_from_slice(b"/no/ld.so\0\0\0");
            i.set_u32(ph(l, l.spare, P_TYPE), PT_INTERP);
            i.set_u64(ph(l, l.spare, P_OFFSET), at as u64);
            i.set_u64(ph(l, l.spare, P_FILESZ), 10);
        },
        vibix: Refused(Errno::ENOENT),
        linux: Refused(Errno::ENOENT),
    },
    Case {
        name: "PT_INTERP beyond the end of the file",
        mutate: |i, l| {
            i.set_u32(ph(l, l.spare, P_TYPE), PT_INTERP);
            i.set_u64(ph(l, l.spare, P_OFFSET), l.len as u64);
            i.set_u64(ph(l, l.spare, P_FILESZ), 10);
        },
        vibix: Refused(Errno::EIO),
        linux: Refused(Errno::EIO),
    },
];

/// Linux gives these a different answer: it maps first and asks later.
/// Where Linux runs the program, vibix is deliberately stricter (it checks
/// the whole file before it commits to the exec).
static STRICTER: &[Case] = &[
    // Linux reads neither EI_CLASS, EI_DATA nor EI_VERSION.
    Case {
        name: "EI_CLASS 32-bit",
        mutate: |i, _| i.bytes[EI_CLASS] = 1,
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "EI_DATA big-endian",
        mutate: |i, _| i.bytes[EI_DATA] = 2,
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "EI_VERSION 0",
        mutate: |i, _| i.bytes[EI_VERSION] = 0,
        vibix: ENOEXEC,
        linux: RUNS,
    },
    // The table runs on over the segments' bytes; entries of unknown types
    // are ignored by both.
    Case {
        name: "e_phnum 74 (table over 4096 bytes)",
        mutate: |i, _| i.set_u16(E_PHNUM, 74),
        vibix: RUNS,
        linux: RUNS,
    },
    // Both load an ET_DYN program at a bias (a PIE); this code is not
    // position independent, and its first absolute address faults.
    Case {
        name: "e_type ET_DYN",
        mutate: |i, _| i.set_u16(E_TYPE, 3),
        vibix: LINUX_KILLS,
        linux: LINUX_KILLS,
    },
    Case {
        name: "text segment runs past the end of the file",
        mutate: |i, l| {
            let past = l.len as u64 + 1 - i.u64(ph(l, l.text, P_OFFSET));
            i.set_u64(ph(l, l.text, P_FILESZ), past);
            i.set_u64(ph(l, l.text, P_MEMSZ), past);
        },
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "segment file offset overflows",
        mutate: |i, l| {
            let page_offset = i.u64(ph(l, l.data, P_OFFSET)) % PAGE;
            i.set_u64(ph(l, l.data, P_OFFSET), u64::MAX - PAGE + 1 + page_offset);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "p_filesz > p_memsz",
        mutate: |i, l| {
            let memsz = i.u64(ph(l, l.data, P_MEMSZ));
            i.set_u64(ph(l, l.data, P_FILESZ), memsz + 1);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment overlaps the text segment",
        mutate: |i, l| {
            let text = i.u64(ph(l, l.text, P_VADDR));
            let page_offset = i.u64(ph(l, l.data, P_OFFSET)) % PAGE;
            i.set_u64(ph(l, l.data, P_VADDR), text - text % PAGE + page_offset);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "two segments share a page",
        mutate: |i, l| {
            // The text moved one page down, onto the read-only segment's page.
            let text = i.u64(ph(l, l.text, P_VADDR));
            i.set_u64(ph(l, l.text, P_VADDR), text - PAGE);
            let entry = i.u64(E_ENTRY);
            i.set_u64(E_ENTRY, entry - PAGE);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment in the kernel half",
        mutate: |i, l| move_data(i, l, 0xffff_8000_0000_0000),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment at a non-canonical address",
        mutate: |i, l| move_data(i, l, 0x1234_5678_9abc_0000),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment just above the user half",
        mutate: |i, l| move_data(i, l, USER_END),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment in the top page of the user half",
        mutate: |i, l| move_data(i, l, USER_END - PAGE),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment on the stack",
        mutate: |i, l| move_data(i, l, STACK_TOP - STACK_SIZE),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "data segment below 64 KiB",
        mutate: |i, l| move_data(i, l, 0),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "p_memsz 2^47",
        mutate: |i, l| i.set_u64(ph(l, l.data, P_MEMSZ), 1 << 47),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "p_memsz u64::MAX",
        mutate: |i, l| i.set_u64(ph(l, l.data, P_MEMSZ), u64::MAX),
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "p_vaddr + p_memsz wraps to 0",
        mutate: |i, l| {
            let vaddr = i.u64(ph(l, l.data, P_VADDR));
            i.set_u64(ph(l, l.data, P_MEMSZ), vaddr.wrapping_neg());
        },
        vibix: ENOMEM,
        linux: LINUX_KILLS,
    },
    Case {
        name: "p_vaddr and p_offset disagree modulo the page size",
        mutate: |i, l| {
            let vaddr = i.u64(ph(l, l.data, P_VADDR));
            i.set_u64(ph(l, l.data, P_VADDR), vaddr + 8);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "entry point 0",
        mutate: |i, _| i.set_u64(E_ENTRY, 0),
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "entry point in the kernel half",
        mutate: |i, _| i.set_u64(E_ENTRY, 0xffff_ffff_8000_0000),
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "entry point just past the text",
        mutate: |i, l| {
            let end = i.u64(ph(l, l.text, P_VADDR)) + i.u64(ph(l, l.text, P_MEMSZ));
            i.set_u64(E_ENTRY, end);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "entry point in the writable segment",
        mutate: |i, l| {
            let data = i.u64(ph(l, l.data, P_VADDR));
            i.set_u64(E_ENTRY, data);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "entry point in the read-only segment",
        mutate: |i, l| {
            let rodata = i.u64(ph(l, l.rodata, P_VADDR));
            i.set_u64(E_ENTRY, rodata + 0x40);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "text segment with p_memsz 0 (skipped)",
        mutate: |i, l| {
            i.set_u64(ph(l, l.text, P_FILESZ), 0);
            i.set_u64(ph(l, l.text, P_MEMSZ), 0);
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    Case {
        name: "no PT_LOAD at all",
        mutate: |i, l| {
            for seg in [l.rodata, l.text, l.data] {
                i.set_u32(ph(l, seg, P_TYPE), PT_NULL);
            }
        },
        vibix: ENOEXEC,
        linux: LINUX_KILLS,
    },
    // ANCHOR: wx
    // W^X is vibix policy (finding S-A5); Linux maps what it is asked to.
    Case {
        name: "W+X text segment",
        mutate: |i, l| i.set_u32(ph(l, l.text, P_FLAGS), PF_R | PF_W | PF_X),
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "W+X data segment",
        mutate: |i, l| i.set_u32(ph(l, l.data, P_FLAGS), PF_R | PF_W | PF_X),
        vibix: ENOEXEC,
        linux: RUNS,
    },
    // ANCHOR_END: wx
    // Linux leaves PT_TLS to the C library; vibix sets up the TLS block.
    Case {
        name: "PT_TLS align 3",
        mutate: |i, l| tls(i, l, 3, 8),
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "PT_TLS align 2^40",
        mutate: |i, l| tls(i, l, 1 << 40, 8),
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "PT_TLS align u64::MAX",
        mutate: |i, l| tls(i, l, u64::MAX, 8),
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "PT_TLS p_memsz 2^62",
        mutate: |i, l| tls(i, l, 8, 1 << 62),
        vibix: ENOMEM,
        linux: RUNS,
    },
    Case {
        name: "PT_TLS p_memsz u64::MAX",
        mutate: |i, l| tls(i, l, 8, u64::MAX),
        vibix: EINVAL,
        linux: RUNS,
    },
    Case {
        name: "PT_TLS p_filesz > p_memsz",
        mutate: |i, l| {
            tls(i, l, 8, 8);
            i.set_u64(ph(l, l.spare, P_FILESZ), 16);
        },
        vibix: ENOEXEC,
        linux: RUNS,
    },
    Case {
        name: "PT_TLS beyond the end of the file",
        mutate: |i, l| {
            tls(i, l, 8, 8);
            i.set_u64(ph(l, l.spare, P_OFFSET), l.len as u64);
        },
        vibix: ENOEXEC,
        linux: RUNS,
    },
];

/// Moves the data segment to `page` (keeping its offset in the page).
fn move_data(i: &mut Image, l: &Layout, page: u64) {
    let page_offset = i.u64(ph(l, l.data, P_OFFSET)) % PAGE;
    i.set_u64(ph(l, l.data, P_VADDR), page + page_offset);
}

/// Turns the spare program header into a `PT_TLS` of 8 file bytes.
fn tls(i: &mut Image, l: &Layout, align: u64, memsz: u64) {
    let offset = i.u64(ph(l, l.data, P_OFFSET));
    let vaddr = i.u64(ph(l, l.data, P_VADDR));
    i.set_u32(ph(l, l.spare, P_TYPE), PT_TLS);
    i.set_u32(ph(l, l.spare, P_FLAGS), PF_R);
    i.set_u64(ph(l, l.spare, P_OFFSET), offset);
    i.set_u64(ph(l, l.spare, P_VADDR), vaddr);
    i.set_u64(ph(l, l.spare, P_FILESZ), 8);
    i.set_u64(ph(l, l.spare, P_MEMSZ), memsz);
    i.set_u64(ph(l, l.spare, P_ALIGN), align);
}

/// Counts of what happened to the variants.
#[derive(Default)]
struct Tally {
    cases: usize,
    enoexec: usize,
    enomem: usize,
    einval: usize,
    /// Refused with another errno (only Linux does that, in `--linux`).
    other: usize,
    ran: usize,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        self.cases += 1;
        match outcome {
            Refused(Errno::ENOEXEC) => self.enoexec += 1,
            Refused(Errno::ENOMEM) => self.enomem += 1,
            Refused(Errno::EINVAL) => self.einval += 1,
            Refused(_) => self.other += 1,
            Exited(_) | Killed(_) => self.ran += 1,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Vibix,
    Comparable,
    Linux,
}

fn main(args: &vrt::Args) -> i32 {
    let mode = match args.arg(1).map(CStr::to_bytes) {
        None => Mode::Vibix,
        Some(b"--comparable") => Mode::Comparable,
        Some(b"--linux") => Mode::Linux,
        Some(_) => {
            vrt::eprintln!("usage: hostile_elf [--comparable | --linux]");
            return 2;
        }
    };
    let original = buffer();
    let work = buffer();
    let len = read_original(original);
    let l = layout(&Image {
        bytes: original,
        len,
    });
    check!(
        l.rodata != usize::MAX
            && l.text != usize::MAX
            && l.data != usize::MAX
            && l.spare != usize::MAX,
        "bin/hello has R, R+X and RW segments and a spare program header"
    );
    check!(
        l.seg_end + 16 <= len,
        "bin/hello has room after its segments"
    );

    let _ = fsops::unlink(VARIANT);
    let _ = fsops::rmdir(DIR);
    check_ok!(fsops::mkdir(DIR, 0o755), "mkdir tmp-hostile-elf");

    let mut tally = Tally::default();
    let mut variant = |cut: usize, mutate: &mut dyn FnMut(&mut Image)| {
        work[..len].copy_from_slice(&original[..len]);
        let mut image = Image {
            bytes: &mut work[..],
            len,
        };
        mutate(&mut image);
        run_variant(&work[..cut])
    };

    // Every length that ends inside the ELF header or the program header
    // table: Linux refuses these before its point of no return too.
    let mut short = 0;
    for cut in 0..l.table_end {
        let outcome = variant(cut, &mut |_| {});
        if outcome != ENOEXEC {
            vrt::check::fail(
                format_args!("{cut} bytes of bin/hello"),
                format_args!("{outcome:?}"),
            );
        }
        short += 1;
        tally.add(outcome);
    }
    vrt::check::pass(format_args!(
        "bin/hello cut to each of its first {short} lengths -> ENOEXEC"
    ));

    if mode == Mode::Vibix {
        // Cuts inside the segments' file bytes: Linux maps the missing part
        // and faults later; vibix refuses the file.
        let mut inside = 0;
        for cut in (l.table_end..l.seg_end).step_by(97).chain([l.seg_end - 1]) {
            let outcome = variant(cut, &mut |_| {});
            check_eq!(outcome, ENOEXEC, "bin/hello cut to {cut} bytes -> ENOEXEC");
            inside += 1;
            tally.add(outcome);
        }
        vrt::check::pass(format_args!("{inside} cuts inside the segments -> ENOEXEC"));
        // The section headers after the segments are never read.
        check_eq!(
            variant(l.seg_end, &mut |_| {}),
            RUNS,
            "bin/hello cut after its last segment still runs"
        );
    }

    let cases: &[&[Case]] = match mode {
        Mode::Comparable => &[CASES],
        Mode::Vibix | Mode::Linux => &[CASES, STRICTER],
    };
    let mut mismatches = 0;
    for case in cases.iter().flat_map(|c| c.iter()) {
        let outcome = variant(len, &mut |image| (case.mutate)(image, &l));
        let expected = if mode == Mode::Linux {
            case.linux
        } else {
            case.vibix
        };
        // Go on after a mismatch, so one run shows all of them.
        if outcome == expected {
            vrt::println!("ok: {} -> {}", case.name, Shown(expected));
        } else {
            vrt::println!(
                "FAIL: {} -> {}: got {}",
                case.name,
                Shown(expected),
                Shown(outcome)
            );
            mismatches += 1;
        }
        tally.add(outcome);
    }
    check_eq!(
        mismatches,
        0,
        "every hand-written case gave the expected answer"
    );

    if mode == Mode::Vibix {
        // ANCHOR: random
        let mut rng = Rng(SEED);
        for n in 0..RANDOM_CASES {
            let mut one = rng.fork(n);
            let outcome = variant(len, &mut |image| corrupt(image, &l, &mut one));
            match outcome {
                Refused(Errno::ENOEXEC | Errno::ENOMEM | Errno::EINVAL) => {}
                // A corruption that makes a spare header a PT_INTERP: the
                // bytes it points at are a path (EIO past the end of the
                // file), and the lookup of that path fails as lookups do,
                // or finds a file that is no interpreter (ELIBBAD).
                Refused(
                    Errno::EIO
                    | Errno::ENOENT
                    | Errno::ENOTDIR
                    | Errno::EACCES
                    | Errno::ENAMETOOLONG
                    | Errno::ELOOP
                    | Errno::ELIBBAD,
                ) => {}
                Refused(e) => vrt::check::fail(
                    format_args!("random variant {n} (seed {SEED:#x})"),
                    format_args!("refused with {e}"),
                ),
                Exited(_) | Killed(_) => {}
            }
            tally.add(outcome);
        }
        vrt::check::pass(format_args!(
            "{RANDOM_CASES} random header corruptions (seed {SEED:#x}): each refused with ENOEXEC, ENOMEM or EINVAL (or a PT_INTERP's lookup error), or run"
        ));
        // ANCHOR_END: random
    }

    let _ = fsops::unlink(VARIANT);
    check_ok!(fsops::rmdir(DIR), "tmp-hostile-elf removed");

    // ANCHOR: survives
    let hello = run(|| {
        let e = execve(ORIGINAL, &[c"hello"], &[]);
        200 + e.raw().min(55)
    });
    check_eq!(
        hello,
        Ended::Exited(0),
        "after all that, bin/hello runs and exits with 0"
    );
    // ANCHOR_END: survives

    vrt::println!(
        "hostile-elf: {} cases: refused ENOEXEC {}, ENOMEM {}, EINVAL {}, other {}; ran {}",
        tally.cases,
        tally.enoexec,
        tally.enomem,
        tally.einval,
        tally.other,
        tally.ran
    );
    vrt::check::all_passed();
    0
}

/// A fresh 64 KiB buffer, zero-filled.
fn buffer() -> &'static mut [u8] {
    let addr = check_ok!(
        mm::map_anonymous(MAX_LEN, mm::PROT_READ | mm::PROT_WRITE),
        "mmap a buffer"
    );
    // SAFETY: the kernel just mapped MAX_LEN fresh read-write bytes at
    // `addr`; nothing else refers to them, and they are never unmapped.
    unsafe { core::slice::from_raw_parts_mut(addr as *mut u8, MAX_LEN) }
}

/// Reads bin/hello into `buf`; returns its length.
fn read_original(buf: &mut [u8]) -> usize {
    let fd = check_ok!(fs::open(ORIGINAL, O_RDONLY, 0), "open bin/hello");
    let mut len = 0;
    loop {
        match io::read(fd, &mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) => vrt::check::fail(format_args!("read bin/hello"), format_args!("{e}")),
        }
    }
    let _ = fs::close(fd);
    check!(len < MAX_LEN, "bin/hello fits the buffer");
    len
}

/// Writes `bytes` as a new executable file and execs it in a child.
fn run_variant(bytes: &[u8]) -> Outcome {
    let _ = fsops::unlink(VARIANT);
    let fd = check_ok_quiet(
        fs::open(VARIANT, O_WRONLY | O_CREAT | O_EXCL, 0o755),
        "create the variant",
    );
    check_ok_quiet(io::write_all(fd, bytes), "write the variant");
    check_ok_quiet(fs::close(fd), "close the variant");

    // ANCHOR: exec_child
    // A failed exec writes its errno into the pipe; a successful one closes
    // the pipe (close-on-exec) without a word.
    let (r, w) = check_ok_quiet(pipe2(O_CLOEXEC), "pipe2");
    let child = match check_ok_quiet(fork(), "fork") {
        Fork::Child => {
            let _ = fs::close(r);
            if let Ok(null) = fs::open(c"/dev/null", O_WRONLY, 0) {
                let _ = dup2(null, 1);
                let _ = dup2(null, 2);
            }
            let e = execve(VARIANT, &[c"variant"], &[]);
            let _ = io::write_all(w, &(e.raw() as u16).to_le_bytes());
            exit(200 + e.raw().min(55))
        }
        Fork::Parent { child } => child,
    };
    let _ = fs::close(w);
    let mut word = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match io::read(r, &mut word[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(Errno::EINTR) => {}
            Err(e) => vrt::check::fail(format_args!("read the exec pipe"), format_args!("{e}")),
        }
    }
    let _ = fs::close(r);
    // ANCHOR_END: exec_child
    if got == 2 {
        let errno = Errno::new(i32::from(u16::from_le_bytes(word))).expect("an errno");
        let code = 200 + errno.raw().min(55) as u8;
        let ended = match wait4(child, 0) {
            Ok((_, status)) => decode(status),
            Err(e) => vrt::check::fail(format_args!("wait4"), format_args!("{e}")),
        };
        if ended != Ended::Exited(code) {
            vrt::check::fail(
                format_args!("a child whose exec failed exits"),
                format_args!("{ended:?}"),
            );
        }
        return Refused(errno);
    }
    match wait_limited(child) {
        Ended::Exited(code) => Exited(code),
        Ended::Killed(sig) => Killed(sig),
        Ended::Other(s) => vrt::check::fail(format_args!("wait4 status"), format_args!("{s:#x}")),
    }
}

/// Waits for `child`, killing it if it runs longer than the limit.
fn wait_limited(child: i32) -> Ended {
    for _ in 0..RUN_LIMIT_TICKS {
        match wait4(child, WNOHANG) {
            Ok((0, _)) => sleep_10ms(),
            Ok((_, status)) => return decode(status),
            Err(e) => vrt::check::fail(format_args!("wait4"), format_args!("{e}")),
        }
    }
    let _ = kill(child, SIGKILL);
    match wait4(child, 0) {
        Ok((_, status)) => decode(status),
        Err(e) => vrt::check::fail(format_args!("wait4 after kill"), format_args!("{e}")),
    }
}

fn sleep_10ms() {
    let fds = [0u64; 1];
    // SAFETY: poll with no descriptors only waits; it reads nothing at `fds`.
    unsafe { syscall3(vrt::nr::POLL, fds.as_ptr() as usize, 0, 10) };
}

/// Runs `child` in a forked process and returns how it ended.
fn run(child: impl FnOnce() -> i32) -> Ended {
    match check_ok_quiet(fork(), "fork") {
        Fork::Child => exit(child()),
        Fork::Parent { child } => match wait4(child, 0) {
            Ok((_, status)) => decode(status),
            Err(e) => vrt::check::fail(format_args!("wait4"), format_args!("{e}")),
        },
    }
}

/// The value inside, or a FAIL line; prints nothing on success (these run
/// for every variant).
fn check_ok_quiet<T>(result: Result<T, Errno>, what: &str) -> T {
    match result {
        Ok(v) => v,
        Err(e) => vrt::check::fail(format_args!("{what}"), format_args!("{e}")),
    }
}

/// An expected outcome, for the `ok:` lines.
struct Shown(Outcome);

impl core::fmt::Display for Shown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Refused(e) => write!(f, "{e}"),
            Exited(code) => write!(f, "runs, exit {code}"),
            Killed(sig) => write!(f, "killed by signal {sig}"),
        }
    }
}

/// xorshift64*: a small deterministic generator for the random batch.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A generator for variant `n`, so each variant can be replayed alone.
    fn fork(&mut self, n: usize) -> Rng {
        Rng((self.next() ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1)
    }
}

/// Applies one to four random corruptions to the ELF header and the program
/// header table: bit flips, bytes set to 0 or 0xff, and header fields set to
/// values at the edges (0, 1, page boundaries, the end of the user half, the
/// kernel half, all ones, the old value plus or minus one).
fn corrupt(image: &mut Image, l: &Layout, rng: &mut Rng) {
    const HEADER_FIELDS: [(usize, usize); 9] = [
        (4, 1),
        (5, 1),
        (6, 1),
        (E_TYPE, 2),
        (E_MACHINE, 2),
        (E_ENTRY, 8),
        (E_PHOFF, 8),
        (E_PHENTSIZE, 2),
        (E_PHNUM, 2),
    ];
    const PH_FIELDS: [(usize, usize); 7] = [
        (P_TYPE, 4),
        (P_FLAGS, 4),
        (P_OFFSET, 8),
        (P_VADDR, 8),
        (P_FILESZ, 8),
        (P_MEMSZ, 8),
        (P_ALIGN, 8),
    ];
    for _ in 0..1 + rng.below(4) {
        match rng.below(3) {
            0 => {
                let at = rng.below(l.table_end);
                image.bytes[at] ^= 1 << rng.below(8);
            }
            1 => {
                let at = rng.below(l.table_end);
                image.bytes[at] = [0, 0xff, rng.next() as u8][rng.below(3)];
            }
            _ => {
                let (at, size) = if rng.below(3) == 0 {
                    HEADER_FIELDS[rng.below(HEADER_FIELDS.len())]
                } else {
                    let (field, size) = PH_FIELDS[rng.below(PH_FIELDS.len())];
                    (ph(l, rng.below(l.phnum), field), size)
                };
                let old = image.get(at, size);
                let edges = [
                    0,
                    1,
                    PAGE - 1,
                    PAGE,
                    USER_END - PAGE,
                    USER_END,
                    0xffff_8000_0000_0000,
                    u64::MAX,
                    u64::MAX - PAGE + 1,
                    old.wrapping_add(1),
                    old.wrapping_sub(1),
                    old ^ 1 << 63,
                    old << 1,
                ];
                image.set(at, size, edges[rng.below(edges.len())]);
            }
        }
    }
}
