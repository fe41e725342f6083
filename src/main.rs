use clap::Parser;
use newslit::cli::{self, Cli, Command};

fn main() -> anyhow::Result<()> {
    let Cli { config, command } = Cli::parse();
    let runtime = || tokio::runtime::Builder::new_multi_thread().enable_all().build();
    match command.unwrap_or(Command::Serve) {
        Command::Serve => runtime()?.block_on(cli::serve(config)),
        Command::Migrate => runtime()?.block_on(cli::migrate(config)),
        Command::Openapi => cli::openapi(),
        Command::WithPostgres { command } => std::process::exit(cli::with_postgres(&command)?),
        Command::Token { role, sub, name, ttl } => cli::token(&config, role, &sub, name.as_deref(), ttl),
        Command::Seed { dir } => runtime()?.block_on(cli::seed_command(config, dir)),
        Command::Exercises { file } => cli::exercises(&file),
        Command::Analyze { files, format } => cli::analyze(&files, format),
        Command::EvalAttributions {
            gold_dir,
            pred_out,
            json,
        } => cli::eval_attributions(&gold_dir, pred_out.as_deref(), json),
    }
}
