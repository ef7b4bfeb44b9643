//! The architecture rules, checked on what the compiler and cargo see: the
//! crates' dependencies (`cargo metadata`) and each crate's module graph
//! (every path a file names, inline ones included). The mutation tests at
//! the end feed each check a broken input and show that it fails.

use std::collections::{BTreeMap, BTreeSet};

use crate::module_graph::{Package, circle, code, edges, packages, sources};

/// The crates the pure IAM engine may build on: data and text, no I/O,
/// no async runtime, no SDK, nothing of the project.
const PURE: [&str; 8] = [
    "base64",
    "ipnet",
    "memchr",
    "serde",
    "serde_json",
    "serde-saphyr",
    "thiserror",
    "time",
];

/// The engine's external dependencies that are not pure data crates (its
/// dependencies inside the workspace are [`WALLS`]' to check).
fn engine_impurities(packages: &[Package]) -> Vec<String> {
    let Some(engine) = packages.iter().find(|p| p.name == "xacct-iam") else {
        return vec!["no xacct-iam package in the workspace".to_owned()];
    };
    let impure = engine
        .external_deps
        .iter()
        .filter(|d| !PURE.contains(&d.as_str()));
    impure
        .map(|d| format!("xacct-iam depends on {d}, which is not a pure data crate"))
        .collect()
}

/// Which workspace crates each crate may depend on: the walls that keep
/// the README's architecture rules. The engine depends on nothing of the
/// project; the shared vocabulary only on the engine; the simulator on
/// both; the endpoint on the simulator and the vocabulary but not on the
/// engine (it decodes, calls the world and encodes; it decides nothing).
const WALLS: [(&str, &[&str]); 4] = [
    ("xacct-iam", &[]),
    ("xacct-aws", &["xacct-iam"]),
    ("xacct-sim", &["xacct-iam", "xacct-aws"]),
    ("xacct-serve", &["xacct-aws", "xacct-sim"]),
];

/// Each dependency between workspace crates that crosses a wall, and each
/// walled crate missing from the workspace.
fn wall_breaches(packages: &[Package]) -> Vec<String> {
    let mut breaches = Vec::new();
    for (name, allowed) in WALLS {
        let Some(package) = packages.iter().find(|p| p.name == name) else {
            breaches.push(format!("no {name} package in the workspace"));
            continue;
        };
        breaches.extend(
            package
                .workspace_deps
                .iter()
                .filter(|d| !allowed.contains(&d.as_str()))
                .map(|d| format!("{name} depends on {d}")),
        );
    }
    breaches
}

/// A circle between the workspace's crates, if any.
fn crate_circle(packages: &[Package]) -> Option<Vec<String>> {
    let graph: BTreeMap<String, BTreeSet<String>> = packages
        .iter()
        .map(|p| (p.name.clone(), p.workspace_deps.clone()))
        .collect();
    circle(&graph)
}

/// Each crate's files as (module, text).
fn crate_files(package: &Package) -> Vec<(String, String)> {
    sources(&package.src)
        .into_iter()
        .map(|(m, _, text)| (m, text))
        .collect()
}

/// The standard library's I/O, named by a path in the engine's code.
fn engine_io(files: &[(String, String)]) -> Vec<String> {
    let io =
        regex::Regex::new(r"\bstd::(?:fs|process|io|env)\b|\b(?:TcpStream|TcpListener|UdpSocket|SystemTime::now|Instant::now)\b")
            .expect("a valid pattern");
    files
        .iter()
        .flat_map(|(m, text)| {
            io.find_iter(code(text))
                .map(move |hit| format!("{m}: {}", hit.as_str()))
        })
        .collect()
}

#[test]
fn every_crate_keeps_within_its_walls() {
    assert_eq!(wall_breaches(&packages()), Vec::<String>::new());
}

#[test]
fn the_iam_engine_is_its_own_pure_crate() {
    let packages = packages();
    assert_eq!(engine_impurities(&packages), Vec::<String>::new());
    let engine = packages
        .iter()
        .find(|p| p.name == "xacct-iam")
        .expect("the engine crate");
    assert_eq!(engine_io(&crate_files(engine)), Vec::<String>::new());
}

#[test]
fn no_circle_between_crates_or_between_the_files_of_one() {
    let packages = packages();
    assert!(packages.len() >= 2, "the workspace is read: {packages:?}");
    assert_eq!(crate_circle(&packages), None);
    for package in &packages {
        let graph = edges(&crate_files(package));
        assert!(graph.len() > 10, "{}'s graph is read", package.name);
        if let Some(found) = circle(&graph) {
            panic!("{}: import circle {}", package.name, found.join(" -> "));
        }
    }
}

