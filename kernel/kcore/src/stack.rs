//! The initial stack of a new process (System V x86_64 ABI, as Linux builds
//! it).
//!
//! When a program starts, `rsp` points at this, lowest address first:
//!
//! ```text
//! sp ->  argc
//!        argv[0] .. argv[argc-1]    pointers to the strings below
//!        NULL
//!        envp[0] .. envp[n-1]
//!        NULL
//!        auxv: (key, value) pairs, ending with (AT_NULL, 0)
//!        padding (so that sp is 16-byte aligned)
//!        16 random bytes            (AT_RANDOM points here)
//!        argv strings, NUL terminated, then the envp strings
//!        the file name execve was given, NUL terminated (AT_EXECFN)
//! stack_top
//! ```
//!
//! [`build`] makes this image in a byte vector; the kernel copies it to the
//! top of the new stack. [`parse`] reads one back, for tests and for the
//! book's explanations.

use alloc::vec;
use alloc::vec::Vec;

use crate::errno::Errno;

/// Auxiliary vector keys, as the kernel writes them (`u64`): the values are
/// `vibix_uapi::auxv`'s.
pub mod auxv {
    /// End of the vector.
    pub const AT_NULL: u64 = vibix_uapi::auxv::AT_NULL as u64;
    /// Address of the program headers.
    pub const AT_PHDR: u64 = vibix_uapi::auxv::AT_PHDR as u64;
    /// Size of one program header.
    pub const AT_PHENT: u64 = vibix_uapi::auxv::AT_PHENT as u64;
    /// Number of program headers.
    pub const AT_PHNUM: u64 = vibix_uapi::auxv::AT_PHNUM as u64;
    /// Page size.
    pub const AT_PAGESZ: u64 = vibix_uapi::auxv::AT_PAGESZ as u64;
    /// Where the dynamic loader was loaded (0 for static programs).
    pub const AT_BASE: u64 = vibix_uapi::auxv::AT_BASE as u64;
    /// Flags (unused, 0).
    pub const AT_FLAGS: u64 = vibix_uapi::auxv::AT_FLAGS as u64;
    /// The program's entry point.
    pub const AT_ENTRY: u64 = vibix_uapi::auxv::AT_ENTRY as u64;
    /// Real user id.
    pub const AT_UID: u64 = vibix_uapi::auxv::AT_UID as u64;
    /// Effective user id.
    pub const AT_EUID: u64 = vibix_uapi::auxv::AT_EUID as u64;
    /// Real group id.
    pub const AT_GID: u64 = vibix_uapi::auxv::AT_GID as u64;
    /// Effective group id.
    pub const AT_EGID: u64 = vibix_uapi::auxv::AT_EGID as u64;
    /// Whether the program runs with raised privileges.
    pub const AT_SECURE: u64 = vibix_uapi::auxv::AT_SECURE as u64;
    /// Address of 16 random bytes (stack protector and hash seeds).
    pub const AT_RANDOM: u64 = vibix_uapi::auxv::AT_RANDOM as u64;
    /// Address of the file name the program was started from.
    pub const AT_EXECFN: u64 = vibix_uapi::auxv::AT_EXECFN as u64;
}

use auxv::{AT_EXECFN, AT_NULL, AT_RANDOM};

/// Most bytes the argument and environment strings and their pointers may
/// take together (`E2BIG` beyond).
pub const ARG_MAX: usize = 128 * 1024;

const WORD: u64 = 8;

/// A finished stack image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialStack {
    /// The memory `[stack_top - bytes.len(), stack_top)`.
    pub bytes: Vec<u8>,
    /// The initial `rsp`: 16-byte aligned, pointing at `argc`. It is the
    /// lowest address of the image, `stack_top - bytes.len()`.
    pub sp: u64,
}

/// A stack image read back by [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub argc: u64,
    pub argv: Vec<Vec<u8>>,
    pub envp: Vec<Vec<u8>>,
    /// The auxiliary vector without its final `AT_NULL`.
    pub auxv: Vec<(u64, u64)>,
}

impl Parsed {
    /// The value of auxiliary vector entry `key`, if present.
    pub fn aux(&self, key: u64) -> Option<u64> {
        self.auxv.iter().find(|&&(k, _)| k == key).map(|&(_, v)| v)
    }
}

