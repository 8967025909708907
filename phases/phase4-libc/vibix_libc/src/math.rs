//! `<math.h>`: the `double` functions and their `float` variants (`sinf`,
//! ...), computed by the `libm` crate (a port of musl's), with glibc's
//! `errno` reports: `EDOM` when a function of numbers gives NaN (`sqrt(-1)`,
//! `log(-1)`, `fmod(x, 0)`), `ERANGE` when finite arguments give an
//! infinity (overflow, and poles such as `log(0)`), and `ERANGE` on
//! underflow for the functions glibc reports it for (`exp`, `pow`, ...).
//! The classification macros are the compiler's built-ins.
//!
//! Results agree with glibc's bit for bit for the exact operations
//! (`sqrt`, `fma`, rounding, `fmod`, `frexp`, `ldexp`, ...); the
//! transcendental functions are within a few ulps of glibc's (the host
//! tests record the bound for each): 1 ulp for most, 2 for `cbrt`, 3 for
//! `tgamma`, up to 3 for the Bessel functions (45 for `y1f` near its
//! zeros). A C program comparing with glibc should print such results
//! with a few digits fewer than full precision, or test them exactly only
//! where they are exact (`sqrt(4.0) == 2.0`).
//!
//! ```c
//! #define HUGE_VAL (__builtin_huge_val())
//! #define HUGE_VALF (__builtin_huge_valf())
//! #define INFINITY (__builtin_inff())
//! #define NAN (__builtin_nanf(""))
//! #define isnan(x) __builtin_isnan(x)
//! #define isinf(x) __builtin_isinf_sign(x)
//! #define isfinite(x) __builtin_isfinite(x)
//! #define isnormal(x) __builtin_isnormal(x)
//! #define signbit(x) __builtin_signbit(x)
//! #define fpclassify(x) __builtin_fpclassify(FP_NAN, FP_INFINITE, FP_NORMAL, FP_SUBNORMAL, FP_ZERO, x)
//! #define isgreater(x, y) __builtin_isgreater(x, y)
//! #define isgreaterequal(x, y) __builtin_isgreaterequal(x, y)
//! #define isless(x, y) __builtin_isless(x, y)
//! #define islessequal(x, y) __builtin_islessequal(x, y)
//! #define islessgreater(x, y) __builtin_islessgreater(x, y)
//! #define isunordered(x, y) __builtin_isunordered(x, y)
//! #define math_errhandling (MATH_ERRNO | MATH_ERREXCEPT)
//! #define FP_ILOGB0 (-2147483647 - 1)
//! #define FP_ILOGBNAN (-2147483647 - 1)
//! #define M_E 2.7182818284590452354
//! #define M_LOG2E 1.4426950408889634074
//! #define M_LOG10E 0.43429448190325182765
//! #define M_LN2 0.69314718055994530942
//! #define M_LN10 2.30258509299404568402
//! #define M_PI 3.14159265358979323846
//! #define M_PI_2 1.57079632679489661923
//! #define M_PI_4 0.78539816339744830962
//! #define M_1_PI 0.31830988618379067154
//! #define M_2_PI 0.63661977236758134308
//! #define M_2_SQRTPI 1.12837916709551257390
//! #define M_SQRT2 1.41421356237309504880
//! #define M_SQRT1_2 0.70710678118654752440
//! ```

use vibix_abi::errno::set_errno;
use vibix_uapi::errno::{EDOM, ERANGE};

use crate::types::{c_char, c_double, c_float, c_int, c_long, c_longlong};

/// `fpclassify`'s answers (glibc's values).
pub const FP_NAN: c_int = 0;
pub const FP_INFINITE: c_int = 1;
pub const FP_ZERO: c_int = 2;
pub const FP_SUBNORMAL: c_int = 3;
pub const FP_NORMAL: c_int = 4;

/// `math_errhandling`'s bits: errors are reported in `errno` and as
/// floating-point exceptions.
pub const MATH_ERRNO: c_int = 1;
pub const MATH_ERREXCEPT: c_int = 2;

/// The types `float` and `double` expressions are evaluated in (SSE:
/// their own).
pub type float_t = c_float;
pub type double_t = c_double;

/// The sign of `lgamma`'s last argument's gamma: 1 or -1.
#[cfg_attr(not(test), unsafe(no_mangle))]
#[allow(non_upper_case_globals, reason = "C's name")]
pub static mut signgam: c_int = 0;

