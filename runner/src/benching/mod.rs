//! `runner bench`: the benchmark programs of each phase on vibix, on a Linux
//! guest booted under the identical QEMU command line, and on the host;
//! their results, ratios, scaling curves and the book's Performance page.

pub mod book_page;
pub mod guest;
pub mod linux_kernel;
pub mod machine_info;
pub mod manifest;
pub mod results;
pub mod samples;
pub mod table;
