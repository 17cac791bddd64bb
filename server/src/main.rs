//! `server`                       serve the app (migrates the database first)
//! `server seed-demo [TASKS]`     load the demo data (idempotent; default 200 tasks)
//! `server create-admin EMAIL NAME`  create an admin; the password is read from CODELINK_ADMIN_PASSWORD
//! `server check-invariants`      check the ledger's and the records' invariants; non-zero exit on any violation
//!
//! The benchmarks are a binary of their own, `bench` (server/src/bin/bench; see bench/run).
//!
//! DATABASE_URL names the database (the primary), DATABASE_REPLICA_URL an optional streaming replica
//! for reads that may lag; Leptos.toml (overridable by LEPTOS_* variables) the site.

use app::{
    auth::hash_password,
    domain::account::{Email, NewAccount, SignupRole},
    state::{AppState, Mode},
};
use axum::serve::ListenerExt;
use server::{demo, lifecycle, startup, telemetry};
use std::{net::SocketAddr, process::ExitCode};

type Error = Box<dyn std::error::Error>;

/// How long a stopping process waits for its background workers' round in hand.
const WORKERS_FINISH_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

// Rendering a page allocates many small strings across threads; glibc's malloc spent about a third
// of the hall's CPU time in malloc/free and arena consolidation (perf, 32 connections).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("seed-demo") => seed_demo(args.get(1)).await,
        Some("create-admin") => create_admin(args.get(1), args.get(2)).await,
        Some("check-invariants") => check_invariants().await,
        Some(other) => {
            Err(format!("unknown command {other:?}; try serve, seed-demo, create-admin or check-invariants").into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped");
            ExitCode::FAILURE
        }
    }
}

async fn database() -> Result<sqlx::PgPool, Error> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let pool = startup::connect(&url).await?;
    startup::migrate(&pool).await?;
    let interrupted = app::db::reports::fail_interrupted_exports(&pool).await?;
    if interrupted > 0 {
        tracing::warn!(interrupted, "report exports left unfinished by a stopped process marked failed");
    }
    Ok(pool)
}

async fn serve() -> Result<(), Error> {
    let config_file = std::env::var("LEPTOS_CONFIG").unwrap_or_else(|_| "Leptos.toml".into());
    let leptos_options = leptos::config::get_configuration(Some(&config_file))?.leptos_options;
    let address = leptos_options.site_addr;
    // Before anything else: outside demo mode, a missing setting stops the server here.
    let settings = startup::Settings::from_env(address)?;
    app::state::set_public_url(&settings.public_url);
    let mode = if settings.demo { Mode::Demo } else { Mode::Deployed };
    let (mut state, payment_callbacks) = AppState::new(database().await?, settings.payment_secret.as_bytes(), mode);
    // Reads that may lag a moment go to a streaming replica when one is named (`lagging_reads`).
    if let Some(url) = std::env::var("DATABASE_REPLICA_URL").ok().filter(|url| !url.trim().is_empty()) {
        state = state.with_replica(startup::connect(&url).await?);
        tracing::info!("reading public cards and leaderboards from the replica");
    }
    startup::spawn_payment_callbacks(state.clone(), payment_callbacks);
    startup::spawn_payout_jobs(state.clone());
    startup::spawn_housekeeping(state.clone());
    startup::spawn_growth_workers(state.clone());
    startup::spawn_mail_sender(state.clone());
    server::live::spawn_live_announcements(state.clone());
    startup::spawn_cache_announcer(state.clone());
    startup::spawn_search_backfill(state.clone());
    if let Some(metrics_address) = server::metrics::address(address) {
        // Metrics are for operators: a port already taken is worth a warning, not an outage.
        match server::metrics::serve(metrics_address).await {
            Ok(()) => server::metrics::spawn_sampler(state.clone()),
            Err(error) => tracing::warn!(%error, %metrics_address, "metrics are off"),
        }
    }
    let pool = state.pool.clone();
    let router = startup::app_router(state.clone(), leptos_options, &settings);
    startup::warm_up(&router, &pool, startup::POOL_CONNECTIONS).await;
    // TCP_NODELAY: a response sent in more than one write (a file streamed from disk) otherwise
    // waits for the client's delayed ACK, 40 ms each (the stylesheet served at 935 req/s, p50 44 ms).
    let listener = tokio::net::TcpListener::bind(address).await?.tap_io(|connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY on a connection");
        }
    });
    tracing::info!(public_url = %settings.public_url, demo = settings.demo, "CodeLink listening on http://{address}");
    // On SIGTERM: not ready, live streams and workers end, then the listener closes and requests
    // under way finish (`server::lifecycle`).
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(lifecycle::drained(state.clone()))
        .await?;
    lifecycle::wait_for_workers(&state, WORKERS_FINISH_WITHIN).await;
    tracing::info!("stopped");
    Ok(())
}

