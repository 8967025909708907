fn main() {
    println!("hello from std");
}
