//! The names a world holds, and the nearest one to a name that is not
//! there, so a typo in an assertion, a lint expectation, a run or a
//! command's flag is refused with "did you mean ...?" instead of passing.

use super::world::World;

/// The candidate nearest to `name` by edit distance, if it is near enough
/// to be a typo of it (at most a quarter of its length, and at least 2 edits).
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 4).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

impl World {
    /// Every name the world holds: its accounts' ids and root ARNs, and the
    /// ARNs of its users, roles and OIDC providers.
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for account in self.model().accounts.values() {
            out.push(account.id.clone());
            out.push(format!("arn:aws:iam::{}:root", account.id));
            out.extend(account.users.values().map(super::model::User::arn));
            out.extend(account.roles.values().map(super::model::Role::arn));
            out.extend(
                account
                    .oidc_providers
                    .values()
                    .map(|p| format!("arn:aws:iam::{}:oidc-provider/{}", account.id, p.issuer)),
            );
        }
        out
    }

    /// `; did you mean X?` for the world's name nearest to `name`, or
    /// nothing when none is near.
    pub fn nearest_hint(&self, name: &str) -> String {
        let names = self.names();
        nearest(name, names.iter().map(String::as_str))
            .map(|n| format!("; did you mean {n}?"))
            .unwrap_or_default()
    }
}
