//! `xacct import`: a scenario world from what AWS says about real accounts.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::Exit;
use crate::import::{ImportInputs, import};
use crate::input::{FileKind, read_text};

/// Arguments of `xacct import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// `aws iam get-account-authorization-details` output (one file per account) or
    /// `terraform show -json` output of a plan or a state; told apart by their content.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The account of Terraform resources whose provider configuration names none.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// `aws s3api list-buckets` output of an account, ACCOUNT=FILE (repeatable).
    #[arg(long = "buckets", value_name = "ACCOUNT=FILE")]
    pub buckets: Vec<String>,
    /// Write the world here (its name is the file's stem); default: stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn fail(message: &str) -> Exit {
    super::eprint(&format!("error: {message}\n"));
    Exit::InvalidInput
}

fn read(path: &Path) -> Result<(String, String), String> {
    read_text(path, FileKind::Import)
        .map(|text| (path.display().to_string(), text))
        .map_err(|e| format!("{}: {}", path.display(), e.message))
}

/// Whether a file is `terraform show -json` output (it names its format
/// and Terraform version at the top).
fn is_terraform(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("terraform_version").is_some() || v.get("format_version").is_some())
}

/// Runs `xacct import`.
pub fn execute(args: &ImportArgs) -> Exit {
    let name = args
        .output
        .as_ref()
        .and_then(|p| p.file_stem())
        .map_or_else(
            || "imported".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
    let mut inputs = ImportInputs {
        name,
        ..ImportInputs::default()
    };
    inputs.account.clone_from(&args.account);
    for path in &args.files {
        match read(path) {
            Ok(file) if is_terraform(&file.1) => inputs.terraform.push(file),
            Ok(file) => inputs.auth_details.push(file),
            Err(message) => return fail(&message),
        }
    }
    for pair in &args.buckets {
        let Some((account, path)) = pair.split_once('=') else {
            return fail(&format!(
                "--buckets `{pair}` is not ACCOUNT=FILE; write e.g. --buckets 111111111111=buckets-a.json"
            ));
        };
        match read(Path::new(path)) {
            Ok((file, text)) => inputs.buckets.push((account.to_owned(), file, text)),
            Err(message) => return fail(&message),
        }
    }
    let imported = match import(&inputs) {
        Ok(imported) => imported,
        Err(e) => return fail(&e.0),
    };
    for note in &imported.notes {
        super::eprint(&format!("note: {note}\n"));
    }
    let (accounts, users, roles) = imported.counts;
    match &args.output {
        None => super::print(&imported.text),
        Some(path) => {
            // Written beside the target, then renamed over it: a reader
            // never sees half a world.
            let partial = path.with_extension("yaml.partial");
            let written = std::fs::write(&partial, &imported.text)
                .and_then(|()| std::fs::rename(&partial, path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&partial);
                super::eprint(&format!("error: cannot write {}: {e}\n", path.display()));
                return Exit::Unexpected;
            }
            super::eprint(&format!(
                "imported {accounts} account(s), {users} user(s), {roles} role(s) into {}\n",
                path.display()
            ));
        }
    }
    Exit::Ok
}
