//! `bench_init`: init for the Linux guest of `runner bench` (never run on
//! vibix). It gives the benchmark programs what vibix gives init at boot:
//! device nodes in `/dev` (Linux: mount `devtmpfs`) and a writable `/tmp`
//! in memory (a `tmpfs`, as vibix's root is), then runs `argv[1..]` as a
//! child, prints how it ended and powers the machine off, which is how a
//! vibix boot ends when init exits. So the benchmark programs themselves do
//! nothing Linux-only.
//!
//! ```text
//! linux console=ttyS0 … init=/bin/bench_init -- /bin/bench ms=100
//! ```

#![no_std]
#![no_main]

use core::ffi::CStr;

use vrt::children::{Fork, execve, fork, wait4};
use vrt::errno::Errno;
use vrt::fsops::mkdir;
use vrt::syscall::{syscall4, syscall5};
use vrt::uapi::reboot::{LINUX_REBOOT_CMD_POWER_OFF, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2};

vrt::entry!(main);

fn mount(source: &CStr, target: &CStr, fstype: &CStr) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads the three strings; flags and data are 0.
    Errno::from_ret(unsafe {
        syscall5(
            vrt::nr::MOUNT,
            source.as_ptr() as usize,
            target.as_ptr() as usize,
            fstype.as_ptr() as usize,
            0,
            0,
        )
    })
}

fn power_off() -> ! {
    // SAFETY: powering off ends every process; no memory is involved.
    let ret = unsafe {
        syscall4(
            vrt::nr::REBOOT,
            LINUX_REBOOT_MAGIC1 as u32 as usize,
            LINUX_REBOOT_MAGIC2 as u32 as usize,
            LINUX_REBOOT_CMD_POWER_OFF as u32 as usize,
            0,
        )
    };
    vrt::eprintln!("bench_init: reboot failed: {:?}", Errno::from_ret(ret));
    // Init must not exit (Linux panics, and with panic=-1 the machine
    // resets, which ends QEMU too).
    vrt::process::exit(1)
}

fn main(args: &vrt::Args) -> i32 {
    for (dir, fstype) in [(c"/dev", c"devtmpfs"), (c"/tmp", c"tmpfs")] {
        let _ = mkdir(dir, 0o755);
        if let Err(e) = mount(fstype, dir, fstype) {
            vrt::eprintln!("bench_init: cannot mount {fstype:?} on {dir:?}: {e:?}");
            power_off();
        }
    }
    let mut argv: [&CStr; 16] = [c""; 16];
    let mut argc = 0;
    for (slot, arg) in argv.iter_mut().zip(args.args().skip(1)) {
        *slot = arg;
        argc += 1;
    }
    let mut envp: [&CStr; 16] = [c""; 16];
    let mut envc = 0;
    for (slot, entry) in envp.iter_mut().zip(args.env()) {
        *slot = entry;
        envc += 1;
    }
    if argc == 0 {
        vrt::eprintln!("bench_init: no program to run (init=/bin/bench_init -- PROGRAM ARGS)");
        power_off();
    }
    match fork() {
        Ok(Fork::Child) => {
            let e = execve(argv[0], &argv[..argc], &envp[..envc]);
            vrt::eprintln!("bench_init: cannot run {:?}: {e:?}", argv[0]);
            vrt::process::exit(127)
        }
        Ok(Fork::Parent { child }) => match wait4(child, 0) {
            Ok((_, status)) => vrt::println!("bench_init: wait status {status:#06x}"),
            Err(e) => vrt::eprintln!("bench_init: wait4: {e:?}"),
        },
        Err(e) => vrt::eprintln!("bench_init: fork: {e:?}"),
    }
    power_off()
}
