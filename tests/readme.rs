//! The README's module map ("Where things are") names every source file, so
//! it cannot silently fall behind the tree.

use std::fs;
use std::path::Path;

/// Every `.rs` file under `dir`, as a path relative to the crate root.
fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn the_module_map_names_every_source_file() {
    let readme = fs::read_to_string("README.md").unwrap();
    let start = readme.find("### Where things are").expect("the module map");
    let map = &readme[start..];
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    let mut missing = Vec::new();
    for file in &files {
        let cut = file.rfind('/').unwrap() + 1;
        let (folder, name) = (&file[..cut], &file[cut..]);
        // The folders above the file, from its own up to `src/`.
        let ancestors: Vec<&str> = file
            .match_indices('/')
            .map(|(i, _)| &file[..=i])
            .filter(|f| f.len() > "src/".len())
            .collect();
        let on_a_folder_row = |wanted: &str| {
            map.lines().any(|l| {
                l.contains(wanted) && ancestors.iter().any(|f| l.contains(&format!("`{f}")))
            })
        };
        let named = map.contains(&format!("`{file}`"))
            || on_a_folder_row(&format!("`{name}`"))
            || on_a_folder_row(&format!(" `{name}`"))
            // A folder's `mod.rs` and unit-test file go with its row.
            || ((name == "mod.rs" || name == "tests.rs") && map.contains(&format!("`{folder}")));
        if !named {
            missing.push(file.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "README's module map does not name: {missing:?}"
    );
}

/// The README's count of the protocols the default book rates is the book's.
#[test]
fn the_protocol_count_is_the_books() {
    let readme = fs::read_to_string("README.md").unwrap();
    let book = yieldplan::rates::RateBook::default_book();
    let said = format!("the tier of {} protocols", book.protocols.len());
    assert!(readme.contains(&said), "the README should say {said:?}");
}
