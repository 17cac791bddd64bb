//! `/credit`: the credit score explained for anyone (the formula and the restriction rule, from
//! `domain::credit`), and for a signed-in user their own score term by term and any restriction.

use crate::{
    api::reviews::my_credit,
    components::{errors::restriction_text, style::CARD},
    domain::credit::{Band, CreditScore},
    i18n::*,
    views::reviews::MyCredit,
};
use leptos::prelude::*;

pub fn band_label(i18n: leptos_i18n::I18nContext<Locale>, band: Band) -> &'static str {
    match band {
        Band::Excellent => t_string!(i18n, credit_band_excellent),
        Band::Good => t_string!(i18n, credit_band_good),
        Band::Fair => t_string!(i18n, credit_band_fair),
        Band::Poor => t_string!(i18n, credit_band_poor),
    }
}

/// "信用分 87 · 良好", coloured by band, linking to how it is computed.
#[component]
pub fn CreditBadge(score: CreditScore) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match score.band {
        Band::Excellent => "bg-emerald-50 text-emerald-700 ring-emerald-200",
        Band::Good => "bg-blue-50 text-blue-700 ring-blue-200",
        Band::Fair => "bg-slate-100 text-slate-700 ring-slate-200",
        Band::Poor => "bg-red-50 text-red-700 ring-red-200",
    };
    view! {
        <a
            href="/credit"
            class=format!("inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 {tone}")
            data-testid="credit-badge"
        >
            {move || t_string!(i18n, merchant_credit, score = score.score)}
            " · "
            {move || band_label(i18n, score.band)}
        </a>
    }
}

#[component]
pub fn CreditPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_credit());
    view! {
        <div class="max-w-3xl space-y-4">
            <div>
                <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, credit_title)}</h1>
                <p class="mt-1 text-sm text-slate-600">{t!(i18n, credit_subtitle)}</p>
            </div>
            <Suspense fallback=|| view! { <div class="h-40 animate-pulse rounded-xl bg-slate-100"></div> }>
                {move || Suspend::new(async move { mine.await.ok().map(|mine| view! { <MyScore mine /> }) })}
            </Suspense>
            <section class=CARD>
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, credit_formula_title)}</h2>
                <p class="mt-2 text-sm leading-relaxed text-slate-600" data-testid="credit-formula">{t!(i18n, credit_formula)}</p>
                <p class="mt-3 text-sm leading-relaxed text-slate-600">{t!(i18n, credit_restriction_rule)}</p>
            </section>
        </div>
    }
}

#[component]
fn MyScore(mine: MyCredit) -> impl IntoView {
    let i18n = use_i18n();
    let score = mine.score;
    let terms = score.terms;
    let rows: [(fn(leptos_i18n::I18nContext<Locale>) -> &'static str, i32); 6] = [
        (|i18n| t_string!(i18n, credit_term_reviews), terms.reviews),
        (|i18n| t_string!(i18n, credit_term_completion), terms.completion),
        (|i18n| t_string!(i18n, credit_term_response), terms.response),
        (|i18n| t_string!(i18n, credit_term_disputes), terms.disputes),
        (|i18n| t_string!(i18n, credit_term_cancellations), terms.cancellations),
        (|i18n| t_string!(i18n, credit_term_track_record), terms.track_record),
    ];
    let restriction = mine.restriction.zip(mine.restricted_until);
    view! {
        <section class=CARD data-testid="my-credit">
            <div class="flex items-end gap-3">
                <span class="text-4xl font-bold tabular-nums text-slate-900" data-testid="credit-score">{score.score}</span>
                <span class="pb-1 text-sm text-slate-500">"/ 100 · " {move || band_label(i18n, score.band)}</span>
            </div>
            <dl class="mt-4 grid grid-cols-2 gap-2 sm:grid-cols-3">
                <div class="rounded-lg bg-slate-50 px-3 py-2">
                    <dt class="text-xs text-slate-500">{t!(i18n, credit_term_base)}</dt>
                    <dd class="font-semibold tabular-nums text-slate-900">{crate::domain::credit::BASE}</dd>
                </div>
                {rows
                    .into_iter()
                    .map(|(label, value)| {
                        let tone = if value < 0 { "text-red-600" } else if value > 0 { "text-emerald-700" } else { "text-slate-900" };
                        view! {
                            <div class="rounded-lg bg-slate-50 px-3 py-2">
                                <dt class="text-xs text-slate-500">{move || label(i18n)}</dt>
                                <dd class=format!("font-semibold tabular-nums {tone}")>{format!("{value:+}")}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <div class="mt-4 text-sm">
                {match restriction {
                    Some((reason, until)) => view! {
                        <p class="rounded-lg bg-red-50 px-3 py-2 text-red-800" data-testid="restriction">
                            <span class="font-medium">{t!(i18n, credit_restricted_now)} "："</span>
                            {move || restriction_text(i18n, reason, &until)}
                        </p>
                    }
                    .into_any(),
                    None => view! { <p class="text-slate-500">{t!(i18n, credit_none)}</p> }.into_any(),
                }}
            </div>
        </section>
    }
}
