//! The options that complete import inputs, shared by `xacct import` and
//! `xacct diff`: whose account each input is, and the CloudFormation
//! parameter values a deployment would pass.

use std::collections::BTreeMap;
use std::path::Path;

use clap::Args;

use crate::import::ImportInputs;
use crate::input::{FileKind, read_text};

/// Accounts and parameters for import inputs.
#[derive(Debug, Args, Default)]
pub struct ImportOptions {
    /// The account of every input that does not say its own (CloudFormation
    /// templates; Terraform resources whose provider names none); FILE=ID
    /// gives one input its account, FILE=ID,ID a template deployed to
    /// several (repeatable, so templates of several accounts make one world).
    #[arg(long, value_name = "ID|FILE=ID[,ID]")]
    pub account: Vec<String>,
    /// A CloudFormation parameter value for every template, KEY=VALUE
    /// (repeatable).
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub parameter: Vec<String>,
    /// CloudFormation parameter values from a file: the JSON list `aws
    /// cloudformation create-stack --parameters file://` takes
    /// (`[{"ParameterKey": ..., "ParameterValue": ...}]`) or a template
    /// configuration (`{"Parameters": {...}}`); TEMPLATE=FILE for one
    /// template only (repeatable).
    #[arg(long = "parameters", value_name = "FILE|TEMPLATE=FILE")]
    pub parameters: Vec<String>,
}

/// `KEY=VALUE`, or what is wrong with it.
fn pair<'a>(text: &'a str, flag: &str, example: &str) -> Result<(&'a str, &'a str), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k, v)),
        _ => Err(format!(
            "{flag} `{text}` is not KEY=VALUE; write e.g. {flag} {example}"
        )),
    }
}

/// The values of a parameters file.
fn parameters_file(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let name = path.display();
    let text = read_text(path, FileKind::Import).map_err(|e| format!("{name}: {}", e.message))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{name}: not JSON ({e}); a parameters file is [{{\"ParameterKey\": \"K\", \"ParameterValue\": \"V\"}}]"))?;
    let text_of = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut out = BTreeMap::new();
    match &json {
        serde_json::Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                let key = item["ParameterKey"].as_str();
                let value = text_of(&item["ParameterValue"]);
                match (key, value) {
                    (Some(k), Some(v)) => {
                        out.insert(k.to_owned(), v);
                    }
                    _ => {
                        return Err(format!(
                            "{name}: [{i}] needs a ParameterKey and a ParameterValue (UsePreviousValue and ResolvedValue are a deployed stack's, which xacct does not read)"
                        ));
                    }
                }
            }
        }
        serde_json::Value::Object(map) if map.get("Parameters").is_some_and(|p| p.is_object()) => {
            for (k, v) in map["Parameters"].as_object().into_iter().flatten() {
                let v = text_of(v).ok_or_else(|| {
                    format!("{name}: Parameters.{k} must be a string, number or boolean")
                })?;
                out.insert(k.clone(), v);
            }
        }
        _ => {
            return Err(format!(
                "{name}: a parameters file is the list [{{\"ParameterKey\": \"K\", \"ParameterValue\": \"V\"}}] or {{\"Parameters\": {{\"K\": \"V\"}}}}"
            ));
        }
    }
    Ok(out)
}

impl ImportOptions {
    /// Puts the accounts and parameters into `inputs`.
    pub fn apply(&self, inputs: &mut ImportInputs) -> Result<(), String> {
        for given in &self.account {
            match given.rsplit_once('=') {
                Some((file, ids)) => {
                    for id in ids.split(',') {
                        crate::validate::account_id(id).map_err(|e| e.to_string())?;
                        inputs
                            .accounts
                            .entry(file.to_owned())
                            .or_default()
                            .push(id.to_owned());
                    }
                }
                None => {
                    crate::validate::account_id(given).map_err(|e| e.to_string())?;
                    if let Some(first) = inputs.account.replace(given.clone())
                        && first != *given
                    {
                        return Err(format!(
                            "--account is given twice for every input ({first}, {given}); give one, or FILE=ID for each input"
                        ));
                    }
                }
            }
        }
        for given in &self.parameters {
            match given.split_once('=') {
                Some((template, file)) => {
                    let values = parameters_file(Path::new(file))?;
                    inputs
                        .template_parameters
                        .entry(template.to_owned())
                        .or_default()
                        .extend(values);
                }
                None => inputs.parameters.extend(parameters_file(Path::new(given))?),
            }
        }
        for given in &self.parameter {
            let (k, v) = pair(given, "--parameter", "ToolsAccount=111111111111")?;
            inputs.parameters.insert(k.to_owned(), v.to_owned());
        }
        Ok(())
    }
}
