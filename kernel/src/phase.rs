//! The kernel's phase: the one place it is read from the cargo features.
//! Features are cumulative (`phase2` implies `phase1`, see Cargo.toml), so
//! the highest one switched on is the phase. The syscall table names each
//! system call's phase, and `dispatch` answers `ENOSYS` for a row above
//! this one; every handler is compiled in every phase.

/// The phase this kernel was built for (0: no feature). A later phase adds
/// its feature in Cargo.toml and its line here, highest first.
pub const PHASE: u8 = if cfg!(feature = "phase5") {
    5
} else if cfg!(feature = "phase4") {
    4
} else if cfg!(feature = "phase3") {
    3
} else if cfg!(feature = "phase2") {
    2
} else if cfg!(feature = "phase1") {
    1
} else {
    0
};
