//! The architecture rules, checked on the source itself: no import cycle
//! between modules, small files, a pure IAM engine, an endpoint that names
//! nothing inside the world's state, and command files that print only
//! through `render/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its module path (`sim::world`).
fn sources() -> Vec<(String, PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("reads src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under src");
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
fn code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// The module a `use` path names, as the longest prefix that is a module.
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

/// The paths a `use` item brings in (one level of braces expanded).
fn use_paths(item: &str) -> Vec<String> {
    let item: String = item.split_whitespace().collect();
    match item.split_once("::{") {
        Some((prefix, inner)) => {
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
                .map(|i| {
                    let head = i.split("::{").next().unwrap_or(&i).to_owned();
                    if head == "self" {
                        prefix.to_owned()
                    } else {
                        format!("{prefix}::{head}")
                    }
                })
                .collect()
        }
        None => vec![item],
    }
}

#[test]
fn no_import_cycles_between_modules() {
    let files = sources();
    let modules: BTreeSet<String> = files.iter().map(|(m, _, _)| m.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, text) in &files {
        let targets = edges.entry(module.clone()).or_default();
        for statement in code(text).split(';') {
            // The statement's `use` item: from a line that starts one to the `;`.
            let lines: Vec<&str> = statement.lines().map(str::trim).collect();
            let Some(start) = lines.iter().position(|l| {
                l.starts_with("use ")
                    || l.starts_with("pub use ")
                    || l.starts_with("pub(crate) use ")
            }) else {
                continue;
            };
            let joined = lines[start..].join(" ");
            let item = joined.split_once("use ").map_or("", |(_, i)| i);
            for path in use_paths(item) {
                let path = path.split(" as ").next().unwrap_or(&path).to_owned();
                if let Some(target) = resolve(module, &path, &modules).filter(|t| t != module) {
                    targets.insert(target);
                }
            }
        }
    }
    // Depth-first search for a back edge.
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
    for module in &modules {
        if !state.contains_key(module)
            && let Some(cycle) = visit(module, &edges, &mut state, &mut Vec::new())
        {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
    assert!(
        edges
            .get("serve::handler")
            .is_some_and(|e| e.contains("serve::auth")),
        "the graph is read"
    );
}

#[test]
fn no_source_file_is_over_450_lines() {
    let long: Vec<String> = sources()
        .iter()
        .filter(|(_, _, text)| text.lines().count() > 450)
        .map(|(m, _, text)| format!("{m} ({} lines)", text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these by idea: {long:?}");
}

#[test]
fn the_iam_engine_is_pure() {
    let forbidden = [
        "crate::",
        "tokio",
        "aws_sdk",
        "aws_config",
        "aws_smithy",
        "std::fs",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "std::io",
        "std::process",
        "SystemTime::now",
    ];
    for (module, _, text) in sources()
        .iter()
        .filter(|(m, _, _)| m == "iam" || m.starts_with("iam::"))
    {
        for word in forbidden {
            let hits: Vec<&str> = code(text)
                .lines()
                .filter(|l| {
                    l.contains(word)
                        && !l.contains("crate::iam")
                        && !l.trim_start().starts_with("//")
                })
                .collect();
            assert!(hits.is_empty(), "{module} uses {word}: {hits:?}");
        }
    }
}

#[test]
fn the_endpoint_names_nothing_inside_the_world() {
    let inside = [
        ".model()",
        "Model",
        "KeyOwner",
        "TokenKey",
        "SessionKind",
        "Identity::",
        ".identity",
        ".sessions",
        ".state",
    ];
    for (module, _, text) in sources().iter().filter(|(m, _, _)| m.starts_with("serve")) {
        for word in inside {
            assert!(
                !code(text).contains(word),
                "{module} reaches into the world: {word}"
            );
        }
    }
}

#[test]
fn commands_print_only_through_render() {
    let printing = [
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "json!(",
        "to_string_pretty",
    ];
    for (module, _, text) in sources().iter().filter(|(m, _, _)| m.starts_with("cli::")) {
        for word in printing {
            assert!(
                !code(text).contains(word),
                "{module} formats output itself: {word}"
            );
        }
    }
}
