//! `core`'s modules form no import cycle: use cases read through `reads`, publish through
//! `publisher`, take their actors from `actor`, and never call back into one another in a
//! circle. This test reads the sources and fails with the cycle it finds.

use std::collections::{BTreeMap, BTreeSet};

fn modules() -> BTreeMap<String, BTreeSet<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("src") {
        let path = entry.expect("entry").path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else { continue };
        if path.extension().is_some_and(|e| e == "rs") && name != "lib" {
            let text = std::fs::read_to_string(&path).expect("read");
            // Unit tests may reach anywhere; comments name modules without using them.
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            let code: String =
                code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
            sources.insert(name, code);
        }
    }
    let names: BTreeSet<String> = sources.keys().cloned().collect();
    sources
        .iter()
        .map(|(name, code)| {
            let mut uses = BTreeSet::new();
            for part in code.split("crate::").skip(1) {
                // `crate::x::…`, and `crate::{x, y::…}`.
                let head = if let Some(group) = part.strip_prefix('{') {
                    group.split('}').next().unwrap_or("").to_owned()
                } else {
                    part.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("").to_owned()
                };
                for word in head.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                    if names.contains(word) && word != name {
                        uses.insert(word.to_owned());
                    }
                }
            }
            (name.clone(), uses)
        })
        .collect()
}

/// A path back to `start`, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == start {
                let mut found = path.clone();
                found.push(start.to_owned());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

#[test]
fn core_modules_form_no_cycle() {
    let graph = modules();
    assert!(graph.len() > 20, "the sources were read: {:?}", graph.keys());
    assert!(graph["assignment"].contains("reads"), "the reader sees the imports: {:?}", graph["assignment"]);
    for name in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, name) {
            panic!("an import cycle among core's modules: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn the_shared_layers_depend_on_no_use_case() {
    let graph = modules();
    let below: BTreeSet<&str> =
        ["actor", "audience", "bus", "cache", "error", "views", "reads", "publisher", "clock", "metrics"]
            .into_iter()
            .collect();
    for layer in ["actor", "reads", "publisher", "views", "audience"] {
        for dep in &graph[layer] {
            assert!(below.contains(dep.as_str()), "{layer} uses the use case {dep}");
        }
    }
}
