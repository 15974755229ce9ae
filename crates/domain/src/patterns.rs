//! The rules of the text parsers written as regular expressions, for the `pattern` of the HTTP
//! API's JSON Schema: a value the pattern matches is a value the parser accepts, and a value it
//! does not match is one the parser refuses. A generated client (or a fuzzer) can then tell a
//! good request from a bad one without knowing how the server trims.
//!
//! Most text is taken in the same way: characters that are never kept are removed (bidi
//! controls, zero-width characters, see [`crate::text`]), white space is trimmed from the ends,
//! and then what is left must be `min..=max` characters with none of a forbidden set (control
//! characters, mostly). [`Trimmed`] writes that down as a pattern whose counted part is what
//! remains after removing and trimming, so the limits are exact.
//!
//! The patterns use only what ECMA-262 (the JSON Schema dialect), Python's `re` and Rust's
//! `regex` read alike: `^…$`, groups, counted repetition and character classes spelled with
//! `\uXXXX`. Every character set left out of a class is in the Basic Multilingual Plane, so
//! `[^…]` also takes emoji.
//!
//! What stays true: each pattern is checked against its parser by this module's tests.

/// A set of characters: sorted, disjoint, inclusive ranges of code points.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CharSet(Vec<(u32, u32)>);

impl CharSet {
    /// The characters of these ranges.
    pub fn of(ranges: &[(char, char)]) -> Self {
        let mut v: Vec<(u32, u32)> = ranges.iter().map(|(a, b)| (*a as u32, *b as u32)).collect();
        v.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
        for (a, b) in v {
            match out.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => out.push((a, b)),
            }
        }
        Self(out)
    }

    /// These characters alone.
    pub fn chars(cs: &str) -> Self {
        Self::of(&cs.chars().map(|c| (c, c)).collect::<Vec<_>>())
    }

    pub fn union(&self, other: &Self) -> Self {
        let all: Vec<(char, char)> = self.0.iter().chain(&other.0).filter_map(|&(a, b)| range(a, b)).collect();
        Self::of(&all)
    }

    pub fn minus(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        for &(a, b) in &self.0 {
            let mut start = a;
            for &(x, y) in &other.0 {
                if y < start || x > b {
                    continue;
                }
                if x > start {
                    out.push((start, x - 1));
                }
                start = y.saturating_add(1);
            }
            if start <= b {
                out.push((start, b));
            }
        }
        Self(out)
    }

    pub fn contains(&self, c: char) -> bool {
        let c = c as u32;
        self.0.iter().any(|&(a, b)| (a..=b).contains(&c))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn items(&self) -> String {
        fn one(c: u32) -> String {
            match char::from_u32(c) {
                Some(ch) if ch.is_ascii_alphanumeric() => ch.to_string(),
                _ => {
                    assert!(c <= 0xFFFF, "only characters of the Basic Multilingual Plane are spelled in a class");
                    format!("\\u{c:04x}")
                }
            }
        }
        self.0
            .iter()
            .map(|&(a, b)| match b - a {
                0 => one(a),
                1 => format!("{}{}", one(a), one(b)),
                _ => format!("{}-{}", one(a), one(b)),
            })
            .collect()
    }

    /// `[…]`: one of these characters.
    pub fn class(&self) -> String {
        format!("[{}]", self.items())
    }

    /// `[^…]`: any character but these.
    pub fn not_class(&self) -> String {
        if self.is_empty() { ANY.to_owned() } else { format!("[^{}]", self.items()) }
    }
}

fn range(a: u32, b: u32) -> Option<(char, char)> {
    Some((char::from_u32(a)?, char::from_u32(b)?))
}

/// Any one character, the same in every dialect (`.` is not: it leaves out line ends).
pub const ANY: &str = "[\\s\\S]";

/// What `char::is_whitespace` says is white space (what `str::trim` removes).
pub fn white_space() -> CharSet {
    CharSet::of(&[
        ('\t', '\r'),
        (' ', ' '),
        ('\u{85}', '\u{85}'),
        ('\u{A0}', '\u{A0}'),
        ('\u{1680}', '\u{1680}'),
        ('\u{2000}', '\u{200A}'),
        ('\u{2028}', '\u{2029}'),
        ('\u{202F}', '\u{202F}'),
        ('\u{205F}', '\u{205F}'),
        ('\u{3000}', '\u{3000}'),
    ])
}

