//! Charts: a chart definition and its figure in, an SVG string out.

use anyhow::Result;

use crate::config::ChartDef;
use crate::figures::Figure;

/// Everything one chart needs.
pub struct ChartInput<'a> {
    /// The chart's name in the config (used for element ids).
    pub name: &'a str,
    pub def: &'a ChartDef,
    /// The figure drawn, from the edition being built.
    pub figure: &'a Figure,
    /// For grouped bars: the same figure in the compared edition, with that edition's title.
    pub compare: Option<(&'a str, &'a Figure)>,
    /// The title of the edition being built (legend label for grouped bars).
    pub edition: &'a str,
}

/// Renders one chart as a standalone SVG document.
pub fn render(input: &ChartInput) -> Result<String> {
    anyhow::bail!("chart `{}` cannot be drawn yet", input.name)
}
