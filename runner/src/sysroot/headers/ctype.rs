//! C types: how a Rust type of an export's signature, a struct field or a
//! `pub type` is spelled in C, and C declarators (`char *const *argv`,
//! `void (*f)(int)`, `long a[3]`).

use anyhow::{Result, bail};

use super::eval::Scope;

/// A C type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CType {
    /// A builtin type (`int`, `unsigned long`, `void`) or a name the library
    /// declares (`size_t`, `FILE`, `stat`); a struct or union's name gets
    /// its `struct`/`union` keyword when rendered (see [`Tags`]).
    Named(String),
    /// `const T`.
    Const(Box<CType>),
    /// `T *`.
    Ptr(Box<CType>),
    /// `T [n]`.
    Array(Box<CType>, u64),
    /// A function type (behind a pointer: a function pointer).
    Fn {
        ret: Box<CType>,
        params: Vec<CType>,
        variadic: bool,
    },
}

/// How a library name is spelled: the names of structs and unions that
/// are not typedefs get their keyword (`struct stat`); the others (`FILE`,
/// `pthread_mutex_t`) are typedef names.
pub trait Tags {
    /// `Some("struct")` / `Some("union")` for an aggregate named by its tag.
    fn keyword(&self, name: &str) -> Option<&'static str>;
}

impl Tags for () {
    fn keyword(&self, _: &str) -> Option<&'static str> {
        None
    }
}

/// The C spelling of a Rust scalar or `core::ffi` type name.
pub fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "c_char" => "char",
        "c_schar" | "i8" => "signed char",
        "c_uchar" | "u8" => "unsigned char",
        "c_short" | "i16" => "short",
        "c_ushort" | "u16" => "unsigned short",
        "c_int" | "i32" => "int",
        "c_uint" | "u32" => "unsigned int",
        "c_long" | "i64" | "isize" => "long",
        "c_ulong" | "u64" | "usize" => "unsigned long",
        "c_longlong" => "long long",
        "c_ulonglong" => "unsigned long long",
        "i128" => "__int128",
        "u128" => "unsigned __int128",
        "c_float" | "f32" => "float",
        "c_double" | "f64" => "double",
        "c_void" => "void",
        "bool" => "_Bool",
        // `core::ffi::VaList`: what `va_list` is a typedef of.
        "VaList" | "VaListImpl" => "__builtin_va_list",
        _ => return None,
    })
}

/// Maps a Rust type to C. `rename` gives a Rust name's C name (an ABI
/// struct re-exported under its C name: `Stat` → `stat`).
pub fn from_rust(
    ty: &syn::Type,
    rename: &dyn Fn(&str) -> String,
    scope: &dyn Scope,
) -> Result<CType> {
    Ok(match ty {
        syn::Type::Paren(p) => from_rust(&p.elem, rename, scope)?,
        syn::Type::Group(g) => from_rust(&g.elem, rename, scope)?,
        syn::Type::Tuple(t) if t.elems.is_empty() => CType::Named("void".into()),
        syn::Type::Never(_) => CType::Named("void".into()),
        syn::Type::Ptr(p) => {
            let to = from_rust(&p.elem, rename, scope)?;
            CType::Ptr(Box::new(if p.const_token.is_some() {
                CType::Const(Box::new(to))
            } else {
                to
            }))
        }
        syn::Type::Reference(r) => {
            let to = from_rust(&r.elem, rename, scope)?;
            CType::Ptr(Box::new(if r.mutability.is_none() {
                CType::Const(Box::new(to))
            } else {
                to
            }))
        }
        syn::Type::Array(a) => {
            let n = super::eval::array_len(&a.len, scope)?;
            CType::Array(Box::new(from_rust(&a.elem, rename, scope)?), n)
        }
        syn::Type::BareFn(f) => {
            if f.abi
                .as_ref()
                .and_then(|a| a.name.as_ref())
                .map(|n| n.value())
                != Some("C".into())
            {
                bail!("a function pointer without `extern \"C\"` cannot be called from C");
            }
            let params = f
                .inputs
                .iter()
                .map(|a| from_rust(&a.ty, rename, scope))
                .collect::<Result<Vec<_>>>()?;
            let ret = match &f.output {
                syn::ReturnType::Default => CType::Named("void".into()),
                syn::ReturnType::Type(_, t) => from_rust(t, rename, scope)?,
            };
            CType::Ptr(Box::new(CType::Fn {
                ret: Box::new(ret),
                params,
                variadic: f.variadic.is_some(),
            }))
        }
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                bail!("an empty type path");
            };
            let name = last.ident.to_string();
            if name == "Option" {
                // `Option<extern "C" fn(..)>`: a nullable function pointer.
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments
                    && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
                {
                    let alias = match inner {
                        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    };
                    let inner = from_rust(inner, rename, scope)?;
                    if matches!(&inner, CType::Ptr(f) if matches!(**f, CType::Fn { .. })) {
                        return Ok(inner);
                    }
                    // `Option<start_routine>`: a library's own type alias;
                    // rustc's `improper_ctypes` check has already made
                    // sure it is a function pointer (the only `Option` a
                    // C signature can hold besides references).
                    if matches!(&inner, CType::Named(_))
                        && alias.is_some_and(|a| builtin(&a).is_none())
                    {
                        return Ok(inner);
                    }
                }
                bail!(
                    "`Option` is only C for a function pointer (`Option<unsafe extern \"C\" fn(..)>`)"
                );
            }
            match builtin(&name) {
                Some(c) => CType::Named(c.into()),
                None if matches!(name.as_str(), "str" | "char" | "String") => {
                    bail!("`{name}` is Rust's, not C's: use `c_char` and pointers")
                }
                None if last.arguments.is_empty() => CType::Named(rename(&name)),
                None => bail!(
                    "`{}` is a generic type: C has no spelling for it",
                    quote(ty)
                ),
            }
        }
        other => bail!("`{}` has no C spelling", quote(other)),
    })
}

