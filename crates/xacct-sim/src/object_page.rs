//! ListObjectsV2's pages as S3 gives them (S3 API Reference,
//! ListObjectsV2): keys in UTF-8 binary order under `prefix`, rolled up by
//! the `delimiter` ([`super::key_rollup`]), at most `max-keys` entries
//! (keys and common prefixes together, 1000 at most) per page, resumed by
//! an opaque `continuation-token` or from `start-after`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::aws_error::AwsError;
use super::key_rollup::Rollup;
use xacct_aws::cloud::ObjectMeta;

/// What a ListObjectsV2 request asks for (all absent: the first 1000 keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectListing {
    /// `prefix`.
    pub prefix: Option<String>,
    /// `delimiter`.
    pub delimiter: Option<String>,
    /// `max-keys`, as given.
    pub max_keys: Option<String>,
    /// `continuation-token`.
    pub continuation_token: Option<String>,
    /// `start-after`.
    pub start_after: Option<String>,
}

/// One page of ListObjectsV2.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectPage {
    /// The objects of the page, with their metadata.
    pub objects: Vec<(String, ObjectMeta)>,
    /// `CommonPrefixes`.
    pub common_prefixes: Vec<String>,
    /// `NextContinuationToken`, while more remain.
    pub next: Option<String>,
    /// The last key the page took in, while more remain: ListObjects
    /// (V1)'s `NextMarker`, from which the next page goes on.
    pub next_marker: Option<String>,
    /// `MaxKeys` in force.
    pub max_keys: usize,
}

impl ObjectListing {
    /// Every key under `prefix`, as a listing of one prefix.
    pub fn under(prefix: Option<&str>) -> Self {
        Self {
            prefix: prefix.map(str::to_owned),
            ..Self::default()
        }
    }

    /// `max-keys`, or S3's error for a value that is not a whole number.
    pub(crate) fn max(&self) -> Result<usize, AwsError> {
        match &self.max_keys {
            None => Ok(1000),
            Some(v) => v.parse::<usize>().map(|n| n.min(1000)).map_err(|_| {
                AwsError::new(
                    "InvalidArgument",
                    400,
                    "Provided max-keys not an integer or within integer range",
                )
                .with_detail("ArgumentName", "max-keys")
                .with_detail("ArgumentValue", v)
            }),
        }
    }

    /// The page of `objects` (a bucket's, in key order, under the prefix)
    /// this asks for.
    pub(crate) fn page(&self, objects: Vec<(String, ObjectMeta)>) -> Result<ObjectPage, AwsError> {
        let max = self.max()?;
        let prefix = self.prefix.as_deref().unwrap_or_default();
        let after = match (&self.continuation_token, &self.start_after) {
            (Some(token), _) => Some(decode_token(token)?),
            (None, after) => after.clone(),
        };
        let rollup = Rollup {
            prefix,
            delimiter: self.delimiter.as_deref(),
            max,
        };
        let rolled = rollup.page(
            objects
                .into_iter()
                .filter(|(key, _)| after.as_ref().is_none_or(|a| key.as_str() > a.as_str())),
            |(key, _)| key,
            |(key, _)| key.clone(),
        );
        let next_marker = rolled.last.filter(|_| rolled.truncated);
        Ok(ObjectPage {
            objects: rolled.listed,
            common_prefixes: rolled.common_prefixes,
            next: next_marker.as_ref().map(|k| URL_SAFE_NO_PAD.encode(k)),
            next_marker,
            max_keys: max,
        })
    }
}

fn decode_token(token: &str) -> Result<String, AwsError> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            AwsError::new(
                "InvalidArgument",
                400,
                "The continuation token provided is incorrect",
            )
            .with_detail("ArgumentName", "continuation-token")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(keys: &[&str]) -> Vec<(String, ObjectMeta)> {
        keys.iter()
            .map(|k| ((*k).to_owned(), ObjectMeta::default()))
            .collect()
    }

    fn keys(page: &ObjectPage) -> Vec<&str> {
        page.objects.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn a_delimiter_rolls_keys_into_common_prefixes() {
        let listing = ObjectListing {
            prefix: Some("r/".to_owned()),
            delimiter: Some("/".to_owned()),
            ..ObjectListing::default()
        };
        let page = listing
            .page(objects(&["r/a.csv", "r/x/1", "r/x/2", "r/y/1"]))
            .unwrap_or_default();
        assert_eq!(keys(&page), ["r/a.csv"]);
        assert_eq!(page.common_prefixes, ["r/x/", "r/y/"]);
        assert_eq!(page.next, None);
    }

    #[test]
    fn pages_resume_after_the_token_and_count_common_prefixes() {
        let all = objects(&["a", "b/1", "b/2", "c", "d"]);
        let mut listing = ObjectListing {
            delimiter: Some("/".to_owned()),
            max_keys: Some("2".to_owned()),
            ..ObjectListing::default()
        };
        let first = listing.page(all.clone()).unwrap_or_default();
        assert_eq!(
            (keys(&first), first.common_prefixes.clone()),
            (vec!["a"], vec!["b/".to_owned()])
        );
        listing.continuation_token = first.next.clone();
        assert!(listing.continuation_token.is_some());
        let second = listing.page(all).unwrap_or_default();
        assert_eq!(keys(&second), ["c", "d"]);
        assert_eq!(second.next, None);
        let bad = ObjectListing {
            max_keys: Some("lots".to_owned()),
            ..ObjectListing::default()
        };
        assert!(bad.page(Vec::new()).is_err());
    }
}
