//! A panic prints its message on stderr, then (panic = "abort") the process
//! dies by SIGABRT.

fn main() {
    println!("about to panic");
    let answer = 42;
    panic!("the answer was {answer}");
}
