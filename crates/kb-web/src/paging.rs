//! Lists shown a page at a time: the page number an address asks for (`?pagina=`), the
//! API cursor a page starts after, and the previous and next links.

use base64::Engine;
use maud::{Markup, html};

use crate::context::Ctx;

/// Pages beyond this are not offered (the API pages by cursor).
pub(crate) const MAX_PAGE: u64 = 500;

/// The page the address asks for, from 1 (1 when absent or not a number).
pub(crate) fn page_number(ctx: &Ctx) -> u64 {
    ctx.param("pagina")
        .and_then(|p| p.parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_PAGE)
}

/// How many pages of `size` hold `total` items, at most [`MAX_PAGE`].
pub(crate) fn pages(total: u64, size: u64) -> u64 {
    total.div_ceil(size.max(1)).min(MAX_PAGE)
}

/// The cursor after which page `page` (from 1) of `size` items starts. The API's cursors
/// stand for positions in the list (`kb-graphql`'s connection module); a change there
/// shows in the site's paging tests.
pub(crate) fn cursor_before(page: u64, size: u64) -> Option<String> {
    (page > 1).then(|| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("cursor:{}", (page - 1) * size - 1))
    })
}

/// Previous and next page links to `path`, keeping every other part of the address.
pub(crate) fn pager(ctx: &Ctx, path: &str, page: u64, pages: u64) -> Markup {
    let to = |p: u64| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in ctx.params.iter().filter(|(k, _)| k != "pagina") {
            query.append_pair(k, v);
        }
        if p > 1 {
            query.append_pair("pagina", &p.to_string());
        }
        let query = query.finish();
        ctx.href(&if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        })
    };
    html! {
        @if pages > 1 {
            nav.pager aria-label=(ctx.t("Paginering", "Pagination")) {
                @if page > 1 { a href=(to(page - 1)) rel="prev" { "← " (ctx.t("Vorige", "Previous")) } }
                span { (ctx.t("Pagina", "Page")) " " (page) " " (ctx.t("van", "of")) " " (pages) }
                @if page < pages { a href=(to(page + 1)) rel="next" { (ctx.t("Volgende", "Next")) " →" } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_three_of_twenty_starts_after_the_fortieth_item() {
        assert_eq!(cursor_before(1, 20), None);
        let c = cursor_before(3, 20).unwrap_or_default();
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(c)
            .unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&decoded), "cursor:39");
    }

    #[test]
    fn pages_round_up_and_stop_at_the_last_offered() {
        assert_eq!(pages(0, 25), 0);
        assert_eq!(pages(25, 25), 1);
        assert_eq!(pages(26, 25), 2);
        assert_eq!(pages(1_000_000, 20), MAX_PAGE);
    }
}
