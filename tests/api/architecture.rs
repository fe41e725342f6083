//! The floor plan, checked: a handful of files at the `src` root, no oversized files, no route
//! module that imports another, and no import circle between files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders whose inner shape their own owners keep (the analyzer, the exercise generator):
/// their files' sizes and the imports among their own files are not checked here.
const OWNED_ELSEWHERE: &[&str] = &["src/analysis/", "src/exercises/"];
const MAX_LINES: usize = 600;
const MAX_ROOT_FILES: usize = 8;

struct Source {
    /// `src/http/routes/results/grading.rs`
    file: String,
    /// `["http", "routes", "results", "grading"]`
    module: Vec<String>,
    text: String,
}

fn sources() -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let file = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut module: Vec<String> = file
                .trim_start_matches("src/")
                .trim_end_matches(".rs")
                .split('/')
                .map(str::to_string)
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                module.pop();
            }
            Source {
                text: std::fs::read_to_string(&path).unwrap(),
                file,
                module,
            }
        })
        .collect()
}

/// The code without `//` comments (doc comments included), so prose naming a path is no edge.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path a `crate::…`/`super::…` mention names, `use` groups (`a::{b, c::d}`) expanded.
fn paths(code: &str) -> Vec<Vec<String>> {
    fn ident(s: &[u8], i: &mut usize) -> String {
        let start = *i;
        while *i < s.len() && (s[*i].is_ascii_alphanumeric() || s[*i] == b'_') {
            *i += 1;
        }
        String::from_utf8_lossy(&s[start..*i]).into_owned()
    }
    fn skip_ws(s: &[u8], i: &mut usize) {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
    }
    fn tree(s: &[u8], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        let mut path = prefix;
        loop {
            skip_ws(s, i);
            if *i < s.len() && s[*i] == b'{' {
                *i += 1;
                loop {
                    skip_ws(s, i);
                    if *i >= s.len() || s[*i] == b'}' {
                        *i += 1;
                        return;
                    }
                    tree(s, i, path.clone(), out);
                    skip_ws(s, i);
                    if *i < s.len() && s[*i] == b',' {
                        *i += 1;
                    }
                }
            }
            let name = ident(s, i);
            if name.is_empty() {
                out.push(path);
                return;
            }
            path.push(name);
            if s[*i..].starts_with(b"::") {
                *i += 2;
            } else {
                out.push(path);
                return;
            }
        }
    }
    let s = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let boundary = i == 0 || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'_' || s[i - 1] == b':');
        if boundary && (s[i..].starts_with(b"crate::") || s[i..].starts_with(b"super::")) {
            let mut j = i;
            tree(s, &mut j, Vec::new(), &mut out);
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The files each file refers to (by `crate::`/`super::` paths), self-references left out.
fn graph(sources: &[Source]) -> BTreeMap<String, BTreeSet<String>> {
    let by_module: BTreeMap<Vec<String>, &str> = sources
        .iter()
        .map(|s| (s.module.clone(), s.file.as_str()))
        .collect();
    let mut graph = BTreeMap::new();
    for source in sources {
        let mut targets = BTreeSet::new();
        for path in paths(&code(&source.text)) {
            let mut absolute: Vec<String> = Vec::new();
            let mut rest = path.as_slice();
            if rest.first().is_some_and(|p| p == "crate") {
                rest = &rest[1..];
            } else {
                absolute = source.module.clone();
                while rest.first().is_some_and(|p| p == "super") {
                    absolute.pop();
                    rest = &rest[1..];
                }
            }
            absolute.extend(rest.iter().cloned());
            // The longest prefix that is a file is the file referred to.
            let target = (0..=absolute.len())
                .rev()
                .find_map(|n| by_module.get(&absolute[..n]).copied());
            let inside_owned = |t: &str| {
                OWNED_ELSEWHERE
                    .iter()
                    .any(|o| t.starts_with(o) && source.file.starts_with(o))
            };
            if let Some(target) = target.filter(|t| *t != source.file && !inside_owned(t)) {
                targets.insert(target.to_string());
            }
        }
        graph.insert(source.file.clone(), targets);
    }
    graph
}

#[test]
fn the_src_root_holds_only_a_few_files() {
    let root: Vec<String> = sources()
        .into_iter()
        .filter(|s| !s.file.trim_start_matches("src/").contains('/'))
        .map(|s| s.file)
        .collect();
    assert!(
        root.len() <= MAX_ROOT_FILES,
        "{} files at the src root: {root:?}",
        root.len()
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<(String, usize)> = sources()
        .into_iter()
        .filter(|s| !OWNED_ELSEWHERE.iter().any(|e| s.file.starts_with(e)))
        .map(|s| (s.file, s.text.lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

#[test]
fn no_route_module_imports_another() {
    let sources = sources();
    let is_route = |s: &Source| {
        s.file.starts_with("src/http/routes/")
            && ["#[get(", "#[post(", "#[put(", "#[patch(", "#[delete("]
                .iter()
                .any(|a| s.text.contains(a))
    };
    let routes: BTreeSet<&str> = sources
        .iter()
        .filter(|s| is_route(s))
        .map(|s| s.file.as_str())
        .collect();
    assert!(routes.len() >= 8, "the route modules were not found: {routes:?}");
    let graph = graph(&sources);
    let crossing: Vec<(&str, &str)> = routes
        .iter()
        .flat_map(|from| graph[*from].iter().map(move |to| (*from, to.as_str())))
        .filter(|(_, to)| routes.contains(to))
        .collect();
    assert!(
        crossing.is_empty(),
        "route modules importing route modules: {crossing:?}"
    );
}

#[test]
fn no_file_imports_form_a_circle() {
    let graph = graph(&sources());
    assert!(
        graph.values().map(BTreeSet::len).sum::<usize>() > 50,
        "the import graph looks empty"
    );
    // Depth-first search; a grey node met again closes a circle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        White,
        Grey,
        Black,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        marks.insert(node, Mark::Grey);
        stack.push(node);
        for next in &graph[node] {
            match marks[next.as_str()] {
                Mark::Grey => {
                    let start = stack.iter().position(|n| *n == next).unwrap_or(0);
                    let mut circle: Vec<String> = stack[start..].iter().map(|s| s.to_string()).collect();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Mark::White => {
                    if let Some(c) = visit(next, graph, marks, stack) {
                        return Some(c);
                    }
                }
                Mark::Black => {}
            }
        }
        stack.pop();
        marks.insert(node, Mark::Black);
        None
    }
    let mut marks: BTreeMap<&str, Mark> = graph.keys().map(|k| (k.as_str(), Mark::White)).collect();
    for node in graph.keys() {
        if marks[node.as_str()] == Mark::White {
            let circle = visit(node, &graph, &mut marks, &mut Vec::new());
            assert!(
                circle.is_none(),
                "import circle: {}",
                circle.unwrap().join(" -> ")
            );
        }
    }
}

#[test]
fn the_path_reader_expands_use_groups() {
    let found = paths("use crate::a::{b, c::{d, e}};\nlet x = super::f::g(1);");
    let found: Vec<String> = found.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        found,
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e", "super::f::g"]
    );
}

/// sqlx records each applied migration by its version (the number before the first `_`): two
/// files with one version, as two branches can make, would stop `migrate` on every database.
#[test]
fn every_migration_has_a_version_of_its_own() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut seen: BTreeMap<u64, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".sql") else {
            continue;
        };
        let version: u64 = stem
            .split('_')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no version before the first `_`"));
        if let Some(other) = seen.insert(version, name.clone()) {
            panic!("{name} and {other} share the version {version}");
        }
    }
    assert!(seen.len() > 1, "the migrations are found");
}
