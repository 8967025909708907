//! (internal) What each header declares, read from the library's sources:
//! the walk over `vibix_libc`'s files, and the resolution of what they
//! re-export from `vibix_uapi` and `vibix_abi`.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, anyhow, bail};

use super::ctype::{self, CType};
use super::eval::{self, Scope, Value};
use super::source::{self, Krate, Module, Sources};

/// An exported function's prototype.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub name: String,
    pub ret: CType,
    pub params: Vec<CType>,
    pub variadic: bool,
    pub noreturn: bool,
}

/// A `struct` or `union`; `fields: None` is opaque (declared, not
/// defined: C only ever holds a pointer to it).
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub name: String,
    pub union: bool,
    pub fields: Option<Vec<(String, CType)>>,
    pub align: Option<u64>,
    /// The file it comes from, for messages.
    pub from: String,
}

/// A `typedef`.
#[derive(Debug, Clone, PartialEq)]
pub struct Typedef {
    pub name: String,
    pub ty: CType,
    pub from: String,
}

/// One source file's contribution to its header.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Part {
    /// The file, relative to `vibix_libc/src/`.
    pub file: String,
    /// `#define NAME value`, in source order.
    pub defines: Vec<(String, String)>,
    pub c_blocks: Vec<String>,
    /// Exported variables: `extern T name;`.
    pub statics: Vec<(String, CType)>,
    pub functions: Vec<Function>,
}

/// Everything the headers say.
#[derive(Debug, Default)]
pub struct Library {
    /// Header name (`stdio.h`, `sys/stat.h`) → the parts of its files.
    pub headers: BTreeMap<String, Vec<Part>>,
    /// A header a file names after its first → the first (it includes it).
    pub aliases: BTreeMap<String, String>,
    /// Every typedef and aggregate, for `<bits/alltypes.h>`.
    pub typedefs: Vec<Typedef>,
    pub aggregates: Vec<Aggregate>,
}

/// A `use` tree's leaves: full path, and the name it is known by here
/// (`*` for a glob).
pub fn use_leaves(tree: &syn::UseTree) -> Vec<(Vec<String>, String)> {
    fn go(t: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
        match t {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                go(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                full.push(n.ident.to_string());
                out.push((full, n.ident.to_string()));
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                full.push(r.ident.to_string());
                out.push((full, r.rename.to_string()));
            }
            syn::UseTree::Glob(_) => out.push((prefix.clone(), "*".into())),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    go(t, prefix, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    go(tree, &mut Vec::new(), &mut out);
    out
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn ident_name(i: &syn::Ident) -> String {
    i.to_string().trim_start_matches("r#").to_owned()
}

/// The `repr` of a struct: `(is C, align)`.
fn repr(attrs: &[syn::Attribute]) -> (bool, Option<u64>) {
    let mut c = false;
    let mut align = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("repr")) {
        let _ = a.parse_nested_meta(|m| {
            if m.path.is_ident("C") || m.path.is_ident("transparent") {
                c = true;
            } else if m.path.is_ident("align") {
                let content;
                syn::parenthesized!(content in m.input);
                let lit: syn::LitInt = content.parse()?;
                align = lit.base10_parse().ok();
            }
            Ok(())
        });
    }
    (c, align)
}

/// The reader: the sources, and the C names of re-exported Rust types.
pub struct Reader<'a> {
    pub sources: &'a Sources,
    /// A Rust type's C name where a `pub use … as` renames it
    /// (`Stat` → `stat`).
    pub renames: BTreeMap<String, String>,
}

/// Where a name is looked up: a module of a crate.
#[derive(Clone)]
struct At<'a> {
    reader: &'a Reader<'a>,
    krate: Krate,
    path: Vec<String>,
    depth: u32,
}

/// What a path names.
enum Found<'a> {
    Item(&'a syn::Item, At<'a>),
    /// One of `vibix_uapi::errno::ALL`'s numbers.
    Errno(i32),
}

