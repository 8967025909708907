//! The generator's tests: Rust snippets in, C text out; and the real
//! library's headers through gcc and g++.

use super::source::Krate;
use super::*;

const UAPI_STAT: &str = "//! Files.\n\
    #[repr(C)]\npub struct Stat { pub st_mode: u32, pub st_size: i64, pub st_mtim: Timespec }\n\
    pub const S_IFMT: u32 = 0o170000;\n\
    pub const UTIME_NOW: i64 = (1 << 30) - 1;\n";
const UAPI_TIME: &str =
    "//! Time.\n#[repr(C)]\npub struct Timespec { pub tv_sec: i64, pub tv_nsec: i64 }\n";
const UAPI_FCNTL: &str = "//! fcntl.\npub const O_CREAT: i32 = 0o100;\npub const AT_FDCWD: i32 = -100;\npub const O_RDWR: i32 = 2;\n";

fn headers_of(libc: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut files: Vec<(Krate, &str, &str)> = vec![
        (Krate::Uapi, "stat.rs", UAPI_STAT),
        (Krate::Uapi, "time.rs", UAPI_TIME),
        (Krate::Uapi, "fcntl.rs", UAPI_FCNTL),
        (
            Krate::Uapi,
            "errno.rs",
            "//! errno (a macro table in the real crate).\n",
        ),
        (
            Krate::Abi,
            "errno.rs",
            "//! errno.\n#[cfg_attr(target_os = \"vibix\", unsafe(no_mangle))]\npub extern \"C\" fn __errno_location() -> *mut c_int { todo!() }\n",
        ),
        (
            Krate::Libc,
            "types.rs",
            "//! `<stddef.h>`, `<sys/types.h>`: scalars.\npub use core::ffi::{c_char, c_int};\npub type size_t = usize;\npub type off_t = i64;\npub type wchar_t = i32;\n",
        ),
    ];
    files.extend(libc.iter().map(|(f, t)| (Krate::Libc, *f, *t)));
    generate(&Sources::from_texts(&files)).unwrap()
}

/// The header's lines between its `extern "C" {` and the closing `}`,
/// without comments and blank lines.
fn body(text: &str) -> Vec<String> {
    let start = text.find("extern \"C\" {\n#endif\n").expect("opening") + 20;
    let end = text.rfind("\n#ifdef __cplusplus\n}").expect("closing");
    text[start..end]
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("/*"))
        .map(String::from)
        .collect()
}

#[test]
fn prototypes() {
    let h = headers_of(&[(
        "stdio/mod.rs",
        "//! `<stdio.h>`: streams.\nuse crate::types::*;\n\
         #[repr(C)] pub struct FILE { fd: c_int, buf: alloc::vec::Vec<u8> }\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub static mut stdout: *mut FILE = core::ptr::null_mut();\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub unsafe extern \"C\" fn printf(fmt: *const c_char, mut args: ...) -> c_int { 0 }\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub unsafe extern \"C\" fn fputs(s: *const c_char, f: *mut FILE) -> c_int { 0 }\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub unsafe extern \"C\" fn vprintf(fmt: *const c_char, ap: core::ffi::VaList<'_, '_>) -> c_int { 0 }\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub extern \"C\" fn getchar() -> c_int { 0 }\n\
         pub extern \"C\" fn not_exported() {}\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\nextern \"C\" fn private() {}\n\
         #[cfg(test)]\n#[cfg_attr(not(test), unsafe(no_mangle))]\npub extern \"C\" fn test_only() {}\n\
         pub(crate) fn helper() {}\n",
    )]);
    assert_eq!(
        body(&h["stdio.h"]),
        [
            "extern FILE *stdout;",
            "int printf(const char *, ...);",
            "int fputs(const char *, FILE *);",
            "int vprintf(const char *, __builtin_va_list);",
            "int getchar(void);",
        ]
    );
    let types = &h["bits/alltypes.h"];
    assert!(types.contains("typedef struct FILE FILE;\n"), "{types}");
    assert!(!types.contains("struct FILE {"), "FILE is opaque: {types}");
    assert!(types.contains("typedef unsigned long size_t;\n"));
    assert!(types.contains("#ifndef __cplusplus\ntypedef int wchar_t;\n#endif\n"));
    assert!(
        h["stdio.h"].contains(
            "#ifndef _VIBIX_STDIO_H\n#define _VIBIX_STDIO_H\n#include <bits/alltypes.h>\n"
        )
    );
    // A file naming two headers writes the first; the second includes it.
    assert!(h["sys/types.h"].contains("#include <stddef.h>\n"));
}

