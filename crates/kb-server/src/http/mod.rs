/// Who is asking: the API key of a bearer token, and the language.
mod auth;
/// `/csp-report`: what browsers report the Content-Security-Policy refused.
pub(crate) mod csp_report;
/// Running a GraphQL request once read, and answering it per GraphQL over HTTP.
mod execution;
/// The `/export/…` downloads: streamed bodies, file names, ETags and `304`.
mod exports;
/// The `/feeds/…`: Atom and iCalendar answers, ETags and `304`.
mod feeds;
/// The `/graphql` endpoint: reading POST bodies and GET queries.
mod graphql;
/// The health checks `/healthz` and `/readyz`.
mod health;
/// Answers of analytics queries kept until the next change.
mod kept;
/// Signing in with an OpenID provider: to it, and back.
mod oidc;
/// A signed-in person's own data: downloading it, erasing the account.
mod personal_data;
/// Rate limits per key or client address, applied to every request.
mod rate_limit;
/// The media type of GraphQL responses, and responses that carry only errors.
mod response;
/// The router of the whole service and the layers around every route.
mod router;
/// Security headers on every answer, and HTTPS for an `https://` public URL.
mod security;
/// Sessions of signed-in people on the website, and the checks on every POST of it.
mod session;
/// The forms that sign people in (a link by e-mail) and out.
mod sign_in;
/// What the handlers of `/graphql` share.
mod state;
/// Upgrading a GET of `/graphql` to a WebSocket for subscriptions.
mod websocket;

pub use router::router;
