//! `xacct import`: a scenario world built from what AWS says about real
//! accounts, written deterministically (sorted, no timestamps) so that two
//! imports diff well, and loadable by `sim`, `serve`, `demo` and `policy`.
//!
//! Sources so far: files of `aws iam get-account-authorization-details`
//! (one per account; the raw API's URL-encoded policy documents and the AWS
//! CLI's decoded ones alike), `aws s3api list-buckets` output per account,
//! `terraform show -json` output of a plan or a state, CloudFormation templates
//! (JSON or YAML), and live accounts through the SDK. The world is checked by the simulator's own loader before
//! anything is written.

mod auth_details;
mod auth_details_format;
mod bucket_out;
mod cfn_budget;
mod cfn_data;
mod cfn_resolve;
mod cfn_sub;
mod cfn_yaml;
mod cloudformation;
mod input_kind;
mod live;
mod org_files;
mod org_ids;
mod org_out;
mod principal_out;
mod refused;
mod sorted;
mod terraform;
mod terraform_config;
mod terraform_data;
mod terraform_resource;
mod undecided_deny;
mod unknown_policy;
mod world_file;
mod world_or_input;

pub use auth_details::{AccountImport, read_auth_details};
pub use cloudformation::{is_template, read_cloudformation};
pub use input_kind::{InputKind, input_kind};
pub use live::{LiveImportError, LiveOptions, import_live};
pub use terraform::read_terraform;
pub use world_file::{ImportError, ImportInputs, Imported, import};
pub use world_or_input::worlds_or_inputs;
