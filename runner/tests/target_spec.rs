//! The `x86_64-unknown-vibix` target spec keeps the review's fixes (RFC 0009,
//! findings T-B1, T-B2, T-A1): static non-PIE executables, `rust-lld` as a
//! raw `gnu-lld` linker, the red zone allowed. The file is read as JSON and,
//! when the pinned toolchain is at hand, as rustc reads it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../phases/phase1-println/x86_64-unknown-vibix.json")
}

fn spec() -> Value {
    let text = std::fs::read_to_string(spec_path()).expect("the target spec exists");
    serde_json::from_str(&text).expect("the target spec is JSON")
}

#[test]
fn keeps_the_review_fixes() {
    let spec = spec();
    let expected = [
        ("os", json!("vibix")),
        ("arch", json!("x86_64")),
        ("llvm-target", json!("x86_64-unknown-none-elf")),
        ("target-pointer-width", json!(64)),
        ("target-c-int-width", json!(32)),
        // T-B1: static and non-PIE, all three agreeing.
        ("relocation-model", json!("static")),
        ("position-independent-executables", json!(false)),
        ("static-position-independent-executables", json!(false)),
        // T-B2: lld called directly, not through a C compiler driver.
        ("linker", json!("rust-lld")),
        ("linker-flavor", json!("gnu-lld")),
        ("panic-strategy", json!("abort")),
        ("has-thread-local", json!(true)),
        ("tls-model", json!("initial-exec")),
        ("features", json!("+sse,+sse2")),
        ("max-atomic-width", json!(64)),
    ];
    for (key, value) in expected {
        assert_eq!(spec[key], value, "`{key}`");
    }
    // T-A1: user code may use the red zone; only the kernel must not.
    assert!(spec.get("disable-redzone").is_none(), "no disable-redzone");
    // The deprecated key is gone.
    assert!(spec.get("executables").is_none(), "no executables key");
    // The RFC asks for `crt-objects-fallback` as a JSON boolean, but rustc
    // only accepts the string forms (see `rustc_rejects_a_boolean_...`):
    // "false" is what rustc itself prints for built-in targets without CRT
    // objects.
    assert_eq!(spec["crt-objects-fallback"], json!("false"));
    // User programs are linked at 4 MiB, above the null-pointer guard.
    assert_eq!(
        spec["pre-link-args"]["gnu-lld"],
        json!(["--image-base=0x400000"])
    );
}

/// `rustc … --print target-spec-json`: how rustc itself reads a spec file, or
/// `None` if the pinned toolchain cannot be run here.
fn rustc_reads(spec: &Path) -> Option<Result<Value, String>> {
    let out = Command::new("rustc")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "-Z",
            "unstable-options",
            "--print",
            "target-spec-json",
            "--target",
        ])
        .arg(spec)
        .output()
        .ok()?;
    if out.status.success() {
        let text = String::from_utf8(out.stdout).ok()?;
        Some(Ok(serde_json::from_str(&text).expect("rustc prints JSON")))
    } else {
        Some(Err(String::from_utf8_lossy(&out.stderr).into_owned()))
    }
}

#[test]
fn rustc_reads_it_the_same_way() {
    let Some(read) = rustc_reads(&spec_path()) else {
        eprintln!("rustc cannot run here: only the JSON was checked");
        return;
    };
    let read = read.expect("rustc accepts the target spec");
    // rustc leaves out what equals its defaults (both PIE flags are false by
    // default); what it prints must agree with the file.
    assert_eq!(read["os"], "vibix");
    assert_eq!(read["relocation-model"], "static");
    assert_eq!(read["linker-flavor"], "gnu-lld");
    assert_eq!(read["tls-model"], "initial-exec");
    assert_eq!(read["crt-objects-fallback"], "false");
    for key in [
        "position-independent-executables",
        "static-position-independent-executables",
        "disable-redzone",
    ] {
        assert!(
            read.get(key).is_none_or(|v| v == false),
            "rustc reads `{key}` as {}",
            read[key]
        );
    }
}

#[test]
fn rustc_rejects_a_boolean_crt_objects_fallback() {
    let mut spec = spec();
    spec["crt-objects-fallback"] = json!(false);
    let dir = std::env::temp_dir().join(format!("vibix-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("x86_64-unknown-vibix.json");
    std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let read = rustc_reads(&path);
    let _ = std::fs::remove_dir_all(&dir);
    let Some(read) = read else { return };
    let err = read.expect_err("rustc refuses a boolean crt-objects-fallback");
    assert!(err.contains("crt-objects-fallback"), "{err}");
}

/// From phase 3 on (threads and the unwinder), the spec is phase 1's but
/// for its default panic strategy: `unwind`, what `cargo test` needs
/// (book/cargo-test.md), and unwind tables for every function, also under
/// `panic = "abort"` (as Linux's x86_64 targets: a backtrace walks them).
/// Nothing else may drift between the two files.
#[test]
fn phase_3s_spec_only_unwinds() {
    let phase3 = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../phases/phase3-threads/x86_64-unknown-vibix.json");
    let text = std::fs::read_to_string(phase3).expect("phase 3 has a target spec");
    let mut unwinding: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(unwinding["panic-strategy"], json!("unwind"));
    assert_eq!(unwinding["default-uwtable"], json!(true));
    let mut phase1 = spec();
    for spec in [&mut unwinding, &mut phase1] {
        let map = spec.as_object_mut().unwrap();
        map.remove("panic-strategy");
        map.remove("default-uwtable");
        map["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("description");
    }
    assert_eq!(unwinding, phase1);
}
