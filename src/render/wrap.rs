//! Wrapping text to a width without ever cutting a word: an ARN, a token
//! or a policy excerpt too long for a line stands whole on its own, and a
//! double-quoted JSON string is never split at its spaces, so each can be
//! copied. The narration and the pictures' edge labels wrap with it.

/// The words of `text`: runs of non-space, where a double-quoted JSON
/// string (escapes included) counts as part of its word even when it
/// holds spaces, so a policy excerpt is never split inside a string.
fn words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut start, mut quoted, mut escaped) = (None::<usize>, false, false);
    for (i, c) in text.char_indices() {
        if quoted {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => quoted = false,
                _ => {}
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(from) = start.take() {
                words.push(&text[from..i]);
            }
            continue;
        }
        start.get_or_insert(i);
        if c == '"' {
            quoted = true;
        }
    }
    if let Some(from) = start {
        words.push(&text[from..]);
    }
    words
}

/// Wraps `text` to `width` columns, starting every line with `indent`. A
/// word longer than a line (an ARN, a token, a policy excerpt) gets a line
/// of its own and is never cut, and a JSON string is never split, so each
/// can be copied whole.
pub fn wrap(text: &str, indent: usize, width: usize) -> String {
    let width = width.saturating_sub(indent).max(20);
    let pad = " ".repeat(indent);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words(text) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.iter().map(|l| format!("{pad}{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::{words, wrap};

    #[test]
    fn a_json_string_with_spaces_and_escaped_quotes_stays_one_word() {
        let text = r#"excerpt: {"Sid":"a \"quoted\" sid with spaces","Effect":"Allow"} then prose"#;
        assert_eq!(
            words(text),
            [
                "excerpt:",
                r#"{"Sid":"a \"quoted\" sid with spaces","Effect":"Allow"}"#,
                "then",
                "prose"
            ]
        );
        // An unterminated string runs to the end rather than being lost.
        assert_eq!(words(r#"x "open ended"#), ["x", r#""open ended"#]);
    }

    #[test]
    fn wraps_to_the_width_given() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        assert!(wrap(text, 2, 30).lines().all(|l| l.chars().count() <= 30));
        assert_eq!(wrap(text, 2, 200).lines().count(), 1);
    }
}
