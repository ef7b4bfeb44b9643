//! The ids an organization's files name, checked before a file name is
//! built from one: `--org-dir` reads `ous-ID.json`, `accounts-ID.json`,
//! `policy-ID.json` and `targets-ID.json`, and an id such as `../../etc`
//! inside a file must never lead outside the directory. The patterns are
//! the Organizations API Reference's (RootId, ParentId, PolicyId,
//! AccountId).

use std::path::Path;

/// The kind of id a file names.
#[derive(Debug, Clone, Copy)]
pub(super) enum OrgId {
    /// A root or an OU (`ParentId`).
    Parent,
    /// A policy (`PolicyId`).
    Policy,
    /// An account (`AccountId`).
    Account,
}

/// Whether `s` is `min..=max` characters each accepted by `ok`.
fn run(s: &str, min: usize, max: usize, ok: impl Fn(char) -> bool) -> bool {
    (min..=max).contains(&s.len()) && s.chars().all(ok)
}

fn lower_or_digit(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

impl OrgId {
    /// Whether `id` has this kind's shape.
    fn fits(self, id: &str) -> bool {
        match self {
            Self::Parent => {
                if let Some(rest) = id.strip_prefix("r-") {
                    return run(rest, 4, 32, lower_or_digit);
                }
                id.strip_prefix("ou-")
                    .and_then(|rest| rest.split_once('-'))
                    .is_some_and(|(root, unit)| {
                        run(root, 4, 32, lower_or_digit) && run(unit, 8, 32, lower_or_digit)
                    })
            }
            Self::Policy => id
                .strip_prefix("p-")
                .is_some_and(|rest| run(rest, 8, 128, |c| c.is_ascii_alphanumeric() || c == '_')),
            Self::Account => run(id, 12, 12, |c| c.is_ascii_digit()),
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Self::Parent => {
                "a root id is r- and 4-32 lower-case letters or digits, an OU id ou-, 4-32 of them, a dash and 8-32 more"
            }
            Self::Policy => "a policy id is p- and 8-128 letters, digits or underscores",
            Self::Account => "an account id is 12 digits",
        }
    }

    /// `id`, when it has this kind's shape; else the error naming the file
    /// it came from.
    pub(super) fn checked<'i>(self, id: &'i str, from: &Path) -> Result<&'i str, String> {
        if self.fits(id) {
            return Ok(id);
        }
        Err(format!(
            "{}: `{}` is not an id Organizations gives ({}); the file is not `aws organizations` output, and no file name is built from it",
            from.display(),
            crate::render::terminal_safe(id),
            self.rule()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::OrgId;

    #[test]
    fn ids_of_the_api_reference_shapes_pass_and_paths_do_not() {
        for id in ["r-ab12", "ou-ab12-abcdefgh", "ou-ab12-0123456789abcdef"] {
            assert!(OrgId::Parent.fits(id), "{id}");
        }
        for id in [
            "../../etc",
            "r-AB12",
            "r-ab1",
            "ou-ab12-abc",
            "ou-ab12-abcdefgh/..",
            "ou-ab12",
        ] {
            assert!(!OrgId::Parent.fits(id), "{id}");
        }
        assert!(OrgId::Policy.fits("p-FullAWSAccess") && OrgId::Policy.fits("p-abcd1234"));
        assert!(!OrgId::Policy.fits("p-../../x") && !OrgId::Policy.fits("p-short"));
        assert!(OrgId::Account.fits("111111111111"));
        assert!(!OrgId::Account.fits("11111111111") && !OrgId::Account.fits("../111111111"));
    }
}