async fn seed_demo(task_count: Option<&String>) -> Result<(), Error> {
    let tasks = match task_count {
        Some(n) => n.parse().map_err(|_| format!("not a task count: {n:?}"))?,
        None => demo::DEMO_TASKS,
    };
    let pool = database().await?;
    demo::load(&pool, tasks).await?;
    demo::load_history(&pool).await?;
    demo::load_portfolios(&pool).await?;
    demo::load_invitations(&pool).await?;
    demo::load_quotes(&pool).await?;
    demo::load_talent(&pool).await?;
    tracing::info!(tasks, "demo data loaded");
    Ok(())
}

/// The checks the tests run after every money flow, for an operator (and the cluster stage after a
/// crash): every movement balanced, no account negative, escrow equal to what is owed, and the
/// records' invariants (`db::record_invariants`).
async fn check_invariants() -> Result<(), Error> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let pool = startup::connect(&url).await?;
    let ledger = app::db::ledger::check_invariants(&pool).await?;
    let records = app::db::record_invariants::check(&pool).await?;
    println!("ledger: {ledger:?}");
    println!("records: {records:?}");
    let violations = ledger.violations() + records.violations();
    println!("violations: {violations}");
    if violations > 0 {
        return Err(format!("{violations} invariant violations").into());
    }
    Ok(())
}

async fn create_admin(email: Option<&String>, name: Option<&String>) -> Result<(), Error> {
    let (Some(email), Some(name)) = (email, name) else {
        return Err("usage: server create-admin EMAIL NAME (password in CODELINK_ADMIN_PASSWORD)".into());
    };
    let password = std::env::var("CODELINK_ADMIN_PASSWORD")
        .map_err(|_| "set CODELINK_ADMIN_PASSWORD to the new admin's password")?;
    let email = Email::parse(email).map_err(|e| format!("bad email: {e:?}"))?;
    let pool = database().await?;
    // Built as a developer sign-up, then promoted: the web form can never produce an admin.
    let account = NewAccount {
        email,
        password: password.clone(),
        display_name: name.clone(),
        role: SignupRole::Developer,
        invite: None,
        // The admin accepts the terms themselves, at their first login.
        consented: false,
    };
    let hash = hash_password(password).await?;
    let id = match app::db::users::insert(&pool, &account, &hash).await {
        Ok(id) => id,
        Err(app::db::users::InsertUserError::EmailTaken) => return Err("that email already has an account".into()),
        Err(app::db::users::InsertUserError::Database(e)) => return Err(e.into()),
        Err(app::db::users::InsertUserError::Growth(e)) => return Err(format!("{e:?}").into()),
    };
    sqlx::query("UPDATE users SET role = 'admin' WHERE id = $1").bind(id).execute(&pool).await?;
    // No second factor yet: the admin console refuses them until they enrol one on /security.
    tracing::info!(%id, "admin created; they set up two-step verification on /security at first login");
    Ok(())
}
