//! The quality guard and the visitor's tone: what an operator's message must not be, and how
//! upset a visitor's message reads.
//!
//! One implementation serves both sides: the console asks the server to check the composer's
//! text as the operator types (and marks what it found), and the server checks the same text
//! again when it is sent, refusing a blocked one with the rule named. Each rule is off, a
//! warning or a block; a block may let the operator send anyway with a reason.
//!
//! Positions are counted in UTF-16 code units, the way the console's text field counts them.

use crate::automation::SettingsError;
use serde::{Deserialize, Serialize};

/// A rule of the guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// «вы», «вас», «ваш»… addressed to the client written with a small letter.
    Polite,
    /// An 8-800 number, in any of its usual spellings.
    Phone8800,
    /// A word, phrase or regular expression the workspace forbids.
    Forbidden,
    /// A greeting after the automatic one (or after an earlier reply).
    SecondGreeting,
    /// Shouting: most of the message in capitals.
    Caps,
}

impl Rule {
    pub const ALL: [Rule; 5] = [Rule::Polite, Rule::Phone8800, Rule::Forbidden, Rule::SecondGreeting, Rule::Caps];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Polite => "polite",
            Rule::Phone8800 => "phone_8800",
            Rule::Forbidden => "forbidden",
            Rule::SecondGreeting => "second_greeting",
            Rule::Caps => "caps",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What a rule does when it finds something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    Off,
    #[default]
    Warn,
    Block,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Warn => "warn",
            Mode::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        [Mode::Off, Mode::Warn, Mode::Block].into_iter().find(|m| m.as_str() == s)
    }
}

/// One rule's setting as admins edit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RuleDoc {
    /// `off`, `warn` or `block`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(off|warn|block)$"))]
    pub mode: String,
    /// For a block: the operator may send anyway, giving a reason.
    pub allow_override: bool,
}

impl RuleDoc {
    fn new(mode: Mode, allow_override: bool) -> Self {
        Self { mode: mode.as_str().into(), allow_override }
    }
}

impl Default for RuleDoc {
    fn default() -> Self {
        Self::new(Mode::Warn, false)
    }
}

/// The forbidden words and patterns, and what finding one does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ForbiddenDoc {
    /// `off`, `warn` or `block`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(off|warn|block)$"))]
    pub mode: String,
    pub allow_override: bool,
    /// Words or phrases, matched whole, ignoring case and ё/е (at most 200, each 1–100
    /// characters).
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub words: Vec<String>,
    /// Regular expressions matched against the lower-cased text (at most 50, each 1–300
    /// characters).
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub patterns: Vec<String>,
}

impl Default for ForbiddenDoc {
    fn default() -> Self {
        Self { mode: Mode::Warn.as_str().into(), allow_override: true, words: Vec::new(), patterns: Vec::new() }
    }
}

/// The workspace's guard as admins edit it and the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GuardDoc {
    pub polite: RuleDoc,
    pub phone_8800: RuleDoc,
    pub forbidden: ForbiddenDoc,
    pub second_greeting: RuleDoc,
    pub caps: RuleDoc,
}

impl Default for GuardDoc {
    fn default() -> Self {
        // Warnings that fit any Russian-speaking team; the 8-800 block and the word list are
        // one company's rules, so they start off.
        Self {
            polite: RuleDoc::new(Mode::Warn, false),
            phone_8800: RuleDoc::new(Mode::Off, true),
            forbidden: ForbiddenDoc::default(),
            second_greeting: RuleDoc::new(Mode::Warn, false),
            caps: RuleDoc::new(Mode::Warn, false),
        }
    }
}

fn bad(field: impl Into<String>, reason: impl Into<String>) -> SettingsError {
    SettingsError { field: field.into(), reason: reason.into() }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Setting {
    mode: Mode,
    allow_override: bool,
}

/// A checked guard, ready to look at texts.
#[derive(Debug, Clone)]
pub struct Guard {
    doc: GuardDoc,
    settings: [Setting; 5],
    words: Vec<Vec<char>>,
    patterns: Vec<regex_lite::Regex>,
}

/// What the guard found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: Rule,
    /// `Warn` or `Block`.
    pub mode: Mode,
    /// A block the operator may override with a reason.
    pub allow_override: bool,
    /// Where, in UTF-16 code units of the text as given.
    pub start: usize,
    pub end: usize,
    /// What was found, as written.
    pub found: String,
}

