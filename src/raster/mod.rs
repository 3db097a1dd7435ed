//! Raster images without a browser: an SVG document drawn to PNG by resvg, its text set
//! in the fonts bundled with stateof (DejaVu Sans, regular and bold, under
//! `assets/fonts/` with their licence), so a PNG comes out the same on every machine
//! whatever fonts it has installed.
//!
//! Text becomes outlines before resvg reads the document ([`glyphs`]): every font
//! family an SVG asks for (the charts' system stack, `sans-serif`, a name no machine
//! has) is set in the bundled face, as there is no other. This module owns only the
//! drawing; which SVGs become which files is the site's business.

mod glyphs;

use anyhow::{anyhow, Context, Result};
use resvg::{tiny_skia, usvg};
use ttf_parser::Face;

/// The one family every text is set in.
pub const FAMILY: &str = "DejaVu Sans";

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The bundled regular and bold faces, read in place from the binary (cheap to clone).
#[derive(Clone)]
pub struct Fonts {
    regular: Face<'static>,
    bold: Face<'static>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({FAMILY}, regular and bold)")
    }
}

impl Fonts {
    /// The bundled regular and bold faces.
    pub fn bundled() -> Fonts {
        let face = |bytes| Face::parse(bytes, 0).expect("the bundled fonts parse");
        Fonts {
            regular: face(REGULAR),
            bold: face(BOLD),
        }
    }
}

/// What to draw an SVG onto.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Canvas {
    /// Device pixels per SVG unit: 2.0 for a sharp image on high-density screens.
    pub scale: f32,
    /// The opaque background (`#rrggbb`) under the drawing.
    pub background: [u8; 3],
}

/// Draws `svg` on `canvas` to an opaque PNG `scale` times its own size (its `width`
/// and `height`, or its `viewBox` when they are relative). The error says why the SVG
/// could not be read.
pub fn png(svg: &str, canvas: Canvas, fonts: &Fonts) -> Result<Vec<u8>> {
    let outlined = glyphs::outline_text(svg, fonts)?;
    let tree = usvg::Tree::from_str(&outlined, &usvg::Options::default())
        .context("failed to read the SVG to draw")?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(canvas.scale)
        .ok_or_else(|| {
            anyhow!(
                "the SVG's size ({} × {}) times {} is not a drawable size",
                tree.size().width(),
                tree.size().height(),
                canvas.scale
            )
        })?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| anyhow!("cannot allocate a {size:?} image"))?;
    let [r, g, b] = canvas.background;
    pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
    let transform = tiny_skia::Transform::from_scale(canvas.scale, canvas.scale);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    encode(&pixmap).context("failed to encode the PNG")
}

/// An opaque pixmap as a PNG, its pixels as they are (RGBA): the constant alpha
/// filters away to almost nothing, and leaving it saves a pass over every pixel that,
/// unoptimised in a debug build, took longer than the drawing. Deflate level 1, each
/// row filtered as suits it best: on the demo's charts and cards, files half as large
/// again as the default level's (55 kB a chart) in a third of the time, which is most
/// of the time a build spends on images.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.set_filter(png::Filter::Adaptive);
    encoder.write_header()?.write_image_data(pixmap.data())?;
    Ok(bytes)
}

/// The width and height in pixels of the PNG `png` draws from `svg` at scale 1, or
/// why the SVG cannot be read. (Its text is not laid out: no fonts are needed.)
pub fn size(svg: &str) -> Result<(u32, u32)> {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default())
        .context("failed to read the SVG to draw")?;
    let size = tree.size().to_int_size();
    Ok((size.width(), size.height()))
}

/// A PNG's width and height in pixels, read from its header; none for anything that
/// is not a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let header = bytes.strip_prefix(SIGNATURE)?;
    if header.get(4..8)? != b"IHDR" {
        return None;
    }
    let word = |at: usize| Some(u32::from_be_bytes(header.get(at..at + 4)?.try_into().ok()?));
    Some((word(8)?, word(12)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPAQUE: Canvas = Canvas {
        scale: 1.0,
        background: [255, 255, 255],
    };

    fn decode(png: &[u8]) -> tiny_skia::Pixmap {
        tiny_skia::Pixmap::decode_png(png).expect("a PNG that decodes")
    }

    /// How many pixels are not the background white: a measure of ink drawn.
    fn ink(pixmap: &tiny_skia::Pixmap) -> usize {
        (pixmap.pixels().iter())
            .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
            .count()
    }

    #[test]
    fn draws_at_the_svg_size_times_the_scale() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="100%">
            <rect x="10" y="10" width="20" height="20" fill="#3a6ea8"/></svg>"##;
        let fonts = Fonts::bundled();
        let one = png(svg, OPAQUE, &fonts).unwrap();
        assert_eq!(png_size(&one), Some((120, 40)));
        assert_eq!(size(svg).unwrap(), (120, 40));
        let two = png(
            svg,
            Canvas {
                scale: 2.0,
                ..OPAQUE
            },
            &fonts,
        )
        .unwrap();
        let pixmap = decode(&two);
        assert_eq!((pixmap.width(), pixmap.height()), (240, 80));
        let blue = pixmap.pixel(40, 40).unwrap();
        assert_eq!((blue.red(), blue.green(), blue.blue()), (0x3a, 0x6e, 0xa8));
        let white = pixmap.pixel(200, 70).unwrap();
        assert_eq!((white.red(), white.alpha()), (255, 255));
    }

    #[test]
    fn text_in_any_family_is_set_in_the_bundled_face() {
        let text = |family: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60">
                <text x="10" y="40" font-size="30" font-family="{family}">Hub 41%</text></svg>"#
            )
        };
        let fonts = Fonts::bundled();
        let stack = "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif";
        let drawn: Vec<Vec<u8>> = [stack, "NoSuchFont", FAMILY]
            .iter()
            .map(|family| png(&text(family), OPAQUE, &fonts).unwrap())
            .collect();
        assert!(ink(&decode(&drawn[0])) > 500, "the text was not drawn");
        assert_eq!(
            drawn[0], drawn[2],
            "the system stack fell back to another face"
        );
        assert_eq!(
            drawn[1], drawn[2],
            "an unknown family fell back to another face"
        );
    }

    #[test]
    fn bad_svg_is_an_error_not_a_panic() {
        let fonts = Fonts::bundled();
        let err = png("<svg", OPAQUE, &fonts).unwrap_err();
        assert!(
            format!("{err:#}").contains("failed to read the SVG"),
            "{err:#}"
        );
        assert_eq!(png_size(b"GIF89a"), None);
        assert_eq!(png_size(b"\x89PNG\r\n\x1a\n"), None);
    }
}
