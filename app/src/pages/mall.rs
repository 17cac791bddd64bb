//! `/mall`, the points mall (积分商城): a developer's points to spend, the resume card themes
//! (bought once, then worn or taken off) and this month's draw tickets. Every form is a plain post
//! that comes back here; a purchase carries the key the page was rendered with.

use crate::{
    api::mall::{mall_page, BuyMallItemFn, ChooseCardThemeFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        style::{CARD, PRIMARY, SECONDARY},
    },
    domain::{
        mall::{MallItem, TICKETS_PER_MONTH},
        resume_card::CardTheme,
        validation::Field,
    },
    i18n::*,
    views::mall::{MallOffer, MallOverview},
};
use leptos::prelude::*;

pub fn theme_name(i18n: leptos_i18n::I18nContext<Locale>, theme: CardTheme) -> &'static str {
    match theme {
        CardTheme::Light => t_string!(i18n, theme_light),
        CardTheme::Dark => t_string!(i18n, theme_dark),
        CardTheme::Ink => t_string!(i18n, theme_ink),
        CardTheme::Aurora => t_string!(i18n, theme_aurora),
        CardTheme::Jade => t_string!(i18n, theme_jade),
    }
}

pub fn item_name(i18n: leptos_i18n::I18nContext<Locale>, item: MallItem) -> &'static str {
    match item {
        MallItem::Theme(theme) => theme_name(i18n, theme),
        MallItem::DrawTicket => t_string!(i18n, item_draw_ticket),
    }
}

