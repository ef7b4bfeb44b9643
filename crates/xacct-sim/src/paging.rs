//! Paging as IAM (`MaxItems`/`Marker`) and Organizations
//! (`MaxResults`/`NextToken`) do it: a page of at most `max` items from
//! `start`, and an opaque token for the next page while items remain.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// One page asked for: where it starts and how long it may be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    /// The index of the first item.
    pub(crate) start: usize,
    /// The most items the page holds.
    pub(crate) max: usize,
}

impl Paging {
    /// The page `token` (a token this world handed out) asks for, or
    /// `None` when the token is not one of ours.
    pub(crate) fn from_token(token: Option<&str>, max: usize) -> Option<Self> {
        let start = match token {
            None => 0,
            Some(token) => STANDARD
                .decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.strip_prefix("xacct:")?.parse::<usize>().ok())?,
        };
        Some(Self { start, max })
    }

    /// This page of `items`, and the token of the next page if any remain.
    pub(crate) fn take<T>(self, items: Vec<T>) -> (Vec<T>, Option<String>) {
        let total = items.len();
        let end = self.start.saturating_add(self.max).min(total);
        let taken: Vec<T> = items
            .into_iter()
            .skip(self.start)
            .take(end.saturating_sub(self.start))
            .collect();
        let next = (end < total).then(|| STANDARD.encode(format!("xacct:{end}")));
        (taken, next)
    }
}

/// A page of a listing and the token of the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The token that asks for the next page (`Marker`, `NextToken`);
    /// `None` on the last page.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// The page of `items` that `paging` asks for.
    pub(crate) fn of(items: Vec<T>, paging: Paging) -> Self {
        let (items, next) = paging.take(items);
        Self { items, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_items_and_end_without_a_token() {
        let mut token = None;
        let mut seen = Vec::new();
        loop {
            let paging = Paging::from_token(token.as_deref(), 2).expect("our token");
            let page = Page::of((0..5).collect::<Vec<_>>(), paging);
            seen.extend(page.items);
            match page.next {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
        assert!(Paging::from_token(Some("not-ours"), 2).is_none());
    }
}
