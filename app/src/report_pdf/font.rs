//! The report's fonts: which files are loaded, and the glyph ids and advance widths the layout
//! measures with. krilla embeds and subsets the font but exposes no glyph metrics, so this module
//! reads the two OpenType tables it needs (`cmap`, `hmtx`) itself.

use super::style::Weight;
use krilla::text::{Font, GlyphId, KrillaGlyph};

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
