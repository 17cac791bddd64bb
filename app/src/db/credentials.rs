//! Issuing, checking and revoking Open Badges credentials (see `crate::credentials` for the format
//! and the signature). A credential is issued once per developer and achievement and kept as
//! issued, so the same download always yields the same document and revocation has a row to mark.

use super::tasks::COMPLETED_AT;
use crate::{
    credentials::{key_id, public_key, Achievement, CredentialFacts, Evidence, Issuer, Rejection},
    domain::growth::Level,
    error::AppError,
    views::credentials::CredentialVerdict,
};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

/// A level credential lists the most recent finished tasks as its evidence.
const LEVEL_EVIDENCE_TASKS: i64 = 10;

/// The key credentials are signed with, and the public keys of every other key CodeLink signed
/// with. The signing key is `CODELINK_SIGNING_KEY` when set, else the database's active key, made
/// on first use (concurrent first uses agree on one).
pub async fn signing_keys(pool: &PgPool) -> Result<([u8; 32], Vec<VerifyingKey>), AppError> {
    let configured = match std::env::var("CODELINK_SIGNING_KEY") {
        Ok(hex_key) => match hex::decode(hex_key.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()) {
            Some(secret) => Some(secret),
            None => {
                tracing::error!("CODELINK_SIGNING_KEY must be 64 hex digits");
                return Err(AppError::Internal);
            }
        },
        Err(_) => None,
    };
    if configured.is_none() {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|error| {
            tracing::error!(%error, "no randomness for a signing key");
            AppError::Internal
        })?;
        sqlx::query(
            "INSERT INTO signing_keys (key_id, secret) VALUES ($1, $2) ON CONFLICT (active) WHERE active DO NOTHING",
        )
        .bind(key_id(&public_key(&fresh)))
        .bind(&fresh[..])
        .execute(pool)
        .await?;
    }
    let stored: Vec<(Vec<u8>, bool)> =
        sqlx::query_as("SELECT secret, active FROM signing_keys ORDER BY created_at").fetch_all(pool).await?;
    let mut active = None;
    let mut earlier = Vec::new();
    for (secret, is_active) in stored {
        let secret = <[u8; 32]>::try_from(secret).map_err(|_| AppError::Internal)?;
        if is_active && configured.is_none() {
            active = Some(secret);
        } else {
            earlier.push(public_key(&secret));
        }
    }
    let secret = configured.or(active).ok_or(AppError::Internal)?;
    Ok((secret, earlier))
}

/// What an achievement key names.
enum Earned {
    Badge(String),
    Level(Level),
}

fn parse_achievement(key: &str) -> Option<Earned> {
    match key.split_once(':')? {
        ("badge", slug) if !slug.is_empty() => Some(Earned::Badge(slug.to_string())),
        ("level", level) => Level::parse(level).filter(|l| *l != Level::C).map(Earned::Level),
        _ => None,
    }
}

/// The signed credential for the developer with `handle` and `achievement` (`badge:<slug>` or
/// `level:<S|A|B>`), issued now if it was not before. None when the card is not public, the
/// achievement is unknown or not (yet) earned. Revoked credentials are still returned as issued.
pub async fn issue(pool: &PgPool, issuer: &Issuer, handle: &str, achievement: &str) -> Result<Option<Value>, AppError> {
    let Some(earned) = parse_achievement(achievement) else { return Ok(None) };
    #[derive(sqlx::FromRow)]
    struct Developer {
        id: Uuid,
        display_name: String,
        card_hide_merchants: bool,
        level: Option<String>,
    }
    let developer: Option<Developer> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.card_hide_merchants, g.level
         FROM users u LEFT JOIN developer_growth g ON g.developer_id = u.id
         WHERE u.handle = $1 AND u.role = 'developer' AND u.card_public",
    )
    .bind(handle)
    .fetch_optional(pool)
    .await?;
    let Some(Developer { id: developer_id, display_name: subject_name, card_hide_merchants: hide_merchants, level }) =
        developer
    else {
        return Ok(None);
    };
    if let Some(document) = issued(pool, developer_id, achievement).await? {
        return Ok(Some(document));
    }
    let now: String =
        sqlx::query_scalar("SELECT to_char(app_now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
            .fetch_one(pool)
            .await?;
    let facts = match earned {
        Earned::Badge(slug) => badge_facts(pool, issuer, developer_id, &slug, hide_merchants).await?,
        Earned::Level(wanted) => {
            let current = level.as_deref().and_then(Level::parse).unwrap_or(Level::C);
            if current != wanted {
                return Ok(None);
            }
            level_facts(pool, issuer, developer_id, wanted, hide_merchants, &now).await?
        }
    };
    let Some((achievement_facts, evidence, valid_from)) = facts else { return Ok(None) };
    let facts = CredentialFacts {
        id: Uuid::now_v7(),
        subject_name,
        // Stable, unlike the handle (which its owner may change and someone else may then take).
        subject_id: format!("urn:uuid:{developer_id}"),
        achievement: achievement_facts,
        evidence,
        valid_from,
    };
    let document = issuer.sign(issuer.credential(&facts), &now);
    // Two first downloads at once: one insert wins and both return the winner's document.
    sqlx::query(
        "INSERT INTO credentials (id, developer_id, achievement, document) VALUES ($1, $2, $3, $4)
         ON CONFLICT (developer_id, achievement) WHERE revoked_at IS NULL DO NOTHING",
    )
    .bind(facts.id)
    .bind(developer_id)
    .bind(achievement)
    .bind(&document)
    .execute(pool)
    .await?;
    Ok(issued(pool, developer_id, achievement).await?)
}

