//! `fpu`: SSE registers belong to their process. Parent and child each put
//! their own value in xmm0 and check it over and over while the scheduler
//! switches between them (the kernel must save and restore the registers).

#![no_std]
#![no_main]

use core::arch::asm;
use vrt::check_eq;
use vrt::children::{Ended, Fork, decode, fork, wait4};
use vrt::process::exit;

vrt::entry!(main);

const ROUNDS: u64 = 20_000_000;

fn set_xmm0(v: u64) {
    // SAFETY: this program is built without SSE code generation, so the
    // compiler never keeps anything in xmm0 that this could overwrite.
    unsafe { asm!("movq xmm0, {}", in(reg) v, options(nomem, nostack)) };
}

fn xmm0() -> u64 {
    let v: u64;
    // SAFETY: reads xmm0 only.
    unsafe { asm!("movq {}, xmm0", out(reg) v, options(nomem, nostack)) };
    v
}

/// Keeps checking that xmm0 still holds `v`; returns the rounds it did not.
fn hold(v: u64) -> u64 {
    set_xmm0(v);
    (0..ROUNDS)
        .filter(|_| core::hint::black_box(xmm0()) != v)
        .count() as u64
}

fn main(_args: &vrt::Args) -> i32 {
    match fork() {
        Ok(Fork::Child) => exit(if hold(0x1111_2222_3333_4444) == 0 {
            0
        } else {
            1
        }),
        Ok(Fork::Parent { child }) => {
            check_eq!(
                hold(0x5555_6666_7777_8888),
                0,
                "the parent's xmm0 survives the child running"
            );
            let ended = wait4(child, 0).map(|(_, s)| decode(s));
            check_eq!(
                ended,
                Ok(Ended::Exited(0)),
                "the child's xmm0 survives the parent running"
            );
        }
        Err(e) => vrt::check::fail(format_args!("fork"), format_args!("{e:?}")),
    }
    vrt::check::all_passed();
    0
}
