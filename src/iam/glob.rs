//! Matching text against a wildcard pattern (`*` any run, `?` one character)
//! without backtracking. The pattern is cut at its stars into segments: the
//! first must start the text, the last must end it, and each one between is
//! found at its leftmost place after the previous one (taking the leftmost
//! place never loses a match, because a star can absorb whatever lies before
//! a later one).
//!
//! Cost, for a text of n characters and a pattern of m: a segment without
//! `?` is found with `memchr::memmem` (linear), so such patterns cost
//! O(n + m). A segment of k characters with `?` is found bit-parallel in
//! O(n·⌈k/64⌉) for ASCII text; for other text it is compared position by
//! position, O(n·k) in the worst case.

use super::piece::Piece;

/// One pattern character, as the matcher sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// This exact character.
    Char(char),
    /// `?`: any one character.
    Any,
    /// Nothing matches (an unresolved policy variable).
    Never,
}

fn unit(piece: &Piece) -> Option<Unit> {
    match piece {
        Piece::Lit(c) => Some(Unit::Char(*c)),
        Piece::One => Some(Unit::Any),
        Piece::Var(_) => Some(Unit::Never),
        Piece::Star => None,
    }
}

/// Whether `text` matches the pattern `pieces`.
pub fn glob(pieces: &[Piece], text: &str) -> bool {
    let mut segments: Vec<Vec<Unit>> = vec![Vec::new()];
    for piece in pieces {
        match unit(piece) {
            Some(u) => {
                if let Some(last) = segments.last_mut() {
                    last.push(u);
                }
            }
            None => segments.push(Vec::new()),
        }
    }
    if text.is_ascii() {
        let text = text.as_bytes();
        matches_segments(
            &segments,
            text.len(),
            |seg, at| starts_at(seg, &text[at..]),
            |seg, from, to| find_ascii(seg, &text[from..to]).map(|i| from + i),
        )
    } else {
        let chars: Vec<char> = text.chars().collect();
        matches_segments(
            &segments,
            chars.len(),
            |seg, at| starts_at_chars(seg, &chars[at..]),
            |seg, from, to| find_chars(seg, &chars[from..to]).map(|i| from + i),
        )
    }
}

/// The segment walk, shared by the byte and the character paths: `starts`
/// tells whether a segment matches at a position, `find` the leftmost place
/// of a segment within a range.
fn matches_segments(
    segments: &[Vec<Unit>],
    len: usize,
    starts: impl Fn(&[Unit], usize) -> bool,
    find: impl Fn(&[Unit], usize, usize) -> Option<usize>,
) -> bool {
    let (first, rest) = match segments.split_first() {
        Some(split) => split,
        None => return len == 0,
    };
    let Some((last, middle)) = rest.split_last() else {
        return first.len() == len && starts(first, 0);
    };
    if first.len() + last.len() > len || !starts(first, 0) || !starts(last, len - last.len()) {
        return false;
    }
    let end = len - last.len();
    let mut at = first.len();
    for segment in middle.iter().filter(|s| !s.is_empty()) {
        match find(segment, at, end) {
            Some(found) => at = found + segment.len(),
            None => return false,
        }
    }
    true
}

fn unit_matches_byte(unit: Unit, b: u8) -> bool {
    match unit {
        Unit::Char(c) => c.is_ascii() && c as u32 == u32::from(b),
        Unit::Any => true,
        Unit::Never => false,
    }
}

fn starts_at(segment: &[Unit], text: &[u8]) -> bool {
    segment.len() <= text.len()
        && segment
            .iter()
            .zip(text)
            .all(|(&u, &b)| unit_matches_byte(u, b))
}

fn starts_at_chars(segment: &[Unit], text: &[char]) -> bool {
    segment.len() <= text.len()
        && segment.iter().zip(text).all(|(&u, &c)| match u {
            Unit::Char(p) => p == c,
            Unit::Any => true,
            Unit::Never => false,
        })
}

/// The leftmost place of a segment in ASCII text.
fn find_ascii(segment: &[Unit], text: &[u8]) -> Option<usize> {
    if segment.len() > text.len() || segment.contains(&Unit::Never) {
        return None;
    }
    if !segment.contains(&Unit::Any) {
        let mut needle = Vec::with_capacity(segment.len());
        for u in segment {
            match u {
                Unit::Char(c) if c.is_ascii() => needle.push(*c as u8),
                _ => return None,
            }
        }
        return memchr::memmem::find(text, &needle);
    }
    shift_and(segment, text)
}

/// Shift-And over 64-bit words: bit i of the state says the last i + 1
/// text bytes match the first i + 1 units of the segment.
fn shift_and(segment: &[Unit], text: &[u8]) -> Option<usize> {
    let k = segment.len();
    let words = k.div_ceil(64);
    let mut masks = vec![0u64; 256 * words];
    for (i, u) in segment.iter().enumerate() {
        let bit = 1u64 << (i % 64);
        match u {
            Unit::Char(c) if c.is_ascii() => masks[(*c as usize) * words + i / 64] |= bit,
            Unit::Any => (0..256).for_each(|b| masks[b * words + i / 64] |= bit),
            _ => {}
        }
    }
    let last = 1u64 << ((k - 1) % 64);
    let mut state = vec![0u64; words];
    for (pos, &b) in text.iter().enumerate() {
        let mask = &masks[usize::from(b) * words..][..words];
        let mut carry = 1u64;
        for (word, m) in state.iter_mut().zip(mask) {
            let next = (*word << 1) | carry;
            carry = *word >> 63;
            *word = next & m;
        }
        if state[words - 1] & last != 0 {
            return Some(pos + 1 - k);
        }
    }
    None
}

/// The leftmost place of a segment in non-ASCII text, position by position.
fn find_chars(segment: &[Unit], text: &[char]) -> Option<usize> {
    if segment.len() > text.len() {
        return None;
    }
    (0..=text.len() - segment.len()).find(|&i| starts_at_chars(segment, &text[i..]))
}

#[cfg(test)]
mod tests {
    use crate::iam::pattern::Pattern;

    fn m(pattern: &str, text: &str) -> bool {
        Pattern::wildcard(pattern).matches(text)
    }

    #[test]
    fn stars_questions_and_anchors() {
        assert!(m("iam:*AccessKey*", "iam:ListAccessKeys"));
        assert!(!m("iam:Get*", "iam:PutRolePolicy"));
        assert!(m("s3:Get?bject", "s3:GetObject"));
        assert!(m("*", "") && m("**", "") && !m("?", ""));
        assert!(m("a*b*c", "aXbYbZc") && !m("a*b*c", "aXbYbZ"));
        assert!(m("*ab?d*", "xxabcdyy") && !m("*ab?d", "xxabcdyy"));
        assert!(m("é*ü?", "éxüy") && !m("é*ü?", "éxü"));
        assert!(m("*a?c*", "ééabcéé"));
    }

    #[test]
    fn long_segments_cross_word_boundaries() {
        let seg: String = (0..150)
            .map(|i| if i % 7 == 0 { '?' } else { 'a' })
            .collect();
        let text = format!("{}b{}", "a".repeat(100), "a".repeat(200));
        assert!(m(&format!("*{seg}*"), &text));
        assert!(!m(&format!("*{seg}b*"), &"a".repeat(400)));
    }
}
