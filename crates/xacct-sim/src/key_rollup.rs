//! One page of a listing in key order, as S3's listings page it
//! (ListObjectsV2, ListObjects and ListMultipartUploads alike, S3 API
//! Reference, "delimiter" and "CommonPrefixes"): what lies between the
//! prefix and the first `delimiter` after it is rolled up into one common
//! prefix; entries and common prefixes together count toward the page's
//! size; the page ends after the last entry its last common prefix takes
//! in, so the next page never repeats one.

/// How a listing pages: its prefix, its delimiter and its page size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rollup<'a> {
    /// Every key given starts with it.
    pub prefix: &'a str,
    /// `delimiter`, when given and not empty.
    pub delimiter: Option<&'a str>,
    /// Entries and common prefixes on a page, together.
    pub max: usize,
}

/// One page: the entries listed and the common prefixes, in key order.
#[derive(Debug)]
pub(crate) struct Rolled<T, M> {
    /// The entries not rolled up.
    pub listed: Vec<T>,
    /// `CommonPrefixes`.
    pub common_prefixes: Vec<String>,
    /// The marker of the last entry the page took in, listed or rolled up.
    pub last: Option<M>,
    /// More entries follow; the next page goes on after `last`.
    pub truncated: bool,
}

impl Rollup<'_> {
    /// The page of `entries` (in key order, each key under the prefix),
    /// `key` naming each entry's key and `marker` what the next page goes
    /// on from.
    pub(crate) fn page<T, M>(
        &self,
        entries: impl IntoIterator<Item = T>,
        key: impl Fn(&T) -> &str,
        marker: impl Fn(&T) -> M,
    ) -> Rolled<T, M> {
        let mut page = Rolled {
            listed: Vec::new(),
            common_prefixes: Vec::new(),
            last: None,
            truncated: false,
        };
        let mut taken = 0;
        for entry in entries {
            let rolled = self.common_prefix(key(&entry));
            if let Some(common) = &rolled
                && page.common_prefixes.last() == Some(common)
            {
                page.last = Some(marker(&entry));
                continue;
            }
            if taken == self.max {
                // An empty page (a size of 0) is not truncated, or a
                // paginator would ask for the same page again.
                page.truncated = taken > 0;
                return page;
            }
            taken += 1;
            page.last = Some(marker(&entry));
            match rolled {
                Some(common) => page.common_prefixes.push(common),
                None => page.listed.push(entry),
            }
        }
        page
    }

    /// The common prefix `key` rolls up into, if any.
    fn common_prefix(&self, key: &str) -> Option<String> {
        let delimiter = self.delimiter.filter(|d| !d.is_empty())?;
        let rest = key.get(self.prefix.len()..)?;
        rest.find(delimiter)
            .map(|at| key[..self.prefix.len() + at + delimiter.len()].to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rollup: Rollup<'_>, keys: &[&'static str]) -> Rolled<&'static str, &'static str> {
        rollup.page(keys.iter().copied(), |k| k, |k| *k)
    }

    #[test]
    fn a_common_prefix_counts_once_and_the_page_ends_after_its_last_key() {
        let rollup = Rollup {
            prefix: "r/",
            delimiter: Some("/"),
            max: 2,
        };
        let first = page(rollup, &["r/a", "r/x/1", "r/x/2", "r/y/1"]);
        assert_eq!(first.listed, ["r/a"]);
        assert_eq!(first.common_prefixes, ["r/x/"]);
        assert_eq!((first.last, first.truncated), (Some("r/x/2"), true));
        let all = page(
            Rollup { max: 3, ..rollup },
            &["r/a", "r/x/1", "r/x/2", "r/y/1"],
        );
        assert_eq!(all.common_prefixes, ["r/x/", "r/y/"]);
        assert_eq!((all.last, all.truncated), (Some("r/y/1"), false));
    }

    #[test]
    fn an_empty_delimiter_or_a_page_of_none_rolls_nothing_and_ends() {
        let plain = page(
            Rollup {
                prefix: "",
                delimiter: Some(""),
                max: 5,
            },
            &["a/1", "a/2"],
        );
        assert_eq!(plain.listed, ["a/1", "a/2"]);
        let none = page(
            Rollup {
                prefix: "",
                delimiter: None,
                max: 0,
            },
            &["a"],
        );
        assert!(none.listed.is_empty() && !none.truncated && none.last.is_none());
    }
}
