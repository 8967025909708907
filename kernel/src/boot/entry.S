/* The first instructions vibix runs.
 *
 * QEMU (PVH boot protocol) enters `pvh_start` in 32-bit protected mode with
 * paging off and %ebx holding the physical address of `struct hvm_start_info`.
 * We switch to long mode with static boot page tables that map:
 *   - the first 4 GiB at 0 (identity; dropped once we run in the upper half),
 *   - the same 4 GiB at PHYS_OFFSET = 0xffff800000000000 (the "physmap"),
 *   - the first 1 GiB at KERNEL_VMA = 0xffffffff80000000 (the kernel image),
 * all with 2 MiB pages, then call `kmain(start_info_phys)` on the boot stack. */

        .set KERNEL_VMA, 0xffffffff80000000

/* The PVH ELF note: XEN_ELFNOTE_PHYS32_ENTRY (18) = 32-bit entry address. */
        .section .note.Xen, "a", @note
        .p2align 2
        .long 4                 /* name size: "Xen\0" */
        .long 4                 /* descriptor size */
        .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
        .asciz "Xen"
        .long pvh_start

        .section .boot.text, "ax"
        .code32
        .global pvh_start
pvh_start:
        cli
        cld
        mov $boot_stack_top, %esp

        /* CR4.PAE: 4-level paging needs physical address extension. */
        mov %cr4, %eax
        or $(1 << 5), %eax
        mov %eax, %cr4

        mov $boot_pml4, %eax
        mov %eax, %cr3

        /* EFER.LME (long mode) and EFER.NXE (the no-execute bit, for W^X). */
        mov $0xc0000080, %ecx
        rdmsr
        or $((1 << 8) | (1 << 11)), %eax
        wrmsr

        /* CR0.PG | CR0.WP | CR0.PE: paging on, kernel honours read-only pages. */
        mov %cr0, %eax
        or $((1 << 31) | (1 << 16) | 1), %eax
        mov %eax, %cr0

        lgdt boot_gdt_ptr
        ljmp $0x08, $long_mode

        .code64
long_mode:
        xor %eax, %eax
        mov %eax, %ds
        mov %eax, %es
        mov %eax, %ss
        mov %eax, %fs
        mov %eax, %gs
        movabs $upper_half, %rax
        jmp *%rax

        .section .text.boot64, "ax"
upper_half:
        movabs $kernel_stack_top, %rsp
        xor %ebp, %ebp
        mov %ebx, %edi          /* zero-extends: start_info physical address */
        call kmain
1:      hlt
        jmp 1b

        .section .boot.data, "aw"
        .p2align 12
boot_pml4:
        .quad boot_pdpt + 0x3           /* [0]   identity, for the jump above */
        .fill 255, 8, 0
        .quad boot_pdpt + 0x3           /* [256] physmap at PHYS_OFFSET */
        .fill 254, 8, 0
        .quad boot_pdpt_hi + 0x3        /* [511] kernel image at KERNEL_VMA */
boot_pdpt:
        .quad boot_pd + 0x0003
        .quad boot_pd + 0x1003
        .quad boot_pd + 0x2003
        .quad boot_pd + 0x3003
        .fill 508, 8, 0
boot_pdpt_hi:
        .fill 510, 8, 0
        .quad boot_pd + 0x3             /* [510] = -2 GiB: first GiB of RAM */
        .quad 0
boot_pd:                                /* 2048 x 2 MiB pages = 4 GiB */
        .set page, 0
        .rept 1536                      /* 0-3 GiB: RAM */
        .quad (page << 21) | 0x83       /* present | writable | huge */
        .set page, page + 1
        .endr
        .rept 512                       /* 3-4 GiB: the MMIO hole (APICs) */
        .quad (page << 21) | 0x93       /* ... | cache disable */
        .set page, page + 1
        .endr

        .global boot_pml4
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_ptr:
        .word boot_gdt_ptr - boot_gdt - 1
        .long boot_gdt

        .p2align 4
        .space 4096
boot_stack_top:

        .section .bss.kernel_stack, "aw", @nobits
        .p2align 12
        .space 64 * 1024
        .global kernel_stack_top
kernel_stack_top:
