//! The server's settings from the environment: demo mode or a deployment's real providers, the
//! public URL and origins, trusted proxies; and the database connection and migrations.

use crate::guard::SiteOrigin;
use app::domain::forwarded::TrustedProxies;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use std::{net::SocketAddr, time::Duration};
use tower_sessions_sqlx_store::PostgresStore;

pub struct Settings {
    /// `CODELINK_DEMO=1`: the local providers with their sandbox pages, and demo defaults.
    pub demo: bool,
    /// Where users reach the site (`CODELINK_PUBLIC_URL`; in demo mode, by default, the address
    /// the server listens on).
    pub public_url: String,
    /// The origins server functions accept calls from: the public URL's, and in demo mode also
    /// the listening address (and `localhost` for a loopback one), however the demo is opened.
    pub origins: Vec<SiteOrigin>,
    /// Mark the session cookie `Secure` and send HSTS; on whenever the public URL is https.
    pub secure_cookies: bool,
    /// The key payment callbacks are signed with (shared with the provider).
    pub payment_secret: String,
    /// `CODELINK_TRUSTED_PROXIES`: peers whose X-Forwarded-For / Forwarded are believed.
    pub trusted_proxies: TrustedProxies,
    /// `CODELINK_ICP`: the ICP 备案号 the footer shows (a site served in mainland China must show
    /// it); no line at all when unset.
    pub icp_number: Option<String>,
}

/// Used in demo mode when CODELINK_PAYMENT_SECRET is unset: fine for the sandbox, never for real money.
const SANDBOX_PAYMENT_SECRET: &str = "codelink-sandbox-not-a-secret";

/// What a deployment must set, and why. This build has only local providers, so outside demo mode
/// the server refuses to start even when all are set (see `Settings::from_env`).
const DEPLOYMENT_SETTINGS: &[(&str, &str)] = &[
    ("CODELINK_PUBLIC_URL", "the https address users reach the site at (origin check, links, credentials)"),
    ("CODELINK_PAYMENT_SECRET", "the key the payment provider signs its callbacks with"),
    ("CODELINK_PAYMENT_GATEWAY_URL", "real payments need a provider"),
    ("CODELINK_SMS_GATEWAY_URL", "login codes need an SMS service"),
    ("CODELINK_IDENTITY_GATEWAY_URL", "real-name checks need a licensed identity provider"),
];

impl Settings {
    /// Demo settings for a server listening on `site_addr`, with the sandbox's public payment key.
    pub fn demo(site_addr: SocketAddr) -> Self {
        Self::new(
            true,
            format!("http://{site_addr}"),
            site_addr,
            SANDBOX_PAYMENT_SECRET.into(),
            TrustedProxies::default(),
        )
        .expect("a socket address makes a valid URL")
    }

    /// Reads the environment. Outside demo mode the error names every missing setting.
    pub fn from_env(site_addr: SocketAddr) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let demo = matches!(var("CODELINK_DEMO").as_deref(), Some("1" | "true" | "yes"));
        let trusted_proxies =
            TrustedProxies::parse(&var("CODELINK_TRUSTED_PROXIES").unwrap_or_default()).map_err(|entry| {
                format!("CODELINK_TRUSTED_PROXIES: {entry:?} is neither an IP address nor a CIDR block")
            })?;
        if demo {
            let public_url = var("CODELINK_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
            let payment_secret = var("CODELINK_PAYMENT_SECRET").unwrap_or_else(|| {
                tracing::warn!("demo mode: CODELINK_PAYMENT_SECRET not set, using the sandbox's public key");
                SANDBOX_PAYMENT_SECRET.into()
            });
            return Self::new(true, public_url, site_addr, payment_secret, trusted_proxies);
        }
        let missing: Vec<String> = DEPLOYMENT_SETTINGS
            .iter()
            .filter(|(name, _)| var(name).is_none())
            .map(|(name, why)| format!("{name} is not set: {why}"))
            .collect();
        if missing.is_empty() {
            return Err(
                "CODELINK_PAYMENT_GATEWAY_URL, CODELINK_SMS_GATEWAY_URL and CODELINK_IDENTITY_GATEWAY_URL are \
                 set, but this build has clients only for the local providers (sandbox payments, local SMS inbox, \
                 local identity check); set CODELINK_DEMO=1 to run it as a demo"
                    .into(),
            );
        }
        Err(format!(
            "not starting outside demo mode: {}. This build has only local providers; set CODELINK_DEMO=1 for the \
             local sandbox",
            missing.join("; ")
        ))
    }

    fn new(
        demo: bool,
        public_url: String,
        site_addr: SocketAddr,
        payment_secret: String,
        trusted_proxies: TrustedProxies,
    ) -> Result<Self, String> {
        let public_url = public_url.trim_end_matches('/').to_string();
        let public = SiteOrigin::parse(&public_url)
            .ok_or("CODELINK_PUBLIC_URL must be an http:// or https:// address, such as https://codelink.example")?;
        let mut origins = vec![public];
        if demo {
            let port = site_addr.port();
            let local = [
                Some(format!("http://{site_addr}")),
                site_addr.ip().is_loopback().then(|| format!("http://localhost:{port}")),
            ];
            for origin in local.into_iter().flatten().filter_map(|url| SiteOrigin::parse(&url)) {
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        let secure_cookies = public_url.starts_with("https://");
        // The ICP filing number (备案号) is shown in the footer whenever it is configured, in any mode.
        let icp_number = std::env::var("CODELINK_ICP").ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Ok(Settings { demo, public_url, origins, secure_cookies, payment_secret, trusted_proxies, icp_number })
    }
}

/// Connections each server process keeps to PostgreSQL at most.
pub const POOL_CONNECTIONS: u32 = 16;

/// The pool every instance serves from. PostgreSQL's JIT compiler is off for its sessions: it
/// starts when a plan's estimated cost is high, and a page's short queries then spent 150 ms
/// compiling to save microseconds (talent search over 50,000 developers: p50 137 ms with it,
/// most of it JIT; a skewed table, one merchant with 25,000 tasks, is enough to raise the estimate).
pub async fn connect(database_url: &str) -> Result<PgPool, sqlx::Error> {
    let options = database_url.parse::<PgConnectOptions>()?.options([("jit", "off")]);
    PgPoolOptions::new()
        .max_connections(POOL_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

/// This build's migrations, embedded.
pub static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Brings the schema up to date: ours (embedded migrations) and the session store's.
pub async fn migrate(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    MIGRATIONS.run(pool).await?;
    PostgresStore::new(pool.clone()).migrate().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_accepts_its_listening_address_as_opened_either_way() {
        let settings = Settings::demo("127.0.0.1:3100".parse().unwrap());
        assert_eq!(settings.public_url, "http://127.0.0.1:3100");
        assert!(!settings.secure_cookies);
        for url in ["http://127.0.0.1:3100", "http://localhost:3100"] {
            assert!(settings.origins.contains(&SiteOrigin::parse(url).unwrap()), "{url}");
        }
        assert!(!settings.origins.contains(&SiteOrigin::parse("http://127.0.0.1:3000").unwrap()));
        let public = Settings::new(
            true,
            "https://codelink.example/".into(),
            "0.0.0.0:3000".parse().unwrap(),
            "k".into(),
            TrustedProxies::default(),
        )
        .unwrap();
        assert!(public.secure_cookies && public.origins[0] == SiteOrigin::parse("https://codelink.example").unwrap());
        assert!(Settings::new(
            false,
            "codelink.example".into(),
            "0.0.0.0:3000".parse().unwrap(),
            "k".into(),
            TrustedProxies::default()
        )
        .is_err());
    }
}
