//! The report's sections, laid out one after the other: the header band, the key figures, the
//! skill chart, the tasks, badges and challenges, and the suggestions.

use super::{
    labels::{format_signed, group_thousands, rank_change, Labels, Trend},
    layout::{ChipStyle, Layout},
    style::*,
    MonthlyReport, ReportTask, SkillGrowth, Suggestion,
};
use crate::domain::money::Money;

const HEADER_HEIGHT: f32 = 120.0;
const MAX_CHART_SKILLS: usize = 8;
const TASK_KEEP_TOGETHER_HEIGHT: f32 = 160.0;
const EMPTY_STATE: TextStyle = regular(9.5, SLATE_400);
const EMPTY_STATE_LINE_HEIGHT: f32 = 18.0;

pub(super) fn draw_header(layout: &mut Layout, report: &MonthlyReport, labels: &Labels, month: &str) {
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

pub(super) fn draw_key_figures(layout: &mut Layout, report: &MonthlyReport, labels: &Labels) {
    let distinct_skills = {
        let mut skills: Vec<&str> =
            report.tasks.iter().flat_map(|task| task.skills.iter().map(String::as_str)).collect();
        skills.sort_unstable();
        skills.dedup();
        skills.len()
    };
    let rated_tasks = report.tasks.iter().filter(|task| task.stars.is_some()).count();
    let task_count = report.tasks.len().to_string();
    let earnings = Money::from_fen(report.earnings_cents).display_yuan();
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

pub(super) fn draw_skill_growth(layout: &mut Layout, skills: &[SkillGrowth], labels: &Labels) {
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
pub(super) fn chart_axis(largest: i64) -> (i64, i64) {
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

pub(super) fn draw_tasks(layout: &mut Layout, tasks: &[ReportTask], labels: &Labels) {
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
    layout.text_right(
        CONTENT_RIGHT,
        baseline,
        &Money::from_fen(task.payout_cents).display_yuan(),
        bold(11.0, INDIGO_600),
    );
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

pub(super) fn draw_badges_and_challenges(layout: &mut Layout, report: &MonthlyReport, labels: &Labels) {
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

pub(super) fn draw_suggestions(layout: &mut Layout, suggestions: &[Suggestion], labels: &Labels) {
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
