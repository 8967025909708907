//! What a test may expect of files: its package's files are there (cargo
//! runs a test in the package's directory, and `env!("CARGO_MANIFEST_DIR")`
//! names it), and a temporary directory is writable.

#[test]
fn reads_a_file_of_its_package() {
    let me = std::fs::read_to_string("Cargo.toml").unwrap();
    assert!(me.contains("name = \"unwind-check\""));
    let dir = env!("CARGO_MANIFEST_DIR");
    assert!(std::path::Path::new(dir).join("src/lib.rs").is_file());
    assert_eq!(std::env::current_dir().unwrap(), std::path::Path::new(dir));
}

#[test]
fn writes_a_temporary_file() {
    let path = std::env::temp_dir().join(format!("unwind-check-{}", std::process::id()));
    std::fs::write(&path, b"data").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"data");
    std::fs::remove_file(&path).unwrap();
}
