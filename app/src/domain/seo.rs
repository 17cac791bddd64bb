//! What a page tells search engines and link previews beyond its own text: a short plain
//! description, and schema.org structured data (JSON-LD) for open tasks and public resume cards.
//! The JSON is written here, every string through `html_text::json_string_in_script`, so it can
//! sit inside a `<script>` element whatever a title holds.

use crate::html_text::json_string_in_script;

/// Longest description a search result shows in full, roughly.
pub const DESCRIPTION_CHARS: usize = 160;

/// A page's description from its sanitised HTML (a task's or post's rendered Markdown): the text
/// without tags, entities decoded, whitespace collapsed, cut to `max` characters with an ellipsis.
pub fn plain_summary(html: &str, max: usize) -> String {
    let mut text = String::with_capacity(html.len().min(max * 4));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    cut(&decoded.split_whitespace().collect::<Vec<_>>().join(" "), max)
}

/// `text` cut to `max` characters, with an ellipsis when something was cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short = short.trim_end().to_string();
    short.push('…');
    short
}

/// A JSON value, as much of JSON as structured data needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Str(String),
    /// A number already written as JSON (built only from integers: see [`Json::yuan`]).
    Number(String),
    Object(Vec<(&'static str, Json)>),
}

impl Json {
    pub fn str(text: impl Into<String>) -> Json {
        Json::Str(text.into())
    }

    /// An amount of fen as yuan, exactly (`12345` → `123.45`).
    pub fn yuan(fen: i64) -> Json {
        let sign = if fen < 0 { "-" } else { "" };
        let fen = fen.unsigned_abs();
        Json::Number(format!("{sign}{}.{:02}", fen / 100, fen % 100))
    }

    /// The text to put inside `<script type="application/ld+json">`.
    pub fn to_script_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Str(text) => out.push_str(&json_string_in_script(text)),
            Json::Number(number) => out.push_str(number),
            Json::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_string_in_script(key));
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// What an open task's JobPosting says. URLs are absolute.
pub struct TaskPosting<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// `YYYY-MM-DD`, when it was published.
    pub date_posted: Option<&'a str>,
    /// `YYYY-MM-DD`, the task's deadline.
    pub valid_through: &'a str,
    pub merchant_name: &'a str,
    pub merchant_url: &'a str,
    pub reward_fen: i64,
}

/// schema.org JobPosting for an open task: remote contract work, paid the reward in CNY.
pub fn job_posting(task: &TaskPosting) -> Json {
    let mut fields = vec![
        ("@context", Json::str("https://schema.org")),
        ("@type", Json::str("JobPosting")),
        ("title", Json::str(task.title)),
        ("description", Json::str(task.description)),
        ("url", Json::str(task.url)),
    ];
    if let Some(date) = task.date_posted {
        fields.push(("datePosted", Json::str(date)));
    }
    fields.extend([
        ("validThrough", Json::str(task.valid_through)),
        ("employmentType", Json::str("CONTRACTOR")),
        ("jobLocationType", Json::str("TELECOMMUTE")),
        (
            "applicantLocationRequirements",
            Json::Object(vec![("@type", Json::str("Country")), ("name", Json::str("CN"))]),
        ),
        (
            "hiringOrganization",
            Json::Object(vec![
                ("@type", Json::str("Organization")),
                ("name", Json::str(task.merchant_name)),
                ("sameAs", Json::str(task.merchant_url)),
            ]),
        ),
        (
            "baseSalary",
            Json::Object(vec![
                ("@type", Json::str("MonetaryAmount")),
                ("currency", Json::str("CNY")),
                (
                    "value",
                    Json::Object(vec![
                        ("@type", Json::str("QuantitativeValue")),
                        ("value", Json::yuan(task.reward_fen)),
                    ]),
                ),
            ]),
        ),
    ]);
    Json::Object(fields)
}

/// What a public resume card's ProfilePage says. URLs are absolute.
pub struct CardProfile<'a> {
    pub url: &'a str,
    pub name: &'a str,
    pub handle: &'a str,
    pub headline: &'a str,
    pub image: &'a str,
}

/// schema.org ProfilePage whose main entity is the developer as a Person.
pub fn profile_page(card: &CardProfile) -> Json {
    let mut person = vec![
        ("@type", Json::str("Person")),
        ("name", Json::str(card.name)),
        ("alternateName", Json::str(card.handle)),
        ("url", Json::str(card.url)),
        ("image", Json::str(card.image)),
    ];
    if !card.headline.is_empty() {
        person.push(("description", Json::str(card.headline)));
    }
    Json::Object(vec![
        ("@context", Json::str("https://schema.org")),
        ("@type", Json::str("ProfilePage")),
        ("url", Json::str(card.url)),
        ("mainEntity", Json::Object(person)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_is_the_text_without_markup_and_short() {
        let html = "<h2>目标</h2>\n<p>做一个 <strong>Rust</strong> 服务 &amp; 前端 &lt;3</p>";
        assert_eq!(plain_summary(html, 160), "目标 做一个 Rust 服务 & 前端 <3");
        assert_eq!(plain_summary(html, 6), "目标 做一…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn money_is_exact_yuan() {
        assert_eq!(Json::yuan(12345), Json::Number("123.45".into()));
        assert_eq!(Json::yuan(5), Json::Number("0.05".into()));
        assert_eq!(Json::yuan(-100), Json::Number("-1.00".into()));
    }

    #[test]
    fn a_hostile_title_stays_a_string_inside_the_script() {
        let posting = TaskPosting {
            url: "https://codelink.example/tasks/1",
            title: "</script><script>alert(1)</script>",
            description: "d",
            date_posted: Some("2026-12-01"),
            valid_through: "2026-12-31",
            merchant_name: "星辰",
            merchant_url: "https://codelink.example/merchants/2",
            reward_fen: 500_000,
        };
        let text = job_posting(&posting).to_script_text();
        assert!(!text.contains("</script"), "{text}");
        assert!(text.contains(r#""title":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e""#));
        assert!(text.contains(r#""value":5000.00"#));
        assert!(text.starts_with(r#"{"@context":"https://schema.org","@type":"JobPosting""#));
    }

    #[test]
    fn a_profile_names_the_person() {
        let card = CardProfile {
            url: "https://codelink.example/u/dev01",
            name: "李明",
            handle: "dev01",
            headline: "",
            image: "https://codelink.example/u/dev01/card.png",
        };
        let text = profile_page(&card).to_script_text();
        assert!(
            text.contains(r#""@type":"ProfilePage""#)
                && text.contains(r#""mainEntity":{"@type":"Person","name":"李明""#)
        );
        assert!(!text.contains("description"));
    }
}
