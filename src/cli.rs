//! Command line: `newslit [serve|migrate|openapi|token|analyze|eval-attributions|...]`.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis;

#[derive(Debug, Parser)]
#[command(
    name = "newslit",
    version,
    about = "Media-literacy exercises from news articles"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the analysis of articles (files, or `-` for standard input) as JSON or text.
    Analyze {
        /// Article files; `-` or none reads standard input.
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Score the analyzer against a PolNeAR-layout folder (`text/`, `attributions/`).
    EvalAttributions {
        /// Gold folder, e.g. ../shared/polnear/dev
        gold_dir: PathBuf,
        /// Also write one `<name>.json` prediction per article here, for the reference scorer.
        #[arg(long)]
        pred_out: Option<PathBuf>,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Reads the named files, or standard input for `-` or no names, as (label, text) pairs.
fn read_inputs(files: &[PathBuf]) -> anyhow::Result<Vec<(String, String)>> {
    if files.is_empty() || files.iter().all(|f| f.as_os_str() == "-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
        return Ok(vec![("-".to_string(), text)]);
    }
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            Ok((f.display().to_string(), text))
        })
        .collect()
}

pub fn analyze(files: &[PathBuf], format: Format) -> anyhow::Result<()> {
    for (_, text) in read_inputs(files)? {
        let analysis = analysis::analyze(&text);
        match format {
            Format::Json => println!("{}", serde_json::to_string(&analysis)?),
            Format::Text => print!("{}", analysis::render_text(&text, &analysis)),
        }
    }
    Ok(())
}

pub fn eval_attributions(
    gold_dir: &std::path::Path,
    pred_out: Option<&std::path::Path>,
    json: bool,
) -> anyhow::Result<()> {
    let report = analysis::eval::evaluate(gold_dir, pred_out)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(())
}
