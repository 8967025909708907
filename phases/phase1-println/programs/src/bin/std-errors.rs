//! OS errors read the same as on Linux: numbers, kinds and messages.

use std::io;

fn main() {
    for code in [1, 2, 13, 22, 38, 4000] {
        let e = io::Error::from_raw_os_error(code);
        println!("{code}: {e} / {:?}", e.kind());
    }
    println!("{:?}", io::Error::from_raw_os_error(9));
}
