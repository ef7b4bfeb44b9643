//! Which accounts a run across accounts enters: the organization's (or a
//! given list), narrowed by `--ou`, with the ones it must not enter kept and
//! marked, so the report accounts for every account.

use std::collections::BTreeSet;

use crate::cloud::{AccountStatus, OrgListing};
use crate::validate::InputError;

/// Why an account is reported but not entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Named by `--exclude`.
    Excluded,
    /// The management account, left out unless `--include-management`.
    Management,
    /// Not `ACTIVE` (the status AWS lists, e.g. `SUSPENDED`).
    Inactive(String),
    /// Ctrl-C came before its turn.
    Interrupted,
    /// A second Ctrl-C abandoned it in flight (its command was killed).
    Abandoned,
    /// The listing gave an id that is no account id (12 digits): not
    /// entered, and reported failed, since an answer this wrong comes
    /// from a broken or hostile endpoint.
    Malformed,
    /// The listing gave this account again: it is entered once.
    Repeated,
}

impl Skip {
    /// A short reason for people and scripts.
    pub fn reason(&self) -> String {
        match self {
            Self::Excluded => "excluded (--exclude)".to_owned(),
            Self::Management => {
                "the management account (add --include-management to enter it)".to_owned()
            }
            Self::Inactive(status) => format!("the account is {status}"),
            Self::Interrupted => "interrupted before its turn".to_owned(),
            Self::Abandoned => "abandoned in flight by a second Ctrl-C".to_owned(),
            Self::Malformed => {
                "the organization listing gave an id that is not 12 digits; not entered".to_owned()
            }
            Self::Repeated => "listed again by the organization; entered once".to_owned(),
        }
    }

    /// The machine-readable name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Excluded => "excluded",
            Self::Management => "management",
            Self::Inactive(_) => "inactive",
            Self::Interrupted => "interrupted",
            Self::Abandoned => "abandoned",
            Self::Malformed => "malformed-id",
            Self::Repeated => "repeated",
        }
    }
}

/// One account of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The account id.
    pub id: String,
    /// Its name in the organization, when listed from one.
    pub name: Option<String>,
    /// `Root/Production/EU`, when listed from an organization.
    pub ou_path: Option<String>,
    /// Set when the account is reported but not entered.
    pub skip: Option<Skip>,
}

/// How `--ou`, `--exclude` and `--include-management` narrow the accounts.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// OU or root ids (`ou-...`, `r-...`) or name paths (`Production/EU`,
    /// `Root/Production`): accounts at or below any of them.
    pub ous: Vec<String>,
    /// Account ids to report but not enter.
    pub exclude: Vec<String>,
    /// Enter the management account too.
    pub include_management: bool,
}

fn input_error(field: &'static str, value: &str, rule: String, fix: &str) -> InputError {
    InputError {
        field,
        value: value.to_owned(),
        rule,
        fix: fix.to_owned(),
    }
}

/// Whether `ou` (an id or a name path) is on the account's way down.
fn under(ou: &str, parents: &[crate::cloud::OrgParent]) -> bool {
    if parents.iter().any(|p| p.id == ou) {
        return true;
    }
    let wanted: Vec<&str> = ou.trim_matches('/').split('/').collect();
    let names: Vec<&str> = parents.iter().map(|p| p.name.as_str()).collect();
    // A path may start at the root's name or below it.
    names.starts_with(&wanted) || names.get(1..).is_some_and(|n| n.starts_with(&wanted))
}

