//! (internal) `long double` (x87 80-bit extended) for printf's `%Lf %Le
//! %Lg %La` and scanf's `%Lf`: reading one from a `va_list`, printing its
//! exact decimal value correctly rounded (ties to even), and parsing
//! decimal and hexadecimal text into one correctly rounded. Rust has no
//! 80-bit type: a value is its 64-bit significand and its 16-bit sign and
//! exponent, as the x87 stores them; the arithmetic is done on big
//! integers.

extern crate alloc;

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::ffi::VaList;

/// An x87 extended value: significand (explicit integer bit) and the
/// sign-and-exponent word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct F80 {
    pub(crate) mant: u64,
    pub(crate) se: u16,
}

/// The exponent bias.
const BIAS: i32 = 16383;
/// The exponent of a denormal's least significant bit.
const MIN_LSB: i64 = 1 - BIAS as i64 - 63;

impl F80 {
    pub(crate) fn negative(self) -> bool {
        self.se & 0x8000 != 0
    }
    fn biased(self) -> i32 {
        (self.se & 0x7fff) as i32
    }
    pub(crate) fn is_nan(self) -> bool {
        self.biased() == 0x7fff && self.mant << 1 != 0
    }
    pub(crate) fn is_inf(self) -> bool {
        self.biased() == 0x7fff && self.mant << 1 == 0
    }
    /// `(m, e)` with the absolute value `m * 2^e` (finite values).
    fn parts(self) -> (u64, i32) {
        let b = self.biased();
        (self.mant, if b == 0 { 1 } else { b } - BIAS - 63)
    }
    pub(crate) const INFINITY: F80 = F80 {
        mant: 1 << 63,
        se: 0x7fff,
    };
    pub(crate) const NAN: F80 = F80 {
        mant: 0xc000_0000_0000_0000,
        se: 0x7fff,
    };
    pub(crate) fn negate(self) -> F80 {
        F80 {
            mant: self.mant,
            se: self.se ^ 0x8000,
        }
    }
}

/// The x86_64 `va_list` as the ABI lays it out (`VaList` is that
/// structure, `repr(transparent)`).
#[repr(C)]
struct RawVaList {
    gp_offset: u32,
    fp_offset: u32,
    overflow_arg_area: *mut u8,
    reg_save_area: *mut u8,
}

/// Reads a `long double` argument: the x86_64 ABI always passes one in
/// memory, 16-byte aligned in the overflow area. `None` where this
/// cannot be done (Miri's `va_list` is not the ABI's).
///
/// # Safety
///
/// The next argument of `ap` is a `long double`.
pub(crate) unsafe fn next_arg(ap: &mut VaList<'_>) -> Option<F80> {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        let raw = (ap as *mut VaList<'_>).cast::<RawVaList>();
        // SAFETY: on x86_64 `VaList` is the ABI's `va_list` structure;
        // the caller says a long double is next, which the ABI placed at
        // the 16-aligned overflow pointer.
        unsafe {
            let at = (*raw).overflow_arg_area;
            let at = at.wrapping_add(at.addr().wrapping_neg() & 15);
            let mant = at.cast::<u64>().read_unaligned();
            let se = at.add(8).cast::<u16>().read_unaligned();
            (*raw).overflow_arg_area = at.add(16);
            Some(F80 { mant, se })
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    {
        let _ = (ap, RawVaList::fields);
        None
    }
}

