//! Task descriptions, posts, course bodies and challenge briefs are Markdown written by users and
//! read by everyone: rendered to HTML with pulldown-cmark, then cleaned by ammonia's allow-list (no
//! scripts, no event handlers, no `javascript:` links), so the page can insert the result as HTML.
//!
//! Images are embedded only when the platform itself serves them. A remote image is a request every
//! reader's browser makes to a host the author chose, which learns each reader's address and when
//! they looked (a tracking pixel): Markdown images become plain links, and a remote `src` in raw
//! HTML is dropped.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, remote_images_as_links(parser));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !is_served_here(value) => None,
            _ => Some(value.into()),
        })
        .clean(&unsafe_html)
        .to_string()
}

/// True for a path on this site (`/files/…`), never for another host: `//host/x` and `/\host/x`
/// are other hosts to a browser.
fn is_served_here(url: &str) -> bool {
    let mut chars = url.chars();
    chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'))
}

/// Turns `![alt](https://elsewhere/x.png)` into a link to the image, labelled by its alt text (or its
/// address when there is none); images served here stay images.
fn remote_images_as_links<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    // The label of the link being built: Some(true) once it has text, Some(false) while empty.
    let mut open_link: Option<(bool, pulldown_cmark::CowStr<'a>)> = None;
    events.flat_map(move |event| -> Vec<Event<'a>> {
        match event {
            Event::Start(Tag::Image { link_type, dest_url, title, id }) if !is_served_here(&dest_url) => {
                open_link = Some((false, dest_url.clone()));
                vec![Event::Start(Tag::Link { link_type, dest_url, title, id })]
            }
            Event::End(TagEnd::Image) if open_link.is_some() => {
                let (labelled, url) = open_link.take().expect("checked above");
                let label = (!labelled).then(|| Event::Text(url));
                label.into_iter().chain([Event::End(TagEnd::Link)]).collect()
            }
            Event::Text(text) => {
                if let Some((labelled, _)) = open_link.as_mut() {
                    *labelled |= !text.trim().is_empty();
                }
                vec![Event::Text(text)]
            }
            other => vec![other],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_and_strips_what_could_run() {
        let html = render(
            "**需求**\n\n- 登录\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<strong>需求</strong>"));
        assert!(html.contains("<li>登录</li>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("onerror"));
    }

    #[test]
    fn remote_images_become_links_and_own_images_stay() {
        let html = render("![设计稿](https://tracker.example/p.png) ![](http://t.example/x.gif)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"<a href="https://tracker.example/p.png" rel="noopener noreferrer nofollow">设计稿</a>"#),
            "{html}"
        );
        assert!(html.contains(r#">http://t.example/x.gif</a>"#), "{html}");

        let own = render("![图](/files/0190-demo)");
        assert!(own.contains(r#"<img src="/files/0190-demo" alt="图">"#), "{own}");
    }

    #[test]
    fn raw_html_images_from_elsewhere_lose_their_source() {
        for hostile in [
            r#"<img src="https://tracker.example/p.png">"#,
            r#"<img src="//tracker.example/p.png">"#,
            r#"<img src="/\tracker.example/p.png">"#,
        ] {
            let html = render(hostile);
            assert!(!html.contains("tracker.example"), "{hostile} -> {html}");
        }
    }
}
