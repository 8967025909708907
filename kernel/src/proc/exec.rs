//! Loading an ELF program into a fresh address space: its segments (with
//! the page protections the ELF asks for, never W+X), at their addresses
//! (`ET_EXEC`) or at `PIE_BASE` (`ET_DYN`, a position-independent
//! executable); the interpreter it names (`PT_INTERP`), at the top of the
//! free `mmap` area, which then starts instead of the program; without an
//! interpreter, its TLS block and thread pointer (x86_64 variant II: the
//! TLS image right below a TCB whose first word points to itself); and the
//! System V initial stack (argc, argv, envp, auxv, with AT_RANDOM from
//! hardware entropy).

use crate::arch::trap::TrapFrame;
use crate::mm::aspace::AddressSpace;
use crate::proc::{Process, Task};
use alloc::borrow::Cow;
use alloc::collections::BTreeSet;
use alloc::string::String;
use kcore::elf::placement::PIE_BASE;
use kcore::elf::{Kind, LoadPlan};
use kcore::errno::{Errno, KResult};
use kcore::fs::{FileData, NodeKind};
use kcore::layout::{
    PAGE_SIZE, USER_MIN, USER_MMAP_TOP, USER_STACK_SIZE, USER_STACK_TOP, page_ceil, page_floor,
};
use kcore::stack::auxv::*;
use kcore::vma::{PROT_EXEC, PROT_READ, PROT_WRITE};

/// A loaded program, ready to run.
pub struct Image {
    pub aspace: AddressSpace,
    pub entry: u64,
    pub sp: u64,
    pub fs_base: u64,
}

fn prot_of(perms: &kcore::elf::Perms) -> u32 {
    (if perms.read { PROT_READ } else { 0 })
        | (if perms.write { PROT_WRITE } else { 0 })
        | (if perms.exec { PROT_EXEC } else { 0 })
}

// ANCHOR: load_segments
/// Maps `plan`'s segments: a read-only segment with no zero-filled part
/// shows the pages of the program-file cache (`mm::page_cache`, the same
/// frames in every process that runs the file as `data` holds it now);
/// any other is copied from `file` (its bytes) into fresh pages.
fn load_segments(
    aspace: &mut AddressSpace,
    plan: &LoadPlan,
    (file, data): (&[u8], &FileData),
) -> KResult<()> {
    for seg in &plan.segments {
        let start = page_floor(seg.vaddr);
        let end = page_ceil(seg.vaddr + seg.memsz).ok_or(Errno::ENOMEM)?;
        aspace.map_anonymous(start, end - start, prot_of(&seg.perms))?;
        match seg.file_page() {
            Some(first) => {
                let pages = first..first + (end - start) / PAGE_SIZE;
                aspace.map_cached(start, crate::mm::page_cache::frames(data, pages)?)?;
            }
            None => {
                let data = &file[seg.offset as usize..(seg.offset + seg.filesz) as usize];
                aspace.populate(seg.vaddr, data)?;
            }
        }
    }
    Ok(())
}
// ANCHOR_END: load_segments

/// Maps a TLS block for the main thread and returns the thread pointer.
fn load_tls(aspace: &mut AddressSpace, plan: &LoadPlan, file: &[u8]) -> KResult<u64> {
    let (memsz, align, image) = match &plan.tls {
        Some(t) => (
            t.memsz,
            t.align.max(1),
            &file[t.offset as usize..(t.offset + t.filesz) as usize],
        ),
        None => (0, 1, &[][..]),
    };
    let layout = kcore::tls::layout(memsz, align)?;
    let len = page_ceil(layout.size).ok_or(Errno::ENOMEM)?;
    let base = aspace
        .areas
        .find_free(len, USER_MIN, USER_MMAP_TOP)
        .ok_or(Errno::ENOMEM)?;
    aspace.map_anonymous(base, len, PROT_READ | PROT_WRITE)?;
    aspace.populate(base + layout.image_offset, image)?;
    let tp = base + layout.tp_offset;
    aspace.populate(tp, &tp.to_le_bytes())?;
    Ok(tp)
}

