//! A 256 MiB `Vec`, filled and summed: the allocator's large path (`mmap`)
//! and the kernel's demand-zero pages.

fn main() {
    const LEN: usize = 256 << 20 >> 3; // 256 MiB of u64
    let mut v: Vec<u64> = vec![0; LEN];
    for (i, x) in v.iter_mut().enumerate() {
        *x = i as u64;
    }
    let sum: u64 = v.iter().sum();
    println!("{} MiB vec, sum {sum}", v.len() * 8 >> 20);
    assert_eq!(sum, (LEN as u64) * (LEN as u64 - 1) / 2);
    // Many small vectors, freed and allocated again (the free lists).
    let mut total = 0;
    for round in 0..1000 {
        let w: Vec<u32> = (0..round % 97).collect();
        total += w.len();
    }
    println!("small vectors: {total} elements");
}