/// What `char::is_control` says is a control character.
pub fn control() -> CharSet {
    CharSet::of(&[('\u{0}', '\u{1F}'), ('\u{7F}', '\u{9F}')])
}

/// What [`crate::text::clean_name`] removes from names.
pub fn name_strip() -> CharSet {
    CharSet::of(&[
        ('\u{AD}', '\u{AD}'),
        ('\u{61C}', '\u{61C}'),
        ('\u{180E}', '\u{180E}'),
        ('\u{200B}', '\u{200F}'),
        ('\u{202A}', '\u{202E}'),
        ('\u{2060}', '\u{2064}'),
        ('\u{2066}', '\u{2069}'),
        ('\u{FEFF}', '\u{FEFF}'),
    ])
}

/// What [`crate::text::clean_body`] removes from message bodies (the joiners stay).
pub fn body_strip() -> CharSet {
    name_strip().minus(&CharSet::chars("\u{200C}\u{200D}"))
}

/// Text taken in by removing `strip`, trimming `trim_start` and `trim_end` from the ends, and
/// then requiring `min..=max` characters (no limit with `max: None`) with none of `forbid`.
#[derive(Debug, Clone, Default)]
pub struct Trimmed {
    pub strip: CharSet,
    pub trim_start: CharSet,
    pub trim_end: CharSet,
    pub forbid: CharSet,
    pub min: usize,
    pub max: Option<usize>,
}

impl Trimmed {
    /// Trimmed of white space, `min..=max` characters of anything.
    pub fn text(min: usize, max: usize) -> Self {
        Self { trim_start: white_space(), trim_end: white_space(), min, max: Some(max), ..Self::default() }
    }

    /// A name as [`crate::account`] takes it (display names, visitor names, channels, titles):
    /// bidi and zero-width characters removed, trimmed, 1..=`max` characters, no control
    /// characters.
    pub fn name(max: usize) -> Self {
        Self { strip: name_strip(), forbid: control(), ..Self::text(1, max) }
    }

    pub fn strip(self, strip: CharSet) -> Self {
        Self { strip, ..self }
    }

    pub fn forbid(self, forbid: CharSet) -> Self {
        Self { forbid, ..self }
    }

    /// The pattern, anchored.
    pub fn pattern(&self) -> String {
        format!("^{}$", self.unanchored())
    }

    /// The pattern without `^…$`, to be combined with others.
    pub fn unanchored(&self) -> String {
        let s = &self.strip;
        let lead = self.trim_start.union(s);
        let tail = self.trim_end.union(s);
        let first = lead.union(&self.forbid).not_class();
        let last = tail.union(&self.forbid).not_class();
        let only = lead.union(&tail).union(&self.forbid).not_class();
        let star = |set: &CharSet| if set.is_empty() { String::new() } else { format!("{}*", set.class()) };
        let longer = |lo: usize, hi: Option<usize>| match hi {
            // Uncounted: what is removed may stand anywhere among what is kept.
            None => format!("{first}{}*{last}", self.forbid.not_class()),
            Some(hi) => {
                let keep = s.union(&self.forbid).not_class();
                let reps = if lo == hi { format!("{{{lo}}}") } else { format!("{{{lo},{hi}}}") };
                format!("{first}(?:{}{keep}){reps}{}{last}", star(s), star(s))
            }
        };
        let core = match (self.min.max(1), self.max) {
            (_, Some(0)) => String::new(),
            (1, Some(1)) => only,
            (1, hi) => format!("(?:{only}|{})", longer(0, hi.map(|h| h - 2))),
            (lo, hi) => {
                assert!(hi.is_some(), "an uncounted pattern takes one or more characters");
                longer(lo - 2, hi.map(|h| h - 2))
            }
        };
        let core = if self.min == 0 && !core.is_empty() { format!("(?:{core})?") } else { core };
        format!("{}{core}{}", star(&lead), star(&tail))
    }
}

/// Either pattern (each anchored on its own).
pub fn either(a: &str, b: &str) -> String {
    format!("^(?:{}|{})$", strip_anchors(a), strip_anchors(b))
}

fn strip_anchors(p: &str) -> &str {
    p.strip_prefix('^').and_then(|p| p.strip_suffix('$')).unwrap_or(p)
}

