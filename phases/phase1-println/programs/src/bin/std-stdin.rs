//! Reads one line from stdin (the runner feeds it) and echoes it.

fn main() {
    let mut line = String::new();
    let n = std::io::stdin().read_line(&mut line).expect("read_line");
    println!("read {n} bytes: {:?}", line.trim_end());
}
