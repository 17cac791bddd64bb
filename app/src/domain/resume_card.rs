//! The embeddable resume card image (`/u/{handle}/card.svg`), like the cards people put in their
//! GitHub READMEs: level, top skills, badges and finished tasks, in Chinese or English, light or
//! dark. Pure: the facts in, the SVG text out. Every piece of user text is XML-escaped.

use super::growth::Level;

/// What the card shows, read from the developer's growth record.
#[derive(Clone, Debug, PartialEq)]
pub struct CardFacts {
    pub name: String,
    pub level: Level,
    pub xp: i64,
    pub finished_tasks: i64,
    pub badges: i64,
    /// Average merchant rating × 100 (480 = 4.8★), None before the first rating.
    pub average_rating_x100: Option<i64>,
    /// Best skills first, with their points; the card shows three.
    pub top_skills: Vec<(String, i64)>,
}

/// The card's words, in the language the card is drawn in (from the locale files: `words::card_labels`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardLabels {
    pub tasks_done: &'static str,
    pub badges: &'static str,
    pub rating: &'static str,
    pub xp: &'static str,
    pub skills: &'static str,
    pub no_skills: &'static str,
    pub verified: &'static str,
    pub title: &'static str,
}

/// The card's look. Light and dark are free and picked by whoever embeds the image (`?theme=`);
/// the others are bought in the points mall (`domain::mall`) and chosen by the card's owner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardTheme {
    Light,
    Dark,
    /// 墨韵: ink black with cinnabar red.
    Ink,
    /// 极光: deep teal with violet.
    Aurora,
    /// 青瓷: celadon green.
    Jade,
}

impl CardTheme {
    /// A free theme from an embedding address (anything else is the light one).
    pub fn parse(theme: Option<&str>) -> Self {
        match theme {
            Some("dark") => CardTheme::Dark,
            _ => CardTheme::Light,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardTheme::Light => "light",
            CardTheme::Dark => "dark",
            CardTheme::Ink => "ink",
            CardTheme::Aurora => "aurora",
            CardTheme::Jade => "jade",
        }
    }

    /// Any theme by its stored name.
    pub fn from_stored(name: &str) -> Option<Self> {
        [CardTheme::Light, CardTheme::Dark, CardTheme::Ink, CardTheme::Aurora, CardTheme::Jade]
            .into_iter()
            .find(|theme| theme.as_str() == name)
    }

    /// The theme a card's owner chose (`users.card_theme`; none chosen: the light one).
    pub fn chosen(stored: Option<&str>) -> Self {
        stored.and_then(Self::from_stored).unwrap_or(CardTheme::Light)
    }

    /// The theme's background and accent colours, for the mall's swatches.
    pub fn swatch(self) -> (&'static str, &'static str) {
        let palette = self.palette();
        (palette.background, palette.bar)
    }

    fn palette(self) -> &'static Palette {
        match self {
            CardTheme::Light => &LIGHT,
            CardTheme::Dark => &DARK,
            CardTheme::Ink => &INK,
            CardTheme::Aurora => &AURORA,
            CardTheme::Jade => &JADE,
        }
    }
}

struct Palette {
    background: &'static str,
    border: &'static str,
    text: &'static str,
    muted: &'static str,
    track: &'static str,
    bar: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    border: "#e2e8f0",
    text: "#0f172a",
    muted: "#64748b",
    track: "#e2e8f0",
    bar: "#2563eb",
};
const DARK: Palette = Palette {
    background: "#0f172a",
    border: "#1e293b",
    text: "#f1f5f9",
    muted: "#94a3b8",
    track: "#1e293b",
    bar: "#60a5fa",
};

const INK: Palette = Palette {
    background: "#1c1917",
    border: "#44403c",
    text: "#fafaf9",
    muted: "#a8a29e",
    track: "#44403c",
    bar: "#dc2626",
};
const AURORA: Palette = Palette {
    background: "#042f2e",
    border: "#115e59",
    text: "#f0fdfa",
    muted: "#5eead4",
    track: "#134e4a",
    bar: "#a78bfa",
};
const JADE: Palette = Palette {
    background: "#ecfdf5",
    border: "#a7f3d0",
    text: "#064e3b",
    muted: "#047857",
    track: "#d1fae5",
    bar: "#059669",
};

/// Level colours, the same as the growth panel's.
fn level_colour(level: Level) -> &'static str {
    match level {
        Level::S => "#d97706",
        Level::A => "#7c3aed",
        Level::B => "#2563eb",
        Level::C => "#64748b",
    }
}

