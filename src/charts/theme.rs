//! The charts' look: canvas widths, type sizes, the font stack and the colour roles.
//!
//! Every coloured element carries one `so-*` class and, as a fallback for renderers
//! without CSS, the light-scheme colour as a presentation attribute (with a role's fixed
//! attributes: dashes for reference lines, round joins for the series line). The
//! `<style>` block maps each class to a CSS custom property (`--so-ink`, `--so-accent`,
//! …) defined on `.so-chart` for the light scheme and redefined under
//! `prefers-color-scheme: dark`, so a page can re-theme every inlined chart by setting
//! those properties.

/// The width of the wide layout's viewBox; heights vary by kind and data.
pub const WIDTH: f64 = 720.0;
/// The width of the narrow layout's viewBox: a 320 px phone's column, so that the
/// smallest text (12 units) is never under 12 px on a phone.
pub const NARROW_WIDTH: f64 = 280.0;
/// Category labels and value labels.
pub const LABEL_SIZE: f64 = 14.0;
/// Axis ticks, legends and secondary labels.
pub const TICK_SIZE: f64 = 13.0;
/// A system sans-serif stack (single quotes: it sits inside a double-quoted attribute).
pub const FONT_STACK: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, \
                              'Helvetica Neue', Arial, 'Liberation Sans', sans-serif";

/// The colour roles an element can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The canvas; painted only when the SVG is its own document (not when inlined).
    Bg,
    /// Primary text: category labels, value labels, annotations.
    Ink,
    /// Secondary text: ticks, legends, the compared edition's values.
    Muted,
    /// Gridlines.
    Grid,
    /// Axis baselines and tick marks.
    Axis,
    /// The main series as a fill (bars, dots).
    Bar,
    /// The compared (earlier) edition's bars: a pale fill inside an outline in the
    /// main series' colour, so they differ from it by more than lightness.
    Prev,
    /// A bar standing for "Other".
    Other,
    /// The main series as a stroke (lines).
    Line,
    /// The fill under a line, and the Lorenz inequality area.
    Area,
    /// Reference lines (the line of equality).
    Ref,
}

/// How one role is painted in each scheme.
struct Paint {
    class: &'static str,
    /// The CSS property the role sets: `fill` or `stroke`.
    property: &'static str,
    var: &'static str,
    light: &'static str,
    dark: &'static str,
}

const fn paint(role: Role) -> Paint {
    let (class, property, var, light, dark) = match role {
        Role::Bg => ("so-bg", "fill", "--so-bg", "#ffffff", "#16191d"),
        Role::Ink => ("so-ink", "fill", "--so-ink", "#1f2328", "#e8eaed"),
        Role::Muted => ("so-muted", "fill", "--so-muted", "#5c6570", "#a5aeb9"),
        Role::Grid => ("so-grid", "stroke", "--so-grid", "#e3e6ea", "#30363d"),
        Role::Axis => ("so-axis", "stroke", "--so-axis", "#7d8792", "#7a838e"),
        Role::Bar => ("so-bar", "fill", "--so-accent", "#3a6ea8", "#6e9fd8"),
        Role::Prev => ("so-prev", "fill", "--so-prev", "#e4ebf3", "#1e2a37"),
        Role::Other => ("so-other", "fill", "--so-other", "#7d8792", "#7a838e"),
        Role::Line => ("so-line", "stroke", "--so-accent", "#3a6ea8", "#6e9fd8"),
        Role::Area => ("so-area", "fill", "--so-area", "#dce6f2", "#233447"),
        Role::Ref => ("so-ref", "stroke", "--so-axis", "#7d8792", "#7a838e"),
    };
    Paint {
        class,
        property,
        var,
        light,
        dark,
    }
}

/// Every role, in a fixed order.
pub const ROLES: [Role; 11] = [
    Role::Bg,
    Role::Ink,
    Role::Muted,
    Role::Grid,
    Role::Axis,
    Role::Bar,
    Role::Prev,
    Role::Other,
    Role::Line,
    Role::Area,
    Role::Ref,
];

impl Role {
    /// The light scheme's colour, `#rrggbb`.
    pub fn light(self) -> &'static str {
        paint(self).light
    }

    /// The property the role paints: `fill` or `stroke`.
    pub fn property(self) -> &'static str {
        paint(self).property
    }

    /// The presentation attribute for renderers without CSS, e.g. `fill="#3a6ea8"`.
    pub fn fallback(self) -> String {
        let p = paint(self);
        match self {
            // Transparent unless the document is standalone (see `style`).
            Role::Bg => "fill=\"none\"".to_owned(),
            Role::Prev => format!("fill=\"{}\" stroke=\"{}\"", p.light, paint(Role::Bar).light),
            _ => format!("{}=\"{}\"", p.property, p.light),
        }
    }

    /// True when the role draws an outline as well as a fill.
    pub fn outlined(self) -> bool {
        self == Role::Prev
    }

    /// Everything an element in this role carries: its class, the fallback colour and
    /// the role's fixed attributes (round joins for the series line, dashes for
    /// reference lines), e.g. `class="so-ref" stroke="#8a939e" stroke-dasharray="5 4"`.
    /// Lengths are in units `scale` times smaller than the viewBox's.
    pub fn attributes(self, scale: f64) -> String {
        let extra = match self {
            Role::Line => " stroke-linejoin=\"round\" stroke-linecap=\"round\"".to_owned(),
            Role::Ref => format!(" stroke-dasharray=\"{} {}\"", 5.0 * scale, 4.0 * scale),
            Role::Prev => format!(" stroke-width=\"{}\"", PREV_OUTLINE * scale),
            _ => String::new(),
        };
        format!("class=\"{}\" {}{extra}", paint(self).class, self.fallback())
    }
}

