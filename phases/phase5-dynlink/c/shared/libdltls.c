/* libdltls: a shared object with thread-local variables, compiled as
 * position-independent code with the default TLS model, so its accesses
 * are general-dynamic: DTPMOD64/DTPOFF64 relocations and calls to
 * __tls_get_addr, which the dynamic linker provides. dl-tls uses it from
 * two threads. */
__thread int dltls_counter = 5;
__thread char dltls_name[8] = "tls";

/* Adds `by` to the calling thread's counter and returns it. */
int dltls_bump(int by) {
    dltls_counter += by;
    return dltls_counter;
}

/* The calling thread's copy of the counter. */
int *dltls_counter_address(void) { return &dltls_counter; }
