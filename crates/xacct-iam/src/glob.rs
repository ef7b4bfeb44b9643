//! Matching text against a wildcard pattern (`*` any run, `?` one character)
//! without backtracking and without allocating for the patterns policies
//! use. The pattern is cut at its stars into segments: the first must start
//! the text, the last must end it, and each one between is found at its
//! leftmost place after the previous one (taking the leftmost place never
//! loses a match, because a star can absorb whatever lies before a later one).
//!
//! Cost, for a text of n characters and a pattern of m: a segment of k ≤ 32
//! characters is found by direct comparison, O(n·k) = O(n); a longer one
//! without `?` by `memchr::memmem` (linear), and a longer one with `?` by a
//! bit-parallel search, O(n·⌈k/64⌉). Non-ASCII text takes the same
//! bit-parallel search for every long segment, its masks looked up by
//! character. So a pattern costs at most O(n·m/32) and usually O(n + m).

use super::piece::Piece;

/// Segments at most this long are searched by direct comparison.
const SHORT: usize = 32;

/// Whether `text` matches the pattern `pieces` (an unresolved policy
/// variable matches nothing).
pub(crate) fn glob(pieces: &[Piece], text: &str) -> bool {
    if text.is_ascii() {
        walk(pieces, text.as_bytes())
    } else {
        let chars: Vec<char> = text.chars().collect();
        walk(pieces, &chars)
    }
}

/// A character of the text, as bytes or chars.
trait Unit: Copy {
    /// Whether this text unit is the character `c`.
    fn is(self, c: char) -> bool;
    /// The leftmost place of a segment in a window of text.
    fn find(segment: &[Piece], window: &[Self]) -> Option<usize>;
}

impl Unit for u8 {
    fn is(self, c: char) -> bool {
        c.is_ascii() && c as u32 == u32::from(self)
    }

    fn find(segment: &[Piece], window: &[Self]) -> Option<usize> {
        find_ascii(segment, window)
    }
}

impl Unit for char {
    fn is(self, c: char) -> bool {
        self == c
    }

    fn find(segment: &[Piece], window: &[Self]) -> Option<usize> {
        find_chars(segment, window)
    }
}

/// Whether a star-free segment matches the start of `text` exactly.
fn starts<T: Unit>(segment: &[Piece], text: &[T]) -> bool {
    segment.len() <= text.len()
        && segment.iter().zip(text).all(|(p, &t)| match p {
            Piece::Lit(c) => t.is(*c),
            Piece::One => true,
            Piece::Star | Piece::Var(_) => false,
        })
}

/// The segment walk, shared by the byte and the character paths.
fn walk<T: Unit>(pieces: &[Piece], text: &[T]) -> bool {
    let is_star = |p: &Piece| matches!(p, Piece::Star);
    let (Some(first_star), Some(last_star)) = (
        pieces.iter().position(is_star),
        pieces.iter().rposition(is_star),
    ) else {
        return pieces.len() == text.len() && starts(pieces, text);
    };
    let (first, last) = (&pieces[..first_star], &pieces[last_star + 1..]);
    if first.len() + last.len() > text.len()
        || !starts(first, text)
        || !starts(last, &text[text.len() - last.len()..])
    {
        return false;
    }
    let end = text.len() - last.len();
    let mut at = first.len();
    let middle = pieces.get(first_star + 1..last_star).unwrap_or_default();
    for segment in middle.split(is_star).filter(|s| !s.is_empty()) {
        match T::find(segment, &text[at..end]) {
            Some(found) => at += found + segment.len(),
            None => return false,
        }
    }
    true
}

/// The leftmost place of a segment in ASCII text.
fn find_ascii(segment: &[Piece], text: &[u8]) -> Option<usize> {
    if segment.len() > text.len() {
        return None;
    }
    if segment.len() <= SHORT {
        return (0..=text.len() - segment.len()).find(|&i| starts(segment, &text[i..]));
    }
    let mut needle = Vec::with_capacity(segment.len());
    for p in segment {
        match p {
            Piece::Lit(c) if c.is_ascii() => needle.push(*c as u8),
            Piece::One => return shift_and(segment, text),
            _ => return None,
        }
    }
    memchr::memmem::find(text, &needle)
}

