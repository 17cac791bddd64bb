use super::labels::{rank_change, Labels, Trend};
use super::layout::Layout;
use super::sections::chart_axis;
use super::style::{regular, SLATE_600};
use super::text_layout::{truncate_to_width, wrap_lines};
use super::*;
use crate::i18n::Locale;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn fonts() -> &'static ReportFonts {
    static FONTS: OnceLock<ReportFonts> = OnceLock::new();
    FONTS.get_or_init(|| ReportFonts::load_system().expect("install fonts-noto-cjk"))
}

fn task(
    title: &str,
    day: u8,
    cents: i64,
    merchant: &str,
    stars: Option<u8>,
    comment: &str,
    skills: &[&str],
) -> ReportTask {
    ReportTask {
        title: title.to_owned(),
        finished_on: format!("2026-10-{day:02}"),
        payout_cents: cents,
        merchant: merchant.to_owned(),
        stars,
        comment: comment.to_owned(),
        skills: skills.iter().map(|skill| skill.to_string()).collect(),
    }
}

fn skill(name: &str, before: i64, after: i64) -> SkillGrowth {
    SkillGrowth { skill: name.to_owned(), before, after }
}

fn suggestion(skill: &str, open_tasks: i64, your_points: i64) -> Suggestion {
    Suggestion { skill: skill.to_owned(), open_tasks, your_points }
}

fn sample_zh() -> MonthlyReport {
    MonthlyReport {
        lang: Locale::zh_CN,
        developer_name: "陈思远".to_owned(),
        handle: "dev01".to_owned(),
        year: 2026,
        month: 10,
        level: "A".to_owned(),
        xp_total: 8_450,
        xp_gained: 1_240,
        earnings_cents: 1_286_050,
        average_rating_x100: Some(470),
        tasks: vec![
            task(
                "电商后台订单导出功能（支持 Excel 与 CSV）",
                3,
                280_000,
                "杭州云栈科技",
                Some(5),
                "交付比预期早两天，代码结构清晰，文档也写得很好。",
                &["Rust", "PostgreSQL"],
            ),
            task(
                "销售数据看板：按地区与渠道的月度分析",
                11,
                456_050,
                "上海数联信息",
                Some(5),
                "图表交互流畅，数据口径和我们对了三次都没有出错。",
                &["数据分析", "Vue", "ECharts"],
            ),
            task(
                "小程序登录与微信支付对接",
                19,
                320_000,
                "深圳青禾网络",
                Some(4),
                "整体不错，支付回调的边界情况后来补了测试。",
                &["TypeScript", "微信小程序"],
            ),
            task("修复 CSV 导入时的编码问题", 27, 230_000, "成都木石工作室", None, "", &["Python"]),
        ],
        skills: vec![
            skill("数据分析", 320, 510),
            skill("Rust", 480, 560),
            skill("Vue", 260, 340),
            skill("PostgreSQL", 300, 330),
            skill("TypeScript", 150, 240),
            skill("微信小程序", 0, 90),
        ],
        badges: vec!["准时交付达人".to_owned(), "五星好评 ×3".to_owned()],
        challenges: vec!["十月数据可视化挑战".to_owned()],
        rank_before: Some(12),
        rank_after: Some(7),
        ranked_developers: 128,
        suggestions: vec![suggestion("Go", 12, 0), suggestion("Kubernetes", 7, 30)],
    }
}

