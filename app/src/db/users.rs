use crate::{
    db::challenges::record_activity,
    domain::{
        account::{NewAccount, Role},
        challenges::Activity,
        profile::{CardSettings, Profile, ProfileForm},
        reports::ReportMonth,
        tasks::Category,
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::profile::{ProfilePage, SkillChoice},
};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

pub enum InsertUserError {
    EmailTaken,
    Database(sqlx::Error),
    /// Recording the inviter's growth event failed.
    Growth(AppError),
}

/// Creates an account. A duplicate email (in any letter case) is reported as `EmailTaken`, decided by
/// the unique index rather than a prior SELECT, so two simultaneous sign-ups cannot both succeed.
/// A registration through a developer's invite link is that developer's growth event; an unknown
/// invite code is ignored (it must never stop someone from joining).
pub async fn insert(pool: &PgPool, account: &NewAccount, password_hash: &str) -> Result<Uuid, InsertUserError> {
    let mut tx = pool.begin().await.map_err(InsertUserError::Database)?;
    let id = insert_in(&mut tx, account, password_hash).await?;
    tx.commit().await.map_err(InsertUserError::Database)?;
    Ok(id)
}

async fn insert_in(
    conn: &mut PgConnection,
    account: &NewAccount,
    password_hash: &str,
) -> Result<Uuid, InsertUserError> {
    let id = Uuid::now_v7();
    let inviter: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (id, email, display_name, password_hash, role, merchant_kind, invited_by)
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT id FROM users WHERE invite_code = $7 AND role = 'developer'))
         RETURNING invited_by",
    )
    .bind(id)
    .bind(account.email.as_str())
    .bind(&account.display_name)
    .bind(password_hash)
    .bind(account.role.role().as_str())
    .bind(account.role.merchant_kind().map(|k| k.as_str()))
    .bind(account.invite.as_deref())
    .fetch_one(&mut *conn)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db_error) if db_error.constraint() == Some("users_email_key") => {
            InsertUserError::EmailTaken
        }
        _ => InsertUserError::Database(error),
    })?;
    if account.consented {
        crate::db::legal::accept(conn, id, &crate::domain::legal::Document::CONSENTED)
            .await
            .map_err(InsertUserError::Database)?;
    }
    if let Some(inviter) = inviter {
        record_activity(conn, inviter, Activity::Invited, &format!("invited:{id}"))
            .await
            .map_err(InsertUserError::Growth)?;
    }
    Ok(id)
}

/// The profile form as saved, and every skill tag to choose from.
pub async fn profile(pool: &PgPool, user: Uuid) -> Result<ProfilePage, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        display_name: String,
        headline: String,
        bio: String,
        skills: Vec<String>,
        invite_code: String,
        is_developer: bool,
        handle: String,
        card_public: bool,
        card_hide_merchants: bool,
    }
    let row: Row = sqlx::query_as(
        "SELECT u.display_name, u.headline, u.bio,
                    ARRAY(SELECT t.slug FROM user_skills s JOIN skill_tags t ON t.id = s.tag_id
                          WHERE s.user_id = u.id ORDER BY t.slug) AS skills,
                    u.invite_code, u.role = 'developer' AS is_developer, u.handle, u.card_public, u.card_hide_merchants
             FROM users u WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(pool)
    .await?;
    Ok(ProfilePage {
        form: ProfileForm { display_name: row.display_name, headline: row.headline, bio: row.bio, skills: row.skills },
        tags: skill_tree(pool).await?,
        invite_code: row.invite_code,
        card: row.is_developer.then_some(CardSettings {
            handle: row.handle,
            public: row.card_public,
            hide_merchants: row.card_hide_merchants,
        }),
        saved: None,
        phone: None,
        phone_change: None,
    })
}

/// Every skill tag, by branch and then name.
pub async fn skill_tree(pool: &PgPool) -> Result<Vec<SkillChoice>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name_zh: String,
        name_en: String,
        branch: String,
    }
    let rows: Vec<Row> = sqlx::query_as("SELECT slug, name_zh, name_en, branch FROM skill_tags ORDER BY branch, slug")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| SkillChoice {
            branch: Category::from_slug(&row.branch).unwrap_or(Category::Other),
            slug: row.slug,
            name_zh: row.name_zh,
            name_en: row.name_en,
        })
        .collect())
}

/// Saves a validated profile. For a developer, the first complete profile is the week-one
/// challenge's activity. Unknown skills are refused and nothing is written.
pub async fn save_profile(pool: &PgPool, user: Uuid, role: Role, profile: &Profile) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET display_name = $2, headline = $3, bio = $4 WHERE id = $1")
        .bind(user)
        .bind(&profile.display_name)
        .bind(&profile.headline)
        .bind(&profile.bio)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM user_skills WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
    let saved =
        sqlx::query("INSERT INTO user_skills (user_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = ANY($2)")
            .bind(user)
            .bind(&profile.skills)
            .execute(&mut *tx)
            .await?;
    if saved.rows_affected() != profile.skills.len() as u64 {
        return Err(AppError::field(FieldError::new(Field::Tags, Problem::NotAllowed)));
    }
    if role == Role::Developer {
        record_activity(&mut tx, user, Activity::ProfileCompleted, &format!("profile:{user}")).await?;
        super::talent::index_developers(&mut tx, &[user]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The month (China time) the user registered in.
pub async fn joined_month(pool: &PgPool, user: Uuid) -> Result<ReportMonth, sqlx::Error> {
    let (year, month): (i32, i32) = sqlx::query_as(
        "SELECT extract(year FROM china_time(created_at))::int4,
                extract(month FROM china_time(created_at))::int4
         FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(pool)
    .await?;
    Ok(ReportMonth::new(year, month as u8).unwrap_or(ReportMonth { year: 2026, month: 1 }))
}

/// The developer with `handle`, whether or not their card is public.
pub async fn id_by_handle(pool: &PgPool, handle: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE handle = $1 AND role = 'developer'")
        .bind(handle)
        .fetch_optional(pool)
        .await
}

/// A user's handle (what their files are named after).
pub async fn handle_of(pool: &PgPool, user: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT handle FROM users WHERE id = $1").bind(user).fetch_one(pool).await
}

/// Saves a developer's public-record choices; a handle someone else has is a field error.
pub async fn save_card_settings(pool: &PgPool, user: Uuid, settings: &CardSettings) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let was_under_nda: Option<bool> =
        sqlx::query_scalar("SELECT card_hide_merchants FROM users WHERE id = $1 AND role = 'developer' FOR UPDATE")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(was_under_nda) = was_under_nda else { return Err(AppError::Forbidden) };
    let saved = sqlx::query("UPDATE users SET handle = $2, card_public = $3, card_hide_merchants = $4 WHERE id = $1")
        .bind(user)
        .bind(&settings.handle)
        .bind(settings.public)
        .bind(settings.hide_merchants)
        .execute(&mut *tx)
        .await;
    match saved {
        Ok(_) => {
            if settings.hide_merchants && !was_under_nda {
                super::credentials::supersede_for_nda(&mut tx, user).await?;
            }
            tx.commit().await?;
            Ok(())
        }
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(AppError::field(FieldError::new(Field::Handle, Problem::Taken)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
pub struct UserCounts {
    pub users: i64,
    pub developers: i64,
    pub merchants: i64,
}

pub async fn counts(db: impl PgExecutor<'_>) -> Result<UserCounts, sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) AS users,
                count(*) FILTER (WHERE role = 'developer') AS developers,
                count(*) FILTER (WHERE role = 'merchant') AS merchants
         FROM users",
    )
    .fetch_one(db)
    .await
}