/// The organization's accounts as targets, or every problem with the
/// selection (an OU or an excluded account that is not there).
pub fn from_organization(
    listing: &OrgListing,
    selection: &Selection,
) -> Result<Vec<Target>, Vec<InputError>> {
    let mut errors = Vec::new();
    for ou in &selection.ous {
        if !listing.accounts.iter().any(|a| under(ou, &a.parents)) {
            errors.push(input_error(
                "--ou",
                ou,
                format!(
                    "no account of organization {} is at or below this OU",
                    listing.organization_id
                ),
                "pass an OU or root id (ou-..., r-...) or a path of OU names such as Production/EU",
            ));
        }
    }
    let known: BTreeSet<&str> = listing.accounts.iter().map(|a| a.id.as_str()).collect();
    for id in &selection.exclude {
        if !known.contains(id.as_str()) {
            errors.push(input_error(
                "--exclude",
                id,
                format!(
                    "not an account of organization {}",
                    listing.organization_id
                ),
                "check the id: an exclusion that matches nothing would enter the account you meant to leave out",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut seen = BTreeSet::new();
    let mut targets: Vec<Target> = listing
        .accounts
        .iter()
        .filter(|a| {
            selection.ous.is_empty() || selection.ous.iter().any(|ou| under(ou, &a.parents))
        })
        .map(|a| Target {
            id: a.id.clone(),
            name: Some(a.name.clone()),
            ou_path: Some(a.name_path()),
            skip: if !crate::iam::is_account_id(&a.id) {
                Some(Skip::Malformed)
            } else if !seen.insert(a.id.as_str()) {
                Some(Skip::Repeated)
            } else if selection.exclude.contains(&a.id) {
                Some(Skip::Excluded)
            } else if let AccountStatus::Inactive(status) = &a.status {
                Some(Skip::Inactive(status.clone()))
            } else if a.id == listing.management && !selection.include_management {
                Some(Skip::Management)
            } else {
                None
            },
        })
        .collect();
    targets.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(targets)
}

/// Account ids from `--accounts` and `--accounts-file` text: separated by
/// commas, spaces or lines, `#` starting a comment; each must be 12 digits,
/// and each is entered once.
pub fn from_list(
    field: &'static str,
    text: &str,
    selection: &Selection,
) -> Result<Vec<Target>, Vec<InputError>> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    let mut targets = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        for id in line.split(|c: char| c == ',' || c.is_whitespace()) {
            if id.is_empty() {
                continue;
            }
            if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(input_error(
                    field,
                    id,
                    "an account id is 12 digits".to_owned(),
                    "list account ids separated by commas, spaces or lines",
                ));
            } else if seen.insert(id.to_owned()) {
                targets.push(Target {
                    id: id.to_owned(),
                    name: None,
                    ou_path: None,
                    skip: selection
                        .exclude
                        .iter()
                        .any(|e| e == id)
                        .then_some(Skip::Excluded),
                });
            }
        }
    }
    for id in &selection.exclude {
        if !seen.contains(id.as_str()) {
            errors.push(input_error(
                "--exclude",
                id,
                format!("not one of the accounts of {field}"),
                "check the id: an exclusion that matches nothing would enter the account you meant to leave out",
            ));
        }
    }
    if targets.is_empty() && errors.is_empty() {
        let shown: String = text.trim().chars().take(80).collect();
        errors.push(input_error(
            field,
            &shown,
            "no account ids".to_owned(),
            "list at least one 12-digit account id",
        ));
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::{OrgAccount, OrgParent};

    fn parent(id: &str, name: &str) -> OrgParent {
        OrgParent {
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    fn listing() -> OrgListing {
        let root = parent("r-ab12", "Root");
        let prod = parent("ou-ab12-11111111", "Production");
        let eu = parent("ou-ab12-22222222", "EU");
        let account = |id: &str, parents: Vec<OrgParent>, status| OrgAccount {
            id: id.to_owned(),
            name: format!("acct-{id}"),
            status,
            parents,
        };
        OrgListing {
            organization_id: "o-a1b2c3d4e5".to_owned(),
            management: "111111111111".to_owned(),
            accounts: vec![
                account("111111111111", vec![root.clone()], AccountStatus::Active),
                account(
                    "222222222222",
                    vec![root.clone(), prod.clone()],
                    AccountStatus::Active,
                ),
                account(
                    "333333333333",
                    vec![root.clone(), prod.clone(), eu.clone()],
                    AccountStatus::Inactive("SUSPENDED".to_owned()),
                ),
                account("444444444444", vec![root, prod, eu], AccountStatus::Active),
            ],
        }
    }

    fn ids(targets: &[Target]) -> Vec<(&str, Option<&str>)> {
        targets
            .iter()
            .map(|t| (t.id.as_str(), t.skip.as_ref().map(Skip::name)))
            .collect()
    }

    #[test]
    fn the_management_account_and_inactive_ones_are_kept_but_not_entered() {
        let targets = from_organization(&listing(), &Selection::default()).unwrap();
        assert_eq!(
            ids(&targets),
            [
                ("111111111111", Some("management")),
                ("222222222222", None),
                ("333333333333", Some("inactive")),
                ("444444444444", None),
            ]
        );
        assert_eq!(targets[3].ou_path.as_deref(), Some("Root/Production/EU"));
    }

    #[test]
    fn an_ou_selects_by_id_or_by_name_path() {
        for ou in [
            "ou-ab12-22222222",
            "Production/EU",
            "Root/Production/EU",
            "/Production/EU/",
        ] {
            let selection = Selection {
                ous: vec![ou.to_owned()],
                ..Selection::default()
            };
            let targets = from_organization(&listing(), &selection).unwrap();
            assert_eq!(
                ids(&targets),
                [("333333333333", Some("inactive")), ("444444444444", None)],
                "{ou}"
            );
        }
    }

    #[test]
    fn an_unknown_ou_or_exclusion_is_refused_by_name() {
        let selection = Selection {
            ous: vec!["Staging".to_owned()],
            exclude: vec!["999999999999".to_owned()],
            include_management: true,
        };
        let errors = from_organization(&listing(), &selection).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (errors[0].field, errors[0].value.as_str()),
            ("--ou", "Staging")
        );
        assert_eq!(errors[1].value, "999999999999");
    }

    #[test]
    fn a_list_takes_commas_lines_and_comments_once_each() {
        let selection = Selection {
            exclude: vec!["222222222222".to_owned()],
            ..Selection::default()
        };
        let text = "111111111111, 222222222222\n# staging\n111111111111 333333333333 # dup\n";
        let targets = from_list("--accounts", text, &selection).unwrap();
        assert_eq!(
            ids(&targets),
            [
                ("111111111111", None),
                ("222222222222", Some("excluded")),
                ("333333333333", None)
            ]
        );
        let errors = from_list("--accounts", "12345, abc", &Selection::default()).unwrap_err();
        assert_eq!(errors.len(), 2);
        // An exclusion must name a listed account.
        let errors = from_list("--accounts", "111111111111", &selection).unwrap_err();
        assert_eq!(
            (errors[0].field, errors[0].value.as_str()),
            ("--exclude", "222222222222")
        );
        assert!(from_list("--accounts-file", "# nothing\n", &Selection::default()).is_err());
    }

    #[test]
    fn a_malformed_or_repeated_id_from_the_listing_is_never_entered() {
        let mut hostile = listing();
        let mut bad = hostile.accounts[1].clone();
        bad.id = "../../etc".to_owned();
        let again = hostile.accounts[1].clone();
        hostile.accounts.push(bad);
        hostile.accounts.push(again);
        let targets = from_organization(&hostile, &Selection::default()).unwrap();
        let skip = |id: &str| {
            targets
                .iter()
                .filter(|t| t.id == id)
                .map(|t| t.skip.as_ref().map(Skip::name))
                .collect::<Vec<_>>()
        };
        assert_eq!(skip("../../etc"), [Some("malformed-id")]);
        assert_eq!(
            skip("222222222222"),
            [None, Some("repeated")],
            "entered once"
        );
    }
}
