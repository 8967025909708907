//! `<pthread.h>`, one concept per file: threads and their attributes
//! ([`thread`]), a thread's stack as its attributes show it ([`stack`]),
//! its name ([`name`]), thread-specific data ([`key`]), one-time initialization
//! ([`once`]), mutexes ([`mutex`]), condition variables ([`cond`]),
//! read-write locks ([`rwlock`]), barriers ([`barrier`]) and spin locks
//! ([`spin`]). Every type has glibc's x86_64 size and alignment, and its
//! static initializer is all zeros as in glibc, so a program compiled
//! against glibc's headers links with this library. Waiting is on futexes (`vibix_abi::futex`).

pub mod atfork;
pub mod barrier;
pub mod cond;
pub mod key;
pub mod mutex;
pub mod name;
pub mod once;
pub mod rwlock;
pub mod spin;
pub mod stack;
pub mod thread;
mod wait;
