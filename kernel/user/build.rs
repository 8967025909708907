//! Build-time guard: refuse to build the programs for the wrong target.
//!
//! The target and the code-generation flags live in `.cargo/config.toml`,
//! which Cargo only reads when it is started from inside `kernel/user/`.
//! Started from elsewhere (say `cargo build --manifest-path ...` from the
//! repository root), Cargo would silently build something else, so this
//! script stops the build with an explanation instead.

use std::env;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");

    let target = env::var("TARGET").unwrap_or_default();
    let rustflags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let static_model = rustflags
        .split('\x1f')
        .any(|flag| flag == "relocation-model=static");

    if target != "x86_64-unknown-none" || !static_model {
        panic!(
            "vibix-user must be built for x86_64-unknown-none with \
             `-C relocation-model=static` (got target `{target}`). \
             Run cargo from inside kernel/user/ so that \
             kernel/user/.cargo/config.toml applies."
        );
    }
}