/// Builds the initial stack for a program whose stack ends at `stack_top`.
///
/// `auxv` holds the entries the loader knows (`AT_PHDR`, `AT_ENTRY`, ...);
/// `build` appends `AT_RANDOM` (pointing at a copy of `random`),
/// `AT_EXECFN` (pointing at a copy of `execfn`, the path `execve` was
/// given, which Linux puts at the very top of the stack: not `argv[0]`,
/// which the caller chooses freely) and `AT_NULL`. Entries in `auxv` with
/// those three keys are dropped.
///
/// Errors: `E2BIG` if the strings and their pointers exceed [`ARG_MAX`] or
/// the image does not fit below `stack_top`; `EINVAL` if a string contains
/// a NUL byte (it would cut the string short).
pub fn build(
    stack_top: u64,
    execfn: &[u8],
    argv: &[&[u8]],
    envp: &[&[u8]],
    auxv: &[(u64, u64)],
    random: &[u8; 16],
) -> Result<InitialStack, Errno> {
    let strings = || argv.iter().chain(envp).chain([&execfn]);
    let args_len: usize = argv.iter().chain(envp).map(|s| s.len() + 1).sum();
    let pointers_len = (argv.len() + 1 + envp.len() + 1) * WORD as usize;
    // The file name is not counted: it is bounded by PATH_MAX already.
    if args_len + pointers_len > ARG_MAX {
        return Err(Errno::E2BIG);
    }
    let strings_len = args_len + execfn.len() + 1;
    if strings().any(|s| s.contains(&0)) {
        return Err(Errno::EINVAL);
    }

    // Work out the addresses, from the top down.
    let strings_start = stack_top
        .checked_sub(strings_len as u64)
        .ok_or(Errno::E2BIG)?;
    let random_addr = strings_start.checked_sub(16).ok_or(Errno::E2BIG)? & !15;
    let mut aux: Vec<(u64, u64)> = auxv
        .iter()
        .copied()
        .filter(|&(key, _)| ![AT_NULL, AT_RANDOM, AT_EXECFN].contains(&key))
        .collect();
    aux.push((AT_RANDOM, random_addr));
    // The file name is the last string, right below the top.
    aux.push((AT_EXECFN, stack_top - execfn.len() as u64 - 1));
    aux.push((AT_NULL, 0));
    let words = 1 + argv.len() + 1 + envp.len() + 1 + 2 * aux.len();
    let sp = random_addr
        .checked_sub(words as u64 * WORD)
        .ok_or(Errno::E2BIG)?
        & !15;

    // Fill in the image, from sp upwards.
    let mut image = Image {
        bytes: vec![0; (stack_top - sp) as usize],
        base: sp,
    };
    let mut at = sp;
    let mut push_word = |image: &mut Image, value: u64| {
        image.put(at, &value.to_le_bytes());
        at += WORD;
    };
    push_word(&mut image, argv.len() as u64);
    let mut string_at = strings_start;
    for list in [argv, envp] {
        for s in list {
            push_word(&mut image, string_at);
            image.put(string_at, s);
            // The NUL is already there: the image starts zeroed.
            string_at += s.len() as u64 + 1;
        }
        push_word(&mut image, 0);
    }
    image.put(string_at, execfn);
    for (key, value) in aux {
        push_word(&mut image, key);
        push_word(&mut image, value);
    }
    image.put(random_addr, random);

    Ok(InitialStack {
        bytes: image.bytes,
        sp,
    })
}

/// Bytes that stand for memory starting at address `base`.
struct Image {
    bytes: Vec<u8>,
    base: u64,
}

impl Image {
    fn put(&mut self, addr: u64, data: &[u8]) {
        let start = (addr - self.base) as usize;
        self.bytes[start..start + data.len()].copy_from_slice(data);
    }
}

/// Reads the initial stack at `sp` out of `mem`, which holds the memory
/// starting at address `mem_base`. `None` if anything points outside `mem`
/// or a string has no NUL.
pub fn parse(mem: &[u8], mem_base: u64, sp: u64) -> Option<Parsed> {
    let reader = Reader {
        mem,
        base: mem_base,
    };
    let mut at = sp;
    let mut next_word = || {
        let word = reader.word(at);
        at = at.checked_add(WORD)?;
        word
    };

    let argc = next_word()?;
    let mut argv = Vec::new();
    for _ in 0..argc {
        argv.push(reader.string(next_word()?)?);
    }
    if next_word()? != 0 {
        return None;
    }
    let mut envp = Vec::new();
    loop {
        match next_word()? {
            0 => break,
            ptr => envp.push(reader.string(ptr)?),
        }
    }
    let mut auxv = Vec::new();
    loop {
        match (next_word()?, next_word()?) {
            (AT_NULL, _) => break,
            pair => auxv.push(pair),
        }
    }
    Some(Parsed {
        argc,
        argv,
        envp,
        auxv,
    })
}

/// Reads little-endian words and C strings from memory given as a slice.
struct Reader<'a> {
    mem: &'a [u8],
    base: u64,
}