/// No `errno` report.
const NONE: u8 = 0;
/// `EDOM` for NaN from numbers, `ERANGE` for an infinity from finite
/// arguments.
const DOMAIN: u8 = 1;
/// Also `ERANGE` for a zero result from finite arguments, the first
/// nonzero (an underflow to zero: glibc does not report results that
/// underflow only to a subnormal).
const UNDER: u8 = 2;

/// Sets `errno` as `kind` says for result `r` of arguments `args`.
fn report(kind: u8, args: &[f64], r: f64) {
    if kind == NONE {
        return;
    }
    let numbers = args.iter().all(|a| !a.is_nan());
    let finite = args.iter().all(|a| a.is_finite());
    let overflow = r.is_infinite() && finite;
    let underflow = kind & UNDER != 0 && finite && args[0] != 0.0 && r == 0.0;
    if r.is_nan() && numbers {
        set_errno(EDOM);
    } else if overflow || underflow {
        set_errno(ERANGE);
    }
}

/// The same as [`report`] for a `float` result: the range is `float`'s.
fn report_f(kind: u8, args: &[f32], r: f32) {
    if kind == NONE {
        return;
    }
    let numbers = args.iter().all(|a| !a.is_nan());
    let finite = args.iter().all(|a| a.is_finite());
    let overflow = r.is_infinite() && finite;
    let underflow = kind & UNDER != 0 && finite && args[0] != 0.0 && r == 0.0;
    if r.is_nan() && numbers {
        set_errno(EDOM);
    } else if overflow || underflow {
        set_errno(ERANGE);
    }
}

/// `f(x)`, with the `errno` report `kind` (the functions over `libm`).
fn unary(f: fn(f64) -> f64, x: f64, kind: u8) -> f64 {
    let r = f(x);
    report(kind, &[x], r);
    r
}

/// [`unary`] for `float`.
fn unary_f(f: fn(f32) -> f32, x: f32, kind: u8) -> f32 {
    let r = f(x);
    report_f(kind, &[x], r);
    r
}

/// `f(x, y)`, with the `errno` report `kind`.
fn binary(f: fn(f64, f64) -> f64, x: f64, y: f64, kind: u8) -> f64 {
    let r = f(x, y);
    report(kind, &[x, y], r);
    r
}

/// [`binary`] for `float`.
fn binary_f(f: fn(f32, f32) -> f32, x: f32, y: f32, kind: u8) -> f32 {
    let r = f(x, y);
    report_f(kind, &[x, y], r);
    r
}

/// The sine (radians).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sin(x: c_double) -> c_double {
    unary(libm::sin, x, DOMAIN)
}

/// [`sin`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sinf(x: c_float) -> c_float {
    unary_f(libm::sinf, x, DOMAIN)
}

/// The cosine (radians).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn cos(x: c_double) -> c_double {
    unary(libm::cos, x, DOMAIN)
}

/// [`cos`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn cosf(x: c_float) -> c_float {
    unary_f(libm::cosf, x, DOMAIN)
}

/// The tangent (radians).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tan(x: c_double) -> c_double {
    unary(libm::tan, x, DOMAIN)
}

/// [`tan`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tanf(x: c_float) -> c_float {
    unary_f(libm::tanf, x, DOMAIN)
}

/// The arc sine, in [-pi/2, pi/2]; `EDOM` outside [-1, 1].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn asin(x: c_double) -> c_double {
    unary(libm::asin, x, DOMAIN)
}

/// [`asin`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn asinf(x: c_float) -> c_float {
    unary_f(libm::asinf, x, DOMAIN)
}

/// The arc cosine, in [0, pi]; `EDOM` outside [-1, 1].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn acos(x: c_double) -> c_double {
    unary(libm::acos, x, DOMAIN)
}

/// [`acos`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn acosf(x: c_float) -> c_float {
    unary_f(libm::acosf, x, DOMAIN)
}

/// The arc tangent, in [-pi/2, pi/2].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atan(x: c_double) -> c_double {
    unary(libm::atan, x, NONE)
}

/// [`atan`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atanf(x: c_float) -> c_float {
    unary_f(libm::atanf, x, NONE)
}

/// The hyperbolic sine.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sinh(x: c_double) -> c_double {
    unary(libm::sinh, x, DOMAIN)
}

