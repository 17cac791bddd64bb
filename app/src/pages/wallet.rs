//! The wallet: what is available, what is on its way out, what is held in escrow, the statement
//! (资金流水) as a bank app shows it, and forms to top up (through the payment provider) and to
//! withdraw. No fee is taken on either.
//!
//! The statement is filtered and paged through the URL (`domain::statement::StatementQuery`): a GET
//! form for the filters and plain links for older and newer pages, so it works with JavaScript off.
//! Each line carries the balance after it and, for a payout, the reward, the commission and what
//! arrived. The same filters download as a CSV from `/wallet/statement.csv`.

use crate::{
    api::wallet::{wallet, StartDepositFn, WithdrawFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{label_text, LabelOver},
        status,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
        url_query::use_url_query,
    },
    domain::{
        money::Money,
        statement::{KindGroup, Seek, StatementQuery},
        url_query::UrlQuery,
        validation::{Field, Problem},
    },
    error::AppError,
    i18n::*,
    views::wallet::{Wallet, WalletLine},
};
use leptos::prelude::*;
use leptos_router::components::A;

/// Amounts never break across lines and line up in columns.
const AMOUNT: &str = "whitespace-nowrap tabular-nums";

#[component]
pub fn WalletPage() -> impl IntoView {
    let i18n = use_i18n();
    let deposit = ServerAction::<StartDepositFn>::new();
    let withdraw = ServerAction::<WithdrawFn>::new();
    let query = use_url_query::<StatementQuery>();
    // Bad dates are the filter's field errors: the balances and forms still show, with the
    // statement replaced by the errors under the date fields, and the page answers 422. (The first
    // call is refused by its validation before any read.)
    let data = Resource::new(
        move || query.get(),
        |query| async move {
            match wallet(query).await {
                Err(error @ AppError::Invalid { .. }) => {
                    wallet(StatementQuery::default()).await.map(|wallet| (wallet, Some(error)))
                }
                other => other.map(|wallet| (wallet, None)),
            }
        },
    );
    view! {
        <h1 class="mb-5 text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, wallet_title)}</h1>
        <Transition fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((wallet, filter_error)) => {
                        if let Some(error) = &filter_error {
                            crate::components::errors::answer_status_of(error);
                        }
                        let query = query.get_untracked();
                        view! { <WalletView wallet query filter_error deposit withdraw /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WalletView(
    wallet: Wallet,
    query: StatementQuery,
    filter_error: Option<AppError>,
    deposit: ServerAction<StartDepositFn>,
    withdraw: ServerAction<WithdrawFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let deposit_error = Signal::derive(move || deposit.value().get().and_then(Result::err));
    let withdraw_error = Signal::derive(move || withdraw.value().get().and_then(Result::err));
    let withdraw_done = Signal::derive(move || matches!(withdraw.value().get(), Some(Ok(()))));
    let request_key = wallet.request_key.to_string();
    let balance_class = "mt-1 text-2xl font-bold tabular-nums whitespace-nowrap sm:text-3xl";
    let card_grid =
        if wallet.shows_escrow { "grid gap-4 sm:grid-cols-2 lg:grid-cols-3" } else { "grid gap-4 sm:grid-cols-2" };
    view! {
        <div class=card_grid>
            <div class=CARD>
                <div class="text-sm text-slate-500">{t!(i18n, wallet_available)}</div>
                <div class=format!("{balance_class} text-slate-900") data-testid="balance-available">
                    {wallet.available.display_yuan()}
                </div>
                <p class="mt-1 text-xs text-slate-500">{t!(i18n, wallet_available_hint)}</p>
                <A href="/membership" attr:class="mt-2 inline-block text-xs font-medium text-blue-700 hover:underline">
                    {t!(i18n, wallet_membership_link)}
                </A>
            </div>
            <div class=CARD>
                <div class="text-sm text-slate-500">{t!(i18n, wallet_withdrawing)}</div>
                <div class=format!("{balance_class} text-slate-500") data-testid="balance-withdrawing">
                    {wallet.withdrawing.display_yuan()}
                </div>
                <p class="mt-1 text-xs text-slate-500">{t!(i18n, wallet_withdrawing_hint)}</p>
            </div>
            {wallet.shows_escrow.then(|| view! {
                <div class=CARD>
                    <div class="text-sm text-slate-500">{t!(i18n, wallet_in_escrow)}</div>
                    <div class=format!("{balance_class} text-amber-700") data-testid="balance-escrow">
                        {wallet.in_escrow.display_yuan()}
                    </div>
                    <p class="mt-1 text-xs text-slate-500">{t!(i18n, wallet_in_escrow_hint)}</p>
                </div>
            })}
        </div>
        <div class="mt-4 grid gap-4 sm:grid-cols-2">
            <ActionForm action=deposit attr:class=format!("{CARD} space-y-2") attr:novalidate=true>
                <LabelOver
                    label=label_text(|i| t_string!(i, wallet_top_up))
                    id="deposit-amount"
                    message=Signal::derive(move || field_message(i18n, deposit_error.get().as_ref(), Field::Amount))
                    class="space-y-2"
                >
                    <div class="flex gap-2">
                        <input id="deposit-amount" name="amount" inputmode="decimal" class=INPUT placeholder="¥" />
                        <button type="submit" class=format!("{PRIMARY} shrink-0 whitespace-nowrap") data-testid="top-up">{t!(i18n, action_top_up)}</button>
                    </div>
                </LabelOver>
                <p class="text-xs text-slate-500">{t!(i18n, wallet_top_up_hint)}</p>
            </ActionForm>
            <ActionForm action=withdraw attr:class=format!("{CARD} space-y-2") attr:novalidate=true>
                <input type="hidden" name="key" value=request_key />
                <LabelOver
                    label=label_text(|i| t_string!(i, wallet_withdraw))
                    id="withdraw-amount"
                    message=Signal::derive(move || field_message(i18n, withdraw_error.get().as_ref(), Field::Amount))
                    class="space-y-2"
                >
                    <div class="flex gap-2">
                        <input id="withdraw-amount" name="amount" inputmode="decimal" class=INPUT placeholder="¥" />
                        <button type="submit" class=format!("{SECONDARY} shrink-0 whitespace-nowrap") data-testid="withdraw">{t!(i18n, action_withdraw)}</button>
                    </div>
                </LabelOver>
                <FormAlert error=withdraw_error />
                {move || withdraw_done.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, wallet_withdraw_sent)}</p> })}
                <p class="text-xs text-slate-500">{t!(i18n, wallet_withdraw_hint)}</p>
            </ActionForm>
        </div>
        <Statement wallet query filter_error />
        <FormAlert error=deposit_error />
    }
}

