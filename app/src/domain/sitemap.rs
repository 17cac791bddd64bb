//! What search engines are told: `robots.txt` (the private areas they should leave alone) and the
//! sitemaps (an index, and per kind of public page one or more files of at most
//! [`URLS_PER_SITEMAP`] addresses each, as the sitemap protocol allows). Every address is absolute,
//! on the public URL the server was configured with.

/// The sitemap protocol's limit of addresses in one file.
pub const URLS_PER_SITEMAP: i64 = 50_000;

/// Paths that are a visitor's own, an admin's, or machinery: never worth a crawler's visit. A rule
/// is a prefix, so `/me` ends with `$` (the page itself, not `/merchants/…` or `/membership`).
pub const PRIVATE_PATHS: &[&str] = &[
    "/admin",
    "/api/",
    "/me$",
    "/wallet",
    "/profile",
    "/security",
    "/sandbox",
    "/notifications",
    "/invitations",
    "/growth",
    "/credit",
    "/files/",
    "/language/",
    "/login/2fa",
    "/reset-password",
    "/tasks/new",
    "/tasks/*/edit",
    "/legal/consent",
];

/// The public pages a sitemap lists, one file (or several) each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SitemapKind {
    /// The fixed public pages: the hall, the community, learning, contests, developers, rankings.
    Pages,
    /// Open tasks.
    Tasks,
    /// Public resume cards (a hidden card never).
    Cards,
    /// Visible community posts.
    Posts,
    /// Published courses and articles.
    Courses,
}

impl SitemapKind {
    pub const ALL: [SitemapKind; 5] =
        [SitemapKind::Pages, SitemapKind::Tasks, SitemapKind::Cards, SitemapKind::Posts, SitemapKind::Courses];

    pub fn slug(self) -> &'static str {
        match self {
            SitemapKind::Pages => "pages",
            SitemapKind::Tasks => "tasks",
            SitemapKind::Cards => "cards",
            SitemapKind::Posts => "posts",
            SitemapKind::Courses => "courses",
        }
    }

    pub fn parse(slug: &str) -> Option<SitemapKind> {
        SitemapKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

/// The fixed public pages, listed in the `pages` sitemap.
pub const FIXED_PAGES: &[&str] = &["/", "/community", "/learn", "/contests", "/developers", "/leaderboard"];

/// How many files `count` addresses take (at least one, so every kind has a file to point at).
pub fn pages_for(count: i64) -> i64 {
    ((count + URLS_PER_SITEMAP - 1) / URLS_PER_SITEMAP).max(1)
}

/// Which rows page `page` (from 1) holds: (offset, limit). None for a page before the first.
pub fn page_window(page: i64) -> Option<(i64, i64)> {
    (page >= 1).then(|| ((page - 1) * URLS_PER_SITEMAP, URLS_PER_SITEMAP))
}

/// Reads `tasks-2.xml` as (Tasks, 2).
pub fn parse_file_name(name: &str) -> Option<(SitemapKind, i64)> {
    let (kind, page) = name.strip_suffix(".xml")?.rsplit_once('-')?;
    let page: i64 = page.parse().ok().filter(|page| *page >= 1)?;
    Some((SitemapKind::parse(kind)?, page))
}

/// The path of one sitemap file.
pub fn file_path(kind: SitemapKind, page: i64) -> String {
    format!("/sitemaps/{}-{page}.xml", kind.slug())
}

/// One address in a sitemap: a path on this site and when it last changed (W3C datetime).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: Option<String>,
}

/// The sitemap index: one `<sitemap>` per file.
pub fn index_xml(base: &str, files: &[SitemapEntry]) -> String {
    sitemap_document("sitemapindex", "sitemap", base, files)
}

/// One sitemap file: one `<url>` per page.
pub fn urlset_xml(base: &str, urls: &[SitemapEntry]) -> String {
    sitemap_document("urlset", "url", base, urls)
}

/// Both kinds of sitemap document: a `root` element holding one `element` per entry.
fn sitemap_document(root: &str, element: &str, base: &str, entries: &[SitemapEntry]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    );
    for entry in entries {
        push_entry(&mut xml, element, base, entry);
    }
    xml.push_str(&format!("</{root}>\n"));
    xml
}

fn push_entry(xml: &mut String, element: &str, base: &str, entry: &SitemapEntry) {
    xml.push_str(&format!("<{element}><loc>{}</loc>", xml_text(&format!("{base}{}", entry.path))));
    if let Some(lastmod) = &entry.lastmod {
        xml.push_str(&format!("<lastmod>{}</lastmod>", xml_text(lastmod)));
    }
    xml.push_str(&format!("</{element}>\n"));
}

/// A handle or slug is plain ASCII by its own rules; escaping anyway keeps the XML well formed
/// whatever a path holds.
fn xml_text(text: &str) -> String {
    crate::html_text::markup_escaped(text)
}

/// `robots.txt`: everything public may be crawled, the private areas not; the sitemap index's
/// absolute address.
pub fn robots_txt(base: &str) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in PRIVATE_PATHS {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str(&format!("\nSitemap: {base}/sitemap.xml\n"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_thousand_addresses_to_a_file() {
        assert_eq!(pages_for(0), 1);
        assert_eq!(pages_for(1), 1);
        assert_eq!(pages_for(50_000), 1);
        assert_eq!(pages_for(50_001), 2);
        assert_eq!(pages_for(120_000), 3);
        assert_eq!(page_window(1), Some((0, 50_000)));
        assert_eq!(page_window(3), Some((100_000, 50_000)));
        assert_eq!(page_window(0), None);
    }

    #[test]
    fn file_names_round_trip() {
        for kind in SitemapKind::ALL {
            let path = file_path(kind, 2);
            assert_eq!(parse_file_name(path.strip_prefix("/sitemaps/").unwrap()), Some((kind, 2)));
        }
        assert_eq!(parse_file_name("tasks-0.xml"), None);
        assert_eq!(parse_file_name("tasks-x.xml"), None);
        assert_eq!(parse_file_name("users-1.xml"), None);
        assert_eq!(parse_file_name("tasks-1.txt"), None);
    }

    #[test]
    fn addresses_are_absolute_and_escaped() {
        let urls = [
            SitemapEntry { path: "/tasks/1".into(), lastmod: Some("2026-12-07T01:02:03Z".into()) },
            SitemapEntry { path: "/u/a&b".into(), lastmod: None },
        ];
        let xml = urlset_xml("https://codelink.example", &urls);
        assert!(xml
            .contains("<url><loc>https://codelink.example/tasks/1</loc><lastmod>2026-12-07T01:02:03Z</lastmod></url>"));
        assert!(xml.contains("<loc>https://codelink.example/u/a&amp;b</loc></url>"));
        let index = index_xml(
            "https://codelink.example",
            &[SitemapEntry { path: file_path(SitemapKind::Tasks, 1), lastmod: None }],
        );
        assert!(index.contains("<sitemap><loc>https://codelink.example/sitemaps/tasks-1.xml</loc></sitemap>"));
    }

    #[test]
    fn robots_keep_crawlers_out_of_private_areas_and_name_the_sitemap() {
        let robots = robots_txt("https://codelink.example");
        for path in ["/admin", "/api/", "/me$", "/wallet", "/profile", "/security", "/sandbox"] {
            assert!(robots.contains(&format!("Disallow: {path}\n")), "{path}");
        }
        assert!(robots.ends_with("Sitemap: https://codelink.example/sitemap.xml\n"));
    }
}
