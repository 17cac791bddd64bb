//! The portfolio as visitors see it on the resume card (`/u/{handle}`), and the small pieces the
//! owner's list shares with it: the thumbnails, the role and the verified mark.

use crate::{
    components::{style::CARD, task_card::TagChip},
    i18n::*,
    views::portfolio::{image_url, PortfolioItemView},
};
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

/// Markdown's own elements, styled inside a description (the site has no prose stylesheet).
const DESCRIPTION: &str = "mt-2 break-words text-sm leading-relaxed text-slate-700 [&_a]:text-blue-700 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_li]:mt-0.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:mt-1.5 [&_pre]:overflow-x-auto [&_ul]:list-disc [&_ul]:pl-5";

/// The card's portfolio section; nothing at all when the developer has no items.
#[component]
pub fn PortfolioShowcase(items: Vec<PortfolioItemView>) -> impl IntoView {
    let i18n = use_i18n();
    (!items.is_empty()).then(|| {
        view! {
            <section id="portfolio" class=CARD data-testid="resume-portfolio">
                <h2 class="font-semibold text-slate-900">{t!(i18n, portfolio_title)}</h2>
                <ul class="mt-3 grid gap-4 sm:grid-cols-2">
                    {items.into_iter().map(|item| view! { <ShowcaseItem item /> }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn ShowcaseItem(item: PortfolioItemView) -> impl IntoView {
    let i18n = use_i18n();
    let PortfolioItemView { title, role, description_html, link, task_id, tags, images, .. } = item;
    view! {
        <li class="min-w-0 rounded-lg border border-slate-200 p-3" data-testid="portfolio-card">
            <Thumbnails images title=title.clone() />
            <div class="mt-2 flex flex-wrap items-center gap-1.5">
                <h3 class="min-w-0 break-words font-semibold text-slate-900" data-testid="portfolio-card-title">{title}</h3>
                <RoleBadge role />
                {task_id.map(|task| view! { <VerifiedMark task /> })}
            </div>
            // Rendered by the markdown module on the server: cleaned, remote images made links.
            {(!description_html.is_empty()).then(|| view! { <div class=DESCRIPTION inner_html=description_html></div> })}
            {(!tags.is_empty()).then(|| view! {
                <ul class="mt-2 flex flex-wrap gap-1.5">{tags.into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}</ul>
            })}
            {link.map(|href| {
                let shown = href.clone();
                view! {
                <p class="mt-2 text-xs">
                    <a href=href target="_blank" rel="nofollow noopener noreferrer ugc" class="break-all text-blue-700 hover:underline" data-testid="portfolio-link">
                        {t!(i18n, portfolio_open_link)}
                        " "
                        <span class="text-slate-500">{shown}</span>
                    </a>
                </p>
                }
            })}
        </li>
    }
}

/// Up to three images as thumbnails, each opening the full image.
#[component]
pub fn Thumbnails(images: Vec<Uuid>, title: String) -> impl IntoView {
    let i18n = use_i18n();
    (!images.is_empty()).then(|| {
        view! {
            <div class="flex flex-wrap gap-2">
                {images
                    .into_iter()
                    .enumerate()
                    .map(|(n, id)| {
                        let title = title.clone();
                        view! {
                            <a href=image_url(id) target="_blank" rel="external noopener" class="block max-w-full">
                                <img
                                    src=image_url(id)
                                    alt=move || t_string!(i18n, portfolio_image_alt, title = title.clone(), n = n + 1).to_string()
                                    loading="lazy"
                                    class="h-20 w-28 max-w-full rounded-md border border-slate-200 bg-slate-50 object-cover"
                                    data-testid="portfolio-thumbnail"
                                />
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        }
    })
}

/// The developer's role in the work (独立开发, 后端负责人 …), when they gave one.
#[component]
pub fn RoleBadge(role: String) -> impl IntoView {
    (!role.is_empty()).then(|| {
        view! {
            <span class="whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600" data-testid="portfolio-role">
                {role}
            </span>
        }
    })
}

/// "平台验证": the item is a task finished on CodeLink, linking to the page that confirms it.
#[component]
pub fn VerifiedMark(task: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A
            href=format!("/verify/task/{task}")
            attr:class="inline-flex items-center gap-1 whitespace-nowrap rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200 hover:bg-emerald-100"
            attr:data-testid="portfolio-verified"
        >
            <span aria-hidden="true">"✓"</span>
            {t!(i18n, portfolio_verified)}
        </A>
    }
}
