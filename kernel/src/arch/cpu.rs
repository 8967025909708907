//! Small CPU facilities: hardware random numbers, the FS base register and
//! control registers the fault handler reads.

use core::arch::x86_64::{_rdrand64_step, _rdseed64_step};

/// Whether the CPU advertises RDRAND (CPUID.1:ECX bit 30).
pub fn has_rdrand() -> bool {
    let r = core::arch::x86_64::__cpuid(1);
    r.ecx & (1 << 30) != 0
}

/// Whether the CPU advertises RDSEED (CPUID.7.0:EBX bit 18).
pub fn has_rdseed() -> bool {
    // Leaf 0 gives the highest leaf; leaf 7 exists if it is >= 7.
    let max = core::arch::x86_64::__cpuid(0).eax;
    max >= 7 && core::arch::x86_64::__cpuid_count(7, 0).ebx & (1 << 18) != 0
}

/// Up to 32 tries of RDSEED (true entropy). Call only if `has_rdseed()`.
#[target_feature(enable = "rdseed")]
fn rdseed64() -> Option<u64> {
    let mut v = 0u64;
    (0..32).find(|_| _rdseed64_step(&mut v) == 1).map(|_| v)
}

/// Up to 32 tries of RDRAND (a DRBG reseeded by hardware). Call only if `has_rdrand()`.
#[target_feature(enable = "rdrand")]
fn rdrand64() -> Option<u64> {
    let mut v = 0u64;
    (0..32).find(|_| _rdrand64_step(&mut v) == 1).map(|_| v)
}

/// 64 bits of hardware entropy, or `None` when the CPU has none to give
/// (no RDSEED/RDRAND, or it failed repeatedly). Never a deterministic value.
pub fn hw_random_u64() -> Option<u64> {
    if has_rdseed() {
        // SAFETY: CPUID says RDSEED is present.
        if let Some(v) = unsafe { rdseed64() } {
            return Some(v);
        }
    }
    if has_rdrand() {
        // SAFETY: CPUID says RDRAND is present.
        return unsafe { rdrand64() };
    }
    None
}

/// Fills `buf` from the timing jitter of the time-stamp counter: weak,
/// unpredictable only as far as boot timing is. Only exec's `AT_RANDOM`
/// uses it, and only on a CPU without RDSEED/RDRAND, so that programs still
/// start there; `getrandom` never does (finding S-A1').
pub fn jitter_fill(buf: &mut [u8]) {
    let mut state = 0u64;
    for chunk in buf.chunks_mut(8) {
        for _ in 0..64 {
            // SAFETY: RDTSC has no side effects and exists on every x86_64 CPU.
            let t = unsafe { core::arch::x86_64::_rdtsc() };
            state = (state ^ t)
                .rotate_left(17)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15);
            core::hint::spin_loop();
        }
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
}

/// Fills `buf` with hardware entropy, or fails without writing a fake value.
pub fn hw_random_fill(buf: &mut [u8]) -> Option<()> {
    for chunk in buf.chunks_mut(8) {
        let v = hw_random_u64()?;
        chunk.copy_from_slice(&v.to_le_bytes()[..chunk.len()]);
    }
    Some(())
}

/// Sets the FS base (user TLS pointer) of the current CPU.
pub fn set_fs_base(base: u64) {
    x86_64::registers::model_specific::FsBase::write(x86_64::VirtAddr::new_truncate(base));
}

/// The faulting address of the last page fault.
pub fn cr2() -> u64 {
    x86_64::registers::control::Cr2::read_raw()
}
