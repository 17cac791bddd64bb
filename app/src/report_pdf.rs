//! The developer's monthly growth report ("成长月报") as an A4 PDF, drawn with krilla.
//!
//! Rendering happens in two passes. The layout pass measures and wraps text, paginates, and
//! records what to draw on each page; only then are the pages written with krilla, so every
//! footer can say how many pages there are.
//!
//! krilla embeds and subsets the font but exposes no glyph metrics, so this module reads the
//! two OpenType tables it needs (`cmap`, `hmtx`) itself. The drawing uses the same glyph ids and
//! advances as the measuring, so wrapped text never overflows its column. There is no shaping
//! (no kerning or ligatures). CJK text does not need it, and the Latin here is short labels and
//! names.
//!
//! Rendering is CPU-bound (a few milliseconds): call it from `spawn_blocking` in async code.

use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;

// ---------------------------------------------------------------------------------------------
// Report data
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportLanguage {
    Zh,
    En,
}

#[derive(Debug, Clone)]
pub struct MonthlyReport {
    pub lang: ReportLanguage,
    pub developer_name: String,
    /// Printed as `codelink /u/{handle}`.
    pub handle: String,
    pub year: i32,
    /// 1..=12.
    pub month: u8,
    /// "S" | "A" | "B" | "C".
    pub level: String,
    /// XP at the end of the month.
    pub xp_total: i64,
    /// XP earned within the month.
    pub xp_gained: i64,
    /// Paid out to the developer in the month, in fen.
    pub earnings_cents: i64,
    /// Average of this month's rated tasks, 1.0..=5.0.
    /// The month's average stars ×100, rounded down (`domain::growth::average_text` reads it).
    pub average_rating_x100: Option<i64>,
    /// Tasks finished in the month, oldest first.
    pub tasks: Vec<ReportTask>,
    /// Top skills; only the first eight are charted.
    pub skills: Vec<SkillGrowth>,
    /// Badge names earned this month, already localised.
    pub badges: Vec<String>,
    /// Challenge names completed this month, already localised.
    pub challenges: Vec<String>,
    /// XP leaderboard rank at the end of the previous month; `None` = unranked.
    pub rank_before: Option<i64>,
    pub rank_after: Option<i64>,
    pub ranked_developers: i64,
    /// Skills in demand in the hall but thin on the profile.
    pub suggestions: Vec<Suggestion>,
}

#[derive(Debug, Clone)]
pub struct ReportTask {
    pub title: String,
    /// "2026-10-14".
    pub finished_on: String,
    pub payout_cents: i64,
    pub merchant: String,
    /// 1..=5.
    pub stars: Option<u8>,
    pub comment: String,
    pub skills: Vec<String>,
}

/// Skill points at the end of the previous month and at the end of this month.
#[derive(Debug, Clone)]
pub struct SkillGrowth {
    pub skill: String,
    pub before: i64,
    pub after: i64,
}

#[derive(Debug, Clone)]
pub struct Suggestion {
    pub skill: String,
    pub open_tasks: i64,
    pub your_points: i64,
}

// ---------------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------------

const NOTO_CJK_REGULAR: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const NOTO_CJK_BOLD: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
/// Debian's Noto CJK collections hold JP, KR, SC, TC, HK and then the Mono faces. The SC face
/// has Simplified Chinese glyph forms.
const NOTO_CJK_SC_INDEX: u32 = 2;

/// Characters the report itself prints, besides the user's data. A font lacking any of them is
/// rejected when it is loaded instead of printing boxes.
const REQUIRED_CHARS: &[char] = &['成', '长', '月', '报', '¥', '★', '☆', '→', '↑', '↓', '·', '“'];

/// The regular and bold faces. Load them once and share them: loading a 20 MB collection takes
/// tens of milliseconds (krilla hashes the whole file), and rendering only clones handles.
pub struct ReportFonts {
    regular: FontFace,
    bold: FontFace,
}

impl ReportFonts {
    /// Reads `CODELINK_CJK_FONT` and `CODELINK_CJK_FONT_BOLD` (a path, optionally followed by
    /// `#index` for a face in a collection, e.g. `/fonts/NotoSansCJK-Regular.ttc#2`). When only
    /// the regular font is set, it is used for bold too. Without them: Debian's Noto Sans CJK SC
    /// from the `fonts-noto-cjk` package.
    pub fn load_system() -> Result<Self, String> {
        let custom_regular = FontSource::from_env("CODELINK_CJK_FONT");
        let custom_bold = FontSource::from_env("CODELINK_CJK_FONT_BOLD");
        let noto = |path: &str| FontSource { path: path.to_owned(), index: NOTO_CJK_SC_INDEX };
        let regular_source = custom_regular.clone().unwrap_or_else(|| noto(NOTO_CJK_REGULAR));
        let bold_source = custom_bold.or(custom_regular).unwrap_or_else(|| noto(NOTO_CJK_BOLD));

        let regular = regular_source.load()?;
        let bold = if bold_source == regular_source { regular.clone() } else { bold_source.load()? };
        Ok(Self { regular, bold })
    }

    /// Builds the fonts from font files already in memory; `*_index` selects the face in a
    /// collection (0 for a single font).
    pub fn from_bytes(regular: Vec<u8>, regular_index: u32, bold: Vec<u8>, bold_index: u32) -> Result<Self, String> {
        Ok(Self {
            regular: FontFace::new(regular, regular_index, "the regular font")?,
            bold: FontFace::new(bold, bold_index, "the bold font")?,
        })
    }

    fn face(&self, weight: Weight) -> &FontFace {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FontSource {
    path: String,
    index: u32,
}

impl FontSource {
    fn from_env(variable: &str) -> Option<Self> {
        let value = std::env::var(variable).ok().filter(|value| !value.trim().is_empty())?;
        let source = match value.rsplit_once('#') {
            Some((path, index)) => match index.parse() {
                Ok(index) => FontSource { path: path.to_owned(), index },
                Err(_) => FontSource { path: value.clone(), index: 0 },
            },
            None => FontSource { path: value, index: 0 },
        };
        Some(source)
    }

    fn load(&self) -> Result<FontFace, String> {
        let data = std::fs::read(&self.path).map_err(|error| {
            format!(
                "cannot read the report font {}: {error}. Install the Debian package \
                 fonts-noto-cjk, or set CODELINK_CJK_FONT / CODELINK_CJK_FONT_BOLD to a \
                 Simplified Chinese OpenType font (path#index for a collection)",
                self.path
            )
        })?;
        FontFace::new(data, self.index, &format!("{}#{}", self.path, self.index))
    }
}

#[derive(Clone)]
struct FontFace {
    pdf_font: Font,
    metrics: FontMetrics,
}

impl FontFace {
    fn new(data: Vec<u8>, index: u32, name: &str) -> Result<Self, String> {
        let metrics = FontMetrics::parse(&data, index)
            .ok_or_else(|| format!("{name} is not an OpenType font with a face at index {index}"))?;
        if let Some(missing) = REQUIRED_CHARS.iter().find(|&&ch| metrics.glyph(ch).is_none()) {
            return Err(format!(
                "{name} has no glyph for '{missing}'; the report needs a Simplified Chinese \
                 font such as Noto Sans CJK SC (Debian package fonts-noto-cjk)"
            ));
        }
        let pdf_font =
            Font::new(data.into(), index).ok_or_else(|| format!("krilla cannot use {name} (face {index})"))?;
        Ok(Self { pdf_font, metrics })
    }

    /// Advance of `ch` in ems; unmapped characters take the width of the `.notdef` box that
    /// is drawn for them.
    fn advance(&self, ch: char) -> f32 {
        self.metrics.advance(self.metrics.glyph(ch).unwrap_or(0))
    }

    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(start, ch)| {
                let glyph = self.metrics.glyph(ch).unwrap_or(0);
                let advance = self.metrics.advance(glyph);
                let cluster = start..start + ch.len_utf8();
                KrillaGlyph::new(GlyphId::new(glyph.into()), advance, 0.0, 0.0, 0.0, cluster, None)
            })
            .collect()
    }
}

/// Character-to-glyph mapping and advance widths of one font face.
#[derive(Clone)]
struct FontMetrics {
    units_per_em: f32,
    /// Sorted, non-overlapping ranges of consecutive characters mapped to consecutive glyphs.
    cmap: Vec<CmapRange>,
    /// Advance per glyph id in font units; glyphs past the end repeat the last advance.
    advances: Vec<u16>,
}

#[derive(Clone, Copy)]
struct CmapRange {
    first_char: u32,
    last_char: u32,
    first_glyph: u32,
}