/// [`sinh`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sinhf(x: c_float) -> c_float {
    unary_f(libm::sinhf, x, DOMAIN)
}

/// The hyperbolic cosine.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn cosh(x: c_double) -> c_double {
    unary(libm::cosh, x, DOMAIN)
}

/// [`cosh`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn coshf(x: c_float) -> c_float {
    unary_f(libm::coshf, x, DOMAIN)
}

/// The hyperbolic tangent.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tanh(x: c_double) -> c_double {
    unary(libm::tanh, x, NONE)
}

/// [`tanh`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tanhf(x: c_float) -> c_float {
    unary_f(libm::tanhf, x, NONE)
}

/// The inverse hyperbolic sine.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn asinh(x: c_double) -> c_double {
    unary(libm::asinh, x, NONE)
}

/// [`asinh`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn asinhf(x: c_float) -> c_float {
    unary_f(libm::asinhf, x, NONE)
}

/// The inverse hyperbolic tangent; `EDOM` outside [-1, 1], `ERANGE` at ±1.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atanh(x: c_double) -> c_double {
    unary(libm::atanh, x, DOMAIN)
}

/// [`atanh`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atanhf(x: c_float) -> c_float {
    unary_f(libm::atanhf, x, DOMAIN)
}

/// e to the `x`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exp(x: c_double) -> c_double {
    unary(libm::exp, x, DOMAIN | UNDER)
}

/// [`exp`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn expf(x: c_float) -> c_float {
    unary_f(libm::expf, x, DOMAIN | UNDER)
}

/// 2 to the `x`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exp2(x: c_double) -> c_double {
    unary(libm::exp2, x, DOMAIN | UNDER)
}

/// [`exp2`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exp2f(x: c_float) -> c_float {
    unary_f(libm::exp2f, x, DOMAIN | UNDER)
}

/// 10 to the `x`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exp10(x: c_double) -> c_double {
    unary(libm::exp10, x, DOMAIN | UNDER)
}

/// [`exp10`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn exp10f(x: c_float) -> c_float {
    unary_f(libm::exp10f, x, DOMAIN | UNDER)
}

/// e to the `x`, minus 1 (exact near 0).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn expm1(x: c_double) -> c_double {
    unary(libm::expm1, x, DOMAIN)
}

/// [`expm1`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn expm1f(x: c_float) -> c_float {
    unary_f(libm::expm1f, x, DOMAIN)
}

/// The natural logarithm; `ERANGE` at 0, `EDOM` below.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log(x: c_double) -> c_double {
    unary(libm::log, x, DOMAIN)
}

/// [`log`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn logf(x: c_float) -> c_float {
    unary_f(libm::logf, x, DOMAIN)
}

/// The base-2 logarithm.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log2(x: c_double) -> c_double {
    unary(libm::log2, x, DOMAIN)
}

/// [`log2`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log2f(x: c_float) -> c_float {
    unary_f(libm::log2f, x, DOMAIN)
}

/// The base-10 logarithm.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log10(x: c_double) -> c_double {
    unary(libm::log10, x, DOMAIN)
}

/// [`log10`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log10f(x: c_float) -> c_float {
    unary_f(libm::log10f, x, DOMAIN)
}

/// The natural logarithm of 1 + `x` (exact near 0).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log1p(x: c_double) -> c_double {
    unary(libm::log1p, x, DOMAIN)
}

/// [`log1p`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn log1pf(x: c_float) -> c_float {
    unary_f(libm::log1pf, x, DOMAIN)
}

/// The square root; `EDOM` below 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sqrt(x: c_double) -> c_double {
    unary(libm::sqrt, x, DOMAIN)
}

/// [`sqrt`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn sqrtf(x: c_float) -> c_float {
    unary_f(libm::sqrtf, x, DOMAIN)
}

/// The cube root.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn cbrt(x: c_double) -> c_double {
    unary(libm::cbrt, x, NONE)
}

/// [`cbrt`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn cbrtf(x: c_float) -> c_float {
    unary_f(libm::cbrtf, x, NONE)
}

/// The absolute value.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fabs(x: c_double) -> c_double {
    unary(libm::fabs, x, NONE)
}

/// [`fabs`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fabsf(x: c_float) -> c_float {
    unary_f(libm::fabsf, x, NONE)
}

