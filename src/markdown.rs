//! Markdown narrative: front matter, figure and chart shortcodes, HTML.
