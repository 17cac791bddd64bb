//! Line breaking and shortening of text measured by a width function, independent of fonts and
//! PDF so that it can be tested with a monospace stand-in.

/// Breaks `text` into lines no wider than `max_width`, where `advance` gives each character's
/// width. Text may break between CJK characters (never before closing or after opening
/// punctuation) and at spaces; a word wider than a whole line is cut where it overflows.
/// Newlines force a break, and runs of whitespace collapse into one space.
pub(super) fn wrap_lines(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    // Byte offset in `line` where it may be cut when a later character overflows.
    let mut break_at: Option<usize> = None;
    let mut previous: Option<char> = None;

    for ch in text.trim().chars() {
        if ch == '\n' {
            lines.push(line.trim_end().to_owned());
            line.clear();
            width = 0.0;
            break_at = None;
            previous = None;
            continue;
        }
        if ch.is_whitespace() {
            if !line.is_empty() && previous != Some(' ') {
                line.push(' ');
                width += advance(' ');
                break_at = Some(line.len());
            }
            previous = Some(' ');
            continue;
        }
        let may_break_before = previous.is_some_and(|previous| {
            (is_cjk(previous) || is_cjk(ch)) && !is_closing_punctuation(ch) && !is_opening_punctuation(previous)
        });
        if may_break_before {
            break_at = Some(line.len());
        }
        let ch_width = advance(ch);
        if width + ch_width > max_width && !line.is_empty() {
            let carried = match break_at {
                Some(at) if at > 0 => line.split_off(at),
                _ => String::new(),
            };
            lines.push(line.trim_end().to_owned());
            width = carried.chars().map(&advance).sum();
            line = carried;
            break_at = None;
            if width + ch_width > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
        }
        line.push(ch);
        width += ch_width;
        previous = Some(ch);
    }
    if !line.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Shortens `text` with an ellipsis so that it fits in `max_width`.
pub(super) fn truncate_to_width(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> String {
    if text.chars().map(&advance).sum::<f32>() <= max_width {
        return text.to_owned();
    }
    let budget = max_width - advance('…');
    let mut width = 0.0;
    let mut kept: String = text
        .chars()
        .take_while(|&ch| {
            width += advance(ch);
            width <= budget
        })
        .collect();
    kept.truncate(kept.trim_end().len());
    kept.push('…');
    kept
}

fn is_cjk(ch: char) -> bool {
    matches!(u32::from(ch),
        0x2E80..=0x9FFF       // radicals, CJK punctuation, kana, unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE30..=0xFE4F     // CJK compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF) // ideograph extensions B and later
}

/// Punctuation that must not start a line.
const CLOSING_PUNCTUATION: &str = "，。、；：！？）》」』】〕〉”’…～,.;:!?)]}%";
/// Punctuation that must not end a line.
const OPENING_PUNCTUATION: &str = "（《「『【〔〈“‘([{";

fn is_closing_punctuation(ch: char) -> bool {
    CLOSING_PUNCTUATION.contains(ch)
}

fn is_opening_punctuation(ch: char) -> bool {
    OPENING_PUNCTUATION.contains(ch)
}
