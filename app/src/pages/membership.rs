//! Memberships: the plans the viewer's role can buy, paid from the wallet, with every benefit and
//! the refund rule written next to the price. The free tier's promises are printed here too.

use crate::{
    api::membership::{membership_page, BuyMembershipFn, CancelMembershipFn, SetAutoRenewFn},
    components::{
        errors::{ErrorPanel, FormAlert},
        style::{CARD, PRIMARY, SECONDARY},
    },
    domain::membership::{price_of, Plan, MONTH_CHOICES},
    i18n::*,
    views::membership::{MembershipPage as PageData, PlanOffer},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MembershipPage() -> impl IntoView {
    let i18n = use_i18n();
    let buy = ServerAction::<BuyMembershipFn>::new();
    let cancel = ServerAction::<CancelMembershipFn>::new();
    let renew = ServerAction::<SetAutoRenewFn>::new();
    let data = Resource::new(|| (), |_| membership_page());
    view! {
        <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, membership_title)}</h1>
        <p class="mt-1 mb-5 text-sm text-slate-600">{t!(i18n, membership_subtitle)}</p>
        <Transition fallback=|| view! { <div class="h-64 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Plans page buy cancel renew /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Plans(
    page: PageData,
    buy: ServerAction<BuyMembershipFn>,
    cancel: ServerAction<CancelMembershipFn>,
    renew: ServerAction<SetAutoRenewFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let buy_error = Signal::derive(move || buy.value().get().and_then(Result::err));
    let cancel_error = Signal::derive(move || cancel.value().get().and_then(Result::err));
    let refunded = page.refunded;
    let key = page.purchase_key;
    view! {
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 text-sm">
            <span class="text-slate-600">
                {t!(i18n, wallet_available)} ": "
                <span class="font-semibold tabular-nums text-slate-900" data-testid="membership-balance">{page.balance.display_yuan()}</span>
            </span>
            <A href="/wallet" attr:class="font-medium text-blue-700 hover:underline">{t!(i18n, action_top_up)}</A>
        </div>
        <FormAlert error=buy_error />
        <FormAlert error=cancel_error />
        {refunded.map(|amount| view! {
            <p class="mb-4 rounded-lg bg-emerald-50 px-4 py-2 text-sm text-emerald-800" role="status" data-testid="membership-refunded">
                {t_string!(i18n, membership_refunded, amount = amount.display_yuan())}
            </p>
        })}
        <div class="grid gap-4 md:grid-cols-2">
            {page.offers.into_iter().map(|offer| view! { <PlanCard offer key buy cancel renew /> }).collect_view()}
        </div>
        <section class=format!("{CARD} mt-6 space-y-2 text-sm text-slate-600")>
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, membership_rules_title)}</h2>
            <p>{t!(i18n, membership_rule_stacking)}</p>
            <p>{t!(i18n, membership_rule_refund)}</p>
            <p>{t!(i18n, membership_rule_renewal)}</p>
            <p class="font-medium text-slate-800">{t!(i18n, membership_rule_free)}</p>
        </section>
    }
}

fn plan_name(i18n: leptos_i18n::I18nContext<Locale>, plan: Plan) -> &'static str {
    match plan {
        Plan::GrowthPass => t_string!(i18n, plan_growth_pass),
        Plan::Premium => t_string!(i18n, plan_premium),
        Plan::Enterprise => t_string!(i18n, plan_enterprise),
    }
}

