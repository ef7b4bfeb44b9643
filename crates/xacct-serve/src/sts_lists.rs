//! The list parameters of the STS query protocol, decoded: `Tags.member.N.Key`
//! / `.Value`, `TransitiveTagKeys.member.N` and `PolicyArns.member.N.arn`
//! (botocore's query serializer: 1-based members, the `PolicyDescriptorType`
//! member spelled lower-case `arn`). Members are taken in index order; a gap
//! ends nothing, as AWS reads every index it was sent.

use super::request::param;
use xacct_aws::cloud::Tag;

/// The indexes `prefix.member.N...` that appear, in ascending order.
fn indexes(params: &[(String, String)], prefix: &str) -> Vec<u32> {
    let head = format!("{prefix}.member.");
    let mut out: Vec<u32> = params
        .iter()
        .filter_map(|(k, _)| {
            let rest = k.strip_prefix(&head)?;
            rest.split('.').next()?.parse().ok()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `Tags.member.N.Key` / `.Value` (a missing value is empty, as AWS allows).
pub(super) fn tags(params: &[(String, String)]) -> Vec<Tag> {
    indexes(params, "Tags")
        .into_iter()
        .map(|i| {
            let get = |field: &str| {
                param(params, &format!("Tags.member.{i}.{field}"))
                    .unwrap_or_default()
                    .to_owned()
            };
            Tag::new(get("Key"), get("Value"))
        })
        .collect()
}

/// `NAME.member.N`: a list of strings.
pub(super) fn strings(params: &[(String, String)], name: &str) -> Vec<String> {
    indexes(params, name)
        .into_iter()
        .filter_map(|i| param(params, &format!("{name}.member.{i}")).map(str::to_owned))
        .collect()
}

/// `PolicyArns.member.N.arn`.
pub(super) fn policy_arns(params: &[(String, String)]) -> Vec<String> {
    indexes(params, "PolicyArns")
        .into_iter()
        .filter_map(|i| param(params, &format!("PolicyArns.member.{i}.arn")).map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn members_are_read_in_index_order_whatever_order_they_came_in() {
        let params = form(&[
            ("Tags.member.2.Key", "team"),
            ("Tags.member.10.Value", "x"),
            ("Tags.member.10.Key", "ten"),
            ("Tags.member.1.Value", "apollo"),
            ("Tags.member.1.Key", "project"),
            ("Tags.member.2.Value", "data"),
            ("TransitiveTagKeys.member.1", "project"),
            (
                "PolicyArns.member.1.arn",
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
            ),
        ]);
        assert_eq!(
            tags(&params),
            vec![
                Tag::new("project", "apollo"),
                Tag::new("team", "data"),
                Tag::new("ten", "x")
            ]
        );
        assert_eq!(strings(&params, "TransitiveTagKeys"), vec!["project"]);
        assert_eq!(
            policy_arns(&params),
            vec!["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        );
        assert!(tags(&form(&[("Tags", "")])).is_empty());
    }
}