impl FontMetrics {
    fn parse(data: &[u8], index: u32) -> Option<Self> {
        let directory = table_directory(data, index)?;
        let table = |tag: &[u8; 4]| find_table(data, directory, tag);
        let units_per_em = read_u16(table(b"head")?, 18)?;
        let metric_count = usize::from(read_u16(table(b"hhea")?, 34)?);
        let hmtx = table(b"hmtx")?;
        let advances = (0..metric_count).map(|glyph| read_u16(hmtx, 4 * glyph)).collect::<Option<Vec<_>>>()?;
        if units_per_em == 0 || advances.is_empty() {
            return None;
        }
        Some(Self { units_per_em: f32::from(units_per_em), cmap: parse_cmap(table(b"cmap")?)?, advances })
    }

    fn glyph(&self, ch: char) -> Option<u16> {
        let code = u32::from(ch);
        let range = self.cmap.partition_point(|range| range.last_char < code);
        let range = self.cmap.get(range).filter(|range| range.first_char <= code)?;
        let glyph = range.first_glyph.checked_add(code - range.first_char)?;
        u16::try_from(glyph).ok().filter(|&glyph| glyph != 0)
    }

    fn advance(&self, glyph: u16) -> f32 {
        let last = self.advances.len() - 1;
        f32::from(self.advances[usize::from(glyph).min(last)]) / self.units_per_em
    }
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// Offset of the table directory of face `index` in a font file or collection.
fn table_directory(data: &[u8], index: u32) -> Option<usize> {
    if data.get(0..4)? == b"ttcf" {
        if index >= read_u32(data, 8)? {
            return None;
        }
        Some(read_u32(data, 12 + 4 * index as usize)? as usize)
    } else {
        (index == 0).then_some(0)
    }
}

fn find_table<'a>(data: &'a [u8], directory: usize, tag: &[u8; 4]) -> Option<&'a [u8]> {
    let table_count = usize::from(read_u16(data, directory + 4)?);
    let record = (0..table_count)
        .map(|table| directory + 12 + 16 * table)
        .find(|&record| data.get(record..record + 4) == Some(tag.as_slice()))?;
    let offset = read_u32(data, record + 8)? as usize;
    let length = read_u32(data, record + 12)? as usize;
    data.get(offset..offset.checked_add(length)?)
}

/// Reads the best Unicode subtable: format 12 (all planes) if present, else format 4 (BMP).
fn parse_cmap(cmap: &[u8]) -> Option<Vec<CmapRange>> {
    let subtable_count = usize::from(read_u16(cmap, 2)?);
    let mut bmp_subtable = None;
    for record in (0..subtable_count).map(|subtable| 4 + 8 * subtable) {
        let platform = read_u16(cmap, record)?;
        let encoding = read_u16(cmap, record + 2)?;
        let is_unicode = platform == 0 || (platform == 3 && matches!(encoding, 1 | 10));
        let Some(subtable) = cmap.get(read_u32(cmap, record + 4)? as usize..) else {
            continue;
        };
        match read_u16(subtable, 0) {
            Some(12) if is_unicode => return parse_cmap_format12(subtable),
            Some(4) if is_unicode => bmp_subtable = Some(subtable),
            _ => {}
        }
    }
    parse_cmap_format4(bmp_subtable?)
}

fn parse_cmap_format12(subtable: &[u8]) -> Option<Vec<CmapRange>> {
    let group_count = read_u32(subtable, 12)? as usize;
    (0..group_count)
        .map(|group| {
            let at = 16 + 12 * group;
            Some(CmapRange {
                first_char: read_u32(subtable, at)?,
                last_char: read_u32(subtable, at + 4)?,
                first_glyph: read_u32(subtable, at + 8)?,
            })
        })
        .collect()
}

fn parse_cmap_format4(subtable: &[u8]) -> Option<Vec<CmapRange>> {
    let segment_count = usize::from(read_u16(subtable, 6)? / 2);
    let end_codes = 14;
    let start_codes = end_codes + 2 * segment_count + 2;
    let deltas = start_codes + 2 * segment_count;
    let range_offsets = deltas + 2 * segment_count;
    let mut ranges: Vec<CmapRange> = Vec::new();
    for segment in 0..segment_count {
        let end = read_u16(subtable, end_codes + 2 * segment)?;
        let start = read_u16(subtable, start_codes + 2 * segment)?;
        let delta = read_u16(subtable, deltas + 2 * segment)?;
        let range_offset_at = range_offsets + 2 * segment;
        let range_offset = usize::from(read_u16(subtable, range_offset_at)?);
        for code in start..=end {
            // A non-zero range offset points, relative to itself, into the glyph id array.
            let glyph = if range_offset == 0 {
                code.wrapping_add(delta)
            } else {
                let at = range_offset_at + range_offset + 2 * usize::from(code - start);
                match read_u16(subtable, at) {
                    Some(0) | None => 0,
                    Some(glyph) => glyph.wrapping_add(delta),
                }
            };
            if glyph != 0 {
                push_cmap_entry(&mut ranges, u32::from(code), u32::from(glyph));
            }
        }
    }
    Some(ranges)
}

fn push_cmap_entry(ranges: &mut Vec<CmapRange>, code: u32, glyph: u32) {
    if let Some(last) = ranges.last_mut() {
        if last.last_char + 1 == code && last.first_glyph + (code - last.first_char) == glyph {
            last.last_char = code;
            return;
        }
    }
    ranges.push(CmapRange { first_char: code, last_char: code, first_glyph: glyph });
}

// ---------------------------------------------------------------------------------------------
// Line breaking
// ---------------------------------------------------------------------------------------------

/// Breaks `text` into lines no wider than `max_width`, where `advance` gives each character's
/// width. Text may break between CJK characters (never before closing or after opening
/// punctuation) and at spaces; a word wider than a whole line is cut where it overflows.
/// Newlines force a break, and runs of whitespace collapse into one space.
fn wrap_lines(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    // Byte offset in `line` where it may be cut when a later character overflows.
    let mut break_at: Option<usize> = None;
    let mut previous: Option<char> = None;

    for ch in text.trim().chars() {
        if ch == '\n' {
            lines.push(line.trim_end().to_owned());
            line.clear();
            width = 0.0;
            break_at = None;
            previous = None;
            continue;
        }
        if ch.is_whitespace() {
            if !line.is_empty() && previous != Some(' ') {
                line.push(' ');
                width += advance(' ');
                break_at = Some(line.len());
            }
            previous = Some(' ');
            continue;
        }
        let may_break_before = previous.is_some_and(|previous| {
            (is_cjk(previous) || is_cjk(ch)) && !is_closing_punctuation(ch) && !is_opening_punctuation(previous)
        });
        if may_break_before {
            break_at = Some(line.len());
        }
        let ch_width = advance(ch);
        if width + ch_width > max_width && !line.is_empty() {
            let carried = match break_at {
                Some(at) if at > 0 => line.split_off(at),
                _ => String::new(),
            };
            lines.push(line.trim_end().to_owned());
            width = carried.chars().map(&advance).sum();
            line = carried;
            break_at = None;
            if width + ch_width > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0.0;
            }
        }
        line.push(ch);
        width += ch_width;
        previous = Some(ch);
    }
    if !line.is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Shortens `text` with an ellipsis so that it fits in `max_width`.
