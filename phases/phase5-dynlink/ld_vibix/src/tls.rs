//! Static TLS for every object loaded at start-up (x86_64 variant II):
//! each object with a `PT_TLS` segment is a *module* (ids from 1 in load
//! order, the program first), and every module's block lies below the
//! thread pointer at an offset fixed at start-up, the program's nearest to
//! it, where its linker assumed (`-round_up(memsz, align)`). The blocks
//! together are one template: a thread's TLS is a copy of it below its
//! TCB (`vibix_uapi::tls::layout(size, align)` puts it exactly there).

use crate::Error;

/// One module's block: its `PT_TLS` sizes and alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Module {
    pub memsz: u64,
    pub align: u64,
}

/// The static TLS of all modules: `size` bytes below the thread pointer
/// (a multiple of `align`, the largest alignment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaticTls {
    pub size: u64,
    pub align: u64,
}

// ANCHOR: place
/// Places `modules` below the thread pointer in order; writes each one's
/// offset from the thread pointer (negative) to `offsets`.
pub fn place(modules: &[Module], offsets: &mut [i64]) -> Result<StaticTls, Error> {
    let mut below: u64 = 0;
    let mut max_align: u64 = 1;
    for (m, off) in modules.iter().zip(offsets.iter_mut()) {
        let align = m.align.max(1);
        if !align.is_power_of_two() {
            return Err(Error::BadTls("alignment not a power of two"));
        }
        below = below
            .checked_add(m.memsz)
            .and_then(|v| v.checked_add(align - 1))
            .map(|v| v & !(align - 1))
            .filter(|&v| v <= i64::MAX as u64)
            .ok_or(Error::BadTls("too large"))?;
        *off = -(below as i64);
        max_align = max_align.max(align);
    }
    let size = below
        .checked_add(max_align - 1)
        .map(|v| v & !(max_align - 1))
        .ok_or(Error::BadTls("too large"))?;
    Ok(StaticTls {
        size,
        align: max_align,
    })
}
// ANCHOR_END: place

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_s_block_is_where_its_linker_put_it() {
        let m = [
            Module {
                memsz: 20,
                align: 8,
            },
            Module {
                memsz: 0x74,
                align: 8,
            },
            Module {
                memsz: 4,
                align: 64,
            },
        ];
        let mut off = [0; 3];
        let t = place(&m, &mut off).unwrap();
        assert_eq!(off[0], -24, "round_up(20, 8)");
        assert_eq!(off[1], -(24 + 0x78));
        assert_eq!(off[2], -192, "aligned to 64");
        assert_eq!(
            t,
            StaticTls {
                size: 192,
                align: 64
            }
        );
        for (o, m) in off.iter().zip(&m) {
            assert_eq!(o.unsigned_abs() % m.align, 0);
        }
    }

    #[test]
    fn bad_alignments_are_refused() {
        let mut off = [0; 1];
        assert!(place(&[Module { memsz: 1, align: 3 }], &mut off).is_err());
        assert!(
            place(
                &[Module {
                    memsz: u64::MAX,
                    align: 8
                }],
                &mut off
            )
            .is_err()
        );
        assert_eq!(
            place(&[], &mut []).unwrap(),
            StaticTls { size: 0, align: 1 }
        );
    }
}