#[cfg(not(all(target_arch = "x86_64", not(miri))))]
impl RawVaList {
    fn fields(&self) -> usize {
        self.gp_offset as usize + self.fp_offset as usize + self.overflow_arg_area.addr()
            - self.reg_save_area.addr()
    }
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(Clone, Debug)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }
    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u64 - 1) * 32 + (32 - top.leading_zeros() as u64),
        }
    }
    fn bit(&self, i: u64) -> bool {
        let (w, b) = ((i / 32) as usize, i % 32);
        self.0.get(w).is_some_and(|x| x >> b & 1 == 1)
    }
    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in self.0.iter_mut() {
            let v = *limb as u64 * m as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }
    fn add_small(&mut self, a: u32) {
        let mut carry = a as u64;
        for limb in self.0.iter_mut() {
            if carry == 0 {
                return;
            }
            let v = *limb as u64 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }
    /// Divides by `d` in place; returns the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let v = (rem << 32) | *limb as u64;
            *limb = (v / d as u64) as u32;
            rem = v % d as u64;
        }
        self.trim();
        rem as u32
    }
    fn shl(&self, s: u64) -> Big {
        let (w, b) = ((s / 32) as usize, (s % 32) as u32);
        let mut out = vec![0u32; w];
        let mut carry = 0u32;
        for &limb in &self.0 {
            if b == 0 {
                out.push(limb);
            } else {
                out.push((limb << b) | carry);
                carry = limb >> (32 - b);
            }
        }
        if carry != 0 {
            out.push(carry);
        }
        let mut r = Big(out);
        r.trim();
        r
    }
    /// The bits at `k` and above (the value must fit in 32 bits there).
    fn high_from(&self, k: u64) -> u32 {
        let mut v = 0u32;
        for i in 0..32 {
            if self.bit(k + i) {
                v |= 1 << i;
            }
        }
        v
    }
    /// Clears the bits at `k` and above.
    fn keep_low(&mut self, k: u64) {
        let (w, b) = ((k / 32) as usize, k % 32);
        if w < self.0.len() {
            self.0.truncate(w + 1);
            self.0[w] &= ((1u64 << b) - 1) as u32;
        }
        self.trim();
    }
    fn cmp(&self, o: &Big) -> core::cmp::Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
    fn sub(&mut self, o: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = self.0[i] as i64 - *o.0.get(i).unwrap_or(&0) as i64 - borrow;
            self.0[i] = v as u32;
            borrow = (v < 0) as i64;
        }
        self.trim();
    }
    fn pow10(k: u32) -> Big {
        let mut b = Big::from_u64(1);
        let mut k = k;
        while k >= 9 {
            b.mul_small(1_000_000_000);
            k -= 9;
        }
        for _ in 0..k {
            b.mul_small(10);
        }
        b
    }
}

/// The decimal digits of `m * 2^e` in order: the integer part's, then
/// the fraction's, generated one at a time.
struct Digits {
    int: Vec<u8>,
    pos: usize,
    frac: Big,
    k: u64,
}

impl Digits {
    fn new(m: u64, e: i32) -> Digits {
        let (int_big, frac, k) = if e >= 0 {
            (Big::from_u64(m).shl(e as u64), Big(Vec::new()), 0)
        } else {
            let k = (-e) as u64;
            let int = if k >= 64 { 0 } else { m >> k };
            let mut frac = Big::from_u64(m);
            frac.keep_low(k);
            (Big::from_u64(int), frac, k)
        };
        let mut int = Vec::new();
        let mut n = int_big;
        while !n.is_zero() {
            let mut chunk = n.div_small(1_000_000_000);
            for _ in 0..9 {
                int.push((chunk % 10) as u8);
                chunk /= 10;
            }
        }
        while int.len() > 1 && int.last() == Some(&0) {
            int.pop();
        }
        if int.is_empty() {
            int.push(0);
        }
        int.reverse();
        Digits {
            int,
            pos: 0,
            frac,
            k,
        }
    }
    fn next(&mut self) -> u8 {
        if self.pos < self.int.len() {
            self.pos += 1;
            return self.int[self.pos - 1];
        }
        if self.frac.is_zero() {
            return 0;
        }
        self.frac.mul_small(10);
        let d = self.frac.high_from(self.k);
        self.frac.keep_low(self.k);
        d as u8
    }
    fn rest_nonzero(&self) -> bool {
        self.int[self.pos..].iter().any(|&d| d != 0) || !self.frac.is_zero()
    }
}

/// Rounds `digits` (decimal values) given the next digit and whether
/// anything after it is non-zero, to nearest, ties to even; `true` if
/// the carry grew it by one digit (a leading 1).
fn round(digits: &mut Vec<u8>, next: u8, sticky: bool) -> bool {
    let last_odd = digits.last().is_some_and(|d| d % 2 == 1);
    if next > 5 || next == 5 && (sticky || last_odd) {
        for d in digits.iter_mut().rev() {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                return false;
            }
        }
        digits.insert(0, 1);
        return true;
    }
    false
}

fn push_digits(s: &mut String, digits: &[u8]) {
    for &d in digits {
        s.push((b'0' + d) as char);
    }
}