fn quote(ty: &syn::Type) -> String {
    use quote_free::ToText;
    ty.to_text()
}

/// A tiny stand-in for `quote`: enough to name a type in a message.
mod quote_free {
    pub trait ToText {
        fn to_text(&self) -> String;
    }
    impl ToText for syn::Type {
        fn to_text(&self) -> String {
            match self {
                syn::Type::Path(p) => p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect::<Vec<_>>()
                    .join("::"),
                syn::Type::Ptr(p) => format!(
                    "*{} {}",
                    if p.const_token.is_some() {
                        "const"
                    } else {
                        "mut"
                    },
                    p.elem.to_text()
                ),
                syn::Type::Reference(r) => format!("&{}", r.elem.to_text()),
                syn::Type::Slice(s) => format!("[{}]", s.elem.to_text()),
                syn::Type::Array(a) => format!("[{}; _]", a.elem.to_text()),
                syn::Type::TraitObject(_) => "dyn _".into(),
                syn::Type::ImplTrait(_) => "impl _".into(),
                _ => "_".into(),
            }
        }
    }
}

impl CType {
    /// Every library name the type mentions, and whether by value (not
    /// behind a pointer): a struct used by value must be complete first.
    pub fn names(&self, out: &mut Vec<(String, bool)>) {
        fn walk(t: &CType, by_value: bool, out: &mut Vec<(String, bool)>) {
            match t {
                CType::Named(n) => out.push((n.clone(), by_value)),
                CType::Const(t) => walk(t, by_value, out),
                CType::Ptr(t) => walk(t, false, out),
                CType::Array(t, _) => walk(t, by_value, out),
                CType::Fn { ret, params, .. } => {
                    walk(ret, false, out);
                    for p in params {
                        walk(p, false, out);
                    }
                }
            }
        }
        walk(self, true, out);
    }
}