/// Blank: nothing but white space (what `str::trim` empties).
pub fn blank() -> String {
    format!("^{}*$", white_space().class())
}

/// A UUID as the API writes ids (hyphenated; upper or lower case).
pub const UUID: &str = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// [`crate::ClientId`]: 1–64 printable ASCII characters.
pub const CLIENT_ID: &str = "^[!-~]{1,64}$";

/// [`crate::SiteKey`]: 8–64 characters of `A-Za-z0-9_-`.
pub const SITE_KEY: &str = "^[A-Za-z0-9_-]{8,64}$";

/// A display name, a visitor's name, a channel's name, a saved reply's title: 1–80 characters.
pub fn name() -> String {
    Trimmed::name(80).pattern()
}

/// A tag's or a category's name ([`crate::Label`]): 1–40 characters.
pub fn label() -> String {
    Trimmed::name(40).pattern()
}

/// A message body ([`crate::MessageBody`]): something left after removing invisible characters
/// and trimming, no control characters but tab and line ends. Its length is the `maxLength`
/// of the schema: the limit counts the text as sent.
pub fn message_body() -> String {
    Trimmed { max: None, ..Trimmed::text(1, 0).strip(body_strip()).forbid(body_forbid()) }.pattern()
}

/// What message bodies refuse: control characters but tab and line ends.
pub fn body_forbid() -> CharSet {
    control().minus(&CharSet::chars("\t\n\r"))
}

/// A saved reply's body: something left after removing invisible characters and trimming; its
/// length is the schema's `maxLength` (the text as sent).
pub fn reply_body() -> String {
    Trimmed { max: None, ..Trimmed::text(1, 0).strip(body_strip()) }.pattern()
}

/// A channel's greeting ([`crate::Greeting`]): 1–1000 characters once cleaned and trimmed.
pub fn greeting() -> String {
    Trimmed::text(1, 1000).strip(body_strip()).pattern()
}

/// A transfer's comment ([`crate::queue::parse_comment`]): at most 1000 characters once
/// cleaned and trimmed; blank is no comment.
pub fn transfer_comment() -> String {
    Trimmed::text(0, 1000).strip(body_strip()).pattern()
}

/// A rating's comment ([`crate::Rating`]): at most 1000 characters once trimmed, no control
/// characters but line feeds; blank is no comment.
pub fn rating_comment() -> String {
    Trimmed::text(0, 1000).forbid(control().minus(&CharSet::chars("\n"))).pattern()
}

/// [`crate::Email`]: one `@`, something before it, a domain with a dot inside; no white space
/// or control characters but around it. Its length is the schema's `maxLength`.
pub fn email() -> String {
    let ws = white_space();
    let x = ws.union(&control()).union(&CharSet::chars("@")).not_class();
    let y = ws.union(&control()).union(&CharSet::chars("@.")).not_class();
    let w = ws.class();
    format!("^{w}*{x}+@{y}{x}*\\.{x}*{y}{w}*$")
}

/// [`crate::Phone`]: 5 to 15 digits among `+ ( ) - .` and spaces. Its length is the schema's
/// `maxLength`.
pub fn phone() -> String {
    let w = white_space().class();
    format!("^{w}*(?:[ +().-]*[0-9]){{5,15}}[ +().-]*{w}*$")
}

/// [`crate::WorkspaceSlug`] as sign-in takes it: 2–40 characters of `a-z`, `0-9` and `-` (any
/// case), not starting or ending with `-`, white space around; blank is none.
pub fn workspace_slug() -> String {
    let w = white_space().class();
    either(&blank(), &format!("{w}*[A-Za-z0-9][A-Za-z0-9-]{{0,38}}[A-Za-z0-9]{w}*"))
}

/// An uploaded file's name ([`crate::sniff::clean_name`]): folders dropped, invisible and
/// control characters removed, leading dots and white space and trailing white space trimmed,
/// at most 200 characters left (none left is `file`).
pub fn file_name() -> String {
    let base = Trimmed {
        strip: name_strip().union(&control()),
        trim_start: white_space().union(&CharSet::chars(".")),
        trim_end: white_space(),
        forbid: CharSet::chars("/\\"),
        min: 0,
        max: Some(200),
    };
    format!("^(?:{ANY}*[/\\\\])?{}$", base.unanchored())
}

