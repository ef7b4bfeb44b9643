//! `xacct import`: a scenario world from what AWS says about real accounts.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::exit::Exit;
use crate::import::{
    ImportInputs, InputKind, LiveImportError, LiveOptions, import_live, input_kind,
};
use crate::input::{FileKind, read_text};

/// Arguments of `xacct import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// `aws iam get-account-authorization-details` output (one file per account) or
    /// `terraform show -json` output of a plan or a state, or a CloudFormation template
    /// (JSON or YAML); told apart by their content.
    #[arg(value_name = "FILE", required_unless_present_any = ["profile", "role_arn", "live"])]
    pub files: Vec<PathBuf>,
    /// Read an account live through this profile's credentials (repeatable: one account each).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Vec<String>,
    /// Also read the account of this role, assumed from the first account's
    /// credentials (repeatable).
    #[arg(long = "role-arn", value_name = "ARN")]
    pub role_arn: Vec<String>,
    /// Read the account of the default credential chain live.
    #[arg(long)]
    pub live: bool,
    /// Also read the organization (OUs, SCPs, RCPs) through the first account,
    /// which must be the management account.
    #[arg(long)]
    pub org: bool,
    /// The organization from a directory of `aws organizations` output
    /// (describe-organization.json, list-roots.json, ous-PARENT.json, ...).
    #[arg(long = "org-dir", value_name = "DIR")]
    pub org_dir: Option<PathBuf>,
    /// The region, the endpoint and the time limits of live reads.
    #[command(flatten)]
    pub(crate) connection: super::connection_args::ConnectionArgs,
    /// Accounts and CloudFormation parameters of the inputs.
    #[command(flatten)]
    pub options: super::import_options::ImportOptions,
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

/// A spinner on stderr while accounts are read live; drawn only when
/// stderr is a terminal (indicatif hides it otherwise), and only from the
/// first account read on, once any MFA code has been asked for.
fn progress(live: bool) -> indicatif::ProgressBar {
    if live {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Runs `xacct import`.
pub(super) fn execute(args: &ImportArgs, clock: &dyn crate::clock::Clock) -> Exit {
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
    inputs.org_dir.clone_from(&args.org_dir);
    for path in &args.files {
        match read(path) {
            // Anything else is taken as authorization details, whose
            // reader names what is wrong with it.
            Ok((file, text)) => input_kind(&text)
                .unwrap_or(InputKind::AuthorizationDetails)
                .add(&mut inputs, file, text),
            Err(message) => return fail(&message),
        }
    }
    if let Err(message) = args.options.apply(&mut inputs) {
        return fail(&message);
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
    if let Err(e) = inputs.check_options() {
        return fail(&e.0);
    }
    let live = LiveOptions {
        profiles: args.profile.clone(),
        role_arns: args.role_arn.clone(),
        live: args.live,
        org: args.org,
        region: args.connection.region.clone(),
        endpoint_url: args.connection.endpoint_url.clone(),
        call_timeout: args.connection.call_timeout(),
        credentials_limit: args.connection.credentials_limit(),
    };
    let runtime = match super::runtime(live.any()) {
        Ok(runtime) => runtime,
        Err(message) => return fail(&message),
    };
    let progress = progress(live.any());
    let ticking = std::sync::Once::new();
    let step = |what: &str| {
        ticking.call_once(|| progress.enable_steady_tick(std::time::Duration::from_millis(120)));
        progress.set_message(what.to_owned());
    };
    let outcome = runtime.block_on(import_live(inputs, &live, &step, clock));
    progress.finish_and_clear();
    let imported = match outcome {
        Ok(imported) => imported,
        Err(LiveImportError::Input(e)) => return fail(&e.0),
        Err(e @ LiveImportError::Cloud { .. }) => {
            super::eprint(&format!("error: {e}\n"));
            return match e {
                LiveImportError::Cloud { error, .. } => Exit::from(error.class),
                LiveImportError::Input(_) => Exit::InvalidInput,
            };
        }
    };
    for note in &imported.notes {
        super::eprint(&format!("note: {note}\n"));
    }
    let (accounts, users, roles) = imported.counts;
    match &args.output {
        None => super::print(&imported.text),
        Some(path) => {
            // A reader never sees half a world, and nothing planted beside
            // it is followed.
            if let Err(e) = crate::atomic_file::write(path, imported.text.as_bytes()) {
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