/// What the guard knows of the dialog a message goes to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The visitor has been greeted already (the automatic greeting, or an operator's reply).
    pub greeted: bool,
}

impl Guard {
    /// Checks a document (missing fields are their defaults); the first bad field named.
    pub fn parse(doc: &GuardDoc) -> Result<Guard, SettingsError> {
        let setting = |field: &str, r: &RuleDoc| -> Result<Setting, SettingsError> {
            let mode = Mode::parse(r.mode.trim()).ok_or_else(|| bad(format!("{field}.mode"), "off, warn or block"))?;
            Ok(Setting { mode, allow_override: r.allow_override })
        };
        let f = &doc.forbidden;
        let forbidden = setting("forbidden", &RuleDoc { mode: f.mode.clone(), allow_override: f.allow_override })?;
        if f.words.len() > 200 {
            return Err(bad("forbidden.words", "at most 200 words"));
        }
        let mut words = Vec::with_capacity(f.words.len());
        for (i, w) in f.words.iter().enumerate() {
            let w = w.trim();
            let n = w.chars().count();
            if n == 0 || n > 100 {
                return Err(bad(format!("forbidden.words[{i}]"), "1 to 100 characters"));
            }
            if !w.chars().any(char::is_alphanumeric) {
                return Err(bad(format!("forbidden.words[{i}]"), "needs a letter or a digit"));
            }
            words.push(w.chars().map(fold).collect());
        }
        if f.patterns.len() > 50 {
            return Err(bad("forbidden.patterns", "at most 50 patterns"));
        }
        let mut patterns = Vec::with_capacity(f.patterns.len());
        for (i, p) in f.patterns.iter().enumerate() {
            let n = p.chars().count();
            if n == 0 || n > 300 {
                return Err(bad(format!("forbidden.patterns[{i}]"), "1 to 300 characters"));
            }
            let re = regex_lite::RegexBuilder::new(p)
                .size_limit(1 << 18)
                .nest_limit(32)
                .build()
                .map_err(|e| bad(format!("forbidden.patterns[{i}]"), format!("not a regular expression: {e}")))?;
            if re.is_match("") {
                return Err(bad(format!("forbidden.patterns[{i}]"), "matches an empty text"));
            }
            patterns.push(re);
        }
        let settings = [
            setting("polite", &doc.polite)?,
            setting("phone_8800", &doc.phone_8800)?,
            forbidden,
            setting("second_greeting", &doc.second_greeting)?,
            setting("caps", &doc.caps)?,
        ];
        let mut doc = doc.clone();
        for r in [&mut doc.polite, &mut doc.phone_8800, &mut doc.second_greeting, &mut doc.caps] {
            r.mode = r.mode.trim().to_owned();
        }
        doc.forbidden.mode = doc.forbidden.mode.trim().to_owned();
        doc.forbidden.words = doc.forbidden.words.iter().map(|w| w.trim().to_owned()).collect();
        Ok(Guard { doc, settings, words, patterns })
    }

    /// The document as checked (trimmed), for the store and the API.
    pub fn doc(&self) -> &GuardDoc {
        &self.doc
    }