#[test]
fn noreturn_and_function_pointers() {
    let h = headers_of(&[(
        "stdlib/exit.rs",
        "//! `<stdlib.h>`: ending.\nuse crate::types::c_int;\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub extern \"C\" fn exit(status: c_int) -> ! { loop {} }\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub unsafe extern \"C\" fn atexit(f: Option<unsafe extern \"C\" fn()>) -> c_int { 0 }\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub unsafe extern \"C\" fn qsort(base: *mut c_void, n: size_t, size: size_t, cmp: Option<unsafe extern \"C\" fn(*const c_void, *const c_void) -> c_int>) {}\n\
         pub type sighandler_t = Option<unsafe extern \"C\" fn(c_int)>;\n\
         #[cfg_attr(not(test), unsafe(no_mangle))]\npub unsafe extern \"C\" fn signal(n: c_int, h: Option<unsafe extern \"C\" fn(c_int)>) -> Option<unsafe extern \"C\" fn(c_int)> { None }\n",
    )]);
    assert_eq!(
        body(&h["stdlib.h"]),
        [
            "__attribute__((__noreturn__)) void exit(int);",
            "int atexit(void (*)(void));",
            "void qsort(void *, size_t, size_t, int (*)(const void *, const void *));",
            "void (*signal(int, void (*)(int)))(int);",
        ]
    );
    assert!(h["bits/alltypes.h"].contains("typedef void (*sighandler_t)(int);\n"));
}

#[test]
fn tagged_structs_are_declared_before_callbacks_name_them() {
    let h = headers_of(&[(
        "link.rs",
        "//! `<link.h>`: objects.\nuse crate::types::{c_int, c_void, size_t};\n\
         #[repr(C)]\npub struct dl_phdr_info { pub dlpi_addr: u64, pub dlpi_phdr: *const Elf64_Phdr }\n\
         #[repr(C)]\npub struct Elf64_Phdr { pub p_type: u32 }\n\
         pub type __cb = unsafe extern \"C\" fn(*mut dl_phdr_info, size_t, *mut c_void) -> c_int;\n",
    )]);
    let types = &h["bits/alltypes.h"];
    // At file scope, a tag first named in a prototype's parameters would
    // be a different struct of prototype scope.
    let declared = types.find("struct dl_phdr_info;\n").expect(types);
    let used = types
        .find("typedef int (*__cb)(struct dl_phdr_info *")
        .expect(types);
    assert!(declared < used, "{types}");
    // `<elf.h>`'s types are typedef names.
    assert!(
        types.contains("typedef struct Elf64_Phdr Elf64_Phdr;\n"),
        "{types}"
    );
    assert!(types.contains("const Elf64_Phdr *dlpi_phdr;"), "{types}");
}

