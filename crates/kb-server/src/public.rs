//! The deployment's one public address, and whom the server believes about a request.
//!
//! Every absolute link the software writes (canonical and alternate links, the sitemap,
//! `robots.txt`, feeds) is built from [`PublicUrl`], never from a request's `Host`,
//! `X-Forwarded-Host` or `X-Forwarded-Proto`: a forged header would otherwise reach every
//! visitor through a cache, or put an attacker's host into a link that is mailed out. The
//! website answers only the hosts it is meant for ([`AllowedHosts`]; others get 421
//! Misdirected Request); the API answers any host, since it writes no links.
//! `X-Forwarded-For` counts only from the proxies named in `--trusted-proxies`
//! ([`TrustedProxies`]).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The external address of the deployment: scheme, host and optional port, without a
/// path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// `scheme://host[:port]`, lower case, the scheme's default port left out.
    origin: String,
    /// The host as a `Host` header names it: `host[:port]`, the default port left out.
    authority: String,
    https: bool,
}

impl PublicUrl {
    /// Reads `--public-url`: `http` or `https`, a host, an optional port, and no path
    /// (the site's own links start at `/`), query or fragment.
    pub fn parse(text: &str) -> Result<Self, String> {
        let url = url::Url::parse(text.trim()).map_err(|e| {
            format!("`{text}` is not a URL ({e}); give one such as https://kennisbank.example")
        })?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(format!(
                    "`{text}`: the scheme must be http or https, not {other}"
                ));
            }
        };
        let Some(host) = url.host_str() else {
            return Err(format!("`{text}` names no host"));
        };
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(format!(
                "`{text}`: give the address without a path, query or fragment; the site's links start at `/`"
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("`{text}`: an address with a user name or password"));
        }
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(PublicUrl {
            origin: format!("{}://{authority}", url.scheme()),
            authority,
            https,
        })
    }

    /// A development run's address: `http://` and the address the server is bound to
    /// (`localhost` for an unspecified one such as `0.0.0.0`).
    pub fn of_bound(bound: SocketAddr) -> Self {
        let host = match bound.ip() {
            ip if ip.is_unspecified() => "localhost".to_owned(),
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        let authority = format!("{host}:{}", bound.port());
        PublicUrl {
            origin: format!("http://{authority}"),
            authority,
            https: false,
        }
    }

    /// `scheme://host[:port]`, the start of every absolute link.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether the public address is served over HTTPS.
    pub fn https(&self) -> bool {
        self.https
    }
}

impl std::fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.origin)
    }
}

/// The hosts the website answers: the public URL's, those of `--allowed-hosts`, and in
/// a development run (no `--public-url`) the bound address under its loopback names.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    /// `host` (any port) or `host:port`, lower case.
    names: Vec<String>,
}

impl AllowedHosts {
    /// The hosts for `public` (`configured` when it came from `--public-url`), `extra`
    /// and the address the server is bound to.
    pub fn new(public: &PublicUrl, configured: bool, extra: &[String], bound: SocketAddr) -> Self {
        let mut names = vec![public.authority.clone()];
        names.extend(
            extra
                .iter()
                .filter(|h| !h.is_empty())
                .map(|h| h.to_ascii_lowercase()),
        );
        if !configured {
            let port = bound.port();
            names.push(PublicUrl::of_bound(bound).authority);
            for loopback in ["localhost", "127.0.0.1", "[::1]"] {
                names.push(format!("{loopback}:{port}"));
            }
        }
        AllowedHosts { names }
    }

    /// Whether a request whose `Host` header is `host` is for this site. A name without
    /// a port allows it on any port; ports 80 and 443 count as no port.
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = split_host(host);
        !name.is_empty()
            && self.names.iter().any(|allowed| {
                let (allowed_name, allowed_port) = split_host(allowed);
                allowed_name == name && (allowed_port.is_none() || allowed_port == port)
            })
    }
}

/// A `Host` value as its lower-case name and its port (none for 80 and 443).
fn split_host(host: &str) -> (String, Option<u16>) {
    let host = host.trim().to_ascii_lowercase();
    let (name, port) = if host.starts_with('[') {
        match host.split_once(']') {
            Some((inside, rest)) => (format!("{inside}]"), rest.strip_prefix(':')),
            None => (host.clone(), None),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name.to_owned(), Some(port)),
            None => (host.clone(), None),
        }
    };
    match port.map(str::parse::<u16>) {
        None | Some(Ok(80 | 443)) => (name, None),
        Some(Ok(port)) => (name, Some(port)),
        // A port that is no number names no host of ours.
        Some(Err(_)) => (String::new(), None),
    }
}

/// Answers 421 Misdirected Request to a request for another host than the site's.
pub async fn site_host(
    State(hosts): State<std::sync::Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .unwrap_or("");
    if hosts.allows(host) {
        return next.run(request).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "421 Misdirected Request: this site does not answer for that host\n",
    )
        .into_response()
}

/// The network of `address` that logs may name: an IPv4 address cut to its /24, an IPv6
/// address to its /48 (an IPv4 address mapped into IPv6 counts as IPv4). Enough to see
/// that requests came from one provider or institution, not enough to name a visitor's
/// line, so the logs hold no personal data of visitors.
pub fn logged_network(address: IpAddr) -> IpNet {
    let address = match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    };
    match address {
        IpAddr::V4(a) => IpNet::V4(Ipv4Net::new(a, 24).map(|n| n.trunc()).unwrap_or_default()),
        IpAddr::V6(a) => IpNet::V6(Ipv6Net::new(a, 48).map(|n| n.trunc()).unwrap_or_default()),
    }
}

