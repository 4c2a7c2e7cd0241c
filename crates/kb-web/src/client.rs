//! The site's GraphQL client: one document with its variables, executed in process as
//! the anonymous viewer, its answer read into the types the page declares for it, and
//! the failures a page turns into an error page.
//!
//! Each page declares its answer as structs (`#[serde(rename_all = "camelCase")]`), so
//! an answer that lacks a field the page reads (a field renamed or dropped in the
//! document) is an error of the page, not a blank in it.

use kb_domain::Language;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::Site;

/// Why a page cannot be shown; each becomes an error page with its status.
#[derive(Debug)]
pub(crate) enum Failure {
    /// 404: the object does not exist or the public may not see it.
    NotFound,
    /// 400: the API refused the visitor's input (a search of over 500 characters).
    BadInput(String),
    /// 503: the database cannot be reached just now.
    Unavailable,
    /// 500: anything else, an answer of another shape than the page's included; logged,
    /// never shown.
    Internal,
}

impl Site {
    /// The `data` of `document` with `variables` as a `T`, or the failure its errors
    /// stand for.
    pub(crate) async fn query<T: DeserializeOwned>(
        &self,
        lang: Language,
        document: &str,
        variables: Value,
    ) -> Result<T, Failure> {
        let request = async_graphql::Request::new(document)
            .variables(async_graphql::Variables::from_json(variables));
        let response = (self.execute)(request, lang, None).await;
        if let Some(e) = response.errors.first() {
            let code = e
                .extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .map(|c| c.to_string().trim_matches('"').to_owned())
                .unwrap_or_default();
            return Err(match code.as_str() {
                "NOT_FOUND" => Failure::NotFound,
                "BAD_USER_INPUT" => Failure::BadInput(e.message.clone()),
                "UNAVAILABLE" => Failure::Unavailable,
                _ => {
                    tracing::error!(message = %e.message, %code, "a page's query failed");
                    Failure::Internal
                }
            });
        }
        async_graphql::from_value(response.data).map_err(|e| {
            tracing::error!(
                error = %e,
                answer = std::any::type_name::<T>(),
                "a page's answer does not have the shape the page reads"
            );
            Failure::Internal
        })
    }
}

/// The API's refusal of a signed-in person's request, with what a form needs to show it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refusal {
    /// `extensions.code`, such as `BAD_USER_INPUT` or `CONFLICT`.
    pub(crate) code: String,
    pub(crate) message: String,
    /// The input field at fault (`input.title`), for bad input.
    pub(crate) field: Option<String>,
    /// Every field at fault with its message, when several are.
    pub(crate) problems: Vec<(String, String)>,
    /// The object's version now, for a conflict.
    pub(crate) current_version: Option<i64>,
}

impl Refusal {
    /// Every field at fault with its message (one when the API named one).
    pub(crate) fn fields(&self) -> Vec<(String, String)> {
        if !self.problems.is_empty() {
            return self.problems.clone();
        }
        self.field
            .iter()
            .map(|f| (f.clone(), self.message.clone()))
            .collect()
    }