fn truncate_to_width(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> String {
    if text.chars().map(&advance).sum::<f32>() <= max_width {
        return text.to_owned();
    }
    let budget = max_width - advance('…');
    let mut width = 0.0;
    let mut kept: String = text
        .chars()
        .take_while(|&ch| {
            width += advance(ch);
            width <= budget
        })
        .collect();
    kept.truncate(kept.trim_end().len());
    kept.push('…');
    kept
}

fn is_cjk(ch: char) -> bool {
    matches!(u32::from(ch),
        0x2E80..=0x9FFF       // radicals, CJK punctuation, kana, unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE30..=0xFE4F     // CJK compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF) // ideograph extensions B and later
}

/// Punctuation that must not start a line.
const CLOSING_PUNCTUATION: &str = "，。、；：！？）》」』】〕〉”’…～,.;:!?)]}%";
/// Punctuation that must not end a line.
const OPENING_PUNCTUATION: &str = "（《「『【〔〈“‘([{";

fn is_closing_punctuation(ch: char) -> bool {
    CLOSING_PUNCTUATION.contains(ch)
}

fn is_opening_punctuation(ch: char) -> bool {
    OPENING_PUNCTUATION.contains(ch)
}

// ---------------------------------------------------------------------------------------------
// Localised text
// ---------------------------------------------------------------------------------------------

struct Labels {
    language: ReportLanguage,
    title: &'static str,
    level: &'static str,
    tasks_finished: &'static str,
    earnings: &'static str,
    earnings_note: &'static str,
    average_rating: &'static str,
    no_rating: &'static str,
    xp_gained: &'static str,
    rank_change: &'static str,
    unranked: &'static str,
    newly_ranked: &'static str,
    rank_unchanged: &'static str,
    skill_growth: &'static str,
    previous_month_end: &'static str,
    this_month_end: &'static str,
    no_skills: &'static str,
    no_tasks: &'static str,
    not_rated: &'static str,
    badges_and_challenges: &'static str,
    badges: &'static str,
    challenges: &'static str,
    no_badges_or_challenges: &'static str,
    suggestions: &'static str,
    no_suggestions: &'static str,
}

const ZH: Labels = Labels {
    language: ReportLanguage::Zh,
    title: "成长月报",
    level: "等级",
    tasks_finished: "本月完成任务",
    earnings: "收入",
    earnings_note: "本月已到账",
    average_rating: "平均评分",
    no_rating: "暂无评分",
    xp_gained: "获得经验",
    rank_change: "排名变化",
    unranked: "未上榜",
    newly_ranked: "新上榜",
    rank_unchanged: "持平",
    skill_growth: "技能成长",
    previous_month_end: "上月末",
    this_month_end: "本月末",
    no_skills: "还没有技能积分记录",
    no_tasks: "本月没有完成的任务",
    not_rated: "未评分",
    badges_and_challenges: "徽章与挑战",
    badges: "徽章",
    challenges: "挑战",
    no_badges_or_challenges: "本月没有获得徽章或完成挑战",
    suggestions: "成长建议",
    no_suggestions: "大厅里需求旺盛的技能你都已具备，继续保持！",
};

const EN: Labels = Labels {
    language: ReportLanguage::En,
    title: "Monthly growth report",
    level: "LEVEL",
    tasks_finished: "Tasks finished",
    earnings: "Earnings",
    earnings_note: "paid out this month",
    average_rating: "Average rating",
    no_rating: "no ratings yet",
    xp_gained: "XP gained",
    rank_change: "Rank change",
    unranked: "unranked",
    newly_ranked: "new",
    rank_unchanged: "no change",
    skill_growth: "Skill growth",
    previous_month_end: "End of last month",
    this_month_end: "End of this month",
    no_skills: "No skill points recorded yet",
    no_tasks: "No tasks finished this month",
    not_rated: "Not rated",
    badges_and_challenges: "Badges & challenges",
    badges: "Badges",
    challenges: "Challenges",
    no_badges_or_challenges: "No badges earned or challenges completed this month",
    suggestions: "Suggestions",
    no_suggestions: "Your profile covers the skills in demand in the hall. Keep it up!",
};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Labels {
    fn for_language(language: ReportLanguage) -> &'static Labels {
        match language {
            ReportLanguage::Zh => &ZH,
            ReportLanguage::En => &EN,
        }
    }

    fn month(&self, year: i32, month: u8) -> String {
        match self.language {
            ReportLanguage::Zh => format!("{year}年{month}月"),
            ReportLanguage::En => format!("{} {year}", MONTH_NAMES[usize::from(month) - 1]),
        }
    }

    fn distinct_skills(&self, count: usize) -> String {
        match self.language {
            ReportLanguage::Zh => format!("涉及 {count} 项技能"),
            ReportLanguage::En if count == 1 => "in 1 skill".to_owned(),
            ReportLanguage::En => format!("across {count} skills"),
        }
    }

    fn rating_count(&self, count: usize) -> String {
        match self.language {
            ReportLanguage::Zh => format!("基于 {count} 个评分"),
            ReportLanguage::En if count == 1 => "from 1 rating".to_owned(),
            ReportLanguage::En => format!("from {count} ratings"),
        }
    }

    fn xp_total(&self, xp: i64) -> String {
        match self.language {
            ReportLanguage::Zh => format!("累计 {} XP", group_thousands(xp)),
            ReportLanguage::En => format!("{} XP in total", group_thousands(xp)),
        }
    }

    fn ranked_developers(&self, count: i64) -> String {
        match self.language {
            ReportLanguage::Zh => format!("共 {} 名开发者上榜", group_thousands(count)),
            ReportLanguage::En => format!("of {} ranked developers", group_thousands(count)),
        }
    }

    fn suggestion(&self, suggestion: &Suggestion) -> String {
        let Suggestion { skill, open_tasks, your_points } = suggestion;
        match self.language {
            ReportLanguage::Zh => {
                format!("大厅里有 {open_tasks} 个需要 {skill} 的开放任务，你的 {skill} 积分是 {your_points}")
            }
            ReportLanguage::En if *open_tasks == 1 => {
                format!("1 open task in the hall needs {skill}; your {skill} points: {your_points}")
            }
            ReportLanguage::En => {
                format!("{open_tasks} open tasks in the hall need {skill}; your {skill} points: {your_points}")
            }
        }
    }

    fn quoted(&self, text: &str) -> String {
        match self.language {
            ReportLanguage::Zh => format!("“{text}”"),
            // The CJK font's curly quotes are full-width, which looks loose in English.
            ReportLanguage::En => format!("\"{text}\""),
        }
    }

    fn page_number(&self, page: usize, pages: usize) -> String {
        match self.language {
            ReportLanguage::Zh => format!("第 {page} 页，共 {pages} 页"),
            ReportLanguage::En => format!("Page {page} of {pages}"),
        }
    }
}

/// "¥1,234.50" from fen.
fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}¥{}.{:02}", group_digits(cents / 100), cents % 100)
}

/// "+1,240" for gains, "-30" for losses, "0".
fn format_signed(value: i64) -> String {
    let sign = if value > 0 { "+" } else { "" };
    format!("{sign}{}", group_thousands(value))
}

fn group_thousands(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", group_digits(value.unsigned_abs()))
}

fn group_digits(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trend {
    Up,
    Down,
    Flat,
}

/// "#12 → #7" and the movement "↑5", or "未上榜" when unranked at both ends.
fn rank_change(labels: &Labels, before: Option<i64>, after: Option<i64>) -> (String, Option<(String, Trend)>) {
    let unranked = labels.unranked;
    match (before, after) {
        (Some(before), Some(after)) => {
            let movement = match after.cmp(&before) {
                std::cmp::Ordering::Less => (format!("↑{}", before - after), Trend::Up),
                std::cmp::Ordering::Greater => (format!("↓{}", after - before), Trend::Down),
                std::cmp::Ordering::Equal => (labels.rank_unchanged.to_owned(), Trend::Flat),
            };
            (format!("#{before} → #{after}"), Some(movement))
        }
        (None, Some(after)) => (format!("{unranked} → #{after}"), Some((labels.newly_ranked.to_owned(), Trend::Up))),
        (Some(before), None) => (format!("#{before} → {unranked}"), None),
        (None, None) => (unranked.to_owned(), None),
    }
}

// ---------------------------------------------------------------------------------------------
// Page geometry and style
// ---------------------------------------------------------------------------------------------

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 44.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const CONTENT_RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// Where content starts on pages after the first, below the running header.
const CONTINUATION_TOP: f32 = 62.0;
/// Content must end above the footer.
const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 54.0;
const SECTION_GAP: f32 = 14.0;
/// Ideographs sit between -0.12 and 0.88 em around the baseline and Latin capitals between
/// 0 and 0.73 em, so a baseline this far (in ems) below a box's middle centres both.
const BASELINE_BELOW_MIDDLE: f32 = 0.36;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(u8, u8, u8);

const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
const INDIGO_50: Rgb = Rgb(0xee, 0xf2, 0xff);
const INDIGO_100: Rgb = Rgb(0xe0, 0xe7, 0xff);
const INDIGO_200: Rgb = Rgb(0xc7, 0xd2, 0xfe);
const INDIGO_500: Rgb = Rgb(0x63, 0x66, 0xf1);
const INDIGO_600: Rgb = Rgb(0x4f, 0x46, 0xe5);
const INDIGO_800: Rgb = Rgb(0x37, 0x30, 0xa3);
const SLATE_50: Rgb = Rgb(0xf8, 0xfa, 0xfc);
const SLATE_100: Rgb = Rgb(0xf1, 0xf5, 0xf9);
const SLATE_200: Rgb = Rgb(0xe2, 0xe8, 0xf0);
const SLATE_300: Rgb = Rgb(0xcb, 0xd5, 0xe1);
const SLATE_400: Rgb = Rgb(0x94, 0xa3, 0xb8);
const SLATE_500: Rgb = Rgb(0x64, 0x74, 0x8b);
const SLATE_600: Rgb = Rgb(0x47, 0x55, 0x69);
const SLATE_700: Rgb = Rgb(0x33, 0x41, 0x55);
const SLATE_900: Rgb = Rgb(0x0f, 0x17, 0x2a);
const AMBER_100: Rgb = Rgb(0xfe, 0xf3, 0xc7);
const AMBER_400: Rgb = Rgb(0xfb, 0xbf, 0x24);
const AMBER_800: Rgb = Rgb(0x92, 0x40, 0x0e);
const EMERALD_300: Rgb = Rgb(0x6e, 0xe7, 0xb7);
const EMERALD_600: Rgb = Rgb(0x05, 0x96, 0x69);
const ROSE_300: Rgb = Rgb(0xfd, 0xa4, 0xaf);
const ROSE_600: Rgb = Rgb(0xe1, 0x1d, 0x48);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy)]
struct TextStyle {
    weight: Weight,
    size: f32,
    color: Rgb,
}