    fn setting(&self, rule: Rule) -> Setting {
        self.settings[Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0)]
    }

    /// Everything the guard finds in an operator's message to the visitor, in text order.
    pub fn check(&self, text: &str, ctx: Context) -> Vec<Hit> {
        let t = Text::new(text);
        let mut hits = Vec::new();
        let mut add = |rule: Rule, spans: Vec<(usize, usize)>| {
            let s = self.setting(rule);
            if s.mode == Mode::Off {
                return;
            }
            for (a, b) in spans {
                hits.push(Hit {
                    rule,
                    mode: s.mode,
                    allow_override: s.mode == Mode::Block && s.allow_override,
                    start: t.utf16[a],
                    end: t.utf16[b],
                    found: t.chars[a..b].iter().collect(),
                });
            }
        };
        add(Rule::Polite, polite(&t));
        add(Rule::Phone8800, phones(&t));
        add(Rule::Forbidden, self.forbidden(&t));
        if ctx.greeted {
            add(Rule::SecondGreeting, greeting(&t).into_iter().collect());
        }
        add(Rule::Caps, caps(&t));
        hits.sort_by_key(|h| (h.start, h.rule));
        hits
    }

    fn forbidden(&self, t: &Text) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for w in &self.words {
            let mut i = 0;
            while i + w.len() <= t.folded.len() {
                if t.folded[i..i + w.len()] == w[..]
                    && (i == 0 || !t.folded[i - 1].is_alphanumeric())
                    && t.folded.get(i + w.len()).is_none_or(|c| !c.is_alphanumeric())
                {
                    out.push((i, i + w.len()));
                    i += w.len();
                } else {
                    i += 1;
                }
            }
        }
        if !self.patterns.is_empty() {
            let lower: String = t.folded.iter().collect();
            // Byte offsets of the folded string back to char indexes.
            let mut at = vec![0; lower.len() + 1];
            for (ci, (bi, c)) in lower.char_indices().enumerate() {
                for slot in &mut at[bi..bi + c.len_utf8()] {
                    *slot = ci;
                }
            }
            at[lower.len()] = t.chars.len();
            for re in &self.patterns {
                for m in re.find_iter(&lower).take(20) {
                    if m.start() < m.end() {
                        out.push((at[m.start()], at[m.end()]));
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A hit that stops the send, unless overridden (see [`verdict`]).
pub fn blocks(h: &Hit) -> bool {
    h.mode == Mode::Block
}

/// Whether a message with these hits may go: `Ok(())` when nothing blocks, or when every
/// block allows an override and a reason was given; else the first blocking rule.
pub fn verdict(hits: &[Hit], override_reason: Option<&str>) -> Result<(), Rule> {
    let given = override_reason.is_some_and(|r| !r.trim().is_empty());
    match hits.iter().find(|h| blocks(h) && !(h.allow_override && given)) {
        Some(h) => Err(h.rule),
        None => Ok(()),
    }
}

/// Lower case, with ё read as е, one char for one char (so positions stay).
fn fold(c: char) -> char {
    let l = c.to_lowercase().next().unwrap_or(c);
    if l == 'ё' { 'е' } else { l }
}

/// A text as the rules read it: its chars, their folded forms, where each starts in UTF-16,
/// and which of them are quoted.
struct Text {
    chars: Vec<char>,
    folded: Vec<char>,
    /// `utf16[i]`: the UTF-16 offset of char `i`; one more entry for the end.
    utf16: Vec<usize>,
    quoted: Vec<bool>,
}

impl Text {
    fn new(s: &str) -> Text {
        let chars: Vec<char> = s.chars().collect();
        let folded = chars.iter().map(|c| fold(*c)).collect();
        let mut utf16 = Vec::with_capacity(chars.len() + 1);
        let mut n = 0;
        for c in &chars {
            utf16.push(n);
            n += c.len_utf16();
        }
        utf16.push(n);
        let quoted = quoted(&chars);
        Text { chars, folded, utf16, quoted }
    }

    /// Runs of letters: `(start, end)` char indexes.
    fn words(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.chars.iter().enumerate() {
            match (c.is_alphabetic(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, self.chars.len()));
        }
        out
    }
}

/// Which chars are inside quotes: «…», “…”, „…“, "…", and lines that begin with `>` (a quoted
/// earlier message).
fn quoted(chars: &[char]) -> Vec<bool> {
    let mut out = vec![false; chars.len()];
    let mut guillemets = 0_u32;
    let mut curly = false;
    let mut straight = false;
    let mut line_quoted = false;
    let mut line_start = true;
    for (i, &c) in chars.iter().enumerate() {
        if line_start {
            line_quoted = c == '>';
        }
        line_start = c == '\n';
        let mut inside = guillemets > 0 || curly || straight || line_quoted;
        match c {
            '«' => {
                guillemets += 1;
                inside = true;
            }
            '»' if guillemets > 0 => guillemets -= 1,
            '“' | '„' if !curly => {
                curly = true;
                inside = true;
            }
            '“' | '”' if curly => curly = false,
            '"' => {
                straight = !straight;
                inside = true;
            }
            _ => {}
        }
        out[i] = inside;
    }
    out
}

/// The polite forms of «вы», as a client is addressed in writing.
const POLITE: &[&str] = &[
    "вы",
    "вас",
    "вам",
    "вами",
    "ваш",
    "ваша",
    "ваше",
    "ваши",
    "вашего",
    "вашей",
    "вашему",
    "вашим",
    "вашими",
    "ваших",
    "вашу",
    "вашем",
];

fn polite(t: &Text) -> Vec<(usize, usize)> {
    t.words()
        .into_iter()
        .filter(|&(a, b)| {
            !t.quoted[a] && t.chars[a].is_lowercase() && {
                let w: String = t.folded[a..b].iter().collect();
                POLITE.contains(&w.as_str())
            }
        })
        .collect()
}

/// Separators people put inside a phone number.
fn phone_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '-' | '‐' | '‑' | '–' | '—' | '(' | ')' | '.')
}

/// 8-800 numbers: «8 800 555-35-35», «8 (800) 5553535», «+7 800 …», «(800) 555-35-35», and a
/// bare «8-800» or «8(800)» named without the rest. A lone «8 800» is not one (it is how a
/// price of 8 800 is written), nor «8800».
fn phones(t: &Text) -> Vec<(usize, usize)> {
    let c = &t.chars;
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let boundary = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '+');
        if !(boundary && (c[i].is_ascii_digit() || c[i] == '+' || c[i] == '(')) {
            i += 1;
            continue;
        }
        // The run: digits with single separators between (two where one is a bracket).
        let plus = c[i] == '+';
        let mut j = i + usize::from(plus);
        let mut digits = String::new();
        let mut end = i;
        let mut gap = 0;
        let mut joints = Vec::new();
        while j < c.len() {
            if c[j].is_ascii_digit() {
                if gap > 0 && !digits.is_empty() {
                    joints.push((digits.len(), c[j - gap..j].iter().collect::<String>()));
                }
                digits.push(c[j]);
                gap = 0;
                end = j + 1;
            } else if phone_separator(c[j]) && gap < 3 {
                gap += 1;
            } else {
                break;
            }
            j += 1;
        }
        // A bracket opened inside the number closes with it.
        if c.get(end) == Some(&')')
            && c[i..end].iter().filter(|x| **x == '(').count() > c[i..end].iter().filter(|x| **x == ')').count()
        {
            end += 1;
        }
        let after_ok = c.get(end).is_none_or(|x| !x.is_alphanumeric());
        let n = digits.len();
        let joint_after = |k: usize| joints.iter().find(|(at, _)| *at == k).map(|(_, s)| s.as_str());
        let hit = after_ok
            && ((n == 11 && (digits.starts_with("8800") || digits.starts_with("7800")))
                || (n == 10 && digits.starts_with("800") && c[i] == '(')
                || (plus && digits.starts_with("7800"))
                || (n == 4
                    && digits == "8800"
                    && joint_after(1).is_some_and(|s| s.chars().any(|x| x != ' ' && x != '\u{a0}'))));
        if hit {
            out.push((i, end));
            i = end;
        } else {
            i = j.max(i + 1);
        }
    }
    out
}

