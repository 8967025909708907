/* dl-plugin: dlopen, dlsym, dlclose and dlerror on a plug-in
 * (libdlplug.so, which the program is not linked against): its
 * constructor has run, its function and variable are found, a missing
 * symbol and a missing file are errors dlerror explains once. A shared
 * object with thread-local storage (libdltls.so) either loads or is
 * refused with a message (vibix gives static TLS only). */
#include <dlfcn.h>
#include <stdio.h>

int main(void) {
    void *h = dlopen("libdlplug.so", RTLD_NOW);
    if (!h) {
        printf("dlopen failed: %s\n", dlerror());
        return 1;
    }
    printf("dlopen of the plug-in: a handle\n");
    int (*answer)(int) = (int (*)(int))dlsym(h, "plug_answer");
    printf("plug_answer(20) = %d (its constructor ran)\n", answer ? answer(20) : -1);
    const char **greeting = (const char **)dlsym(h, "plug_greeting");
    printf("plug_greeting: %s\n", greeting ? *greeting : "(not found)");
    void (*say)(void) = (void (*)(void))dlsym(h, "plug_say");
    if (say)
        say();
    void *missing = dlsym(h, "plug_no_such_symbol");
    int explained = dlerror() != NULL;
    printf("missing symbol: %s, dlerror explains: %s, then NULL: %s\n",
           missing ? "found" : "NULL", explained ? "yes" : "no",
           dlerror() == NULL ? "yes" : "no");
    void *again = dlopen("libdlplug.so", RTLD_NOW);
    printf("dlopen again: the same handle: %s\n", again == h ? "yes" : "no");
    void *none = dlopen("libdl_no_such_object.so", RTLD_NOW);
    printf("missing file: %s, dlerror explains: %s\n", none ? "loaded" : "NULL",
           dlerror() != NULL ? "yes" : "no");
    void *tls = dlopen("libdltls.so", RTLD_NOW);
    const char *why = tls ? NULL : dlerror();
    printf("object with TLS: loaded or refused with a message: %s\n",
           tls || (why && *why) ? "yes" : "no");
    printf("dlclose: %d %d\n", dlclose(h), dlclose(again));
    return 0;
}
