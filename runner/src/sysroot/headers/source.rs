//! (internal) The Rust sources the generator reads: every `.rs` file of
//! `vibix_libc`, and of the two crates it re-exports from (`vibix_uapi`,
//! `vibix_abi`), parsed with `syn`, by crate and module path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

/// The crates whose items a header can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Krate {
    Libc,
    Uapi,
    Abi,
}

impl Krate {
    /// The crate a `use` path's first segment names.
    pub fn from_root(name: &str) -> Option<Krate> {
        match name {
            "vibix_uapi" => Some(Krate::Uapi),
            "vibix_abi" => Some(Krate::Abi),
            _ => None,
        }
    }
}

/// One source file: a module.
pub struct Module {
    pub krate: Krate,
    /// `["stdio", "file"]` for `stdio/file.rs`; `[]` for `lib.rs`.
    pub path: Vec<String>,
    /// The file, relative to its crate's `src/` (for messages and comments).
    pub file: String,
    pub ast: syn::File,
    /// The file's first line, `//! ...`, without the `//!`.
    pub first_line: String,
}

/// Every module of the three crates.
pub struct Sources {
    pub modules: BTreeMap<(Krate, Vec<String>), Module>,
}

/// Where the three crates' `src/` directories are.
pub struct Roots {
    pub libc: PathBuf,
    pub uapi: PathBuf,
    pub abi: PathBuf,
}

impl Roots {
    /// The repository's crates.
    pub fn of_repo(root: &Path) -> Roots {
        Roots {
            libc: root.join("phases/phase4-libc/vibix_libc/src"),
            uapi: root.join("kernel/uapi/src"),
            abi: root.join("phases/phase1-println/vibix_abi/src"),
        }
    }
}

impl Sources {
    /// Reads and parses every `.rs` file under the three roots.
    pub fn load(roots: &Roots) -> Result<Sources> {
        let mut modules = BTreeMap::new();
        for (krate, dir) in [
            (Krate::Libc, &roots.libc),
            (Krate::Uapi, &roots.uapi),
            (Krate::Abi, &roots.abi),
        ] {
            for entry in WalkDir::new(dir).sort_by_file_name() {
                let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
                let path = entry.path();
                if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let rel = path.strip_prefix(dir).unwrap_or(path);
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let module = Module::parse(krate, rel, &text)
                    .with_context(|| format!("cannot parse {}", path.display()))?;
                modules.insert((krate, module.path.clone()), module);
            }
        }
        Ok(Sources { modules })
    }

    /// From texts in memory (the generator's tests): `(crate, file, text)`.
    #[cfg(test)]
    pub fn from_texts(files: &[(Krate, &str, &str)]) -> Sources {
        let mut modules = BTreeMap::new();
        for (krate, file, text) in files {
            let module = Module::parse(*krate, Path::new(file), text).unwrap();
            modules.insert((*krate, module.path.clone()), module);
        }
        Sources { modules }
    }

    pub fn module(&self, krate: Krate, path: &[String]) -> Option<&Module> {
        self.modules.get(&(krate, path.to_vec()))
    }
}

impl Module {
    fn parse(krate: Krate, rel: &Path, text: &str) -> Result<Module> {
        let ast = syn::parse_file(text)?;
        if krate == Krate::Libc
            && let Some(name) = macro_made_export(&ast)
        {
            anyhow::bail!(
                "{}: macro `{name}!` makes exported functions, which no header would declare \
                 (the generator reads items, not macro expansions): write each export out",
                rel.display()
            );
        }
        let mut path: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(
            path.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            path.pop();
        }
        let first_line = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("//!"))
            .unwrap_or("")
            .trim()
            .to_owned();
        Ok(Module {
            krate,
            path,
            file: rel.display().to_string(),
            ast,
            first_line,
        })
    }

    /// The headers the file's first line names: `` `<stdio.h>`: ... `` →
    /// `["stdio.h"]`; none for an `(internal)` file or one that names none.
    pub fn headers(&self) -> Vec<String> {
        let line = &self.first_line;
        if line.starts_with("(internal)") {
            return Vec::new();
        }
        // The names come before the line's first `: `.
        let names = line.split(": ").next().unwrap_or("");
        let mut out = Vec::new();
        let mut rest = names;
        while let Some(start) = rest.find("`<") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(">`") else {
                break;
            };
            out.push(after[..end].to_owned());
            rest = &after[end + 2..];
        }
        out
    }

    /// The module documentation's ```` ```c ```` blocks, verbatim.
    pub fn c_blocks(&self) -> Vec<String> {
        let doc: Vec<String> = self
            .ast
            .attrs
            .iter()
            .filter_map(doc_line)
            .flat_map(|d| d.lines().map(String::from).collect::<Vec<_>>())
            .collect();
        let mut out = Vec::new();
        let mut current: Option<Vec<String>> = None;
        for line in doc {
            let line = line.strip_prefix(' ').unwrap_or(&line).to_owned();
            match &mut current {
                None if line.trim() == "```c" => current = Some(Vec::new()),
                None => {}
                Some(_) if line.trim() == "```" => {
                    out.push(current.take().unwrap_or_default().join("\n"));
                }
                Some(lines) => lines.push(line),
            }
        }
        out
    }
}

