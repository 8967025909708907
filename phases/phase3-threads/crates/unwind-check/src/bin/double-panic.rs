//! A panic while a panic unwinds (in a `Drop`): std aborts the process, on
//! Linux and on vibix alike (`SIGABRT`, after both messages).

struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("second panic, in drop");
    }
}

fn main() {
    let _bomb = PanicOnDrop;
    panic!("first panic");
}