/// Builds the initial stack and returns the stack pointer. `plan` is the
/// program's (placed), `interp_base` the interpreter's load bias.
fn load_stack(
    aspace: &mut AddressSpace,
    plan: &LoadPlan,
    interp_base: Option<u64>,
    path: &[u8],
    argv: &[&[u8]],
    envp: &[&[u8]],
) -> KResult<u64> {
    let stack_bottom = USER_STACK_TOP - USER_STACK_SIZE;
    aspace.map_anonymous(stack_bottom, USER_STACK_SIZE, PROT_READ | PROT_WRITE)?;
    let mut random = [0u8; 16];
    if crate::arch::cpu::hw_random_fill(&mut random).is_none() {
        // No hardware entropy: AT_RANDOM is weak then, but programs start.
        // (getrandom refuses instead; see random.rs.)
        crate::arch::cpu::jitter_fill(&mut random);
    }
    let [phdr, phent, phnum, base, entry] = kcore::elf::auxv::program_entries(plan, interp_base);
    let auxv = [
        phdr,
        phent,
        phnum,
        (AT_PAGESZ, PAGE_SIZE),
        base,
        (AT_FLAGS, 0),
        entry,
        (AT_UID, 0),
        (AT_EUID, 0),
        (AT_GID, 0),
        (AT_EGID, 0),
        (AT_SECURE, 0),
    ];
    let stack = kcore::stack::build(USER_STACK_TOP, path, argv, envp, &auxv, &random)?;
    aspace.populate(USER_STACK_TOP - stack.bytes.len() as u64, &stack.bytes)?;
    Ok(stack.sp)
}

// ANCHOR: load
/// Loads the program at `path` (relative paths start at `cwd`, symlinks are
/// followed; the file must have an execute bit), and the interpreter it
/// names if any (found the same way, with the same rule), into a new
/// address space. The files' bytes are read in place, under the file
/// tree's lock, and copied once: into the program's pages (a file changed
/// since boot is first gathered from its pages into one block).
pub fn load(cwd: kcore::fs::Ino, path: &[u8], argv: &[&[u8]], envp: &[&[u8]]) -> KResult<Image> {
    crate::fs::with_tree(|t| {
        let (file, data) = executable(t, cwd, path)?;
        let plan = kcore::elf::plan(&file).map_err(|e| {
            crate::kprintln!("exec {}: {e}", String::from_utf8_lossy(path));
            e.errno()
        })?;
        let interp = match &plan.interp {
            Some(interp) => {
                let ipath = interp.path(&file);
                // Linux looks the path up as a kernel string, for which an
                // empty path is not `ENOENT` (that rule is for paths from
                // user space) but the starting directory: `EACCES` here.
                let lookup: &[u8] = if ipath.is_empty() { b"." } else { ipath };
                let (ifile, idata) = executable(t, cwd, lookup)?;
                Some((interp_plan(ipath, &ifile)?, ifile, idata))
            }
            None => None,
        };
        let interp = interp
            .as_ref()
            .map(|(plan, file, data)| (plan.clone(), (&**file, *data)));
        load_files(path, (plan, (&file, data)), interp, argv, envp)
    })
}
// ANCHOR_END: load

/// The regular file at `path`, if some execute bit allows running it: a
/// missing file is `ENOENT`, anything else (a directory, a device) or a
/// file nobody may execute `EACCES`, as on Linux (root included: it needs
/// one execute bit).
///
/// Its bytes are borrowed in place when the file is held in one block (as
/// the initramfs brought it), else gathered into a copy (`ENOMEM` if that
/// does not fit); with them comes the file's data (which the page cache
/// reads).
fn executable<'t>(
    t: &'t kcore::fs::Tree,
    cwd: kcore::fs::Ino,
    path: &[u8],
) -> KResult<(Cow<'t, [u8]>, &'t FileData)> {
    let ino = t.lookup(cwd, path, true)?;
    let NodeKind::File(file) = &t.node(ino).kind else {
        return Err(Errno::EACCES);
    };
    t.check_access(ino, kcore::fs::ops::X_OK)?;
    let bytes = file.bytes().map_err(|_| Errno::ENOMEM)?;
    Ok((bytes, file))
}

// ANCHOR: interp_plan
/// The interpreter's plan, with Linux's errors: a file too short for an
/// ELF header is `EIO` (the header's read comes back short), any other
/// defect `ELIBBAD` ("Accessing a corrupted shared library"). Linux finds
/// some defects (a wrong object type, a bad segment) only after the point
/// of no return and kills the process; vibix checks everything first and
/// `execve` fails with `ELIBBAD` instead.
fn interp_plan(path: &[u8], file: &[u8]) -> KResult<LoadPlan> {
    if file.len() < 64 {
        return Err(Errno::EIO);
    }
    kcore::elf::plan_interpreter(file).map_err(|e| {
        crate::kprintln!("exec interpreter {}: {e}", String::from_utf8_lossy(path));
        Errno::ELIBBAD
    })
}
// ANCHOR_END: interp_plan

