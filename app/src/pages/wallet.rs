//! The wallet: what is available, what is on its way out, every movement with what it was for, and
//! forms to top up (through the payment provider) and to withdraw. No fee is taken on either.

use crate::{
    api::wallet::{wallet, StartDepositFn, Wallet, WithdrawFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        status,
    },
    domain::validation::Field,
    i18n::*,
    pages::task::{CARD, INPUT, PRIMARY, SECONDARY},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn WalletPage() -> impl IntoView {
    let i18n = use_i18n();
    let deposit = ServerAction::<StartDepositFn>::new();
    let withdraw = ServerAction::<WithdrawFn>::new();
    let data = Resource::new(|| (), |_| wallet());
    view! {
        <h1 class="mb-5 text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, wallet_title)}</h1>
        <Transition fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(wallet) => view! { <WalletView wallet deposit withdraw /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WalletView(
    wallet: Wallet,
    deposit: ServerAction<StartDepositFn>,
    withdraw: ServerAction<WithdrawFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let deposit_error = Signal::derive(move || deposit.value().get().and_then(Result::err));
    let withdraw_error = Signal::derive(move || withdraw.value().get().and_then(Result::err));
    let withdraw_done = Signal::derive(move || matches!(withdraw.value().get(), Some(Ok(()))));
    let request_key = wallet.request_key.to_string();
    view! {
        <div class="grid gap-4 sm:grid-cols-2">
            <div class=CARD>
                <div class="text-sm text-slate-500">{t!(i18n, wallet_available)}</div>
                <div class="mt-1 text-3xl font-bold tabular-nums text-slate-900" data-testid="balance-available">
                    {wallet.available.display_yuan()}
                </div>
                <p class="mt-1 text-xs text-slate-500">{t!(i18n, wallet_available_hint)}</p>
                <A href="/membership" attr:class="mt-2 inline-block text-xs font-medium text-blue-700 hover:underline">
                    {t!(i18n, wallet_membership_link)}
                </A>
            </div>
            <div class=CARD>
                <div class="text-sm text-slate-500">{t!(i18n, wallet_withdrawing)}</div>
                <div class="mt-1 text-3xl font-bold tabular-nums text-slate-500" data-testid="balance-withdrawing">
                    {wallet.withdrawing.display_yuan()}
                </div>
                <p class="mt-1 text-xs text-slate-500">{t!(i18n, wallet_withdrawing_hint)}</p>
            </div>
        </div>
        <div class="mt-4 grid gap-4 sm:grid-cols-2">
            <ActionForm action=deposit attr:class=format!("{CARD} space-y-2") attr:novalidate=true>
                <label for="deposit-amount" class="block text-sm font-medium text-slate-700">{t!(i18n, wallet_top_up)}</label>
                <div class="flex gap-2">
                    <input id="deposit-amount" name="amount" inputmode="decimal" class=INPUT placeholder="¥" />
                    <button type="submit" class=format!("{PRIMARY} shrink-0 whitespace-nowrap") data-testid="top-up">{t!(i18n, action_top_up)}</button>
                </div>
                <p class="text-xs text-red-600">{move || field_message(i18n, deposit_error.get().as_ref(), Field::Amount)}</p>
                <p class="text-xs text-slate-500">{t!(i18n, wallet_top_up_hint)}</p>
            </ActionForm>
            <ActionForm action=withdraw attr:class=format!("{CARD} space-y-2") attr:novalidate=true>
                <label for="withdraw-amount" class="block text-sm font-medium text-slate-700">{t!(i18n, wallet_withdraw)}</label>
                <input type="hidden" name="key" value=request_key />
                <div class="flex gap-2">
                    <input id="withdraw-amount" name="amount" inputmode="decimal" class=INPUT placeholder="¥" />
                    <button type="submit" class=format!("{SECONDARY} shrink-0 whitespace-nowrap") data-testid="withdraw">{t!(i18n, action_withdraw)}</button>
                </div>
                <p class="text-xs text-red-600">{move || field_message(i18n, withdraw_error.get().as_ref(), Field::Amount)}</p>
                <FormAlert error=withdraw_error />
                {move || withdraw_done.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, wallet_withdraw_sent)}</p> })}
                <p class="text-xs text-slate-500">{t!(i18n, wallet_withdraw_hint)}</p>
            </ActionForm>
        </div>
        <section class=format!("{CARD} mt-4")>
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, wallet_history)}</h2>
            {if wallet.lines.is_empty() {
                view! { <p class="py-8 text-center text-sm text-slate-500">{t!(i18n, wallet_history_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 divide-y divide-slate-100" data-testid="wallet-history">
                        {wallet
                            .lines
                            .into_iter()
                            .map(|line| {
                                let kind = line.kind;
                                let positive = line.amount.fen() > 0;
                                let amount = if positive {
                                    format!("+{}", line.amount.display_yuan())
                                } else {
                                    line.amount.display_yuan()
                                };
                                let amount_class = if line.withdrawing {
                                    "tabular-nums text-slate-400"
                                } else if positive {
                                    "font-medium tabular-nums text-emerald-700"
                                } else {
                                    "font-medium tabular-nums text-slate-900"
                                };
                                view! {
                                    <li class="flex items-center justify-between gap-3 py-2.5 text-sm" data-testid="wallet-line">
                                        <div class="min-w-0">
                                            <div class="text-slate-800">
                                                {move || status::movement_kind(i18n, kind)}
                                                {line.withdrawing.then(|| view! { <span class="ml-1 text-xs text-slate-400">{t!(i18n, wallet_withdrawing)}</span> })}
                                            </div>
                                            <div class="truncate text-xs text-slate-500">
                                                {line.created_at.clone()}
                                                {line
                                                    .task_id
                                                    .map(|id| {
                                                        view! {
                                                            " · "
                                                            <A href=format!("/tasks/{id}") attr:class="text-blue-700 hover:underline">
                                                                {line.task_title.clone().unwrap_or_default()}
                                                            </A>
                                                        }
                                                    })}
                                            </div>
                                        </div>
                                        <span class=format!("shrink-0 whitespace-nowrap {amount_class}")>{amount}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <FormAlert error=deposit_error />
    }
}
