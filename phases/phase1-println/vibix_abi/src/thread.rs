//! Threads (phase 3): making one with `clone`, waiting for its end,
//! freeing what it used; and the calls about the calling thread (`gettid`,
//! `sched_yield`, how many CPUs it may run on).
//!
//! A thread is one anonymous mapping ([`region`]): a guard page, the stack,
//! a fresh TLS block ([`tls`]) and a control record. [`Thread::spawn`] maps
//! and fills it and starts the thread with `clone` ([`clone`]); the
//! thread-id word in the control record is what the kernel clears when
//! the thread is gone. Who unmaps the region afterwards:
//!
//! - the joiner ([`Thread::join`]), once that word is 0: then the thread's
//!   stack is certainly no longer in use (like musl, unlike a scheme where
//!   the thread frees its own stack while still running on it);
//! - for a detached thread (its `Thread` dropped), the thread itself, as
//!   its last act, with code that needs no stack
//!   ([`clone::unmap_self_and_exit`]); or whoever detaches it, if it has
//!   already finished. One atomic exchange on the record's state decides
//!   which of the two comes second, and that one frees.

pub mod clone;
pub mod region;
pub mod tls;

use core::sync::atomic::{AtomicU32, Ordering};

use crate::errno::{Errno, Result, check};
use crate::{futex, mem, nr, syscall};

/// The calling thread's id (`gettid`): the process id for the first
/// thread.
pub fn gettid() -> i32 {
    // SAFETY: `gettid` has no arguments and no side effects.
    unsafe { syscall!(nr::GETTID) as i32 }
}

/// Gives up the CPU to another runnable thread, if there is one
/// (`sched_yield`).
pub fn yield_now() {
    // SAFETY: `sched_yield` has no arguments and touches no memory.
    unsafe { syscall!(nr::SCHED_YIELD) };
}

/// How many CPUs the calling thread may run on (`sched_getaffinity`'s
/// mask, counted). `ENOSYS` from a kernel without the call.
pub fn cpu_count() -> Result<usize> {
    // Room for 1024 CPUs, glibc's `cpu_set_t`.
    let mut mask = [0u64; 16];
    // SAFETY: the kernel writes at most `size_of_val(&mask)` bytes into it.
    let len = check(unsafe {
        syscall!(
            nr::SCHED_GETAFFINITY,
            0usize,
            size_of_val(&mask),
            mask.as_mut_ptr()
        )
    })?;
    Ok(count_cpus(&mask, len))
}

/// The number of bits set in the first `len` bytes of `mask`.
fn count_cpus(mask: &[u64], len: usize) -> usize {
    let words = (len / 8).min(mask.len());
    mask[..words].iter().map(|w| w.count_ones() as usize).sum()
}

/// The thread's control record, in its region above the TLS block.
#[repr(C)]
struct Control {
    /// The thread-id word: set by the kernel at `clone`, cleared (and
    /// woken) by it when the thread is gone.
    tid: AtomicU32,
    /// [`RUNNING`], [`DETACHED`] or [`FINISHED`].
    state: AtomicU32,
    /// What the thread runs.
    entry: unsafe extern "C" fn(*mut u8),
    arg: *mut u8,
    /// The whole region, for whoever unmaps it.
    base: *mut u8,
    len: usize,
    /// The guard page's size, at `base`.
    guard: usize,
}

/// Running, with a `Thread` that will join or detach it.
const RUNNING: u32 = 0;
/// Its `Thread` was dropped: the thread frees its own region.
const DETACHED: u32 = 1;
/// Its entry has returned; it is about to end, or has ended.
const FINISHED: u32 = 2;

/// A thread started by [`Thread::spawn`]: join it, or drop it to detach.
#[derive(Debug)]
pub struct Thread {
    control: *const Control,
    /// Its thread id, as `clone` returned it.
    tid: i32,
}

// SAFETY: the handle is a pointer to the shared control record, whose
// fields are atomics or written once before the thread starts.
unsafe impl Send for Thread {}
// SAFETY: as above; `&Thread` only reads the record.
unsafe impl Sync for Thread {}