/// The largest integer not above `x`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn floor(x: c_double) -> c_double {
    unary(libm::floor, x, NONE)
}

/// [`floor`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn floorf(x: c_float) -> c_float {
    unary_f(libm::floorf, x, NONE)
}

/// The least integer not below `x`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ceil(x: c_double) -> c_double {
    unary(libm::ceil, x, NONE)
}

/// [`ceil`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ceilf(x: c_float) -> c_float {
    unary_f(libm::ceilf, x, NONE)
}

/// The nearest integer, halves away from zero.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn round(x: c_double) -> c_double {
    unary(libm::round, x, NONE)
}

/// [`round`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn roundf(x: c_float) -> c_float {
    unary_f(libm::roundf, x, NONE)
}

/// The integer toward zero.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn trunc(x: c_double) -> c_double {
    unary(libm::trunc, x, NONE)
}

/// [`trunc`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn truncf(x: c_float) -> c_float {
    unary_f(libm::truncf, x, NONE)
}

/// The nearest integer in the current rounding mode (to nearest even).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn rint(x: c_double) -> c_double {
    unary(libm::rint, x, NONE)
}

/// [`rint`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn rintf(x: c_float) -> c_float {
    unary_f(libm::rintf, x, NONE)
}

/// The error function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn erf(x: c_double) -> c_double {
    unary(libm::erf, x, NONE)
}

/// [`erf`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn erff(x: c_float) -> c_float {
    unary_f(libm::erff, x, NONE)
}

/// The complementary error function, 1 - erf(`x`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn erfc(x: c_double) -> c_double {
    unary(libm::erfc, x, DOMAIN | UNDER)
}

/// [`erfc`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn erfcf(x: c_float) -> c_float {
    unary_f(libm::erfcf, x, DOMAIN | UNDER)
}

/// The gamma function.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tgamma(x: c_double) -> c_double {
    unary(libm::tgamma, x, DOMAIN | UNDER)
}

/// [`tgamma`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn tgammaf(x: c_float) -> c_float {
    unary_f(libm::tgammaf, x, DOMAIN | UNDER)
}

/// The Bessel function of the first kind of order 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn j0(x: c_double) -> c_double {
    unary(libm::j0, x, NONE)
}

/// [`j0`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn j0f(x: c_float) -> c_float {
    unary_f(libm::j0f, x, NONE)
}

/// The Bessel function of the first kind of order 1.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn j1(x: c_double) -> c_double {
    unary(libm::j1, x, UNDER)
}

/// [`j1`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn j1f(x: c_float) -> c_float {
    unary_f(libm::j1f, x, UNDER)
}

/// The Bessel function of the second kind of order 0; `EDOM` below 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn y0(x: c_double) -> c_double {
    unary(libm::y0, x, DOMAIN)
}

/// [`y0`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn y0f(x: c_float) -> c_float {
    unary_f(libm::y0f, x, DOMAIN)
}

/// The Bessel function of the second kind of order 1; `EDOM` below 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn y1(x: c_double) -> c_double {
    unary(libm::y1, x, DOMAIN)
}

/// [`y1`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn y1f(x: c_float) -> c_float {
    unary_f(libm::y1f, x, DOMAIN)
}

/// The arc tangent of `y/x`, using both signs for the quadrant.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atan2(x: c_double, y: c_double) -> c_double {
    binary(libm::atan2, x, y, UNDER)
}

/// [`atan2`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn atan2f(x: c_float, y: c_float) -> c_float {
    binary_f(libm::atan2f, x, y, UNDER)
}

/// `x` to the power `y`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn pow(x: c_double, y: c_double) -> c_double {
    binary(libm::pow, x, y, DOMAIN | UNDER)
}

/// [`pow`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn powf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::powf, x, y, DOMAIN | UNDER)
}

/// sqrt(x² + y²) without undue overflow.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn hypot(x: c_double, y: c_double) -> c_double {
    binary(libm::hypot, x, y, DOMAIN)
}

/// [`hypot`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn hypotf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::hypotf, x, y, DOMAIN)
}

/// The remainder of `x/y` rounded toward zero; `EDOM` for `y` = 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fmod(x: c_double, y: c_double) -> c_double {
    binary(libm::fmod, x, y, DOMAIN)
}

/// [`fmod`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fmodf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::fmodf, x, y, DOMAIN)
}