/// A search query ([`crate::search::SearchQuery`]): 2–200 characters once trimmed.
pub fn search_query() -> String {
    Trimmed::text(2, 200).pattern()
}

/// A routing condition's language ([`crate::routing::Condition::language`]): 2–8 letters
/// `a-z` (any case), white space around.
pub fn language_code() -> String {
    let w = white_space().class();
    format!("^{w}*[A-Za-z]{{2,8}}{w}*$")
}

/// A Telegram topic's key, with white space around it allowed.
pub fn topic_key() -> String {
    let w = white_space().class();
    format!("^{w}*[a-z0-9_-]{{1,24}}{w}*$")
}

/// The patterns as schemas: builders, and the named schemas of the fields of domain and core
/// types (each a unit struct implementing `ToSchema`, for `#[schema(value_type = …)]`, so a
/// field keeps its own description next to the `$ref`).
#[cfg(feature = "openapi")]
pub mod schema {
    use super::*;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{
        ArrayBuilder, KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
    };

    fn kind(t: Type, nullable: bool) -> SchemaType {
        if nullable { SchemaType::from_iter([t, Type::Null]) } else { SchemaType::new(t) }
    }

    /// A string matching `pattern`.
    pub fn text(pattern: String, description: &str) -> ObjectBuilder {
        ObjectBuilder::new().schema_type(Type::String).pattern(Some(pattern)).description(Some(description))
    }

    /// A string of [`Trimmed`] text.
    pub fn trimmed(rule: &Trimmed, description: &str) -> ObjectBuilder {
        text(rule.pattern(), description)
    }

    /// One of these strings (and `null` when `nullable`).
    pub fn one_of(values: &[&str], nullable: bool) -> Object {
        let all = values.iter().map(|v| Some(*v)).chain(nullable.then_some(None));
        ObjectBuilder::new().schema_type(kind(Type::String, nullable)).enum_values(Some(all)).build()
    }

    /// An id: a UUID, hyphenated.
    pub fn uuid() -> ObjectBuilder {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
            .pattern(Some(UUID))
    }

    /// A list of ids, `min..=max` of them.
    pub fn uuids(min: usize, max: usize) -> RefOr<Schema> {
        let items = (min > 0).then_some(min);
        ArrayBuilder::new().items(uuid()).min_items(items).max_items(Some(max)).build().into()
    }