/// The width of the outline around the compared edition's bars.
pub const PREV_OUTLINE: f64 = 1.5;

/// The `<style>` element's text: colour variables for both schemes, then the classes.
pub fn style() -> String {
    let mut vars_light = String::new();
    let mut vars_dark = String::new();
    let mut classes = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for role in ROLES {
        let p = paint(role);
        if role != Role::Bg && !seen.contains(&p.var) {
            seen.push(p.var);
            vars_light.push_str(&format!("{}:{};", p.var, p.light));
            vars_dark.push_str(&format!("{}:{};", p.var, p.dark));
        }
        if role != Role::Bg {
            classes.push_str(&class_rule(role, |p| format!("var({},{})", p.var, p.light)));
        }
    }
    // `:root` matches the svg only when it is its own document, so an inlined chart
    // stays transparent over the page. Literal colours here: librsvg has no `var()`.
    let bg = paint(Role::Bg);
    let canvas = |colour: &str| {
        format!("svg.so-chart:root{{background:{colour}}}svg.so-chart:root .so-bg{{fill:{colour}}}")
    };
    // Printed in the light scheme, whatever the screen's.
    format!(
        "\n.so-chart{{font-family:{FONT_STACK};{vars_light}}}\n{}\n\
         @media (prefers-color-scheme: dark){{.so-chart{{{vars_dark}}}{}}}\n\
         @media print{{.so-chart{{{vars_light}}}{}}}\n\
         {classes}",
        canvas(bg.light),
        canvas(bg.dark),
        canvas(bg.light)
    )
}

/// The `<style>` text for renderers without CSS variables or media queries (resvg,
/// drawing the PNG downloads): every class painted in its light-scheme colour, the
/// canvas filled.
pub fn literal_style() -> String {
    (ROLES.into_iter())
        .map(|role| class_rule(role, |p| p.light.to_owned()))
        .collect()
}

/// The rule painting `role`'s class (and the outline of an outlined role), each colour
/// written by `colour`.
fn class_rule(role: Role, colour: impl Fn(&Paint) -> String) -> String {
    let p = paint(role);
    let outline = match role.outlined() {
        true => format!(";stroke:{}", colour(&paint(Role::Bar))),
        false => String::new(),
    };
    format!(".{}{{{}:{}{outline}}}\n", p.class, p.property, colour(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG's contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn marks_needed_to_read_a_chart_stand_out_3_to_1_in_both_schemes() {
        // The chart's own canvas, and the page's background and surface
        // (theme/style.css) that an inlined chart sits on.
        let light = [paint(Role::Bg).light, "#fbfaf7", "#ffffff"];
        let dark = [paint(Role::Bg).dark, "#14181d", "#1b2027"];
        // The compared edition's bars are read by their outline, the main colour.
        let marks = [
            Role::Bar,
            Role::Line,
            Role::Other,
            Role::Axis,
            Role::Ref,
            Role::Ink,
        ];
        for role in marks {
            let p = paint(role);
            for (colour, backgrounds) in [(p.light, light), (p.dark, dark)] {
                for bg in backgrounds {
                    let ratio = contrast(colour, bg);
                    assert!(ratio >= 3.0, "{role:?} {colour} on {bg}: {ratio:.2}");
                }
            }
        }
        assert!(Role::Prev.outlined() && !Role::Bar.outlined());
        assert!(Role::Prev.fallback().contains(paint(Role::Bar).light));
        let style = style();
        assert!(
            style.contains(".so-prev{fill:var(--so-prev,#e4ebf3);stroke:var(--so-accent,#3a6ea8)}"),
            "{style}"
        );
        // The old light fill was 1.72:1 against the page: a pale fill alone is not enough.
        assert!(contrast("#b4c3d4", "#fbfaf7") < 3.0);
    }

    #[test]
    fn charts_print_in_the_light_scheme() {
        let style = style();
        let print = &style[style.find("@media print").unwrap()..];
        assert!(
            print.contains(&format!("--so-accent:{}", paint(Role::Bar).light)),
            "{print}"
        );
    }

    #[test]
    fn the_literal_style_paints_light_without_variables() {
        let style = literal_style();
        assert!(!style.contains("var(") && !style.contains('@'), "{style}");
        assert!(style.contains(".so-bg{fill:#ffffff}"), "{style}");
        assert!(
            style.contains(".so-prev{fill:#e4ebf3;stroke:#3a6ea8}"),
            "{style}"
        );
    }
}
