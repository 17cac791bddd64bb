//! The layout engine: a display list per page, filled top to bottom. It measures and wraps text,
//! starts new pages when a block does not fit, and adds the running header and the footers.

use super::{
    labels::Labels,
    style::*,
    text_layout::{truncate_to_width, wrap_lines},
    ReportFonts,
};
use krilla::geom::{Path, PathBuilder, Rect};

pub(super) enum DrawOp {
    Fill { path: Path, color: Rgb },
    Text { x: f32, baseline: f32, text: String, style: TextStyle },
}

pub(super) struct Layout<'a> {
    fonts: &'a ReportFonts,
    finished_pages: Vec<Vec<DrawOp>>,
    page: Vec<DrawOp>,
    /// Top of the free space on the current page.
    pub(super) y: f32,
    running_header: String,
}

impl<'a> Layout<'a> {
    pub(super) fn new(fonts: &'a ReportFonts, running_header: String) -> Self {
        Self { fonts, finished_pages: Vec::new(), page: Vec::new(), y: 0.0, running_header }
    }

    fn advance_fn(&self, style: TextStyle) -> impl Fn(char) -> f32 + '_ {
        let face = self.fonts.face(style.weight);
        move |ch| face.advance(ch) * style.size
    }

    pub(super) fn width(&self, text: &str, style: TextStyle) -> f32 {
        text.chars().map(self.advance_fn(style)).sum()
    }

    pub(super) fn wrap(&self, text: &str, max_width: f32, style: TextStyle) -> Vec<String> {
        wrap_lines(text, max_width, self.advance_fn(style))
    }

    pub(super) fn truncate(&self, text: &str, max_width: f32, style: TextStyle) -> String {
        truncate_to_width(text, max_width, self.advance_fn(style))
    }

    /// Starts a new page unless `height` still fits on this one. A block taller than a whole
    /// page is placed at the top of a fresh page and left to its caller to split.
    pub(super) fn ensure_space(&mut self, height: f32) {
        if self.y + height > CONTENT_BOTTOM && !self.at_page_top() {
            self.start_page();
        }
    }

    pub(super) fn at_page_top(&self) -> bool {
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

    pub(super) fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        let path = Rect::from_xywh(x, y, width, height).and_then(|rect| {
            let mut builder = PathBuilder::new();
            builder.push_rect(rect);
            builder.finish()
        });
        self.fill(path, color);
    }

    pub(super) fn rounded_rect(&mut self, x: f32, y: f32, width: f32, height: f32, radius: f32, color: Rgb) {
        self.fill(rounded_rect_path(x, y, width, height, radius), color);
    }

    pub(super) fn circle(&mut self, center_x: f32, center_y: f32, radius: f32, color: Rgb) {
        let diameter = 2.0 * radius;
        self.rounded_rect(center_x - radius, center_y - radius, diameter, diameter, radius, color);
    }

    /// Draws `text` and returns the x where it ends.
    pub(super) fn text(&mut self, x: f32, baseline: f32, text: &str, style: TextStyle) -> f32 {
        if !text.is_empty() {
            let text = text.to_owned();
            self.page.push(DrawOp::Text { x, baseline, text, style });
        }
        x + self.width(text, style)
    }

    pub(super) fn text_right(&mut self, right: f32, baseline: f32, text: &str, style: TextStyle) {
        self.text(right - self.width(text, style), baseline, text, style);
    }

    pub(super) fn text_centered(&mut self, center: f32, baseline: f32, text: &str, style: TextStyle) {
        self.text(center - self.width(text, style) / 2.0, baseline, text, style);
    }

    /// Draws differently styled pieces of one line after each other; returns the end x.
    pub(super) fn text_runs(&mut self, x: f32, baseline: f32, runs: &[(&str, TextStyle)]) -> f32 {
        runs.iter().fold(x, |x, (text, style)| self.text(x, baseline, text, *style))
    }

    pub(super) fn runs_width(&self, runs: &[(&str, TextStyle)]) -> f32 {
        runs.iter().map(|(text, style)| self.width(text, *style)).sum()
    }

    /// Wrapped lines at the cursor, each moved to a new page if it does not fit.
    pub(super) fn lines(&mut self, x: f32, lines: &[String], style: TextStyle, line_height: f32) {
        for line in lines {
            self.ensure_space(line_height);
            self.text(x, self.y + line_height / 2.0 + style.size * BASELINE_BELOW_MIDDLE, line, style);
            self.y += line_height;
        }
    }

    pub(super) fn paragraph(&mut self, x: f32, width: f32, text: &str, style: TextStyle, line_height: f32) {
        let lines = self.wrap(text, width, style);
        self.lines(x, &lines, style, line_height);
    }

    /// Closes the last page and gives every page its footer, now that the page count is known.
    pub(super) fn finish(mut self, footer: &str, labels: &Labels) -> Vec<Vec<DrawOp>> {
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
pub(super) struct ChipStyle {
    pub(super) text: TextStyle,
    /// `None` draws the text alone.
    pub(super) fill: Option<Rgb>,
    pub(super) height: f32,
    pub(super) padding: f32,
    /// Space before the chip unless it starts a row.
    pub(super) spacing: f32,
}

pub(super) struct PlacedChip<'s> {
    pub(super) row: usize,
    x: f32,
    width: f32,
    text: String,
    style: &'s ChipStyle,
}

impl Layout<'_> {
    /// Places chips in rows from `left` to `right`; text too long for a whole row is shortened.
    pub(super) fn place_chips<'s>(
        &self,
        chips: &[(&str, &'s ChipStyle)],
        left: f32,
        right: f32,
    ) -> Vec<PlacedChip<'s>> {
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
    pub(super) fn draw_chips(&mut self, chips: &[PlacedChip], row_height: f32) {
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