fn sample_en() -> MonthlyReport {
    MonthlyReport {
        lang: Locale::en,
        developer_name: "Chen Siyuan".to_owned(),
        earnings_cents: 966_050,
        average_rating_x100: Some(450),
        tasks: vec![
            task(
                "Order export for the shop admin (Excel and CSV)",
                3,
                280_000,
                "Yunzhan Tech",
                Some(5),
                "Delivered two days early with clean, well documented code.",
                &["Rust", "PostgreSQL"],
            ),
            task(
                "Sales dashboard by region and channel",
                11,
                456_050,
                "Shulian Data",
                Some(4),
                "Smooth interactions; the numbers matched ours on every check.",
                &["Data analysis", "Vue"],
            ),
            task("Fix encoding in the CSV import", 27, 230_000, "Mushi Studio", None, "", &["Python"]),
        ],
        skills: vec![
            skill("Data analysis", 320, 510),
            skill("Rust", 480, 560),
            skill("Vue", 260, 340),
            skill("PostgreSQL", 300, 330),
            skill("TypeScript", 150, 240),
            skill("Mini programs", 0, 90),
        ],
        badges: vec!["On-time streak".to_owned(), "Three five-star reviews".to_owned()],
        challenges: vec!["October data-viz challenge".to_owned()],
        suggestions: vec![suggestion("Go", 12, 0), suggestion("Kubernetes", 1, 30)],
        ..sample_zh()
    }
}

fn empty_month() -> MonthlyReport {
    MonthlyReport {
        average_rating_x100: None,
        xp_gained: 0,
        earnings_cents: 0,
        tasks: Vec::new(),
        skills: Vec::new(),
        badges: Vec::new(),
        challenges: Vec::new(),
        rank_before: None,
        rank_after: None,
        suggestions: Vec::new(),
        ..sample_zh()
    }
}

/// Renders, checks the basics and writes the PDF to a temporary file for poppler.
fn render_to_file(report: &MonthlyReport, name: &str) -> PathBuf {
    let pdf = render_report_pdf(report, fonts()).expect("report renders");
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.len() < 1_000_000, "{name}: {} bytes", pdf.len());
    let path = std::env::temp_dir().join(format!("report-pdf-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("temp file is writable");
    path
}

fn poppler(tool: &str, args: &[&str], pdf: &PathBuf) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|error| panic!("cannot run {tool} ({error}); install the Debian package poppler-utils"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("poppler prints UTF-8")
}

fn extracted_text(pdf: &PathBuf) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

fn page_count(pdf: &PathBuf) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs (poppler-utils)");
    let info = String::from_utf8_lossy(&output.stdout);
    let pages = info.lines().find_map(|line| line.strip_prefix("Pages:")).expect("pdfinfo prints Pages:");
    pages.trim().parse().expect("page count is a number")
}

