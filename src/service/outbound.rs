//! The one outbound HTTP client: webhook deliveries and LTI platform calls go only to URLs an
//! admin or a subscriber configured, with timeouts, a cap on what is read back, no redirect to
//! another host, and (unless allowed) nothing private: loopback, link-local, private ranges are
//! refused by the resolver after DNS, so a name cannot point inside the network either.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{redirect, Url};

use crate::config::Config;

/// What was read back of an answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    /// At most the limit given to the call; longer answers are cut there.
    pub body: Vec<u8>,
    pub truncated: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Transport(String),
}

#[derive(Clone)]
pub struct Outbound {
    client: reqwest::Client,
    allow_private: bool,
}

/// Addresses that are not on the public internet.
fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64 // shared 100.64/10
                || v4.octets()[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
        }
    }
}

struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || !is_private(a.ip()))
                .collect();
            if allowed.is_empty() {
                let e: Box<dyn std::error::Error + Send + Sync> =
                    format!("{} resolves to no public address", name.as_str()).into();
                return Err(e);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

impl Outbound {
    pub fn new(config: &Config) -> Result<Self, reqwest::Error> {
        let allow_private = config.outbound_allow_private;
        // Follow a redirect only within the same scheme, host and port; anything else ends
        // the request with the 3xx as its answer.
        let policy = redirect::Policy::custom(|attempt| {
            let same = attempt.previous().first().is_some_and(|first| {
                first.scheme() == attempt.url().scheme()
                    && first.host_str() == attempt.url().host_str()
                    && first.port_or_known_default() == attempt.url().port_or_known_default()
            });
            if same && attempt.previous().len() < 3 {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(concat!("newslit/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_millis(config.outbound_timeout_ms.min(5000)))
            .timeout(Duration::from_millis(config.outbound_timeout_ms))
            .redirect(policy)
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .build()?;
        Ok(Outbound {
            client,
            allow_private,
        })
    }

    /// Whether `url` may be called at all: http(s) with a host, `https` unless private
    /// destinations are allowed, no credentials in it, and no private address literal.
    pub fn check_url(&self, raw: &str) -> Result<Url, String> {
        check_url(raw, self.allow_private)
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Sends `request` (built from [`Outbound::client`] for a URL that passed
    /// [`Outbound::check_url`]) and reads at most `limit` bytes of the answer.
    pub async fn send(&self, request: reqwest::RequestBuilder, limit: usize) -> Result<Reply, OutboundError> {
        let request = request
            .build()
            .map_err(|e| OutboundError::Refused(e.to_string()))?;
        check_url(request.url().as_str(), self.allow_private).map_err(OutboundError::Refused)?;
        let mut res = self
            .client
            .execute(request)
            .await
            .map_err(|e| OutboundError::Transport(describe(&e)))?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = res
            .chunk()
            .await
            .map_err(|e| OutboundError::Transport(describe(&e)))?
        {
            let room = limit.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            headers,
            body,
            truncated,
        })
    }
}

/// The error with its causes, which reqwest keeps in the source chain.
fn describe(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "timed out".to_string()
    } else {
        e.to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

pub fn check_url(raw: &str, allow_private: bool) -> Result<Url, String> {
    if raw.len() > 2000 {
        return Err("is longer than 2000 characters".into());
    }
    let url = Url::parse(raw).map_err(|e| format!("is not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err("must be https".into()),
        other => return Err(format!("must be https, not {other}")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials".into());
    }
    let host = url.host_str().ok_or("has no host")?;
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = literal.parse::<IpAddr>() {
        if !allow_private && is_private(ip) {
            return Err(format!("points at the private address {ip}"));
        }
    }
    if !allow_private && (host == "localhost" || host.ends_with(".localhost")) {
        return Err("points at this machine".into());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_destinations_are_refused_unless_allowed() {
        for bad in [
            "http://example.org/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/",
            "https://[::1]:8443/",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/",
            "https://user:pw@example.org/",
            "ftp://example.org/",
            "not a url",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad} accepted");
        }
        assert!(check_url("https://hooks.example.org/newslit?x=1", false).is_ok());
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
    }

    #[test]
    fn private_ranges() {
        for ip in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }
}