#[test]
fn constants_and_reexports() {
    let h = headers_of(&[(
        "fcntl.rs",
        "//! `<fcntl.h>`: opening files.\n\
         //!\n//! ```c\n//! #define O_NDELAY O_NONBLOCK\n//! ```\n\
         use crate::types::c_int;\n\
         pub use vibix_uapi::fcntl::{O_CREAT, AT_FDCWD};\n\
         pub use vibix_uapi::stat::{Stat as stat, S_IFMT, UTIME_NOW};\n\
         pub use vibix_uapi::time::Timespec as timespec;\n\
         pub use vibix_uapi::errno::ENOENT;\n\
         pub const O_NONBLOCK: c_int = 0o4000;\n\
         pub const BOTH: c_int = O_NONBLOCK | vibix_uapi::fcntl::O_RDWR;\n\
         pub const HUGE: u64 = !0;\n\
         pub const NEG: c_long = -(1 << 40);\n\
         pub const SEEK: off_t = 2;\n\
         pub const FAILED: *mut c_void = !0 as *mut c_void;\n\
         pub(crate) const PRIVATE: c_int = 1;\n",
    )]);
    let text = &h["fcntl.h"];
    for line in [
        "#define O_CREAT 64\n",
        "#define AT_FDCWD (-100)\n",
        "#define S_IFMT 61440\n",
        "#define UTIME_NOW 1073741823\n",
        "#define ENOENT 2\n",
        "#define O_NONBLOCK 2048\n",
        "#define BOTH 2050\n",
        "#define HUGE 18446744073709551615UL\n",
        "#define NEG (-1099511627776L)\n",
        "#define SEEK 2\n",
        "#define FAILED ((void *)(-1))\n",
        "#define O_NDELAY O_NONBLOCK\n",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    assert!(!text.contains("PRIVATE"));
    let types = &h["bits/alltypes.h"];
    let timespec = types.find("struct timespec {").expect("timespec");
    let stat = types.find("struct stat {").expect("stat");
    assert!(timespec < stat, "by value: timespec first\n{types}");
    assert!(types.contains(
        "struct stat {\n    unsigned int st_mode;\n    long st_size;\n    struct timespec st_mtim;\n};\n"
    ));
}

#[test]
fn functions_reexported_from_the_abi() {
    let h = headers_of(&[(
        "errno.rs",
        "//! `<errno.h>`: errno.\n//!\n//! ```c\n//! #define errno (*__errno_location())\n//! ```\npub use vibix_abi::errno::__errno_location;\n",
    )]);
    let body = body(&h["errno.h"]);
    // First the numbers (vibix_uapi::errno::ALL and Linux's aliases).
    assert_eq!(body[1], "#define ENOENT 2");
    assert!(body.contains(&"#define EWOULDBLOCK 11".to_string()));
    let own: Vec<&String> = body
        .iter()
        .filter(|l| !l.starts_with("#define E"))
        .collect();
    assert_eq!(
        own,
        [
            "#define errno (*__errno_location())",
            "int *__errno_location(void);"
        ]
    );
}

#[test]
fn unknown_types_and_constants_fail() {
    let sources = |text: &'static str| {
        Sources::from_texts(&[
            (Krate::Libc, "x.rs", text),
            (Krate::Libc, "types.rs", "//! `<stddef.h>`: x.\n"),
        ])
    };
    let err = generate(&sources(
        "//! `<x.h>`: x.\n#[unsafe(no_mangle)]\npub extern \"C\" fn f(p: *mut Undeclared) {}\n",
    ))
    .unwrap_err();
    assert!(
        format!("{err:#}").contains("`Undeclared` in `f`"),
        "{err:#}"
    );
    let err = generate(&sources(
        "//! `<x.h>`: x.\npub const C: c_int = nowhere();\n",
    ))
    .unwrap_err();
    assert!(format!("{err:#}").contains("constant `C`"), "{err:#}");
}

/// Compiles `source` with the generated headers in `include`.
fn compile(
    include: &Path,
    compiler: &str,
    std: &str,
    lang: &str,
    source: &str,
) -> Result<(), String> {
    let out = std::process::Command::new(compiler)
        .args(["-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-nostdinc"])
        .arg(format!("-std={std}"))
        .arg("-I")
        .arg(include)
        .args(["-x", lang, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(source.as_bytes())?;
            child.wait_with_output()
        })
        .map_err(|e| format!("cannot run {compiler}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The real library's headers: each alone, and all together, compile
/// warning-free as C11, C99 and C++ (its `extern "C"` guards).
#[test]
#[cfg_attr(miri, ignore = "runs gcc")]
fn real_headers_compile() {
    let repo = crate::repo::Repo::discover().unwrap();
    let tmp = crate::testutil::TempDir::new("headers");
    let include = tmp.path().join("include");
    let n = write(&Roots::of_repo(repo.root()), &include).unwrap();
    assert!(n > 5, "only {n} headers");
    if std::process::Command::new("gcc")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("gcc is missing: the headers were generated but not compiled");
        return;
    }
    let headers = generate(&Sources::load(&Roots::of_repo(repo.root())).unwrap()).unwrap();
    let mut all = String::new();
    let mut failures = Vec::new();
    for name in headers.keys() {
        let one = format!("#include <{name}>\n#include <{name}>\nint main(void) {{ return 0; }}\n");
        all.push_str(&format!("#include <{name}>\n"));
        for (compiler, std, lang) in [
            ("gcc", "c11", "c"),
            ("gcc", "c99", "c"),
            ("g++", "c++17", "c++"),
        ] {
            if let Err(e) = compile(&include, compiler, std, lang, &one) {
                failures.push(format!("<{name}> with {compiler} -std={std}:\n{e}"));
            }
        }
    }
    all.push_str("int main(void) { return 0; }\n");
    for (compiler, std, lang) in [
        ("gcc", "c11", "c"),
        ("gcc", "c99", "c"),
        ("g++", "c++17", "c++"),
    ] {
        if let Err(e) = compile(&include, compiler, std, lang, &all) {
            failures.push(format!(
                "every header together with {compiler} -std={std}:\n{e}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
