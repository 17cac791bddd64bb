//! `/developers` (找开发者): merchants search developers by words (Chinese, English or both), skill
//! tags, level, rating, availability and hourly rate. The search lives in the URL
//! (`domain::talent::TalentQuery`), so every view has an address, renders on the server and works
//! with JavaScript off: the filters are a plain GET form.

mod card;

pub use card::{availability_label, AvailabilityBadge, TalentResultCard};

use crate::{
    api::talent::talent_search,
    components::{
        errors::ErrorPanel,
        invite::InviteForMerchants,
        pager::Pager,
        style::{INPUT, PRIMARY},
        url_query::use_url_query,
    },
    domain::{
        growth::Level,
        talent::{AvailabilityStatus, TalentQuery},
        url_query::UrlQuery,
    },
    i18n::*,
    views::{profile::SkillChoice, talent::TalentPage},
};
use leptos::prelude::*;

#[component]
pub fn DevelopersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_url_query::<TalentQuery>();
    let found = Resource::new(move || query.get(), talent_search);
    view! {
        <section class="mb-5">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{t!(i18n, developers_title)}</h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, developers_subtitle)}</p>
        </section>
        <Transition fallback=Skeleton>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                match found.await {
                    Ok(page) => view! { <Results query page /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(query: TalentQuery, page: TalentPage) -> impl IntoView {
    let i18n = use_i18n();
    let TalentPage { results, page: number, pages, total, capped, terms, tags } = page;
    let pager_query = query.clone();
    let narrowed = query.is_narrowed();
    view! {
        <div class="grid gap-5 lg:grid-cols-[17rem_1fr]">
            <Filters query tags />
            <div class="min-w-0">
                <p class="mb-3 text-sm text-slate-600" data-testid="talent-count">
                    {move || if capped {
                        t_string!(i18n, developers_count_capped, count = total).to_string()
                    } else {
                        t_string!(i18n, developers_count, count = total).to_string()
                    }}
                </p>
                {if results.is_empty() {
                    view! { <Empty narrowed /> }.into_any()
                } else {
                    view! {
                        <div class="grid gap-3 xl:grid-cols-2" data-testid="talent-list">
                            {results
                                .into_iter()
                                .map(|result| {
                                    let handle = result.handle.clone();
                                    view! {
                                        <TalentResultCard result terms=terms.clone()>
                                            <InviteForMerchants handle collapsed=true />
                                        </TalentResultCard>
                                    }
                                })
                                .collect_view()}
                        </div>
                        <Pager
                            page=number
                            pages
                            href=Callback::new(move |page| format!("/developers?{}", pager_query.with_page(page).to_query_string()))
                        />
                    }
                        .into_any()
                }}
            </div>
        </div>
    }
}

/// The search box and filters: a plain GET form, so submitting writes them to the URL.
#[component]
fn Filters(query: TalentQuery, tags: Vec<SkillChoice>) -> impl IntoView {
    let i18n = use_i18n();
    let label = "block text-xs font-medium text-slate-500";
    let any = move || (String::new(), t_string!(i18n, filter_any).to_string());
    let select = move |name: &'static str, id: &'static str, options: Vec<(String, String)>, chosen: String| {
        view! {
            <select id=id name=name class=INPUT data-testid=format!("talent-{name}")>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let levels = std::iter::once(any())
        .chain([Level::B, Level::A, Level::S].into_iter().map(|level| {
            (level.as_str().to_string(), t_string!(i18n, filter_level_option, level = level.as_str()).to_string())
        }))
        .collect();
    let ratings = std::iter::once(any())
        .chain(
            ["3", "3.5", "4", "4.5"]
                .into_iter()
                .map(|rating| (rating.to_string(), t_string!(i18n, filter_rating_option, rating = rating).to_string())),
        )
        .collect();
    let availabilities = std::iter::once(any())
        .chain(
            AvailabilityStatus::ALL
                .into_iter()
                .map(|status| (status.as_str().to_string(), availability_label(i18n, status).to_string())),
        )
        .collect();
    let tag_match = vec![
        (String::new(), t_string!(i18n, filter_tag_match_any).to_string()),
        ("all".to_string(), t_string!(i18n, filter_tag_match_all).to_string()),
    ];
    let chosen_rating = query.rating_min_x10.map(crate::domain::talent::tenths_text).unwrap_or_default();
    let chosen_rate = query.rate_max_fen.map(|fen| (fen / 100).to_string()).unwrap_or_default();
    let chosen_tags = query.tags.clone();
    view! {
        <aside>
            <form method="get" action="/developers" class="space-y-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="talent-filters">
                <div class="flex gap-2">
                    <label for="talent-q" class="sr-only">{t!(i18n, action_search)}</label>
                    <input
                        id="talent-q"
                        type="search"
                        name="q"
                        value=query.q.clone()
                        maxlength="100"
                        class=INPUT
                        placeholder=t_string!(i18n, developers_search_placeholder)
                        data-testid="talent-search"
                    />
                    <button type="submit" class=format!("{PRIMARY} shrink-0 whitespace-nowrap") data-testid="talent-search-submit">
                        {t!(i18n, action_search)}
                    </button>
                </div>
                <fieldset>
                    <legend class=label>{t!(i18n, filter_tags)}</legend>
                    <div class="mt-2 flex max-h-48 flex-wrap gap-1.5 overflow-y-auto">
                        {tags
                            .into_iter()
                            .map(|tag| {
                                let checked = chosen_tags.contains(&tag.slug);
                                let name = match i18n.get_locale_untracked() {
                                    Locale::en => tag.name_en.clone(),
                                    Locale::zh_CN => tag.name_zh.clone(),
                                };
                                view! {
                                    <label class="inline-flex cursor-pointer items-center whitespace-nowrap rounded-full border border-slate-200 px-2 py-0.5 text-xs text-slate-700 has-[:checked]:border-blue-300 has-[:checked]:bg-blue-50 has-[:checked]:text-blue-700">
                                        <input type="checkbox" name="tag" value=tag.slug.clone() checked=checked class="sr-only" data-testid=format!("talent-tag-{}", tag.slug) />
                                        {name}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </div>
                    <div class="mt-2">
                        <label for="talent-match" class="sr-only">{t!(i18n, filter_tag_match)}</label>
                        {select("match", "talent-match", tag_match, if query.all_tags { "all".into() } else { String::new() })}
                    </div>
                </fieldset>
                <div class="grid grid-cols-2 gap-2">
                    <div>
                        <label for="talent-level" class=label>{t!(i18n, filter_level_min)}</label>
                        {select("level", "talent-level", levels, query.level_min.map(|l| l.as_str().to_string()).unwrap_or_default())}
                    </div>
                    <div>
                        <label for="talent-rating" class=label>{t!(i18n, filter_rating_min)}</label>
                        {select("rating", "talent-rating", ratings, chosen_rating)}
                    </div>
                    <div>
                        <label for="talent-avail" class=label>{t!(i18n, filter_availability)}</label>
                        {select("avail", "talent-avail", availabilities, query.availability.map(|a| a.as_str().to_string()).unwrap_or_default())}
                    </div>
                    <div>
                        <label for="talent-rate" class=label>{t!(i18n, filter_rate_max)}</label>
                        <input id="talent-rate" name="rate" inputmode="numeric" value=chosen_rate class=INPUT data-testid="talent-rate-max" />
                    </div>
                </div>
                <div class="flex items-center justify-between gap-2">
                    <a href="/developers" class="text-sm text-slate-500 hover:text-slate-800" data-testid="talent-clear">
                        {t!(i18n, action_clear_filters)}
                    </a>
                    <button type="submit" class=PRIMARY data-testid="talent-apply">{t!(i18n, action_apply_filters)}</button>
                </div>
            </form>
        </aside>
    }
}

#[component]
fn Empty(narrowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center" data-testid="talent-empty">
            <p class="text-base font-medium text-slate-700">{t!(i18n, developers_empty_title)}</p>
            {narrowed.then(|| view! {
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, developers_empty_hint)}</p>
                <a href="/developers" class="mt-4 inline-block text-sm font-medium text-blue-700 hover:underline">
                    {t!(i18n, action_clear_filters)}
                </a>
            })}
        </div>
    }
}

#[component]
fn Skeleton() -> impl IntoView {
    view! {
        <div class="grid gap-3 md:grid-cols-2" aria-busy="true">
            {(0..6)
                .map(|_| view! {
                    <div class="h-40 animate-pulse rounded-xl border border-slate-200 bg-white p-5">
                        <div class="h-4 w-1/2 rounded bg-slate-100"></div>
                        <div class="mt-4 h-3 w-2/3 rounded bg-slate-100"></div>
                        <div class="mt-6 h-3 w-1/3 rounded bg-slate-100"></div>
                    </div>
                })
                .collect_view()}
        </div>
    }
}
