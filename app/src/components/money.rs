//! Money on screen: the itemised split every party sees (reward, commission, what the developer
//! receives), so no fee is ever hidden.

use crate::{
    components::style::{BADGE, FIGURE},
    domain::fees::PayoutSplit,
    i18n::*,
};
use leptos::prelude::*;

#[component]
pub fn SplitBreakdown(#[prop(into)] split: Signal<PayoutSplit>) -> impl IntoView {
    let i18n = use_i18n();
    // A label too long for one line beside its figure wraps itself; the figure stays whole.
    let row = "flex items-center justify-between gap-x-4 py-1.5";
    view! {
        <dl class="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-slate-50 px-3 text-sm" data-testid="split">
            <div class=row>
                <dt class="text-slate-600">{t!(i18n, split_reward)}</dt>
                <dd class=format!("{FIGURE} font-medium text-slate-900") data-testid="split-reward">
                    {move || split.get().reward.display_yuan()}
                </dd>
            </div>
            <div class=row>
                <dt class="text-slate-600">
                    {move || t_string!(i18n, split_commission, rate = split.get().rate.percent_label())}
                </dt>
                <dd class=format!("{FIGURE} text-slate-700") data-testid="split-commission">
                    {move || format!("−{}", split.get().commission.display_yuan())}
                </dd>
            </div>
            <div class=row>
                <dt class="font-medium text-slate-700">{t!(i18n, split_developer_receives)}</dt>
                <dd class=format!("{FIGURE} font-semibold text-emerald-700") data-testid="split-developer">
                    {move || split.get().developer_receives.display_yuan()}
                </dd>
            </div>
        </dl>
    }
}

/// A small coloured label for a status.
#[component]
pub fn StatusBadge(#[prop(into)] label: Signal<String>, tone: Tone) -> impl IntoView {
    let class = match tone {
        Tone::Neutral => "bg-slate-100 text-slate-700",
        Tone::Info => "bg-blue-50 text-blue-700",
        Tone::Good => "bg-emerald-50 text-emerald-700",
        Tone::Warn => "bg-amber-50 text-amber-800",
        Tone::Bad => "bg-red-50 text-red-700",
    };
    view! {
        <span class=format!("{BADGE} {class}")>
            {move || label.get()}
        </span>
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Info,
    Good,
    Warn,
    Bad,
}
