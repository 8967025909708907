//! `<sys/resource.h>`: `struct rusage`, the resource usage `wait4`
//! reports (vibix keeps no accounting: it reports zeros). The structure is
//! the ABI's, `vibix_uapi::wait::Rusage`.

pub use vibix_uapi::wait::Rusage as rusage;