// ANCHOR: place
/// `plan` moved to its load address: an `ET_EXEC` object stays where it
/// was linked; an `ET_DYN` program goes to `PIE_BASE`, an `ET_DYN`
/// interpreter to the top of the free `mmap` area.
fn place(aspace: &AddressSpace, plan: &LoadPlan, interpreter: bool) -> KResult<LoadPlan> {
    let bias = match (plan.kind, interpreter) {
        (Kind::Exec, _) => 0,
        (Kind::Dyn, false) => plan.bias_for(PIE_BASE),
        (Kind::Dyn, true) => {
            let base = aspace
                .areas
                .find_free(plan.span().1, USER_MIN, USER_MMAP_TOP)
                .ok_or(Errno::ENOMEM)?;
            plan.bias_for(base)
        }
    };
    plan.placed(bias).map_err(|e| e.errno())
}
// ANCHOR_END: place

// ANCHOR: load_files
/// Builds the new address space: the program placed and mapped; then the
/// interpreter placed (after the program, so the `mmap` area's search sees
/// it) and mapped, and entered, or else the program's TLS block; the
/// initial stack, whose auxiliary vector describes the program; the break
/// after the program, as on Linux.
fn load_files(
    path: &[u8],
    (plan, file): (LoadPlan, (&[u8], &FileData)),
    interp: Option<(LoadPlan, (&[u8], &FileData))>,
    argv: &[&[u8]],
    envp: &[&[u8]],
) -> KResult<Image> {
    let mut aspace = AddressSpace::new(crate::boot::boot_pml4_phys())?;
    let plan = place(&aspace, &plan, false)?;
    load_segments(&mut aspace, &plan, file)?;
    let (entry, interp_base, fs_base) = match interp {
        Some((iplan, ifile)) => {
            let placed = place(&aspace, &iplan, true)?;
            // An ET_EXEC interpreter linked over the program: no room.
            load_segments(&mut aspace, &placed, ifile).map_err(|e| match e {
                Errno::EEXIST => Errno::ENOMEM,
                e => e,
            })?;
            let base = placed.entry.wrapping_sub(iplan.entry);
            // The interpreter sets up thread-local storage, as on Linux.
            (placed.entry, Some(base), 0)
        }
        None => (plan.entry, None, load_tls(&mut aspace, &plan, file.0)?),
    };
    let sp = load_stack(&mut aspace, &plan, interp_base, path, argv, envp)?;
    aspace.brk_start = plan.end;
    aspace.brk = plan.end;
    Ok(Image {
        aspace,
        entry,
        sp,
        fs_base,
    })
}
// ANCHOR_END: load_files

/// init's working directory: `dir` (a directory, or the kernel panics:
/// whoever asked for it, `vibix.cwd=`, expects the program to run there),
/// else the root; a reference to it is taken.
fn init_cwd(dir: Option<&[u8]>) -> kcore::fs::Ino {
    crate::fs::with_tree(|t| {
        let ino = match dir {
            None => kcore::fs::ROOT,
            Some(path) => match t.lookup(kcore::fs::ROOT, path, true) {
                Ok(ino) if matches!(t.node(ino).kind, kcore::fs::NodeKind::Dir(_)) => ino,
                Ok(_) => panic!(
                    "vibix.cwd={}: not a directory",
                    String::from_utf8_lossy(path)
                ),
                Err(e) => panic!("vibix.cwd={}: {}", String::from_utf8_lossy(path), e.name()),
            },
        };
        t.open_ref(ino);
        ino
    })
}