/// Greetings an operator's message may begin with.
const GREETINGS: &[&str] = &[
    "здравствуйте",
    "здравствуй",
    "добрый день",
    "добрый вечер",
    "доброе утро",
    "доброй ночи",
    "доброго дня",
    "доброго времени суток",
    "приветствую",
    "привет",
    "hello",
    "hi",
    "hey",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
];

/// A greeting at the start of the message (after spaces and punctuation).
fn greeting(t: &Text) -> Option<(usize, usize)> {
    let start = t.folded.iter().position(|c| c.is_alphanumeric())?;
    let rest = &t.folded[start..];
    GREETINGS.iter().find_map(|g| {
        let g: Vec<char> = g.chars().collect();
        (rest.len() >= g.len() && rest[..g.len()] == g[..] && rest.get(g.len()).is_none_or(|c| !c.is_alphabetic()))
            .then_some((start, start + g.len()))
    })
}

/// Words written in capitals that make most of a message: at least 10 letters in words of four
/// letters or more, 60 % of them capitals. Short words (USB, ООО) never count.
fn shouted(t: &Text) -> Vec<(usize, usize)> {
    let mut letters = 0;
    let mut upper = 0;
    let mut spans = Vec::new();
    for (a, b) in t.words() {
        if b - a < 4 || t.quoted[a] {
            continue;
        }
        letters += b - a;
        if t.chars[a..b].iter().all(|c| c.is_uppercase()) {
            upper += b - a;
            spans.push((a, b));
        }
    }
    if letters >= 10 && upper * 10 >= letters * 6 { spans } else { Vec::new() }
}

