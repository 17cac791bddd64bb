//! The report's fonts: which files are loaded, and the glyph ids and advance widths the layout
//! measures with. krilla embeds and subsets the font but exposes no glyph metrics, so this module
//! reads them with skrifa, the font reader krilla is built on.

use super::style::Weight;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::{
    instance::{LocationRef, Size},
    FontRef, MetadataProvider,
};

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

    pub(super) fn face(&self, weight: Weight) -> &FontFace {
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
pub(super) struct FontFace {
    pub(super) pdf_font: Font,
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
    pub(super) fn advance(&self, ch: char) -> f32 {
        self.metrics.advance(self.metrics.glyph(ch).unwrap_or(0))
    }

    pub(super) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
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

/// Character-to-glyph mapping and advance widths of one font face, read once with skrifa (the
/// font reader krilla itself uses) and kept in compact tables, because the layout looks up every
/// character it measures.
#[derive(Clone)]
struct FontMetrics {
    units_per_em: f32,
    /// Sorted, non-overlapping ranges of consecutive characters mapped to consecutive glyphs.
    cmap: Vec<CmapRange>,
    /// Advance per glyph id in font units.
    advances: Vec<f32>,
}

#[derive(Clone, Copy)]
struct CmapRange {
    first_char: u32,
    last_char: u32,
    first_glyph: u32,
}

impl FontMetrics {
    fn parse(data: &[u8], index: u32) -> Option<Self> {
        let font = FontRef::from_index(data, index).ok()?;
        let units_per_em = font.metrics(Size::unscaled(), LocationRef::default()).units_per_em;
        let glyph_metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let advances: Vec<f32> = (0..glyph_metrics.glyph_count())
            .map(|glyph| glyph_metrics.advance_width(skrifa::GlyphId::new(glyph)))
            .collect::<Option<_>>()?;
        let mut cmap = Vec::new();
        for (code, glyph) in font.charmap().mappings() {
            if glyph.to_u32() != 0 {
                push_cmap_entry(&mut cmap, code, glyph.to_u32());
            }
        }
        if units_per_em == 0 || advances.is_empty() || cmap.is_empty() {
            return None;
        }
        Some(Self { units_per_em: f32::from(units_per_em), cmap, advances })
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
        self.advances[usize::from(glyph).min(last)] / self.units_per_em
    }
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