async fn issued(pool: &PgPool, developer_id: Uuid, achievement: &str) -> Result<Option<Value>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT document FROM credentials WHERE developer_id = $1 AND achievement = $2 AND revoked_at IS NULL",
    )
    .bind(developer_id)
    .bind(achievement)
    .fetch_optional(pool)
    .await
}

type Facts = Option<(Achievement, Vec<Evidence>, String)>;

async fn badge_facts(
    pool: &PgPool,
    issuer: &Issuer,
    developer_id: Uuid,
    slug: &str,
    hide_merchants: bool,
) -> Result<Facts, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        name_zh: String,
        name_en: String,
        description_zh: String,
        description_en: String,
        earned_at: String,
        task_id: Option<Uuid>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT b.name_zh, b.name_en, b.description_zh, b.description_en,
                to_char(d.earned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS earned_at, e.task_id
         FROM developer_badges d JOIN badges b ON b.id = d.badge_id JOIN growth_events e ON e.id = d.event_id
         WHERE d.developer_id = $1 AND b.slug = $2",
    )
    .bind(developer_id)
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    let Some(Row { name_zh, name_en, description_zh, description_en, earned_at, task_id }) = row else {
        return Ok(None);
    };
    let evidence = match task_id {
        Some(task_id) => task_evidence(pool, issuer, &[task_id], hide_merchants).await?,
        None => Vec::new(),
    };
    let achievement = Achievement {
        key: format!("badge:{slug}"),
        name: format!("{name_zh} · {name_en}"),
        description: format!("{description_zh} {description_en}"),
        criteria: format!("{description_en} Earned on CodeLink by finishing paid, escrowed work."),
    };
    Ok(Some((achievement, evidence, earned_at)))
}

async fn level_facts(
    pool: &PgPool,
    issuer: &Issuer,
    developer_id: Uuid,
    level: Level,
    hide_merchants: bool,
    now: &str,
) -> Result<Facts, sqlx::Error> {
    let recent: Vec<Uuid> = sqlx::query_scalar(&format!(
        "SELECT t.id FROM tasks t {COMPLETED_AT} WHERE t.developer_id = $1 AND t.status = 'completed'
         ORDER BY done.at DESC LIMIT $2"
    ))
    .bind(developer_id)
    .bind(LEVEL_EVIDENCE_TASKS)
    .fetch_all(pool)
    .await?;
    let letter = level.as_str();
    let achievement = Achievement {
        key: format!("level:{letter}"),
        name: format!("CodeLink {letter} 级开发者 · Level {letter} developer"),
        description: format!(
            "在 CodeLink 完成并获评的付费任务达到 {letter} 级要求。 Reached level {letter} on CodeLink through paid tasks finished and rated by merchants."
        ),
        criteria: format!(
            "Level {letter}: the finished tasks, average merchant rating and skill breadth set out at {}/help/growth.",
            issuer.base_url()
        ),
    };
    let evidence = task_evidence(pool, issuer, &recent, hide_merchants).await?;
    Ok(Some((achievement, evidence, now.to_string())))
}

