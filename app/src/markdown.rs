//! Task descriptions are Markdown written by merchants and read by everyone: rendered to HTML with
//! pulldown-cmark, then cleaned by ammonia's allow-list (no scripts, no event handlers, no
//! `javascript:` links), so the page can insert the result as HTML.

use pulldown_cmark::{html, Options, Parser};

pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&unsafe_html).to_string()
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
}
