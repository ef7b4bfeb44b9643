//! `xacct diff OLD NEW`: who gains and who loses a way into a role, and
//! which principal-action-resource grants appear or disappear, between two
//! worlds (scenarios, imported worlds, or import inputs such as two
//! Terraform plans); exit 1 when access appears, so CI can gate on it.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::Exit;
use crate::import::{ImportInputs, import, input_kind};
use crate::input::{FileKind, read_text};
use crate::render;
use crate::sim::{self, Loaded};

/// Arguments of `xacct diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The world before: a scenario or imported world, or an import input.
    pub old: PathBuf,
    /// The world after.
    pub new: PathBuf,
    /// For import inputs: their accounts and CloudFormation parameters.
    #[command(flatten)]
    pub options: super::import_options::ImportOptions,
}

/// The world a file describes: loaded, or imported first when it is an
/// import input (`get-account-authorization-details`, Terraform, CloudFormation).
fn world(path: &Path, options: &super::import_options::ImportOptions) -> Result<Loaded, String> {
    let file = path.display().to_string();
    let text = read_text(path, FileKind::Import).map_err(|e| format!("{file}: {}", e.message))?;
    let Some(kind) = input_kind(&text) else {
        return sim::load(path).map_err(|e| e.to_string());
    };
    let mut inputs = ImportInputs {
        name: "diff".to_owned(),
        ..ImportInputs::default()
    };
    kind.add(&mut inputs, file.clone(), text);
    options.apply(&mut inputs)?;
    let imported = import(&inputs).map_err(|e| e.0)?;
    sim::parse(&imported.text, &file)
        .and_then(|s| sim::build(s, &file))
        .map_err(|e| e.to_string())
}

/// Runs `xacct diff`.
pub fn execute(args: &DiffArgs) -> Exit {
    let (old, new) = match (
        world(&args.old, &args.options),
        world(&args.new, &args.options),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    let edges = new.world.graph().diff(&old.world.graph());
    let grants = sim::grant_diff(&old.world, &new.world);
    super::print(&render::diff::text(
        &edges,
        &grants,
        &args.old.display().to_string(),
        &args.new.display().to_string(),
    ));
    if edges.added.is_empty() && grants.added.is_empty() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    }
}
