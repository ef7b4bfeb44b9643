//! Placeholders: a value only a deployment knows (a CloudFormation
//! parameter without a default, a value imported from another stack),
//! written `UNRESOLVED(what)` where a principal, a resource or a condition
//! value should be, alone or spliced into an ARN
//! (`arn:aws:iam::UNRESOLVED(parameter ToolsAccount):root`). In a request
//! it names nothing, so it matches nothing; in an analysis it is undecided,
//! so access it might give is never hidden.

/// The text that marks a placeholder.
pub(crate) const MARK: &str = "UNRESOLVED(";

/// Whether a value is, or contains, a placeholder.
pub fn is_placeholder(text: &str) -> bool {
    text.contains(MARK)
}

/// The value with each placeholder widened to `*`: what it could be once
/// deployed (`arn:aws:iam::*:role/x` for
/// `arn:aws:iam::UNRESOLVED(parameter A):role/x`), so an analysis can tell
/// the resources it might name from those it surely cannot.
pub(super) fn widened(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        out.push('*');
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest[start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::widened;

    #[test]
    fn each_placeholder_widens_to_a_wildcard() {
        assert_eq!(
            widened("arn:aws:iam::UNRESOLVED(parameter A (no Default)):role/x"),
            "arn:aws:iam::*:role/x"
        );
        assert_eq!(widened("UNRESOLVED(a)/UNRESOLVED(b (c))-*"), "*/*-*");
        // An unclosed mark runs to the end.
        assert_eq!(widened("a:UNRESOLVED(b"), "a:*");
    }
}