fn caps(t: &Text) -> Vec<(usize, usize)> {
    shouted(t)
}

/// How a visitor's message reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tone {
    /// Mostly capitals.
    pub caps: bool,
    /// A run of exclamation marks («!!!», «?!!»).
    pub exclaims: bool,
    /// An abusive word.
    pub abuse: bool,
}

impl Tone {
    /// 0 (calm) to 3: one for each of capitals, exclamations and abuse.
    pub fn score(self) -> u8 {
        u8::from(self.caps) + u8::from(self.exclaims) + u8::from(self.abuse)
    }
}

/// Word beginnings that are abusive in Russian or English (a word that starts with one is).
const ABUSIVE_STEMS: &[&str] = &[
    "бля",
    "хуй",
    "хуе",
    "хуё",
    "хуя",
    "пизд",
    "ебан",
    "ебат",
    "ебал",
    "ёбан",
    "заеб",
    "заёб",
    "уеб",
    "уёб",
    "выеб",
    "наеб",
    "долбоеб",
    "долбоёб",
    "мудак",
    "мудач",
    "мудил",
    "гандон",
    "говнюк",
    "дерьм",
    "сволоч",
    "ублюд",
    "идиот",
    "дебил",
    "придур",
    "кретин",
    "fuck",
    "motherfuck",
    "shit",
    "bullshit",
    "asshole",
    "bastard",
    "idiot",
    "moron",
    "dickhead",
    "bitch",
    "crap",
];
/// Abusive words that must be whole (their beginnings start innocent words too).
const ABUSIVE_WORDS: &[&str] =
    &["сука", "суки", "сукин", "урод", "уроды", "тварь", "твари", "козел", "козлы", "damn", "stupid"];