/// Shift-And over 64-bit words for ASCII text, its masks in a table by byte.
fn shift_and(segment: &[Piece], text: &[u8]) -> Option<usize> {
    let words = segment.len().div_ceil(64);
    let mut masks = vec![0u64; 256 * words];
    for (i, p) in segment.iter().enumerate() {
        let bit = 1u64 << (i % 64);
        match p {
            Piece::Lit(c) if c.is_ascii() => masks[(*c as usize) * words + i / 64] |= bit,
            Piece::One => (0..256).for_each(|b| masks[b * words + i / 64] |= bit),
            _ => {}
        }
    }
    search(
        segment.len(),
        text.iter()
            .map(|&b| &masks[usize::from(b) * words..][..words]),
    )
}

/// Shift-And for non-ASCII text: a mask per character of the segment, and
/// one for every other character (the segment's `?` places).
fn shift_and_chars(segment: &[Piece], text: &[char]) -> Option<usize> {
    let words = segment.len().div_ceil(64);
    let mut other = vec![0u64; words];
    for (i, p) in segment.iter().enumerate() {
        if matches!(p, Piece::One) {
            other[i / 64] |= 1u64 << (i % 64);
        }
    }
    let mut masks: std::collections::HashMap<char, Vec<u64>> = std::collections::HashMap::new();
    for (i, p) in segment.iter().enumerate() {
        if let Piece::Lit(c) = p {
            masks.entry(*c).or_insert_with(|| other.clone())[i / 64] |= 1u64 << (i % 64);
        }
    }
    search(
        segment.len(),
        text.iter()
            .map(|c| masks.get(c).map_or(other.as_slice(), Vec::as_slice)),
    )
}

/// The Shift-And walk over the masks of the text's characters: bit i of
/// the state says the last i + 1 characters match the first i + 1 pieces
/// of a segment of `k`; the leftmost place where all `k` do.
fn search<'m>(k: usize, text: impl Iterator<Item = &'m [u64]>) -> Option<usize> {
    let last = 1u64 << ((k - 1) % 64);
    let mut state = vec![0u64; k.div_ceil(64)];
    for (pos, mask) in text.enumerate() {
        let mut carry = 1u64;
        for (word, m) in state.iter_mut().zip(mask) {
            let next = (*word << 1) | carry;
            carry = *word >> 63;
            *word = next & m;
        }
        if state.last().is_some_and(|w| w & last != 0) {
            return Some(pos + 1 - k);
        }
    }
    None
}

/// The leftmost place of a segment in non-ASCII text: position by
/// position for a short segment, bit-parallel for a long one.
fn find_chars(segment: &[Piece], text: &[char]) -> Option<usize> {
    if segment.len() > text.len() {
        return None;
    }
    if segment.len() > SHORT {
        return shift_and_chars(segment, text);
    }
    (0..=text.len() - segment.len()).find(|&i| starts(segment, &text[i..]))
}

#[cfg(test)]
mod tests {
    use crate::pattern::Pattern;

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
        assert!(!m("*é*", "abc") && m("a*", "a"));
    }

    #[test]
    fn long_segments_cross_word_boundaries_in_ascii_and_other_text() {
        // The same cases over bytes (`a`) and over characters (`é`).
        for c in ['a', 'é'] {
            let run = |n: usize| c.to_string().repeat(n);
            let seg: String = (0..150).map(|i| if i % 7 == 0 { '?' } else { c }).collect();
            let text = format!("{}b{}", run(100), run(200));
            assert!(m(&format!("*{seg}*"), &text), "{c}");
            assert!(!m(&format!("*{seg}b*"), &run(400)), "{c}");
            let literal = format!("{c}b").repeat(40);
            assert!(m(&format!("x*{literal}*y"), &format!("x--{literal}--y")));
            let shorter = format!("{c}b").repeat(39);
            assert!(!m(&format!("x*{literal}*y"), &format!("x--{shorter}--y")));
        }
        assert!(m(
            &format!("*{}*", "a".repeat(40)),
            &format!("é{}é", "a".repeat(40))
        ));
    }
}
