use super::AdminShell;
use crate::{
    api::{
        admin::{
            admin_badges, commission_schedule, growth_rules_editor, CreateBadgeFn, SaveGrowthRulesFn,
            SetCommissionRateFn,
        },
        console::{admin_challenges, CreateChallengeFn, SetChallengeActiveFn},
        reports::{report_export, StartReportExportFn, REPORT_EXPORT_STARTED},
        trust::{LiftRestrictionFn, ResolveFlagFn},
    },
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        live::RefreshWhileRunning,
        style::{CARD, DANGER, INPUT, PRIMARY, SECONDARY},
        task_card::category_label,
    },
    domain::{
        badges::{BadgeRule, RULE_KINDS},
        growth::Level,
        task::Category,
        validation::Field,
    },
    error::AppError,
    i18n::*,
    views::{
        admin::{AdminBadge, CommissionSchedule, GrowthRulesEditor as GrowthRulesEditorData},
        trust::TrustOverview,
    },
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Growth configuration: level thresholds and weights (with a preview), challenges, badges. Each
/// form posts and the page is rendered again, so its three lists are read once per render.
#[component]
pub fn GrowthConfigPage() -> impl IntoView {
    let i18n = use_i18n();
    let create_challenge = ServerAction::<CreateChallengeFn>::new();
    let toggle_challenge = ServerAction::<SetChallengeActiveFn>::new();
    let create_badge = ServerAction::<CreateBadgeFn>::new();
    let config = Resource::new(
        || (),
        |_| async {
            Ok::<_, AppError>((growth_rules_editor().await?, admin_challenges().await?, admin_badges().await?))
        },
    );
    view! {
        <AdminShell active="growth">
            <Transition fallback=|| view! { <div class="h-96 animate-pulse rounded-xl bg-slate-100"></div> }>
                {move || Suspend::new(async move {
                    match config.await {
                        Ok((editor, challenges, badges)) => view! {
                            <section class=CARD data-testid="admin-growth-rules">
                                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_growth_rules_title)}</h2>
                                <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_growth_rules_hint)}</p>
                                <GrowthRulesEditor editor />
                            </section>
                            <super::console::ChallengesSection list=challenges create=create_challenge toggle=toggle_challenge />
                            <BadgesSection badges create=create_badge />
                            <MallPrices />
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

/// The points mall's catalogue: each item's price in growth points and whether it is on sale.
#[component]
fn MallPrices() -> impl IntoView {
    use crate::{
        api::mall::{admin_mall_prices, SetMallPriceFn},
        pages::mall::item_name,
    };
    let i18n = use_i18n();
    let set = ServerAction::<SetMallPriceFn>::new();
    let catalogue = Resource::new(|| (), |_| admin_mall_prices());
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let price_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Points));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-mall">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_mall_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_mall_hint)}</p>
            <FormAlert error />
            <p class="text-xs text-red-600">{move || price_message.get()}</p>
            <Transition fallback=|| view! { <div class="mt-3 h-32 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    catalogue.await.ok().map(|items| view! {
                        <div class="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                            {items.into_iter().map(|(item, terms)| view! {
                                <ActionForm action=set attr:class="space-y-2 rounded-lg border border-slate-200 p-3" attr:novalidate=true attr:data-testid=format!("mall-price-{}", item.slug())>
                                    <h3 class="text-sm font-semibold text-slate-900">{move || item_name(i18n, item)}</h3>
                                    <input type="hidden" name="item" value=item.slug() />
                                    <label class="block text-xs text-slate-600">
                                        {t!(i18n, admin_mall_price)}
                                        <input name="price" inputmode="numeric" value=terms.price.to_string() class=format!("{INPUT} mt-1") />
                                    </label>
                                    <label class="flex items-center gap-2 text-xs text-slate-600">
                                        <input type="checkbox" name="on_sale" value="true" checked=terms.on_sale class="h-4 w-4 rounded border-slate-300" />
                                        {t!(i18n, admin_mall_on_sale)}
                                    </label>
                                    <label class="block text-xs text-slate-600">
                                        {t!(i18n, admin_change_reason)}
                                        <input name="reason" class=format!("{INPUT} mt-1") />
                                    </label>
                                    <button type="submit" class=format!("{SECONDARY} w-full")>{t!(i18n, admin_mall_save)}</button>
                                </ActionForm>
                            }).collect_view()}
                        </div>
                    })
                })}
            </Transition>
        </section>
    }
}

