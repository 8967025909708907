//! Build script of the phase-5 programs: `ld-vibix` exports, from its
//! dynamic symbol table, what the objects it loads may call
//! (`__tls_get_addr`, `__vibix_dl_object`: see `vibix_uapi::dl`); the
//! linker keeps a static PIE's symbols local unless told.
fn main() {
    for sym in [
        "__tls_get_addr",
        "__vibix_dl_object",
        "__vibix_dlopen",
        "__vibix_dlsym",
        "__vibix_dlclose",
        "__vibix_dlerror",
    ] {
        println!("cargo:rustc-link-arg-bin=ld-vibix=--export-dynamic-symbol={sym}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
