//! The search box: `SearchQuery::parse`, its SQLite FTS5 and PostgreSQL tsquery renderings (of
//! stems, and of whole words),
//! and the stemmer. Quotes must never reach either syntax except as the wrapping ones.
//!
//! Input: the query as typed (not UTF-8 is read with replacement characters).
#![no_main]

use frontline_domain::search::{SearchQuery, stem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    for word in text.split_whitespace() {
        let s = stem(word);
        assert!(word.starts_with(&s), "stem {s:?} is not a prefix of {word:?}");
    }

    let Ok(q) = SearchQuery::parse(&text) else { return };
    // A query of punctuation alone is valid and finds nothing: no stems, and no syntax.
    assert!(q.stems.len() <= 8, "{} stems", q.stems.len());
    if q.stems.is_empty() {
        assert!(q.fts5().is_empty() && q.tsquery().is_empty(), "syntax for a query without words");
    }
    assert!(q.stems.iter().all(|s| !s.is_empty()), "an empty stem");
    if let Some(d) = &q.digits {
        assert!(d.len() >= 5 && d.bytes().all(|b| b.is_ascii_digit()), "digits {d:?}");
    }

    let fts = q.fts5();
    assert_eq!(fts.matches('"').count(), 2 * q.stems.len(), "a stray quote in {fts:?}");
    let ts = q.tsquery();
    assert_eq!(ts.matches('\'').count(), 2 * q.stems.len(), "a stray quote in {ts:?}");
    assert!(!ts.contains('\\'), "a backslash in {ts:?}");
    // The whole words (PostgreSQL's messages): one for each stem, the stem a prefix of it.
    assert_eq!(q.words.len(), q.stems.len(), "words {:?} for stems {:?}", q.words, q.stems);
    assert!(q.words.iter().zip(&q.stems).all(|(w, s)| w.starts_with(s.as_str())), "{:?} {:?}", q.words, q.stems);
    let words = q.words_tsquery();
    assert_eq!(words.matches('\'').count(), 2 * q.words.len(), "a stray quote in {words:?}");
    assert!(!words.contains('\\'), "a backslash in {words:?}");
});