/// Starts `path` as init (pid 1) with fds 0, 1 and 2 on the console, in
/// the directory `cwd` (`/` when `None`).
pub fn start_init(path: &[u8], argv: &[&[u8]], envp: &[&[u8]], cwd: Option<&[u8]>) -> ! {
    let image = match load(kcore::fs::ROOT, path, argv, envp) {
        Ok(image) => image,
        Err(e) => panic!(
            "cannot run init {}: {}",
            String::from_utf8_lossy(path),
            e.name()
        ),
    };
    let mut files = crate::fs::fdtable::FdTable::new();
    let console = alloc::sync::Arc::new(crate::fs::file::OpenFile::new(
        crate::fs::file::Target::Console,
        crate::fs::file::O_RDWR,
    ));
    for _ in 0..3 {
        files
            .add(console.clone(), false)
            .expect("an empty table has room");
    }
    let pid = super::alloc_pid();
    let process = Process {
        pid,
        ppid: 0,
        name: program_name(path),
        tids: alloc::vec![pid],
        zombie: None,
        group_exit: None,
        exec_by: None,
        aspace: Some(image.aspace),
        files,
        enosys_logged: BTreeSet::new(),
        signals: super::signal::Signals::new(),
        cwd: init_cwd(cwd),
        umask: super::INITIAL_UMASK,
    };
    let mut task = Task::new(
        pid,
        pid,
        image.fs_base,
        alloc::boxed::Box::new(crate::arch::fpu::FpuState::initial()),
    );
    task.state = super::State::Running;
    let kstack_top = task.kstack.top();
    process.aspace.as_ref().expect("just loaded").activate();
    crate::arch::cpu::set_fs_base(task.fs_base);
    crate::arch::syscall_entry::set_kernel_stack(kstack_top);
    {
        let mut t = super::TABLE.lock();
        t.procs.insert(pid, alloc::boxed::Box::new(process));
        t.tasks.insert(pid, alloc::boxed::Box::new(task));
    }
    super::set_current(pid, pid);
    let frame = TrapFrame::new_user(image.entry, image.sp);
    crate::arch::trap::run_user(frame, kstack_top)
}

fn program_name(path: &[u8]) -> String {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    String::from_utf8_lossy(name).into_owned()
}

// ANCHOR: de_thread
/// Ends every other thread of the current process before `execve` goes
/// on: they are told to end (`Process::dooms`) and woken, and the caller
/// waits until it is the only one. If the caller is not the first thread,
/// it then takes over the process's pid as its tid, as on Linux. Fails
/// with EINTR if the process is ending meanwhile (then nothing changed
/// but the other threads' end).
fn end_other_threads() -> KResult<()> {
    let me = super::current_tid();
    let others = super::with_current(|p| {
        p.exec_by = Some(me);
        p.tids.clone()
    });
    if others.len() == 1 {
        super::with_current(|p| p.exec_by = None);
        return Ok(());
    }
    for tid in others.into_iter().filter(|&t| t != me) {
        super::sched::wake(tid);
    }
    loop {
        if super::with_current(|p| p.tids.len() == 1) {
            break;
        }
        if let Err(e) = super::exit::THREAD_EXIT.sleep() {
            super::with_current(|p| p.exec_by = None);
            return Err(e);
        }
    }
    let mut t = super::TABLE.lock();
    let t = &mut *t;
    let pid = super::current_pid();
    if me != pid {
        // The first thread is dead and has switched away: free it now, and
        // move the caller to its tid.
        super::sched::reap_dead(t);
        let mut task = t.tasks.remove(&me).expect("the current task");
        task.tid = pid;
        t.tasks.insert(pid, task);
        if let Some(at) = t.dead.iter().position(|&d| d == me) {
            t.dead.swap_remove(at);
        }
        super::set_current(pid, pid);
    }
    let p = t.procs.get_mut(&pid).expect("the current process");
    p.tids = alloc::vec![pid];
    p.exec_by = None;
    Ok(())
}
// ANCHOR_END: de_thread

/// `execve`: replaces the current program with the one at `path`. Other
/// threads end first; on success the old address space is gone,
/// close-on-exec descriptors are closed (finding U-A4), and `frame`
/// starts the new program.
pub fn execve(frame: &mut TrapFrame, path: &[u8], argv: &[&[u8]], envp: &[&[u8]]) -> KResult<()> {
    let cwd = super::with_current(|p| p.cwd);
    let image = load(cwd, path, argv, envp)?;
    end_other_threads()?;
    image.aspace.activate();
    let old = super::with_current_task(|task, p| {
        p.name = program_name(path);
        task.fs_base = image.fs_base;
        task.clear_child_tid = 0;
        // The old program's alternate signal stack is gone with its memory.
        task.alt_stack = kcore::altstack::AltStack::NONE;
        p.files.close_on_exec();
        p.signals.reset_handlers();
        p.aspace.replace(image.aspace)
    });
    crate::arch::cpu::set_fs_base(image.fs_base);
    crate::arch::fpu::FpuState::initial().restore();
    // The old address space is no longer active; dropping it frees it.
    drop(old);
    *frame = TrapFrame::new_user(image.entry, image.sp);
    Ok(())
}