/// The remainder of `x/y` rounded to nearest; `EDOM` for `y` = 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn remainder(x: c_double, y: c_double) -> c_double {
    binary(libm::remainder, x, y, DOMAIN)
}

/// [`remainder`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn remainderf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::remainderf, x, y, DOMAIN)
}

/// `x` with the sign of `y`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn copysign(x: c_double, y: c_double) -> c_double {
    binary(libm::copysign, x, y, NONE)
}

/// [`copysign`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn copysignf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::copysignf, x, y, NONE)
}

/// The smaller number (a NaN loses).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fmin(x: c_double, y: c_double) -> c_double {
    binary(libm::fmin, x, y, NONE)
}

/// [`fmin`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fminf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::fminf, x, y, NONE)
}

/// The larger number (a NaN loses).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fmax(x: c_double, y: c_double) -> c_double {
    binary(libm::fmax, x, y, NONE)
}

/// [`fmax`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fmaxf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::fmaxf, x, y, NONE)
}

/// `x - y` if positive, else +0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fdim(x: c_double, y: c_double) -> c_double {
    binary(libm::fdim, x, y, DOMAIN)
}

/// [`fdim`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fdimf(x: c_float, y: c_float) -> c_float {
    binary_f(libm::fdimf, x, y, DOMAIN)
}

/// The inverse hyperbolic cosine; `EDOM` below 1.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn acosh(x: c_double) -> c_double {
    // `libm` answers some arguments below 1 with a number.
    let r = if x < 1.0 { f64::NAN } else { libm::acosh(x) };
    report(DOMAIN, &[x], r);
    r
}

/// [`acosh`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn acoshf(x: c_float) -> c_float {
    let r = if x < 1.0 { f32::NAN } else { libm::acoshf(x) };
    report_f(DOMAIN, &[x], r);
    r
}

/// The next representable number after `x` toward `y` (`y` if equal);
/// `ERANGE` if that overflows or, from a nonzero `x`, is subnormal or
/// zero (as glibc).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn nextafter(x: c_double, y: c_double) -> c_double {
    let r = libm::nextafter(x, y);
    if x != y && x != 0.0 && x.is_finite() && (r.is_infinite() || r == 0.0 || r.is_subnormal()) {
        set_errno(ERANGE);
    }
    r
}

/// [`nextafter`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn nextafterf(x: c_float, y: c_float) -> c_float {
    let r = libm::nextafterf(x, y);
    if x != y && x != 0.0 && x.is_finite() && (r.is_infinite() || r == 0.0 || r.is_subnormal()) {
        set_errno(ERANGE);
    }
    r
}

/// The Bessel function of the first kind of order `n`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn jn(n: c_int, x: c_double) -> c_double {
    libm::jn(n, x)
}

/// [`jn`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn jnf(n: c_int, x: c_float) -> c_float {
    libm::jnf(n, x)
}

/// The Bessel function of the second kind of order `n`; `EDOM` below 0,
/// `ERANGE` at 0.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn yn(n: c_int, x: c_double) -> c_double {
    let r = libm::yn(n, x);
    report(DOMAIN, &[x], r);
    r
}

/// [`yn`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ynf(n: c_int, x: c_float) -> c_float {
    let r = libm::ynf(n, x);
    report_f(DOMAIN, &[x], r);
    r
}

/// The sine and cosine of `x` at once (GNU).
///
/// # Safety
///
/// `sin` and `cos` valid for writes.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sincos(x: c_double, sin: *mut c_double, cos: *mut c_double) {
    let (s, c) = libm::sincos(x);
    report(DOMAIN, &[x], s);
    // SAFETY: the caller's contract.
    unsafe {
        *sin = s;
        *cos = c;
    }
}

/// [`sincos`] for `float`.
///
/// # Safety
///
/// As [`sincos`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn sincosf(x: c_float, sin: *mut c_float, cos: *mut c_float) {
    let (s, c) = libm::sincosf(x);
    report_f(DOMAIN, &[x], s);
    // SAFETY: the caller's contract.
    unsafe {
        *sin = s;
        *cos = c;
    }
}

/// `x * 2^n` for a `long` `n`, as [`ldexp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn scalbln(x: c_double, n: c_long) -> c_double {
    scale(x, n.clamp(c_int::MIN.into(), c_int::MAX.into()) as c_int)
}

