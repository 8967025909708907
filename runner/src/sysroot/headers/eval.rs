//! Constant expressions: the value of a `pub const`'s initializer, as C's
//! preprocessor will see it (`#define O_CREAT 64`).
//!
//! Integers are computed in `i128` and wrapped to the constant's type at
//! each `as` cast and at the end, so `!0u32`, `1 << 31` and `-1i64 as u64`
//! come out as Rust computes them. Literals in any base and with suffixes,
//! `as` casts, parentheses, unary `-` and `!`, the binary operators,
//! `T::MAX`/`T::MIN`/`T::BITS` of the integer types, and references to
//! other constants (through [`Scope`]) are understood; anything else is
//! an error naming the expression.

use anyhow::{Result, bail};

/// A constant's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i128),
    Float(f64),
    /// A string (`"/tmp"`, `c"/tmp"`): a C string literal.
    Str(Vec<u8>),
    /// `core::ptr::null()` / `null_mut()`: C's `((void *)0)`.
    Null,
}

/// Where a constant's names are looked up.
pub trait Scope {
    /// The value of the constant `path` names (already wrapped to its type).
    fn value_of(&self, path: &syn::Path) -> Result<Value>;
}

/// A scope with no names, for array lengths of literals.
#[cfg(test)]
pub struct NoNames;

#[cfg(test)]
impl Scope for NoNames {
    fn value_of(&self, path: &syn::Path) -> Result<Value> {
        bail!(
            "`{}` is not a constant the generator knows",
            path_text(path)
        )
    }
}

/// `a::b::C`.
#[cfg(test)]
pub fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The width and signedness of an integer type name (Rust's or
/// `core::ffi`'s); `None` for any other name.
pub fn int_type(name: &str) -> Option<(u32, bool)> {
    Some(match name {
        "i8" | "c_schar" | "c_char" => (8, true),
        "u8" | "c_uchar" => (8, false),
        "i16" | "c_short" => (16, true),
        "u16" | "c_ushort" => (16, false),
        "i32" | "c_int" => (32, true),
        "u32" | "c_uint" => (32, false),
        "i64" | "c_long" | "c_longlong" | "isize" | "ssize_t" | "off_t" | "time_t"
        | "ptrdiff_t" => (64, true),
        "u64" | "c_ulong" | "c_ulonglong" | "usize" | "size_t" => (64, false),
        "i128" => (128, true),
        "u128" => (128, false),
        _ => return None,
    })
}

/// `v` wrapped to a `bits`-wide integer.
pub fn wrap(v: i128, bits: u32, signed: bool) -> i128 {
    if bits >= 128 {
        return v;
    }
    let m = v & ((1i128 << bits) - 1);
    if signed && m >= 1i128 << (bits - 1) {
        m - (1i128 << bits)
    } else {
        m
    }
}

/// The last segment's name of a type, if it is a plain path.
pub fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Paren(p) => type_name(&p.elem),
        syn::Type::Group(g) => type_name(&g.elem),
        _ => None,
    }
}

/// The value of `expr`, wrapped to `ty` when it is an integer type.
pub fn eval_typed(expr: &syn::Expr, ty: &syn::Type, scope: &dyn Scope) -> Result<Value> {
    let v = eval(expr, scope)?;
    Ok(convert(v, ty))
}

fn convert(v: Value, ty: &syn::Type) -> Value {
    let name = type_name(ty).unwrap_or_default();
    match (v, int_type(&name)) {
        (Value::Int(i), Some((bits, signed))) => Value::Int(wrap(i, bits, signed)),
        (Value::Float(f), Some((bits, signed))) => Value::Int(wrap(f as i128, bits, signed)),
        (Value::Int(i), None)
            if matches!(name.as_str(), "f32" | "f64" | "c_float" | "c_double") =>
        {
            Value::Float(i as f64)
        }
        (v, _) => v,
    }
}