const fn regular(size: f32, color: Rgb) -> TextStyle {
    TextStyle { weight: Weight::Regular, size, color }
}

const fn bold(size: f32, color: Rgb) -> TextStyle {
    TextStyle { weight: Weight::Bold, size, color }
}

// ---------------------------------------------------------------------------------------------
// Layout: a display list per page, filled top to bottom
// ---------------------------------------------------------------------------------------------

enum DrawOp {
    Fill { path: Path, color: Rgb },
    Text { x: f32, baseline: f32, text: String, style: TextStyle },
}

struct Layout<'a> {
    fonts: &'a ReportFonts,
    finished_pages: Vec<Vec<DrawOp>>,
    page: Vec<DrawOp>,
    /// Top of the free space on the current page.
    y: f32,
    running_header: String,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a ReportFonts, running_header: String) -> Self {
        Self { fonts, finished_pages: Vec::new(), page: Vec::new(), y: 0.0, running_header }
    }

    fn advance_fn(&self, style: TextStyle) -> impl Fn(char) -> f32 + '_ {
        let face = self.fonts.face(style.weight);
        move |ch| face.advance(ch) * style.size
    }

    fn width(&self, text: &str, style: TextStyle) -> f32 {
        text.chars().map(self.advance_fn(style)).sum()
    }

    fn wrap(&self, text: &str, max_width: f32, style: TextStyle) -> Vec<String> {
        wrap_lines(text, max_width, self.advance_fn(style))
    }

    fn truncate(&self, text: &str, max_width: f32, style: TextStyle) -> String {
        truncate_to_width(text, max_width, self.advance_fn(style))
    }

    /// Starts a new page unless `height` still fits on this one. A block taller than a whole
    /// page is placed at the top of a fresh page and left to its caller to split.
    fn ensure_space(&mut self, height: f32) {
        if self.y + height > CONTENT_BOTTOM && !self.at_page_top() {
            self.start_page();
        }
    }

    fn at_page_top(&self) -> bool {
        self.y <= CONTINUATION_TOP
    }

    fn start_page(&mut self) {
        self.finished_pages.push(std::mem::take(&mut self.page));
        let style = regular(8.0, SLATE_400);
        let running_header = self.truncate(&self.running_header, CONTENT_WIDTH, style);
        self.text(MARGIN, 38.0, &running_header, style);
        self.rect(MARGIN, 46.0, CONTENT_WIDTH, 0.6, SLATE_200);
        self.y = CONTINUATION_TOP;
    }

    fn fill(&mut self, path: Option<Path>, color: Rgb) {
        if let Some(path) = path {
            self.page.push(DrawOp::Fill { path, color });
        }
    }

    fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        let path = Rect::from_xywh(x, y, width, height).and_then(|rect| {
            let mut builder = PathBuilder::new();
            builder.push_rect(rect);
            builder.finish()
        });
        self.fill(path, color);
    }

    fn rounded_rect(&mut self, x: f32, y: f32, width: f32, height: f32, radius: f32, color: Rgb) {
        self.fill(rounded_rect_path(x, y, width, height, radius), color);
    }

    fn circle(&mut self, center_x: f32, center_y: f32, radius: f32, color: Rgb) {
        let diameter = 2.0 * radius;
        self.rounded_rect(center_x - radius, center_y - radius, diameter, diameter, radius, color);
    }

    /// Draws `text` and returns the x where it ends.
    fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) -> f32 {
        if !text.is_empty() {
            let text = text.to_owned();
            self.page.push(DrawOp::Text { x, baseline, text, style });
        }
        x + self.width(text, style)
    }

    fn text_right(&mut self, right: f32, baseline: f32, text: &str, style: TextStyle) {
        self.text(right - self.width(text, style), baseline, text, style);
    }

    fn text_centered(&mut self, center: f32, baseline: f32, text: &str, style: TextStyle) {
        self.text(center - self.width(text, style) / 2.0, baseline, text, style);
    }

    /// Draws differently styled pieces of one line after each other; returns the end x.
    fn text_runs(&mut self, x: f32, baseline: f32, runs: &[(&str, TextStyle)]) -> f32 {
        runs.iter().fold(x, |x, (text, style)| self.text(x, baseline, text, *style))
    }

    fn runs_width(&self, runs: &[(&str, TextStyle)]) -> f32 {
        runs.iter().map(|(text, style)| self.width(text, *style)).sum()
    }

    /// Wrapped lines at the cursor, each moved to a new page if it does not fit.
    fn lines(&mut self, x: f32, lines: &[String], style: TextStyle, line_height: f32) {
        for line in lines {
            self.ensure_space(line_height);
            self.text(x, self.y + line_height / 2.0 + style.size * BASELINE_BELOW_MIDDLE, line, style);
            self.y += line_height;
        }
    }

    fn paragraph(&mut self, x: f32, width: f32, text: &str, style: TextStyle, line_height: f32) {
        let lines = self.wrap(text, width, style);
        self.lines(x, &lines, style, line_height);
    }

    /// Closes the last page and gives every page its footer, now that the page count is known.
    fn finish(mut self, footer: &str, labels: &Labels) -> Vec<Vec<DrawOp>> {
        self.finished_pages.push(std::mem::take(&mut self.page));
        let pages = std::mem::take(&mut self.finished_pages);
        let page_count = pages.len();
        let style = regular(7.5, SLATE_400);
        let baseline = PAGE_HEIGHT - 26.0;
        pages
            .into_iter()
            .enumerate()
            .map(|(index, ops)| {
                self.page = ops;
                let page_number = labels.page_number(index + 1, page_count);
                let footer_room = CONTENT_WIDTH - self.width(&page_number, style) - 16.0;
                self.rect(MARGIN, PAGE_HEIGHT - 40.0, CONTENT_WIDTH, 0.6, SLATE_200);
                self.text(MARGIN, baseline, &self.truncate(footer, footer_room, style), style);
                self.text_right(CONTENT_RIGHT, baseline, &page_number, style);
                std::mem::take(&mut self.page)
            })
            .collect()
    }
}

fn rounded_rect_path(x: f32, y: f32, width: f32, height: f32, radius: f32) -> Option<Path> {
    let radius = radius.min(width / 2.0).min(height / 2.0).max(0.0);
    // Distance from a corner to the control points of the quarter circle drawn by a cubic.
    let inset = radius * (1.0 - 0.552_285);
    let (right, bottom) = (x + width, y + height);
    let mut builder = PathBuilder::new();
    builder.move_to(x + radius, y);
    builder.line_to(right - radius, y);
    builder.cubic_to(right - inset, y, right, y + inset, right, y + radius);
    builder.line_to(right, bottom - radius);
    builder.cubic_to(right, bottom - inset, right - inset, bottom, right - radius, bottom);
    builder.line_to(x + radius, bottom);
    builder.cubic_to(x + inset, bottom, x, bottom - inset, x, bottom - radius);
    builder.line_to(x, y + radius);
    builder.cubic_to(x, y + inset, x + inset, y, x + radius, y);
    builder.close();
    builder.finish()
}

/// How one kind of chip looks in a row of chips: pills for badges and task skills, or plain
/// text leading a group of them.
struct ChipStyle {
    text: TextStyle,
    /// `None` draws the text alone.
    fill: Option<Rgb>,
    height: f32,
    padding: f32,
    /// Space before the chip unless it starts a row.
    spacing: f32,
}

struct PlacedChip<'s> {
    row: usize,
    x: f32,
    width: f32,
    text: String,
    style: &'s ChipStyle,
}

