//! The form for one portfolio item, new or existing. It sends images, so it posts multipart data
//! itself, as a plain form: a refused post comes back to this page with the error in the address,
//! read here and shown under each field.

use crate::{
    api::portfolio::SavePortfolioItemFn,
    components::{
        errors::{field_message, FormAlert},
        form::{label_text, FieldMessage, Labelled, TagToggle},
        style::{INPUT, PRIMARY, SECONDARY},
        task_card::category_label,
    },
    domain::{
        portfolio::{DESCRIPTION_MAX_CHARS, MAX_IMAGES, MAX_IMAGE_BYTES, MAX_TAGS, ROLE_MAX_CHARS, TITLE_CHARS},
        tasks::Category,
        validation::Field,
    },
    error::AppError,
    html_text::textarea_text,
    i18n::*,
    views::{
        portfolio::{image_url, PortfolioItemView},
        profile::SkillChoice,
    },
};
use leptos::{
    prelude::*,
    server::ServerActionError,
    server_fn::{error::ServerFnUrlError, ServerFn},
};

/// The error of this form's last post, when the page came back with one (`?__path=…&__err=…`).
fn returned_error() -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|error| error.path() == SavePortfolioItemFn::PATH)
        .map(|error| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

#[component]
pub fn ItemForm(item: Option<PortfolioItemView>, tags: Vec<SkillChoice>) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::stored(returned_error());
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    let editing = item.is_some();
    let PortfolioItemView { id, title, role, description, link, task_id, tags: chosen, images, .. } =
        item.unwrap_or_else(blank_item);
    let item_value = if editing { id.to_string() } else { String::new() };
    let chosen: Vec<String> = chosen.into_iter().map(|tag| tag.slug).collect();
    let branches: Vec<(Category, Vec<SkillChoice>)> = Category::ALL
        .into_iter()
        .map(|branch| (branch, tags.iter().filter(|t| t.branch == branch).cloned().collect::<Vec<_>>()))
        .filter(|(_, tags)| !tags.is_empty())
        .collect();
    view! {
        <form
            id="portfolio-form"
            method="post"
            action=SavePortfolioItemFn::url()
            enctype="multipart/form-data"
            novalidate
            class="space-y-4 border-t border-slate-100 pt-4"
            data-testid="portfolio-form"
        >
            <h3 class="font-medium text-slate-900">
                {move || if editing { t_string!(i18n, portfolio_edit_heading) } else { t_string!(i18n, portfolio_new) }}
            </h3>
            {task_id.map(|_| view! { <p class="text-xs text-emerald-700">{t!(i18n, portfolio_pinned_note)}</p> })}
            <input type="hidden" name="item" value=item_value />
            <Labelled label=label_text(|i| t_string!(i, portfolio_field_title)) id="portfolio-title" message=message(Field::Title)>
                <input id="portfolio-title" name="title" class=INPUT maxlength=TITLE_CHARS.1 value=title data-testid="portfolio-title" />
            </Labelled>
            <Labelled label=label_text(|i| t_string!(i, portfolio_field_role)) id="portfolio-role" message=message(Field::Role)>
                <input
                    id="portfolio-role"
                    name="role"
                    class=INPUT
                    maxlength=ROLE_MAX_CHARS
                    placeholder=move || t_string!(i18n, portfolio_field_role_placeholder)
                    value=role
                />
            </Labelled>
            <Labelled label=label_text(|i| t_string!(i, portfolio_field_description)) id="portfolio-description" message=message(Field::Description)>
                <textarea id="portfolio-description" name="description" class=INPUT rows="5" maxlength=DESCRIPTION_MAX_CHARS>
                    {textarea_text(description)}
                </textarea>
            </Labelled>
            <Labelled label=label_text(|i| t_string!(i, portfolio_field_link)) id="portfolio-link" message=message(Field::Link)>
                <input id="portfolio-link" name="link" type="url" class=INPUT placeholder="https://" value=link.unwrap_or_default() />
            </Labelled>
            <fieldset>
                <legend class="text-sm font-medium text-slate-700">{move || t_string!(i18n, portfolio_field_tags, max = MAX_TAGS)}</legend>
                <div class="mt-2 space-y-2">
                    {branches
                        .into_iter()
                        .map(|(branch, tags)| view! {
                            <div class="grid gap-1.5 sm:grid-cols-[6rem_1fr]">
                                <span class="pt-1 text-xs font-medium text-slate-500">{move || category_label(i18n, branch)}</span>
                                <div class="flex flex-wrap gap-1.5">
                                    {tags
                                        .into_iter()
                                        .map(|tag| {
                                            let checked = chosen.contains(&tag.slug);
                                            view! { <TagToggle name="tags" slug=tag.slug name_zh=tag.name_zh name_en=tag.name_en checked /> }
                                        })
                                        .collect_view()}
                                </div>
                            </div>
                        })
                        .collect_view()}
                </div>
                <FieldMessage message=message(Field::Tags) />
            </fieldset>
            <fieldset class="space-y-2">
                <legend class="text-sm font-medium text-slate-700">{move || t_string!(i18n, portfolio_field_images, max = MAX_IMAGES)}</legend>
                {(!images.is_empty()).then(|| view! {
                    <ul class="flex flex-wrap gap-3">
                        {images.into_iter().map(|image| view! {
                            <li class="space-y-1">
                                <img src=image_url(image) alt="" class="h-20 w-28 max-w-full rounded-md border border-slate-200 object-cover" />
                                <label class="flex items-center gap-1 whitespace-nowrap text-xs text-slate-600">
                                    <input type="checkbox" name="remove_images" value=image.to_string() class="h-3.5 w-3.5 rounded border-slate-300" />
                                    {t!(i18n, portfolio_remove_image)}
                                </label>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                <input
                    type="file"
                    name="files"
                    multiple
                    accept="image/png,image/jpeg,image/webp,image/gif"
                    data-testid="portfolio-files"
                    class="block w-full max-w-full text-sm text-slate-600 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
                />
                <p class="text-xs text-slate-500">{move || t_string!(i18n, portfolio_images_hint, size = MAX_IMAGE_BYTES / (1024 * 1024))}</p>
                <FieldMessage message=message(Field::Files) />
            </fieldset>
            <FieldMessage message=message(Field::Portfolio) />
            <FormAlert error />
            <div class="flex flex-wrap items-center gap-3">
                <button type="submit" class=PRIMARY data-testid="portfolio-save">{t!(i18n, portfolio_save)}</button>
                {editing.then(|| view! { <a href="/profile#portfolio" class=SECONDARY>{t!(i18n, portfolio_cancel)}</a> })}
            </div>
        </form>
    }
}

fn blank_item() -> PortfolioItemView {
    PortfolioItemView {
        id: uuid::Uuid::nil(),
        title: String::new(),
        role: String::new(),
        description: String::new(),
        description_html: String::new(),
        link: None,
        task_id: None,
        tags: Vec::new(),
        images: Vec::new(),
    }
}
