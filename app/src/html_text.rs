//! The two places Leptos 0.8's server renderer writes text into HTML without escaping it, and the
//! one escaping path each goes through. Everything else Leptos renders (text nodes, attribute
//! values, the JSON it writes for hydration) is escaped by Leptos itself.
//!
//! - **The document title.** leptos_meta writes the `<title>` text raw: a display name such as
//!   `</title><svg onload=…>` in a page title would become markup.
//! - **A `<textarea>`'s content.** tachys treats a textarea's children as raw text, as it does a
//!   script's: a saved introduction containing `</textarea><img onerror=…>` would close the box.
//!
//! In the browser both arrive as text (`document.title`, a text node), so they pass unchanged there.
//! A test below keeps every textarea that shows saved text on this path.

/// The title's text, for leptos_meta's `<Title formatter=…>` (see `root::DocumentTitle`).
pub fn title_as_text(title: String) -> String {
    escaped_on_server(title)
}

/// Saved text shown in a `<textarea>` for editing: `<textarea>{textarea_text(bio)}</textarea>`.
pub fn textarea_text(text: impl Into<String>) -> String {
    escaped_on_server(text.into())
}

fn escaped_on_server(text: String) -> String {
    #[cfg(feature = "ssr")]
    return html_escape::encode_text(&text).into_owned();
    #[cfg(not(feature = "ssr"))]
    text
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn closing_tags_stay_text() {
        assert_eq!(title_as_text("</title><svg onload=alert(1)>".into()), "&lt;/title&gt;&lt;svg onload=alert(1)&gt;");
        assert_eq!(
            textarea_text("a</textarea><img src=x onerror=alert(1)>&amp;"),
            "a&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"
        );
        assert_eq!(textarea_text("第一行\n第二行"), "第一行\n第二行");
    }

    /// Every textarea in the views that has content shows it through `textarea_text`: a new form
    /// that puts saved text in a textarea without it fails here, not in a visitor's browser.
    #[test]
    fn every_textarea_with_content_escapes_it() {
        let mut unescaped = Vec::new();
        visit(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")), &mut |path, source| {
            let lines: Vec<&str> = source.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(at) = line.find("</textarea>") else { continue };
                if line[..at].trim_end().ends_with('>') {
                    continue; // `<textarea …></textarea>`: empty.
                }
                let content = lines[i.saturating_sub(2)..=i].join("\n");
                if !content.contains("textarea_text(") {
                    unescaped.push(format!("{}:{}", path.display(), i + 1));
                }
            }
        });
        assert!(unescaped.is_empty(), "textareas showing text without textarea_text: {unescaped:?}");
    }

    fn visit(dir: &std::path::Path, check: &mut dyn FnMut(&std::path::Path, &str)) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, check);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("html_text.rs") {
                check(&path, &std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}