/// One evidence entry per finished task, pointing at its verification page.
async fn task_evidence(
    pool: &PgPool,
    issuer: &Issuer,
    tasks: &[Uuid],
    hide_merchants: bool,
) -> Result<Vec<Evidence>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        title: String,
        display_name: String,
        accepted_on: String,
        stars: Option<i16>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT t.id, t.title, m.display_name, china_text(done.at, 'YYYY-MM-DD') AS accepted_on, r.stars
         FROM tasks t {COMPLETED_AT} JOIN users m ON m.id = t.merchant_id LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.id = ANY($1) AND t.status = 'completed' ORDER BY done.at DESC"
    ))
    .bind(tasks)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|Row { id, title, display_name, accepted_on, stars }| {
            let merchant = if hide_merchants { "a merchant under NDA".to_string() } else { display_name };
            let rating = stars.map(|s| format!(", rated {s}/5")).unwrap_or_default();
            Evidence {
                url: format!("{}/verify/task/{id}", issuer.base_url()),
                name: title,
                description: format!("Paid task accepted by {merchant} on {accepted_on}{rating}."),
            }
        })
        .collect())
}

/// The stored credential with `id`, as issued, while its owner's card is public.
pub async fn by_id(pool: &PgPool, id: Uuid) -> Result<Option<Value>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.document FROM credentials c JOIN users u ON u.id = c.developer_id WHERE c.id = $1 AND u.card_public",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// When an owner turns on NDA, the standing credentials still name their merchants: they are
/// withdrawn (the checker says so, and why), and the next download signs one without the names.
pub async fn supersede_for_nda(conn: &mut sqlx::PgConnection, developer: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE credentials SET revoked_at = app_now(), revoked_reason = 'superseded: the owner withheld merchant names (NDA)'
         WHERE developer_id = $1 AND revoked_at IS NULL",
    )
    .bind(developer)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `document` is a credential CodeLink signed, unedited and not revoked.
pub async fn check(pool: &PgPool, issuer: &Issuer, document: &Value) -> Result<CredentialVerdict, AppError> {
    match issuer.verify(document) {
        Err(Rejection::Malformed) => return Ok(CredentialVerdict::Malformed),
        Err(Rejection::OtherIssuer) => return Ok(CredentialVerdict::OtherIssuer),
        Err(Rejection::Tampered) => return Ok(CredentialVerdict::Tampered),
        Ok(()) => {}
    }
    let id = document["id"].as_str().and_then(crate::credentials::credential_id);
    let Some(id) = id else { return Ok(CredentialVerdict::Malformed) };
    #[derive(sqlx::FromRow)]
    struct Row {
        display_name: String,
        handle: Option<String>,
        issued_on: String,
        revoked_on: Option<String>,
        revoked_reason: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.display_name, CASE WHEN u.card_public THEN u.handle END AS handle,
                china_text(c.issued_at, 'YYYY-MM-DD') AS issued_on,
                china_text(c.revoked_at, 'YYYY-MM-DD') AS revoked_on, c.revoked_reason
         FROM credentials c JOIN users u ON u.id = c.developer_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    // Our signature on an id we have no record of: signed by a key we hold, yet not issued through
    // this code. Say so instead of vouching for it.
    let Some(Row { display_name: subject, handle, issued_on, revoked_on, revoked_reason: reason }) = row else {
        return Ok(CredentialVerdict::Unrecorded);
    };
    let achievement = document["credentialSubject"]["achievement"]["name"].as_str().unwrap_or_default().to_string();
    Ok(match (revoked_on, reason) {
        (Some(revoked_on), reason) => {
            CredentialVerdict::Revoked { subject, handle, achievement, revoked_on, reason: reason.unwrap_or_default() }
        }
        (None, _) => CredentialVerdict::Genuine { subject, handle, achievement, issued_on },
    })
}

/// Revokes a credential for `reason`; revoking twice keeps the first decision.
pub async fn revoke(pool: &PgPool, admin: Uuid, id: Uuid, reason: &str) -> Result<bool, sqlx::Error> {
    let revoked = sqlx::query(
        "UPDATE credentials SET revoked_at = app_now(), revoked_reason = $3, revoked_by = $2
         WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(admin)
    .bind(reason)
    .execute(pool)
    .await?;
    Ok(revoked.rows_affected() == 1)
}
