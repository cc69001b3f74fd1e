use clap::Subcommand;
use huiwen_core::Config;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a commented example covering every key
    Example,
    /// Print the configuration in effect (file, HUIWEN_* variables and flags applied)
    Show,
}

pub fn run(config: &Config, command: Command) -> anyhow::Result<std::process::ExitCode> {
    match command {
        Command::Example => out!("{}", huiwen_core::config::EXAMPLE)?,
        Command::Show => out!("{}", config.to_toml())?,
    }
    Ok(std::process::ExitCode::SUCCESS)
}