/// The client a request came from, as [`TrustedProxies::client`] finds it; set on every
/// request by [`client_address`].
#[derive(Debug, Clone, Copy)]
pub struct Client(pub IpAddr);

/// Finds each request's client: the peer of its connection, or, from a trusted proxy,
/// the address it forwards. The request's span (and so every log line of the request)
/// names only the client's network ([`logged_network`]).
pub async fn client_address(
    State(proxies): State<std::sync::Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    let client = proxies.client(peer, forwarded);
    tracing::Span::current().record("client", tracing::field::display(logged_network(client)));
    request.extensions_mut().insert(Client(client));
    next.run(request).await
}

/// The proxies whose `X-Forwarded-For` says who the client is.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
}

impl TrustedProxies {
    /// Reads a list of addresses (`10.0.0.7`) and networks (`10.0.0.0/8`, `fd00::/8`).
    pub fn parse(items: &[String]) -> Result<Self, String> {
        let mut networks = Vec::new();
        for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => item.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
                    format!("`{item}` is no address or network (10.0.0.7, 10.0.0.0/8)")
                })?,
            };
            networks.push(net);
        }
        Ok(TrustedProxies { networks })
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        self.networks.iter().any(|n| n.contains(&address))
    }

    /// The client of a request that came from `peer` with these `X-Forwarded-For`
    /// values: the peer itself, unless it is a trusted proxy; then, reading the header's
    /// addresses from the right, the first that is not a trusted proxy. A forwarded
    /// address that does not parse ends the walk at the last trusted hop.
    pub fn client<'a>(&self, peer: IpAddr, forwarded_for: impl Iterator<Item = &'a str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(address) = hop.parse::<IpAddr>() else {
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_keeps_scheme_host_and_port_and_refuses_a_path() {
        let u = PublicUrl::parse("https://Kennisbank.Example").expect("url");
        assert_eq!(u.origin(), "https://kennisbank.example");
        assert!(u.https());
        let u = PublicUrl::parse("http://kb.example:8443/").expect("url");
        assert_eq!(u.origin(), "http://kb.example:8443");
        assert!(PublicUrl::parse("https://kb.example/kennisbank").is_err());
        assert!(PublicUrl::parse("ftp://kb.example").is_err());
        assert!(PublicUrl::parse("kb.example").is_err());
        assert!(PublicUrl::parse("https://u:p@kb.example").is_err());
    }

    #[test]
    fn a_development_run_links_to_its_bound_address() {
        let bound: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
        assert_eq!(PublicUrl::of_bound(bound).origin(), "http://127.0.0.1:8080");
        let any: SocketAddr = "0.0.0.0:9000".parse().expect("addr");
        assert_eq!(PublicUrl::of_bound(any).origin(), "http://localhost:9000");
    }

    #[test]
    fn the_site_answers_its_own_hosts_only() {
        let bound: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
        let public = PublicUrl::parse("https://kennisbank.example").expect("url");
        let hosts = AllowedHosts::new(&public, true, &["www.kennisbank.example".into()], bound);
        assert!(hosts.allows("kennisbank.example"));
        assert!(hosts.allows("KENNISBANK.example:443"));
        assert!(hosts.allows("www.kennisbank.example:8443"));
        assert!(!hosts.allows("evil.example"));
        assert!(!hosts.allows("kennisbank.example.evil.example"));
        assert!(!hosts.allows("127.0.0.1:8080"));
        assert!(!hosts.allows(""));
        // A development run answers its bound address by its loopback names.
        let dev = AllowedHosts::new(&PublicUrl::of_bound(bound), false, &[], bound);
        for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"] {
            assert!(dev.allows(host), "{host}");
        }
        assert!(!dev.allows("localhost:9090"));
        assert!(!dev.allows("evil.example"));
    }

    #[test]
    fn logs_name_an_ipv4_client_by_its_slash_24_and_an_ipv6_client_by_its_slash_48() {
        let network = |a: &str| logged_network(a.parse().expect("ip")).to_string();
        assert_eq!(network("203.0.113.77"), "203.0.113.0/24");
        assert_eq!(network("2001:db8:abcd:12::1"), "2001:db8:abcd::/48");
        assert_eq!(network("::ffff:198.51.100.9"), "198.51.100.0/24");
        assert_eq!(network("127.0.0.1"), "127.0.0.0/24");
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxies =
            TrustedProxies::parse(&["10.0.0.0/8".into(), "192.0.2.7".into()]).expect("list");
        let client: IpAddr = "203.0.113.5".parse().expect("ip");
        let proxy: IpAddr = "10.1.2.3".parse().expect("ip");
        // An untrusted peer is the client, whatever it forwards.
        assert_eq!(proxies.client(client, ["198.51.100.1"].into_iter()), client);
        // A trusted proxy's forwarded client counts; a chain is read from the right.
        assert_eq!(proxies.client(proxy, ["203.0.113.5"].into_iter()), client);
        assert_eq!(
            proxies.client(proxy, ["198.51.100.1, 203.0.113.5, 192.0.2.7"].into_iter()),
            client
        );
        // Without the header, or with garbage, the proxy itself is what is known.
        assert_eq!(proxies.client(proxy, std::iter::empty()), proxy);
        assert_eq!(proxies.client(proxy, ["not-an-address"].into_iter()), proxy);
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(TrustedProxies::parse(&["proxy.example".into()]).is_err());
    }
}
