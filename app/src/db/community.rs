//! The community board in the database: posts (indexed for search like tasks), replies, likes and
//! moderation. A developer's visible post counts once for challenges (`Activity::CommunityPost`).

use super::search::SEARCH_CANDIDATES;
use super::{
    audit::{self, Action},
    challenges::record_activity,
};
use crate::{
    domain::{
        account::Role,
        challenges::Activity,
        community::{NewPost, PAGE_SIZE, POSTS_PER_DAY},
        hall::tsquery_of,
        moderation::blocked_words_in,
        paging::{page_count, PageNumber},
        url_query::search_words,
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::{
        community::{PostDetail, PostPage, PostSummary, ReplyView},
        hall::TagLabel,
    },
};
use sqlx::{types::Json, PgConnection, PgPool};
use uuid::Uuid;

/// The post's tags as labels, in SQL over a row `p`.
const TAG_LABELS: &str = "COALESCE((SELECT json_agg(json_build_object('slug', s.slug, 'name_zh', s.name_zh,
                                       'name_en', s.name_en) ORDER BY s.slug)
                    FROM skill_tags s WHERE s.slug = ANY(p.tags)), '[]'::json)";

/// Writes a post. Tags may be typed as slugs or names in either language; a word naming no skill
/// tag is a field error. Words on the block list hold the post hidden until an admin looks.
pub async fn create_post(pool: &PgPool, author: Uuid, role: Role, post: &NewPost) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    super::credit::ensure_unrestricted(&mut tx, author).await?;
    let today: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM posts WHERE author_id = $1
           AND created_at >= china_instant(date_trunc('day', china_time(app_now())))",
    )
    .bind(author)
    .fetch_one(&mut *tx)
    .await?;
    if today >= POSTS_PER_DAY {
        return Err(AppError::RateLimited);
    }
    let slugs = tag_slugs(&mut tx, &post.tags).await?;
    let blocked: Vec<String> = sqlx::query_scalar("SELECT word FROM blocked_words").fetch_all(&mut *tx).await?;
    let flagged = blocked_words_in(&format!("{} {}", post.title, post.body), &blocked);
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO posts (id, author_id, title, body, tags, status, moderation_note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(author)
    .bind(&post.title)
    .bind(&post.body)
    .bind(&slugs)
    .bind(if flagged.is_empty() { "visible" } else { "hidden" })
    .bind(if flagged.is_empty() { String::new() } else { format!("blocked words: {}", flagged.join(", ")) })
    .execute(&mut *tx)
    .await?;
    super::search::index_post(&mut tx, id).await?;
    if role == Role::Developer && flagged.is_empty() {
        record_activity(&mut tx, author, Activity::CommunityPost, &format!("post:{id}")).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The skill tags typed words name (by slug or either name, any case), in the order typed.
async fn tag_slugs(conn: &mut PgConnection, words: &[String]) -> Result<Vec<String>, AppError> {
    let mut slugs = Vec::new();
    for word in words {
        let slug: Option<String> = sqlx::query_scalar(
            "SELECT slug FROM skill_tags WHERE lower(slug) = $1 OR lower(name_zh) = $1 OR lower(name_en) = $1 LIMIT 1",
        )
        .bind(word)
        .fetch_optional(&mut *conn)
        .await?;
        match slug {
            Some(slug) if !slugs.contains(&slug) => slugs.push(slug),
            Some(_) => {}
            None => return Err(AppError::field(FieldError::new(Field::Tags, Problem::NotAllowed))),
        }
    }
    Ok(slugs)
}

/// A post as the list shows it.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    title: String,
    excerpt: String,
    display_name: String,
    role: String,
    tags: Json<Vec<TagLabel>>,
    like_count: i32,
    reply_count: i32,
    created_at: String,
}

/// One page of visible posts: newest first, or with words the best matches first among at most
/// `SEARCH_CANDIDATES`; optionally only those with `tag`.
pub async fn posts(pool: &PgPool, q: &str, tag: Option<&str>, page: i64) -> Result<PostPage, AppError> {
    let q = search_words(q);
    let terms = crate::search::query_terms(&q);
    let tsquery = tsquery_of(&terms);
    let page = PageNumber::new(page);
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    let matches = "FROM posts p WHERE p.status = 'visible'
                     AND ($1::tsquery IS NULL OR p.search_tsv @@ $1::tsquery)
                     AND ($2::text IS NULL OR p.tags @> ARRAY[$2::text])";
    let order = if tsquery.is_some() {
        "ts_rank(p.search_tsv, $1::tsquery) DESC, p.created_at DESC"
    } else {
        "p.created_at DESC, p.id DESC"
    };
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "WITH found AS (SELECT p.* {matches} ORDER BY p.created_at DESC LIMIT {SEARCH_CANDIDATES})
         SELECT p.id, p.title, left(regexp_replace(p.body, '[#*`>]+', '', 'g'), 140) AS excerpt,
                u.display_name, u.role, {TAG_LABELS} AS tags,
                p.like_count, p.reply_count, china_text(p.created_at, 'YYYY-MM-DD HH24:MI') AS created_at
         FROM found p JOIN users u ON u.id = p.author_id
         ORDER BY {order} LIMIT $3 OFFSET $4"
    ))
    .bind(tsquery.as_deref())
    .bind(tag)
    .bind(PAGE_SIZE)
    .bind(page.offset(PAGE_SIZE))
    .fetch_all(pool)
    .await?;
    let total: i64 =
        sqlx::query_scalar(&format!("SELECT count(*) FROM (SELECT 1 {matches} LIMIT {SEARCH_CANDIDATES}) m"))
            .bind(tsquery.as_deref())
            .bind(tag)
            .fetch_one(pool)
            .await?;
    #[derive(sqlx::FromRow)]
    struct TagRow {
        slug: String,
        name_zh: String,
        name_en: String,
    }
    let tag_label: Option<TagLabel> = match tag {
        Some(slug) => sqlx::query_as::<_, TagRow>("SELECT slug, name_zh, name_en FROM skill_tags WHERE slug = $1")
            .bind(slug)
            .fetch_optional(pool)
            .await?
            .map(|row| TagLabel { slug: row.slug, name_zh: row.name_zh, name_en: row.name_en }),
        None => None,
    };
    Ok(PostPage {
        posts: rows.into_iter().filter_map(summary).collect(),
        page: page.get(),
        pages: page_count(total, PAGE_SIZE),
        total,
        terms,
        tag: tag_label,
    })
}