#[component]
fn PlanCard(
    offer: PlanOffer,
    key: uuid::Uuid,
    buy: ServerAction<BuyMembershipFn>,
    cancel: ServerAction<CancelMembershipFn>,
    renew: ServerAction<SetAutoRenewFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let PlanOffer { terms, active_until, auto_renew, refund_now } = offer;
    let plan = terms.plan;
    let slug = plan.as_str();
    let benefits: Vec<String> = match plan {
        Plan::GrowthPass => vec![t_string!(i18n, benefit_advanced_challenges).to_string()],
        Plan::Premium => vec![
            t_string!(i18n, benefit_daily_applications, n = terms.daily_applications).to_string(),
            t_string!(i18n, benefit_highlight).to_string(),
        ],
        Plan::Enterprise => vec![
            t_string!(i18n, benefit_commission_discount, points = format!("{}", terms.commission_discount_bps / 100))
                .to_string(),
            t_string!(i18n, benefit_open_tasks, n = terms.open_tasks).to_string(),
        ],
    };
    let active = active_until.is_some();
    view! {
        <article
            class=if active {
                "flex flex-col rounded-xl border-2 border-blue-500 bg-white p-5 shadow-sm"
            } else {
                "flex flex-col rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
            }
            data-testid=format!("plan-{slug}")
        >
            <div class="flex items-baseline justify-between gap-3">
                <h2 class="text-lg font-semibold text-slate-900">{move || plan_name(i18n, plan)}</h2>
                <div class="text-right">
                    <span class="text-2xl font-bold tabular-nums text-orange-700">{terms.monthly_price.display_yuan()}</span>
                    <span class="text-sm text-slate-500">{t!(i18n, membership_per_month)}</span>
                </div>
            </div>
            <ul class="mt-3 space-y-1.5 text-sm text-slate-700">
                {benefits.into_iter().map(|line| view! { <li class="flex gap-2"><span class="text-emerald-600">"✓"</span>{line}</li> }).collect_view()}
            </ul>
            {active_until.map(|until| view! {
                <div class="mt-4 space-y-2 rounded-lg bg-blue-50 p-3 text-sm" data-testid="plan-active">
                    <p class="font-medium text-blue-900">{t_string!(i18n, membership_active_until, date = until)}</p>
                    <ActionForm action=renew attr:class="flex items-center justify-between gap-2">
                        <input type="hidden" name="plan" value=slug />
                        <input type="hidden" name="on" value=(!auto_renew).to_string() />
                        <span class="text-slate-600">
                            {move || if auto_renew { t_string!(i18n, membership_renew_on) } else { t_string!(i18n, membership_renew_off) }}
                        </span>
                        <button type="submit" class="text-xs font-medium text-blue-700 hover:underline">
                            {move || if auto_renew { t_string!(i18n, membership_renew_stop) } else { t_string!(i18n, membership_renew_start) }}
                        </button>
                    </ActionForm>
                    <ActionForm action=cancel attr:class="flex items-center justify-between gap-2">
                        <input type="hidden" name="plan" value=slug />
                        <span class="text-xs text-slate-500">{t_string!(i18n, membership_cancel_refund, amount = refund_now.display_yuan())}</span>
                        <button type="submit" class=format!("{SECONDARY} text-xs") data-testid="plan-cancel">{t!(i18n, membership_cancel)}</button>
                    </ActionForm>
                </div>
            })}
            <ActionForm action=buy attr:class="mt-4 space-y-3 border-t border-slate-100 pt-4">
                <input type="hidden" name="plan" value=slug />
                <input type="hidden" name="key" value=key.to_string() />
                <fieldset class="grid grid-cols-3 gap-2">
                    <legend class="sr-only">{t!(i18n, membership_months)}</legend>
                    {MONTH_CHOICES
                        .into_iter()
                        .map(|months| {
                            let price = price_of(terms.monthly_price, months);
                            view! {
                                <label class="cursor-pointer rounded-lg border border-slate-200 p-2 text-center text-sm has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50">
                                    <input type="radio" name="months" value=months.to_string() checked=months == 1 class="sr-only" />
                                    <span class="block font-medium text-slate-900">{move || t_string!(i18n, membership_months_n, n = months)}</span>
                                    <span class="block tabular-nums text-xs text-slate-500">{price.display_yuan()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="auto_renew" value="on" class="h-4 w-4 rounded border-slate-300" />
                    {t!(i18n, membership_auto_renew)}
                </label>
                <button type="submit" class=format!("{PRIMARY} w-full") data-testid="plan-buy">
                    {move || if active { t_string!(i18n, membership_extend) } else { t_string!(i18n, membership_buy) }}
                </button>
            </ActionForm>
        </article>
    }
}
