//! The variables of a saved reply or a greeting — `{visitor.name}`, `{visitor.first_name}`,
//! `{operator.name}`, `{operator.first_name}` — filled in, the same way in the console (its
//! `fillReply`, for a saved reply put into the composer) and on the server (a greeting, a
//! prompt). Both are checked against the cases in `fill_cases.json`.
//!
//! What stays true: a variable with no value (a visitor who gave no name) leaves no stray comma
//! or double space ("Здравствуйте, {visitor.first_name}!" → "Здравствуйте!"), a sentence that
//! then starts lower case gets its capital back, unknown `{…}` stay as written, and a text with
//! no empty variable keeps its author's own spacing.

/// Marks where a variable turned out empty, so only the text around it is tidied. Texts
/// never hold NUL (it is refused or replaced on the way in).
const GAP: char = '\0';

fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Where the run of blanks that ends at `end` starts.
fn back_over_blanks(c: &[char], end: usize) -> usize {
    let mut b = end;
    while b > 0 && blank(c[b - 1]) {
        b -= 1;
    }
    b
}

/// Where the run of blanks that starts at `from` ends.
fn over_blanks(c: &[char], from: usize) -> usize {
    let mut e = from;
    while e < c.len() && blank(c[e]) {
        e += 1;
    }
    e
}

/// The text with the four variables filled; `None` or blank names count as no value.
pub fn fill(body: &str, visitor_name: Option<&str>, operator_name: Option<&str>) -> String {
    let visitor = visitor_name.map(str::trim).unwrap_or("");
    let operator = operator_name.map(str::trim).unwrap_or("");
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    let mut gaps = false;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let known = [
            ("{visitor.name}", visitor),
            ("{visitor.first_name}", first_name(visitor)),
            ("{operator.name}", operator),
            ("{operator.first_name}", first_name(operator)),
        ];
        match known.iter().find(|(var, _)| after.starts_with(var)) {
            Some((var, value)) => {
                if value.is_empty() {
                    text.push(GAP);
                    gaps = true;
                } else {
                    text.push_str(value);
                }
                rest = &after[var.len()..];
            }
            None => {
                text.push('{');
                rest = &after[1..];
            }
        }
    }
    text.push_str(rest);
    if !gaps {
        return text;
    }
    let mut c: Vec<char> = text.chars().collect();
    c = comma_before_gap(c);
    c = gap_at_sentence_start(c);
    c = gap_then_comma(c);
    c = gap_between_words(c);
    c.retain(|&ch| ch != GAP);
    tidy(&c)
}

/// "Здравствуйте, {имя}!", "…, {имя}." or "…, {имя}" at a line's end: the comma goes too.
fn comma_before_gap(c: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        if c[i] == GAP {
            // Back over blanks to a comma, and over the blanks before it.
            let k = back_over_blanks(&out, out.len());
            if k > 0 && out[k - 1] == ',' {
                let s = back_over_blanks(&out, k - 1);
                let e = over_blanks(&c, i + 1);
                if e == c.len() || c[e] == '\n' || "!?.,;:…".contains(c[e]) {
                    out.truncate(s);
                    i = e;
                    continue;
                }
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// "{имя}, добрый день" at a sentence's start: "Добрый день".
fn gap_at_sentence_start(c: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        if c[i] == GAP {
            let b = back_over_blanks(&out, out.len());
            let line_start = b == 0 || out[b - 1] == '\n';
            let after_sentence = b > 0 && b < out.len() && ".!?…".contains(out[b - 1]);
            let mut e = over_blanks(&c, i + 1);
            if e < c.len() && c[e] == ',' {
                e += 1;
            }
            let e = over_blanks(&c, e);
            if (line_start || after_sentence) && e < c.len() && c[e].is_lowercase() {
                if line_start {
                    out.truncate(b);
                }
                out.extend(c[e].to_uppercase());
                i = e + 1;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// "…, {имя}, …" or "{имя}, …" elsewhere: the name and its comma go.
fn gap_then_comma(c: Vec<char>) -> Vec<char> {
    let mut out = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        if c[i] == GAP {
            let e = over_blanks(&c, i + 1);
            if e < c.len() && c[e] == ',' {
                i = over_blanks(&c, e + 1);
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// Between words one blank stays; before punctuation or at a line's edge, none.
fn gap_between_words(c: Vec<char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        if c[i] == GAP {
            let b = back_over_blanks(&out, out.len());
            let e = over_blanks(&c, i + 1);
            let spaced = b < out.len() && e > i + 1;
            out.truncate(b);
            if spaced {
                out.push(' ');
            }
            i = e;
            continue;
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// Each line without blanks at its ends, one blank at most in a row, none before `,.!?;:`.
fn tidy(c: &[char]) -> String {
    let text: String = c.iter().collect();
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            for ch in line.trim_matches(blank).chars() {
                if blank(ch) && out.ends_with(blank) {
                    continue;
                }
                if ",.!?;:".contains(ch) {
                    while out.ends_with(blank) {
                        out.pop();
                    }
                }
                out.push(if blank(ch) { ' ' } else { ch });
            }
            out
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        body: String,
        visitor: Option<String>,
        operator: Option<String>,
        want: String,
    }

    #[test]
    fn the_shared_cases_hold() {
        let cases: Vec<Case> = serde_json::from_str(include_str!("fill_cases.json")).expect("fill_cases.json");
        assert!(cases.len() >= 10);
        for c in cases {
            assert_eq!(fill(&c.body, c.visitor.as_deref(), c.operator.as_deref()), c.want, "{:?}", c.body);
        }
    }

    #[test]
    fn a_text_without_variables_is_kept_as_written() {
        assert_eq!(fill("Строка  1 ,\n\n{x}", None, None), "Строка  1 ,\n\n{x}");
        assert_eq!(fill("{", None, None), "{");
        assert_eq!(fill("{visitor.", None, None), "{visitor.");
    }
}