/// Money settings and accounting: commission per category, CSV exports, growth-report ZIPs.
#[component]
pub fn MoneyPage() -> impl IntoView {
    view! {
        <AdminShell active="money">
            <CommissionSection />
            <super::reconciliation::ReconciliationSection />
            <PlanPrices />
            <super::console::CsvExportSection />
            <ReportExportSection />
        </AdminShell>
    }
}

/// Membership prices and benefit numbers, one form per plan. Periods already bought keep their price.
#[component]
fn PlanPrices() -> impl IntoView {
    use crate::{
        api::membership::{admin_plans, SavePlanFn},
        domain::membership::Plan,
    };
    let i18n = use_i18n();
    let save = ServerAction::<SavePlanFn>::new();
    let plans = Resource::new(|| (), |_| admin_plans());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(()))));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="plan-prices">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_plans_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_plans_hint)}</p>
            <FormAlert error />
            {move || saved.get().then(|| view! { <p class="mt-2 text-xs text-emerald-700" role="status">{t!(i18n, admin_saved)}</p> })}
            <Transition fallback=|| view! { <div class="mt-3 h-40 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    plans.await.ok().map(|plans| view! {
                        <div class="mt-3 grid gap-4 lg:grid-cols-3">
                            {plans.into_iter().map(|terms| {
                                let name = move || match terms.plan {
                                    Plan::GrowthPass => t_string!(i18n, plan_growth_pass),
                                    Plan::Premium => t_string!(i18n, plan_premium),
                                    Plan::Enterprise => t_string!(i18n, plan_enterprise),
                                };
                                let slug = terms.plan.as_str();
                                view! {
                                    <ActionForm action=save attr:class="space-y-2 rounded-lg border border-slate-200 p-3" attr:novalidate=true>
                                        <h3 class="text-sm font-semibold text-slate-900">{name}</h3>
                                        <input type="hidden" name="plan" value=slug />
                                        <label class="block text-xs text-slate-600">
                                            {t!(i18n, admin_plan_price)}
                                            <input name="price" value=terms.monthly_price.plain_yuan() class=format!("{INPUT} mt-1") data-testid=format!("plan-price-{slug}") />
                                        </label>
                                        <p class="text-xs text-red-600">{message(Field::Amount)}</p>
                                        <label class="block text-xs text-slate-600">
                                            {t!(i18n, admin_plan_daily_applications)}
                                            <input name="daily_applications" value=terms.daily_applications.to_string() class=format!("{INPUT} mt-1") />
                                        </label>
                                        <label class="block text-xs text-slate-600">
                                            {t!(i18n, admin_plan_open_tasks)}
                                            <input name="open_tasks" value=terms.open_tasks.to_string() class=format!("{INPUT} mt-1") />
                                        </label>
                                        <label class="block text-xs text-slate-600">
                                            {t!(i18n, admin_plan_discount)}
                                            <input name="discount_percent" value=(terms.commission_discount_bps / 100).to_string() class=format!("{INPUT} mt-1") />
                                        </label>
                                        <label class="block text-xs text-slate-600">
                                            {t!(i18n, admin_change_reason)}
                                            <input name="reason" class=format!("{INPUT} mt-1") />
                                        </label>
                                        <button type="submit" class=format!("{SECONDARY} w-full")>{t!(i18n, action_save_plan)}</button>
                                    </ActionForm>
                                }
                            }).collect_view()}
                        </div>
                    })
                })}
            </Transition>
        </section>
    }
}