pub const CARD_WIDTH: u32 = 495;
pub const CARD_HEIGHT: u32 = 195;
/// The link-preview image (`card.png`) is the card drawn at twice its size, sharp on phones.
pub const CARD_PNG_SCALE: u32 = 2;
pub const CARD_PNG_SIZE: (u32, u32) = (CARD_WIDTH * CARD_PNG_SCALE, CARD_HEIGHT * CARD_PNG_SCALE);
const SKILLS_SHOWN: usize = 3;
const NAME_CHARS: usize = 16;
const SKILL_CHARS: usize = 14;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters, with an ellipsis when cut (by characters, so Chinese is never split).
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

pub fn card_svg(facts: &CardFacts, labels: &CardLabels, theme: CardTheme) -> String {
    let p = theme.palette();
    let CardLabels {
        tasks_done: tasks_label,
        badges: badges_label,
        rating: rating_label,
        xp: xp_label,
        skills: skills_label,
        no_skills,
        verified,
        title,
    } = *labels;
    let name = xml_escape(&clip(&facts.name, NAME_CHARS));
    let rating =
        facts.average_rating_x100.map_or("—".to_string(), |r| format!("{}★", super::growth::average_text(r)));
    let font = "font-family=\"-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Segoe UI',sans-serif\"";
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{CARD_WIDTH}\" height=\"{CARD_HEIGHT}\" \
         viewBox=\"0 0 {CARD_WIDTH} {CARD_HEIGHT}\" role=\"img\" aria-labelledby=\"title\">\
         <title id=\"title\">{name} · CodeLink {title}</title>\
         <rect x=\"0.5\" y=\"0.5\" width=\"{w}\" height=\"{h}\" rx=\"10\" fill=\"{bg}\" stroke=\"{border}\"/>\
         <g {font}>\
         <text x=\"24\" y=\"40\" font-size=\"20\" font-weight=\"700\" fill=\"{text}\">{name}</text>\
         <text x=\"24\" y=\"62\" font-size=\"12\" fill=\"{muted}\">{xp_label} {xp}</text>\
         <circle cx=\"{cx}\" cy=\"42\" r=\"22\" fill=\"{level_colour}\"/>\
         <text x=\"{cx}\" y=\"50\" font-size=\"22\" font-weight=\"800\" fill=\"#ffffff\" text-anchor=\"middle\">{level}</text>",
        w = CARD_WIDTH - 1,
        h = CARD_HEIGHT - 1,
        bg = p.background,
        border = p.border,
        text = p.text,
        muted = p.muted,
        xp = facts.xp,
        cx = CARD_WIDTH - 46,
        level_colour = level_colour(facts.level),
        level = facts.level.as_str(),
    );
    // Three figures in a row.
    let figures = [
        (tasks_label, facts.finished_tasks.to_string()),
        (badges_label, facts.badges.to_string()),
        (rating_label, rating),
    ];
    for (i, (label, value)) in figures.iter().enumerate() {
        let x = 24 + i as u32 * 100;
        svg.push_str(&format!(
            "<text x=\"{x}\" y=\"96\" font-size=\"18\" font-weight=\"700\" fill=\"{text}\">{value}</text>\
             <text x=\"{x}\" y=\"113\" font-size=\"11\" fill=\"{muted}\">{label}</text>",
            text = p.text,
            muted = p.muted,
            value = xml_escape(value),
        ));
    }
    // Top skills as bars, scaled to the best one.
    let skills: Vec<&(String, i64)> = facts.top_skills.iter().take(SKILLS_SHOWN).collect();
    let best = skills.iter().map(|(_, points)| *points).max().unwrap_or(0).max(1);
    let (left, bar_width) = (330_u32, 140_u32);
    svg.push_str(&format!(
        "<text x=\"{left}\" y=\"92\" font-size=\"11\" fill=\"{muted}\">{skills_label}</text>",
        muted = p.muted
    ));
    if skills.is_empty() {
        svg.push_str(&format!(
            "<text x=\"24\" y=\"150\" font-size=\"12\" fill=\"{muted}\">{no_skills}</text>",
            muted = p.muted
        ));
    }
    for (i, (skill, points)) in skills.iter().enumerate() {
        let y = 106 + i as u32 * 24;
        let filled = ((*points).max(0) as u64 * bar_width as u64 / best as u64).max(4) as u32;
        svg.push_str(&format!(
            "<text x=\"{left}\" y=\"{ty}\" font-size=\"12\" fill=\"{text}\">{skill} <tspan fill=\"{muted}\">{points}</tspan></text>\
             <rect x=\"{left}\" y=\"{by}\" width=\"{bar_width}\" height=\"5\" rx=\"2.5\" fill=\"{track}\"/>\
             <rect x=\"{left}\" y=\"{by}\" width=\"{filled}\" height=\"5\" rx=\"2.5\" fill=\"{bar}\"/>",
            ty = y + 4,
            by = y + 9,
            text = p.text,
            muted = p.muted,
            track = p.track,
            bar = p.bar,
            skill = xml_escape(&clip(skill, SKILL_CHARS)),
        ));
    }
    svg.push_str(&format!(
        "<text x=\"24\" y=\"{y}\" font-size=\"11\" fill=\"{muted}\">✓ {verified}</text></g></svg>",
        y = CARD_HEIGHT - 18,
        muted = p.muted
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CardFacts {
        CardFacts {
            name: "李雷".into(),
            level: Level::A,
            xp: 1240,
            finished_tasks: 12,
            badges: 3,
            average_rating_x100: Some(480),
            top_skills: vec![
                ("Rust".into(), 300),
                ("PostgreSQL".into(), 150),
                ("数据分析".into(), 60),
                ("Vue".into(), 5),
            ],
        }
    }

    // The card's words come from the locale files, as the server draws it.
    fn zh() -> CardLabels {
        crate::words::card_labels(crate::i18n::Locale::zh_CN)
    }

    fn en() -> CardLabels {
        crate::words::card_labels(crate::i18n::Locale::en)
    }

    #[test]
    fn the_card_shows_level_figures_and_three_skills() {
        let svg = card_svg(&facts(), &zh(), CardTheme::Light);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        for shown in
            ["李雷", ">A</text>", ">12</text>", ">3</text>", "4.8★", "完成任务", "Rust", "PostgreSQL", "数据分析"]
        {
            assert!(svg.contains(shown), "missing {shown}");
        }
        assert!(!svg.contains("Vue"), "only the top three skills");
        // The best skill fills its bar; the others are scaled to it.
        assert!(svg.contains("width=\"140\" height=\"5\" rx=\"2.5\" fill=\"#2563eb\""));
        assert!(svg.contains("width=\"70\" height=\"5\" rx=\"2.5\" fill=\"#2563eb\""));
    }

    #[test]
    fn english_and_dark_change_the_words_and_the_colours() {
        let svg = card_svg(&facts(), &en(), CardTheme::Dark);
        assert!(svg.contains("Tasks done") && svg.contains("Verified on CodeLink"));
        assert!(!svg.contains("完成任务"));
        assert!(svg.contains("fill=\"#0f172a\""));
        assert_eq!(CardTheme::parse(Some("dark")), CardTheme::Dark);
        assert_eq!(CardTheme::parse(Some("<script>")), CardTheme::Light);
    }

    #[test]
    fn bought_themes_are_not_free_to_ask_for_but_draw_in_their_colours() {
        assert_eq!(CardTheme::parse(Some("ink")), CardTheme::Light, "an address cannot pick a bought theme");
        assert_eq!(CardTheme::from_stored("ink"), Some(CardTheme::Ink));
        assert_eq!(CardTheme::from_stored("gold"), None);
        assert_eq!((CardTheme::chosen(None), CardTheme::chosen(Some("aurora"))), (CardTheme::Light, CardTheme::Aurora));
        let svg = card_svg(&facts(), &zh(), CardTheme::Ink);
        assert!(svg.contains("fill=\"#1c1917\"") && svg.contains("fill=\"#dc2626\""), "ink and cinnabar");
    }

    #[test]
    fn names_are_escaped_and_clipped() {
        let mut hostile = facts();
        hostile.name = "<script>alert('x')</script>&名字很长很长很长很长很长很长".into();
        hostile.top_skills = vec![("a\"b<c>".into(), 10)];
        let svg = card_svg(&hostile, &zh(), CardTheme::Light);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("a&quot;b&lt;c&gt;"));
        assert!(svg.contains('…'), "a long name is clipped");
    }

    #[test]
    fn a_new_developer_gets_a_card_without_skills_or_rating() {
        let mut new = facts();
        new.top_skills.clear();
        new.average_rating_x100 = None;
        new.level = Level::C;
        let svg = card_svg(&new, &zh(), CardTheme::Light);
        assert!(svg.contains("完成首个任务后显示技能"));
        assert!(svg.contains(">—</text>"));
    }
}