/// `%Lf` of the finite, non-negative `x`.
pub(crate) fn fixed(s: &mut String, x: F80, prec: usize, alt: bool) {
    let (m, e) = x.parts();
    let mut g = Digits::new(m, e);
    let n_int = g.int.len();
    let mut digits: Vec<u8> = (0..n_int + prec).map(|_| g.next()).collect();
    let next = g.next();
    let sticky = g.rest_nonzero();
    let grew = round(&mut digits, next, sticky);
    let int_len = n_int + grew as usize;
    push_digits(s, &digits[..int_len]);
    if prec > 0 || alt {
        s.push('.');
    }
    push_digits(s, &digits[int_len..]);
}

/// `%Le`'s digits of the finite, non-negative `x`: `prec + 1`
/// significant digits and the decimal exponent.
fn sci_digits(x: F80, prec: usize) -> (Vec<u8>, i32) {
    let (m, e) = x.parts();
    if m == 0 {
        return (vec![0; prec + 1], 0);
    }
    let mut g = Digits::new(m, e);
    let mut exp = g.int.len() as i32 - 1;
    let mut first = g.next();
    while first == 0 {
        exp -= 1;
        first = g.next();
    }
    let mut digits = vec![first];
    for _ in 0..prec {
        digits.push(g.next());
    }
    let next = g.next();
    let sticky = g.rest_nonzero();
    if round(&mut digits, next, sticky) {
        digits.pop();
        exp += 1;
    }
    (digits, exp)
}

/// `%Le` of the finite, non-negative `x`.
pub(crate) fn scientific(s: &mut String, x: F80, prec: usize, alt: bool, upper: bool) {
    let (digits, exp) = sci_digits(x, prec);
    push_digits(s, &digits[..1]);
    if prec > 0 || alt {
        s.push('.');
    }
    push_digits(s, &digits[1..]);
    super::format::push_exp(s, exp, upper);
}

/// `%Lg` of the finite, non-negative `x`.
pub(crate) fn general(s: &mut String, x: F80, prec: usize, alt: bool, upper: bool) {
    let p = prec.max(1);
    let x_exp = if x.parts().0 == 0 {
        0
    } else {
        sci_digits(x, p - 1).1 as i64
    };
    if (p as i64) > x_exp && x_exp >= -4 {
        fixed(s, x, (p as i64 - 1 - x_exp) as usize, alt);
        if !alt {
            super::format::trim_fraction(s);
        }
    } else {
        scientific(s, x, p - 1, alt, upper);
        if !alt {
            let at = s.find(['e', 'E']).unwrap_or(s.len());
            let tail = s.split_off(at);
            super::format::trim_fraction(s);
            s.push_str(&tail);
        }
    }
}

/// `%La` of the finite, non-negative `x` without its `0x`: glibc's form
/// for the x87 type, the significand's top four bits as the leading
/// digit (`1.0L` is `8p-3`).
pub(crate) fn hex(s: &mut String, x: F80, prec: Option<usize>, alt: bool, upper: bool) {
    let digits_of: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let (m, _) = x.parts();
    let b = x.biased();
    let mut exp = if m == 0 {
        0
    } else {
        (if b == 0 { 1 } else { b }) - BIAS - 3
    };
    let mut lead = m >> 60;
    let mut frac = m << 4; // 60 bits of fraction, at the top
    let n = match prec {
        Some(p) if p < 15 => {
            let drop = 64 - 4 * p as u32;
            let keep = if p == 0 { 0 } else { frac >> drop };
            let rest = if p == 0 { frac } else { frac << (64 - drop) };
            let half = 1u64 << 63;
            let odd = if p == 0 { lead & 1 == 1 } else { keep & 1 == 1 };
            let mut keep = keep;
            if rest > half || rest == half && odd {
                if p == 0 {
                    lead += 1;
                } else {
                    keep += 1;
                    if keep >> (4 * p) != 0 {
                        keep = 0;
                        lead += 1;
                    }
                }
            }
            if lead == 16 {
                // The carry leaves the leading digit: glibc renormalizes.
                lead = 1;
                exp += 4;
            }
            frac = if p == 0 { 0 } else { keep << drop };
            p
        }
        Some(p) => p,
        None => {
            if frac == 0 {
                0
            } else {
                // (The lowest four bits of `frac` are padding.)
                16 - frac.trailing_zeros() as usize / 4
            }
        }
    };
    s.push(digits_of[lead as usize] as char);
    if n > 0 || alt {
        s.push('.');
    }
    for i in 0..n.min(15) {
        s.push(digits_of[(frac >> (60 - 4 * i)) as usize & 15] as char);
    }
    for _ in 15..n.max(15) {
        s.push('0');
    }
    s.push(if upper { 'P' } else { 'p' });
    s.push(if exp < 0 { '-' } else { '+' });
    let mut t = String::new();
    let _ = core::fmt::Write::write_fmt(&mut t, format_args!("{}", exp.unsigned_abs()));
    s.push_str(&t);
}

