//! `@Имя` mentions in internal notes.
//!
//! A mention is `@` followed by an operator's display name, at the start of the text or after
//! a space or punctuation, and not followed by a letter or digit (so `@Анна` does not mention
//! "Ан"). When names overlap ("Анна" and "Анна Петрова"), the longest one wins. Case is
//! ignored.

use crate::ids::OperatorId;

/// The operators `text` mentions, in the order of their first mention, each once.
pub fn find_mentions<'a>(text: &str, operators: impl IntoIterator<Item = (OperatorId, &'a str)>) -> Vec<OperatorId> {
    let mut names: Vec<(OperatorId, Vec<char>)> =
        operators.into_iter().map(|(id, n)| (id, n.trim().to_lowercase().chars().collect())).collect();
    names.retain(|(_, n)| !n.is_empty());
    // Longest first, so the longest name matches where names overlap.
    names.sort_by_key(|(_, n)| std::cmp::Reverse(n.len()));
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == '@' && (i == 0 || !chars[i - 1].is_alphanumeric());
        if starts {
            let rest = &chars[i + 1..];
            let hit = names.iter().find(|(_, n)| {
                rest.len() >= n.len()
                    && rest[..n.len()] == n[..]
                    && rest.get(n.len()).is_none_or(|c| !c.is_alphanumeric())
            });
            if let Some((id, n)) = hit {
                if !out.contains(id) {
                    out.push(*id);
                }
                i += 1 + n.len();
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_names_longest_first_each_once() {
        let (anna, anna_p, petr) = (OperatorId::new(), OperatorId::new(), OperatorId::new());
        let ops = [(anna, "Анна"), (anna_p, "Анна Петрова"), (petr, "Пётр")];
        assert_eq!(find_mentions("@Анна Петрова, посмотрите", ops), vec![anna_p]);
        assert_eq!(find_mentions("@анна и @Пётр, и снова @Анна", ops), vec![anna, petr]);
        assert_eq!(find_mentions("@Аннушка", ops), Vec::<OperatorId>::new());
        assert_eq!(find_mentions("mail@Анна", ops), Vec::<OperatorId>::new());
        assert_eq!(find_mentions("(@Пётр)", ops), vec![petr]);
        assert_eq!(find_mentions("без упоминаний", ops), Vec::<OperatorId>::new());
        assert_eq!(find_mentions("@", ops), Vec::<OperatorId>::new());
    }
}