impl Thread {
    // ANCHOR: spawn
    /// Starts a thread that runs `entry(arg)` on a stack of at least
    /// `stack_size` bytes (rounded up to whole pages, at least
    /// [`region::MIN_STACK`]) with a guard page below it, and a fresh copy
    /// of the program's thread-local variables.
    ///
    /// # Safety
    ///
    /// `entry(arg)` must be sound to run on another thread, at any time
    /// until the process ends; `entry` must return (not end the thread
    /// itself), and must not unwind.
    pub unsafe fn spawn(
        stack_size: usize,
        entry: unsafe extern "C" fn(*mut u8),
        arg: *mut u8,
    ) -> Result<Thread> {
        let template = tls::thread_template().ok_or(Errno::ENOSYS)?;
        // SAFETY: the running program's template; the rest is our caller's.
        unsafe { Thread::spawn_with(&template, stack_size, entry, arg) }
    }

    /// [`Thread::spawn`] with the TLS template given.
    ///
    /// # Safety
    ///
    /// As for `spawn`; `template` must describe the running program's
    /// `PT_TLS` segment, as loaded.
    unsafe fn spawn_with(
        template: &tls::Template,
        stack_size: usize,
        entry: unsafe extern "C" fn(*mut u8),
        arg: *mut u8,
    ) -> Result<Thread> {
        let tls_layout = template.layout().ok_or(Errno::EINVAL)?;
        let r = region::plan(
            stack_size,
            mem::PAGE_SIZE,
            &tls_layout,
            size_of::<Control>(),
            align_of::<Control>(),
        )
        .ok_or(Errno::EINVAL)?;
        let base = mem::mmap_anonymous(r.len)?;
        // SAFETY: `base` is our fresh mapping of `r.len` bytes; everything
        // below writes inside it (the plan keeps each piece in bounds) or
        // unmaps it again on failure, when no thread uses it.
        unsafe {
            if let Err(e) = mem::mprotect(base, r.guard, mem::PROT_NONE) {
                let _ = mem::munmap(base, r.len);
                return Err(e);
            }
            let image = core::ptr::with_exposed_provenance::<u8>(template.image);
            let tp = tls::init_block(base.add(r.tls_block), &tls_layout, template, image);
            let control = base.add(r.control).cast::<Control>();
            control.write(Control {
                tid: AtomicU32::new(0),
                state: AtomicU32::new(RUNNING),
                entry,
                arg,
                base,
                len: r.len,
                guard: r.guard,
            });
            match clone::clone_thread(
                base.add(r.stack_top),
                tp,
                &(*control).tid,
                thread_main,
                control.cast(),
            ) {
                Ok(tid) => Ok(Thread { control, tid }),
                Err(e) => {
                    let _ = mem::munmap(base, r.len);
                    Err(e)
                }
            }
        }
    }
    // ANCHOR_END: spawn

    /// The thread's id.
    pub fn tid(&self) -> i32 {
        self.tid
    }

    fn control(&self) -> &Control {
        // SAFETY: the region stays mapped while a `Thread` exists: only
        // `join` (which consumes it) or the detached thread itself (after
        // `drop`) unmaps it.
        unsafe { &*self.control }
    }

    // ANCHOR: join
    /// Waits until the thread is gone, then frees its stack and TLS block.
    pub fn join(self) {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: a joined thread is not detached, so the region is ours
        // to free once the thread is gone.
        unsafe { wait_gone_and_unmap(this.control) }
    }
    // ANCHOR_END: join
}

impl Drop for Thread {
    /// Detaches the thread: whichever of the two is second frees the region.
    fn drop(&mut self) {
        if self.control().state.swap(DETACHED, Ordering::AcqRel) == FINISHED {
            // The thread finished before it could know it was detached:
            // it ends without freeing, so we do.
            // SAFETY: the thread will not touch its region again.
            unsafe { wait_gone_and_unmap(self.control) }
        }
    }
}

