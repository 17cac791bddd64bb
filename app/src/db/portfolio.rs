//! A developer's portfolio: reading it (the owner's page, the resume card, a glimpse for lists of
//! developers) and its images. Changes are in `changes`, each one transaction.

mod changes;

pub use changes::{delete, move_item, pin, save, NewImage};

use crate::{
    db::tasks::COMPLETED_AT,
    views::{
        hall::TagLabel,
        portfolio::{image_url, PinnableTask, PortfolioItemView, PortfolioSummary},
    },
};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

/// Whose card shows a portfolio item's images: the owner always; anyone else only while the
/// owner's card is public.
const IMAGE_VISIBLE: &str = "(u.card_public OR u.id = $2)";

/// Every item of `developer`'s portfolio, in their order. Whether the card may be shown is the
/// caller's question (the resume card reads only public ones).
pub async fn items_of(pool: &PgPool, developer: Uuid) -> Result<Vec<PortfolioItemView>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        title: String,
        role: String,
        description: String,
        link: Option<String>,
        task_id: Option<Uuid>,
        slugs: Vec<String>,
        names_zh: Vec<String>,
        names_en: Vec<String>,
        images: Vec<Uuid>,
    }
    let tags = |column: &str| {
        format!(
            "ARRAY(SELECT s.{column} FROM portfolio_item_tags t JOIN skill_tags s ON s.id = t.tag_id
                   WHERE t.item_id = i.id ORDER BY s.slug)"
        )
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT i.id, i.title, i.role, i.description, i.link, i.task_id,
                {} AS slugs, {} AS names_zh, {} AS names_en,
                ARRAY(SELECT p.id FROM portfolio_images p WHERE p.item_id = i.id ORDER BY p.id) AS images
         FROM portfolio_items i WHERE i.developer_id = $1 ORDER BY i.position, i.id",
        tags("slug"),
        tags("name_zh"),
        tags("name_en"),
    ))
    .bind(developer)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| PortfolioItemView {
            id: row.id,
            description_html: crate::markdown::render(&row.description),
            title: row.title,
            role: row.role,
            description: row.description,
            link: row.link,
            task_id: row.task_id,
            tags: row
                .slugs
                .into_iter()
                .zip(row.names_zh)
                .zip(row.names_en)
                .map(|((slug, name_zh), name_en)| TagLabel { slug, name_zh, name_en })
                .collect(),
            images: row.images,
        })
        .collect())
}

/// `developer`'s finished tasks that are not in their portfolio yet, newest first.
pub async fn pinnable_tasks(pool: &PgPool, developer: Uuid) -> Result<Vec<PinnableTask>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(&format!(
        "SELECT t.id, t.title, china_text(done.at, 'YYYY-MM-DD')
         FROM tasks t {COMPLETED_AT}
         WHERE t.developer_id = $1 AND t.status = 'completed'
           AND NOT EXISTS (SELECT 1 FROM portfolio_items p WHERE p.task_id = t.id)
         ORDER BY done.at DESC LIMIT 50"
    ))
    .bind(developer)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, title, finished_on)| PinnableTask { id, title, finished_on }).collect())
}

#[derive(sqlx::FromRow)]
pub struct StoredImage {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// An item's image, if `viewer` may see it: while the owner's card is public, or to the owner.
/// Anyone else gets None, the same answer as for an image that does not exist.
pub async fn image(pool: &PgPool, id: Uuid, viewer: Option<Uuid>) -> Result<Option<StoredImage>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT p.content_type, p.bytes
         FROM portfolio_images p
         JOIN portfolio_items i ON i.id = p.item_id
         JOIN users u ON u.id = i.developer_id
         WHERE p.id = $1 AND {IMAGE_VISIBLE}"
    ))
    .bind(id)
    .bind(viewer)
    .fetch_optional(pool)
    .await
}

/// Up to two items of each developer's portfolio (their first two), with whether each is a
/// verified platform task and its first image: what a list of developers shows of their work.
/// Developers whose card is hidden have none here, as they have none on their card.
pub async fn portfolio_summary(
    conn: &mut PgConnection,
    developer_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<PortfolioSummary>>, sqlx::Error> {
    let rows: Vec<(Uuid, String, bool, Option<Uuid>)> = sqlx::query_as(
        "SELECT u.id, i.title, i.task_id IS NOT NULL,
                (SELECT p.id FROM portfolio_images p WHERE p.item_id = i.id ORDER BY p.id LIMIT 1)
         FROM users u
         CROSS JOIN LATERAL (SELECT * FROM portfolio_items i WHERE i.developer_id = u.id
                             ORDER BY i.position, i.id LIMIT 2) i
         WHERE u.id = ANY($1) AND u.card_public
         ORDER BY u.id, i.position, i.id",
    )
    .bind(developer_ids)
    .fetch_all(conn)
    .await?;
    let mut summaries: HashMap<Uuid, Vec<PortfolioSummary>> = HashMap::new();
    for (developer, title, verified, image) in rows {
        summaries.entry(developer).or_default().push(PortfolioSummary {
            title,
            verified,
            image_url: image.map(image_url),
        });
    }
    Ok(summaries)
}
