//! ListBuckets's pages as S3 gives them: `max-buckets` (1 to 10,000),
//! `continuation-token`, `prefix` and `bucket-region`, buckets in name
//! order, and `BucketRegion` on each bucket of a paginated answer. Without
//! any of these, S3 lists every bucket at once.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::aws_error::AwsError;
use xacct_aws::cloud::Bucket;

/// What a ListBuckets request asks for (all absent: every bucket).
#[derive(Debug, Clone, Default)]
pub struct BucketListing {
    /// `max-buckets`, as given.
    pub max_buckets: Option<String>,
    /// `continuation-token`.
    pub continuation_token: Option<String>,
    /// `prefix`.
    pub prefix: Option<String>,
    /// `bucket-region`.
    pub bucket_region: Option<String>,
}

/// One page of ListBuckets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketPage {
    /// The buckets of the page.
    pub buckets: Vec<Bucket>,
    /// `ContinuationToken`, while more remain.
    pub next: Option<String>,
    /// The region, given with each bucket when the request asked for pages.
    pub region: Option<String>,
    /// `Prefix`, echoed.
    pub prefix: Option<String>,
    /// `Owner.ID`: the account's canonical user id.
    pub owner: String,
}

impl BucketListing {
    /// Whether the request asks for pages (which also adds `BucketRegion`).
    fn paginated(&self) -> bool {
        self.max_buckets.is_some()
            || self.continuation_token.is_some()
            || self.prefix.is_some()
            || self.bucket_region.is_some()
    }

    /// `max-buckets`, or S3's error for a value out of range.
    pub(crate) fn max(&self) -> Result<Option<usize>, AwsError> {
        match &self.max_buckets {
            None => Ok(None),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=10000).contains(&n) => Ok(Some(n)),
                _ => Err(AwsError::new(
                    "InvalidArgument",
                    400,
                    "Argument max-buckets must be an integer between 1 and 10000.",
                )),
            },
        }
    }

    /// The page of `buckets` (the account's, in `region`) this asks for.
    pub(crate) fn page(
        &self,
        mut buckets: Vec<Bucket>,
        region: &str,
        owner: String,
    ) -> Result<BucketPage, AwsError> {
        let max = self.max()?;
        buckets.sort_by(|a, b| a.name.cmp(&b.name));
        let start_after = self.continuation_token.as_deref().map(decode_token);
        let selected: Vec<Bucket> = buckets
            .into_iter()
            .filter(|b| self.prefix.as_deref().is_none_or(|p| b.name.starts_with(p)))
            .filter(|_| self.bucket_region.as_deref().is_none_or(|r| r == region))
            .filter(|b| {
                start_after
                    .as_ref()
                    .is_none_or(|after| b.name.as_str() > after.as_str())
            })
            .collect();
        let paginated = self.paginated();
        let size = if paginated {
            max.unwrap_or(10000)
        } else {
            usize::MAX
        };
        let more = selected.len() > size;
        let shown: Vec<Bucket> = selected.into_iter().take(size).collect();
        let next = shown
            .last()
            .filter(|_| more)
            .map(|last| URL_SAFE_NO_PAD.encode(&last.name));
        Ok(BucketPage {
            buckets: shown,
            next,
            region: paginated.then(|| region.to_owned()),
            prefix: self.prefix.clone(),
            owner,
        })
    }
}

fn decode_token(token: &str) -> String {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
