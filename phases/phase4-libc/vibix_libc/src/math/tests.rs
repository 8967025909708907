//! Host tests of `<math.h>` against glibc's libm: the results, in ulps
//! (0 for the exact operations, a recorded bound for the others), and
//! `errno`.

use super::*;
use std::vec::Vec;
use vibix_abi::errno::errno;

/// Declares the host's functions under `host_` names.
macro_rules! host {
    ($($name:ident($($a:ident: $t:ty),*) -> $r:ty;)*) => {
        mod host {
            #[allow(unused_imports)]
            use crate::types::*;
            #[link(name = "m")]
            unsafe extern "C" {
                $(
                    #[link_name = stringify!($name)]
                    pub fn $name($($a: $t),*) -> $r;
                )*
            }
        }
    };
}

host! {
    sin(x: f64) -> f64; cos(x: f64) -> f64; tan(x: f64) -> f64; asin(x: f64) -> f64; acos(x: f64) -> f64;
    atan(x: f64) -> f64; sinh(x: f64) -> f64; cosh(x: f64) -> f64; tanh(x: f64) -> f64; asinh(x: f64) -> f64;
    acosh(x: f64) -> f64; atanh(x: f64) -> f64; exp(x: f64) -> f64; exp2(x: f64) -> f64; exp10(x: f64) -> f64;
    expm1(x: f64) -> f64; log(x: f64) -> f64; log2(x: f64) -> f64; log10(x: f64) -> f64; log1p(x: f64) -> f64;
    sqrt(x: f64) -> f64; cbrt(x: f64) -> f64; fabs(x: f64) -> f64; floor(x: f64) -> f64; ceil(x: f64) -> f64;
    round(x: f64) -> f64; trunc(x: f64) -> f64; rint(x: f64) -> f64; erf(x: f64) -> f64; erfc(x: f64) -> f64;
    tgamma(x: f64) -> f64; nearbyint(x: f64) -> f64; logb(x: f64) -> f64;
    sinf(x: f32) -> f32; cosf(x: f32) -> f32; tanf(x: f32) -> f32; asinf(x: f32) -> f32; acosf(x: f32) -> f32;
    atanf(x: f32) -> f32; sinhf(x: f32) -> f32; coshf(x: f32) -> f32; tanhf(x: f32) -> f32; asinhf(x: f32) -> f32;
    acoshf(x: f32) -> f32; atanhf(x: f32) -> f32; expf(x: f32) -> f32; exp2f(x: f32) -> f32; exp10f(x: f32) -> f32;
    expm1f(x: f32) -> f32; logf(x: f32) -> f32; log2f(x: f32) -> f32; log10f(x: f32) -> f32; log1pf(x: f32) -> f32;
    sqrtf(x: f32) -> f32; cbrtf(x: f32) -> f32; fabsf(x: f32) -> f32; floorf(x: f32) -> f32; ceilf(x: f32) -> f32;
    roundf(x: f32) -> f32; truncf(x: f32) -> f32; rintf(x: f32) -> f32; erff(x: f32) -> f32; erfcf(x: f32) -> f32;
    tgammaf(x: f32) -> f32; lgammaf(x: f32) -> f32; nearbyintf(x: f32) -> f32; logbf(x: f32) -> f32;
    atan2(x: f64, y: f64) -> f64; pow(x: f64, y: f64) -> f64; hypot(x: f64, y: f64) -> f64; fmod(x: f64, y: f64) -> f64;
    remainder(x: f64, y: f64) -> f64; copysign(x: f64, y: f64) -> f64; fmin(x: f64, y: f64) -> f64;
    fmax(x: f64, y: f64) -> f64; fdim(x: f64, y: f64) -> f64; nextafter(x: f64, y: f64) -> f64;
    atan2f(x: f32, y: f32) -> f32; powf(x: f32, y: f32) -> f32; hypotf(x: f32, y: f32) -> f32; fmodf(x: f32, y: f32) -> f32;
    remainderf(x: f32, y: f32) -> f32; copysignf(x: f32, y: f32) -> f32; fminf(x: f32, y: f32) -> f32;
    fmaxf(x: f32, y: f32) -> f32; fdimf(x: f32, y: f32) -> f32; nextafterf(x: f32, y: f32) -> f32;
    fma(x: f64, y: f64, z: f64) -> f64; fmaf(x: f32, y: f32, z: f32) -> f32;
    frexp(x: f64, e: *mut c_int) -> f64; frexpf(x: f32, e: *mut c_int) -> f32;
    ldexp(x: f64, e: c_int) -> f64; ldexpf(x: f32, e: c_int) -> f32; scalbn(x: f64, e: c_int) -> f64;
    modf(x: f64, i: *mut f64) -> f64; modff(x: f32, i: *mut f32) -> f32;
    remquo(x: f64, y: f64, q: *mut c_int) -> f64; lgamma_r(x: f64, s: *mut c_int) -> f64;
    ilogb(x: f64) -> c_int; j0(x: f64) -> f64; j1(x: f64) -> f64; y0(x: f64) -> f64; y1(x: f64) -> f64;
    j0f(x: f32) -> f32; j1f(x: f32) -> f32; y0f(x: f32) -> f32; y1f(x: f32) -> f32;
    jn(n: c_int, x: f64) -> f64; yn(n: c_int, x: f64) -> f64; sincos(x: f64, s: *mut f64, c: *mut f64) -> ();
    scalbln(x: f64, n: c_long) -> f64; lrint(x: f64) -> c_long; lround(x: f64) -> c_long; llround(x: f64) -> c_longlong;
}

