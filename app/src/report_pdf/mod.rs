//! The developer's monthly growth report ("成长月报") as an A4 PDF, drawn with krilla.
//!
//! Rendering happens in two passes. The layout pass measures and wraps text, paginates, and
//! records what to draw on each page; only then are the pages written with krilla, so every
//! footer can say how many pages there are.
//!
//! krilla embeds and subsets the font but exposes no glyph metrics, so `font` reads the glyph ids
//! and advance widths with skrifa, the font reader krilla is built on. The drawing uses the same
//! glyph ids and advances as the measuring, so wrapped text never overflows its column. There is
//! no shaping (no kerning or ligatures). CJK text does not need it, and the Latin here is short
//! labels and names.
//!
//! Rendering is CPU-bound (a few milliseconds): call it from `spawn_blocking` in async code.
//!
//! - `font`: loading the fonts, glyph ids and advances;
//! - `text_layout`: line breaking and shortening with an ellipsis;
//! - `labels`: the report's own words and number formats in each language;
//! - `style`: page geometry, colours, text styles;
//! - `layout`: the display list per page, pagination, running header and footers;
//! - `sections`: what each section of the report shows and where;
//! - `draw`: writing the display lists with krilla.

mod draw;
mod font;
mod labels;
mod layout;
mod sections;
mod style;
#[cfg(test)]
mod tests;
mod text_layout;

pub use font::ReportFonts;

use crate::i18n::Locale;
use draw::write_pdf;
use krilla::metadata::Metadata;
use labels::Labels;
use layout::Layout;
use sections::{
    draw_badges_and_challenges, draw_header, draw_key_figures, draw_skill_growth, draw_suggestions, draw_tasks,
};

#[derive(Debug, Clone)]
pub struct MonthlyReport {
    pub lang: Locale,
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

/// Renders the report as PDF bytes.
pub fn render_report_pdf(report: &MonthlyReport, fonts: &ReportFonts) -> Result<Vec<u8>, String> {
    if !(1..=12).contains(&report.month) {
        return Err(format!("report month must be 1..=12, got {}", report.month));
    }
    let labels = &Labels::new(report.lang);
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
            Locale::zh_CN => "zh-CN".to_owned(),
            Locale::en => "en".to_owned(),
        });
    write_pdf(&pages, fonts, metadata)
}
