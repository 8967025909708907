//! What may differ between a vibix run and the Linux run of the same
//! program, and is rewritten in both before they are compared. Each rule is
//! something that cannot be equal by construction; nothing else is touched.
//!
//! - The thread id in std's panic message: `thread 'main' (4242) panicked
//!   at …` names the thread's OS id, a host TID on Linux and vibix's own id
//!   on vibix. Both become `thread 'main' (<id>) panicked at …`. The same
//!   for std's stack-overflow message, `thread 'deep' (4243) has overflowed
//!   its stack`.

/// Applies every rule to `output`.
pub fn for_comparison(output: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(output.len());
    for line in output.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(&panic_thread_id(line));
    }
    out
}

/// What may follow std's `thread 'NAME' (DIGITS)`: a panic's and a stack
/// overflow's words.
const AFTER_THREAD_ID: [&str; 2] = [") panicked at ", ") has overflowed its stack"];

/// `thread 'NAME' (DIGITS) panicked at` → `thread 'NAME' (<id>) panicked at`,
/// and the same before `has overflowed its stack`.
fn panic_thread_id(line: &[u8]) -> Vec<u8> {
    let rewritten = (|| {
        let text = std::str::from_utf8(line).ok()?;
        let rest = text.strip_prefix("thread '")?;
        let name_end = rest.find("' (")?;
        let after = &rest[name_end + 3..];
        let digits = after.find(')')?;
        let tail = &after[digits..];
        if !AFTER_THREAD_ID.iter().any(|words| tail.starts_with(words)) {
            return None;
        }
        if digits == 0 || !after[..digits].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(format!("thread '{}' (<id>{tail}", &rest[..name_end]))
    })();
    rewritten.map_or_else(|| line.to_vec(), String::into_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_panic_thread_ids() {
        let out = for_comparison(
            b"about to panic\n\nthread 'main' (11010) panicked at src/main.rs:7:5:\nboom (1)\n",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "about to panic\n\nthread 'main' (<id>) panicked at src/main.rs:7:5:\nboom (1)\n"
        );
        for same in [
            &b"thread 'main' (x) panicked at a\n"[..],
            b"thread 'main' () panicked at a\n",
            b"a thread 'main' (1) panicked at a\n",
            b"thread 'main' (1) is fine\n",
            b"thread 'main' (1) has overflowed\n",
            b"\xff\n",
        ] {
            assert_eq!(for_comparison(same), same);
        }
    }

    #[test]
    fn rewrites_stack_overflow_thread_ids() {
        let out = for_comparison(
            b"start\n\nthread 'deep' (7731) has overflowed its stack\nfatal runtime error: stack overflow, aborting\n",
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "start\n\nthread 'deep' (<id>) has overflowed its stack\nfatal runtime error: stack overflow, aborting\n"
        );
    }
}
