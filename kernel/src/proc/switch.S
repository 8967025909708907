/* switch_context(save_rsp: *mut u64, next_rsp: u64)
 *
 * Saves the callee-saved registers on the current kernel stack, stores the
 * stack pointer in *save_rsp, and resumes the task whose stack pointer is
 * next_rsp: it pops that task's callee-saved registers and returns into
 * whatever called switch_context there (or into `task_first_run` for a task
 * that has never run). The System V ABI makes every other register the
 * caller's business. */

        .section .text.switch, "ax"
        .global switch_context
switch_context:
        push %rbp
        push %rbx
        push %r12
        push %r13
        push %r14
        push %r15
        mov %rsp, (%rdi)
        mov %rsi, %rsp
        pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %rbx
        pop %rbp
        ret

/* A new task's first return lands here, with its TrapFrame right above. */
        .global task_first_run
task_first_run:
        jmp trap_return
