//! Characters that change how text is shown without being seen: bidirectional controls
//! (`invoice` + U+202E + `fdp.exe` shows as "invoiceexe.pdf") and zero-width characters (which
//! make two names look alike). People paste them by accident from editors and on purpose to
//! disguise a file or a name; they are removed wherever text is taken in.
//!
//! What stays true: the text people see after stripping is the text that is stored, and
//! stripping never empties what it was not already empty of visible characters.

use std::borrow::Cow;

/// Bidirectional formatting controls: marks, embeddings, overrides and isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Zero-width and invisible characters with no place in a name. The joiners (U+200C, U+200D)
/// are among them: in a message they build emoji (👩‍💻) and Persian words, so bodies keep them.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}' | '\u{00AD}')
}

fn strip(s: &str, remove: impl Fn(char) -> bool) -> Cow<'_, str> {
    if s.chars().any(&remove) { Cow::Owned(s.chars().filter(|c| !remove(*c)).collect()) } else { Cow::Borrowed(s) }
}

/// A name (of a person, a file, a tag): without bidirectional controls and invisible
/// characters.
pub fn clean_name(s: &str) -> Cow<'_, str> {
    strip(s, |c| is_bidi_control(c) || is_invisible(c))
}

/// A message body: without bidirectional controls and invisible characters, except the
/// joiners that emoji and some scripts need.
pub fn clean_body(s: &str) -> Cow<'_, str> {
    strip(s, |c| is_bidi_control(c) || (is_invisible(c) && !matches!(c, '\u{200C}' | '\u{200D}')))
}

/// Text taken as it comes (a page's title and address, a proactive message's name) with any
/// NUL character shown as U+FFFD: PostgreSQL cannot store NUL in text, and nobody types one.
pub fn without_nul(s: &str) -> Cow<'_, str> {
    if s.contains('\0') { Cow::Owned(s.replace('\0', "\u{FFFD}")) } else { Cow::Borrowed(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disguised_file_name_shows_what_it_is() {
        assert_eq!(clean_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean_name("Ан\u{200B}на"), "Анна");
        assert_eq!(clean_name("\u{2067}admin\u{2069}"), "admin");
        assert!(matches!(clean_name("Анна"), Cow::Borrowed(_)));
    }

    #[test]
    fn nul_shows_as_the_replacement_character() {
        assert_eq!(without_nul("a\u{0}b"), "a\u{FFFD}b");
        assert!(matches!(without_nul("ab"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_body_keeps_the_joiners_of_emoji() {
        assert_eq!(clean_body("👩\u{200D}💻 ok\u{202E}"), "👩\u{200D}💻 ok");
        assert_eq!(clean_body("a\u{FEFF}b\u{200B}c"), "abc");
    }
}
