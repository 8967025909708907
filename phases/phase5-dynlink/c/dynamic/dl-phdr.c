/* dl-phdr: dl_iterate_phdr sees every loaded object of a dynamic program:
 * the program first (named ""), then the libraries, among them the C
 * library and the dynamic linker. The names differ between Linux and
 * vibix (libc.so.6 and libvibix_libc.so), so what is printed is what
 * holds on both. */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct seen {
    int count, program_first, libc, linker, all_load, stdout_in_object, tls;
};

static int contains(const struct dl_phdr_info *info, uintptr_t addr) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + p->p_vaddr;
        if (p->p_type == PT_LOAD && addr >= start && addr < start + p->p_memsz)
            return 1;
    }
    return 0;
}

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
    struct seen *s = data;
    (void)size;
    const char *name = info->dlpi_name ? info->dlpi_name : "";
    if (s->count == 0)
        s->program_first = name[0] == '\0';
    if (strstr(name, "libc"))
        s->libc = 1;
    if (strstr(name, "ld-"))
        s->linker = 1;
    int load = 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        load |= info->dlpi_phdr[i].p_type == PT_LOAD;
    /* Linux's vDSO is an object too; it has a PT_LOAD like the others. */
    if (!load)
        s->all_load = 0;
    if (s->count > 0 && contains(info, (uintptr_t)stdout))
        s->stdout_in_object = 1;
    if (info->dlpi_tls_modid != 0 && info->dlpi_tls_data != NULL)
        s->tls = 1;
    s->count++;
    return 0;
}

static int stop_at_first(struct dl_phdr_info *info, size_t size, void *data) {
    (void)info, (void)size;
    ++*(int *)data;
    return 42;
}

int main(void) {
    struct seen s = {.all_load = 1};
    dl_iterate_phdr(visit, &s);
    printf("objects: at least 3: %s\n", s.count >= 3 ? "yes" : "no");
    printf("the program first, named \"\": %s\n", s.program_first ? "yes" : "no");
    printf("the C library among them: %s\n", s.libc ? "yes" : "no");
    printf("the dynamic linker among them: %s\n", s.linker ? "yes" : "no");
    printf("each has a PT_LOAD: %s\n", s.all_load ? "yes" : "no");
    printf("stdout's FILE lies in a library: %s\n", s.stdout_in_object ? "yes" : "no");
    printf("an object with TLS shows its block: %s\n", s.tls ? "yes" : "no");
    int calls = 0;
    int r = dl_iterate_phdr(stop_at_first, &calls);
    printf("a nonzero return stops the walk: %d after %d call\n", r, calls);
    return 0;
}
