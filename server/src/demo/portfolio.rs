//! Portfolios for a few demo developers: each pins their latest finished task (so it carries the
//! verified mark and its verification link) and adds one or two pieces of outside work, some with
//! images. Made through the real `db::portfolio` functions after the demo's history, so the pinned
//! tasks are really theirs and finished; a developer who already has a portfolio is left alone,
//! so loading twice adds nothing.

use super::developer_email;
use app::{
    db::portfolio::{self, NewImage},
    domain::portfolio::{ImageKind, PortfolioForm},
};
use sqlx::PgPool;
use uuid::Uuid;

struct DemoItem {
    title: &'static str,
    role: &'static str,
    description: &'static str,
    link: &'static str,
    tags: &'static [&'static str],
    /// Each image a gradient between two colours.
    images: &'static [([u8; 3], [u8; 3])],
}

/// For the demo developer at each index (0 is dev01): what they say about their pinned task (role,
/// description), and their other items.
const PORTFOLIOS: [(usize, &str, &str, &[DemoItem]); 3] = [
    (
        0,
        "独立开发",
        "从需求梳理到上线一人完成，**验收一次通过**。",
        &[
            DemoItem {
                title: "社区团购小程序",
                role: "后端负责人",
                description:
                    "负责订单、库存与微信支付接口：\n\n- 高峰期每分钟 3000 单\n- 库存扣减用 PostgreSQL 行锁保证不超卖",
                link: "https://github.com/codelink-demo/group-buy",
                tags: &["miniprogram", "wechat", "postgresql"],
                images: &[([37, 99, 235], [16, 185, 129]), ([249, 115, 22], [234, 179, 8])],
            },
            DemoItem {
                title: "Rust 日志采集 Agent",
                role: "独立开发",
                description: "开源项目：用 Rust 写的轻量日志采集器，单核每秒处理 20 万行。",
                link: "https://github.com/codelink-demo/log-agent",
                tags: &["rust", "devops"],
                images: &[],
            },
        ],
    ),
    (
        1,
        "独立开发",
        "按时交付，附带自动化测试和交接文档。",
        &[DemoItem {
            title: "独立书店官网改版",
            role: "前端负责人",
            description: "Vue 3 重写官网，首屏加载从 4.2 秒降到 1.1 秒。",
            link: "https://example.cn/bookstore",
            tags: &["vue", "frontend", "ui-design"],
            images: &[([236, 72, 153], [139, 92, 246])],
        }],
    ),
    (
        10,
        "Sole developer",
        "Built end to end, with tests and a handover guide.",
        &[DemoItem {
            title: "Booking app for a bike rental shop",
            role: "Mobile lead",
            description: "A Flutter app for iOS and Android: bookings, reminders and a small admin panel.",
            link: "https://example.com/bike-rental",
            tags: &["flutter", "ios", "android"],
            images: &[([14, 165, 233], [34, 197, 94])],
        }],
    ),
];

pub async fn load_portfolios(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    for (index, pinned_role, pinned_description, items) in PORTFOLIOS {
        let developer: Option<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(developer_email(index))
            .fetch_optional(pool)
            .await?;
        let Some(developer) = developer else { continue };
        let started: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM portfolio_items WHERE developer_id = $1)")
            .bind(developer)
            .fetch_one(pool)
            .await?;
        if started {
            continue;
        }
        let latest: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM tasks WHERE developer_id = $1 AND status = 'completed' ORDER BY created_at DESC LIMIT 1",
        )
        .bind(developer)
        .fetch_optional(pool)
        .await?;
        if let Some(task) = latest {
            let item = portfolio::pin(pool, developer, task).await?;
            // Pinned with the task's title and tags; the developer adds their role and a word.
            let pinned = portfolio::items_of(pool, developer).await?.into_iter().find(|i| i.id == item);
            if let Some(pinned) = pinned {
                let form = PortfolioForm {
                    title: pinned.title,
                    role: pinned_role.into(),
                    description: pinned_description.into(),
                    link: String::new(),
                    tags: pinned.tags.into_iter().map(|tag| tag.slug).collect(),
                };
                save(pool, developer, Some(item), &form, &[([15, 118, 110], [20, 184, 166])]).await?;
            }
        }
        for demo in items {
            let form = PortfolioForm {
                title: demo.title.into(),
                role: demo.role.into(),
                description: demo.description.into(),
                link: demo.link.into(),
                tags: demo.tags.iter().map(|tag| tag.to_string()).collect(),
            };
            save(pool, developer, None, &form, demo.images).await?;
        }
    }
    Ok(())
}

async fn save(
    pool: &PgPool,
    developer: Uuid,
    item: Option<Uuid>,
    form: &PortfolioForm,
    images: &[([u8; 3], [u8; 3])],
) -> Result<(), Box<dyn std::error::Error>> {
    let entry = form.validate().map_err(|errors| format!("demo portfolio item {:?}: {errors:?}", form.title))?;
    let images: Vec<NewImage> = images
        .iter()
        .map(|(from, to)| NewImage { kind: ImageKind::Png, bytes: gradient_png(320, 200, *from, *to) })
        .collect();
    portfolio::save(pool, developer, item, &entry, &[], &images).await?;
    Ok(())
}

/// A diagonal gradient as an uncompressed PNG (stored deflate blocks): a real image the browser
/// shows, made without an image library.
fn gradient_png(width: u32, height: u32, from: [u8; 3], to: [u8; 3]) -> Vec<u8> {
    let span = (width + height).saturating_sub(2).max(1);
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0); // no filter
        for x in 0..width {
            let t = (x + y) * 255 / span;
            raw.extend((0..3).map(|c| ((from[c] as u32 * (255 - t) + to[c] as u32 * t) / 255) as u8));
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let mut blocks = raw.chunks(65_535).peekable();
    while let Some(block) = blocks.next() {
        zlib.push(u8::from(blocks.peek().is_none()));
        let length = block.len() as u16;
        zlib.extend(length.to_le_bytes());
        zlib.extend((!length).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend(adler32(&raw).to_be_bytes());
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", header), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        png.extend((data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend(&data);
        let crc = crc32(&png[start..]);
        png.extend(crc.to_be_bytes());
    }
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + byte as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::portfolio::check_image;

    #[test]
    fn demo_images_are_pngs_within_the_limit() {
        let png = gradient_png(320, 200, [0, 0, 0], [255, 255, 255]);
        assert_eq!(check_image(&png), Ok(ImageKind::Png));
        // Every PNG ends with the same IEND chunk, whose CRC is well known.
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]));
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn demo_items_are_valid() {
        for (_, _, _, items) in PORTFOLIOS {
            for item in items {
                let form = PortfolioForm {
                    title: item.title.into(),
                    role: item.role.into(),
                    description: item.description.into(),
                    link: item.link.into(),
                    tags: item.tags.iter().map(|t| t.to_string()).collect(),
                };
                assert!(form.validate().is_ok(), "{}", item.title);
                assert!(item.tags.iter().all(|t| super::super::SKILL_TAGS.iter().any(|(slug, ..)| slug == t)));
            }
        }
    }
}
