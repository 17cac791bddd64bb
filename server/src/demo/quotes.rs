//! A quote (报价) in the demo: a developer without a record yet applies to 星辰科技's newest demo task
//! asking a fifth more and a week longer, with a note, so the merchant's applicant list shows a quote
//! itemised (what the developer receives, the commission, what the merchant pays) and choosing it
//! tops up the escrow. Driven through `lifecycle::apply_with_quote`, like any application; a reload
//! finds the application and adds nothing.

use super::{developer_email, generate_task};
use app::{
    db::lifecycle,
    domain::{money::Money, quotes::QuoteForm},
};
use sqlx::PgPool;
use uuid::Uuid;

/// dev15 (Tom Becker), who has no finished work in the demo history.
const QUOTING_DEVELOPER: usize = 14;

pub async fn load_quotes(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    let task = generate_task(0).id;
    let developer: Option<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(developer_email(QUOTING_DEVELOPER))
        .fetch_optional(pool)
        .await?;
    // The task as it stands: still open (a demo someone played with may have moved on), its reward,
    // and a week after its deadline.
    let terms: Option<(i64, String)> = sqlx::query_as(
        "SELECT reward_fen, to_char(china_date(deadline) + 7, 'YYYY-MM-DD') FROM tasks t
         WHERE id = $1 AND status = 'open'
           AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.task_id = t.id AND a.developer_id = $2)",
    )
    .bind(task)
    .bind(developer)
    .fetch_optional(pool)
    .await?;
    let (Some(developer), Some((reward_fen, deliver_by))) = (developer, terms) else {
        return Ok(());
    };
    // A fifth more, in whole yuan.
    let amount = Money::from_fen(reward_fen * 6 / 5 / 100 * 100);
    let quote = QuoteForm {
        amounts: vec![amount.plain_yuan()],
        deliver_by,
        note: "除点单外加上会员积分兑换，微信支付回调需要多一周联调；报价含上线部署和一个月的缺陷修复。".into(),
    };
    let pitch = "做过三个餐饮小程序，熟悉微信支付和订阅消息。";
    lifecycle::apply_with_quote(pool, developer, task, pitch, &quote)
        .await
        .map_err(|e| format!("demo quote: {e:?}"))?;
    Ok(())
}