impl<'a> At<'a> {
    fn module(&self) -> Option<&'a Module> {
        self.reader.sources.module(self.krate, &self.path)
    }

    fn deeper(&self, krate: Krate, path: Vec<String>) -> Result<At<'a>> {
        if self.depth > 32 {
            bail!("names refer to each other in a cycle");
        }
        Ok(At {
            reader: self.reader,
            krate,
            path,
            depth: self.depth + 1,
        })
    }

    /// Resolves `segments` (a path written in this module) to an item.
    fn find(&self, segments: &[String]) -> Result<Found<'a>> {
        let Some((name, module_path)) = segments.split_last() else {
            bail!("an empty path");
        };
        if module_path.is_empty() {
            return self.find_here(name);
        }
        let (krate, mut base, rest) = match module_path[0].as_str() {
            "crate" => (self.krate, Vec::new(), &module_path[1..]),
            "self" => (self.krate, self.path.clone(), &module_path[1..]),
            "super" => {
                let mut p = self.path.clone();
                p.pop();
                (self.krate, p, &module_path[1..])
            }
            root => match Krate::from_root(root) {
                Some(k) => (k, Vec::new(), &module_path[1..]),
                None => {
                    // A module brought in by a `use` of this module.
                    let Some(full) = self.imported(root) else {
                        bail!(
                            "`{}` is not a path the generator can follow",
                            segments.join("::")
                        );
                    };
                    let mut joined = full;
                    joined.extend_from_slice(&segments[1..]);
                    return self.deeper(self.krate, self.path.clone())?.find(&joined);
                }
            },
        };
        base.extend(rest.iter().cloned());
        let at = self.deeper(krate, base)?;
        at.find_here(name)
    }

    /// The full path a `use` of this module gives `local`.
    fn imported(&self, local: &str) -> Option<Vec<String>> {
        let module = self.module()?;
        module.ast.items.iter().find_map(|item| match item {
            syn::Item::Use(u) => use_leaves(&u.tree)
                .into_iter()
                .find(|(_, n)| n == local)
                .map(|(full, _)| full),
            _ => None,
        })
    }

    /// `name` as this module defines or imports it.
    fn find_here(&self, name: &str) -> Result<Found<'a>> {
        if self.krate == Krate::Uapi
            && self.path == ["errno"]
            && let Some(&(n, _, _)) = vibix_uapi::errno::ALL.iter().find(|(_, e, _)| *e == name)
        {
            return Ok(Found::Errno(n));
        }
        let Some(module) = self.module() else {
            bail!(
                "there is no module `{}` in {:?}",
                self.path.join("::"),
                self.krate
            );
        };
        for item in &module.ast.items {
            let own = match item {
                syn::Item::Const(c) => Some(&c.ident),
                syn::Item::Struct(s) => Some(&s.ident),
                syn::Item::Union(u) => Some(&u.ident),
                syn::Item::Fn(f) => Some(&f.sig.ident),
                syn::Item::Type(t) => Some(&t.ident),
                syn::Item::Static(s) => Some(&s.ident),
                _ => None,
            };
            if own.is_some_and(|i| ident_name(i) == name) && source::compiled_for_vibix(attrs(item))
            {
                return Ok(Found::Item(item, self.clone()));
            }
        }
        if let Some(full) = self.imported(name)
            && full.len() > 1
        {
            let at = self.deeper(self.krate, self.path.clone())?;
            return at.find(&full);
        }
        if self.krate == Krate::Libc {
            // A constant of another of the library's modules.
            for ((krate, path), m) in &self.reader.sources.modules {
                if *krate != Krate::Libc || *path == self.path {
                    continue;
                }
                let hit = m.ast.items.iter().any(|i| {
                    matches!(i, syn::Item::Const(c) if is_pub(&c.vis) && ident_name(&c.ident) == name)
                });
                if hit {
                    return self.deeper(Krate::Libc, path.clone())?.find_here(name);
                }
            }
        }
        bail!(
            "`{name}` is not defined in {}",
            if self.path.is_empty() {
                format!("{:?}'s root", self.krate)
            } else {
                format!("{:?}'s `{}`", self.krate, self.path.join("::"))
            }
        )
    }

    fn rename(&self) -> impl Fn(&str) -> String + '_ {
        move |n: &str| {
            self.reader
                .renames
                .get(n)
                .cloned()
                .unwrap_or_else(|| n.to_owned())
        }
    }

    /// Whether `ty` is an integer or floating type, directly or through
    /// the library's typedefs (`pid_t`, `clockid_t`).
    fn is_number_type(&self, ty: &syn::Type) -> bool {
        let Some(name) = eval::type_name(ty) else {
            return false;
        };
        if eval::int_type(&name).is_some()
            || matches!(name.as_str(), "f32" | "f64" | "c_float" | "c_double")
        {
            return true;
        }
        let syn::Type::Path(p) = ty else {
            return false;
        };
        let segments: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let found = self.find(&segments).or_else(|_| {
            // A typedef of `types.rs`, used unqualified through a glob.
            self.deeper(Krate::Libc, vec!["types".into()])
                .and_then(|at| at.find_here(&name))
        });
        match found {
            Ok(Found::Item(syn::Item::Type(t), at)) => at.is_number_type(&t.ty),
            _ => false,
        }
    }

    fn c_type(&self, ty: &syn::Type) -> Result<CType> {
        ctype::from_rust(ty, &self.rename(), self)
    }
}

