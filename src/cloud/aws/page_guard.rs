//! One guard for every paged listing read from an endpoint (Organizations
//! for `run --org` and `import --org`, IAM for `import`): a page token the
//! listing already gave (a cycle such as A -> B -> A, which the SDK's
//! paginators do not catch) or a listing past the page cap ends it with an
//! error (exit 5), instead of paging forever.

use std::collections::BTreeSet;

use crate::cloud::{CloudError, ListingCaps, Operation};

/// The tokens one listing has given.
#[derive(Debug)]
pub(super) struct Pages {
    seen: BTreeSet<String>,
    caps: ListingCaps,
    operation: Operation,
    listing: String,
}

impl Pages {
    /// A listing called `listing` (`ListAccountsForParent of "r-ab12"`).
    pub(super) fn new(operation: Operation, listing: String, caps: ListingCaps) -> Self {
        Self {
            seen: BTreeSet::new(),
            caps,
            operation,
            listing,
        }
    }

    /// After a page: its next token, or the end (`None`); a token given
    /// before, or one page past the cap, is an error.
    pub(super) fn next(&mut self, token: Option<&str>) -> Result<Option<String>, CloudError> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if !self.seen.insert(token.to_owned()) {
            return Err(ListingCaps::endless(
                self.operation,
                &format!(
                    "{} repeated a page token it had already given",
                    self.listing
                ),
            ));
        }
        self.caps
            .check_pages(self.operation, self.seen.len() + 1, &self.listing)?;
        Ok(Some(token.to_owned()))
    }
}

impl Pages {
    /// Every item of the listing: `fetch` is given each page's token
    /// (none for the first) and answers the page's items and next token.
    pub(super) async fn collect<T, F, Fut>(mut self, mut fetch: F) -> Result<Vec<T>, CloudError>
    where
        F: FnMut(Option<String>) -> Fut,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), CloudError>>,
    {
        let (mut all, mut token) = (Vec::new(), None);
        loop {
            let (items, next) = fetch(token).await?;
            all.extend(items);
            token = self.next(next.as_deref())?;
            if token.is_none() {
                return Ok(all);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_and_a_listing_past_the_cap_end_it() {
        let caps = ListingCaps {
            pages: 3,
            accounts: 10,
        };
        let mut pages = Pages::new(Operation::ListOrganization, "L".to_owned(), caps);
        assert_eq!(pages.next(Some("A")).ok().flatten().as_deref(), Some("A"));
        assert_eq!(pages.next(Some("B")).ok().flatten().as_deref(), Some("B"));
        let cycle = pages.next(Some("A")).err().map(|e| e.message);
        assert!(cycle.is_some_and(|m| m.contains("L repeated a page token")));
        let mut pages = Pages::new(Operation::ListOrganization, "L".to_owned(), caps);
        assert!(pages.next(Some("1")).is_ok() && pages.next(Some("2")).is_ok());
        let past = pages.next(Some("3")).err().map(|e| e.message);
        assert!(
            past.is_some_and(|m| m.contains("L went past 3 pages")),
            "a 4th page"
        );
        assert_eq!(pages.next(None).ok(), Some(None));
    }
}