    fn of(e: &async_graphql::ServerError) -> Self {
        let ext = e.extensions.as_ref();
        let text = |key: &str| {
            ext.and_then(|x| x.get(key)).and_then(|v| match v {
                async_graphql::Value::String(s) => Some(s.clone()),
                _ => None,
            })
        };
        let problems = ext
            .and_then(|x| x.get("problems"))
            .and_then(|v| v.clone().into_json().ok())
            .and_then(|v| serde_json::from_value::<Vec<Problem>>(v).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect();
        Refusal {
            code: text("code").unwrap_or_default(),
            message: e.message.clone(),
            field: text("field"),
            problems,
            current_version: ext
                .and_then(|x| x.get("currentVersion"))
                .and_then(|v| v.clone().into_json().ok())
                .and_then(|v| v.as_i64()),
        }
    }
}

#[derive(Deserialize)]
struct Problem {
    field: String,
    message: String,
}

impl Site {
    /// Runs `document` as the signed-in `visitor` (whose account the server's executor
    /// acts as), returning its `data` as a `T` or the API's refusal. Used for the forms of
    /// signed-in people, whose answers they must see field by field.
    pub(crate) async fn run_as<T: DeserializeOwned>(
        &self,
        visitor: &crate::Visitor,
        lang: Language,
        document: &str,
        variables: Value,
    ) -> Result<T, Refusal> {
        let request = async_graphql::Request::new(document)
            .variables(async_graphql::Variables::from_json(variables));
        let response = (self.execute)(request, lang, Some(visitor.credential.clone())).await;
        if let Some(e) = response.errors.first() {
            let refusal = Refusal::of(e);
            if !matches!(
                refusal.code.as_str(),
                "BAD_USER_INPUT" | "CONFLICT" | "FORBIDDEN" | "NOT_FOUND" | "UNAUTHENTICATED"
            ) {
                tracing::error!(message = %e.message, code = %refusal.code, "a signed-in request failed");
            }
            return Err(refusal);
        }
        async_graphql::from_value(response.data).map_err(|e| {
            tracing::error!(
                error = %e,
                answer = std::any::type_name::<T>(),
                "an answer does not have the shape the page reads"
            );
            Refusal {
                code: "INTERNAL".to_owned(),
                message: "internal error".to_owned(),
                ..Refusal::default()
            }
        })
    }

    /// Like [`Site::query`], as the signed-in `visitor`.
    pub(crate) async fn query_as<T: DeserializeOwned>(
        &self,
        visitor: &crate::Visitor,
        lang: Language,
        document: &str,
        variables: Value,
    ) -> Result<T, Failure> {
        self.run_as(visitor, lang, document, variables)
            .await
            .map_err(|r| match r.code.as_str() {
                "NOT_FOUND" | "FORBIDDEN" | "UNAUTHENTICATED" => Failure::NotFound,
                "BAD_USER_INPUT" => Failure::BadInput(r.message),
                "UNAVAILABLE" => Failure::Unavailable,
                _ => Failure::Internal,
            })
    }
}

/// For a nullable field (`#[serde(deserialize_with = "nullable")]`): `null` reads as
/// `None`, but the field must be in the answer. Serde's default reads a missing
/// `Option` as `None` as well, which would show a field the document no longer asks
/// for as an empty one.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;

    /// A site whose API answers every request with `data`.
    fn answering(data: Value) -> Site {
        let data = async_graphql::Value::from_json(data).expect("a value");
        Site {
            execute: Arc::new(move |_, _, _| {
                let data = data.clone();
                Box::pin(async move { async_graphql::Response::new(data) })
            }),
            vocab: Arc::default(),
            origin: Arc::from("http://127.0.0.1:8080"),
            sign_in: Arc::default(),
            privacy: Arc::new(crate::Privacy {
                retention: crate::Retention {
                    session_idle_minutes: 480,
                    session_max_days: 14,
                    sign_in_link_minutes: 15,
                    log_days: 14,
                    backup_days: 30,
                },
                contact: None,
            }),
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        total_count: i64,
        kind: String,
    }

    #[tokio::test]
    async fn an_answer_is_read_into_the_type_the_page_asks_for() {
        let site = answering(json!({ "totalCount": 3, "kind": "TRAINING" }));
        let answer: Answer = site
            .query(Language::Nl, "{ x }", json!({}))
            .await
            .expect("an answer");
        assert_eq!(
            answer,
            Answer {
                total_count: 3,
                kind: "TRAINING".into()
            }
        );
    }

    #[tokio::test]
    async fn an_answer_without_a_field_the_page_reads_is_an_internal_failure() {
        let site = answering(json!({ "count": 3, "kind": "TRAINING" }));
        let answer = site.query::<Answer>(Language::Nl, "{ x }", json!({})).await;
        assert!(matches!(answer, Err(Failure::Internal)), "{answer:?}");
    }
}
