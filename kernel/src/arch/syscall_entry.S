/* The SYSCALL entry. The CPU arrives here from user mode with interrupts off
 * (SFMASK clears IF), RCX = user RIP, R11 = user RFLAGS, and the *user* stack.
 * We switch to the task's kernel stack and build the same TrapFrame an
 * interrupt would (so signals, exec and fork see one frame shape), call
 * `syscall_dispatch`, and leave with SYSRETQ; when the dispatcher asks for it
 * (it returns nonzero: every register must be restored exactly) we leave
 * through `trap_return`/IRETQ instead. Single CPU: the two scratch words
 * below would be per-CPU on SMP. */

        .section .bss.syscall, "aw", @nobits
        .p2align 3
        .global syscall_kernel_rsp
syscall_kernel_rsp:
        .quad 0
syscall_user_rsp:
        .quad 0

        .section .text.syscall, "ax"
        .global syscall_entry
syscall_entry:
        mov %rsp, syscall_user_rsp(%rip)
        mov syscall_kernel_rsp(%rip), %rsp
        push $0x1b                      /* user SS */
        push syscall_user_rsp(%rip)     /* user RSP */
        push %r11                       /* user RFLAGS */
        push $0x23                      /* user CS */
        push %rcx                       /* user RIP */
        push $0                         /* error code */
        push $0x100                     /* "vector" 0x100: not a CPU vector */
        push %rax
        push %rbx
        push %rcx
        push %rdx
        push %rsi
        push %rdi
        push %rbp
        push %r8
        push %r9
        push %r10
        push %r11
        push %r12
        push %r13
        push %r14
        push %r15
        mov %rsp, %rdi
        cld
        call syscall_dispatch
        test %rax, %rax
        jnz trap_return
        pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %r11
        pop %r10
        pop %r9
        pop %r8
        pop %rbp
        pop %rdi
        pop %rsi
        pop %rdx
        pop %rcx
        pop %rbx
        pop %rax
        add $16, %rsp
        mov (%rsp), %rcx                /* RIP for SYSRET */
        mov 16(%rsp), %r11              /* RFLAGS for SYSRET */
        mov 24(%rsp), %rsp              /* back on the user stack */
        sysretq