/// `q * 2^-s` (with `sticky`: something non-zero below `q`'s last bit)
/// rounded to the nearest `long double`, ties to even.
fn pack(q: u128, s: i64, sticky: bool) -> F80 {
    if q == 0 {
        return F80 { mant: 0, se: 0 };
    }
    let bits = 128 - q.leading_zeros() as i64;
    let top = bits - 1 - s; // the exponent of the leading bit
    let lsb = (top - 63).max(MIN_LSB);
    let drop = lsb + s; // low bits of q to drop
    let (mut m, up) = if drop <= 0 {
        (q << (-drop) as u32, false)
    } else if drop >= 128 {
        (0, false)
    } else {
        let kept = q >> drop;
        let half = 1u128 << (drop - 1);
        let rest = q & ((1u128 << drop) - 1);
        let up = rest > half || rest == half && (sticky || kept & 1 == 1);
        (kept, up)
    };
    let mut lsb = lsb;
    if up {
        m += 1;
        if m >> 64 != 0 {
            m >>= 1;
            lsb += 1;
        }
    }
    let m = m as u64;
    if m >> 63 == 1 {
        let biased = lsb + 63 + BIAS as i64;
        if biased >= 0x7fff {
            return F80::INFINITY;
        }
        F80 {
            mant: m,
            se: biased as u16,
        }
    } else {
        F80 { mant: m, se: 0 }
    }
}

/// The decimal text `digits` (no sign; digits, an optional point, an
/// optional `e±d`) as the nearest `long double`.
pub(crate) fn parse_decimal(text: &[u8]) -> F80 {
    let (mant, exp) = match text.iter().position(|&c| c == b'e' || c == b'E') {
        Some(k) => (&text[..k], &text[k + 1..]),
        None => (text, &[][..]),
    };
    let mut d = Big(Vec::new());
    let mut k: i64 = 0;
    let mut point = false;
    let mut count: i64 = 0;
    let mut sticky_digit = false;
    for &c in mant {
        if c == b'.' {
            point = true;
            continue;
        }
        let v = (c - b'0') as u32;
        if count == 0 && v == 0 {
            if point {
                k -= 1;
            }
            continue;
        }
        if count < 800 {
            d.mul_small(10);
            d.add_small(v);
            count += 1;
            if point {
                k -= 1;
            }
        } else {
            sticky_digit |= v != 0;
            if !point {
                k += 1;
            }
        }
    }
    if sticky_digit {
        // Digits beyond the 800th only matter as "something more".
        d.mul_small(10);
        d.add_small(1);
        k -= 1;
    }
    let mut e: i64 = 0;
    let mut neg = false;
    for (i, &c) in exp.iter().enumerate() {
        match c {
            b'-' if i == 0 => neg = true,
            b'+' if i == 0 => {}
            _ => e = (e * 10 + (c - b'0') as i64).min(1 << 30),
        }
    }
    k += if neg { -e } else { e };
    if d.is_zero() {
        return F80 { mant: 0, se: 0 };
    }
    // The value is below 10^(k + digits): judge the range by that, not by
    // `k` alone (many digits after the point make `k` very negative).
    let digits = count + i64::from(sticky_digit);
    if k > 5000 {
        return F80::INFINITY;
    }
    if k + digits < -4960 {
        // Below a tenth of the least subnormal (about 3.6e-4951).
        return F80 { mant: 0, se: 0 };
    }
    // value = n / b
    let (n, b) = if k >= 0 {
        let mut n = d;
        let p = Big::pow10(k as u32);
        n = mul(&n, &p);
        (n, Big::from_u64(1))
    } else {
        (d, Big::pow10((-k) as u32))
    };
    // Scale so that the quotient has 66 to 68 bits: q = n * 2^s / b.
    let s = 67 - (n.bits() as i64 - b.bits() as i64);
    let (mut a, b) = if s >= 0 {
        (n.shl(s as u64), b)
    } else {
        (n, b.shl((-s) as u64))
    };
    let mut q: u128 = 0;
    for i in (0..=70u64).rev() {
        let c = b.shl(i);
        if a.cmp(&c) != core::cmp::Ordering::Less {
            a.sub(&c);
            q |= 1u128 << i;
        }
    }
    pack(q, s, !a.is_zero())
}

