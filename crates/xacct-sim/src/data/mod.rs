//! Cross-account data: a bucket's objects, and what decides access to
//! them beside IAM (Object Ownership and object ACLs, SSE-KMS key policies,
//! Block Public Access), as S3 documents them.

pub(crate) mod authorize;
pub(crate) mod bucket_build;
pub(crate) mod bucket_life;
pub(crate) mod bucket_ops;
pub(crate) mod footprint;
pub(crate) mod kms;
pub(crate) mod meta_words;
pub(crate) mod multipart;
pub(crate) mod multipart_ops;
pub(crate) mod object;
pub(crate) mod object_errors;
pub(crate) mod ops;
pub(crate) mod ownership;
pub(crate) mod part_check;
pub(crate) mod part_copy;
pub(crate) mod preconditions;
pub(crate) mod public;
pub(crate) mod region;
pub(crate) mod snapshot;
pub(crate) mod store;
pub(crate) mod store_cap;
pub(crate) mod upload_list;
pub(crate) mod write;
