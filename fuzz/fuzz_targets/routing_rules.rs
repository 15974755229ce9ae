//! Routing rules built from text, then a dialog routed through them: URL globs and regular
//! expressions, visitor properties and languages, parsed and matched.
//!
//! Input: lines (not UTF-8 is read with replacement characters), each a keyword and a value:
//!   url VALUE / lang VALUE / prop KEY=VALUE   what routing looks at (the dialog);
//!   rule                                      starts the next rule;
//!   glob P / regex P / property K=V / language CODE   a condition of the current rule.
//! Anything else is ignored; values that do not parse are skipped, as the API refuses them.
#![no_main]

use frontline_domain::ChannelId;
use frontline_domain::RoutingContext;
use frontline_domain::routing::{Condition, Routed, RoutingRule, UrlPattern, route};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

fn channel(n: u128) -> ChannelId {
    ChannelId(Uuid::from_u128(n))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut ctx = RoutingContext::default();
    let mut groups: Vec<Vec<Condition>> = vec![Vec::new()];
    for line in text.split('\n') {
        let (word, value) = line.split_once(' ').unwrap_or((line, ""));
        let split_kv = || value.split_once('=').unwrap_or((value, ""));
        let condition = match word {
            "url" => {
                ctx.page_url = Some(value.to_owned());
                continue;
            }
            "lang" => {
                ctx.language = Some(value.to_owned());
                continue;
            }
            "prop" => {
                let (k, v) = split_kv();
                ctx.properties.insert(k.to_owned(), v.to_owned());
                continue;
            }
            "rule" => {
                groups.push(Vec::new());
                continue;
            }
            "glob" => UrlPattern::glob(value).map(|p| {
                // A glob matches its own text: `*` and `?` match themselves too.
                assert!(p.matches(p.source()), "glob {:?} does not match itself", p.source());
                Condition::PageUrl(p)
            }),
            "regex" => UrlPattern::regex(value).map(Condition::PageUrl),
            "property" => {
                let (k, v) = split_kv();
                Condition::property(k, v)
            }
            "language" => Condition::language(value),
            _ => continue,
        };
        if let (Ok(c), Some(g)) = (condition, groups.last_mut()) {
            g.push(c);
        }
    }

    let mut rules = Vec::new();
    for (i, conditions) in groups.into_iter().enumerate() {
        let n = conditions.len();
        match RoutingRule::new(i, conditions, channel(i as u128 + 1)) {
            Ok(r) => rules.push(r),
            Err(_) => assert!(n == 0 || n > 10, "a rule of {n} conditions refused"),
        }
    }

    let default = channel(0);
    match route(&rules, &ctx, default) {
        Routed::ByRule { rule, channel: c } => {
            let first = rules.iter().position(|r| r.matches(&ctx)).expect("the chosen rule matches");
            assert_eq!(rules[first].id, rule, "not the first matching rule");
            assert_eq!(rules[first].channel, c);
        }
        Routed::Default(c) => {
            assert_eq!(c, default);
            assert!(rules.iter().all(|r| !r.matches(&ctx)), "a matching rule was passed over");
        }
    }
});
