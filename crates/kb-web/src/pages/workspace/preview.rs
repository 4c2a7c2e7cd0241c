//! `/mijn-initiatieven/{id}/voorbeeld`: the initiative as the public will see it, under
//! a banner that says it is a preview and links back to the form.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::html;

use super::{menu, private, signed_in};
use crate::context::Ctx;
use crate::layout::{failure_page, render};
use crate::pages::initiative;
use crate::{Site, Visitor};

pub(crate) async fn page(
    State(site): State<Site>,
    ctx: Ctx,
    visitor: Option<Extension<Visitor>>,
    Path(id): Path<String>,
) -> Response {
    let v = match signed_in(&ctx, visitor) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let mut page = match initiative::preview(&site, &ctx, &v, &id).await {
        Ok(p) => p,
        Err(f) => failure_page(&ctx, f),
    };
    let banner = html! {
        div.notice.preview role="note" {
            p {
                strong { (ctx.t("Voorbeeld. ", "Preview. ")) }
                (ctx.t(
                    "Zo ziet iedereen dit initiatief zodra het gepubliceerd is.",
                    "This is how everyone will see this initiative once it is published.",
                ))
                " "
                a href=(ctx.href(&format!("/mijn-initiatieven/{id}"))) { (ctx.t("Terug naar het formulier", "Back to the form")) }
            }
        }
    };
    page.body = html! { (banner) (page.body) };
    page.personal = Some(menu(&ctx, &v, None));
    private(render(&ctx, page))
}
