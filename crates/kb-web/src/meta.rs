//! What crawlers read: `robots.txt` and a `sitemap.xml` of everything published (the
//! anonymous viewer's view, paged through the API), and the page for an unknown address.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kb_domain::markup::escape;
use serde_json::{Value, json};

use crate::Site;
use crate::client::{Failure, Read};
use crate::context::Ctx;
use crate::layout::{failure_page, render};

pub(crate) async fn robots(ctx: Ctx) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /graphql\nDisallow: /graphiql\nDisallow: /export/\n\nSitemap: {}/sitemap.xml\n",
        ctx.origin
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

pub(crate) async fn not_found(ctx: Ctx) -> Response {
    render(&ctx, failure_page(&ctx, Failure::NotFound))
}

/// Every item of a connection at `field` (with `selection` per node), page by page.
async fn all(site: &Site, ctx: &Ctx, field: &str, selection: &str) -> Result<Vec<Value>, Failure> {
    let document = format!(
        "query All($after: String) {{ list: {field}(first: 100, after: $after) {{
             nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let mut after: Option<String> = None;
    let mut out = Vec::new();
    loop {
        let data: Value = site
            .query(ctx.lang, &document, json!({ "after": after }))
            .await?;
        let list = data.get("list").unwrap_or(&Value::Null);
        out.extend(list.list("nodes").iter().cloned());
        let info = list.get("pageInfo").unwrap_or(&Value::Null);
        if info.get("hasNextPage").and_then(Value::as_bool) != Some(true) {
            return Ok(out);
        }
        after = Some(info.str_at("endCursor").to_owned());
    }
}

pub(crate) async fn sitemap(State(site): State<Site>, ctx: Ctx) -> Response {
    match build_sitemap(&site, &ctx).await {
        Ok(xml) => {
            let mut r = xml.into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml; charset=utf-8"),
            );
            r
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "sitemap unavailable").into_response(),
    }
}

async fn build_sitemap(site: &Site, ctx: &Ctx) -> Result<String, Failure> {
    let mut urls: Vec<(String, Option<String>)> = ["/", "/zoeken", "/evenementen", "/analyse"]
        .iter()
        .map(|p| ((*p).to_owned(), None))
        .collect();
    let taxonomy: Value = site
        .query(ctx.lang, "{ themes { code } topics { code } }", json!({}))
        .await?;
    urls.extend(
        taxonomy
            .list("themes")
            .iter()
            .map(|t| (format!("/themas/{}", t.str_at("code")), None)),
    );
    urls.extend(
        taxonomy
            .list("topics")
            .iter()
            .map(|t| (format!("/onderwerpen/{}", t.str_at("code")), None)),
    );
    for i in all(site, ctx, "initiatives", "slug updatedAt").await? {
        urls.push((
            format!("/initiatieven/{}", i.str_at("slug")),
            Some(i.str_at("updatedAt").to_owned()),
        ));
    }
    for o in all(site, ctx, "organisations", "slug updatedAt").await? {
        urls.push((
            format!("/organisaties/{}", o.str_at("slug")),
            Some(o.str_at("updatedAt").to_owned()),
        ));
    }
    for e in all(site, ctx, "events", "slug").await? {
        urls.push((format!("/evenementen/{}", e.str_at("slug")), None));
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, modified) in urls {
        xml.push_str("<url><loc>");
        xml.push_str(&escape(&format!("{}{path}", ctx.origin)));
        xml.push_str("</loc>");
        if let Some(m) = modified.filter(|m| m.len() >= 10) {
            xml.push_str("<lastmod>");
            xml.push_str(&escape(&m[..10]));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(xml)
}