impl Scope for At<'_> {
    fn value_of(&self, path: &syn::Path) -> Result<Value> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match self.find(&segments)? {
            Found::Errno(n) => Ok(Value::Int(n.into())),
            Found::Item(syn::Item::Const(c), at) => eval::eval_typed(&c.expr, &c.ty, &at),
            Found::Item(..) => bail!("`{}` is not a constant", segments.join("::")),
        }
    }
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Reads what every header of the library declares.
pub fn read(sources: &Sources) -> Result<Library> {
    // Pass 1: the C names re-exports give Rust types.
    let mut renames = BTreeMap::new();
    for m in sources.modules.values().filter(|m| m.krate == Krate::Libc) {
        for item in &m.ast.items {
            if let syn::Item::Use(u) = item
                && is_pub(&u.vis)
            {
                for (full, local) in use_leaves(&u.tree) {
                    let last = full.last().cloned().unwrap_or_default();
                    if local != "*" && local != last {
                        renames.insert(last, local);
                    }
                }
            }
        }
    }
    let reader = Reader { sources, renames };
    let mut lib = Library::default();
    for m in sources.modules.values().filter(|m| m.krate == Krate::Libc) {
        let headers = m.headers();
        let Some(first) = headers.first() else {
            continue;
        };
        for other in &headers[1..] {
            lib.aliases.insert(other.clone(), first.clone());
        }
        let at = At {
            reader: &reader,
            krate: Krate::Libc,
            path: m.path.clone(),
            depth: 0,
        };
        let mut part = Part {
            file: m.file.clone(),
            c_blocks: m.c_blocks(),
            ..Part::default()
        };
        for item in &m.ast.items {
            if !source::compiled_for_vibix(attrs(item)) {
                continue;
            }
            read_item(&at, item, None, &mut part, &mut lib)
                .with_context(|| format!("vibix_libc/src/{}", m.file))?;
        }
        lib.headers.entry(first.clone()).or_default().push(part);
    }
    if let Some(parts) = lib.headers.get_mut("errno.h") {
        parts.insert(0, errno_numbers());
    }
    Ok(lib)
}

