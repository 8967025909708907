//! The FPU/SSE state of user programs. The kernel itself never uses SSE
//! (its target is soft-float), so a process's x87/SSE registers only need
//! saving when another process is about to run: the scheduler `save`s the
//! old process's state and `restore`s the new one's (FXSAVE/FXRSTOR, 512
//! bytes). SSE must also be switched on once at boot, or user code that
//! uses it (all of std on `x86_64-unknown-vibix`) would fault.

use x86_64::registers::control::{Cr0, Cr0Flags, Cr4, Cr4Flags};

/// An FXSAVE image, in its required 16-byte alignment.
#[repr(C, align(16))]
#[derive(Clone)]
pub struct FpuState([u8; 512]);

impl FpuState {
    /// The state a new program starts with: x87 control word 0x037f (all
    /// exceptions masked, double-extended precision), MXCSR 0x1f80 (all
    /// SSE exceptions masked, round to nearest).
    pub fn initial() -> FpuState {
        let mut image = [0u8; 512];
        image[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
        image[24..28].copy_from_slice(&0x1f80u32.to_le_bytes());
        FpuState(image)
    }

    /// The CPU's x87/SSE registers as they are now.
    pub fn current() -> FpuState {
        let mut state = FpuState([0; 512]);
        state.save();
        state
    }

    /// The 512-byte FXSAVE image (what a signal frame's `fpstate` holds).
    pub fn bytes(&self) -> &[u8; 512] {
        &self.0
    }

    /// An image a program handed back (`rt_sigreturn`), or None if FXRSTOR
    /// would fault on it: MXCSR bits this CPU does not support are set.
    pub fn from_user(image: [u8; 512]) -> Option<FpuState> {
        let mxcsr = u32::from_le_bytes([image[24], image[25], image[26], image[27]]);
        (mxcsr & !mxcsr_mask() == 0).then_some(FpuState(image))
    }

    /// Saves the CPU's current x87/SSE registers here.
    pub fn save(&mut self) {
        // SAFETY: FXSAVE writes exactly 512 bytes to a 16-byte aligned
        // buffer, which `self` is (repr align 16, size 512).
        unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) self.0.as_mut_ptr(), options(nostack)) };
    }

    /// Loads these x87/SSE registers into the CPU.
    pub fn restore(&self) {
        // SAFETY: the image came from FXSAVE, `initial()` or `from_user`, so
        // no MXCSR bit the CPU lacks is set and FXRSTOR cannot fault.
        unsafe {
            core::arch::asm!("fxrstor64 [{}]", in(reg) self.0.as_ptr(), options(nostack, readonly))
        };
    }
}

/// The MXCSR bits this CPU supports: FXSAVE reports them at byte 28 (zero
/// there means the architectural default, 0xffbf).
fn mxcsr_mask() -> u32 {
    let image = FpuState::current().0;
    match u32::from_le_bytes([image[28], image[29], image[30], image[31]]) {
        0 => 0xffbf,
        mask => mask,
    }
}

/// Turns SSE on: no x87 emulation, FXSAVE/FXRSTOR and SSE exceptions on.
pub fn init() {
    // SAFETY: these bits only enable the FPU/SSE for all privilege levels;
    // the kernel's own code never uses them.
    unsafe {
        Cr0::update(|f| {
            f.remove(Cr0Flags::EMULATE_COPROCESSOR | Cr0Flags::TASK_SWITCHED);
            f.insert(Cr0Flags::MONITOR_COPROCESSOR);
        });
        Cr4::update(|f| f.insert(Cr4Flags::OSFXSR | Cr4Flags::OSXMMEXCPT_ENABLE));
    }
    FpuState::initial().restore();
}