/// The statement: filters, the lines with their running balance, paging and the CSV download.
#[component]
fn Statement(wallet: Wallet, query: StatementQuery, filter_error: Option<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = filter_error.is_some();
    // The file has every page under the same filters, in the reader's language.
    let filters = query.with_seek(Seek::Newest).to_query_string();
    let csv_href = move || {
        let lang = (i18n.get_locale() == Locale::en).then_some("lang=en");
        let params: Vec<&str> =
            [Some(filters.as_str()).filter(|f| !f.is_empty()), lang].into_iter().flatten().collect();
        if params.is_empty() {
            "/wallet/statement.csv".to_string()
        } else {
            format!("/wallet/statement.csv?{}", params.join("&"))
        }
    };
    let page_href = {
        let query = query.clone();
        move |seek: Seek| {
            let target = query.with_seek(seek).to_query_string();
            if target.is_empty() {
                "/wallet#statement".to_string()
            } else {
                format!("/wallet?{target}#statement")
            }
        }
    };
    let lines = if invalid { Vec::new() } else { wallet.lines };
    let empty = if invalid {
        Some(view! { <p class="py-8 text-center text-sm text-slate-500">{t!(i18n, wallet_filter_fix)}</p> }.into_any())
    } else if lines.is_empty() {
        let narrowed = query.has_filters();
        Some(
            view! {
                <p class="py-8 text-center text-sm text-slate-500" data-testid="wallet-history-empty">
                    {move || if narrowed { t_string!(i18n, wallet_history_no_match) } else { t_string!(i18n, wallet_history_empty) }}
                </p>
            }
                .into_any(),
        )
    } else {
        None
    };
    let pager = (!invalid && (wallet.older.is_some() || wallet.newer.is_some())).then(|| {
        let link = "rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50";
        view! {
            <nav class="mt-4 flex items-center justify-between gap-3" aria-label="pagination" data-testid="wallet-pager">
                {wallet.newer.map(|seek| view! {
                    <A href=page_href(seek) attr:class=link attr:rel="prev" attr:data-testid="wallet-newer">{t!(i18n, wallet_newer)}</A>
                })}
                <span></span>
                {wallet.older.map(|seek| view! {
                    <A href=page_href(seek) attr:class=link attr:rel="next" attr:data-testid="wallet-older">{t!(i18n, wallet_older)}</A>
                })}
            </nav>
        }
    });
    view! {
        <section id="statement" class=format!("{CARD} mt-4")>
            <div class="flex flex-wrap items-center justify-between gap-2">
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, wallet_history)}</h2>
                {(!invalid).then(|| view! {
                    <a href=csv_href download class="inline-flex items-center gap-1 whitespace-nowrap text-sm font-medium text-blue-700 hover:underline" data-testid="wallet-csv">
                        {t!(i18n, wallet_download_csv)}
                    </a>
                })}
            </div>
            <StatementFilters query=query.clone() error=filter_error />
            {empty}
            {(!lines.is_empty()).then(|| view! { <StatementTable lines /> })}
            {pager}
        </section>
    }
}