/// [`scalbln`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn scalblnf(x: c_float, n: c_long) -> c_float {
    scale_f(x, n.clamp(c_int::MIN.into(), c_int::MAX.into()) as c_int)
}

/// The nearest integer in the current rounding mode, without raising the
/// inexact exception (which this library does not track).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn nearbyint(x: c_double) -> c_double {
    libm::rint(x)
}

/// [`nearbyint`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn nearbyintf(x: c_float) -> c_float {
    libm::rintf(x)
}

/// `x * y + z` with one rounding.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fma(x: c_double, y: c_double, z: c_double) -> c_double {
    libm::fma(x, y, z)
}

/// [`fma`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn fmaf(x: c_float, y: c_float, z: c_float) -> c_float {
    libm::fmaf(x, y, z)
}

/// Splits `x` into a fraction in [0.5, 1) (with `x`'s sign) and a power of
/// two, stored in `*exp`.
///
/// # Safety
///
/// `exp` valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn frexp(x: c_double, exp: *mut c_int) -> c_double {
    let (m, e) = libm::frexp(x);
    // SAFETY: the caller's contract.
    unsafe { *exp = e };
    m
}

/// [`frexp`] for `float`.
///
/// # Safety
///
/// As [`frexp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn frexpf(x: c_float, exp: *mut c_int) -> c_float {
    let (m, e) = libm::frexpf(x);
    // SAFETY: the caller's contract.
    unsafe { *exp = e };
    m
}

/// `x * 2^n`; `ERANGE` on overflow or underflow.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ldexp(x: c_double, n: c_int) -> c_double {
    scale(x, n)
}

/// `ldexp`'s work (no export calls another by its C name: LLVM knows
/// their meanings and may rewrite such calls).
fn scale(x: f64, n: c_int) -> f64 {
    let r = libm::scalbn(x, n);
    if x != 0.0 {
        report(DOMAIN | UNDER, &[x], r);
    }
    r
}

/// [`ldexp`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ldexpf(x: c_float, n: c_int) -> c_float {
    scale_f(x, n)
}

/// `ldexpf`'s work.
fn scale_f(x: f32, n: c_int) -> f32 {
    let r = libm::scalbnf(x, n);
    if x != 0.0 {
        report_f(DOMAIN | UNDER, &[x], r);
    }
    r
}

/// `x * 2^n`, as [`ldexp`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn scalbn(x: c_double, n: c_int) -> c_double {
    scale(x, n)
}

/// [`scalbn`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn scalbnf(x: c_float, n: c_int) -> c_float {
    scale_f(x, n)
}

/// Splits `x` into its fractional part (returned) and integral part
/// (stored in `*int`), both with `x`'s sign.
///
/// # Safety
///
/// `int` valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn modf(x: c_double, int: *mut c_double) -> c_double {
    let (frac, whole) = libm::modf(x);
    // SAFETY: the caller's contract.
    unsafe { *int = whole };
    frac
}

/// [`modf`] for `float`.
///
/// # Safety
///
/// As [`modf`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn modff(x: c_float, int: *mut c_float) -> c_float {
    let (frac, whole) = libm::modff(x);
    // SAFETY: the caller's contract.
    unsafe { *int = whole };
    frac
}

/// The remainder of `x/y` rounded to nearest, as [`remainder`], with the
/// low bits of the quotient and its sign stored in `*quo`.
///
/// # Safety
///
/// `quo` valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn remquo(x: c_double, y: c_double, quo: *mut c_int) -> c_double {
    let (r, q) = libm::remquo(x, y);
    // SAFETY: the caller's contract.
    unsafe { *quo = q };
    r
}

/// [`remquo`] for `float`.
///
/// # Safety
///
/// As [`remquo`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn remquof(x: c_float, y: c_float, quo: *mut c_int) -> c_float {
    let (r, q) = libm::remquof(x, y);
    // SAFETY: the caller's contract.
    unsafe { *quo = q };
    r
}

/// The natural logarithm of |gamma(`x`)|; the sign of gamma(`x`) goes to
/// `signgam`. `ERANGE` at the poles (0, negative integers).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lgamma(x: c_double) -> c_double {
    let (r, sign) = libm::lgamma_r(x);
    report(DOMAIN, &[x], r);
    // SAFETY: C's `signgam` is a plain global, as in glibc.
    unsafe { signgam = sign };
    r
}

