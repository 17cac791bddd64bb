//! `/u/{handle}`: the public resume card. Anyone may open it without an account; it renders fully
//! on the server (works with JS off), prints cleanly, and carries Open Graph / Twitter tags so a
//! shared link previews. The language follows the visitor, not the owner. Every finished task
//! links to its page on CodeLink, which confirms who did it for whom and when.

use crate::pages::portfolio::PortfolioShowcase;
use crate::{
    api::resume::resume,
    components::{
        errors::ErrorPanel,
        invite::InviteForMerchants,
        seo::{absolute_url, CopyButton, PageMeta},
        style::CARD,
        task_card::TagChip,
    },
    domain::{
        growth::{average_text, Level},
        resume_card::{CardTheme, CARD_PNG_SIZE},
    },
    i18n::*,
    pages::growth::{level_colors, SkillBars, SkillRadar},
    views::resume::{EarnedBadge, FinishedTask, ResumeCard},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{components::A, hooks::use_params_map};

#[component]
pub fn ResumePage() -> impl IntoView {
    let params = use_params_map();
    let handle = Memo::new(move |_| params.read().get("handle").unwrap_or_default());
    let card = Resource::new(move || handle.get(), resume);
    view! {
        <Transition fallback=|| view! { <div class="h-72 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match card.await {
                    Ok(card) => view! { <ResumeView card /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A rating as five stars, filled up to `n`.
pub fn stars(n: i16) -> String {
    (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect()
}

#[component]
fn ResumeView(card: ResumeCard) -> impl IntoView {
    let i18n = use_i18n();
    let ResumeCard {
        handle,
        name,
        headline,
        bio,
        level,
        xp,
        finished_tasks,
        average_rating_x100,
        rating_count,
        member_since,
        skills,
        badges,
        finished,
        recommendations,
        portfolio,
        theme,
    } = card;
    let (theme_background, theme_accent) = theme.swatch();
    let rating = average_rating_x100.map_or("—".to_string(), average_text);
    let initial = name.chars().next().map(String::from).unwrap_or_default();
    let card_image = format!("/u/{handle}/card.svg");
    // Plain strings, not closures over the language signal: leptos_axum reads the title after the
    // page's reactive owner may be gone, and a closure read then panics (a 500 under load).
    let locale = i18n.get_locale_untracked();
    let page = absolute_url(&format!("/u/{handle}"));
    let embed = EmbedSnippets::new(&page, &absolute_url(&card_image));
    // The preview in the reader's language: the English page previews the English card.
    let lang = if locale == Locale::en { "en" } else { "zh" };
    let preview = absolute_url(&format!("/u/{handle}/card.png?lang={lang}"));
    let structured = crate::domain::seo::profile_page(&crate::domain::seo::CardProfile {
        url: &page,
        name: &name,
        handle: &handle,
        headline: &headline,
        image: &preview,
    });
    let summary =
        td_string!(locale, resume_og_description, name = name.clone(), level = level.as_str(), tasks = finished_tasks)
            .to_string();
    let title = td_string!(locale, resume_title, name = name.clone()).to_string();
    let badge_count = badges.len();
    view! {
        <Title text=title.clone() />
        <PageMeta description=summary.clone() path=format!("/u/{handle}") structured=Some(structured) />
        <Meta property="og:type" content="profile" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:image" content=preview.clone() />
        <Meta property="og:image:type" content="image/png" />
        <Meta property="og:image:width" content=CARD_PNG_SIZE.0.to_string() />
        <Meta property="og:image:height" content=CARD_PNG_SIZE.1.to_string() />
        <Meta property="og:image:alt" content=title.clone() />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=summary />
        <Meta name="twitter:image" content=preview />
        <article class="mx-auto max-w-4xl space-y-5" data-testid="resume">
            <section class=format!("{CARD} relative flex flex-col gap-4 overflow-hidden pt-6 sm:flex-row sm:items-center sm:pt-6") data-theme=theme.as_str()>
                // The theme the owner chose in the points mall: a band in its colours and the
                // avatar in its accent (the page's text keeps its own contrast).
                <div class="absolute inset-x-0 top-0 h-2" style=format!("background: linear-gradient(90deg, {theme_background}, {theme_accent})") aria-hidden="true"></div>
                <div class="grid h-16 w-16 shrink-0 place-items-center rounded-full text-2xl font-bold text-white" style=format!("background-color: {}", if theme == CardTheme::Light { "#2563eb" } else { theme_accent }) aria-hidden="true">
                    {initial}
                </div>
                <div class="min-w-0 flex-1">
                    <div class="flex flex-wrap items-center gap-2">
                        <h1 class="text-2xl font-bold tracking-tight text-slate-900" data-testid="resume-name">{name.clone()}</h1>
                        <span class=format!("rounded-md px-2 py-0.5 text-sm font-bold {}", level_colors(level)) data-testid="resume-level">
                            {move || t_string!(i18n, resume_level, level = level.as_str())}
                        </span>
                    </div>
                    {(!headline.is_empty()).then(|| view! { <p class="mt-1 text-slate-600">{headline.clone()}</p> })}
                    <p class="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-500">
                        <span>{move || t_string!(i18n, resume_member_since, date = member_since.clone())}</span>
                        {(level != Level::C).then(|| view! {
                            <a href=format!("/u/{handle}/credentials/level/{}", level.as_str()) download="" class="text-blue-700 hover:underline print:hidden" data-testid="level-credential">
                                {t!(i18n, resume_level_credential)}
                            </a>
                        })}
                        <A href="/verify" attr:class="text-blue-700 hover:underline print:hidden">{t!(i18n, resume_check_credential)}</A>
                    </p>
                </div>
                <dl class="grid grid-cols-4 gap-3 text-center sm:gap-5">
                    <Figure label=Signal::derive(move || t_string!(i18n, resume_finished_tasks).to_string()) value=finished_tasks.to_string() testid="resume-finished" />
                    <Figure label=Signal::derive(move || t_string!(i18n, resume_rating, count = rating_count).to_string()) value=rating testid="resume-rating" />
                    <Figure label=Signal::derive(move || t_string!(i18n, resume_xp).to_string()) value=xp.to_string() testid="resume-xp" />
                    <Figure label=Signal::derive(move || t_string!(i18n, resume_badges).to_string()) value=badge_count.to_string() testid="resume-badges" />
                </dl>
            </section>
            {(!bio.is_empty()).then(|| view! { <p class=format!("{CARD} whitespace-pre-line text-sm leading-relaxed text-slate-700")>{bio}</p> })}
            <p class="rounded-lg bg-emerald-50 px-4 py-2 text-sm text-emerald-800">{t!(i18n, resume_verified_note)}</p>
            <InviteForMerchants handle=handle.clone() />
            <div class="grid gap-5 md:grid-cols-2">
                <section class=CARD>
                    <h2 class="font-semibold text-slate-900">{t!(i18n, resume_skills)}</h2>
                    {if skills.is_empty() {
                        view! { <p class="mt-3 text-sm text-slate-500">{t!(i18n, resume_no_skills)}</p> }.into_any()
                    } else {
                        view! {
                            <SkillRadar skills=skills.clone() />
                            <div class="mt-3"><SkillBars skills=skills.into_iter().take(8).collect() /></div>
                        }
                            .into_any()
                    }}
                </section>
                {(!recommendations.is_empty()).then(|| view! {
                    <section class=CARD data-testid="recommendations">
                        <h2 class="font-semibold text-slate-900">{t!(i18n, resume_recommendations)}</h2>
                        <ul class="mt-3 space-y-3">
                            {recommendations.into_iter().map(|letter| view! {
                                <li class="rounded-lg border border-amber-200 bg-amber-50/60 p-3" data-testid="recommendation">
                                    <p class="whitespace-pre-wrap text-sm text-slate-800">{letter.text}</p>
                                    <p class="mt-1.5 text-xs text-slate-500">
                                        {letter.mentor} " · " {letter.challenge} " · " {letter.date}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section class=CARD>
                    <h2 class="font-semibold text-slate-900">{t!(i18n, resume_badges)}</h2>
                    {if badges.is_empty() {
                        view! { <p class="mt-3 text-sm text-slate-500">{t!(i18n, resume_no_badges)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-3 grid gap-2 sm:grid-cols-2" data-testid="resume-badge-list">
                                {badges
                                    .into_iter()
                                    .map(|badge| view! { <BadgeItem badge handle=handle.clone() /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </section>
            </div>
            <PortfolioShowcase items=portfolio />
            <section class=CARD>
                <h2 class="font-semibold text-slate-900">{t!(i18n, resume_finished)}</h2>
                {if finished.is_empty() {
                    view! { <p class="mt-3 text-sm text-slate-500">{t!(i18n, resume_no_tasks)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-2 divide-y divide-slate-100" data-testid="resume-tasks">
                            {finished.into_iter().map(|task| view! { <FinishedItem task /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section class=format!("{CARD} print:hidden")>
                <h2 class="font-semibold text-slate-900">{t!(i18n, resume_embed)}</h2>
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, resume_embed_hint)}</p>
                <a href=page.clone()>
                    <img src=card_image.clone() alt="CodeLink" class="mt-3 max-w-full" width="495" height="195" loading="lazy" />
                </a>
                <Snippet label=t_string!(i18n, seo_embed_markdown).to_string() text=embed.markdown testid="embed-snippet" />
                <Snippet label=t_string!(i18n, seo_embed_html).to_string() text=embed.html testid="embed-html" />
            </section>
        </article>
    }
}

/// The card as a link to the page, for a README (Markdown) and for a web page (HTML); both absolute,
/// so they work wherever they are pasted. The HTML is escaped as an attribute would be.
struct EmbedSnippets {
    markdown: String,
    html: String,
}

impl EmbedSnippets {
    fn new(page: &str, image: &str) -> Self {
        let attr = crate::html_text::markup_escaped;
        EmbedSnippets {
            markdown: format!("[![CodeLink]({image})]({page})"),
            html: format!(
                "<a href=\"{}\"><img src=\"{}\" alt=\"CodeLink\" width=\"495\" height=\"195\"></a>",
                attr(page),
                attr(image)
            ),
        }
    }
}

/// One snippet to copy, its label and a copy button.
#[component]
fn Snippet(label: String, text: String, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="mt-3">
            <div class="flex items-center justify-between gap-2">
                <span class="text-xs font-medium text-slate-600">{label}</span>
                <CopyButton
                    text=text.clone()
                    label=t_string!(i18n, seo_copy).to_string()
                    done=t_string!(i18n, seo_copied).to_string()
                />
            </div>
            <code class="mt-1 block overflow-x-auto whitespace-nowrap rounded-lg bg-slate-900 px-3 py-2 text-xs text-slate-100" data-testid=testid>
                {text}
            </code>
        </div>
    }
}

#[component]
fn Figure(label: Signal<String>, value: String, testid: &'static str) -> impl IntoView {
    view! {
        <div>
            <dd class="text-xl font-bold tabular-nums text-slate-900" data-testid=testid>{value}</dd>
            <dt class="text-xs text-slate-500">{label}</dt>
        </div>
    }
}

#[component]
fn BadgeItem(badge: EarnedBadge, handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let EarnedBadge { slug, name_zh, name_en, description_zh, description_en, earned_at } = badge;
    let english = move || i18n.get_locale() == Locale::en;
    view! {
        <li class="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 p-3">
            <span class="grid h-9 w-9 shrink-0 place-items-center rounded-full bg-amber-400 text-white" aria-hidden="true">"★"</span>
            <div class="min-w-0">
                <p class="text-sm font-semibold text-slate-900">{move || if english() { name_en.clone() } else { name_zh.clone() }}</p>
                <p class="text-xs text-slate-600">{move || if english() { description_en.clone() } else { description_zh.clone() }}</p>
                <p class="mt-0.5 text-xs text-slate-500">{earned_at}</p>
                <p class="flex flex-wrap gap-x-3 text-xs print:hidden">
                    <A href=format!("/verify/badge/{handle}/{slug}") attr:class="inline-block py-1 text-emerald-700 hover:underline" attr:data-testid="verify-badge">
                        {t!(i18n, resume_verify_badge)}
                    </A>
                    <a href=format!("/u/{handle}/credentials/badge/{slug}") download="" class="inline-block py-1 text-blue-700 hover:underline">
                        {t!(i18n, resume_download_credential)}
                    </a>
                </p>
            </div>
        </li>
    }
}

#[component]
fn FinishedItem(task: FinishedTask) -> impl IntoView {
    let i18n = use_i18n();
    let FinishedTask { task_id, title, tags, merchant, merchant_page, stars: rated, comment, finished_at } = task;
    let label = move || match &merchant {
        Some(merchant) => t_string!(i18n, resume_for_merchant, merchant = merchant.clone()).to_string(),
        None => t_string!(i18n, resume_merchant_private).to_string(),
    };
    // The merchant who rated the work, linked to their public record (not under NDA).
    let merchant_link = match merchant_page {
        Some(href) => view! {
            <a href=href class="hover:text-blue-700 hover:underline" data-testid="resume-merchant">{label}</a>
        }
        .into_any(),
        None => view! { <span data-testid="resume-merchant">{label}</span> }.into_any(),
    };
    view! {
        <li class="py-3">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <A href=format!("/verify/task/{task_id}") attr:class="font-medium text-slate-900 hover:text-blue-700">{title}</A>
                <span class="text-xs text-slate-500">{finished_at}</span>
            </div>
            <div class="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
                // TagChip is a list item: its own list, or the parser would close the task's <li>.
                <ul class="flex flex-wrap gap-1.5">{tags.into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}</ul>
                {merchant_link}
            </div>
            {rated.map(|n| view! {
                <p class="mt-1 text-sm">
                    <span class="text-amber-500" aria-label=format!("{n}/5")>{stars(n)}</span>
                    {(!comment.is_empty()).then(|| view! { <span class="ml-2 text-slate-600">"“" {comment.clone()} "”"</span> })}
                </p>
            })}
            <A href=format!("/verify/task/{task_id}") attr:class="mt-1 inline-block text-xs text-emerald-700 hover:underline print:hidden" attr:data-testid="verify-task">
                {t!(i18n, resume_verify)}
            </A>
        </li>
    }
}
