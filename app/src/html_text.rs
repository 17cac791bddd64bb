//! The two places Leptos 0.8's server renderer writes text into HTML without escaping it, and the
//! one escaping path each goes through. Everything else Leptos renders (text nodes, attribute
//! values, the JSON it writes for hydration) is escaped by Leptos itself.
//!
//! - **The document title.** leptos_meta writes the `<title>` text raw: a display name such as
//!   `</title><svg onload=…>` in a page title would become markup.
//! - **A `<textarea>`'s content.** tachys treats a textarea's children as raw text, as it does a
//!   script's: a saved introduction containing `</textarea><img onerror=…>` would close the box.
//!
//! - **A `<script type="application/ld+json">`'s content** (structured data for search engines). A
//!   script's text ends at the first `</script`, whatever the JSON around it: every string in it
//!   goes through [`json_string_in_script`], which writes `<`, `>` and `&` as `\u003c`… escapes, so a
//!   task title such as `</script><script>…` stays a string.
//!
//! In the browser the first two arrive as text (`document.title`, a text node), so they pass
//! unchanged there. A test below keeps every textarea that shows saved text on this path.

/// The title's text, for leptos_meta's `<Title formatter=…>` (see `root::DocumentTitle`).
pub fn title_as_text(title: String) -> String {
    escaped_on_server(title)
}

/// Saved text shown in a `<textarea>` for editing: `<textarea>{textarea_text(bio)}</textarea>`.
pub fn textarea_text(text: impl Into<String>) -> String {
    escaped_on_server(text.into())
}

/// A JSON string literal (quotes included) that is safe inside a `<script>` element: JSON's own
/// escapes, plus `<`, `>`, `&` and the two line separators JavaScript once disallowed, as `\uXXXX`.
/// Both sides: it is plain text work, and the structured data is built in `domain::seo`.
pub fn json_string_in_script(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for markup this code writes itself as a string (an HTML snippet users copy, the offline page,
/// sitemap XML): `&`, `<`, `>` and both quotes as entities, so it is text in an element and in a
/// quoted attribute alike, in HTML and XML. Both sides.
pub fn markup_escaped(text: &str) -> String {
    // The card's SVG already has the one XML escaper (it also drops the control characters XML
    // forbids); HTML reads its output the same way.
    crate::domain::resume_card::xml_escape(text)
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

    #[test]
    fn written_markup_keeps_text_in_elements_and_attributes() {
        assert_eq!(markup_escaped(r#"a&b<c>"d"'e'"#), "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;");
    }

    #[test]
    fn script_json_cannot_close_its_script() {
        let json = json_string_in_script("</script><script>alert(\"x\")</script>&\u{2028}\\\n");
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert_eq!(json, r#""\u003c/script\u003e\u003cscript\u003ealert(\"x\")\u003c/script\u003e\u0026\u2028\\\n""#);
        // Still the same string to a JSON reader.
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, "</script><script>alert(\"x\")</script>&\u{2028}\\\n");
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