fn summary(row: SummaryRow) -> Option<PostSummary> {
    Some(PostSummary {
        id: row.id,
        title: row.title,
        excerpt: row.excerpt,
        author_name: row.display_name,
        author_role: Role::parse(&row.role)?,
        tags: row.tags.0,
        like_count: row.like_count,
        reply_count: row.reply_count,
        created_at: row.created_at,
    })
}

/// A post with its replies, as `viewer` may see it: hidden posts only for their author and admins.
pub async fn post(pool: &PgPool, id: Uuid, viewer: Option<(Uuid, Role)>) -> Result<Option<PostDetail>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        body: String,
        author_id: Uuid,
        display_name: String,
        role: String,
        tags: Json<Vec<TagLabel>>,
        like_count: i32,
        created_at: String,
        status: String,
        moderation_note: String,
        liked: bool,
    }
    #[derive(sqlx::FromRow)]
    struct ReplyRow {
        id: Uuid,
        display_name: String,
        role: String,
        body: String,
        created_at: String,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT p.title, p.body, p.author_id, u.display_name, u.role, {TAG_LABELS} AS tags, p.like_count,
                china_text(p.created_at, 'YYYY-MM-DD HH24:MI') AS created_at, p.status, p.moderation_note,
                EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = $2) AS liked
         FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1"
    ))
    .bind(id)
    .bind(viewer.map(|(user, _)| user))
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let is_admin = matches!(viewer, Some((_, Role::Admin)));
    let hidden = row.status == "hidden";
    if hidden && !is_admin && viewer.map(|(user, _)| user) != Some(row.author_id) {
        return Ok(None);
    }
    let replies: Vec<ReplyRow> = sqlx::query_as(
        "SELECT r.id, u.display_name, u.role, r.body, china_text(r.created_at, 'YYYY-MM-DD HH24:MI') AS created_at
         FROM post_replies r JOIN users u ON u.id = r.author_id WHERE r.post_id = $1 ORDER BY r.created_at, r.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(Some(PostDetail {
        id,
        title: row.title,
        body_html: crate::markdown::render(&row.body),
        author_name: row.display_name,
        author_role: Role::parse(&row.role).ok_or(AppError::Internal)?,
        tags: row.tags.0,
        like_count: row.like_count,
        liked: row.liked,
        replies: replies
            .into_iter()
            .filter_map(|reply| {
                Some(ReplyView {
                    id: reply.id,
                    author_name: reply.display_name,
                    author_role: Role::parse(&reply.role)?,
                    body: reply.body,
                    created_at: reply.created_at,
                })
            })
            .collect(),
        created_at: row.created_at,
        hidden,
        moderation_note: if hidden { row.moderation_note } else { String::new() },
        can_take_part: viewer.is_some() && !hidden,
        can_moderate: is_admin,
    }))
}