/// The first `macro_rules!` of `ast` whose body exports a symbol
/// (`no_mangle`): its expansions would be C functions that no header
/// declares, found only when a C program fails to compile.
fn macro_made_export(ast: &syn::File) -> Option<String> {
    ast.items.iter().find_map(|item| match item {
        syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
            let body = m.mac.tokens.to_string();
            body.contains("no_mangle").then(|| {
                m.ident
                    .as_ref()
                    .map_or_else(String::new, ToString::to_string)
            })
        }
        _ => None,
    })
}

/// A `#[doc = "..."]` attribute's text (a `///` or `//!` line).
pub fn doc_line(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether an item with these attributes is compiled into vibix's
/// `libc.a`: its `#[cfg(..)]`s hold with `target_os = "vibix"` and without
/// `test` or `miri`.
pub fn compiled_for_vibix(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .all(|a| match &a.meta {
            syn::Meta::List(list) => list
                .parse_args::<syn::Meta>()
                .map(|m| cfg_holds(&m))
                .unwrap_or(true),
            _ => true,
        })
}

fn cfg_holds(meta: &syn::Meta) -> bool {
    match meta {
        syn::Meta::Path(p) => !(p.is_ident("test") || p.is_ident("miri")),
        syn::Meta::NameValue(nv) => {
            let value = match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => s.value(),
                _ => return true,
            };
            // Features (vibix_abi's `phaseN`, `crt`) are on in the libc build.
            if nv.path.is_ident("target_os") {
                value == "vibix"
            } else if nv.path.is_ident("target_arch") {
                value == "x86_64"
            } else {
                true
            }
        }
        syn::Meta::List(list) => {
            let inner: Vec<syn::Meta> = list
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .map(|p| p.into_iter().collect())
                .unwrap_or_default();
            if list.path.is_ident("not") {
                !inner.first().is_some_and(cfg_holds)
            } else if list.path.is_ident("any") {
                inner.iter().any(cfg_holds)
            } else {
                inner.iter().all(cfg_holds)
            }
        }
    }
}

/// Whether the attributes export the item under its own name:
/// `#[unsafe(no_mangle)]`, `#[no_mangle]`, or either behind `cfg_attr`
/// (as the library's `#[cfg_attr(not(test), unsafe(no_mangle))]`).
pub fn is_exported(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        if p.is_ident("no_mangle") {
            return true;
        }
        match &a.meta {
            syn::Meta::List(l) if p.is_ident("unsafe") || p.is_ident("cfg_attr") => {
                l.tokens.to_string().contains("no_mangle")
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_line_and_c_blocks() {
        let s = Sources::from_texts(&[(
            Krate::Libc,
            "stdio/mod.rs",
            "//! `<stdio.h>`, `<bits/x.h>`: streams.\n//!\n//! ```c\n//! #define A 1\n//!   #define B 2\n//! ```\n//! ```rust\n//! no\n//! ```\n",
        )]);
        let m = s.module(Krate::Libc, &["stdio".into()]).unwrap();
        assert_eq!(m.headers(), ["stdio.h", "bits/x.h"]);
        assert_eq!(m.c_blocks(), ["#define A 1\n  #define B 2"]);
        let s = Sources::from_texts(&[(Krate::Libc, "x.rs", "//! (internal) `<a.h>`: no.\n")]);
        assert!(
            s.module(Krate::Libc, &["x".into()])
                .unwrap()
                .headers()
                .is_empty()
        );
    }

    #[test]
    fn evaluates_cfgs() {
        let f: syn::File = syn::parse_str(
            "#[cfg(test)] fn a() {}\n#[cfg(not(test))] fn b() {}\n#[cfg(target_os = \"vibix\")] fn c() {}\n#[cfg(not(target_os = \"vibix\"))] fn d() {}\n#[cfg(all(not(miri), target_os = \"vibix\"))] fn e() {}\n",
        )
        .unwrap();
        let holds: Vec<bool> = f
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Fn(f) => compiled_for_vibix(&f.attrs),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(holds, [false, true, true, false, true]);
    }

    #[test]
    fn sees_exports() {
        let f: syn::File = syn::parse_str(
            "#[cfg_attr(not(test), unsafe(no_mangle))] pub extern \"C\" fn a() {}\n#[unsafe(no_mangle)] pub extern \"C\" fn b() {}\n#[no_mangle] pub extern \"C\" fn c() {}\n#[inline] pub extern \"C\" fn d() {}\n",
        )
        .unwrap();
        let exported: Vec<bool> = f
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Fn(f) => is_exported(&f.attrs),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(exported, [true, true, true, false]);
    }

    #[test]
    fn refuses_exports_made_by_macros() {
        let text = "//! `<ctype.h>`: x\nmacro_rules! classes {\n    ($n:ident) => {\n        \
                    #[unsafe(no_mangle)] pub extern \"C\" fn $n() {}\n    };\n}\nclasses!(isalpha);\n";
        let err = Module::parse(Krate::Libc, Path::new("ctype.rs"), text)
            .err()
            .expect("an export made by a macro is refused");
        assert!(err.to_string().contains("macro `classes!`"), "{err}");
        // A macro that exports nothing is fine.
        let text = "//! `<math.h>`: x\nmacro_rules! checks { () => {}; }\n";
        assert!(Module::parse(Krate::Libc, Path::new("math.rs"), text).is_ok());
    }
}
