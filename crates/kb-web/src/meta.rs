//! What crawlers read: `robots.txt` and a `sitemap.xml` of everything published (the
//! anonymous viewer's view, paged through the API), and the page for an unknown address.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kb_domain::markup::escape;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::Site;
use crate::client::{Failure, nullable};
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

/// One page of the connection [`all`] reads.
#[derive(Deserialize)]
struct Paged<T> {
    list: Connection<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection<T> {
    nodes: Vec<T>,
    page_info: PageInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    #[serde(deserialize_with = "nullable")]
    end_cursor: Option<String>,
}

/// `{ themes { code } topics { code } }`.
#[derive(Deserialize)]
struct Taxonomy {
    themes: Vec<Code>,
    topics: Vec<Code>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

/// `slug updatedAt`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dated {
    slug: String,
    updated_at: String,
}

/// `slug`.
#[derive(Deserialize)]
struct Slug {
    slug: String,
}

/// Every item of a connection at `field` (with `selection` per node), page by page.
async fn all<T: DeserializeOwned>(
    site: &Site,
    ctx: &Ctx,
    field: &str,
    selection: &str,
) -> Result<Vec<T>, Failure> {
    let document = format!(
        "query All($after: String) {{ list: {field}(first: 100, after: $after) {{
             nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let mut after: Option<String> = None;
    let mut out = Vec::new();
    loop {
        let data: Paged<T> = site
            .query(ctx.lang, &document, json!({ "after": after }))
            .await?;
        out.extend(data.list.nodes);
        match data.list.page_info {
            PageInfo {
                has_next_page: true,
                end_cursor: Some(cursor),
            } => after = Some(cursor),
            _ => return Ok(out),
        }
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
    let mut urls: Vec<(String, Option<String>)> =
        ["/", "/zoeken", "/evenementen", "/analyse", "/privacy"]
            .iter()
            .map(|p| ((*p).to_owned(), None))
            .collect();
    let taxonomy: Taxonomy = site
        .query(ctx.lang, "{ themes { code } topics { code } }", json!({}))
        .await?;
    urls.extend(
        taxonomy
            .themes
            .iter()
            .map(|t| (format!("/themas/{}", t.code), None)),
    );
    urls.extend(
        taxonomy
            .topics
            .iter()
            .map(|t| (format!("/onderwerpen/{}", t.code), None)),
    );
    for i in all::<Dated>(site, ctx, "initiatives", "slug updatedAt").await? {
        urls.push((format!("/initiatieven/{}", i.slug), Some(i.updated_at)));
    }
    for o in all::<Dated>(site, ctx, "organisations", "slug updatedAt").await? {
        urls.push((format!("/organisaties/{}", o.slug), Some(o.updated_at)));
    }
    for e in all::<Slug>(site, ctx, "events", "slug").await? {
        urls.push((format!("/evenementen/{}", e.slug), None));
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