/// Locks a visible post, or refuses: replies and likes go to posts everyone can see.
async fn lock_visible(conn: &mut PgConnection, post: Uuid) -> Result<(), AppError> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM posts WHERE id = $1 FOR UPDATE").bind(post).fetch_optional(conn).await?;
    match status.as_deref() {
        Some("visible") => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

pub async fn reply(pool: &PgPool, author: Uuid, post: Uuid, body: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    super::credit::ensure_unrestricted(&mut tx, author).await?;
    lock_visible(&mut tx, post).await?;
    sqlx::query("INSERT INTO post_replies (id, post_id, author_id, body) VALUES ($1, $2, $3, $4)")
        .bind(Uuid::now_v7())
        .bind(post)
        .bind(author)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE posts SET reply_count = reply_count + 1 WHERE id = $1").bind(post).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Likes or un-likes; the count moves only when the like row does, so repeats change nothing.
pub async fn set_like(pool: &PgPool, user: Uuid, post: Uuid, like: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    lock_visible(&mut tx, post).await?;
    let changed = if like {
        sqlx::query("INSERT INTO post_likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
    } else {
        sqlx::query("DELETE FROM post_likes WHERE post_id = $1 AND user_id = $2")
    }
    .bind(post)
    .bind(user)
    .execute(&mut *tx)
    .await?
    .rows_affected() as i32;
    if changed > 0 {
        sqlx::query("UPDATE posts SET like_count = like_count + $2 WHERE id = $1")
            .bind(post)
            .bind(if like { 1 } else { -1 })
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An admin hides a post or shows it again, with the reason; in the audit log. A developer's post
/// shown again counts for challenges then (once, like any post).
pub async fn moderate(pool: &PgPool, admin: Uuid, post: Uuid, hide: bool, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        status: String,
        author_id: Uuid,
        role: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.status, p.author_id, u.role FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1 FOR UPDATE OF p",
    )
    .bind(post)
    .fetch_optional(&mut *tx)
    .await?;
    let Row { status: before, author_id: author, role } = row.ok_or(AppError::NotFound)?;
    let after = if hide { "hidden" } else { "visible" };
    sqlx::query("UPDATE posts SET status = $2, moderation_note = $3 WHERE id = $1")
        .bind(post)
        .bind(after)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    if !hide && role == Role::Developer.as_str() {
        record_activity(&mut tx, author, Activity::CommunityPost, &format!("post:{post}")).await?;
    }
    audit::record(
        &mut tx,
        Action {
            admin,
            action: if hide { "post.hide" } else { "post.restore" },
            subject: format!("post:{post}"),
            before: Some(serde_json::json!({ "status": before })),
            after: Some(serde_json::json!({ "status": after })),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
