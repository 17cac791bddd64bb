//! A developer's portfolio (作品集): its section on `/profile`, where the owner adds, pins, edits,
//! deletes and reorders items, and (`showcase`) the section of the resume card that shows them.
//! Every form is a plain post that comes back to `/profile#portfolio`, so it all works without
//! JavaScript; `?edit=<item>` opens one item's form in place of the form for a new one.

mod item_form;
mod showcase;

pub use showcase::PortfolioShowcase;

use crate::{
    api::portfolio::{my_portfolio, DeletePortfolioItemFn, MovePortfolioItemFn, PinTaskFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::FieldMessage,
        style::{CARD, INPUT, SECONDARY},
    },
    domain::{
        portfolio::{Direction, MAX_IMAGES, MAX_IMAGE_BYTES, MAX_ITEMS},
        validation::Field,
    },
    i18n::*,
    views::portfolio::{MyPortfolio, PinnableTask, PortfolioItemView},
};
use item_form::ItemForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use showcase::{RoleBadge, Thumbnails, VerifiedMark};
use uuid::Uuid;

/// The profile page's portfolio section (developers only).
#[component]
pub fn PortfolioSection() -> impl IntoView {
    let portfolio = Resource::new(|| (), |_| my_portfolio());
    let editing = use_query_map().read_untracked().get("edit").and_then(|id| Uuid::parse_str(&id).ok());
    view! {
        <section id="portfolio" class=format!("{CARD} mt-5 max-w-2xl space-y-4") data-testid="portfolio-section">
            <Suspense fallback=|| view! { <div class="h-40 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    match portfolio.await {
                        Ok(data) => view! { <PortfolioEditor data editing /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PortfolioEditor(data: MyPortfolio, editing: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let MyPortfolio { items, pinnable, tags } = data;
    let (count, full) = (items.len(), items.len() >= MAX_ITEMS);
    let edited = editing.and_then(|id| items.iter().find(|item| item.id == id).cloned());
    let delete = ServerAction::<DeletePortfolioItemFn>::new();
    let reorder = ServerAction::<MovePortfolioItemFn>::new();
    let last = count.saturating_sub(1);
    view! {
        <div class="flex flex-wrap items-baseline justify-between gap-2">
            <h2 class="font-semibold text-slate-900">{t!(i18n, portfolio_title)}</h2>
            <span class="whitespace-nowrap text-xs text-slate-500" data-testid="portfolio-count">{format!("{count} / {MAX_ITEMS}")}</span>
        </div>
        <p class="text-sm text-slate-500">
            {move || t_string!(i18n, portfolio_intro, max = MAX_ITEMS, images = MAX_IMAGES, size = MAX_IMAGE_BYTES / (1024 * 1024))}
        </p>
        <FormAlert error=Signal::derive(move || delete.value().get().and_then(Result::err)) />
        <FormAlert error=Signal::derive(move || reorder.value().get().and_then(Result::err)) />
        {if items.is_empty() {
            view! { <p class="text-sm text-slate-500" data-testid="portfolio-empty">{t!(i18n, portfolio_empty)}</p> }.into_any()
        } else {
            view! {
                <ol class="space-y-3" data-testid="portfolio-items">
                    {items
                        .into_iter()
                        .enumerate()
                        .map(|(n, item)| view! { <OwnItem item first={n == 0} last={n == last} delete reorder /> })
                        .collect_view()}
                </ol>
            }
                .into_any()
        }}
        {(!full && !pinnable.is_empty()).then(|| view! { <PinForm pinnable /> })}
        {full.then(|| view! {
            <p class="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800" data-testid="portfolio-full">
                {move || t_string!(i18n, portfolio_full, max = MAX_ITEMS)}
            </p>
        })}
        {match edited {
            Some(item) => view! { <ItemForm item=Some(item) tags /> }.into_any(),
            None if !full => view! { <ItemForm item=None tags /> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// One of the owner's items, with its buttons: up, down, edit, delete.
#[component]
fn OwnItem(
    item: PortfolioItemView,
    first: bool,
    last: bool,
    delete: ServerAction<DeletePortfolioItemFn>,
    reorder: ServerAction<MovePortfolioItemFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let PortfolioItemView { id, title, role, task_id, images, .. } = item;
    let small = "inline-flex items-center whitespace-nowrap rounded-md border border-slate-200 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-40";
    let move_button = move |direction: Direction, disabled: bool| {
        let (label, arrow) = match direction {
            Direction::Up => (t_string!(i18n, portfolio_move_up), "↑"),
            Direction::Down => (t_string!(i18n, portfolio_move_down), "↓"),
        };
        view! {
            <ActionForm action=reorder>
                <input type="hidden" name="item" value=id.to_string() />
                <input type="hidden" name="direction" value=direction.as_str() />
                <button type="submit" class=small disabled=disabled title=label aria-label=label data-testid=format!("portfolio-move-{}", direction.as_str())>
                    {arrow}
                </button>
            </ActionForm>
        }
    };
    view! {
        <li class="rounded-lg border border-slate-200 p-3" data-testid="portfolio-item">
            <div class="flex flex-wrap items-start justify-between gap-2">
                <div class="min-w-0 flex-1">
                    <p class="break-words font-medium text-slate-900" data-testid="portfolio-item-title">{title.clone()}</p>
                    <div class="mt-1 flex flex-wrap items-center gap-1.5">
                        <RoleBadge role />
                        {task_id.map(|task| view! { <VerifiedMark task /> })}
                    </div>
                </div>
                <div class="flex flex-wrap items-center gap-1.5">
                    {move_button(Direction::Up, first)}
                    {move_button(Direction::Down, last)}
                    <a href=format!("/profile?edit={id}#portfolio-form") class=small data-testid="portfolio-edit">{t!(i18n, portfolio_edit)}</a>
                    <ActionForm action=delete>
                        <input type="hidden" name="item" value=id.to_string() />
                        <button type="submit" class=format!("{small} text-red-700") data-testid="portfolio-delete">{t!(i18n, portfolio_delete)}</button>
                    </ActionForm>
                </div>
            </div>
            <div class="mt-2"><Thumbnails images title /></div>
        </li>
    }
}

/// Adds one of the developer's finished tasks, with the platform's verified mark.
#[component]
fn PinForm(pinnable: Vec<PinnableTask>) -> impl IntoView {
    let i18n = use_i18n();
    let pin = ServerAction::<PinTaskFn>::new();
    let error = Signal::derive(move || pin.value().get().and_then(Result::err));
    let message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::PinnedTask));
    view! {
        <ActionForm action=pin attr:class="space-y-2 rounded-lg bg-emerald-50/60 p-3" attr:data-testid="portfolio-pin-form">
            <label for="portfolio-pin" class="block text-sm font-medium text-slate-800">{t!(i18n, portfolio_pin_heading)}</label>
            <p class="text-xs text-slate-600">{t!(i18n, portfolio_pin_hint)}</p>
            <div class="flex flex-wrap gap-2">
                <select id="portfolio-pin" name="task" class=format!("{INPUT} min-w-0 flex-1")>
                    {pinnable
                        .into_iter()
                        .map(|task| view! { <option value=task.id.to_string()>{format!("{} · {}", task.title, task.finished_on)}</option> })
                        .collect_view()}
                </select>
                <button type="submit" class=format!("{SECONDARY} whitespace-nowrap") data-testid="portfolio-pin">{t!(i18n, portfolio_pin_action)}</button>
            </div>
            <FieldMessage message />
            <FormAlert error />
        </ActionForm>
    }
}
