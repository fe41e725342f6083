use clap::Parser;
use newslit::cli::{self, Cli, Command};

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Analyze { files, format }) => cli::analyze(&files, format),
        Some(Command::EvalAttributions {
            gold_dir,
            pred_out,
            json,
        }) => cli::eval_attributions(&gold_dir, pred_out.as_deref(), json),
        None => Ok(()),
    }
}
