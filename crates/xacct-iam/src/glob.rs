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

/// Characters with at least this many places in a segment get a mask of
/// their own; a rarer one's mask is made when the text has it. So a
/// segment of k distinct characters costs O(k) memory, not O(k²/64).
const DENSE: usize = 64;

/// Shift-And for non-ASCII text: the mask of a character is the segment's
/// `?` places and its own.
fn shift_and_chars(segment: &[Piece], text: &[char]) -> Option<usize> {
    let words = segment.len().div_ceil(64);
    let mut other = vec![0u64; words];
    let mut places: std::collections::HashMap<char, Vec<usize>> = std::collections::HashMap::new();
    for (i, p) in segment.iter().enumerate() {
        match p {
            Piece::One => other[i / 64] |= 1u64 << (i % 64),
            Piece::Lit(c) => places.entry(*c).or_default().push(i),
            Piece::Star | Piece::Var(_) => {}
        }
    }
    let with = |mask: &mut [u64], at: &[usize]| {
        for &i in at {
            mask[i / 64] |= 1u64 << (i % 64);
        }
    };
    let dense: std::collections::HashMap<char, Vec<u64>> = places
        .iter()
        .filter(|(_, at)| at.len() >= DENSE)
        .map(|(c, at)| {
            let mut mask = other.clone();
            with(&mut mask, at);
            (*c, mask)
        })
        .collect();
    let mut scratch = vec![0u64; words];
    let mut state = vec![0u64; words];
    for (pos, c) in text.iter().enumerate() {
        let mask: &[u64] = match dense.get(c) {
            Some(mask) => mask,
            None => {
                scratch.copy_from_slice(&other);
                with(&mut scratch, places.get(c).map_or(&[][..], Vec::as_slice));
                &scratch
            }
        };
        if step(&mut state, mask, segment.len()) {
            return Some(pos + 1 - segment.len());
        }
    }
    None
}

/// One Shift-And step over a character whose mask is `mask`: bit i of the
/// state says the last i + 1 characters match the first i + 1 pieces of a
/// segment of `k`; whether all `k` now do.
fn step(state: &mut [u64], mask: &[u64], k: usize) -> bool {
    let mut carry = 1u64;
    for (word, m) in state.iter_mut().zip(mask) {
        let next = (*word << 1) | carry;
        carry = *word >> 63;
        *word = next & m;
    }
    state
        .last()
        .is_some_and(|w| w & (1u64 << ((k - 1) % 64)) != 0)
}

/// The Shift-And walk over the masks of the text's characters: the
/// leftmost place where a segment of `k` matches.
fn search<'m>(k: usize, text: impl Iterator<Item = &'m [u64]>) -> Option<usize> {
    let mut state = vec![0u64; k.div_ceil(64)];
    for (pos, mask) in text.enumerate() {
        if step(&mut state, mask, k) {
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

    #[test]
    fn a_long_segment_of_distinct_characters_is_found_with_rare_masks() {
        // 300 distinct characters (each rare: its mask made on use), a `?`
        // among them, inside text of other characters.
        let seg: String = (0..300u32)
            .map(|i| {
                if i == 150 {
                    '?'
                } else {
                    char::from_u32(0x4e00 + i).unwrap_or('x')
                }
            })
            .collect();
        let hit: String = seg.replace('?', "é");
        assert!(m(&format!("*{seg}*"), &format!("üü{hit}üü")));
        let miss: String = hit.chars().rev().collect();
        assert!(!m(&format!("*{seg}*"), &format!("üü{miss}üü")));
        assert!(!m(&format!("*{seg}*"), &hit[..hit.len() - 3]));
    }
}
