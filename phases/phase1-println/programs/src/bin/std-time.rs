//! `Instant` (monotonic) measures a busy loop as taking some time;
//! `SystemTime` (wall clock) says it is after 2025.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let start = Instant::now();
    let mut x: u64 = 1;
    for i in 0..2_000_000u64 {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
    }
    let elapsed = start.elapsed();
    println!(
        "busy loop took a positive time: {}",
        elapsed > Duration::ZERO
    );
    println!(
        "Instant is monotonic: {}",
        Instant::now() >= start + elapsed
    );

    // 2025-01-01T00:00:00Z.
    let y2025 = UNIX_EPOCH + Duration::from_secs(1_735_689_600);
    let now = SystemTime::now();
    println!("now is after 2025: {}", now > y2025);
    println!(
        "duration_since(UNIX_EPOCH) works: {}",
        now.duration_since(UNIX_EPOCH).is_ok()
    );
}
