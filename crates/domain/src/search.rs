//! What a search box query means, before either backend turns it into its own syntax.
//!
//! A query is words (letters and digits); punctuation separates them. Each word matches the
//! words that start with its stem, so "оплаты" finds "оплата" and "оплатой", and "orders"
//! finds "order". The stem is the word without a common Russian or English ending, never
//! shorter than three letters. Every word must match (AND). A query with no word in it (only
//! punctuation) is a valid query that finds nothing.

use crate::error::DomainError;

/// A parsed search query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Lower-case word stems, each to be matched as a prefix.
    pub stems: Vec<String>,
    /// The lower-case words themselves, for a backend whose index holds its own stems (see
    /// [`SearchQuery::words_tsquery`]); one for each stem, in the same order.
    pub words: Vec<String>,
    /// The query's digits alone when it looks like a phone number (5 or more digits).
    pub digits: Option<String>,
}

/// Russian noun, adjective and verb endings, longest first.
const RU_ENDINGS: &[&str] = &[
    "иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "ией", "иях", "ать", "ять", "ить", "ешь",
    "ете", "ем", "ам", "ям", "ах", "ях", "ой", "ей", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ым",
    "им", "ом", "ов", "ев", "ию", "ия", "ие", "ий", "ть", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
];
const EN_ENDINGS: &[&str] = &["ing", "ies", "es", "ed", "s"];

/// The stem of one lower-case word.
pub fn stem(word: &str) -> String {
    let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    let endings = if cyrillic { RU_ENDINGS } else { EN_ENDINGS };
    let len = word.chars().count();
    for e in endings {
        let el = e.chars().count();
        if word.ends_with(e) && len - el >= 3 {
            return word.chars().take(len - el).collect();
        }
    }
    word.to_owned()
}

impl SearchQuery {
    pub fn parse(q: &str) -> Result<Self, DomainError> {
        let q = q.trim();
        let n = q.chars().count();
        if n < 2 {
            return Err(DomainError::invalid("q", "must be at least 2 characters"));
        }
        if n > 200 {
            return Err(DomainError::invalid("q", "must be at most 200 characters"));
        }
        let lower = q.to_lowercase().replace('ё', "е");
        let mut stems: Vec<String> = Vec::new();
        let mut words: Vec<String> = Vec::new();
        for w in lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let s = stem(w);
            if !stems.contains(&s) {
                stems.push(s);
                words.push(w.to_owned());
            }
        }
        stems.truncate(8);
        words.truncate(8);
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let phone_like = q.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        Ok(Self { stems, words, digits: (phone_like && digits.len() >= 5).then_some(digits) })
    }

    /// A query without words matches nothing (and has no syntax in either backend).
    pub fn finds_nothing(&self) -> bool {
        self.stems.is_empty()
    }

    /// The query in SQLite FTS5 syntax: every stem as a quoted prefix, all required.
    pub fn fts5(&self) -> String {
        self.stems.iter().map(|s| format!("\"{}\"*", s.replace('"', ""))).collect::<Vec<_>>().join(" AND ")
    }

    /// The query in PostgreSQL `to_tsquery` syntax: every stem as a prefix (`:*`), all required.
    /// For text indexed word by word as it is (the `simple` configuration: names, e-mail).
    pub fn tsquery(&self) -> String {
        tsquery_of(&self.stems)
    }

    /// The same with the whole words, for `to_tsquery` with a language configuration, which
    /// stems each word with the dictionary that stemmed the index. Our stem is not always a
    /// prefix of the dictionary's ("скрипит": ours "скрипит", Snowball's "скрип"; "delivering":
    /// "deliver" and "deliv"), so our stems would miss what the index holds.
    pub fn words_tsquery(&self) -> String {
        tsquery_of(&self.words)
    }
}

fn tsquery_of(terms: &[String]) -> String {
    terms.iter().map(|s| format!("'{}':*", s.replace(['\'', '\\'], ""))).collect::<Vec<_>>().join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_forms_share_a_stem() {
        assert_eq!(stem("оплаты"), "оплат");
        assert_eq!(stem("оплата"), "оплат");
        assert_eq!(stem("оплатой"), "оплат");
        assert_eq!(stem("кухню"), "кухн");
        assert_eq!(stem("кухня"), "кухн");
        assert_eq!(stem("orders"), "order");
        assert_eq!(stem("delivering"), "deliver");
        assert_eq!(stem("дом"), "дом", "never shorter than three letters");
    }

    #[test]
    fn queries_are_checked_and_built() {
        assert!(SearchQuery::parse(" a ").is_err());
        assert_eq!(SearchQuery::parse("--").map(|q| q.finds_nothing()), Ok(true), "no words: nothing to find");
        assert_eq!(SearchQuery::parse("a-").map(|q| q.finds_nothing()), Ok(false));
        assert!(SearchQuery::parse(&"я".repeat(201)).is_err());
        let q = SearchQuery::parse("Оплата заказа").expect("valid");
        assert_eq!(q.stems, vec!["оплат", "заказ"]);
        assert_eq!(q.fts5(), "\"оплат\"* AND \"заказ\"*");
        assert_eq!(q.tsquery(), "'оплат':* & 'заказ':*");
        assert_eq!(q.words_tsquery(), "'оплата':* & 'заказа':*", "whole words, for the dictionary to stem");
        assert_eq!(
            SearchQuery::parse("заказ, Заказа; ёлка").expect("valid").words,
            vec!["заказ", "елка"],
            "one a stem"
        );
        assert_eq!(q.digits, None);
        let p = SearchQuery::parse("+7 916 123-45-67").expect("valid");
        assert_eq!(p.digits.as_deref(), Some("79161234567"));
        let injection = SearchQuery::parse("a\" OR x'y").expect("valid");
        assert!(!injection.fts5().contains("OR x"), "quotes never reach the syntax");
    }
}
