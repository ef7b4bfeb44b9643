//! `xacct diff OLD NEW`: who gains and who loses a way into a role, and
//! whose grants change, between two worlds (scenarios, imported worlds, or
//! import inputs such as two Terraform plans); exit 1 when access appears,
//! so CI can gate on it.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::exit::Exit;
use crate::import::{ImportInputs, worlds_or_inputs};
use crate::render;
use crate::render::diff::{GrantDetail, Named};
use crate::sim::Comparison;

/// How much of the grants `xacct diff` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Grants {
    /// Edges only (grants are not compared).
    None,
    /// Per principal and service, with counts.
    Summary,
    /// Every grant.
    Full,
}

/// Formats of `xacct diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffOutput {
    /// For a terminal.
    Text,
    /// One JSON document.
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
}

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
    /// How much of the grants to show.
    #[arg(long, value_enum, default_value_t = Grants::Summary)]
    pub grants: Grants,
    /// The output format.
    #[arg(long, value_enum, default_value_t = DiffOutput::Text)]
    pub output: DiffOutput,
}

/// Runs `xacct diff`.
pub(super) fn execute(args: &DiffArgs) -> Exit {
    let mut settings = ImportInputs::default();
    let fail = |message: &str| {
        super::eprint(&format!("error: {message}\n"));
        Exit::InvalidInput
    };
    if let Err(message) = args.options.apply(&mut settings) {
        return fail(&message);
    }
    let (old, new) = match worlds_or_inputs(&[&args.old, &args.new], &settings)
        .map(|mut w| (w.remove(0), w.remove(0)))
    {
        Ok(worlds) => worlds,
        Err(e) => return fail(&e),
    };
    let detail = match args.grants {
        Grants::None => GrantDetail::None,
        Grants::Summary => GrantDetail::Summary,
        Grants::Full => GrantDetail::Full,
    };
    let comparison = Comparison::of(&old.world, &new.world, detail != GrantDetail::None);
    let (old_name, new_name) = (
        args.old.display().to_string(),
        args.new.display().to_string(),
    );
    let named = Named {
        old: &old_name,
        new: &new_name,
    };
    super::print(&match args.output {
        DiffOutput::Text => render::diff::text(&comparison, named, detail),
        DiffOutput::Json => render::diff::json(&comparison, named, detail),
        DiffOutput::Markdown => render::diff::markdown(&comparison, named, detail),
    });
    if comparison.opens_access() {
        Exit::CheckFailed
    } else {
        Exit::Ok
    }
}