/// Hexadecimal text (digits, an optional point, an optional `p±d`;
/// without the `0x`) as the nearest `long double`.
pub(crate) fn parse_hex(text: &[u8]) -> F80 {
    let (mant, exp) = match text.iter().position(|&c| c == b'p' || c == b'P') {
        Some(k) => (&text[..k], &text[k + 1..]),
        None => (text, &[][..]),
    };
    let mut q: u128 = 0;
    let mut s: i64 = 0;
    let mut sticky = false;
    let mut point = false;
    for &c in mant {
        if c == b'.' {
            point = true;
            continue;
        }
        let v = (c as char).to_digit(16).unwrap_or(0) as u128;
        if q >> 120 == 0 {
            q = (q << 4) | v;
            if point {
                s += 4;
            }
        } else {
            sticky |= v != 0;
            if !point {
                s -= 4;
            }
        }
    }
    let mut e: i64 = 0;
    let mut neg = false;
    for (i, &c) in exp.iter().enumerate() {
        match c {
            b'-' if i == 0 => neg = true,
            b'+' if i == 0 => {}
            _ => e = (e * 10 + (c - b'0') as i64).min(1 << 30),
        }
    }
    s -= if neg { -e } else { e };
    if q == 0 {
        return F80 { mant: 0, se: 0 };
    }
    let bits = 128 - q.leading_zeros() as i64;
    if bits - 1 - s > 16384 {
        return F80::INFINITY;
    }
    if bits - 1 - s < MIN_LSB - 2 {
        return F80 { mant: 0, se: 0 };
    }
    pack(q, s, sticky)
}

/// The product of two big integers.
fn mul(a: &Big, b: &Big) -> Big {
    let mut out = vec![0u32; a.0.len() + b.0.len() + 1];
    for (i, &x) in a.0.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.0.iter().enumerate() {
            let v = out[i + j] as u64 + x as u64 * y as u64 + carry;
            out[i + j] = v as u32;
            carry = v >> 32;
        }
        let mut at = i + b.0.len();
        while carry != 0 {
            let v = out[at] as u64 + carry;
            out[at] = v as u32;
            carry = v >> 32;
            at += 1;
        }
    }
    let mut r = Big(out);
    r.trim();
    r
}

