//! The built-in pictures: a world of 125 roles drawn in layers, legible
//! (no box over another, every edge drawn, a filtered view one screen
//! wide), the filters and the collapsed view, and the marks and legend.

use std::path::Path;
use std::process::{Command, Output};

use crate::picture_world::{self, ACCOUNTS};

fn xacct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("xacct runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn world(dir: &Path) -> String {
    let path = dir.join("pictures.yaml");
    std::fs::write(&path, picture_world::scenario()).expect("written");
    path.to_str().expect("utf-8").to_owned()
}

/// A number attribute of an SVG element.
fn attr(element: &str, name: &str) -> f64 {
    let start = element
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("{name} in {element}"))
        + name.len()
        + 3;
    let rest = &element[start..];
    rest[..rest.find('"').expect("closed")]
        .parse()
        .expect("a number")
}

/// The boxes of the nodes: (x, y, width) each.
fn boxes(svg: &str) -> Vec<(f64, f64, f64)> {
    svg.split("<g class=\"node")
        .skip(1)
        .map(|node| {
            let rect = &node[node.find("<rect").expect("a box")..];
            let rect = &rect[..rect.find("/>").expect("closed")];
            (attr(rect, "x"), attr(rect, "y"), attr(rect, "width"))
        })
        .collect()
}

fn svg_size(svg: &str) -> (f64, f64) {
    let head = &svg[..svg.find('>').expect("a root element")];
    (attr(head, "width"), attr(head, "height"))
}

#[test]
fn a_world_of_125_roles_is_drawn_in_layers_with_every_edge_and_no_box_over_another() {
    let dir = tempfile::tempdir().expect("dir");
    let world = world(dir.path());
    let text = stdout(&xacct(&["graph", &world]));
    let edges = text.lines().filter(|l| l.contains("--assume-->")).count();
    assert!(edges > 125, "{edges} edges: {text}");
    let out = xacct(&["graph", &world, "--format", "svg"]);
    assert_eq!(out.status.code(), Some(0));
    let svg = stdout(&out);
    assert_eq!(svg.matches("<g class=\"edge\"").count(), edges);
    let boxes = boxes(&svg);
    let roles = text
        .lines()
        .filter_map(|l| l.split(" --assume--> ").nth(1))
        .map(|r| r.split_whitespace().next().unwrap_or_default())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(roles.len(), 125, "every role is reachable in this world");
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart_x = a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0;
            let apart_y = (a.1 - b.1).abs() >= 28.0;
            assert!(apart_x || apart_y, "boxes overlap: {a:?} {b:?}");
        }
    }
    // Layers, not a staircase: callers, hub roles, workload roles and the
    // roles chained from those fit in a few columns.
    let (width, _) = svg_size(&svg);
    assert!(width < 2400.0, "{width} px wide");
    // Labels only what is not obvious: conditions, never "cross-account".
    assert!(!svg.contains(">cross-account<"), "no redundant label");
    assert!(
        svg.contains("MultiFactorAuthPresent"),
        "conditions are labelled"
    );
    // Once per caller and wording: bob's and carol's MFA fan-outs into 20
    // roles each say it on one edge (two label lines at most), and every
    // edge's tooltip says it.
    let mfa = |pieces: std::str::Split<'_, &str>| {
        pieces
            .skip(1)
            .filter(|t| {
                t.split("</")
                    .next()
                    .is_some_and(|x| x.contains("MultiFactorAuthPresent"))
            })
            .count()
    };
    let (labels, tooltips) = (
        mfa(svg.split("<tspan")),
        mfa(svg.split("<g class=\"edge\"><title>")),
    );
    assert!(tooltips >= 40, "{tooltips} edges say it in their tooltip");
    assert!(labels <= 4, "{labels} label lines say it");
    // The vendor role trusted from outside is a finding: marked, with a legend.
    assert!(
        svg.contains(
            "<g class=\"node finding\"><title>arn:aws:iam::200000000001:role/vendor-audit</title>"
        ),
        "the finding is marked"
    );
    assert!(
        svg.contains("named by a finding") && svg.contains("only under conditions"),
        "a legend"
    );
}