/// Reads a visitor's message.
pub fn tone(text: &str) -> Tone {
    let t = Text::new(text);
    let mut run = 0;
    let mut bangs = 0;
    let mut exclaims = false;
    for c in &t.chars {
        if matches!(c, '!' | '?') {
            run += 1;
            bangs += usize::from(*c == '!');
            if run >= 3 && bangs >= 2 {
                exclaims = true;
            }
        } else if *c != '1' || run == 0 {
            run = 0;
            bangs = 0;
        }
    }
    let abuse = t.words().into_iter().any(|(a, b)| {
        let w: String = t.folded[a..b].iter().collect();
        ABUSIVE_WORDS.contains(&w.as_str()) || ABUSIVE_STEMS.iter().any(|s| w.starts_with(s))
    });
    Tone { caps: !shouted(&t).is_empty(), exclaims, abuse }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all(mode: &str) -> Guard {
        let r = RuleDoc { mode: mode.into(), allow_override: false };
        Guard::parse(&GuardDoc {
            polite: r.clone(),
            phone_8800: r.clone(),
            forbidden: ForbiddenDoc {
                mode: mode.into(),
                allow_override: true,
                words: vec!["конкурент".into(), "Ещё раз".into()],
                patterns: vec![r"промокод\s*\d+".into()],
            },
            second_greeting: r.clone(),
            caps: r,
        })
        .expect("guard")
    }

    fn found(text: &str, rule: Rule) -> Vec<String> {
        all("warn")
            .check(text, Context { greeted: true })
            .into_iter()
            .filter(|h| h.rule == rule)
            .map(|h| h.found)
            .collect()
    }

    #[test]
    fn polite_pronouns_table() {
        let cases: &[(&str, &[&str])] = &[
            ("Вы можете оплатить картой.", &[]),
            ("Спасибо, что написали нам. Вы правы.", &[]),
            ("спасибо за ваш заказ, вам перезвонят", &["ваш", "вам"]),
            ("Мы отправим вас вашу смету", &["вас", "вашу"]),
            ("Вывод: вывоз мусора входит в цену", &[]),
            ("Цитата клиента: «вы обещали доставку»", &[]),
            ("Он написал \"ваш заказ готов\" — это шаблон", &[]),
            ("> вы обещали вчера\nДа, Вам всё привезут", &[]),
            ("Вы-то знаете, а вы-то?", &["вы"]),
            ("ВЫ получите ВАШ заказ", &[]),
            ("Когда вам удобно? Ваш адрес верный?", &["вам"]),
            ("Увы, свободных дат нет", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(found(text, Rule::Polite), want.to_vec(), "{text}");
        }
    }

    #[test]
    fn eight_hundred_numbers_table() {
        let cases: &[(&str, &[&str])] = &[
            ("Звоните 8 (800) 555-35-35", &["8 (800) 555-35-35"]),
            ("Звоните 8-800-555-35-35!", &["8-800-555-35-35"]),
            ("наш номер 88005553535.", &["88005553535"]),
            ("бесплатно по 8-800", &["8-800"]),
            ("по 8(800) в любое время", &["8(800)"]),
            ("или +7 800 555 35 35", &["+7 800 555 35 35"]),
            ("или +7 800", &["+7 800"]),
            ("или +7 (800) 555-35-35", &["+7 (800) 555-35-35"]),
            ("(800) 555-35-35 круглосуточно", &["(800) 555-35-35"]),
            ("8\u{a0}800\u{a0}555\u{a0}35\u{a0}35", &["8\u{a0}800\u{a0}555\u{a0}35\u{a0}35"]),
            ("Кухня стоит 8 800 рублей", &[]),
            ("Артикул 8800, цена 8800 ₽", &[]),
            ("+7 916 555-35-35", &[]),
            ("8 495 800-35-35", &[]),
            ("заказ №78005553535X", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(found(text, Rule::Phone8800), want.to_vec(), "{text}");
        }
    }

    #[test]
    fn forbidden_words_and_patterns() {
        assert_eq!(found("Не советую Конкурента, наш КОНКУРЕНТ хуже", Rule::Forbidden), vec!["КОНКУРЕНТ"]);
        assert_eq!(found("Напишу еще раз завтра", Rule::Forbidden), vec!["еще раз"]);
        assert_eq!(found("Ваш промокод 1234 и ПРОМОКОД 99", Rule::Forbidden), vec!["промокод 1234", "ПРОМОКОД 99"]);
        assert!(found("промокоды закончились", Rule::Forbidden).is_empty());
    }

    #[test]
    fn second_greeting_only_after_one() {
        let g = all("warn");
        let rules = |text: &str, greeted: bool| -> Vec<Rule> {
            g.check(text, Context { greeted })
                .into_iter()
                .map(|h| h.rule)
                .filter(|r| *r == Rule::SecondGreeting)
                .collect()
        };
        assert_eq!(rules("Здравствуйте! Сейчас посмотрю.", true), vec![Rule::SecondGreeting]);
        assert_eq!(rules("  — Добрый день, Анна", true), vec![Rule::SecondGreeting]);
        assert_eq!(rules("Hi Anna, one moment", true), vec![Rule::SecondGreeting]);
        assert!(rules("Здравствуйте! Сейчас посмотрю.", false).is_empty());
        assert!(rules("Сейчас посмотрю. Здравствуйте", true).is_empty(), "only at the start");
        assert!(rules("History of your order", true).is_empty(), "a word that starts like hi");
    }

    #[test]
    fn caps_table() {
        assert_eq!(found("ПОЖАЛУЙСТА ПОДОЖДИТЕ МИНУТУ", Rule::Caps), vec!["ПОЖАЛУЙСТА", "ПОДОЖДИТЕ", "МИНУТУ"]);
        assert!(found("Это ОБЯЗАТЕЛЬНО сделайте сегодня", Rule::Caps).is_empty());
        assert!(found("USB ООО ИП", Rule::Caps).is_empty(), "short words never count");
        assert!(found("ОК", Rule::Caps).is_empty());
        assert!(found("Клиент написал «СРОЧНО ВЕРНИТЕ ДЕНЬГИ» — отвечаю", Rule::Caps).is_empty(), "quoted");
    }

    #[test]
    fn positions_are_utf16_and_modes_come_from_the_doc() {
        let g = all("block");
        let text = "😀 вам 8-800";
        let hits = g.check(text, Context::default());
        let polite = hits.iter().find(|h| h.rule == Rule::Polite).expect("polite");
        assert_eq!((polite.start, polite.end), (3, 6), "the emoji is two UTF-16 units");
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&utf16[polite.start..polite.end]).expect("ok"), "вам");
        assert!(hits.iter().all(|h| h.mode == Mode::Block));
        assert_eq!(verdict(&hits, Some("клиент просил")), Err(Rule::Polite), "polite allows no override");
        let f = all("block").check("конкурент", Context::default());
        assert_eq!(verdict(&f, None), Err(Rule::Forbidden));
        assert_eq!(verdict(&f, Some("  ")), Err(Rule::Forbidden), "a blank reason is none");
        assert_eq!(verdict(&f, Some("просьба клиента")), Ok(()));
        assert!(all("off").check(text, Context { greeted: true }).is_empty());
        let w = all("warn").check(text, Context::default());
        assert!(!w.is_empty() && verdict(&w, None).is_ok(), "warnings never stop a send");
    }

    #[test]
    fn bad_documents_name_the_field() {
        let err = |json: &str| Guard::parse(&serde_json::from_str(json).expect("json")).expect_err("refused").field;
        assert_eq!(err(r#"{"caps": {"mode": "loud"}}"#), "caps.mode");
        assert_eq!(err(r#"{"forbidden": {"patterns": ["(unclosed"]}}"#), "forbidden.patterns[0]");
        assert_eq!(err(r#"{"forbidden": {"patterns": ["ok", "x*"]}}"#), "forbidden.patterns[1]");
        assert_eq!(err(r#"{"forbidden": {"words": ["fine", "  "]}}"#), "forbidden.words[1]");
        assert_eq!(err(r#"{"forbidden": {"words": ["!!!"]}}"#), "forbidden.words[0]");
        let many = format!(r#"{{"forbidden": {{"words": [{}]}}}}"#, vec!["\"w\""; 201].join(","));
        assert_eq!(err(&many), "forbidden.words");
        let g = Guard::parse(&serde_json::from_str(r#"{"caps": {"mode": " block "}}"#).expect("ok")).expect("ok");
        assert_eq!(g.doc().caps.mode, "block");
        assert_eq!(Guard::parse(&GuardDoc::default()).expect("ok").doc(), &GuardDoc::default());
    }

    #[test]
    fn tone_table() {
        let cases: &[(&str, (bool, bool, bool))] = &[
            ("Здравствуйте, когда доставка?", (false, false, false)),
            ("ГДЕ МОЙ ЗАКАЗ Я ЖДУ ТРЕТЬЮ НЕДЕЛЮ", (true, false, false)),
            ("Где мой заказ!!!", (false, true, false)),
            ("Вы серьёзно?!!", (false, true, false)),
            ("Ну и где?!", (false, false, false)),
            ("Спасибо!!", (false, false, false)),
            ("Это просто бред, вы идиоты", (false, false, true)),
            ("What the fuck is this", (false, false, true)),
            ("Застрахуйте посылку, пожалуйста", (false, false, false)),
            ("Сукно на столе порвалось", (false, false, false)),
            ("ВЕРНИТЕ ДЕНЬГИ, СВОЛОЧИ!!!", (true, true, true)),
        ];
        for (text, (caps, exclaims, abuse)) in cases {
            assert_eq!(tone(text), Tone { caps: *caps, exclaims: *exclaims, abuse: *abuse }, "{text}");
        }
        assert_eq!(tone("ВЕРНИТЕ ДЕНЬГИ, СВОЛОЧИ!!!").score(), 3);
    }

    proptest! {
        #[test]
        fn hits_point_at_what_they_found(text in "[вВаАшШсмиу 8\\-()+0-9!ЁёA-Za-z«»\"\\n😀]{0,60}", greeted: bool) {
            let utf16: Vec<u16> = text.encode_utf16().collect();
            for h in all("warn").check(&text, Context { greeted }) {
                prop_assert!(h.start < h.end && h.end <= utf16.len());
                prop_assert_eq!(String::from_utf16(&utf16[h.start..h.end]).expect("ok"), h.found);
            }
            let _ = tone(&text);
        }

        #[test]
        fn capitalising_the_pronouns_clears_the_rule(words in proptest::collection::vec(
            prop_oneof![Just("вы"), Just("вам"), Just("вашу"), Just("заказ"), Just("привезут"), Just("вывод")], 1..8)) {
            let lower = words.join(" ");
            let fixed: Vec<String> = words.iter().map(|w| {
                if POLITE.contains(w) { let mut c = w.chars(); c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default() } else { (*w).to_owned() }
            }).collect();
            let n = words.iter().filter(|w| POLITE.contains(*w)).count();
            prop_assert_eq!(found(&lower, Rule::Polite).len(), n);
            prop_assert!(found(&fixed.join(" "), Rule::Polite).is_empty());
        }
    }
}
