//! OpenID Connect providers (`--oidc-issuer`, `--oidc-client-id`, `--oidc-client-secret`,
//! `--oidc-name`, repeated and matched by position) and what the relying party does with
//! them, through the `openid` crate: discovery, the authorization URL with PKCE (S256),
//! `state` and `nonce`, the code exchange, and the ID token's full validation (signature
//! through the provider's JWKS, `iss`, `aud`, `exp`, `nonce`). A token the cached keys do
//! not verify makes the keys be fetched once more and the token checked again, so a
//! provider that rotates its keys keeps working. No JWT check is written here.
//!
//! Issuers are `https://`; a loopback `http://` issuer is allowed for development and
//! tests (`tests/oidc/provider.mjs`).

use std::sync::Arc;

use openid::{Client, CompactJson, CustomClaims, Discovered, Options, StandardClaims};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;
use url::Url;

/// The ID token's claims: the standard ones and SURFconext's.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct FederationClaims {
    #[serde(flatten)]
    standard: StandardClaims,
    /// The institution's domain.
    #[serde(default)]
    schac_home_organization: Option<String>,
    /// `employee`, `staff`, `student`, …: a string or a list.
    #[serde(default)]
    eduperson_affiliation: Option<serde_json::Value>,
}

impl CustomClaims for FederationClaims {
    fn standard_claims(&self) -> &StandardClaims {
        &self.standard
    }
}

impl CompactJson for FederationClaims {}

/// What a provider vouched for, after every check.
#[derive(Debug, Clone)]
pub(crate) struct Verified {
    pub(crate) issuer: String,
    pub(crate) subject: String,
    pub(crate) email: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) home_organisation: Option<String>,
    pub(crate) affiliation: Option<String>,
}

/// One configured provider.
pub(crate) struct OidcProvider {
    /// Its place among the configured ones, from 1: the key in its sign-in address.
    pub(crate) key: String,
    /// The label of its button.
    pub(crate) name: String,
    issuer: Url,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    http: reqwest::Client,
    client: RwLock<Option<Arc<Client<Discovered, FederationClaims>>>>,
}

type Fault = String;

/// TLS for the providers: rustls on ring, trusting the webpki roots (Mozilla's list).
fn tls() -> Result<rustls::ClientConfig, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS for OpenID: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth())
}

/// Whether `url` may be used: HTTPS, or plain HTTP to this machine.
fn allowed(url: &Url) -> bool {
    url.scheme() == "https"
        || (url.scheme() == "http"
            && match url.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            })
}

