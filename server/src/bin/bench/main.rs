//! `bench`: the benchmarks `bench/run` prints, kept out of the server's production code. Each writes
//! into the database DATABASE_URL names (migrated first) and prints `name: value unit` lines.
//!
//! `bench ledger [PAYOUTS] [OPERATIONS]`          ledger throughput and the ledger's and records' invariants
//! `bench leaderboard [DEVELOPERS] [EVENTS]`      leaderboard latency at scale
//! `bench search [TASKS]`                         search latency over TASKS demo tasks
//! `bench reports [REPORTS]`                      monthly report generation time and size
//! `bench messages [MESSAGES]`                    task message latency, sent to live streams
//! `bench task_page [APPLICANTS]`                 a task with APPLICANTS applicants (with history) to load
//! `bench talent [DEVELOPERS]`                     talent search latency over DEVELOPERS developers

mod leaderboard;
mod ledger;
mod messages;
mod reports;
mod search;
mod talent;
mod task_page;
mod timing;

use server::{startup, telemetry};
use std::{process::ExitCode, str::FromStr};

type Error = Box<dyn std::error::Error>;

// The same allocator as the server, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = run(&args).await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &[String]) -> Result<(), Error> {
    let arg = |n: usize| args.get(n);
    match args.first().map(String::as_str) {
        Some("ledger") => {
            let (payouts, operations) = (count(arg(1), 2_000)?, count(arg(2), 100_000)?);
            ledger::run(database().await?, payouts, operations).await.map_err(|e| e.to_string().into())
        }
        Some("leaderboard") => {
            let (developers, events) = (count(arg(1), 50_000)?, count(arg(2), 1_000_000)?);
            leaderboard::run(database().await?, developers, events).await.map_err(|e| e.to_string().into())
        }
        Some("search") => {
            search::run(database().await?, count(arg(1), 100_000)?).await.map_err(|e| e.to_string().into())
        }
        Some("reports") => reports::run(database().await?, count(arg(1), 100)?).await.map_err(|e| e.to_string().into()),
        Some("messages") => {
            messages::run(database().await?, count(arg(1), 500)?).await.map_err(|e| e.to_string().into())
        }
        Some("task_page") => {
            task_page::run(database().await?, count(arg(1), 50)?).await.map_err(|e| e.to_string().into())
        }
        Some("talent") => {
            talent::run(database().await?, count(arg(1), 50_000)?).await.map_err(|e| e.to_string().into())
        }
        other => Err(format!(
            "unknown benchmark {other:?}; try ledger, leaderboard, search, reports, messages, task_page or talent"
        )
        .into()),
    }
}

/// A count from the command line, or `default` when none is given.
fn count<T: FromStr>(arg: Option<&String>, default: T) -> Result<T, Error> {
    arg.map(|n| n.parse().map_err(|_| format!("not a count: {n:?}").into())).unwrap_or(Ok(default))
}

async fn database() -> Result<sqlx::PgPool, Error> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let pool = startup::connect(&url).await?;
    startup::migrate(&pool).await?;
    Ok(pool)
}
