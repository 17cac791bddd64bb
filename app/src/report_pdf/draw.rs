//! Writing the laid-out pages with krilla.

use super::{
    layout::DrawOp,
    style::{Rgb, PAGE_HEIGHT, PAGE_WIDTH},
    ReportFonts,
};
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::Document;

pub(super) fn write_pdf(pages: &[Vec<DrawOp>], fonts: &ReportFonts, metadata: Metadata) -> Result<Vec<u8>, String> {
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