/// The value of `expr`.
pub fn eval(expr: &syn::Expr, scope: &dyn Scope) -> Result<Value> {
    use syn::{BinOp, Expr, Lit, UnOp};
    Ok(match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => Value::Int(i.base10_parse::<i128>().or_else(|_| {
                i.base10_parse::<u128>()
                    .map(|u| u as i128)
                    .map_err(|e| anyhow::anyhow!("{e}"))
            })?),
            Lit::Float(f) => Value::Float(f.base10_parse::<f64>()?),
            Lit::Byte(b) => Value::Int(b.value().into()),
            Lit::Char(c) => Value::Int(u32::from(c.value()).into()),
            Lit::Bool(b) => Value::Int(b.value.into()),
            Lit::Str(s) => Value::Str(s.value().into_bytes()),
            Lit::CStr(s) => Value::Str(s.value().into_bytes()),
            Lit::ByteStr(s) => Value::Str(s.value()),
            _ => bail!("this literal has no `#define` form"),
        },
        Expr::Paren(p) => eval(&p.expr, scope)?,
        Expr::Group(g) => eval(&g.expr, scope)?,
        Expr::Cast(c) => convert(eval(&c.expr, scope)?, &c.ty),
        Expr::Unary(u) => match (&u.op, eval(&u.expr, scope)?) {
            (UnOp::Neg(_), Value::Int(i)) => Value::Int(-i),
            (UnOp::Neg(_), Value::Float(f)) => Value::Float(-f),
            (UnOp::Not(_), Value::Int(i)) => Value::Int(!i),
            _ => bail!("this unary operator has no constant value"),
        },
        Expr::Binary(b) => {
            let (l, r) = (eval(&b.left, scope)?, eval(&b.right, scope)?);
            match (l, r) {
                (Value::Int(l), Value::Int(r)) => Value::Int(match b.op {
                    BinOp::Add(_) => l.wrapping_add(r),
                    BinOp::Sub(_) => l.wrapping_sub(r),
                    BinOp::Mul(_) => l.wrapping_mul(r),
                    BinOp::Div(_) if r != 0 => l / r,
                    BinOp::Rem(_) if r != 0 => l % r,
                    BinOp::BitOr(_) => l | r,
                    BinOp::BitAnd(_) => l & r,
                    BinOp::BitXor(_) => l ^ r,
                    BinOp::Shl(_) if (0..128).contains(&r) => l << r,
                    BinOp::Shr(_) if (0..128).contains(&r) => l >> r,
                    _ => bail!("an integer operation with no constant value"),
                }),
                (Value::Float(l), Value::Float(r)) => Value::Float(match b.op {
                    BinOp::Add(_) => l + r,
                    BinOp::Sub(_) => l - r,
                    BinOp::Mul(_) => l * r,
                    BinOp::Div(_) => l / r,
                    _ => bail!("a floating-point operation with no constant value"),
                }),
                _ => bail!("an operation mixing integers and floats"),
            }
        }
        Expr::Path(p) if p.qself.is_none() => {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if let [.., ty, assoc] = segs.as_slice()
                && let Some(v) = associated(ty, assoc)
            {
                return Ok(v);
            }
            scope.value_of(&p.path)?
        }
        Expr::Call(c) if c.args.is_empty() => match &*c.func {
            Expr::Path(p)
                if matches!(
                    p.path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .as_deref(),
                    Some("null" | "null_mut")
                ) =>
            {
                Value::Null
            }
            _ => bail!("a function call has no constant value"),
        },
        Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
            syn::Stmt::Expr(e, None) => eval(e, scope)?,
            _ => bail!("a block has no constant value"),
        },
        _ => bail!("the generator cannot evaluate this constant expression"),
    })
}

