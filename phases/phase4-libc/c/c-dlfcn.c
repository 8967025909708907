/* c-dlfcn: the dynamic linker's questions a static program can answer
   (<link.h>, <dlfcn.h>): dl_iterate_phdr shows the program first, with
   its program headers; _dl_find_object finds the object holding main and
   no object at a low address; dlsym finds no unknown symbol, and dlerror
   then says so, once. gcc's unwinder and Rust's std for linux-gnu ask
   these. Compared with glibc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>

#include "check.h"

int main(void);

struct walk {
    int objects;
    int stop_at;
};

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
    struct walk *w = data;
    w->objects++;
    if (w->objects == 1) {
        int loads = 0, self = 0;
        for (int i = 0; i < info->dlpi_phnum; i++) {
            const ElfW(Phdr) *p = &info->dlpi_phdr[i];
            if (p->p_type == PT_LOAD) {
                loads++;
                /* main lies in one of the program's loaded segments. */
                char *start = (char *)(info->dlpi_addr + p->p_vaddr);
                if ((char *)main >= start && (char *)main < start + p->p_memsz)
                    self = 1;
            }
        }
        printf("first object: name \"%s\", loaded segments: %s, holds main: %d\n",
               info->dlpi_name, loads > 0 ? "some" : "none", self);
        CHECK(size >= sizeof *info);
    }
    return w->objects == w->stop_at ? 42 : 0;
}

int main(void) {
    struct walk w = {0, 1};
    CHECK(dl_iterate_phdr(visit, &w) == 42);
    CHECK(w.objects == 1);

    struct dl_find_object f;
    CHECK(_dl_find_object((void *)main, &f) == 0);
    CHECK((char *)main >= (char *)f.dlfo_map_start && (char *)main < (char *)f.dlfo_map_end);
    CHECK(_dl_find_object((void *)8, &f) == -1);

    CHECK(dlerror() == NULL);
    CHECK(dlsym(RTLD_DEFAULT, "no_such_symbol_anywhere") == NULL);
    CHECK(dlerror() != NULL);
    CHECK(dlerror() == NULL);

    return checks_done();
}
