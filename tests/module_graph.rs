//! What the architecture checks read: each workspace crate's packages and
//! dependencies as `cargo metadata` reports them, and each crate's module
//! graph, with an edge for every path a file names: `use` items and inline
//! `crate::`/`super::`/`self::` paths alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One workspace package: its name, source folder and the workspace
/// packages and external crates it depends on (normal dependencies).
#[derive(Debug, Clone)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) src: PathBuf,
    pub(crate) workspace_deps: BTreeSet<String>,
    pub(crate) external_deps: BTreeSet<String>,
}

/// The workspace's packages, read from `cargo metadata`.
pub(crate) fn packages() -> Vec<Package> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .output()
        .expect("runs cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let list = meta["packages"].as_array().expect("packages");
    let names: BTreeSet<String> = list
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    list.iter()
        .map(|p| {
            let manifest = PathBuf::from(p["manifest_path"].as_str().expect("manifest path"));
            let (mut workspace_deps, mut external_deps) = (BTreeSet::new(), BTreeSet::new());
            for dep in p["dependencies"].as_array().expect("dependencies") {
                if !dep["kind"].is_null() {
                    continue; // dev- and build-dependencies do not ship
                }
                let name = dep["name"].as_str().expect("dependency name").to_owned();
                if names.contains(&name) {
                    workspace_deps.insert(name);
                } else {
                    external_deps.insert(name);
                }
            }
            Package {
                name: p["name"].as_str().expect("name").to_owned(),
                src: manifest.parent().expect("package folder").join("src"),
                workspace_deps,
                external_deps,
            }
        })
        .collect()
}

/// Every `.rs` file under `src`, as (module path, file, text): `sim::world`,
/// with `crate` for the root.
pub(crate) fn sources(src: &Path) -> Vec<(String, PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("reads src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).expect("under src");
                let mut module = rel
                    .with_extension("")
                    .display()
                    .to_string()
                    .replace('/', "::");
                if let Some(parent) = module.strip_suffix("::mod") {
                    module = parent.to_owned();
                }
                if module == "lib" || module == "main" {
                    module = "crate".to_owned();
                }
                let text = std::fs::read_to_string(&path).expect("reads a source file");
                out.push((module, path, text));
            }
        }
    }
    out
}

/// The code of a file without its test module.
pub(crate) fn code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// Code without its comment lines (doc links name items, not imports).
fn uncommented(code: &str) -> String {
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module a path names, as the longest prefix that is a module.
fn resolve(from: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = if from == "crate" {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    let rest: Vec<&str> = match parts.first() {
        Some(&"crate") => {
            base.clear();
            parts[1..].to_vec()
        }
        Some(&"super") => {
            let mut i = 0;
            while parts.get(i) == Some(&"super") {
                base.pop();
                i += 1;
            }
            parts[i..].to_vec()
        }
        Some(&"self") => parts[1..].to_vec(),
        // A bare path starting with a child module's name (`run::x` in
        // `sim/mod.rs`) is relative to this module.
        Some(first) if modules.contains(&[base.as_slice(), &[first]].concat().join("::")) => {
            parts.clone()
        }
        _ => return None,
    };
    (0..=rest.len()).rev().find_map(|n| {
        let candidate = [base.as_slice(), &rest[..n]].concat().join("::");
        let candidate = if candidate.is_empty() {
            "crate".to_owned()
        } else {
            candidate
        };
        modules.contains(&candidate).then_some(candidate)
    })
}

/// The paths a `use` item brings in (braces expanded at every depth).
fn use_paths(item: &str) -> Vec<String> {
    let item: String = item.split_whitespace().collect();
    let Some((prefix, inner)) = item.split_once("::{") else {
        return vec![item.split("as").next().unwrap_or(&item).to_owned()];
    };
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    let (mut items, mut depth, mut current) = (Vec::new(), 0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| {
            if i == "self" {
                vec![prefix.to_owned()]
            } else {
                use_paths(&format!("{prefix}::{i}"))
            }
        })
        .collect()
}

/// Every path a piece of code names: the items of its `use` statements and
/// each inline `crate::a::b`, `super::x` or `self::y`.
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for statement in code.split(';') {
        let lines: Vec<&str> = statement.lines().map(str::trim).collect();
        if let Some(start) = lines.iter().position(|l| {
            l.starts_with("use ") || l.starts_with("pub use ") || l.starts_with("pub(crate) use ")
        }) {
            let joined = lines[start..].join(" ");
            paths.extend(use_paths(joined.split_once("use ").map_or("", |(_, i)| i)));
        }
    }
    let inline = regex::Regex::new(r"\b(?:crate|super|self)(?:::[a-z_][a-z0-9_]*)+")
        .expect("a valid pattern");
    paths.extend(inline.find_iter(code).map(|m| m.as_str().to_owned()));
    paths
}

/// The module graph of a crate: for each module, the modules it names.
pub(crate) fn edges(files: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in files {
        let targets = edges.entry(module.clone()).or_default();
        for path in named_paths(&uncommented(code(text))) {
            // A module names its own children through its declarations,
            // and its parent by being declared; neither is an import.
            if let Some(target) = resolve(module, &path, &modules)
                .filter(|t| t != module && t != "crate" && !is_ancestor(t, module))
            {
                targets.insert(target);
            }
        }
    }
    edges
}

fn is_ancestor(candidate: &str, module: &str) -> bool {
    module.starts_with(&format!("{candidate}::"))
}

/// A circle in a graph, if there is one, as the path that closes it.
pub(crate) fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(cycle) = visit(next, edges, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    edges.keys().find_map(|module| {
        if state.contains_key(module) {
            None
        } else {
            visit(module, edges, &mut state, &mut Vec::new())
        }
    })
}