/// A double as an x87 value (exact).
#[cfg(test)]
pub(crate) fn from_f64(x: f64) -> F80 {
    let bits = x.to_bits();
    let sign = ((bits >> 63) as u16) << 15;
    let b = ((bits >> 52) & 0x7ff) as i32;
    let f = bits & ((1 << 52) - 1);
    if b == 0x7ff {
        return F80 {
            mant: (1 << 63) | (f << 11),
            se: sign | 0x7fff,
        };
    }
    if b == 0 {
        if f == 0 {
            return F80 { mant: 0, se: sign };
        }
        // A subnormal double is a normal long double.
        let lz = f.leading_zeros() as i32; // >= 12
        let mant = f << lz;
        let exp = -1074 + (63 - lz);
        return F80 {
            mant,
            se: sign | (exp + BIAS) as u16,
        };
    }
    F80 {
        mant: (1 << 63) | (f << 11),
        se: sign | (b - 1023 + BIAS) as u16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stdio::printf::tests::{Rng, random_double};
    use std::format;

    /// A `long double` that is a double prints exactly as the double does
    /// (whose printing matches glibc's, tested in `printf`).
    #[test]
    fn doubles_print_the_same_as_long_doubles() {
        let mut r = Rng::new(7);
        let n = if cfg!(miri) { 20 } else { 20_000 };
        for _ in 0..n {
            let x = random_double(&mut r).abs();
            if !x.is_finite() {
                continue;
            }
            let l = from_f64(x);
            let prec = r.below(30) as usize;
            let alt = r.below(4) == 0;
            let (mut a, mut b) = (String::new(), String::new());
            match r.below(3) {
                0 => {
                    fixed(&mut a, l, prec, alt);
                    let _ = core::fmt::Write::write_fmt(&mut b, format_args!("{x:.prec$}"));
                    if prec == 0 && alt {
                        b.push('.');
                    }
                }
                1 => {
                    scientific(&mut a, l, prec, alt, false);
                    let mut c = [0u8; 600];
                    let cf =
                        std::ffi::CString::new(format!("%{}.{prec}e", if alt { "#" } else { "" }))
                            .unwrap();
                    // SAFETY: the format names one double.
                    let k = unsafe {
                        crate::stdio::printf::snprintf(c.as_mut_ptr().cast(), 600, cf.as_ptr(), x)
                    };
                    b = String::from_utf8_lossy(&c[..k as usize]).into_owned();
                }
                _ => {
                    general(&mut a, l, prec, alt, true);
                    let mut c = [0u8; 600];
                    let cf =
                        std::ffi::CString::new(format!("%{}.{prec}G", if alt { "#" } else { "" }))
                            .unwrap();
                    // SAFETY: the format names one double.
                    let k = unsafe {
                        crate::stdio::printf::snprintf(c.as_mut_ptr().cast(), 600, cf.as_ptr(), x)
                    };
                    b = String::from_utf8_lossy(&c[..k as usize]).into_owned();
                }
            }
            assert_eq!(a, b, "{x:e} prec {prec} alt {alt}");
        }
    }

    /// 21 significant digits identify a `long double`: printing them and
    /// parsing them back gives the same bits, for random values over the
    /// whole range (denormals included); hexadecimal likewise.
    #[test]
    #[cfg_attr(miri, ignore = "big-number loops: too slow under Miri")]
    fn decimal_and_hex_round_trip() {
        let mut r = Rng::new(8);
        let n = if cfg!(miri) { 3 } else { 400 };
        for _ in 0..n {
            let se = (r.below(0x7fff) as u16) & 0x7fff;
            let mant = if se == 0 {
                r.next() >> 1
            } else {
                r.next() | 1 << 63
            };
            let x = F80 { mant, se };
            let mut s = String::new();
            scientific(&mut s, x, 20, false, false);
            let back = parse_decimal(s.as_bytes());
            assert_eq!(back, x, "{s}");
            let mut h = String::new();
            hex(&mut h, x, None, false, false);
            let back = parse_hex(h.as_bytes());
            assert_eq!(back, x, "{h}");
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "big-number loops: too slow under Miri")]
    fn known_values() {
        let third = parse_decimal(b"0.333333333333333333333333333333");
        assert_eq!(
            third,
            F80 {
                mant: 0xaaaa_aaaa_aaaa_aaab,
                se: 16381
            }
        );
        let mut s = String::new();
        fixed(&mut s, third, 25, false);
        assert_eq!(s, "0.3333333333333333333423684");
        let max = F80 {
            mant: u64::MAX,
            se: 0x7ffe,
        };
        let mut s = String::new();
        scientific(&mut s, max, 20, false, false);
        assert_eq!(s, "1.18973149535723176502e+4932");
        let mut s = String::new();
        hex(&mut s, from_f64(1.0), None, false, false);
        assert_eq!(s, "8p-3");
        assert_eq!(parse_decimal(b"1e5000"), F80::INFINITY);
        assert_eq!(parse_decimal(b"1e-5000"), F80 { mant: 0, se: 0 });
        // The smallest denormal, and half of it (a tie, to even: zero).
        assert_eq!(parse_hex(b"1p-16445"), F80 { mant: 1, se: 0 });
        assert_eq!(parse_hex(b"1p-16446"), F80 { mant: 0, se: 0 });
        assert_eq!(parse_hex(b"1.8p-16446"), F80 { mant: 1, se: 0 });
    }
}