/// Waits for the kernel to clear the thread-id word, then unmaps the
/// region.
///
/// # Safety
///
/// `control` must be a live record whose thread will not free its region
/// itself.
unsafe fn wait_gone_and_unmap(control: *const Control) {
    // SAFETY: the record is live until the unmap below.
    let c = unsafe { &*control };
    loop {
        let tid = c.tid.load(Ordering::Acquire);
        if tid == 0 {
            break;
        }
        // EAGAIN (it changed), EINTR, a spurious wake-up: look again.
        let _ = futex::wait_shared(&c.tid, tid, None);
    }
    let (base, len) = (c.base, c.len);
    // SAFETY: the word is 0, so the kernel has ended the thread: nothing
    // runs on its stack or uses its TLS block any more, and we hold the
    // only reference to the region.
    unsafe {
        let _ = mem::munmap(base, len);
    }
}

/// The first Rust code of every thread: the entry, then the end.
extern "C" fn thread_main(control: *mut u8) {
    let control = control.cast::<Control>().cast_const();
    // SAFETY: the record lives until the thread is gone (see the module
    // comment).
    let c = unsafe { &*control };
    // For std's stack-overflow handler: a fault here is an overflow.
    let guard = c.base.addr();
    crate::stack_overflow::set_guard(guard..guard + c.guard);
    // SAFETY: `spawn`'s caller vouched for `entry(arg)` on this thread.
    unsafe { (c.entry)(c.arg) };
    if c.state.swap(FINISHED, Ordering::AcqRel) != DETACHED {
        // Whoever joins or detaches it frees the region once the kernel
        // says the thread is gone.
        clone::exit_thread();
    }
    // Detached: nobody else will free the region.
    let (base, len) = (c.base, c.len);
    let all: vibix_uapi::signal::SigSet = !0;
    // SAFETY: blocking every signal in this thread (no handler may run on
    // a stack about to go), and no clear-tid write into the region; then
    // the region, this stack included, is given up by code that needs no
    // stack.
    unsafe {
        syscall!(
            nr::RT_SIGPROCMASK,
            vibix_uapi::signal::SIG_BLOCK,
            &raw const all,
            0usize,
            size_of_val(&all)
        );
        let _ = clone::set_tid_address(core::ptr::null_mut());
        clone::unmap_self_and_exit(base, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::Cell;
    use std::vec::Vec;

    /// The TLS template of this test program, from the host kernel's
    /// auxiliary vector (`/proc/self/auxv`): the real thing, found the way
    /// [`tls::program_template`] finds it on vibix.
    fn host_template() -> tls::Template {
        use vibix_uapi::auxv::{AT_PHDR, AT_PHNUM};
        let auxv = std::fs::read("/proc/self/auxv").unwrap();
        let pairs: Vec<(usize, usize)> = auxv
            .chunks_exact(16)
            .map(|c| {
                let word = |b: &[u8]| usize::from_ne_bytes(b.try_into().unwrap());
                (word(&c[..8]), word(&c[8..]))
            })
            .collect();
        let get = |key| pairs.iter().find(|p| p.0 == key).unwrap().1;
        let (at_phdr, count) = (get(AT_PHDR), get(AT_PHNUM));
        // SAFETY: the host kernel's AT_PHDR/AT_PHNUM: this program's
        // headers, mapped for its whole life.
        let phdrs = unsafe {
            core::slice::from_raw_parts(
                core::ptr::with_exposed_provenance::<vibix_uapi::elf::Phdr>(at_phdr),
                count,
            )
        };
        tls::find(phdrs, at_phdr).unwrap()
    }

    #[thread_local]
    static FRESH: Cell<u32> = Cell::new(7);

    /// What a test thread saw.
    #[derive(Default)]
    struct Probe {
        ran: AtomicU32,
        fresh: AtomicU32,
        tid: AtomicU32,
        self_pointer: AtomicU32,
    }

    /// Runs on a thread of ours inside a glibc process, so it calls nothing
    /// of glibc's (its thread-locals are not in our block): atomics, our
    /// own thread-local, raw system calls.
    unsafe extern "C" fn probe(arg: *mut u8) {
        // SAFETY: the test keeps the probe alive until `ran` is set.
        let p = unsafe { &*arg.cast::<Probe>() };
        p.fresh.store(FRESH.get(), Ordering::Relaxed);
        FRESH.set(1000);
        p.tid.store(gettid() as u32, Ordering::Relaxed);
        let tp: usize;
        // SAFETY: reads the TCB's first word, which is mapped.
        unsafe { core::arch::asm!("mov {}, fs:0", out(reg) tp, options(nostack, readonly)) };
        let fresh_at = FRESH.as_ptr() as usize;
        // The self pointer, and our variable just below it.
        p.self_pointer.store(
            u32::from(fresh_at < tp && tp - fresh_at < 4096),
            Ordering::Relaxed,
        );
        p.ran.fetch_add(1, Ordering::Release);
    }

    fn wait_until_ran(p: &Probe) {
        while p.ran.load(Ordering::Acquire) == 0 {
            yield_now();
        }
    }

    // ANCHOR: host_test
    /// The whole life of a thread, on the Linux host (whose `clone`,
    /// `futex` and thread-id clearing vibix copies): spawn and join, a
    /// fresh TLS block, many threads, both ways of detaching. Miri cannot
    /// run `clone`.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn threads_on_the_host() {
        let template = host_template();
        FRESH.set(99);
        let p = Probe::default();
        let arg = (&raw const p).cast_mut().cast();
        // SAFETY: `probe` is sound on any thread; `p` outlives the join.
        let t = unsafe { Thread::spawn_with(&template, 64 * 1024, probe, arg) }.unwrap();
        assert!(t.tid() > 0);
        t.join();
        assert_eq!(p.ran.load(Ordering::Relaxed), 1);
        assert_eq!(
            p.fresh.load(Ordering::Relaxed),
            7,
            "a fresh copy of the template"
        );
        assert_eq!(p.self_pointer.load(Ordering::Relaxed), 1);
        assert_ne!(p.tid.load(Ordering::Relaxed), gettid() as u32);
        assert_eq!(FRESH.get(), 99, "our own value untouched");

        for _ in 0..300 {
            let p = Probe::default();
            let arg = (&raw const p).cast_mut().cast();
            // SAFETY: as above.
            unsafe { Thread::spawn_with(&template, 0, probe, arg) }
                .unwrap()
                .join();
            assert_eq!(p.ran.load(Ordering::Relaxed), 1);
        }

        // Detached while it may still run: it frees its own region.
        for _ in 0..100 {
            let p = Probe::default();
            let arg = (&raw const p).cast_mut().cast();
            // SAFETY: as above; `p` lives until the thread has set `ran`,
            // its last use of it.
            drop(unsafe { Thread::spawn_with(&template, 0, probe, arg) }.unwrap());
            wait_until_ran(&p);
        }
        // Detached after it finished: the dropper frees the region.
        let p = Probe::default();
        let arg = (&raw const p).cast_mut().cast();
        // SAFETY: as above.
        let t = unsafe { Thread::spawn_with(&template, 0, probe, arg) }.unwrap();
        wait_until_ran(&p);
        while t.control().state.load(Ordering::Acquire) != FINISHED {
            yield_now();
        }
        drop(t);
    }
    // ANCHOR_END: host_test

    #[test]
    fn cpus_are_counted_in_the_bytes_the_kernel_wrote() {
        let mut mask = [0u64; 16];
        mask[0] = 0b1011;
        mask[1] = 1;
        assert_eq!(count_cpus(&mask, 8), 3);
        assert_eq!(count_cpus(&mask, 16), 4);
        assert_eq!(count_cpus(&mask, 128), 4);
        assert_eq!(count_cpus(&mask, 4096), 4, "never past the buffer");
        assert_eq!(count_cpus(&mask, 0), 0);
    }
}
