//! Worlds named by files that are each either a scenario or imported world,
//! or an import input (`get-account-authorization-details`, a Terraform
//! plan or state, a CloudFormation template), imported first with the
//! accounts and parameters given: what `xacct diff` compares.

use std::path::Path;

use super::input_kind::input_kind;
use super::world_file::{ImportInputs, import};
use crate::input::{FileKind, read_text};
use crate::sim::{self, Loaded};

/// The worlds `paths` describe, in order; `settings` carries the accounts
/// and parameters for import inputs, which must name those inputs and
/// parameters some template among them declares.
pub fn worlds_or_inputs(paths: &[&Path], settings: &ImportInputs) -> Result<Vec<Loaded>, String> {
    let mut read = Vec::new();
    let mut all = settings.clone();
    for path in paths {
        let file = path.display().to_string();
        let text =
            read_text(path, FileKind::Import).map_err(|e| format!("{file}: {}", e.message))?;
        let kind = input_kind(&text);
        if let Some(kind) = kind {
            kind.add(&mut all, file.clone(), text.clone());
        }
        read.push((path, file, text, kind));
    }
    all.check_options().map_err(|e| e.0)?;
    read.into_iter()
        .map(|(path, file, text, kind)| {
            let Some(kind) = kind else {
                return sim::load(path).map_err(|e| e.to_string());
            };
            let mut inputs = ImportInputs {
                name: "world".to_owned(),
                ..settings.clone()
            };
            // Settings for the other files are not this input's.
            inputs.accounts.retain(|f, _| *f == file);
            inputs.template_parameters.retain(|f, _| *f == file);
            kind.add(&mut inputs, file.clone(), text);
            let imported = import(&inputs).map_err(|e| e.0)?;
            sim::parse(&imported.text, &file)
                .and_then(|s| sim::build(s, &file))
                .map_err(|e| e.to_string())
        })
        .collect()
}