/// The filters: a GET form to this page, so applying them writes them to the URL (and starts again
/// at the newest line).
#[component]
fn StatementFilters(query: StatementQuery, error: Option<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let label = "block text-xs font-medium text-slate-500";
    let chosen = query.kind;
    let group_label = move |group: KindGroup| match group {
        KindGroup::Deposit => t_string!(i18n, wallet_group_deposit),
        KindGroup::Withdrawal => t_string!(i18n, wallet_group_withdrawal),
        KindGroup::Escrow => t_string!(i18n, wallet_group_escrow),
        KindGroup::Income => t_string!(i18n, wallet_group_income),
        KindGroup::Refund => t_string!(i18n, wallet_group_refund),
        KindGroup::Purchase => t_string!(i18n, wallet_group_purchase),
    };
    let from_error = field_message(i18n, error.as_ref(), Field::EffectiveFrom);
    // A reversed range is the end date's problem, said in the statement's own words.
    let to_error = error.as_ref().and_then(|error| {
        error.field_errors().iter().find(|e| e.field == Field::EndDate).map(|e| match e.problem {
            Problem::NotAllowed => t_string!(i18n, wallet_filter_range_reversed).to_string(),
            _ => field_message(i18n, Some(error), Field::EndDate).unwrap_or_default(),
        })
    });
    let invalid = |message: &Option<String>| message.is_some().then_some("true");
    view! {
        <form method="get" action="/wallet#statement" class="mt-3 grid grid-cols-2 gap-3 rounded-lg bg-slate-50 p-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start" data-testid="wallet-filters">
            <div class="col-span-2 sm:col-span-1">
                <label for="wallet-kind" class=label>{t!(i18n, wallet_filter_kind)}</label>
                <select id="wallet-kind" name="kind" class=format!("{INPUT} mt-1") data-testid="wallet-kind">
                    <option value="" selected=chosen.is_none()>{t!(i18n, filter_any)}</option>
                    {KindGroup::ALL
                        .into_iter()
                        .map(|group| view! {
                            <option value=group.as_str() selected=chosen == Some(group)>{move || group_label(group)}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="min-w-0">
                <label for="wallet-from" class=label>{t!(i18n, wallet_filter_from)}</label>
                <input id="wallet-from" type="date" name="from" value=query.from.clone() min="2000-01-01" max="2100-12-31"
                    class=format!("{INPUT} mt-1") aria-invalid=invalid(&from_error) aria-describedby=from_error.is_some().then_some("wallet-from-error") data-testid="wallet-from" />
                {from_error.clone().map(|message| view! { <p id="wallet-from-error" class="mt-1 text-xs text-red-600" role="alert">{message}</p> })}
            </div>
            <div class="min-w-0">
                <label for="wallet-to" class=label>{t!(i18n, wallet_filter_to)}</label>
                <input id="wallet-to" type="date" name="to" value=query.to.clone() min="2000-01-01" max="2100-12-31"
                    class=format!("{INPUT} mt-1") aria-invalid=invalid(&to_error) aria-describedby=to_error.is_some().then_some("wallet-to-error") data-testid="wallet-to" />
                {to_error.clone().map(|message| view! { <p id="wallet-to-error" class="mt-1 text-xs text-red-600" role="alert">{message}</p> })}
            </div>
            <div class="col-span-2 flex items-center justify-end gap-3 sm:col-span-1 sm:pt-5">
                {query.has_filters().then(|| view! {
                    <A href="/wallet#statement" attr:class="whitespace-nowrap text-sm text-slate-500 hover:text-slate-800" attr:data-testid="wallet-clear">
                        {t!(i18n, action_clear_filters)}
                    </A>
                })}
                <button type="submit" class=format!("{PRIMARY} whitespace-nowrap") data-testid="wallet-apply">{t!(i18n, action_apply_filters)}</button>
            </div>
            <p class="col-span-2 -mt-1 text-xs text-slate-500 sm:col-span-4">{t!(i18n, wallet_filter_china_time)}</p>
        </form>
    }
}

/// One table. On a phone each row is a two-column card (what and when | amount and balance after);
/// from `sm` up it is a plain table with a header.
#[component]
fn StatementTable(lines: Vec<WalletLine>) -> impl IntoView {
    let i18n = use_i18n();
    let head = "px-3 py-2 text-left text-xs font-medium text-slate-500";
    view! {
        <table class="mt-3 block w-full text-sm sm:table" data-testid="wallet-history">
            <thead class="hidden border-b border-slate-200 sm:table-header-group">
                <tr>
                    <th scope="col" class=format!("{head} w-36 pl-0")>{t!(i18n, wallet_col_time)}</th>
                    <th scope="col" class=head>{t!(i18n, wallet_col_detail)}</th>
                    <th scope="col" class=format!("{head} text-right")>{t!(i18n, wallet_col_amount)}</th>
                    <th scope="col" class=format!("{head} pr-0 text-right")>{t!(i18n, wallet_col_balance)}</th>
                </tr>
            </thead>
            <tbody class="block divide-y divide-slate-100 sm:table-row-group">
                {lines.into_iter().map(|line| view! { <StatementLine line /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn StatementLine(line: WalletLine) -> impl IntoView {
    let i18n = use_i18n();
    let kind = line.kind;
    // A withdrawal request or return only moves money between available and withdrawing: the
    // line shows that amount, greyed, with where it went.
    let moved = (line.amount.fen() == 0 && line.withdrawing.fen() != 0).then_some(line.withdrawing);
    let (amount_text, amount_class) = match moved {
        Some(moved) => (Money::from_fen(moved.fen().abs()).display_yuan(), "text-slate-500"),
        None if line.amount.fen() > 0 => (format!("+{}", line.amount.display_yuan()), "font-semibold text-emerald-700"),
        None => (line.amount.display_yuan(), "font-semibold text-slate-900"),
    };
    let moved_note = moved.map(|moved| {
        let shown = Money::from_fen(moved.fen().abs()).display_yuan();
        move || {
            if moved.fen() > 0 {
                t_string!(i18n, wallet_moved_to_withdrawing, amount = shown.clone()).to_string()
            } else {
                t_string!(i18n, wallet_moved_back, amount = shown.clone()).to_string()
            }
        }
    });
    let time = line.created_at.get(..16).unwrap_or(&line.created_at).to_string();
    let balance = line.balance.display_yuan();
    let balance_mobile = balance.clone();
    let cell = "sm:table-cell sm:px-3 sm:py-3 sm:align-top";
    view! {
        <tr class="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-0.5 py-3 sm:table-row sm:py-0" data-testid="wallet-line" data-movement=line.movement_id>
            <td class=format!("order-3 text-xs text-slate-500 {cell} sm:pl-0 sm:text-sm sm:whitespace-nowrap tabular-nums")>{time}</td>
            <td class=format!("order-1 min-w-0 {cell}")>
                <div class="font-medium text-slate-800">{move || status::movement_kind(i18n, kind)}</div>
                {line.task_id.map(|id| view! {
                    <A href=format!("/tasks/{id}") attr:class="block truncate text-xs text-blue-700 hover:underline sm:max-w-md">
                        {line.task_title.clone().unwrap_or_default()}
                    </A>
                })}
                {moved_note.map(|note| view! { <div class="text-xs text-slate-500">{note}</div> })}
                {line.payout.map(|payout| view! {
                    <dl class="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-500" data-testid="payout-items">
                        <div class="whitespace-nowrap">
                            <dt class="inline">{t!(i18n, wallet_payout_gross)}</dt>" "
                            <dd class=format!("inline {AMOUNT} text-slate-700")>{payout.gross.display_yuan()}</dd>
                        </div>
                        <div class="whitespace-nowrap">
                            <dt class="inline">{move || t_string!(i18n, wallet_payout_commission, rate = payout.rate_label())}</dt>" "
                            <dd class=format!("inline {AMOUNT} text-slate-700")>{format!("-{}", payout.commission.display_yuan())}</dd>
                        </div>
                        <div class="whitespace-nowrap">
                            <dt class="inline">{t!(i18n, wallet_payout_received)}</dt>" "
                            <dd class=format!("inline {AMOUNT} font-medium text-emerald-700")>{payout.received.display_yuan()}</dd>
                        </div>
                    </dl>
                })}
            </td>
            <td class=format!("order-2 text-right {AMOUNT} {amount_class} {cell}") data-testid="wallet-amount">{amount_text}</td>
            <td class=format!("order-4 text-right text-xs text-slate-500 {AMOUNT} {cell} sm:pr-0 sm:text-sm") data-testid="wallet-balance">
                <span class="sm:hidden">{move || t_string!(i18n, wallet_balance_after, amount = balance_mobile.clone()).to_string()}</span>
                <span class="hidden sm:inline">{balance}</span>
            </td>
        </tr>
    }
}