/// The files over 450 lines, as `path (n lines)`.
fn long_files(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(_, text)| text.lines().count() > 450)
        .map(|(path, text)| format!("{path} ({} lines)", text.lines().count()))
        .collect()
}

fn every_file() -> Vec<(String, String)> {
    packages()
        .iter()
        .flat_map(|p| sources(&p.src))
        .map(|(_, path, text)| (path.display().to_string(), text))
        .collect()
}

#[test]
fn no_source_file_is_over_450_lines() {
    let files = every_file();
    assert!(files.len() > 200, "every crate is read");
    let long = long_files(&files);
    assert!(long.is_empty(), "split these by idea: {long:?}");
}

/// The files of one workspace package.
fn files_of(name: &str) -> Vec<(String, String)> {
    let packages = packages();
    let package = packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} package"));
    crate_files(package)
}

/// Each command (a `cli` module) that builds JSON or pretty-prints by
/// itself instead of asking `render` (printing at all is a clippy lint,
/// `print_stdout` and `print_stderr`, on every crate).
fn formatting_outside_render(files: &[(String, String)]) -> Vec<String> {
    let formatting = ["json!(", "to_string_pretty"];
    let mut found = Vec::new();
    for (module, text) in files.iter().filter(|(m, _)| m.starts_with("cli::")) {
        for word in formatting {
            if code(text).contains(word) {
                found.push(format!("{module} formats output itself: {word}"));
            }
        }
    }
    found
}

#[test]
fn commands_format_only_through_render() {
    let found = formatting_outside_render(&files_of("xacct"));
    assert!(found.is_empty(), "{found:?}");
}

// Mutation tests: each check above, fed a broken input, reports it.

/// The package `name`, to break.
fn package_mut<'a>(packages: &'a mut [Package], name: &str) -> &'a mut Package {
    packages
        .iter_mut()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} package"))
}

#[test]
fn the_engine_check_fails_when_the_engine_depends_on_the_project_or_io() {
    let mut packages = packages();
    let engine = package_mut(&mut packages, "xacct-iam");
    engine.workspace_deps.insert("xacct".to_owned());
    engine.external_deps.insert("tokio".to_owned());
    let wrong = engine_impurities(&packages);
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert_eq!(
        wall_breaches(&packages),
        vec!["xacct-iam depends on xacct".to_owned()]
    );
    let io = engine_io(&[(
        "eval".to_owned(),
        "fn f() { let _ = std::fs::read(\"x\"); }".to_owned(),
    )]);
    assert_eq!(io, vec!["eval: std::fs".to_owned()]);
}

#[test]
fn the_circle_checks_fail_on_a_circle_even_through_an_inline_path() {
    let mut packages = packages();
    let engine = package_mut(&mut packages, "xacct-iam");
    engine.workspace_deps.insert("xacct".to_owned());
    assert!(crate_circle(&packages).is_some());

    let mut files = files_of("xacct-sim");
    assert_eq!(circle(&edges(&files)), None);
    // The seam (`cloud`) names the typed operations; one inline path the
    // other way closes a circle.
    assert!(edges(&files)["cloud"].contains("operation"));
    let (_, operation) = files
        .iter_mut()
        .find(|(m, _)| m == "operation")
        .expect("operation.rs");
    operation.push_str("\nfn closes() { let _ = crate::cloud::DEFAULT_MAX_ATTEMPTS; }\n");
    let found = circle(&edges(&files)).expect("the circle is found");
    assert!(found.iter().any(|m| m == "operation"), "{found:?}");
}

#[test]
fn the_wall_check_fails_when_the_endpoint_depends_on_the_engine() {
    let mut packages = packages();
    let serve = package_mut(&mut packages, "xacct-serve");
    serve.workspace_deps.insert("xacct-iam".to_owned());
    assert_eq!(
        wall_breaches(&packages),
        vec!["xacct-serve depends on xacct-iam".to_owned()]
    );
}

#[test]
fn the_size_check_fails_on_a_long_file() {
    let mut files = every_file();
    let (_, text) = files.first_mut().expect("a file");
    text.push_str(&"// one more line\n".repeat(451));
    assert_eq!(long_files(&files).len(), 1);
}

#[test]
fn the_render_check_fails_when_a_command_builds_json() {
    let mut files = files_of("xacct");
    let (module, text) = files
        .iter_mut()
        .find(|(m, _)| m == "cli::run")
        .expect("cli/run.rs");
    text.push_str("\nfn own() -> String { serde_json::json!({}).to_string() }\n");
    let module = module.clone();
    assert_eq!(
        formatting_outside_render(&files),
        vec![format!("{module} formats output itself: json!(")]
    );
}