/// `u32::MAX`, `c_int::MIN`, `f64::INFINITY`, `u8::BITS`.
fn associated(ty: &str, assoc: &str) -> Option<Value> {
    if let Some((bits, signed)) = int_type(ty) {
        let (min, max) = if signed {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else if bits == 128 {
            return None;
        } else {
            (0, (1i128 << bits) - 1)
        };
        return match assoc {
            "MAX" => Some(Value::Int(max)),
            "MIN" => Some(Value::Int(min)),
            "BITS" => Some(Value::Int(bits.into())),
            _ => None,
        };
    }
    let f = match (ty, assoc) {
        ("f64" | "c_double", "MAX") => f64::MAX,
        ("f64" | "c_double", "MIN_POSITIVE") => f64::MIN_POSITIVE,
        ("f64" | "c_double", "EPSILON") => f64::EPSILON,
        ("f64" | "c_double", "INFINITY") => f64::INFINITY,
        ("f64" | "c_double", "NAN") => f64::NAN,
        ("f32" | "c_float", "MAX") => f32::MAX.into(),
        ("f32" | "c_float", "MIN_POSITIVE") => f32::MIN_POSITIVE.into(),
        ("f32" | "c_float", "EPSILON") => f32::EPSILON.into(),
        ("f32" | "c_float", "INFINITY") => f64::INFINITY,
        ("f32" | "c_float", "NAN") => f64::NAN,
        ("consts", name) => match name {
            "PI" => std::f64::consts::PI,
            "E" => std::f64::consts::E,
            "FRAC_PI_2" => std::f64::consts::FRAC_PI_2,
            "FRAC_PI_4" => std::f64::consts::FRAC_PI_4,
            "FRAC_1_PI" => std::f64::consts::FRAC_1_PI,
            "FRAC_2_PI" => std::f64::consts::FRAC_2_PI,
            "FRAC_2_SQRT_PI" => std::f64::consts::FRAC_2_SQRT_PI,
            "SQRT_2" => std::f64::consts::SQRT_2,
            "FRAC_1_SQRT_2" => std::f64::consts::FRAC_1_SQRT_2,
            "LN_2" => std::f64::consts::LN_2,
            "LN_10" => std::f64::consts::LN_10,
            "LOG2_E" => std::f64::consts::LOG2_E,
            "LOG10_E" => std::f64::consts::LOG10_E,
            _ => return None,
        },
        _ => return None,
    };
    Some(Value::Float(f))
}

/// An array type's length.
pub fn array_len(expr: &syn::Expr, scope: &dyn Scope) -> Result<u64> {
    match eval(expr, scope)? {
        Value::Int(n) if n >= 0 => Ok(n as u64),
        _ => bail!("an array length that is not a non-negative integer"),
    }
}

/// The C spelling of `v` as a constant of Rust type `ty` (a name such as
/// `c_int`, `u64`): decimal; negative values in parentheses; `U`, `L`,
/// `UL` when the value does not fit in an `int` (as C would otherwise
/// type it differently); the most negative value as `(-MAX-1)`.
pub fn c_literal(v: Value, ty: &str) -> String {
    match v {
        Value::Null => "((void *)0)".into(),
        Value::Str(bytes) => {
            let mut out = String::from("\"");
            for b in bytes {
                match b {
                    b'"' | b'\\' => {
                        out.push('\\');
                        out.push(b as char);
                    }
                    0x20..=0x7e => out.push(b as char),
                    _ => out.push_str(&format!("\\{b:03o}")),
                }
            }
            out.push('"');
            out
        }
        Value::Float(f) => {
            let single = matches!(ty, "f32" | "c_float");
            let text = if f.is_nan() {
                return if single {
                    "__builtin_nanf(\"\")"
                } else {
                    "__builtin_nan(\"\")"
                }
                .into();
            } else if f.is_infinite() {
                let inf = if single {
                    "__builtin_inff()"
                } else {
                    "__builtin_inf()"
                };
                return if f < 0.0 {
                    format!("(-{inf})")
                } else {
                    inf.into()
                };
            } else {
                let s = format!("{f:?}");
                if s.contains(['.', 'e', 'E']) {
                    s
                } else {
                    format!("{s}.0")
                }
            };
            let text = if single { format!("{text}F") } else { text };
            if f < 0.0 { format!("({text})") } else { text }
        }
        Value::Int(i) => {
            let (bits, signed) = int_type(ty).unwrap_or((32, true));
            let long_long = matches!(ty, "c_longlong" | "c_ulonglong");
            let suffix = if i32::try_from(i).is_ok() {
                ""
            } else if long_long {
                if signed { "LL" } else { "ULL" }
            } else {
                match (bits, signed) {
                    (64, true) => "L",
                    (64, false) => "UL",
                    (_, false) => "U",
                    _ if i64::try_from(i).is_ok() => "L",
                    _ => "UL",
                }
            };
            if i == i128::from(i32::MIN) && suffix.is_empty() {
                "(-2147483647-1)".into()
            } else if i == i128::from(i64::MIN) {
                format!("(-9223372036854775807{suffix}-1)")
            } else if i < 0 {
                format!("({i}{suffix})")
            } else {
                format!("{i}{suffix}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Two;
    impl Scope for Two {
        fn value_of(&self, path: &syn::Path) -> Result<Value> {
            match path_text(path).as_str() {
                "TWO" | "crate::x::TWO" => Ok(Value::Int(2)),
                other => bail!("unknown {other}"),
            }
        }
    }

    fn c(expr: &str, ty: &str) -> String {
        let e: syn::Expr = syn::parse_str(expr).unwrap();
        let t: syn::Type = syn::parse_str(ty).unwrap();
        c_literal(eval_typed(&e, &t, &Two).unwrap(), ty)
    }

    #[test]
    fn evaluates() {
        assert_eq!(c("0o100", "c_int"), "64");
        assert_eq!(c("0x1000_u32", "u32"), "4096");
        assert_eq!(c("-100", "c_int"), "(-100)");
        assert_eq!(c("1 << 31", "c_int"), "(-2147483647-1)");
        assert_eq!(c("1 << 31", "u32"), "2147483648U");
        assert_eq!(c("!0u32", "u32"), "4294967295U");
        assert_eq!(c("(1 << 30) - 1", "i64"), "1073741823");
        assert_eq!(c("TWO | 0x10", "c_int"), "18");
        assert_eq!(c("crate::x::TWO << TWO", "c_int"), "8");
        assert_eq!(c("-1i64 as u64", "u64"), "18446744073709551615UL");
        assert_eq!(c("u64::MAX", "u64"), "18446744073709551615UL");
        assert_eq!(c("i64::MIN", "i64"), "(-9223372036854775807L-1)");
        assert_eq!(c("c_int::MAX", "c_int"), "2147483647");
        assert_eq!(
            c("0x8000_0000_0000 as c_long", "c_long"),
            "140737488355328L"
        );
        assert_eq!(c("b'a'", "c_int"), "97");
        assert_eq!(c("300 as u8 as c_int", "c_int"), "44");
        assert_eq!(c("(TWO * 3 + 1) % 4", "c_int"), "3");
        assert_eq!(c("0.5", "f64"), "0.5");
        assert_eq!(c("2.0", "f32"), "2.0F");
        assert_eq!(c("-1.5e300", "f64"), "(-1.5e300)");
        assert_eq!(c("f64::INFINITY", "f64"), "__builtin_inf()");
        assert_eq!(c("core::f64::consts::PI", "f64"), "3.141592653589793");
        assert_eq!(c("core::ptr::null_mut()", "*mut c_void"), "((void *)0)");
        assert_eq!(c("c\"/tmp\"", "&CStr"), "\"/tmp\"");
        assert_eq!(c("\"a\\\"b\\n\"", "&str"), "\"a\\\"b\\012\"");
    }

    #[test]
    fn refuses() {
        for bad in ["UNKNOWN", "f(1)", "1 / 0", "1 << 200", "1.5 | 2"] {
            let e: syn::Expr = syn::parse_str(bad).unwrap();
            assert!(eval(&e, &Two).is_err(), "{bad}");
        }
    }
}
