//! Pictures of a world of 125 roles (`tests/picture_world.rs`): the graph
//! and the built-in SVG layout in process, then `xacct graph --format svg`
//! (whole, and one account) and `xacct demo --html` as processes, as a user
//! runs them. `cargo bench --bench pictures`; the world and its pictures
//! are left in `target/pictures/` to look at.

#![allow(missing_docs, reason = "criterion_group! generates undocumented items")]
#![allow(
    clippy::expect_used,
    reason = "a benchmark fails loudly on bad fixtures"
)]

#[path = "../tests/picture_world.rs"]
mod picture_world;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use xacct::render::graph::{Detail, svg};
use xacct::sim;

fn world() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/pictures");
    std::fs::create_dir_all(&dir).expect("target/pictures");
    let path = dir.join("pictures.yaml");
    std::fs::write(&path, picture_world::scenario()).expect("written");
    path
}

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(args)
        .output()
        .expect("xacct runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn pictures(c: &mut Criterion) {
    let path = world();
    let file = path.to_str().expect("utf-8");
    let loaded = sim::load(&path).expect("the world loads");
    let graph = loaded.world.graph();
    let edges: Vec<_> = graph.edges().iter().collect();
    c.bench_function("svg layout and drawing, 125 roles (in process)", |b| {
        b.iter(|| svg(&graph, &edges, &[], Detail::Principals).expect("drawn"));
    });
    let dir = path.parent().expect("a directory");
    std::fs::write(
        dir.join("whole.svg"),
        run(&["graph", file, "--format", "svg"]),
    )
    .expect("svg");
    std::fs::write(
        dir.join("one-account.svg"),
        run(&[
            "graph",
            file,
            "--format",
            "svg",
            "--account",
            picture_world::ACCOUNTS[1],
        ]),
    )
    .expect("svg");
    c.bench_function("xacct graph --format svg, 125 roles", |b| {
        b.iter(|| run(&["graph", file, "--format", "svg"]));
    });
    let page = dir.join("demo.html");
    let page = page.to_str().expect("utf-8");
    c.bench_function("xacct demo --html, 125 roles", |b| {
        b.iter(|| run(&["demo", file, "--html", page]));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = pictures
}
criterion_main!(benches);