/// The declaration of `name` (which may be empty: an abstract declarator,
/// as in a prototype's parameter list) with type `ty`.
pub fn declare(ty: &CType, name: &str, tags: &dyn Tags) -> String {
    fn go(ty: &CType, inner: String, tags: &dyn Tags) -> String {
        match ty {
            CType::Named(n) => spelled(n, None, &inner, tags),
            CType::Const(t) => match &**t {
                CType::Named(n) => spelled(n, Some("const"), &inner, tags),
                CType::Ptr(to) => pointer(to, format!("*const{}", space_before(&inner)), tags),
                // `const` on an array or function: on its elements / nothing.
                other => go(other, inner, tags),
            },
            CType::Ptr(to) => pointer(to, format!("*{inner}"), tags),
            CType::Array(t, n) => go(t, format!("{inner}[{n}]"), tags),
            CType::Fn {
                ret,
                params,
                variadic,
            } => go(
                ret,
                format!("{inner}({})", param_list(params, *variadic, tags)),
                tags,
            ),
        }
    }
    fn pointer(to: &CType, inner: String, tags: &dyn Tags) -> String {
        match to {
            CType::Array(..) | CType::Fn { .. } => go(to, format!("({inner})"), tags),
            other => go(other, inner, tags),
        }
    }
    fn space_before(s: &str) -> String {
        if s.is_empty() {
            String::new()
        } else {
            format!(" {s}")
        }
    }
    fn spelled(n: &str, qual: Option<&str>, inner: &str, tags: &dyn Tags) -> String {
        let mut base = String::new();
        if let Some(q) = qual {
            base.push_str(q);
            base.push(' ');
        }
        if let Some(kw) = tags.keyword(n) {
            base.push_str(kw);
            base.push(' ');
        }
        base.push_str(n);
        if inner.is_empty() {
            base
        } else {
            format!("{base} {inner}")
        }
    }
    go(ty, name.to_owned(), tags)
}

/// `(int, const char *, ...)`, or `(void)`.
pub fn param_list(params: &[CType], variadic: bool, tags: &dyn Tags) -> String {
    if params.is_empty() && !variadic {
        return "void".into();
    }
    let mut parts: Vec<String> = params.iter().map(|p| declare(p, "", tags)).collect();
    if variadic {
        parts.push("...".into());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sysroot::headers::eval::NoNames;

    fn c(rust: &str) -> String {
        let ty: syn::Type = syn::parse_str(rust).unwrap();
        let ty = from_rust(&ty, &|n| n.to_owned(), &NoNames).unwrap();
        declare(&ty, "x", &StatTag)
    }

    struct StatTag;
    impl Tags for StatTag {
        fn keyword(&self, name: &str) -> Option<&'static str> {
            (name == "stat").then_some("struct")
        }
    }

    #[test]
    fn spells_types() {
        assert_eq!(c("c_int"), "int x");
        assert_eq!(c("*const c_char"), "const char *x");
        assert_eq!(c("*mut *mut c_char"), "char **x");
        assert_eq!(c("*const *mut c_char"), "char *const *x");
        assert_eq!(c("*mut FILE"), "FILE *x");
        assert_eq!(c("*mut stat"), "struct stat *x");
        assert_eq!(c("*const stat"), "const struct stat *x");
        assert_eq!(c("[c_char; 256]"), "char x[256]");
        assert_eq!(c("[[u8; 2]; 3]"), "unsigned char x[3][2]");
        assert_eq!(c("usize"), "unsigned long x");
        assert_eq!(c("Option<unsafe extern \"C\" fn(c_int)>"), "void (*x)(int)");
        assert_eq!(
            c("Option<unsafe extern \"C\" fn(*const c_void, *const c_void) -> c_int>"),
            "int (*x)(const void *, const void *)"
        );
        assert_eq!(c("extern \"C\" fn() -> *mut c_char"), "char *(*x)(void)");
        assert_eq!(c("*mut [c_int; 4]"), "int (*x)[4]");
        assert_eq!(c("VaList<'_, '_>"), "__builtin_va_list x");
    }

    #[test]
    fn refuses_what_c_cannot_say() {
        assert_eq!(c("Option<start_routine>"), "start_routine x");
        for bad in ["Vec<u8>", "&str", "Option<c_int>", "fn(c_int)", "[u8]"] {
            let ty: syn::Type = syn::parse_str(bad).unwrap();
            assert!(
                from_rust(&ty, &|n| n.to_owned(), &NoNames).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn abstract_declarators() {
        let ty: syn::Type = syn::parse_str("*const c_char").unwrap();
        let ty = from_rust(&ty, &|n| n.to_owned(), &NoNames).unwrap();
        assert_eq!(declare(&ty, "", &()), "const char *");
        assert_eq!(
            param_list(&[ty, CType::Named("int".into())], true, &()),
            "const char *, int, ..."
        );
        assert_eq!(param_list(&[], false, &()), "void");
    }
}
