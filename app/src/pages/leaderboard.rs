//! `/leaderboard?period=week|month|all&skill=<slug>`: the public top 10, each with level, score and
//! skill portrait. Everything lives in the URL, so a board can be shared and renders without JS.

use crate::{
    api::leaderboard::leaderboard,
    components::{errors::ErrorPanel, style::CARD, task_card::TagChip, user_link::UserLink},
    domain::growth::Period,
    i18n::*,
    views::{
        hall::TagLabel,
        leaderboard::{BoardRow, Leaderboard},
    },
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let period = Memo::new(move |_| Period::parse(query.read().get("period").as_deref()));
    let skill = Memo::new(move |_| query.read().get("skill").filter(|s| !s.is_empty()));
    let board = Resource::new(
        move || (period.get(), skill.get()),
        |(period, skill)| leaderboard(period.as_str().to_string(), skill),
    );
    view! {
        <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, board_title)}</h1>
        <p class="mt-1 text-sm text-slate-500">{t!(i18n, board_subtitle)}</p>
        <Transition fallback=|| view! { <div class="mt-4 h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(board) => view! { <BoardView board /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn board_href(period: Period, skill: Option<&str>) -> String {
    match skill {
        Some(skill) => format!("/leaderboard?period={}&skill={skill}", period.as_str()),
        None => format!("/leaderboard?period={}", period.as_str()),
    }
}

fn tag_name(i18n: leptos_i18n::I18nContext<Locale>, tag: &TagLabel) -> String {
    match i18n.get_locale() {
        Locale::en => tag.name_en.clone(),
        Locale::zh_CN => tag.name_zh.clone(),
    }
}

#[component]
fn BoardView(board: Leaderboard) -> impl IntoView {
    let i18n = use_i18n();
    let Leaderboard { period, skill, rows, tags } = board;
    let slug = skill.as_ref().map(|s| s.slug.clone());
    let tab = "rounded-lg px-3 py-1.5 text-sm font-medium";
    view! {
        <div class="mt-4 flex flex-wrap items-center justify-between gap-3">
            <nav class="flex gap-1 rounded-xl bg-slate-100 p-1" data-testid="board-periods">
                {Period::ALL
                    .into_iter()
                    .map(|p| {
                        let class = if p == period {
                            format!("{tab} bg-white text-slate-900 shadow-sm")
                        } else {
                            format!("{tab} text-slate-600 hover:text-slate-900")
                        };
                        view! {
                            <A href=board_href(p, slug.as_deref()) attr:class=class>
                                {move || match p {
                                    Period::Week => t_string!(i18n, board_week),
                                    Period::Month => t_string!(i18n, board_month),
                                    Period::AllTime => t_string!(i18n, board_all_time),
                                }}
                            </A>
                        }
                    })
                    .collect_view()}
            </nav>
            <form method="get" action="/leaderboard" class="flex items-center gap-2">
                <input type="hidden" name="period" value=period.as_str() />
                <label class="text-sm text-slate-600" for="board-skill">{t!(i18n, board_skill)}</label>
                <select id="board-skill" name="skill" class="rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm">
                    <option value="" selected=skill.is_none()>{t!(i18n, board_overall)}</option>
                    {tags
                        .into_iter()
                        .map(|tag| {
                            let selected = Some(&tag.slug) == slug.as_ref();
                            let value = tag.slug.clone();
                            view! { <option value=value selected=selected>{move || tag_name(i18n, &tag)}</option> }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
                    {t!(i18n, board_show)}
                </button>
            </form>
        </div>
        <section class=format!("{CARD} mt-4")>
            {if rows.is_empty() {
                view! { <p class="py-10 text-center text-sm text-slate-500">{t!(i18n, board_empty)}</p> }.into_any()
            } else {
                let unit = if skill.is_some() { "pts" } else { "XP" };
                view! {
                    <ol class="divide-y divide-slate-100" data-testid="board">
                        {rows.into_iter().map(|row| view! { <BoardLine row unit /> }).collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn BoardLine(row: BoardRow, unit: &'static str) -> impl IntoView {
    let BoardRow { rank, name, page, level, score, top_skills, .. } = row;
    let medal = match rank {
        1 => "bg-amber-100 text-amber-700",
        2 => "bg-slate-200 text-slate-700",
        3 => "bg-orange-100 text-orange-700",
        _ => "bg-slate-50 text-slate-500",
    };
    view! {
        <li class="flex items-center gap-3 py-3" data-testid="board-row">
            <span class=format!("flex h-8 w-8 shrink-0 items-center justify-center rounded-full text-sm font-bold {medal}")>{rank}</span>
            <div class="min-w-0 flex-1">
                <div class="flex items-center gap-2">
                    <UserLink name page class="truncate font-medium text-slate-900" />
                    <span class="rounded bg-blue-50 px-1.5 text-xs font-semibold text-blue-700">{level.as_str()}</span>
                </div>
                <ul class="mt-1 flex flex-wrap gap-1">{top_skills.into_iter().map(|tag| view! { <TagChip tag /> }).collect_view()}</ul>
            </div>
            <span class="shrink-0 text-right font-semibold tabular-nums text-slate-900">
                {score}
                <span class="ml-1 text-xs font-normal text-slate-500">{unit}</span>
            </span>
        </li>
    }
}