/// [`lgamma`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lgammaf(x: c_float) -> c_float {
    let (r, sign) = libm::lgammaf_r(x);
    report_f(DOMAIN, &[x], r);
    // SAFETY: as above.
    unsafe { signgam = sign };
    r
}

/// [`lgamma`] with the sign stored in `*sign` instead of `signgam`.
///
/// # Safety
///
/// `sign` valid for a write.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn lgamma_r(x: c_double, sign: *mut c_int) -> c_double {
    let (r, s) = libm::lgamma_r(x);
    report(DOMAIN, &[x], r);
    // SAFETY: the caller's contract.
    unsafe { *sign = s };
    r
}

/// [`lgamma_r`] for `float`.
///
/// # Safety
///
/// As [`lgamma_r`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn lgammaf_r(x: c_float, sign: *mut c_int) -> c_float {
    let (r, s) = libm::lgammaf_r(x);
    report_f(DOMAIN, &[x], r);
    // SAFETY: the caller's contract.
    unsafe { *sign = s };
    r
}

/// The exponent of `x` as an integer: `FP_ILOGB0` for 0, `FP_ILOGBNAN`
/// for NaN (both `INT_MIN`, as glibc on x86_64), `INT_MAX` for an
/// infinity (all with `EDOM`).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ilogb(x: c_double) -> c_int {
    if x == 0.0 || !x.is_finite() {
        set_errno(EDOM);
    }
    libm::ilogb(x)
}

/// [`ilogb`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn ilogbf(x: c_float) -> c_int {
    if x == 0.0 || !x.is_finite() {
        set_errno(EDOM);
    }
    libm::ilogbf(x)
}

/// The exponent of `x` as a floating-point number: -inf for 0, +inf for
/// an infinity (glibc reports no error).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn logb(x: c_double) -> c_double {
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if !x.is_finite() {
        return x * x;
    }
    c_double::from(libm::ilogb(x))
}

/// [`logb`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn logbf(x: c_float) -> c_float {
    if x == 0.0 {
        return f32::NEG_INFINITY;
    }
    if !x.is_finite() {
        return x * x;
    }
    libm::ilogbf(x) as c_float
}

/// `x` rounded to an integer: NaN, infinities and values out of range give
/// `LONG_MIN` (as x86_64's conversion does; glibc sets no `errno`).
fn to_long(x: f64) -> c_long {
    // 2^63: the first `double` above `LONG_MAX`.
    let limit = 9_223_372_036_854_775_808.0;
    if x.is_nan() || !(-limit..limit).contains(&x) {
        return c_long::MIN;
    }
    x as c_long
}

/// `x` rounded to nearest even, as a `long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lrint(x: c_double) -> c_long {
    to_long(libm::rint(x))
}

/// [`lrint`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lrintf(x: c_float) -> c_long {
    to_long(libm::rint(f64::from(x)))
}

/// `x` rounded, halves away from zero, as a `long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lround(x: c_double) -> c_long {
    to_long(libm::round(x))
}

/// [`lround`] for `float`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn lroundf(x: c_float) -> c_long {
    to_long(libm::round(f64::from(x)))
}

/// [`lrint`] as a `long long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn llrint(x: c_double) -> c_longlong {
    to_long(libm::rint(x))
}

/// [`lrintf`] as a `long long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn llrintf(x: c_float) -> c_longlong {
    to_long(libm::rint(f64::from(x)))
}

/// [`lround`] as a `long long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn llround(x: c_double) -> c_longlong {
    to_long(libm::round(x))
}

/// [`lroundf`] as a `long long`.
#[cfg_attr(not(test), unsafe(no_mangle))]
pub extern "C" fn llroundf(x: c_float) -> c_longlong {
    to_long(libm::round(f64::from(x)))
}

/// A quiet NaN; `tag` (the `n-char-sequence` of `"nan(...)"`) is ignored,
/// as the payload means nothing to this library.
///
/// # Safety
///
/// `tag` NUL-terminated (it is not read).
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn nan(tag: *const c_char) -> c_double {
    let _ = tag;
    f64::NAN
}

/// [`nan`] for `float`.
///
/// # Safety
///
/// As [`nan`].
#[cfg_attr(not(test), unsafe(no_mangle))]
pub unsafe extern "C" fn nanf(tag: *const c_char) -> c_float {
    let _ = tag;
    f32::NAN
}

#[cfg(test)]
mod tests;
