//! Page geometry, colours and text styles.

pub(super) const PAGE_WIDTH: f32 = 595.28;
pub(super) const PAGE_HEIGHT: f32 = 841.89;
pub(super) const MARGIN: f32 = 44.0;
pub(super) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub(super) const CONTENT_RIGHT: f32 = PAGE_WIDTH - MARGIN;
/// Where content starts on pages after the first, below the running header.
pub(super) const CONTINUATION_TOP: f32 = 62.0;
/// Content must end above the footer.
pub(super) const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 54.0;
pub(super) const SECTION_GAP: f32 = 14.0;
/// Ideographs sit between -0.12 and 0.88 em around the baseline and Latin capitals between
/// 0 and 0.73 em, so a baseline this far (in ems) below a box's middle centres both.
pub(super) const BASELINE_BELOW_MIDDLE: f32 = 0.36;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rgb(pub(super) u8, pub(super) u8, pub(super) u8);

pub(super) const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
pub(super) const INDIGO_50: Rgb = Rgb(0xee, 0xf2, 0xff);
pub(super) const INDIGO_100: Rgb = Rgb(0xe0, 0xe7, 0xff);
pub(super) const INDIGO_200: Rgb = Rgb(0xc7, 0xd2, 0xfe);
pub(super) const INDIGO_500: Rgb = Rgb(0x63, 0x66, 0xf1);
pub(super) const INDIGO_600: Rgb = Rgb(0x4f, 0x46, 0xe5);
pub(super) const INDIGO_800: Rgb = Rgb(0x37, 0x30, 0xa3);
pub(super) const SLATE_50: Rgb = Rgb(0xf8, 0xfa, 0xfc);
pub(super) const SLATE_100: Rgb = Rgb(0xf1, 0xf5, 0xf9);
pub(super) const SLATE_200: Rgb = Rgb(0xe2, 0xe8, 0xf0);
pub(super) const SLATE_300: Rgb = Rgb(0xcb, 0xd5, 0xe1);
pub(super) const SLATE_400: Rgb = Rgb(0x94, 0xa3, 0xb8);
pub(super) const SLATE_500: Rgb = Rgb(0x64, 0x74, 0x8b);
pub(super) const SLATE_600: Rgb = Rgb(0x47, 0x55, 0x69);
pub(super) const SLATE_700: Rgb = Rgb(0x33, 0x41, 0x55);
pub(super) const SLATE_900: Rgb = Rgb(0x0f, 0x17, 0x2a);
pub(super) const AMBER_100: Rgb = Rgb(0xfe, 0xf3, 0xc7);
pub(super) const AMBER_400: Rgb = Rgb(0xfb, 0xbf, 0x24);
pub(super) const AMBER_800: Rgb = Rgb(0x92, 0x40, 0x0e);
pub(super) const EMERALD_300: Rgb = Rgb(0x6e, 0xe7, 0xb7);
pub(super) const EMERALD_600: Rgb = Rgb(0x05, 0x96, 0x69);
pub(super) const ROSE_300: Rgb = Rgb(0xfd, 0xa4, 0xaf);
pub(super) const ROSE_600: Rgb = Rgb(0xe1, 0x1d, 0x48);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct TextStyle {
    pub(super) weight: Weight,
    pub(super) size: f32,
    pub(super) color: Rgb,
}

pub(super) const fn regular(size: f32, color: Rgb) -> TextStyle {
    TextStyle { weight: Weight::Regular, size, color }
}

pub(super) const fn bold(size: f32, color: Rgb) -> TextStyle {
    TextStyle { weight: Weight::Bold, size, color }
}
