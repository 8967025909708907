//! `<time.h>` and `<sys/time.h>`, one concept per file: the clocks and
//! sleeping ([`clock`]), `gettimeofday` ([`timeval`]), broken-down time
//! ([`calendar`]), its fixed text form ([`asctime`]) and `strftime`
//! ([`strftime`]). vibix has no time zones: local time is UTC.

pub mod asctime;
pub mod calendar;
pub mod clock;
pub mod strftime;
pub mod timeval;
