//! The resume card drawn to PNG, for link previews (`/u/{handle}/card.png`): the same SVG as
//! `card.svg`, rendered by resvg at twice its size with Noto Sans CJK (Debian's `fonts-noto-cjk`,
//! the font the report PDF uses; `CODELINK_CJK_FONT` / `CODELINK_CJK_FONT_BOLD` name others).

use app::domain::resume_card::CARD_PNG_SCALE;
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, LazyLock};

const NOTO_CJK_REGULAR: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const NOTO_CJK_BOLD: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
/// The family the card's font list names and every other name falls back to.
const FAMILY: &str = "Noto Sans CJK SC";

/// Loaded once (the files are mapped, not read) and shared by every drawing.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    let setting = |name: &str| std::env::var(name).ok().map(|path| path.split('#').next().unwrap_or("").to_string());
    for path in [
        setting("CODELINK_CJK_FONT").unwrap_or_else(|| NOTO_CJK_REGULAR.into()),
        setting("CODELINK_CJK_FONT_BOLD").unwrap_or_else(|| NOTO_CJK_BOLD.into()),
    ] {
        if let Err(error) = fonts.load_font_file(&path) {
            tracing::warn!(%error, path = %path, "the card PNG's font is missing; its text may not show");
        }
    }
    let family = fonts
        .faces()
        .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
        .find(|name| name == FAMILY)
        .or_else(|| fonts.faces().next().and_then(|face| face.families.first().map(|(name, _)| name.clone())))
        .unwrap_or_else(|| FAMILY.to_string());
    fonts.set_sans_serif_family(family);
    Arc::new(fonts)
});

/// The card's SVG as PNG bytes.
pub fn render(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options { fontdb: FONTS.clone(), font_family: FAMILY.to_string(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|error| error.to_string())?;
    let scale = CARD_PNG_SCALE as f32;
    let size = tree.size().to_int_size().scale_by(scale).ok_or("the card has no size")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the card has no size")?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_becomes_a_png_twice_its_size_with_its_chinese_text_drawn() {
        use app::domain::resume_card::{CARD_HEIGHT, CARD_PNG_SIZE, CARD_WIDTH};
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{CARD_WIDTH}\" height=\"{CARD_HEIGHT}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
             <text x=\"10\" y=\"60\" font-size=\"40\" font-family=\"'PingFang SC',sans-serif\">完成任务</text></svg>"
        );
        let png = render(&svg).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // IHDR: width and height, big-endian, at bytes 16..24.
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), CARD_PNG_SIZE);
        if std::path::Path::new(NOTO_CJK_REGULAR).exists() {
            // With the font, the text leaves dark pixels on the white card.
            let blank = render(&svg.replace("完成任务", "")).unwrap();
            assert_ne!(png, blank, "the Chinese text was not drawn");
        }
    }
}
