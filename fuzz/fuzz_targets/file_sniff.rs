//! Uploads: the type told from a file's first bytes (`sniff::detect`), the stored file name
//! (`sniff::clean_name`), and the invisible-character stripping of names and message bodies
//! (`text::clean_name`, `text::clean_body`).
//!
//! Input: the file name up to the first newline, then the file's first bytes.
#![no_main]

use frontline_domain::sniff;
use frontline_domain::text;
use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;

fuzz_target!(|data: &[u8]| {
    let (name, head) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let name = String::from_utf8_lossy(name);

    let kind = sniff::detect(head, &name);
    assert!(sniff::DEFAULT_ALLOWED.contains(&kind) || kind == "application/octet-stream", "unexpected type {kind}");
    // The whole input as the head, too (binary names, longer heads).
    let _ = sniff::detect(data, "");

    if let Ok(stored) = sniff::clean_name(&name) {
        assert!(!stored.is_empty(), "an empty stored name");
        assert!(stored.chars().count() <= 200, "a stored name of {} chars", stored.chars().count());
        assert!(!stored.contains(['/', '\\']), "a folder in {stored:?}");
        assert!(!stored.chars().any(char::is_control), "a control character in {stored:?}");
        assert!(
            !stored.chars().any(|c| text::is_bidi_control(c) || text::is_invisible(c)),
            "an invisible character in {stored:?}"
        );
        assert_eq!(sniff::clean_name(&stored).as_deref(), Ok(stored.as_str()), "clean_name is not idempotent");
    }

    // Both strippers: nothing they remove is left, a second pass changes nothing, and the
    // text is borrowed exactly when there was nothing to remove.
    let all = String::from_utf8_lossy(data);
    for (clean, keep_joiners) in [(text::clean_name(&all), false), (text::clean_body(&all), true)] {
        let removed = |c: char| {
            text::is_bidi_control(c)
                || (text::is_invisible(c) && !(keep_joiners && matches!(c, '\u{200C}' | '\u{200D}')))
        };
        assert!(!clean.chars().any(removed), "left a character that is stripped: {clean:?}");
        assert_eq!(matches!(clean, Cow::Borrowed(_)), !all.chars().any(removed));
        let twice = if keep_joiners { text::clean_body(&clean) } else { text::clean_name(&clean) };
        assert_eq!(twice, clean, "stripping twice changes the text");
    }
});