#[test]
fn filters_show_a_part_one_screen_wide() {
    let dir = tempfile::tempdir().expect("dir");
    let world = world(dir.path());
    let account = xacct(&["graph", &world, "--account", ACCOUNTS[1], "--format", "svg"]);
    assert_eq!(account.status.code(), Some(0));
    let svg = stdout(&account);
    assert!(svg_size(&svg).0 <= 1600.0, "{:?}", svg_size(&svg));
    let text = stdout(&xacct(&["graph", &world, "--account", ACCOUNTS[1]]));
    assert!(
        text.lines()
            .filter(|l| l.contains("-->"))
            .all(|l| l.contains(ACCOUNTS[1])),
        "{text}"
    );

    // --role: the roles matched and every chain into them.
    let role = stdout(&xacct(&["graph", &world, "--role", "app-3"]));
    assert!(
        role.contains(&format!(
            "--assume--> arn:aws:iam::{}:role/app-3",
            ACCOUNTS[0]
        )),
        "{role}"
    );
    assert!(
        role.contains(&format!(
            "arn:aws:iam::{}:role/app-0 --assume--> arn:aws:iam::{}:role/app-3",
            ACCOUNTS[1], ACCOUNTS[0]
        )),
        "the chain's callers: {role}"
    );
    assert!(
        role.contains(&format!(
            "user/alice --assume--> arn:aws:iam::{}:role/app-0",
            ACCOUNTS[1]
        )),
        "and who reaches them: {role}"
    );
    assert!(!role.contains("role/app-1 "), "{role}");

    let findings = stdout(&xacct(&["graph", &world, "--findings-only"]));
    assert!(
        findings
            .contains("999999999999:root --assume--> arn:aws:iam::200000000001:role/vendor-audit"),
        "{findings}"
    );

    let none = xacct(&["graph", &world, "--role", "nothing-*"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("matches --role nothing-*"));
    let bad = xacct(&["graph", &world, "--account", "12"]);
    assert_eq!(bad.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("an account id is 12 digits"));
}

#[test]
fn accounts_collapse_to_one_node_each_with_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let world = world(dir.path());
    let text = stdout(&xacct(&["graph", &world, "--collapse-accounts"]));
    // One line per pair of accounts, counting the principals of the one
    // that can assume roles of the other.
    assert!(
        text.contains(&format!(
            "account 100000000000 --assume--> account {}  [",
            ACCOUNTS[0]
        )),
        "{text}"
    );
    assert!(text.contains("always]"), "{text}");
    assert!(
        text.contains("anyone") || text.contains("account 999999999999"),
        "the outside caller: {text}"
    );
    let svg = stdout(&xacct(&[
        "graph",
        &world,
        "--collapse-accounts",
        "--format",
        "svg",
    ]));
    assert_eq!(boxes(&svg).len(), 6, "five accounts and the outside one");
    let mermaid = stdout(&xacct(&[
        "graph",
        &world,
        "--collapse-accounts",
        "--format",
        "mermaid",
    ]));
    assert!(mermaid.starts_with("flowchart LR"));
    let json = xacct(&["graph", &world, "--collapse-accounts", "--format", "json"]);
    assert_eq!(json.status.code(), Some(3));
    // Principals are counted, not edges: the OIDC provider reaches three
    // roles of its account (one only under conditions) and github-oidc two
    // of the other; each is one principal that always gets in somewhere.
    let counted = stdout(&xacct(&[
        "graph",
        "scenarios/session-tags-chain.yaml",
        "--collapse-accounts",
    ]));
    assert_eq!(
        counted,
        "account 111111111111 --assume--> account 111111111111  [1 always]\naccount 111111111111 --assume--> account 222222222222  [1 always]\n"
    );
    // Each count is its own: both are drawn, though they read alike.
    let svg = stdout(&xacct(&[
        "graph",
        "scenarios/session-tags-chain.yaml",
        "--collapse-accounts",
        "--format",
        "svg",
    ]));
    assert_eq!(svg.matches(">1 always</tspan>").count(), 2, "{svg}");
}

#[test]
fn the_lesson_s_lint_finding_marks_its_role() {
    // root-principal-overreach: the linter's trust-account-principal finding
    // is about s3-viewer, which the analysis alone does not flag.
    let svg = stdout(&xacct(&[
        "graph",
        "scenarios/root-principal-overreach.yaml",
        "--format",
        "svg",
    ]));
    assert!(
        svg.contains(
            "<g class=\"node finding\"><title>arn:aws:iam::222222222222:role/s3-viewer</title>"
        ),
        "{svg}"
    );
    let fixed = stdout(&xacct(&[
        "graph",
        "scenarios/root-principal-fixed.yaml",
        "--format",
        "svg",
    ]));
    assert!(
        !fixed.contains("node finding\"><title>arn:aws:iam::222222222222:role/s3-viewer"),
        "{fixed}"
    );
}

#[test]
fn a_filtered_view_shows_the_findings_about_what_it_shows() {
    let world = "scenarios/session-tags-chain.yaml";
    let whole = stdout(&xacct(&["graph", world]));
    assert_eq!(whole.matches("FINDING").count(), 2, "{whole}");
    // The chain into deploy touches neither role a finding is about.
    let deploy = stdout(&xacct(&["graph", world, "--role", "deploy"]));
    assert!(!deploy.contains("FINDING"), "{deploy}");
    assert!(deploy.contains("role/deploy"), "{deploy}");
    // oidc-tagged: its own finding, not its fixed twin's.
    let tagged = stdout(&xacct(&["graph", world, "--role", "oidc-tagged"]));
    assert_eq!(tagged.matches("FINDING").count(), 1, "{tagged}");
    assert!(
        tagged.contains("role/oidc-tagged can be assumed"),
        "{tagged}"
    );
    let json = stdout(&xacct(&[
        "graph",
        world,
        "--role",
        "oidc-tagged",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(1), "{json}");
}
