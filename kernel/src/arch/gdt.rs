//! The GDT and TSS. The selector order is fixed by SYSCALL/SYSRET: kernel
//! code, kernel data, then user data *before* user code (SYSRET loads
//! SS = base + 8 and CS = base + 16).

use spin::Once;
use x86_64::VirtAddr;
use x86_64::instructions::segmentation::{CS, DS, ES, SS, Segment};
use x86_64::instructions::tables::load_tss;
use x86_64::structures::gdt::{Descriptor, GlobalDescriptorTable, SegmentSelector};
use x86_64::structures::tss::TaskStateSegment;

pub const KERNEL_CS: u16 = 0x08;
pub const KERNEL_DS: u16 = 0x10;
pub const USER_DS: u16 = 0x18 | 3;
pub const USER_CS: u16 = 0x20 | 3;

/// IST slot for the double-fault handler, which must not trust the stack.
pub const DOUBLE_FAULT_IST: u16 = 0;

const DOUBLE_FAULT_STACK_SIZE: usize = 16 * 1024;
static mut DOUBLE_FAULT_STACK: [u8; DOUBLE_FAULT_STACK_SIZE] = [0; DOUBLE_FAULT_STACK_SIZE];

/// The one TSS. Its `rsp0` (the stack the CPU switches to on a trap from user
/// mode) changes with the running task, so it is reached by raw pointer.
static mut TSS: TaskStateSegment = TaskStateSegment::new();
static GDT: Once<GlobalDescriptorTable> = Once::new();

pub fn init() {
    let df_stack =
        VirtAddr::from_ptr(&raw const DOUBLE_FAULT_STACK) + DOUBLE_FAULT_STACK_SIZE as u64;
    // SAFETY: single CPU, called once before interrupts are enabled: nothing
    // else can be reading the TSS yet.
    unsafe { TSS.interrupt_stack_table[DOUBLE_FAULT_IST as usize] = df_stack };

    let gdt = GDT.call_once(|| {
        let mut gdt = GlobalDescriptorTable::new();
        let selectors = [
            gdt.append(Descriptor::kernel_code_segment()),
            gdt.append(Descriptor::kernel_data_segment()),
            gdt.append(Descriptor::user_data_segment()),
            gdt.append(Descriptor::user_code_segment()),
        ];
        debug_assert_eq!(
            selectors.map(|s| s.0),
            [KERNEL_CS, KERNEL_DS, USER_DS, USER_CS]
        );
        // SAFETY: TSS is a static that lives forever and is only modified
        // through `set_kernel_stack`, which writes a single field.
        gdt.append(unsafe { Descriptor::tss_segment_unchecked(&raw const TSS) });
        gdt
    });
    gdt.load();
    // SAFETY: the selectors name the descriptors appended above, in the GDT
    // that was just loaded; the TSS descriptor is at index 5.
    unsafe {
        CS::set_reg(SegmentSelector(KERNEL_CS));
        SS::set_reg(SegmentSelector(KERNEL_DS));
        DS::set_reg(SegmentSelector(0));
        ES::set_reg(SegmentSelector(0));
        load_tss(SegmentSelector(0x28));
    }
}

/// Sets the stack the CPU switches to when user mode traps into the kernel.
pub fn set_kernel_stack(top: u64) {
    // SAFETY: single CPU with interrupts disabled by our callers (context
    // switch or exec), so the CPU cannot be reading rsp0 concurrently.
    unsafe { TSS.privilege_stack_table[0] = VirtAddr::new(top) };
}