    /// Named schemas: `Name => (description) schema;`.
    #[macro_export]
    macro_rules! named_schemas {
        ($($(#[$doc:meta])* $name:ident => $body:expr;)*) => {$(
            $(#[$doc])*
            pub struct $name;

            impl utoipa::PartialSchema for $name {
                fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                    $body.into()
                }
            }

            impl utoipa::ToSchema for $name {}
        )*};
    }

    crate::named_schemas! {
        /// An id.
        Id => uuid().build();
        /// The name of a proactive message or a routing rule.
        RuleName => trimmed(&Trimmed::text(1, 100), "1–100 characters once white space is trimmed.").build();
        /// A proactive message's text, a channel's offline message, an auto-close prompt.
        LongText => trimmed(&Trimmed::text(1, 1000), "1–1000 characters once white space is trimmed.").build();
        /// A persona, a hold phrase.
        ShortText => trimmed(&Trimmed::text(1, 100), "1–100 characters once white space is trimmed.").build();
        /// A URL condition's glob (`*` for any text) or regular expression.
        UrlPattern => trimmed(
            &Trimmed::text(1, 500),
            "1–500 characters once white space is trimmed; with `regex`, a regular expression that compiles.",
        )
        .build();
        /// A property condition's name.
        PropertyName => trimmed(&Trimmed::text(1, 100), "1–100 characters once white space is trimmed.").build();
        /// A property condition's value.
        PropertyValue => trimmed(&Trimmed { max: None, ..Trimmed::text(1, 0) }, "Not blank; at most 500 characters.")
            .max_length(Some(500))
            .build();
        /// An attribute's or an event's name in a segment rule.
        SegmentName => text(crate::leads::segment_name_pattern(), "1–100 characters once white space is trimmed; no control characters or double quotes.").build();
        /// A visitor tag in a segment rule.
        SegmentTag => text(crate::leads::tag_pattern(), "1–50 characters once white space is trimmed; no control characters or commas.").build();
        /// A language condition.
        LanguageCode => text(language_code(), "A primary language subtag: 2–8 letters (`ru`, `en`).").build();
        /// A Telegram topic condition: the topic's key.
        TopicKey => text(topic_key(), "A topic's key: 1–24 of `a-z`, `0-9`, `_` and `-`.").build();
        /// A mail address condition: the address mail was sent to.
        MailAddress => text(email(), "An e-mail address.").max_length(Some(254)).build();
        /// A day of business hours.
        WeekDay => one_of(&["mon", "tue", "wed", "thu", "fri", "sat", "sun"], false);
        /// When an interval opens.
        OpensAt => text(clock(false), "`HH:MM`, 00:00 to 23:59.").build();
        /// When an interval closes.
        ClosesAt => text(clock(true), "`HH:MM`, 00:00 to 24:00.").build();
        /// Holidays.
        Holidays => ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))))
            .max_items(Some(400))
            .description(Some("At most 400 dates `YYYY-MM-DD`."))
            .build();
        /// Hold phrases.
        HoldPhrases => ArrayBuilder::new()
            .items(trimmed(&Trimmed::text(1, 100), "1–100 characters once white space is trimmed, with a letter or a digit."))
            .max_items(Some(50))
            .description(Some("At most 50."))
            .build();
    }

    fn clock(midnight: bool) -> String {
        let w = white_space().class();
        let day = "(?:[01][0-9]|2[0-3]):[0-5][0-9]";
        if midnight { format!("^{w}*(?:{day}|24:00){w}*$") } else { format!("^{w}*{day}{w}*$") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;
    use proptest::prelude::*;

    /// The pattern compiled once (the long counted ones take a while).
    fn re(p: &str) -> regex::Regex {
        static CACHE: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, regex::Regex>>> =
            std::sync::LazyLock::new(Default::default);
        let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(p.to_owned())
            .or_insert_with(|| regex::RegexBuilder::new(p).size_limit(1 << 26).build().expect("the pattern compiles"))
            .clone()
    }

    #[test]
    fn the_sets_are_what_the_standard_library_and_the_cleaners_say() {
        let (ws, ctl, name, body) = (white_space(), control(), name_strip(), body_strip());
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(ws.contains(c), c.is_whitespace(), "{c:?}");
            assert_eq!(ctl.contains(c), c.is_control(), "{c:?}");
            let s = c.to_string();
            assert_eq!(name.contains(c), crate::text::clean_name(&s).is_empty(), "{c:?}");
            assert_eq!(body.contains(c), crate::text::clean_body(&s).is_empty(), "{c:?}");
        }
    }

    #[test]
    fn sets_combine() {
        let a = CharSet::of(&[('a', 'z')]);
        assert_eq!(a.minus(&CharSet::chars("am")).class(), "[b-ln-z]");
        assert_eq!(a.union(&CharSet::of(&[('0', '9'), ('A', 'Z')])).class(), "[0-9A-Za-z]");
        assert_eq!(CharSet::chars("\t\n").class(), "[\\u0009\\u000a]");
        assert_eq!(CharSet::default().not_class(), ANY);
    }

    /// Characters that make the difference: white space of several kinds, removed ones,
    /// controls, separators of file names, and ordinary letters of two alphabets and an emoji.
    fn tricky() -> impl Strategy<Value = char> {
        prop::sample::select(vec![
            'a', 'Z', 'я', '7', '😀', ' ', '\t', '\n', '\r', '\u{B}', '\u{85}', '\u{A0}', '\u{3000}', '\u{0}',
            '\u{1F}', '\u{7F}', '\u{9F}', '\u{200B}', '\u{200D}', '\u{202E}', '\u{FEFF}', '\u{AD}', '.', '/', '\\',
            '@', '-', '+', '(', ':', '_', '~',
        ])
    }

    /// Strings of tricky characters around a run of `n` ordinary ones, so lengths near a limit
    /// are reached as often as short ones.
    fn around(n: usize) -> impl Strategy<Value = String> {
        (
            prop::collection::vec(tricky(), 0..4),
            prop::option::of(0..n + 3),
            prop::collection::vec(tricky(), 0..12),
            prop::collection::vec(tricky(), 0..4),
        )
            .prop_map(|(a, run, mid, b)| {
                let mut s: String = a.into_iter().collect();
                s.extend(mid);
                if let Some(k) = run {
                    s.push_str(&"ж".repeat(k));
                }
                s.extend(b);
                s
            })
    }

    fn agrees(pattern: &str, s: &str, accepted: bool) -> Result<(), TestCaseError> {
        prop_assert_eq!(re(pattern).is_match(s), accepted, "{:?} on {:?}", pattern, s);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn names(s in around(80)) {
            agrees(&name(), &s, crate::DisplayName::parse(&s).is_ok())?;
            agrees(&label(), &s, crate::Label::parse(&s, "name").is_ok())?;
            agrees(&name(), &s, crate::SavedReply::parse_title(&s).is_ok())?;
        }

        #[test]
        fn bodies_and_comments(s in around(1000)) {
            let body = crate::MessageBody::parse(&s, usize::MAX).is_ok();
            agrees(&message_body(), &s, body)?;
            agrees(&reply_body(), &s, crate::SavedReply::parse_body(&s).is_ok())?;
            agrees(&greeting(), &s, crate::Greeting::parse(&s).is_ok())?;
            agrees(&transfer_comment(), &s, crate::queue::parse_comment(Some(&s)).is_ok())?;
            agrees(&rating_comment(), &s, crate::Rating::parse(1, Some(&s), crate::Timestamp(0)).is_ok())?;
        }

        #[test]
        fn contacts(local in around(3), domain in around(3), dot in any::<bool>(), digits in "[ +()0-9.-]{0,24}", pad in prop::collection::vec(tricky(), 0..3)) {
            let pad: String = pad.into_iter().collect();
            let e = format!("{pad}{local}@{domain}{}{pad}", if dot { ".ru" } else { "" });
            agrees(&email(), &e, crate::Email::parse(&e).is_ok() || e.chars().count() > 254)?;
            let p = format!("{pad}{digits}{pad}");
            agrees(&phone(), &p, crate::Phone::parse(&p).is_ok() || p.chars().count() > 32)?;
        }

        #[test]
        fn ids_and_keys(s in "[ -~]{0,70}|[a-zA-Z0-9_ -]{0,70}") {
            agrees(CLIENT_ID, &s, crate::ClientId::parse(&s).is_ok())?;
            agrees(SITE_KEY, &s, crate::SiteKey::parse(&s).is_ok())?;
            let slug = s.trim().is_empty() || crate::WorkspaceSlug::parse(&s).is_ok();
            agrees(&workspace_slug(), &s, slug)?;
        }

        #[test]
        fn file_names(s in around(200)) {
            agrees(&file_name(), &s, crate::sniff::clean_name(&s).is_ok())?;
        }

        #[test]
        fn search_and_conditions(s in around(200)) {
            agrees(&search_query(), &s, crate::search::SearchQuery::parse(&s).is_ok())?;
            agrees(&language_code(), &s, crate::routing::Condition::language(&s).is_ok())?;
        }
    }

    #[test]
    fn long_texts_reach_their_limits_exactly() {
        let at = |n: usize| format!("  \u{200B}{}\u{202E} \n", "ы".repeat(n));
        for (p, max) in [(greeting(), 1000), (transfer_comment(), 1000), (name(), 80)] {
            assert!(re(&p).is_match(&at(max)), "{p}");
            assert!(!re(&p).is_match(&at(max + 1)), "{p}");
        }
        // A rating's comment keeps invisible characters: they count.
        let plain = |n: usize| format!(" {} \n", "ы".repeat(n));
        assert!(re(&rating_comment()).is_match(&plain(1000)));
        assert!(!re(&rating_comment()).is_match(&plain(1001)));
        assert!(!re(&rating_comment()).is_match(&at(999)));
        assert!(re(&file_name()).is_match(&format!("C:\\Users\\я/{}", "ы".repeat(200))));
        assert!(!re(&file_name()).is_match(&"ы".repeat(201)));
        assert_eq!(crate::Greeting::parse(&at(1000)).map(|g| g.as_str().chars().count()), Ok(1000));
        assert!(matches!(crate::Greeting::parse(&at(1001)), Err(DomainError::Invalid { .. })));
    }
}
