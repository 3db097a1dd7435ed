//! Command-line interface.

use anyhow::Result;

pub fn run() -> Result<()> {
    Ok(())
}