/// Per-category commission: the rate in effect, scheduled changes, and the form to schedule one.
#[component]
fn CommissionSection() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetCommissionRateFn>::new();
    let schedule = Resource::new(|| (), |_| commission_schedule());
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(set.value().get(), Some(Ok(()))));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="commission-rates">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_commission_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_commission_hint)}</p>
            <div class="mt-4 grid gap-5 md:grid-cols-[1fr_18rem]">
                <Transition fallback=|| view! { <div class="h-40 animate-pulse rounded-lg bg-slate-50"></div> }>
                    {move || Suspend::new(async move {
                        match schedule.await {
                            Ok(schedule) => view! { <RateTable schedule /> }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Transition>
                <ActionForm action=set attr:class="space-y-3" attr:novalidate=true>
                    <div class="space-y-1">
                        <label for="rate-category" class="block text-sm font-medium text-slate-700">{t!(i18n, field_category)}</label>
                        <select id="rate-category" name="category" class=INPUT>
                            {Category::ALL
                                .into_iter()
                                .map(|c| view! { <option value=c.slug()>{move || category_label(i18n, c)}</option> })
                                .collect_view()}
                        </select>
                        <p class="text-xs text-red-600">{move || message(Field::Category).get()}</p>
                    </div>
                    <div class="space-y-1">
                        <label for="rate-percent" class="block text-sm font-medium text-slate-700">{t!(i18n, admin_commission_rate)}</label>
                        <input id="rate-percent" name="percent" inputmode="decimal" class=INPUT placeholder="10" />
                        <p class="text-xs text-red-600" data-testid="rate-error">{move || message(Field::Rate).get()}</p>
                    </div>
                    <div class="space-y-1">
                        <label for="rate-from" class="block text-sm font-medium text-slate-700">{t!(i18n, admin_commission_from)}</label>
                        <input id="rate-from" name="from" type="date" class=INPUT />
                        <p class="text-xs text-red-600">{move || message(Field::EffectiveFrom).get()}</p>
                        <p class="text-xs text-slate-500">{t!(i18n, admin_commission_from_hint)}</p>
                    </div>
                    <FormAlert error />
                    {move || saved.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, admin_commission_saved)}</p> })}
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="save-rate" disabled=move || set.pending().get()>
                        {t!(i18n, action_schedule_rate)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

#[component]
fn RateTable(schedule: CommissionSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let CommissionSchedule { current, upcoming } = schedule;
    view! {
        <table class="w-full text-sm">
            <thead>
                <tr class="border-b border-slate-100 text-left text-xs text-slate-500">
                    <th class="py-2 font-medium">{t!(i18n, field_category)}</th>
                    <th class="py-2 text-right font-medium">{t!(i18n, admin_commission_current)}</th>
                    <th class="py-2 text-right font-medium">{t!(i18n, admin_commission_upcoming)}</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {current
                    .into_iter()
                    .map(|(category, rate)| {
                        let next: Vec<String> = upcoming
                            .iter()
                            .filter(|s| s.category == category)
                            .map(|s| format!("{} · {}", s.from, s.rate.percent_label()))
                            .collect();
                        view! {
                            <tr data-testid=format!("rate-{}", category.slug())>
                                <td class="py-2 text-slate-800">{move || category_label(i18n, category)}</td>
                                <td class="py-2 text-right font-medium tabular-nums text-slate-900" data-testid="rate-now">{rate.percent_label()}</td>
                                <td class="py-2 text-right text-xs tabular-nums text-slate-500">{if next.is_empty() { "—".to_string() } else { next.join(", ") }}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Badges are rules stored as data: the list with how many developers hold each, and a form that
/// makes a new one from a rule kind.
#[component]
fn BadgesSection(badges: Vec<AdminBadge>, create: ServerAction<CreateBadgeFn>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = Signal::derive(move || matches!(create.value().get(), Some(Ok(()))));
    let input = move |name: &'static str, id: &'static str, label: String, field: Field, placeholder: &'static str| {
        view! {
            <div class="space-y-1">
                <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
                <input id=id name=name class=INPUT placeholder=placeholder />
                <p class="text-xs text-red-600" data-testid=format!("{id}-error")>
                    {move || field_message(i18n, error.get().as_ref(), field)}
                </p>
            </div>
        }
    };
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-badges">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_badges_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_badges_hint)}</p>
            <div class="mt-4 grid gap-5 md:grid-cols-[1fr_20rem]">
                <ul class="divide-y divide-slate-100 text-sm" data-testid="badge-list">
                    {badges.into_iter().map(|badge| view! { <BadgeRow badge /> }).collect_view()}
                </ul>
                <ActionForm action=create attr:class="space-y-2" attr:novalidate=true>
                    {input("form[slug]", "badge-slug", t_string!(i18n, field_slug).to_string(), Field::Slug, "polyglot")}
                    <div class="grid grid-cols-2 gap-2">
                        {input("form[name_zh]", "badge-name-zh", t_string!(i18n, field_name_zh).to_string(), Field::NameZh, "多面手")}
                        {input("form[name_en]", "badge-name-en", t_string!(i18n, field_name_en).to_string(), Field::NameEn, "Polyglot")}
                    </div>
                    {input("form[description_zh]", "badge-description-zh", t_string!(i18n, field_description_zh).to_string(), Field::DescriptionZh, "")}
                    {input("form[description_en]", "badge-description-en", t_string!(i18n, field_description_en).to_string(), Field::DescriptionEn, "")}
                    <div class="space-y-1">
                        <label for="badge-kind" class="block text-sm font-medium text-slate-700">{t!(i18n, field_rule_kind)}</label>
                        <select id="badge-kind" name="form[kind]" class=INPUT>
                            {RULE_KINDS
                                .into_iter()
                                .map(|kind| view! { <option value=kind>{move || rule_kind_label(i18n, kind)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="grid grid-cols-3 gap-2">
                        {input("form[count]", "badge-count", t_string!(i18n, field_rule_count).to_string(), Field::Rule, "3")}
                        {input("form[threshold]", "badge-threshold", t_string!(i18n, field_rule_threshold).to_string(), Field::Rule, "")}
                        {input("form[growth_points]", "badge-points", t_string!(i18n, growth_points).to_string(), Field::Points, "50")}
                    </div>
                    <p class="text-xs text-slate-500">{t!(i18n, field_rule_hint)}</p>
                    <FormAlert error />
                    {move || created.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, admin_badge_created)}</p> })}
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="create-badge" disabled=move || create.pending().get()>
                        {t!(i18n, action_create_badge)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

/// The growth engine's numbers: weights per difficulty and each level's thresholds, in a form
/// filled with the rules in force (or those just previewed), and what the last save or preview did.
#[component]
fn GrowthRulesEditor(editor: GrowthRulesEditorData) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveGrowthRulesFn>::new();
    let GrowthRulesEditorData { form, outcome } = editor;
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let message = move |field| move || field_message(i18n, error.get().as_ref(), field);
    let number = move |name: String, id: String, value: String, label: Signal<String>| {
        view! {
            <div class="space-y-1">
                <label for=id.clone() class="block text-xs font-medium text-slate-600">{label}</label>
                <input id=id name=name value=value inputmode="decimal" class=format!("{INPUT} tabular-nums") />
            </div>
        }
    };
    let weights = [
        ("skill_points_per_difficulty", form.skill_points_per_difficulty.clone(), Field::SkillPointsWeight),
        ("xp_per_difficulty", form.xp_per_difficulty.clone(), Field::XpWeight),
        ("check_in_points", form.check_in_points.clone(), Field::CheckInPoints),
    ];
    let levels = [
        (Level::B, "b", form.b.clone(), Field::LevelB),
        (Level::A, "a", form.a.clone(), Field::LevelA),
        (Level::S, "s", form.s.clone(), Field::LevelS),
    ];
    view! {
        <ActionForm action=save attr:class="mt-4 space-y-4" attr:novalidate=true>
            <div class="grid gap-3 sm:grid-cols-3">
                {weights
                    .into_iter()
                    .map(|(name, value, field)| {
                        let label = Signal::derive(move || match field {
                            Field::SkillPointsWeight => t_string!(i18n, field_skill_points_weight).to_string(),
                            Field::XpWeight => t_string!(i18n, field_xp_weight).to_string(),
                            _ => t_string!(i18n, field_check_in_points).to_string(),
                        });
                        view! {
                            <div>
                                {number(format!("form[{name}]"), format!("rules-{name}"), value, label)}
                                <p class="mt-1 text-xs text-red-600" data-testid=format!("rules-{name}-error")>{message(field)}</p>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="space-y-3">
                {levels
                    .into_iter()
                    .map(|(level, key, need, field)| {
                        view! {
                            <div class="rounded-lg border border-slate-100 p-3" data-testid=format!("rules-level-{key}")>
                                <div class="text-sm font-semibold text-slate-900">{level.as_str()}</div>
                                <div class="mt-2 grid grid-cols-3 gap-2">
                                    {number(format!("form[{key}][finished_tasks]"), format!("rules-{key}-tasks"), need.finished_tasks, Signal::derive(move || t_string!(i18n, field_level_tasks).to_string()))}
                                    {number(format!("form[{key}][average_rating]"), format!("rules-{key}-rating"), need.average_rating, Signal::derive(move || t_string!(i18n, field_level_rating).to_string()))}
                                    {number(format!("form[{key}][skill_breadth]"), format!("rules-{key}-skills"), need.skill_breadth, Signal::derive(move || t_string!(i18n, field_level_skills).to_string()))}
                                </div>
                                <p class="mt-1 text-xs text-red-600" data-testid=format!("rules-{key}-error")>{message(field)}</p>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="grid gap-3 sm:grid-cols-2 sm:items-end">
                <div class="space-y-1">
                    <label for="rules-from" class="block text-xs font-medium text-slate-600">{t!(i18n, admin_growth_rules_from)}</label>
                    <input id="rules-from" name="from" type="date" class=INPUT />
                    <p class="text-xs text-red-600">{message(Field::EffectiveFrom)}</p>
                </div>
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="preview" value="true" class="h-4 w-4 rounded border-slate-300" data-testid="rules-preview-only" />
                    {t!(i18n, admin_growth_rules_preview_only)}
                </label>
            </div>
            <FormAlert error />
            {outcome.map(|outcome| {
                let shift = outcome.shift.clone();
                view! {
                    <div class="rounded-lg bg-slate-50 p-3 text-sm text-slate-700" role="status" data-testid="rules-outcome">
                        <p class="font-medium">
                            {move || if outcome.saved {
                                t_string!(i18n, admin_growth_rules_saved, count = outcome.changed).to_string()
                            } else {
                                t_string!(i18n, admin_growth_rules_previewed).to_string()
                            }}
                        </p>
                        <p class="mt-1 tabular-nums" data-testid="rules-shift">
                            {move || t_string!(i18n, admin_growth_rules_shift, up = shift.up, down = shift.down).to_string()}
                        </p>
                        <p class="mt-1 text-xs tabular-nums text-slate-500">
                            {Level::ALL.into_iter().map(|level| format!("{} {} → {}", level.as_str(), shift.before[level as usize], shift.after[level as usize])).collect::<Vec<_>>().join(" · ")}
                        </p>
                    </div>
                }
            })}
            <button type="submit" class=PRIMARY data-testid="save-growth-rules">
                {t!(i18n, action_save_growth_rules)}
            </button>
        </ActionForm>
    }
}

#[component]
fn BadgeRow(badge: AdminBadge) -> impl IntoView {
    let i18n = use_i18n();
    let AdminBadge { slug, name_zh, name_en, rule, growth_points, holders } = badge;
    view! {
        <li class="flex items-start justify-between gap-3 py-2" data-testid=format!("admin-badge-{slug}")>
            <div class="min-w-0">
                <div class="font-medium text-slate-900">
                    {move || if i18n.get_locale() == Locale::zh_CN { name_zh.clone() } else { name_en.clone() }}
                </div>
                <div class="text-xs text-slate-500">{move || rule_text(i18n, rule)}</div>
            </div>
            <div class="shrink-0 text-right text-xs tabular-nums text-slate-500">
                <div>{format!("+{growth_points}")}</div>
                <div>{move || t_string!(i18n, admin_badge_holders, count = holders)}</div>
            </div>
        </li>
    }
}

fn rule_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "finished_tasks" => t_string!(i18n, rule_kind_finished_tasks),
        "average_rating" => t_string!(i18n, rule_kind_average_rating),
        "weekly_streak" => t_string!(i18n, rule_kind_weekly_streak),
        "daily_streak" => t_string!(i18n, rule_kind_daily_streak),
        _ => t_string!(i18n, rule_kind_skill_breadth),
    }
}

fn rule_text(i18n: leptos_i18n::I18nContext<Locale>, rule: BadgeRule) -> String {
    match rule {
        BadgeRule::FinishedTasks { count, min_difficulty } => {
            t_string!(i18n, rule_finished_tasks, count = count, difficulty = min_difficulty).to_string()
        }
        BadgeRule::AverageRating { min_stars_x100, over_last } => t_string!(
            i18n,
            rule_average_rating,
            count = over_last,
            stars = format!("{}.{}", min_stars_x100 / 100, min_stars_x100 % 100 / 10)
        )
        .to_string(),
        BadgeRule::WeeklyStreak { weeks } => t_string!(i18n, rule_weekly_streak, count = weeks).to_string(),
        BadgeRule::DailyStreak { days } => t_string!(i18n, rule_daily_streak, count = days).to_string(),
        BadgeRule::SkillBreadth { count } => t_string!(i18n, rule_skill_breadth, count = count).to_string(),
        BadgeRule::ByChallenge => t_string!(i18n, rule_by_challenge).to_string(),
    }
}

#[component]
pub(super) fn Stat(#[prop(into)] label: Signal<String>, value: i64) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div class="text-xs text-slate-500">{move || label.get()}</div>
            <div class="mt-1 text-2xl font-bold tabular-nums text-slate-900">{value}</div>
        </div>
    }
}

/// A month's growth reports for all developers (or the listed ones) as one ZIP, built in the
/// background; the progress bar follows it until the download is ready.
#[component]
fn ReportExportSection() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartReportExportFn>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="report-export">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_reports_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_reports_hint)}</p>
            <ActionForm action=start attr:class="mt-4 grid gap-3 sm:grid-cols-[10rem_8rem_1fr_auto] sm:items-end" attr:novalidate=true>
                <div class="space-y-1">
                    <label for="export-month" class="block text-sm font-medium text-slate-700">{t!(i18n, field_report_month)}</label>
                    <input id="export-month" name="month" type="month" class=INPUT data-testid="export-month" />
                </div>
                <div class="space-y-1">
                    <label for="export-language" class="block text-sm font-medium text-slate-700">{t!(i18n, field_report_language)}</label>
                    <select id="export-language" name="language" class=INPUT>
                        <option value="zh">"中文"</option>
                        <option value="en">"English"</option>
                    </select>
                </div>
                <div class="space-y-1">
                    <label for="export-handles" class="block text-sm font-medium text-slate-700">{t!(i18n, field_report_handles)}</label>
                    <input id="export-handles" name="handles" class=INPUT placeholder="dev01, dev02" />
                </div>
                <button type="submit" class=PRIMARY data-testid="start-export">
                    {t!(i18n, action_export_reports)}
                </button>
                <p class="text-xs text-red-600 sm:col-span-4" data-testid="export-month-error">
                    {move || field_message(i18n, error.get().as_ref(), Field::Month)}
                </p>
            </ActionForm>
            <FormAlert error />
            <ExportProgress started_as=REPORT_EXPORT_STARTED />
        </section>
    }
}

/// Restricted users (lift), tasks held as possible farming (release or withhold) and the mail the
/// local transport kept.
#[component]
pub(super) fn TrustSection(
    overview: TrustOverview,
    lift: ServerAction<LiftRestrictionFn>,
    resolve: ServerAction<ResolveFlagFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-trust">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_trust_title)}</h2>
            <TrustLists overview lift resolve />
        </section>
    }
}

#[component]
fn TrustLists(
    overview: TrustOverview,
    lift: ServerAction<LiftRestrictionFn>,
    resolve: ServerAction<ResolveFlagFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let none = move || view! { <p class="text-sm text-slate-400">{t!(i18n, admin_none)}</p> };
    let heading = "mt-4 mb-2 text-sm font-semibold text-slate-700";
    view! {
        <h3 class=heading>{t!(i18n, admin_restricted)}</h3>
        {if overview.restricted.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="divide-y divide-slate-100 text-sm">
                    {overview
                        .restricted
                        .into_iter()
                        .map(|user| {
                            let until = user.restriction.until.clone();
                            let reason = user.restriction.reason;
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                    <span>
                                        <span class="font-medium text-slate-800">{user.display_name.clone()}</span>
                                        <span class="ml-2 text-xs text-slate-500">
                                            {move || crate::components::errors::restriction_text(i18n, reason, &until)}
                                        </span>
                                    </span>
                                    <ActionForm action=lift>
                                        <input type="hidden" name="user" value=user.user_id.to_string() />
                                        <button type="submit" class=SECONDARY>{t!(i18n, admin_lift)}</button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <h3 class=heading>{t!(i18n, admin_flags)}</h3>
        {if overview.flags.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="divide-y divide-slate-100 text-sm" data-testid="abuse-flags">
                    {overview
                        .flags
                        .into_iter()
                        .map(|flag| {
                            let shared_address = flag.reason == "shared_address";
                            view! {
                                <li class="space-y-2 py-2">
                                    <div>
                                        <a href=format!("/tasks/{}", flag.task_id) class="font-medium text-blue-700 hover:underline">{flag.task_title.clone()}</a>
                                        <div class="text-xs text-slate-500">
                                            {flag.merchant_name.clone()} " → " {flag.developer_name.clone()} " · "
                                            {move || if shared_address {
                                                t_string!(i18n, admin_flag_shared_address)
                                            } else {
                                                t_string!(i18n, admin_flag_shared_payment_account)
                                            }}
                                            " " <code>{flag.evidence.clone()}</code> " · " {flag.flagged_at.clone()}
                                        </div>
                                    </div>
                                    <div class="flex flex-wrap gap-2">
                                        <ActionForm action=resolve>
                                            <input type="hidden" name="task" value=flag.task_id.to_string() />
                                            <input type="hidden" name="release" value="true" />
                                            <button type="submit" class=SECONDARY>{t!(i18n, admin_flag_release)}</button>
                                        </ActionForm>
                                        <ActionForm action=resolve>
                                            <input type="hidden" name="task" value=flag.task_id.to_string() />
                                            <input type="hidden" name="release" value="false" />
                                            <button type="submit" class=DANGER>{t!(i18n, admin_flag_withhold)}</button>
                                        </ActionForm>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <h3 class=heading>{t!(i18n, admin_outbox)}</h3>
        {if overview.outbox.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="space-y-2 text-sm" data-testid="mail-outbox">
                    {overview
                        .outbox
                        .into_iter()
                        .map(|mail| view! {
                            <li class="rounded-lg bg-slate-50 px-3 py-2">
                                <div class="flex flex-wrap justify-between gap-2 text-xs text-slate-500">
                                    <span>{mail.to.clone()}</span>
                                    <span>{mail.sent_at.clone()}</span>
                                </div>
                                <div class="font-medium text-slate-800">{mail.subject.clone()}</div>
                                <pre class="mt-1 whitespace-pre-wrap font-sans text-xs text-slate-600">{mail.body.clone()}</pre>
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}

/// The progress of the export named in the page's address under `started_as` (the start form
/// comes back with it there). While it runs, `RefreshWhileRunning` re-reads the bar from the page.
#[component]
pub(super) fn ExportProgress(started_as: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let started = use_query_map().with_untracked(|q| q.get(started_as).and_then(|id| id.parse::<uuid::Uuid>().ok()));
    let progress = Resource::new(
        move || started,
        |id| async move {
            match id {
                Some(id) => report_export(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let region = format!("{started_as}-progress");
    let csv = started_as == crate::api::console::CSV_EXPORT_STARTED;
    view! {
        <div id=region.clone()>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    progress.await.ok().flatten().map(|export| {
                        let percent = if export.total == 0 { 100 } else { export.done * 100 / export.total };
                        view! {
                            <div class="mt-3 space-y-2" data-testid="export-progress" data-running=(!export.finished).then_some("true")>
                                <div class="h-2 overflow-hidden rounded-full bg-slate-100">
                                    <div class="h-full rounded-full bg-blue-600 transition-all" style=format!("width: {percent}%")></div>
                                </div>
                                <p class="text-sm text-slate-600">
                                    {move || t_string!(i18n, admin_reports_progress, month = export.month.clone(), done = export.done, total = export.total)}
                                </p>
                                {export.failed.then(|| view! { <p class="text-sm text-red-600">{t!(i18n, admin_reports_failed)}</p> })}
                                {(export.finished && !export.failed).then(|| view! {
                                    <a href=format!("/admin/exports/{}", export.id) rel="external" class=PRIMARY data-testid="download-export">
                                        {move || if csv { t_string!(i18n, admin_csv_download) } else { t_string!(i18n, admin_reports_download) }}
                                    </a>
                                })}
                            </div>
                        }
                    })
                })}
            </Suspense>
        </div>
        <RefreshWhileRunning region />
    }
}