#[component]
pub fn MallPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| mall_page());
    view! {
        <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, mall_title)}</h1>
        <p class="mt-1 mb-5 max-w-2xl text-sm text-slate-600">{t!(i18n, mall_subtitle)}</p>
        <Suspense fallback=|| view! { <div class="h-96 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Mall page /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Mall(page: MallOverview) -> impl IntoView {
    let i18n = use_i18n();
    let buy = ServerAction::<BuyMallItemFn>::new();
    let choose = ServerAction::<ChooseCardThemeFn>::new();
    let error = Signal::derive(move || {
        buy.value().get().and_then(Result::err).or_else(|| choose.value().get().and_then(Result::err))
    });
    let item_problem = Memo::new(move |_| {
        field_message(i18n, error.get().as_ref(), Field::Item)
            .or_else(|| field_message(i18n, error.get().as_ref(), Field::Theme))
    });
    let MallOverview { balance, earned, offers, theme: worn, tickets_this_month, handle, purchase_key, bought } = page;
    let key = purchase_key.to_string();
    let themes: Vec<(CardTheme, Option<MallOffer>)> = [CardTheme::Light, CardTheme::Dark]
        .into_iter()
        .map(|free| (free, None))
        .chain(offers.iter().filter_map(|offer| match offer.item {
            // A theme taken off sale is still shown to whoever owns it, to wear.
            MallItem::Theme(theme) if offer.on_sale || offer.owned => Some((theme, Some(offer.clone()))),
            _ => None,
        }))
        .collect();
    let ticket_price =
        offers.iter().find(|offer| offer.item == MallItem::DrawTicket && offer.on_sale).map(|offer| offer.price);
    view! {
        <div class="grid gap-5 lg:grid-cols-[16rem_1fr]">
            <aside class=format!("{CARD} h-fit space-y-2")>
                <div class="text-sm text-slate-500">{t!(i18n, mall_balance)}</div>
                <div class="text-4xl font-bold tabular-nums text-slate-900" data-testid="mall-balance">{balance}</div>
                <div class="text-xs text-slate-500">{move || t_string!(i18n, mall_earned, n = earned)}</div>
                <div class="flex flex-wrap gap-x-3 pt-2 text-sm">
                    <a href="/help/growth" class="text-blue-700 hover:underline">{t!(i18n, mall_how_to_earn)}</a>
                    <a href=format!("/u/{handle}") class="text-blue-700 hover:underline" data-testid="mall-card-link">{t!(i18n, mall_view_card)}</a>
                </div>
            </aside>
            <div class="space-y-5">
                {bought.map(|item| view! {
                    <p class="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status" data-testid="mall-bought">
                        {move || t_string!(i18n, mall_bought, item = item_name(i18n, item))}
                    </p>
                })}
                {move || item_problem.get().map(|text| view! {
                    <p role="alert" class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{text}</p>
                })}
                <FormAlert error />
                <section class=CARD>
                    <h2 class="font-semibold text-slate-900">{t!(i18n, mall_themes_title)}</h2>
                    <p class="mt-1 text-sm text-slate-500">{t!(i18n, mall_themes_hint)}</p>
                    <ul class="mt-4 grid grid-cols-2 gap-3 xl:grid-cols-3">
                        {themes
                            .into_iter()
                            .map(|(theme, offer)| {
                                let (background, accent) = theme.swatch();
                                let owned = offer.as_ref().is_none_or(|offer| offer.owned);
                                let price = offer.as_ref().map(|offer| offer.price);
                                let key = key.clone();
                                view! {
                                    <li class="rounded-xl border border-slate-200 p-3" data-testid=format!("theme-{}", theme.as_str())>
                                        <ThemeSwatch background accent />
                                        <div class="mt-3 flex items-center justify-between gap-2">
                                            <span class="font-medium text-slate-900">{move || theme_name(i18n, theme)}</span>
                                            <span class="text-xs text-slate-500">
                                                {move || match price {
                                                    None => t_string!(i18n, mall_free).to_string(),
                                                    Some(price) => t_string!(i18n, mall_price, n = price).to_string(),
                                                }}
                                            </span>
                                        </div>
                                        <div class="mt-3">
                                            {if theme == worn {
                                                view! { <span class="inline-flex rounded-full bg-blue-50 px-2.5 py-1 text-xs font-medium text-blue-700">{t!(i18n, mall_in_use)}</span> }.into_any()
                                            } else if owned {
                                                view! {
                                                    <ActionForm action=choose>
                                                        <input type="hidden" name="theme" value=theme.as_str() />
                                                        <button type="submit" class=format!("{SECONDARY} w-full")>{t!(i18n, mall_use_theme)}</button>
                                                    </ActionForm>
                                                }.into_any()
                                            } else {
                                                let price = price.unwrap_or_default();
                                                view! { <BuyButton action=buy item=MallItem::Theme(theme) key price balance /> }.into_any()
                                            }}
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
                {ticket_price.map(|price| view! {
                    <section class=format!("{CARD} flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between") data-testid="mall-tickets">
                        <div>
                            <h2 class="font-semibold text-slate-900">{t!(i18n, mall_tickets_title)}</h2>
                            <p class="mt-1 text-sm text-slate-500">{move || t_string!(i18n, mall_tickets_hint, max = TICKETS_PER_MONTH)}</p>
                            <p class="mt-1 text-xs text-slate-500" data-testid="mall-ticket-count">
                                {move || t_string!(i18n, mall_tickets_count, n = tickets_this_month, max = TICKETS_PER_MONTH)}
                            </p>
                        </div>
                        <div class="sm:w-48">
                            <BuyButton action=buy item=MallItem::DrawTicket key=key.clone() price balance />
                        </div>
                    </section>
                })}
            </div>
        </div>
    }
}

/// A small picture of the resume card in a theme's colours.
#[component]
fn ThemeSwatch(background: &'static str, accent: &'static str) -> impl IntoView {
    view! {
        <div class="h-20 rounded-lg border border-slate-200 p-3" style=format!("background-color: {background}") aria-hidden="true">
            <div class="h-2 w-16 rounded-full opacity-80" style=format!("background-color: {accent}")></div>
            <div class="mt-2 h-1.5 w-24 rounded-full bg-slate-400/40"></div>
            <div class="mt-3 h-1.5 rounded-full" style=format!("background-color: {accent}; width: 70%")></div>
        </div>
    }
}

/// "Buy · N points", or how many points are missing.
#[component]
fn BuyButton(
    action: ServerAction<BuyMallItemFn>,
    item: MallItem,
    key: String,
    price: i64,
    balance: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let short = price - balance;
    view! {
        <ActionForm action>
            <input type="hidden" name="item" value=item.slug() />
            <input type="hidden" name="key" value=key />
            <button type="submit" class=format!("{PRIMARY} w-full") disabled={short > 0} data-testid=format!("buy-{}", item.slug())>
                {move || t_string!(i18n, mall_buy, price = price)}
            </button>
            {(short > 0).then(|| view! { <p class="mt-1 text-center text-xs text-slate-500">{move || t_string!(i18n, mall_short, n = short)}</p> })}
        </ActionForm>
    }
}