/// `<errno.h>`'s numbers: one `#define` per entry of
/// `vibix_uapi::errno::ALL`, and Linux's other names for three of them.
fn errno_numbers() -> Part {
    let mut defines: Vec<(String, String)> = vibix_uapi::errno::ALL
        .iter()
        .map(|(n, name, _)| ((*name).to_owned(), n.to_string()))
        .collect();
    for (alias, of) in [
        ("EWOULDBLOCK", "EAGAIN"),
        ("EDEADLOCK", "EDEADLK"),
        ("ENOTSUP", "EOPNOTSUPP"),
    ] {
        if let Some(&(n, _, _)) = vibix_uapi::errno::ALL.iter().find(|(_, e, _)| *e == of) {
            defines.push((alias.to_owned(), n.to_string()));
        }
    }
    Part {
        file: "vibix_uapi::errno::ALL".into(),
        defines,
        ..Part::default()
    }
}

/// One item of a library file (or what one of its `pub use`s names, under
/// the name `alias`) into `part` (declarations) and `lib` (types).
fn read_item(
    at: &At<'_>,
    item: &syn::Item,
    alias: Option<&str>,
    part: &mut Part,
    lib: &mut Library,
) -> Result<()> {
    let reexport = alias.is_some();
    match item {
        syn::Item::Const(c) if is_pub(&c.vis) || reexport => {
            let name = alias.map_or_else(|| ident_name(&c.ident), String::from);
            let value = eval::eval_typed(&c.expr, &c.ty, at)
                .with_context(|| format!("constant `{name}`"))?;
            let ty = eval::type_name(&c.ty).unwrap_or_default();
            let literal = eval::c_literal(value.clone(), &ty);
            // A number of a pointer or typedef type (`SIG_IGN`, `MAP_FAILED`)
            // is cast to it, as C's headers write it.
            let plain = !matches!(value, Value::Int(_)) || at.is_number_type(&c.ty);
            let literal = if plain {
                literal
            } else {
                let cty = at
                    .c_type(&c.ty)
                    .with_context(|| format!("constant `{name}`"))?;
                format!("(({}){literal})", ctype::declare(&cty, "", &()))
            };
            part.defines.push((name, literal));
        }
        syn::Item::Fn(f)
            if (reexport || (is_pub(&f.vis) && source::is_exported(&f.attrs)))
                && f.sig.abi.is_some() =>
        {
            let name = ident_name(&f.sig.ident);
            let what = || format!("function `{name}`");
            let mut params = Vec::new();
            for input in &f.sig.inputs {
                match input {
                    syn::FnArg::Typed(t) => params.push(at.c_type(&t.ty).with_context(what)?),
                    syn::FnArg::Receiver(_) => bail!("{}: a method is not a C function", what()),
                }
            }
            let (ret, noreturn) = match &f.sig.output {
                syn::ReturnType::Default => (CType::Named("void".into()), false),
                syn::ReturnType::Type(_, t) => (
                    at.c_type(t).with_context(what)?,
                    matches!(**t, syn::Type::Never(_)),
                ),
            };
            part.functions.push(Function {
                name,
                ret,
                params,
                variadic: f.sig.variadic.is_some(),
                noreturn,
            });
        }
        syn::Item::Static(s) if (is_pub(&s.vis) && source::is_exported(&s.attrs)) || reexport => {
            let name = ident_name(&s.ident);
            let ty = at
                .c_type(&s.ty)
                .with_context(|| format!("variable `{name}`"))?;
            part.statics.push((name, ty));
        }
        syn::Item::Struct(s) if is_pub(&s.vis) || reexport => {
            let (is_c, align) = repr(&s.attrs);
            if !is_c || !s.generics.params.is_empty() {
                return Ok(());
            }
            let name = alias.map_or_else(|| ident_name(&s.ident), String::from);
            let fields = fields(at, &s.fields).with_context(|| format!("struct `{name}`"))?;
            lib.aggregates.push(Aggregate {
                name,
                union: false,
                fields,
                align,
                from: part.file.clone(),
            });
        }
        syn::Item::Union(u) if is_pub(&u.vis) || reexport => {
            let (is_c, align) = repr(&u.attrs);
            if !is_c || !u.generics.params.is_empty() {
                return Ok(());
            }
            let name = alias.map_or_else(|| ident_name(&u.ident), String::from);
            let fields = named_fields(at, &u.fields).with_context(|| format!("union `{name}`"))?;
            lib.aggregates.push(Aggregate {
                name,
                union: true,
                fields,
                align,
                from: part.file.clone(),
            });
        }
        syn::Item::Type(t) if (is_pub(&t.vis) || reexport) && t.generics.params.is_empty() => {
            let name = alias.map_or_else(|| ident_name(&t.ident), String::from);
            let ty = at.c_type(&t.ty).with_context(|| format!("type `{name}`"))?;
            lib.typedefs.push(Typedef {
                name,
                ty,
                from: part.file.clone(),
            });
        }
        syn::Item::Use(u) if is_pub(&u.vis) && !reexport => {
            for (full, local) in use_leaves(&u.tree) {
                if Krate::from_root(&full[0]).is_none() {
                    // `crate::…` (declared where it is defined), `core::…`
                    // (the C types, which have their own spelling).
                    continue;
                }
                reexport_leaf(at, &full, &local, part, lib)
                    .with_context(|| format!("`pub use {}`", full.join("::")))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// What `pub use <full> as <local>` brings into a header.
fn reexport_leaf(
    at: &At<'_>,
    full: &[String],
    local: &str,
    part: &mut Part,
    lib: &mut Library,
) -> Result<()> {
    if local == "*" {
        // A glob: the module's public constants.
        let krate = Krate::from_root(&full[0]).ok_or_else(|| anyhow!("not an ABI crate"))?;
        let target = at.deeper(krate, full[1..].to_vec())?;
        let module = target
            .module()
            .ok_or_else(|| anyhow!("no module `{}`", full.join("::")))?;
        for item in &module.ast.items {
            if let syn::Item::Const(c) = item
                && is_pub(&c.vis)
                && source::compiled_for_vibix(&c.attrs)
            {
                read_item(&target, item, Some(&ident_name(&c.ident)), part, lib)?;
            }
        }
        if krate == Krate::Uapi && full[1..] == ["errno"] {
            for (n, name, _) in vibix_uapi::errno::ALL {
                part.defines.push(((*name).into(), n.to_string()));
            }
        }
        return Ok(());
    }
    match at.find(full)? {
        Found::Errno(n) => part.defines.push((local.to_owned(), n.to_string())),
        Found::Item(item, target) => read_item(&target, item, Some(local), part, lib)?,
    }
    Ok(())
}

/// A struct's fields in C; `None` (opaque) when none is public: the
/// struct is the library's own business (`FILE`, `DIR`), and C only
/// passes pointers to it.
fn fields(at: &At<'_>, fields: &syn::Fields) -> Result<Option<Vec<(String, CType)>>> {
    match fields {
        syn::Fields::Named(named) => named_fields(at, named),
        syn::Fields::Unit => Ok(None),
        syn::Fields::Unnamed(_) => bail!("a tuple struct has no C field names: name its fields"),
    }
}

fn named_fields(at: &At<'_>, named: &syn::FieldsNamed) -> Result<Option<Vec<(String, CType)>>> {
    if !named.named.iter().any(|f| is_pub(&f.vis)) {
        return Ok(None);
    }
    let mut out = Vec::new();
    for f in &named.named {
        let name = f.ident.as_ref().map(ident_name).unwrap_or_default();
        match at.c_type(&f.ty) {
            Ok(ty) => out.push((name, ty)),
            Err(e) => return Err(e.context(format!("field `{name}`"))),
        }
    }
    Ok(Some(out))
}

/// The type names a library declares, for checking that every name a
/// declaration uses is one of them (or C's own).
pub fn declared_types(lib: &Library) -> BTreeSet<String> {
    lib.typedefs
        .iter()
        .map(|t| t.name.clone())
        .chain(lib.aggregates.iter().map(|a| a.name.clone()))
        .collect()
}