impl OidcProvider {
    /// The providers of the flags, matched by position; `redirect_uri` is the callback
    /// on the public URL.
    pub(crate) fn from_flags(
        issuers: &[String],
        ids: &[String],
        secrets: &[String],
        names: &[String],
        redirect_uri: &str,
    ) -> Result<Vec<OidcProvider>, String> {
        if ids.len() != issuers.len() || secrets.len() != issuers.len() {
            return Err(format!(
                "--oidc-issuer, --oidc-client-id and --oidc-client-secret must be given as often as \
                 each other ({}, {}, {})",
                issuers.len(),
                ids.len(),
                secrets.len()
            ));
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls()?)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| format!("an HTTP client for OpenID: {e}"))?;
        issuers
            .iter()
            .enumerate()
            .map(|(i, issuer)| {
                let url = Url::parse(issuer.trim())
                    .map_err(|e| format!("--oidc-issuer `{issuer}`: {e}"))?;
                if !allowed(&url) {
                    return Err(format!(
                        "--oidc-issuer `{issuer}`: an issuer is https (or http on this machine)"
                    ));
                }
                Ok(OidcProvider {
                    key: (i + 1).to_string(),
                    name: names
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| url.host_str().unwrap_or("OpenID").to_owned()),
                    issuer: url,
                    client_id: ids[i].clone(),
                    client_secret: secrets[i].clone(),
                    redirect_uri: redirect_uri.to_owned(),
                    http: http.clone(),
                    client: RwLock::new(None),
                })
            })
            .collect()
    }

    /// The client, discovered once; `fresh` discovers again (new keys).
    async fn client(
        &self,
        fresh: bool,
    ) -> Result<Arc<Client<Discovered, FederationClaims>>, Fault> {
        if !fresh && let Some(c) = self.client.read().await.as_ref() {
            return Ok(c.clone());
        }
        let mut slot = self.client.write().await;
        let mut well_known = self.issuer.clone();
        well_known
            .path_segments_mut()
            .map_err(|()| "the issuer cannot be a base URL".to_owned())?
            .pop_if_empty()
            .extend([".well-known", "openid-configuration"]);
        let config: openid::Config = self
            .http
            .get(well_known)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("discovery: {e}"))?
            .json()
            .await
            .map_err(|e| format!("discovery document: {e}"))?;
        if config.issuer != self.issuer {
            return Err("the discovered issuer is not the configured one".to_owned());
        }
        if !allowed(&config.jwks_uri) {
            return Err("the provider's key set is not on https".to_owned());
        }
        let jwks = openid::jwks_insecure(&self.http, config.jwks_uri.clone())
            .await
            .map_err(|e| format!("key set: {e}"))?;
        let client = Arc::new(Client::new(
            Discovered::from(config),
            self.client_id.clone(),
            self.client_secret.clone(),
            self.redirect_uri.clone(),
            self.http.clone(),
            Some(jwks),
        ));
        *slot = Some(client.clone());
        Ok(client)
    }

    /// Where to send the person, with a new PKCE pair: the URL and the verifier to keep.
    pub(crate) async fn authorize(&self, state: &str, nonce: &str) -> Result<(Url, String), Fault> {
        let client = self.client(false).await?;
        let options = Options {
            scope: Some("openid email profile".to_owned()),
            state: Some(state.to_owned()),
            nonce: Some(nonce.to_owned()),
            ..Options::default()
        };
        let (url, pkce) = client.auth_url_with_new_pkce(&options);
        Ok((url, pkce.code_verifier().to_owned()))
    }

    /// Exchanges `code` and checks the ID token fully; the keys are fetched again once
    /// when the cached ones do not verify it.
    pub(crate) async fn verify(
        &self,
        code: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<Verified, Fault> {
        let client = self.client(false).await?;
        let bearer = client
            .request_token_pkce(code, Some(verifier))
            .await
            .map_err(|e| format!("token request: {e}"))?;
        let token: openid::Token<FederationClaims> = bearer.into();
        let Some(mut id_token) = token.id_token else {
            return Err("no ID token".to_owned());
        };
        let client = match client.decode_token(&mut id_token) {
            Ok(()) => client,
            Err(first) => {
                tracing::info!(error = %first, "an ID token did not verify with the cached keys; fetching them again");
                let client = self.client(true).await?;
                client
                    .decode_token(&mut id_token)
                    .map_err(|e| format!("ID token: {e}"))?;
                client
            }
        };
        client
            .validate_token(&id_token, Some(nonce), None)
            .map_err(|e| format!("ID token: {e}"))?;
        let claims = id_token.payload().map_err(|e| format!("ID token: {e}"))?;
        let info = &claims.standard.userinfo;
        let affiliation = match &claims.eduperson_affiliation {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Array(list)) => Some(
                list.iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            _ => None,
        };
        Ok(Verified {
            issuer: self.issuer.as_str().to_owned(),
            subject: openid::Claims::sub(claims).to_owned(),
            email: info.email.clone(),
            name: info.name.clone(),
            home_organisation: claims.schac_home_organization.clone(),
            affiliation,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_are_https_or_this_machine() {
        for ok in [
            "https://connect.surfconext.nl",
            "http://127.0.0.1:9090",
            "http://localhost:9090",
            "http://[::1]:9090",
        ] {
            assert!(allowed(&Url::parse(ok).expect("url")), "{ok}");
        }
        for bad in ["http://connect.surfconext.nl", "ftp://127.0.0.1"] {
            assert!(!allowed(&Url::parse(bad).expect("url")), "{bad}");
        }
    }

    #[test]
    fn the_flags_are_matched_by_position() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let p = OidcProvider::from_flags(
            &s(&["https://connect.surfconext.nl", "http://127.0.0.1:9090"]),
            &s(&["kb", "dev"]),
            &s(&["secret", "dev-secret"]),
            &s(&["SURFconext"]),
            "https://kb.example/aanmelden/oidc",
        )
        .expect("providers");
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].key.as_str(), p[0].name.as_str()), ("1", "SURFconext"));
        assert_eq!((p[1].key.as_str(), p[1].name.as_str()), ("2", "127.0.0.1"));
        assert_eq!(p[1].client_id, "dev");
        assert!(
            OidcProvider::from_flags(
                &s(&["https://a.example"]),
                &s(&[]),
                &s(&["x"]),
                &[],
                "https://kb.example/aanmelden/oidc",
            )
            .is_err()
        );
    }
}