impl Reader<'_> {
    /// The bytes from address `addr` to the end of `mem`.
    fn from(&self, addr: u64) -> Option<&[u8]> {
        let offset = usize::try_from(addr.checked_sub(self.base)?).ok()?;
        self.mem.get(offset..)
    }

    fn word(&self, addr: u64) -> Option<u64> {
        let bytes = self.from(addr)?.get(..8)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    }

    fn string(&self, addr: u64) -> Option<Vec<u8>> {
        let rest = self.from(addr)?;
        let len = rest.iter().position(|&b| b == 0)?;
        Some(rest[..len].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::auxv::*;
    use super::*;
    use crate::test_util::Rng;

    const TOP: u64 = 0x7fff_ffff_f000;
    const RANDOM: [u8; 16] = *b"0123456789abcdef";
    const EXECFN: &[u8] = b"/bin/prog";

    fn build_and_parse(
        argv: &[&[u8]],
        envp: &[&[u8]],
        auxv: &[(u64, u64)],
    ) -> (InitialStack, Parsed) {
        let stack = build(TOP, EXECFN, argv, envp, auxv, &RANDOM).unwrap();
        let parsed = parse(&stack.bytes, stack.sp, stack.sp).expect("parse");
        (stack, parsed)
    }

    /// Reads the 16 bytes at `addr` from the image.
    fn bytes_at(stack: &InitialStack, addr: u64) -> &[u8] {
        let offset = (addr - stack.sp) as usize;
        &stack.bytes[offset..offset + 16]
    }

    #[test]
    fn round_trip() {
        let argv: &[&[u8]] = &[b"/init", b"hello", b""];
        let envp: &[&[u8]] = &[b"HOME=/", b"TERM=linux"];
        let given = [(AT_PAGESZ, 4096), (AT_ENTRY, 0x40_1000), (AT_UID, 0)];
        let (stack, parsed) = build_and_parse(argv, envp, &given);

        assert_eq!(stack.sp + stack.bytes.len() as u64, TOP);
        assert_eq!(parsed.argc, 3);
        assert_eq!(parsed.argv, argv);
        assert_eq!(parsed.envp, envp);
        let keys: Vec<u64> = parsed.auxv.iter().map(|&(k, _)| k).collect();
        assert_eq!(keys, [AT_PAGESZ, AT_ENTRY, AT_UID, AT_RANDOM, AT_EXECFN]);
        assert_eq!(&parsed.auxv[..3], &given);
    }

    #[test]
    fn strings_sit_at_the_top() {
        let (stack, _) = build_and_parse(&[b"ab"], &[b"X=1"], &[]);
        assert!(stack.bytes.ends_with(b"ab\0X=1\0/bin/prog\0"));
    }

    #[test]
    fn random_bytes_are_where_at_random_says() {
        let (stack, parsed) = build_and_parse(&[b"/init"], &[], &[]);
        let addr = parsed.aux(AT_RANDOM).unwrap();
        assert_eq!(bytes_at(&stack, addr), RANDOM);
        assert_eq!(addr % 16, 0);
    }

    #[test]
    fn execfn_is_the_path_not_argv0() {
        let (stack, parsed) = build_and_parse(&[b"prog", b"x"], &[], &[]);
        let addr = parsed.aux(AT_EXECFN).unwrap();
        let argv0_ptr = u64::from_le_bytes(stack.bytes[8..16].try_into().unwrap());
        assert_ne!(addr, argv0_ptr);
        let reader = Reader {
            mem: &stack.bytes,
            base: stack.sp,
        };
        assert_eq!(reader.string(addr).unwrap(), EXECFN);
        assert_eq!(reader.string(argv0_ptr).unwrap(), b"prog");
    }

    #[test]
    fn no_argv() {
        let (_, parsed) = build_and_parse(&[], &[b"A=b"], &[]);
        assert_eq!(parsed.argc, 0);
        assert_eq!(parsed.envp, [b"A=b"]);
        assert!(parsed.aux(AT_EXECFN).is_some());
        assert!(parsed.aux(AT_RANDOM).is_some());
    }

    #[test]
    fn sp_is_aligned_for_every_shape() {
        // String lengths 0..16 give every total length modulo 16; the counts
        // of pointers and auxv entries change the parity of the word count.
        let long = [b'x'; 16];
        for top in [TOP, TOP - 13] {
            for len in 0..16 {
                for argc in 0..3 {
                    for envc in 0..2 {
                        let argv = vec![&long[..len]; argc];
                        let envp = vec![&long[..len / 2]; envc];
                        let auxv = vec![(AT_PAGESZ, 4096); len % 3];
                        let stack = build(top, EXECFN, &argv, &envp, &auxv, &RANDOM).unwrap();
                        assert_eq!(
                            stack.sp % 16,
                            0,
                            "top {top:#x} len {len} argc {argc} envc {envc}"
                        );
                        assert_eq!(stack.sp + stack.bytes.len() as u64, top);
                        let parsed = parse(&stack.bytes, stack.sp, stack.sp).unwrap();
                        assert_eq!(parsed.argv.len(), argc);
                        assert_eq!(parsed.envp.len(), envc);
                    }
                }
            }
        }
    }

    #[test]
    fn reserved_keys_are_replaced() {
        let given = [
            (AT_PAGESZ, 4096),
            (AT_NULL, 0),
            (AT_RANDOM, 1),
            (AT_EXECFN, 2),
            (AT_ENTRY, 5),
        ];
        let (stack, parsed) = build_and_parse(&[b"p"], &[], &given);
        assert_eq!(parsed.aux(AT_ENTRY), Some(5)); // not cut off by the AT_NULL
        assert_ne!(parsed.aux(AT_RANDOM), Some(1));
        assert_eq!(bytes_at(&stack, parsed.aux(AT_RANDOM).unwrap()), RANDOM);
        assert_eq!(
            parsed.auxv.iter().filter(|&&(k, _)| k == AT_RANDOM).count(),
            1
        );
        assert_eq!(
            parsed.auxv.iter().filter(|&&(k, _)| k == AT_EXECFN).count(),
            1
        );
    }

    #[test]
    fn argument_size_limit() {
        // One argument: its bytes + NUL + argv[0], NULL, envp NULL pointers.
        let fits = vec![b'a'; ARG_MAX - 1 - 3 * 8];
        assert!(build(TOP, EXECFN, &[&fits], &[], &[], &RANDOM).is_ok());
        let too_big = vec![b'a'; ARG_MAX - 3 * 8];
        assert_eq!(
            build(TOP, EXECFN, &[&too_big], &[], &[], &RANDOM),
            Err(Errno::E2BIG)
        );
        // Many empty strings count too: 9 bytes each.
        let many = vec![&b""[..]; ARG_MAX / 9];
        assert_eq!(
            build(TOP, EXECFN, &many, &[], &[], &RANDOM),
            Err(Errno::E2BIG)
        );
        assert_eq!(
            build(TOP, EXECFN, &[], &many, &[], &RANDOM),
            Err(Errno::E2BIG)
        );
    }

    #[test]
    fn does_not_fit_below_top() {
        assert_eq!(
            build(100, EXECFN, &[b"/init"], &[], &[], &RANDOM),
            Err(Errno::E2BIG)
        );
        assert_eq!(
            build(3, EXECFN, &[b"/init"], &[], &[], &RANDOM),
            Err(Errno::E2BIG)
        );
    }

    #[test]
    fn nul_in_a_string_is_refused() {
        assert_eq!(
            build(TOP, EXECFN, &[b"a\0b"], &[], &[], &RANDOM),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            build(TOP, EXECFN, &[b"a"], &[b"X=\0"], &[], &RANDOM),
            Err(Errno::EINVAL)
        );
    }

    #[test]
    fn parse_rejects_bad_images() {
        let stack = build(TOP, EXECFN, &[b"/init"], &[b"A=1"], &[], &RANDOM).unwrap();
        // sp outside the memory.
        assert_eq!(parse(&stack.bytes, stack.sp, stack.sp - 8), None);
        assert_eq!(parse(&stack.bytes, stack.sp, TOP), None);
        // Memory cut short: the strings are gone.
        let cut = &stack.bytes[..stack.bytes.len() - (EXECFN.len() + 1) - 4];
        assert_eq!(parse(cut, stack.sp, stack.sp), None);
        // argc larger than the pointers there.
        let mut bad = stack.bytes.clone();
        bad[0] = 200;
        assert_eq!(parse(&bad, stack.sp, stack.sp), None);
    }

    #[test]
    fn parse_survives_garbage() {
        let stack = build(
            TOP,
            EXECFN,
            &[b"/init", b"x"],
            &[b"A=1"],
            &[(AT_PAGESZ, 4096)],
            &RANDOM,
        )
        .unwrap();
        let mut rng = Rng::new(7);
        let rounds = if cfg!(miri) { 100 } else { 3000 };
        for _ in 0..rounds {
            let mut bad = stack.bytes.clone();
            let at = rng.below(bad.len());
            bad[at] = rng.next_u64() as u8;
            // Any answer is fine; panicking or looping is not.
            let _ = parse(&bad, stack.sp, stack.sp);
        }
    }
}
