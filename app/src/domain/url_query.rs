//! Requests that live in the URL (the hall, talent search, the wallet statement): every view has an
//! address, renders on the server and works with JavaScript off. Bad URL input is never an error: a
//! value that does not parse is simply not a filter. The pieces every such request shares are here;
//! each request keeps only its own keys.

/// A request read from URL pairs and written back to them.
pub trait UrlQuery: Sized {
    /// The keys read with one value each.
    const SINGLE_KEYS: &'static [&'static str];
    /// The keys that may repeat (`tag=a&tag=b`).
    const REPEATED_KEYS: &'static [&'static str] = &[];

    /// From the URL's pairs; the inverse of `to_query_string`.
    fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self;

    /// The URL query string ("" for the plain request).
    fn to_query_string(&self) -> String;
}

/// The longest search looked at; the rest of a pasted essay is ignored, not refused.
pub const MAX_QUERY_CHARS: usize = 100;
/// At most this many skill tags in one request.
pub const MAX_TAGS: usize = 10;

/// The search words as kept: trimmed and cut to `MAX_QUERY_CHARS`.
pub fn search_words(typed: &str) -> String {
    typed.trim().chars().take(MAX_QUERY_CHARS).collect::<String>().trim().to_string()
}

/// The tag slugs that look like slugs, each once, at most `MAX_TAGS`.
pub fn tag_slugs(typed: Vec<String>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in typed {
        let valid = (1..=40).contains(&tag.len())
            && tag.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if valid && tags.len() < MAX_TAGS && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// `key=value&…` with every value percent-encoded.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(key, value)| format!("{key}={}", encode(value))).collect::<Vec<_>>().join("&")
}

/// The page a plain form was posted from (its `Referer`, on this site only), with `key=value` set in
/// its query, replacing an earlier value of `key`: how a page without script learns what its form
/// just did. Anything but a page of this site gives `/`.
pub fn back_with(referer: &str, key: &str, value: &str) -> String {
    let path = match referer.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |slash| &rest[slash..]),
        None => referer,
    };
    let path = path.split('#').next().unwrap_or("/");
    let (page, query) = path.split_once('?').unwrap_or((path, ""));
    let kept = query.split('&').filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(key));
    let query = kept.map(str::to_string).chain([format!("{key}={}", encode(value))]).collect::<Vec<_>>().join("&");
    super::validation::local_location(&format!("{page}?{query}"))
}

/// Percent-encodes a URL query value (everything but unreserved ASCII).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_trimmed_and_cut() {
        assert_eq!(search_words("  数据 分析  "), "数据 分析");
        assert_eq!(search_words(&"字".repeat(150)).chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn tags_keep_slugs_once_and_at_most_ten() {
        let typed = ["python", "python", "Bad Tag", "", "rust-lang", "a_b"].map(String::from).to_vec();
        assert_eq!(tag_slugs(typed), ["python", "rust-lang", "a_b"]);
        let many: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
        assert_eq!(tag_slugs(many).len(), MAX_TAGS);
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(
            query_string(&[("q", "数据 &x".into()), ("page", "2".into())]),
            "q=%E6%95%B0%E6%8D%AE%20%26x&page=2"
        );
        assert_eq!(encode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn back_with_sets_one_key_on_the_page_it_came_from() {
        assert_eq!(back_with("http://127.0.0.1:3000/u/dev01", "invited", "dev01"), "/u/dev01?invited=dev01");
        assert_eq!(
            back_with("https://codelink.example/developers?q=rust&invited=a#top", "invited", "张三"),
            "/developers?q=rust&invited=%E5%BC%A0%E4%B8%89"
        );
        assert_eq!(back_with("https://codelink.example", "invited", "x"), "/?invited=x");
        for foreign in ["//evil.example/a", "javascript:alert(1)", ""] {
            assert_eq!(back_with(foreign, "invited", "x"), "/", "{foreign}");
        }
    }
}