#[test]
fn chinese_sample_is_one_page_with_extractable_text() {
    let pdf = render_to_file(&sample_zh(), "zh");
    let text = extracted_text(&pdf);
    for expected in [
        "陈思远",
        "数据分析",
        "2026年10月",
        "成长月报",
        "本月完成任务",
        "¥12,860.50",
        "codelink /u/dev01",
        "#12 → #7",
        "↑5",
        "大厅里有 12 个需要 Go 的开放任务，你的 Go 积分是 0",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(page_count(&pdf), 1);
    std::fs::remove_file(pdf).ok();
}

#[test]
fn english_sample_is_localised() {
    let pdf = render_to_file(&sample_en(), "en");
    let text = extracted_text(&pdf);
    for expected in [
        "Chen Siyuan",
        "Monthly growth report",
        "October 2026",
        "Tasks finished",
        "Skill growth",
        "Data analysis",
        "12 open tasks in the hall need Go",
        "1 open task in the hall needs Kubernetes",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("成长月报"));
    assert_eq!(page_count(&pdf), 1);
    std::fs::remove_file(pdf).ok();
}

#[test]
fn empty_month_is_one_page_of_empty_states() {
    let pdf = render_to_file(&empty_month(), "empty");
    let text = extracted_text(&pdf);
    for expected in ["本月没有完成的任务", "还没有技能积分记录", "本月没有获得徽章或完成挑战", "暂无评分", "未上榜"]
    {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(page_count(&pdf), 1);
    std::fs::remove_file(pdf).ok();
}

#[test]
fn forty_tasks_flow_onto_further_pages_with_footers() {
    let long_comment = "沟通顺畅，交付质量很高，".repeat(40);
    let long_title = format!("{}{}", "Refactor the payment reconciliation service ".repeat(8), "超长标题".repeat(30));
    let mut report = sample_zh();
    report.tasks = (0..40)
        .map(|index| {
            let (title, comment) = if index % 10 == 0 {
                (long_title.as_str(), long_comment.as_str())
            } else {
                ("接口性能优化", "不错")
            };
            task(title, 1 + index % 28, 50_000, "杭州云栈科技", Some(5), comment, &["Rust"])
        })
        .collect();
    let pdf = render_to_file(&report, "forty");
    let pages = page_count(&pdf);
    assert!(pages >= 2, "{pages} pages");
    let text = extracted_text(&pdf);
    assert!(text.contains(&format!("第 2 页，共 {pages} 页")), "{text}");
    assert!(text.contains("CodeLink · dev01 · 2026-10"));
    std::fs::remove_file(pdf).ok();
}

#[test]
fn wrapped_text_stays_inside_the_column() {
    let layout = Layout::new(fonts(), String::new());
    let style = regular(9.0, SLATE_600);
    let text = format!("{}{}", "数据分析".repeat(100), " supercalifragilisticexpialidocious".repeat(10));
    let lines = layout.wrap(&text, 200.0, style);
    assert!(lines.len() > 5);
    assert!(lines.iter().all(|line| layout.width(line, style) <= 200.0), "{lines:?}");
    assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
}

/// Every character is one unit wide, so a width of N fits N characters.
fn wrap_monospace(text: &str, width: usize) -> Vec<String> {
    wrap_lines(text, width as f32, |_| 1.0)
}

#[test]
fn cjk_breaks_between_any_characters() {
    assert_eq!(wrap_monospace("数据分析与可视化报告", 4), ["数据分析", "与可视化", "报告"]);
}

#[test]
fn cjk_keeps_closing_punctuation_off_the_start_of_a_line() {
    assert_eq!(wrap_monospace("交付很快。文档清楚", 4), ["交付很", "快。文档", "清楚"]);
}

#[test]
fn latin_breaks_at_spaces() {
    assert_eq!(wrap_monospace("clean code  and fast delivery", 10), ["clean code", "and fast", "delivery"]);
}

#[test]
fn over_long_latin_word_is_hard_broken() {
    assert_eq!(wrap_monospace("see abcdefghijklmnop now", 6), ["see", "abcdef", "ghijkl", "mnop", "now"]);
}

#[test]
fn mixed_text_breaks_between_cjk_and_latin() {
    assert_eq!(wrap_monospace("使用Rust重写", 5), ["使用", "Rust重", "写"]);
}

#[test]
fn newlines_force_breaks() {
    assert_eq!(wrap_monospace("第一行\n第二行", 10), ["第一行", "第二行"]);
}

#[test]
fn truncation_adds_an_ellipsis() {
    assert_eq!(truncate_to_width("PostgreSQL", 10.0, |_| 1.0), "PostgreSQL");
    assert_eq!(truncate_to_width("Kubernetes operators", 8.0, |_| 1.0), "Kuberne…");
}

#[test]
fn rank_change_reads_naturally() {
    let (zh, en) = (&Labels::new(Locale::zh_CN), &Labels::new(Locale::en));
    assert_eq!(rank_change(zh, Some(12), Some(7)), ("#12 → #7".to_owned(), Some(("↑5".to_owned(), Trend::Up))));
    assert_eq!(rank_change(en, Some(7), Some(9)), ("#7 → #9".to_owned(), Some(("↓2".to_owned(), Trend::Down))));
    assert_eq!(rank_change(zh, None, None), ("未上榜".to_owned(), None));
    assert_eq!(rank_change(en, None, Some(40)).0, "unranked → #40");
}

#[test]
fn chart_axis_is_round_and_covers_the_largest_value() {
    assert_eq!(chart_axis(560), (100, 6));
    assert_eq!(chart_axis(1_240), (250, 5));
    assert_eq!(chart_axis(0), (1, 3));
}

#[test]
fn fonts_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ReportFonts>();
}