impl Layout<'_> {
    /// Places chips in rows from `left` to `right`; text too long for a whole row is shortened.
    fn place_chips<'s>(&self, chips: &[(&str, &'s ChipStyle)], left: f32, right: f32) -> Vec<PlacedChip<'s>> {
        let mut row = 0;
        let mut end_of_previous: Option<f32> = None;
        chips
            .iter()
            .map(|&(text, style)| {
                let text = self.truncate(text, right - left - 2.0 * style.padding, style.text);
                let width = self.width(&text, style.text) + 2.0 * style.padding;
                let mut x = end_of_previous.map_or(left, |end| end + style.spacing);
                if x + width > right && x > left {
                    row += 1;
                    x = left;
                }
                end_of_previous = Some(x + width);
                PlacedChip { row, x, width, text, style }
            })
            .collect()
    }

    /// Draws placed chips in rows of `row_height` from the cursor, and moves the cursor below.
    fn draw_chips(&mut self, chips: &[PlacedChip], row_height: f32) {
        let mut current_row = 0;
        for chip in chips {
            if chip.row != current_row {
                current_row = chip.row;
                self.y += row_height;
                self.ensure_space(row_height);
            }
            let ChipStyle { text, fill, height, padding, .. } = *chip.style;
            let top = self.y + (row_height - height) / 2.0;
            if let Some(fill) = fill {
                self.rounded_rect(chip.x, top, chip.width, height, height / 2.0, fill);
            }
            let baseline = top + height / 2.0 + text.size * BASELINE_BELOW_MIDDLE;
            self.text(chip.x + padding, baseline, &chip.text, text);
        }
        self.y += row_height;
    }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

const HEADER_HEIGHT: f32 = 120.0;
const MAX_CHART_SKILLS: usize = 8;
const TASK_KEEP_TOGETHER_HEIGHT: f32 = 160.0;
const EMPTY_STATE: TextStyle = regular(9.5, SLATE_400);
const EMPTY_STATE_LINE_HEIGHT: f32 = 18.0;

/// Renders the report as PDF bytes.
pub fn render_report_pdf(report: &MonthlyReport, fonts: &ReportFonts) -> Result<Vec<u8>, String> {
    if !(1..=12).contains(&report.month) {
        return Err(format!("report month must be 1..=12, got {}", report.month));
    }
    let labels = Labels::for_language(report.lang);
    let month = labels.month(report.year, report.month);
    let running_header = format!("{} · {} · {month}", labels.title, report.developer_name);
    let mut layout = Layout::new(fonts, running_header);

    draw_header(&mut layout, report, labels, &month);
    draw_key_figures(&mut layout, report, labels);
    draw_skill_growth(&mut layout, &report.skills, labels);
    draw_tasks(&mut layout, &report.tasks, labels);
    draw_badges_and_challenges(&mut layout, report, labels);
    draw_suggestions(&mut layout, &report.suggestions, labels);

    let footer = format!("CodeLink · {} · {}-{:02}", report.handle, report.year, report.month);
    let pages = layout.finish(&footer, labels);
    let metadata = Metadata::new()
        .title(format!("{} · {} · {}-{:02}", labels.title, report.developer_name, report.year, report.month))
        .creator("CodeLink".to_owned())
        .language(match report.lang {
            ReportLanguage::Zh => "zh-CN".to_owned(),
            ReportLanguage::En => "en".to_owned(),
        });
    write_pdf(&pages, fonts, metadata)
}

