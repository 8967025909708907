/* Trap entry and exit.
 *
 * Every interrupt and exception vector has a 16-byte stub that makes the
 * stack look the same (an error code, real or 0, then the vector number) and
 * jumps to `trap_common`, which saves the general registers and calls
 * `trap_dispatch(&mut TrapFrame)`. `trap_return` undoes it and `iretq`s;
 * it is also how a new process first enters user mode (`enter_user`). */

        .section .text.trap, "ax"
        .global trap_stubs
        .p2align 4
trap_stubs:
        .set vec, 0
        .rept 48
        .p2align 4
        .if vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
        .else
        push $0                 /* no CPU error code: push a zero one */
        .endif
        push $vec
        jmp trap_common
        .set vec, vec + 1
        .endr

        .global trap_common
trap_common:
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
        call trap_dispatch

        .global trap_return
trap_return:
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
        add $16, %rsp           /* vector and error code */
        iretq

/* enter_user(frame: *const TrapFrame) -> !: run the frame as if returning
 * from a trap. The frame must sit at the top of the task's kernel stack. */
        .global enter_user
enter_user:
        mov %rdi, %rsp
        jmp trap_return
