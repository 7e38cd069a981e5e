//! Markdown for CI job summaries and pull-request comments.

use super::{Document, Grid, Renderer, Section};

pub struct MarkdownRenderer;

/// Escapes the characters that would break a Markdown table cell.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn draw(grid: &Grid) -> String {
    let mut out = String::new();
    let titles: Vec<String> = grid.headers.iter().map(|h| escape(h.title)).collect();
    out.push_str(&format!("| {} |\n", titles.join(" | ")));
    let rule: Vec<&str> = grid
        .headers
        .iter()
        .map(|h| if h.right { "---:" } else { "---" })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &grid.rows {
        let cells: Vec<String> = row.iter().map(|c| escape(&c.text)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if let Some(row) = &grid.footer {
        let cells: Vec<String> = row
            .iter()
            .map(|c| format!("**{}**", escape(&c.text)))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

impl Renderer for MarkdownRenderer {
    fn render(&self, doc: &Document) -> String {
        let mut out = format!("# {}\n\n", escape(&doc.title));
        for line in &doc.lines {
            out.push_str(&format!("{}\n", escape(line)));
        }
        for section in &doc.sections {
            out.push('\n');
            match section {
                Section::Grid(g) => {
                    out.push_str(&format!("## {}\n\n", escape(&g.title)));
                    out.push_str(&draw(g));
                }
                Section::Fields { title, rows } => {
                    out.push_str(&format!("## {}\n\n", escape(title)));
                    out.push_str("| | |\n| --- | --- |\n");
                    for (k, v) in rows {
                        out.push_str(&format!("| {} | {} |\n", escape(k), escape(v)));
                    }
                }
                Section::Notes { title, items } => {
                    out.push_str(&format!("## {}\n\n", escape(title)));
                    for item in items {
                        out.push_str(&format!("- {}\n", escape(item)));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_in_cells_are_escaped() {
        assert_eq!(escape("a|b"), "a\\|b");
    }
}