fn write_pdf(pages: &[Vec<DrawOp>], fonts: &ReportFonts, metadata: Metadata) -> Result<Vec<u8>, String> {
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("invalid page size")?;
    let mut document = Document::new();
    document.set_metadata(metadata);
    for ops in pages {
        let mut page = document.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                DrawOp::Fill { path, color } => {
                    surface.set_fill(Some(solid(*color)));
                    surface.draw_path(path);
                }
                DrawOp::Text { x, baseline, text, style } => {
                    let face = fonts.face(style.weight);
                    surface.set_fill(Some(solid(style.color)));
                    surface.draw_glyphs(
                        Point::from_xy(*x, *baseline),
                        &face.glyphs(text),
                        face.pdf_font.clone(),
                        text,
                        style.size,
                        false,
                    );
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| format!("cannot write the report PDF: {error:?}"))
}

fn solid(Rgb(red, green, blue): Rgb) -> Fill {
    Fill { paint: rgb::Color::new(red, green, blue).into(), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

fn draw_header(layout: &mut Layout, report: &MonthlyReport, labels: &Labels, month: &str) {
    layout.rect(0.0, 0.0, PAGE_WIDTH, HEADER_HEIGHT, INDIGO_600);
    // A large, barely lighter disc bleeding off the corner gives the band some depth.
    layout.circle(PAGE_WIDTH - 30.0, -20.0, 120.0, Rgb(0x58, 0x50, 0xe8));

    // Level badge on the right.
    let badge_width = 62.0;
    let badge_left = CONTENT_RIGHT - badge_width;
    let badge_center = badge_left + badge_width / 2.0;
    layout.rounded_rect(badge_left, 26.0, badge_width, 68.0, 10.0, WHITE);
    layout.text_centered(badge_center, 42.0, labels.level, bold(8.0, SLATE_500));
    let level = if report.level.trim().is_empty() { "—" } else { report.level.trim() };
    let level = layout.truncate(level, badge_width - 10.0, bold(30.0, INDIGO_600));
    layout.text_centered(badge_center, 82.0, &level, bold(30.0, INDIGO_600));

    let text_right = badge_left - 16.0;
    let brand = bold(9.5, INDIGO_200);
    layout.text(MARGIN, 30.0, "CodeLink", brand);

    let title = bold(22.0, WHITE);
    let title_end = layout.text(MARGIN, 58.0, labels.title, title);
    layout.text(title_end + 10.0, 58.0, month, regular(12.0, INDIGO_100));

    let handle_style = regular(10.0, INDIGO_200);
    let handle = layout.truncate(&format!("codelink /u/{}", report.handle), (text_right - MARGIN) / 2.0, handle_style);
    let name_style = bold(14.0, WHITE);
    let name_room = text_right - MARGIN - 10.0 - layout.width(&handle, handle_style);
    let name = layout.truncate(&report.developer_name, name_room, name_style);
    let name_end = layout.text(MARGIN, 82.0, &name, name_style);
    layout.text(name_end + 10.0, 82.0, &handle, handle_style);

    let (ranks, movement) = rank_change(labels, report.rank_before, report.rank_after);
    let movement = movement.map(|(text, trend)| {
        let color = match trend {
            Trend::Up => EMERALD_300,
            Trend::Down => ROSE_300,
            Trend::Flat => INDIGO_200,
        };
        (format!(" ({text})"), bold(9.5, color))
    });
    let ranked = format!(" · {}", labels.ranked_developers(report.ranked_developers));
    let mut runs = vec![
        (labels.rank_change, regular(9.0, INDIGO_200)),
        ("  ", regular(9.0, INDIGO_200)),
        (ranks.as_str(), bold(9.5, WHITE)),
    ];
    if let Some((text, style)) = &movement {
        runs.push((text.as_str(), *style));
    }
    runs.push((ranked.as_str(), regular(9.0, INDIGO_200)));
    layout.text_runs(MARGIN, 103.0, &runs);

    layout.y = HEADER_HEIGHT + 16.0;
}

fn draw_key_figures(layout: &mut Layout, report: &MonthlyReport, labels: &Labels) {
    let distinct_skills = {
        let mut skills: Vec<&str> =
            report.tasks.iter().flat_map(|task| task.skills.iter().map(String::as_str)).collect();
        skills.sort_unstable();
        skills.dedup();
        skills.len()
    };
    let rated_tasks = report.tasks.iter().filter(|task| task.stars.is_some()).count();
    let task_count = report.tasks.len().to_string();
    let earnings = format_money(report.earnings_cents);
    let rating = report.average_rating_x100.map(crate::domain::growth::average_text);
    let xp_gained = format_signed(report.xp_gained);

    let value = bold(18.0, SLATE_900);
    let star = bold(14.0, AMBER_400);
    let tasks_note = if report.tasks.is_empty() { String::new() } else { labels.distinct_skills(distinct_skills) };
    let rating_runs = match &rating {
        Some(rating) => vec![(rating.as_str(), value), (" ★", star)],
        None => vec![("—", value)],
    };
    let rating_note = match (&rating, rated_tasks) {
        (None, _) => labels.no_rating.to_owned(),
        (Some(_), 0) => String::new(),
        (Some(_), count) => labels.rating_count(count),
    };
    let boxes = [
        (labels.tasks_finished, vec![(task_count.as_str(), value)], tasks_note),
        (labels.earnings, vec![(earnings.as_str(), value)], labels.earnings_note.to_owned()),
        (labels.average_rating, rating_runs, rating_note),
        (labels.xp_gained, vec![(xp_gained.as_str(), value)], labels.xp_total(report.xp_total)),
    ];

    let gap = 10.0;
    let box_width = (CONTENT_WIDTH - 3.0 * gap) / 4.0;
    let box_height = 64.0;
    let padding = 12.0;
    let room = box_width - 2.0 * padding;
    let label_style = regular(8.5, SLATE_500);
    let note_style = regular(7.5, SLATE_400);
    let top = layout.y;
    for (index, (label, runs, note)) in boxes.iter().enumerate() {
        let left = MARGIN + index as f32 * (box_width + gap);
        layout.rounded_rect(left, top, box_width, box_height, 8.0, SLATE_200);
        layout.rounded_rect(left + 0.75, top + 0.75, box_width - 1.5, box_height - 1.5, 7.25, SLATE_50);
        layout.rect(left + padding, top + 11.0, 14.0, 2.0, INDIGO_600);
        layout.text(left + padding, top + 25.0, &layout.truncate(label, room, label_style), label_style);
        // Large sums shrink to fit the box rather than overflow it.
        let scale = (room / layout.runs_width(runs)).min(1.0);
        let runs: Vec<_> =
            runs.iter().map(|(text, style)| (*text, TextStyle { size: style.size * scale, ..*style })).collect();
        layout.text_runs(left + padding, top + 45.0, &runs);
        layout.text(left + padding, top + 57.0, &layout.truncate(note, room, note_style), note_style);
    }
    layout.y = top + box_height + SECTION_GAP + 2.0;
}

/// Heading with an accent bar; reserves room for `first_content` below it so that a heading
/// never ends a page alone.
fn draw_section_heading(layout: &mut Layout, title: &str, first_content: f32) {
    let height = 26.0;
    layout.ensure_space(height + first_content);
    let top = layout.y;
    layout.rounded_rect(MARGIN, top + 3.0, 3.5, 14.0, 1.75, INDIGO_600);
    layout.text(MARGIN + 10.0, top + 15.0, title, bold(12.5, SLATE_900));
    layout.y = top + height;
}

fn draw_empty_state(layout: &mut Layout, text: &str) {
    layout.paragraph(MARGIN, CONTENT_WIDTH, text, EMPTY_STATE, EMPTY_STATE_LINE_HEIGHT);
}

fn draw_skill_growth(layout: &mut Layout, skills: &[SkillGrowth], labels: &Labels) {
    let skills = &skills[..skills.len().min(MAX_CHART_SKILLS)];
    let row_height = 17.5;
    let axis_height = 14.0;
    let chart_height = skills.len() as f32 * row_height + axis_height;
    draw_section_heading(layout, labels.skill_growth, chart_height.max(EMPTY_STATE_LINE_HEIGHT));
    if skills.is_empty() {
        draw_empty_state(layout, labels.no_skills);
        layout.y += SECTION_GAP;
        return;
    }

    // Legend, right-aligned on the heading line.
    let legend = regular(8.0, SLATE_500);
    let legend_baseline = layout.y - 13.0;
    let mut x = CONTENT_RIGHT;
    for (label, color) in [(labels.this_month_end, INDIGO_600), (labels.previous_month_end, INDIGO_200)] {
        x -= layout.width(label, legend);
        layout.text(x, legend_baseline, label, legend);
        x -= 13.0;
        layout.rounded_rect(x, legend_baseline - 7.0, 9.0, 9.0, 2.0, color);
        x -= 14.0;
    }

    let label_width = 88.0;
    let bars_left = MARGIN + label_width + 10.0;
    let value_room = 72.0;
    let bars_width = CONTENT_RIGHT - bars_left - value_room;
    let largest = skills.iter().flat_map(|skill| [skill.before, skill.after]).max().unwrap_or(0);
    let (step, steps) = chart_axis(largest);
    let axis_max = (step * steps) as f32;
    let bar_length = |points: i64| bars_width * points.max(0) as f32 / axis_max;

    let top = layout.y;
    let rows_height = skills.len() as f32 * row_height;
    let tick_style = regular(7.0, SLATE_400);
    for tick in 0..=steps {
        let x = bars_left + bars_width * tick as f32 / steps as f32;
        let color = if tick == 0 { SLATE_300 } else { SLATE_100 };
        layout.rect(x - 0.3, top, 0.6, rows_height, color);
        layout.text_centered(x, top + rows_height + 10.0, &group_thousands(step * tick), tick_style);
    }

    let label_style = regular(9.0, SLATE_700);
    let bar_height = 6.0;
    for (index, skill) in skills.iter().enumerate() {
        let row_top = top + index as f32 * row_height;
        let label = layout.truncate(&skill.skill, label_width, label_style);
        layout.text_right(
            bars_left - 10.0,
            row_top + row_height / 2.0 + 9.0 * BASELINE_BELOW_MIDDLE,
            &label,
            label_style,
        );

        let before_top = row_top + 2.5;
        let after_top = before_top + bar_height + 1.0;
        let (before_length, after_length) = (bar_length(skill.before), bar_length(skill.after));
        layout.rounded_rect(bars_left, before_top, before_length, bar_height, 1.5, INDIGO_200);
        layout.rounded_rect(bars_left, after_top, after_length, bar_height, 1.5, INDIGO_600);

        let small = regular(7.0, SLATE_400);
        layout.text(
            bars_left + before_length + 4.0,
            before_top + bar_height - 0.5,
            &group_thousands(skill.before),
            small,
        );
        let delta = skill.after - skill.before;
        let delta_text = if delta == 0 { String::new() } else { format!("  {}", format_signed(delta)) };
        let delta_color = if delta < 0 { ROSE_600 } else { EMERALD_600 };
        layout.text_runs(
            bars_left + after_length + 4.0,
            after_top + bar_height - 0.5,
            &[(&group_thousands(skill.after), bold(7.5, SLATE_700)), (&delta_text, bold(7.0, delta_color))],
        );
    }
    layout.y = top + chart_height + SECTION_GAP;
}

/// The axis of the bar chart: 3 to 6 intervals of a round `step` (1, 2, 2.5 or 5 × 10ⁿ)
/// reaching at least `largest`, choosing the shortest axis so that the bars fill the width,
/// and among equally long ones the most gridlines.
fn chart_axis(largest: i64) -> (i64, i64) {
    let largest = largest.max(1);
    [6, 5, 4, 3]
        .into_iter()
        .map(|steps| (round_step((largest + steps - 1) / steps), steps))
        .min_by_key(|(step, steps)| step * steps)
        .unwrap_or((1, 3))
}

fn round_step(at_least: i64) -> i64 {
    let mut magnitude = 1;
    while magnitude * 10 < at_least {
        magnitude *= 10;
    }
    [10, 20, 25, 50, 100]
        .into_iter()
        .map(|tenths| tenths * magnitude / 10)
        .find(|&step| step >= at_least)
        .unwrap_or(10 * magnitude)
}

fn draw_tasks(layout: &mut Layout, tasks: &[ReportTask], labels: &Labels) {
    let title_style = bold(10.5, SLATE_900);
    let title_line_height = 15.0;
    let comment_style = regular(9.0, SLATE_600);
    let comment_line_height = 13.5;
    let padding = 7.0;
    let payout_width = 100.0;
    let text_width = CONTENT_WIDTH - payout_width - 12.0;
    let meta = ChipStyle { text: regular(8.5, SLATE_500), fill: None, height: 13.0, padding: 0.0, spacing: 0.0 };
    let skill_pill =
        ChipStyle { text: regular(7.5, INDIGO_800), fill: Some(INDIGO_50), height: 13.0, padding: 6.0, spacing: 4.0 };
    let chip_row_height = 15.0;

    draw_section_heading(layout, labels.tasks_finished, 2.0 * padding + title_line_height + chip_row_height);
    if tasks.is_empty() {
        draw_empty_state(layout, labels.no_tasks);
        layout.y += SECTION_GAP;
        return;
    }

    for (index, task) in tasks.iter().enumerate() {
        let title_lines = layout.wrap(&task.title, text_width, title_style);
        // Date and merchant, then the skills as pills on the same row while they fit.
        let date_and_merchant =
            layout.truncate(&format!("{} · {}", task.finished_on, task.merchant), text_width * 0.6, meta.text);
        let mut chips = vec![(date_and_merchant.as_str(), &meta)];
        chips.extend(task.skills.iter().map(|skill| (skill.as_str(), &skill_pill)));
        let chips = layout.place_chips(&chips, MARGIN, MARGIN + text_width);
        let chip_rows = chips.last().map_or(1, |chip| chip.row + 1);
        let comment_lines = if task.comment.trim().is_empty() {
            Vec::new()
        } else {
            layout.wrap(&labels.quoted(task.comment.trim()), text_width, comment_style)
        };
        let block_height = 2.0 * padding
            + title_lines.len() as f32 * title_line_height
            + chip_rows as f32 * chip_row_height
            + comment_lines.len() as f32 * comment_line_height;
        // Keep a task on one page, except that a tall one (a long comment) starts wherever a
        // good part of it fits and continues overleaf, rather than leaving a large gap.
        layout.ensure_space(block_height.min(TASK_KEEP_TOGETHER_HEIGHT));

        if index > 0 && !layout.at_page_top() {
            layout.rect(MARGIN, layout.y, CONTENT_WIDTH, 0.6, SLATE_200);
        }
        layout.y += padding;
        let first_title_baseline = layout.y + title_line_height / 2.0 + title_style.size * BASELINE_BELOW_MIDDLE;
        draw_payout_and_stars(layout, task, labels, first_title_baseline);
        layout.lines(MARGIN, &title_lines, title_style, title_line_height);

        layout.ensure_space(chip_row_height);
        layout.draw_chips(&chips, chip_row_height);

        layout.lines(MARGIN, &comment_lines, comment_style, comment_line_height);
        layout.y += padding;
    }
    layout.y += SECTION_GAP;
}

fn draw_payout_and_stars(layout: &mut Layout, task: &ReportTask, labels: &Labels, baseline: f32) {
    layout.text_right(CONTENT_RIGHT, baseline, &format_money(task.payout_cents), bold(11.0, INDIGO_600));
    let stars_baseline = baseline + 16.0;
    match task.stars {
        Some(stars) => {
            let stars = usize::from(stars.min(5));
            let filled = "★".repeat(stars);
            let empty = "☆".repeat(5 - stars);
            let runs = [(filled.as_str(), regular(10.0, AMBER_400)), (empty.as_str(), regular(10.0, SLATE_300))];
            let x = CONTENT_RIGHT - layout.runs_width(&runs);
            layout.text_runs(x, stars_baseline, &runs);
        }
        None => layout.text_right(CONTENT_RIGHT, stars_baseline, labels.not_rated, regular(8.0, SLATE_400)),
    }
}

fn draw_badges_and_challenges(layout: &mut Layout, report: &MonthlyReport, labels: &Labels) {
    let row_height = 23.0;
    let group_label =
        ChipStyle { text: regular(8.5, SLATE_500), fill: None, height: 18.0, padding: 0.0, spacing: 20.0 };
    let pill =
        |text: TextStyle, fill: Rgb| ChipStyle { text, fill: Some(fill), height: 18.0, padding: 9.0, spacing: 6.0 };
    let badge_pill = pill(regular(8.5, AMBER_800), AMBER_100);
    let challenge_pill = pill(regular(8.5, INDIGO_800), INDIGO_100);

    draw_section_heading(layout, labels.badges_and_challenges, row_height);
    if report.badges.is_empty() && report.challenges.is_empty() {
        draw_empty_state(layout, labels.no_badges_or_challenges);
        layout.y += SECTION_GAP;
        return;
    }
    // One flow: "徽章" and its pills, then "挑战" and its pills, wrapping as needed.
    let mut chips = Vec::new();
    for (label, names, style) in
        [(labels.badges, &report.badges, &badge_pill), (labels.challenges, &report.challenges, &challenge_pill)]
    {
        if !names.is_empty() {
            chips.push((label, &group_label));
            chips.extend(names.iter().map(|name| (name.as_str(), style)));
        }
    }
    let chips = layout.place_chips(&chips, MARGIN, CONTENT_RIGHT);
    layout.ensure_space(row_height);
    layout.draw_chips(&chips, row_height);
    layout.y += SECTION_GAP;
}

fn draw_suggestions(layout: &mut Layout, suggestions: &[Suggestion], labels: &Labels) {
    let style = regular(9.5, SLATE_700);
    let line_height = 15.0;
    draw_section_heading(layout, labels.suggestions, line_height);
    if suggestions.is_empty() {
        draw_empty_state(layout, labels.no_suggestions);
        return;
    }
    let indent = 14.0;
    for suggestion in suggestions {
        let lines = layout.wrap(&labels.suggestion(suggestion), CONTENT_WIDTH - indent, style);
        layout.ensure_space(line_height * lines.len().min(2) as f32);
        layout.circle(MARGIN + 4.0, layout.y + line_height / 2.0, 2.5, INDIGO_500);
        layout.lines(MARGIN + indent, &lines, style, line_height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::process::Command;
    use std::sync::OnceLock;

    fn fonts() -> &'static ReportFonts {
        static FONTS: OnceLock<ReportFonts> = OnceLock::new();
        FONTS.get_or_init(|| ReportFonts::load_system().expect("install fonts-noto-cjk"))
    }

    fn task(
        title: &str,
        day: u8,
        cents: i64,
        merchant: &str,
        stars: Option<u8>,
        comment: &str,
        skills: &[&str],
    ) -> ReportTask {
        ReportTask {
            title: title.to_owned(),
            finished_on: format!("2026-10-{day:02}"),
            payout_cents: cents,
            merchant: merchant.to_owned(),
            stars,
            comment: comment.to_owned(),
            skills: skills.iter().map(|skill| skill.to_string()).collect(),
        }
    }

    fn skill(name: &str, before: i64, after: i64) -> SkillGrowth {
        SkillGrowth { skill: name.to_owned(), before, after }
    }

    fn suggestion(skill: &str, open_tasks: i64, your_points: i64) -> Suggestion {
        Suggestion { skill: skill.to_owned(), open_tasks, your_points }
    }

    fn sample_zh() -> MonthlyReport {
        MonthlyReport {
            lang: ReportLanguage::Zh,
            developer_name: "陈思远".to_owned(),
            handle: "dev01".to_owned(),
            year: 2026,
            month: 10,
            level: "A".to_owned(),
            xp_total: 8_450,
            xp_gained: 1_240,
            earnings_cents: 1_286_050,
            average_rating_x100: Some(470),
            tasks: vec![
                task(
                    "电商后台订单导出功能（支持 Excel 与 CSV）",
                    3,
                    280_000,
                    "杭州云栈科技",
                    Some(5),
                    "交付比预期早两天，代码结构清晰，文档也写得很好。",
                    &["Rust", "PostgreSQL"],
                ),
                task(
                    "销售数据看板：按地区与渠道的月度分析",
                    11,
                    456_050,
                    "上海数联信息",
                    Some(5),
                    "图表交互流畅，数据口径和我们对了三次都没有出错。",
                    &["数据分析", "Vue", "ECharts"],
                ),
                task(
                    "小程序登录与微信支付对接",
                    19,
                    320_000,
                    "深圳青禾网络",
                    Some(4),
                    "整体不错，支付回调的边界情况后来补了测试。",
                    &["TypeScript", "微信小程序"],
                ),
                task("修复 CSV 导入时的编码问题", 27, 230_000, "成都木石工作室", None, "", &["Python"]),
            ],
            skills: vec![
                skill("数据分析", 320, 510),
                skill("Rust", 480, 560),
                skill("Vue", 260, 340),
                skill("PostgreSQL", 300, 330),
                skill("TypeScript", 150, 240),
                skill("微信小程序", 0, 90),
            ],
            badges: vec!["准时交付达人".to_owned(), "五星好评 ×3".to_owned()],
            challenges: vec!["十月数据可视化挑战".to_owned()],
            rank_before: Some(12),
            rank_after: Some(7),
            ranked_developers: 128,
            suggestions: vec![suggestion("Go", 12, 0), suggestion("Kubernetes", 7, 30)],
        }
    }

    fn sample_en() -> MonthlyReport {
        MonthlyReport {
            lang: ReportLanguage::En,
            developer_name: "Chen Siyuan".to_owned(),
            earnings_cents: 966_050,
            average_rating_x100: Some(450),
            tasks: vec![
                task(
                    "Order export for the shop admin (Excel and CSV)",
                    3,
                    280_000,
                    "Yunzhan Tech",
                    Some(5),
                    "Delivered two days early with clean, well documented code.",
                    &["Rust", "PostgreSQL"],
                ),
                task(
                    "Sales dashboard by region and channel",
                    11,
                    456_050,
                    "Shulian Data",
                    Some(4),
                    "Smooth interactions; the numbers matched ours on every check.",
                    &["Data analysis", "Vue"],
                ),
                task("Fix encoding in the CSV import", 27, 230_000, "Mushi Studio", None, "", &["Python"]),
            ],
            skills: vec![
                skill("Data analysis", 320, 510),
                skill("Rust", 480, 560),
                skill("Vue", 260, 340),
                skill("PostgreSQL", 300, 330),
                skill("TypeScript", 150, 240),
                skill("Mini programs", 0, 90),
            ],
            badges: vec!["On-time streak".to_owned(), "Three five-star reviews".to_owned()],
            challenges: vec!["October data-viz challenge".to_owned()],
            suggestions: vec![suggestion("Go", 12, 0), suggestion("Kubernetes", 1, 30)],
            ..sample_zh()
        }
    }

    fn empty_month() -> MonthlyReport {
        MonthlyReport {
            average_rating_x100: None,
            xp_gained: 0,
            earnings_cents: 0,
            tasks: Vec::new(),
            skills: Vec::new(),
            badges: Vec::new(),
            challenges: Vec::new(),
            rank_before: None,
            rank_after: None,
            suggestions: Vec::new(),
            ..sample_zh()
        }
    }

    /// Renders, checks the basics and writes the PDF to a temporary file for poppler.
    fn render_to_file(report: &MonthlyReport, name: &str) -> PathBuf {
        let pdf = render_report_pdf(report, fonts()).expect("report renders");
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() < 1_000_000, "{name}: {} bytes", pdf.len());
        let path = std::env::temp_dir().join(format!("report-pdf-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, pdf).expect("temp file is writable");
        path
    }

    fn poppler(tool: &str, args: &[&str], pdf: &PathBuf) -> String {
        let output =
            Command::new(tool).args(args).arg(pdf).arg("-").output().unwrap_or_else(|error| {
                panic!("cannot run {tool} ({error}); install the Debian package poppler-utils")
            });
        assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("poppler prints UTF-8")
    }

    fn extracted_text(pdf: &PathBuf) -> String {
        poppler("pdftotext", &["-enc", "UTF-8"], pdf)
    }

    fn page_count(pdf: &PathBuf) -> usize {
        let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs (poppler-utils)");
        let info = String::from_utf8_lossy(&output.stdout);
        let pages = info.lines().find_map(|line| line.strip_prefix("Pages:")).expect("pdfinfo prints Pages:");
        pages.trim().parse().expect("page count is a number")
    }

    #[test]
    fn chinese_sample_is_one_page_with_extractable_text() {
        let pdf = render_to_file(&sample_zh(), "zh");
        let text = extracted_text(&pdf);
        for expected in [
            "陈思远",
            "数据分析",
            "2026年10月",
            "成长月报",
            "本月完成任务",
            "¥12,860.50",
            "codelink /u/dev01",
            "#12 → #7",
            "↑5",
            "大厅里有 12 个需要 Go 的开放任务，你的 Go 积分是 0",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert_eq!(page_count(&pdf), 1);
        std::fs::remove_file(pdf).ok();
    }

    #[test]
    fn english_sample_is_localised() {
        let pdf = render_to_file(&sample_en(), "en");
        let text = extracted_text(&pdf);
        for expected in [
            "Chen Siyuan",
            "Monthly growth report",
            "October 2026",
            "Tasks finished",
            "Skill growth",
            "Data analysis",
            "12 open tasks in the hall need Go",
            "1 open task in the hall needs Kubernetes",
            "Page 1 of 1",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert!(!text.contains("成长月报"));
        assert_eq!(page_count(&pdf), 1);
        std::fs::remove_file(pdf).ok();
    }

    #[test]
    fn empty_month_is_one_page_of_empty_states() {
        let pdf = render_to_file(&empty_month(), "empty");
        let text = extracted_text(&pdf);
        for expected in ["本月没有完成的任务", "还没有技能积分记录", "本月没有获得徽章或完成挑战", "暂无评分", "未上榜"]
        {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        assert_eq!(page_count(&pdf), 1);
        std::fs::remove_file(pdf).ok();
    }

    #[test]
    fn forty_tasks_flow_onto_further_pages_with_footers() {
        let long_comment = "沟通顺畅，交付质量很高，".repeat(40);
        let long_title =
            format!("{}{}", "Refactor the payment reconciliation service ".repeat(8), "超长标题".repeat(30));
        let mut report = sample_zh();
        report.tasks = (0..40)
            .map(|index| {
                let (title, comment) = if index % 10 == 0 {
                    (long_title.as_str(), long_comment.as_str())
                } else {
                    ("接口性能优化", "不错")
                };
                task(title, 1 + index % 28, 50_000, "杭州云栈科技", Some(5), comment, &["Rust"])
            })
            .collect();
        let pdf = render_to_file(&report, "forty");
        let pages = page_count(&pdf);
        assert!(pages >= 2, "{pages} pages");
        let text = extracted_text(&pdf);
        assert!(text.contains(&format!("第 2 页，共 {pages} 页")), "{text}");
        assert!(text.contains("CodeLink · dev01 · 2026-10"));
        std::fs::remove_file(pdf).ok();
    }

    #[test]
    fn wrapped_text_stays_inside_the_column() {
        let layout = Layout::new(fonts(), String::new());
        let style = regular(9.0, SLATE_600);
        let text = format!("{}{}", "数据分析".repeat(100), " supercalifragilisticexpialidocious".repeat(10));
        let lines = layout.wrap(&text, 200.0, style);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|line| layout.width(line, style) <= 200.0), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }

    /// Every character is one unit wide, so a width of N fits N characters.
    fn wrap_monospace(text: &str, width: usize) -> Vec<String> {
        wrap_lines(text, width as f32, |_| 1.0)
    }

    #[test]
    fn cjk_breaks_between_any_characters() {
        assert_eq!(wrap_monospace("数据分析与可视化报告", 4), ["数据分析", "与可视化", "报告"]);
    }

    #[test]
    fn cjk_keeps_closing_punctuation_off_the_start_of_a_line() {
        assert_eq!(wrap_monospace("交付很快。文档清楚", 4), ["交付很", "快。文档", "清楚"]);
    }

    #[test]
    fn latin_breaks_at_spaces() {
        assert_eq!(wrap_monospace("clean code  and fast delivery", 10), ["clean code", "and fast", "delivery"]);
    }

    #[test]
    fn over_long_latin_word_is_hard_broken() {
        assert_eq!(wrap_monospace("see abcdefghijklmnop now", 6), ["see", "abcdef", "ghijkl", "mnop", "now"]);
    }

    #[test]
    fn mixed_text_breaks_between_cjk_and_latin() {
        assert_eq!(wrap_monospace("使用Rust重写", 5), ["使用", "Rust重", "写"]);
    }

    #[test]
    fn newlines_force_breaks() {
        assert_eq!(wrap_monospace("第一行\n第二行", 10), ["第一行", "第二行"]);
    }

    #[test]
    fn truncation_adds_an_ellipsis() {
        assert_eq!(truncate_to_width("PostgreSQL", 10.0, |_| 1.0), "PostgreSQL");
        assert_eq!(truncate_to_width("Kubernetes operators", 8.0, |_| 1.0), "Kuberne…");
    }

    #[test]
    fn money_is_grouped_yuan_with_two_decimals() {
        assert_eq!(format_money(123_450), "¥1,234.50");
        assert_eq!(format_money(5), "¥0.05");
        assert_eq!(format_money(-100_000_000), "-¥1,000,000.00");
    }

    #[test]
    fn rank_change_reads_naturally() {
        assert_eq!(rank_change(&ZH, Some(12), Some(7)), ("#12 → #7".to_owned(), Some(("↑5".to_owned(), Trend::Up))));
        assert_eq!(rank_change(&EN, Some(7), Some(9)), ("#7 → #9".to_owned(), Some(("↓2".to_owned(), Trend::Down))));
        assert_eq!(rank_change(&ZH, None, None), ("未上榜".to_owned(), None));
        assert_eq!(rank_change(&EN, None, Some(40)).0, "unranked → #40");
    }

    #[test]
    fn chart_axis_is_round_and_covers_the_largest_value() {
        assert_eq!(chart_axis(560), (100, 6));
        assert_eq!(chart_axis(1_240), (250, 5));
        assert_eq!(chart_axis(0), (1, 3));
    }

    #[test]
    fn fonts_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ReportFonts>();
    }
}