fn host_errno() -> c_int {
    // SAFETY: the host's errno location is valid for this thread.
    unsafe { *libc::__errno_location() }
}

fn clear_errnos() {
    set_errno(0);
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = 0 };
}

/// The distance in ulps between two doubles (0 for two NaNs).
fn ulps(a: f64, b: f64) -> u64 {
    if a.is_nan() && b.is_nan() {
        return 0;
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    let ord = |x: f64| {
        let b = x.to_bits() as i64;
        if b < 0 { i64::MIN - b } else { b }
    };
    ord(a).abs_diff(ord(b))
}

fn ulps_f(a: f32, b: f32) -> u64 {
    if a.is_nan() && b.is_nan() {
        return 0;
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    let ord = |x: f32| {
        let b = x.to_bits() as i32;
        i64::from(if b < 0 { i32::MIN - b } else { b })
    };
    ord(a).abs_diff(ord(b))
}

/// Arguments: special values, then a spread over many magnitudes.
fn args() -> Vec<f64> {
    let mut v = std::vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        2.0,
        -2.0,
        3.0,
        -3.5,
        10.0,
        100.0,
        700.0,
        709.7,
        710.0,
        -708.0,
        -745.0,
        -746.0,
        1e-310,
        -1e-310,
        5e-324,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        core::f64::consts::FRAC_PI_2,
        core::f64::consts::PI,
        1e-20,
        0.1,
        1.5,
        2.5,
        -2.5,
        1e22,
        1e300,
        88.0,
        89.0,
        -103.0,
        -104.0,
        128.0,
        -150.0,
        171.0,
        172.0,
        -171.5,
        1023.0,
        1024.0,
        -1074.0,
        -1075.0,
        38.0,
        39.0,
        308.0,
        309.0,
        -324.0,
        0.999999,
        1.000001,
        4.5e15,
        9.007199254740993e15,
    ];
    let mut x = 1e-30;
    while x < 1e30 {
        v.push(x);
        v.push(-x * 1.37);
        x *= 3.7;
    }
    v
}

/// The worst distance seen for one function, its bound, and `errno`
/// agreement.
fn check1(
    name: &str,
    bound: u64,
    ours: extern "C" fn(f64) -> f64,
    theirs: unsafe extern "C" fn(f64) -> f64,
) {
    let mut worst = 0;
    for x in args() {
        clear_errnos();
        let o = ours(x);
        // SAFETY: a plain function of a number.
        let t = unsafe { theirs(x) };
        let d = ulps(o, t);
        worst = worst.max(d);
        assert!(d <= bound, "{name}({x:e}) = {o:e}, glibc {t:e}: {d} ulps");
        assert_eq!(errno(), host_errno(), "{name}({x:e}) errno");
    }
    if worst > 0 {
        std::println!("{name}: {worst} ulps");
    }
}

fn check1f(
    name: &str,
    bound: u64,
    ours: extern "C" fn(f32) -> f32,
    theirs: unsafe extern "C" fn(f32) -> f32,
) {
    let mut worst = 0;
    for x in args() {
        let x = x as f32;
        clear_errnos();
        let o = ours(x);
        // SAFETY: a plain function of a number.
        let t = unsafe { theirs(x) };
        let d = ulps_f(o, t);
        worst = worst.max(d);
        assert!(d <= bound, "{name}({x:e}) = {o:e}, glibc {t:e}: {d} ulps");
        assert_eq!(errno(), host_errno(), "{name}({x:e}) errno");
    }
    if worst > 0 {
        std::println!("{name}: {worst} ulps");
    }
}

fn check2(
    name: &str,
    bound: u64,
    ours: extern "C" fn(f64, f64) -> f64,
    theirs: unsafe extern "C" fn(f64, f64) -> f64,
) {
    let a = args();
    let mut worst = 0;
    for &x in a.iter().step_by(3) {
        for &y in a.iter().step_by(2) {
            clear_errnos();
            let o = ours(x, y);
            // SAFETY: a plain function of numbers.
            let t = unsafe { theirs(x, y) };
            let d = ulps(o, t);
            worst = worst.max(d);
            assert!(
                d <= bound,
                "{name}({x:e}, {y:e}) = {o:e}, glibc {t:e}: {d} ulps"
            );
            assert_eq!(errno(), host_errno(), "{name}({x:e}, {y:e}) errno");
        }
    }
    if worst > 0 {
        std::println!("{name}: {worst} ulps");
    }
}

fn check2f(
    name: &str,
    bound: u64,
    ours: extern "C" fn(f32, f32) -> f32,
    theirs: unsafe extern "C" fn(f32, f32) -> f32,
) {
    let a = args();
    let mut worst = 0;
    for &x in a.iter().step_by(3) {
        for &y in a.iter().step_by(2) {
            let (x, y) = (x as f32, y as f32);
            clear_errnos();
            let o = ours(x, y);
            // SAFETY: a plain function of numbers.
            let t = unsafe { theirs(x, y) };
            let d = ulps_f(o, t);
            worst = worst.max(d);
            assert!(
                d <= bound,
                "{name}({x:e}, {y:e}) = {o:e}, glibc {t:e}: {d} ulps"
            );
            assert_eq!(errno(), host_errno(), "{name}({x:e}, {y:e}) errno");
        }
    }
    if worst > 0 {
        std::println!("{name}: {worst} ulps");
    }
}

/// Checks each function and its `float` variant against glibc's within
/// its ulps bounds (`name namef bound boundf;`).
macro_rules! unary_checks {
    ($($name:ident $namef:ident $b:literal $bf:literal;)*) => {
        $(
            check1(stringify!($name), $b, $name, host::$name);
            check1f(stringify!($namef), $bf, $namef, host::$namef);
        )*
    };
}

/// As [`unary_checks!`], for functions of two numbers.
macro_rules! binary_checks {
    ($($name:ident $namef:ident $b:literal $bf:literal;)*) => {
        $(
            check2(stringify!($name), $b, $name, host::$name);
            check2f(stringify!($namef), $bf, $namef, host::$namef);
        )*
    };
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn exact_unary() {
    unary_checks! {
        sqrt sqrtf 0 0; fabs fabsf 0 0; floor floorf 0 0; ceil ceilf 0 0; round roundf 0 0; trunc truncf 0 0;
        rint rintf 0 0; nearbyint nearbyintf 0 0; logb logbf 0 0;
    }
}

// The bounds are the worst seen over `args()` (glibc 2.36): most differ
// from glibc by at most 1 ulp somewhere; `cbrt` by 2, `tgamma` by 3
// (`tgammaf` 2); `lgamma` stays within 16 ulps near its zeros.
#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn transcendental_unary() {
    unary_checks! {
        sin sinf 1 1; cos cosf 1 1; tan tanf 1 1; asin asinf 1 1; acos acosf 1 1; atan atanf 1 1;
        sinh sinhf 1 1; cosh coshf 1 1; tanh tanhf 1 1; asinh asinhf 1 1; acosh acoshf 1 1; atanh atanhf 1 1;
        exp expf 1 1; exp2 exp2f 1 1; exp10 exp10f 1 1; expm1 expm1f 1 1; log logf 1 1; log2 log2f 1 1;
        log10 log10f 1 1; log1p log1pf 1 1; cbrt cbrtf 2 1; erf erff 1 1; erfc erfcf 1 1; tgamma tgammaf 3 2;
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn exact_binary() {
    binary_checks! {
        fmod fmodf 0 0; remainder remainderf 0 0; copysign copysignf 0 0; fmin fminf 0 0; fmax fmaxf 0 0;
        fdim fdimf 0 0; nextafter nextafterf 0 0;
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn transcendental_binary() {
    binary_checks! {
        atan2 atan2f 1 1; pow powf 1 1; hypot hypotf 1 1;
    }
}

// Bessel functions: musl's and glibc's algorithms differ most, near the
// functions' zeros (`y1f` by 45 ulps there).
#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn bessel() {
    unary_checks! {
        j0 j0f 3 1; j1 j1f 2 2; y0 y0f 3 2; y1 y1f 2 45;
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn bessel_of_order_n_sincos_scalbln() {
    for x in args() {
        for n in [0, 1, 2, 5, -3] {
            clear_errnos();
            // SAFETY: plain functions of numbers.
            let (o, t) = (jn(n, x), unsafe { host::jn(n, x) });
            assert!(
                ulps(o, t) <= 1000000 || (o - t).abs() < 1e-15,
                "jn({n}, {x:e}) = {o:e}, glibc {t:e}"
            );
            // SAFETY: as above.
            let (o, t) = (yn(n, x), unsafe { host::yn(n, x) });
            assert!(
                ulps(o, t) <= 1000000 || (o - t).abs() < 1e-15,
                "yn({n}, {x:e}) = {o:e}, glibc {t:e}"
            );
            assert_eq!(errno(), host_errno(), "yn({n}, {x:e}) errno");
        }
        let (mut s1, mut c1, mut s2, mut c2) = (0.0, 0.0, 0.0, 0.0);
        clear_errnos();
        // SAFETY: valid out pointers.
        unsafe {
            sincos(x, &mut s1, &mut c1);
            host::sincos(x, &mut s2, &mut c2);
        }
        assert!(ulps(s1, s2) <= 1 && ulps(c1, c2) <= 1, "sincos({x:e})");
        assert_eq!(errno(), host_errno(), "sincos({x:e}) errno");
        for n in [0, 5, -1100, 1 << 40, -(1 << 40)] {
            // SAFETY: a plain function of numbers.
            let theirs = unsafe { host::scalbln(x, n) };
            assert_eq!(ulps(scalbln(x, n), theirs), 0, "scalbln({x:e}, {n})");
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn lgamma_and_signgam() {
    for x in args() {
        let mut s1 = 0;
        let mut s2 = 0;
        clear_errnos();
        // SAFETY: valid sign pointers.
        let (o, t) = unsafe { (lgamma_r(x, &mut s1), host::lgamma_r(x, &mut s2)) };
        assert!(ulps(o, t) <= 16, "lgamma({x:e}) = {o:e}, glibc {t:e}");
        assert_eq!(errno(), host_errno(), "lgamma({x:e}) errno");
        if !x.is_nan() {
            assert_eq!(s1, s2, "lgamma({x:e}) sign");
        }
        let _ = lgamma(x);
        // SAFETY: read on this thread after the write.
        assert_eq!(unsafe { signgam }, s1);
        // SAFETY: a plain function of a number.
        let (o, t) = (lgammaf(x as f32), unsafe { host::lgammaf(x as f32) });
        assert!(ulps_f(o, t) <= 16, "lgammaf({x:e}) = {o:e}, glibc {t:e}");
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn splitting_and_scaling() {
    for x in args() {
        let (mut e1, mut e2) = (0, 0);
        // SAFETY: valid out pointers.
        unsafe {
            let (a, b) = (frexp(x, &mut e1), host::frexp(x, &mut e2));
            assert_eq!(ulps(a, b), 0, "frexp({x:e})");
            if x.is_finite() {
                assert_eq!(e1, e2, "frexp({x:e}) exponent");
            }
            let (a, b) = (frexpf(x as f32, &mut e1), host::frexpf(x as f32, &mut e2));
            assert_eq!(ulps_f(a, b), 0);
            let (mut i1, mut i2) = (0.0, 0.0);
            let (a, b) = (modf(x, &mut i1), host::modf(x, &mut i2));
            assert_eq!((ulps(a, b), ulps(i1, i2)), (0, 0), "modf({x:e})");
            let (mut i1, mut i2) = (0.0f32, 0.0f32);
            let (a, b) = (modff(x as f32, &mut i1), host::modff(x as f32, &mut i2));
            assert_eq!((ulps_f(a, b), ulps_f(i1, i2)), (0, 0), "modff({x:e})");
            for n in [
                0,
                1,
                -1,
                10,
                -1074,
                -1080,
                1023,
                2000,
                -2000,
                c_int::MAX,
                c_int::MIN,
            ] {
                clear_errnos();
                assert_eq!(ulps(ldexp(x, n), host::ldexp(x, n)), 0, "ldexp({x:e}, {n})");
                assert_eq!(errno(), host_errno(), "ldexp({x:e}, {n}) errno");
                assert_eq!(ulps(scalbn(x, n), host::scalbn(x, n)), 0);
                clear_errnos();
                assert_eq!(
                    ulps_f(ldexpf(x as f32, n), host::ldexpf(x as f32, n)),
                    0,
                    "ldexpf({x:e}, {n})"
                );
                assert_eq!(errno(), host_errno(), "ldexpf({x:e}, {n}) errno");
            }
            clear_errnos();
            assert_eq!(ilogb(x), host::ilogb(x), "ilogb({x:e})");
            assert_eq!(errno(), host_errno(), "ilogb({x:e}) errno");
            clear_errnos();
            assert_eq!(lrint(x), host::lrint(x), "lrint({x:e})");
            assert_eq!(lround(x), host::lround(x), "lround({x:e})");
            assert_eq!(llround(x), host::llround(x), "llround({x:e})");
            assert_eq!(errno(), host_errno(), "lround({x:e}) errno");
            for y in [1.0, -3.0, 0.7, 1e-300, 0.0, f64::INFINITY] {
                let (mut q1, mut q2) = (0, 0);
                clear_errnos();
                let (a, b) = (remquo(x, y, &mut q1), host::remquo(x, y, &mut q2));
                assert_eq!(ulps(a, b), 0, "remquo({x:e}, {y:e})");
                if !a.is_nan() {
                    assert_eq!(q1 & 7, q2 & 7, "remquo({x:e}, {y:e}) quotient");
                }
                assert_eq!(errno(), host_errno(), "remquo({x:e}, {y:e}) errno");
            }
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "calls the host C library")]
fn fused() {
    let a = args();
    for &x in a.iter().step_by(5) {
        for &y in a.iter().step_by(4) {
            for z in [0.0, -0.0, 1.0, -1e300, f64::INFINITY, f64::NAN, 1e-310] {
                clear_errnos();
                // SAFETY: a plain function of numbers.
                let (o, t) = (fma(x, y, z), unsafe { host::fma(x, y, z) });
                assert_eq!(ulps(o, t), 0, "fma({x:e}, {y:e}, {z:e})");
                assert_eq!(errno(), host_errno(), "fma({x:e}, {y:e}, {z:e}) errno");
                let (x, y, z) = (x as f32, y as f32, z as f32);
                // SAFETY: as above.
                let (o, t) = (fmaf(x, y, z), unsafe { host::fmaf(x, y, z) });
                assert_eq!(ulps_f(o, t), 0, "fmaf({x:e}, {y:e}, {z:e})");
            }
        }
    }
}

#[test]
#[cfg_attr(miri, ignore = "libm's sqrt is inline assembly")]
fn square_root() {
    set_errno(0);
    assert!(sqrt(-1.0).is_nan());
    assert_eq!(errno(), EDOM);
    assert_eq!(sqrt(4.0), 2.0);
    assert_eq!(sqrtf(2.25), 1.5);
}

#[test]
fn fixed_answers() {
    set_errno(0);
    assert_eq!(log(0.0), f64::NEG_INFINITY);
    assert_eq!(errno(), ERANGE);
    set_errno(0);
    assert_eq!(exp(1000.0), f64::INFINITY);
    assert_eq!(errno(), ERANGE);
    assert_eq!(floor(-0.5), -1.0);
    assert_eq!(round(2.5), 3.0);
    assert_eq!(rint(2.5), 2.0);
    assert_eq!(fmod(7.0, 3.0), 1.0);
    // SAFETY: NUL-terminated tags.
    assert!(unsafe { nan(c"".as_ptr()) }.is_nan());
    let mut e = 0;
    // SAFETY: a valid out pointer.
    assert_eq!(unsafe { frexp(8.0, &mut e) }, 0.5);
    assert_eq!(e, 4);
}
