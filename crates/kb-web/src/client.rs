//! The site's GraphQL client: one document with its variables, executed in process as
//! the anonymous viewer, and the failures a page turns into an error page.

use async_graphql::Value as ConstValue;
use kb_domain::Language;
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
    /// 500: anything else; logged, never shown.
    Internal,
}

impl Site {
    /// The `data` of `document` with `variables`, or the failure its errors stand for.
    pub(crate) async fn query(
        &self,
        lang: Language,
        document: &str,
        variables: Value,
    ) -> Result<Value, Failure> {
        let request = async_graphql::Request::new(document)
            .variables(async_graphql::Variables::from_json(variables));
        let response = (self.execute)(request, lang).await;
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
        Ok(into_json(response.data))
    }
}

/// `value` as JSON, its strings, lists and numbers moved rather than copied (unlike
/// `ConstValue::into_json`, which serializes the whole answer again).
fn into_json(value: ConstValue) -> Value {
    match value {
        ConstValue::Null => Value::Null,
        ConstValue::Number(n) => Value::Number(n),
        ConstValue::String(s) => Value::String(s),
        ConstValue::Boolean(b) => Value::Bool(b),
        ConstValue::Binary(bytes) => Value::Array(bytes.iter().map(|&b| Value::from(b)).collect()),
        ConstValue::Enum(name) => Value::String(name.to_string()),
        ConstValue::List(items) => Value::Array(items.into_iter().map(into_json).collect()),
        ConstValue::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, v)| (name.to_string(), into_json(v)))
                .collect(),
        ),
    }
}

/// Small readers of JSON answers: a missing or mistyped field reads as empty, since the
/// schema, not this site, decides what is there.
pub(crate) trait Read {
    fn str_at(&self, key: &str) -> &str;
    fn list(&self, key: &str) -> &[Value];
    fn int(&self, key: &str) -> i64;
    fn float(&self, key: &str) -> f64;
}

impl Read for Value {
    fn str_at(&self, key: &str) -> &str {
        self.get(key).and_then(Value::as_str).unwrap_or("")
    }
    fn list(&self, key: &str) -> &[Value] {
        self.get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
    fn int(&self, key: &str) -> i64 {
        self.get(key).and_then(Value::as_i64).unwrap_or(0)
    }
    fn float(&self, key: &str) -> f64 {
        self.get(key).and_then(Value::as_f64).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_reads_as_the_same_json_as_async_graphql_makes_of_it() {
        let answer = serde_json::json!({
            "list": {
                "totalCount": 133,
                "score": 1.5,
                "nodes": [{ "slug": "a", "kind": "TRAINING", "none": null, "ok": true }],
                "empty": [],
            }
        });
        let value = ConstValue::from_json(answer.clone()).expect("a value");
        assert_eq!(into_json(value.clone()), value.into_json().expect("json"));
        assert_eq!(
            into_json(ConstValue::from_json(answer.clone()).expect("a value")),
            answer
        );
        let named = ConstValue::Enum(async_graphql::Name::new("TRAINING"));
        assert_eq!(into_json(named), Value::String("TRAINING".into()));
    }
}
