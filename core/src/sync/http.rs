//! The blocking HTTP transport (ureq with rustls) that phones and the
//! `device` command use.

use std::time::Duration;

use super::{Method, Request, Response, Transport, TransportError, wire::PROTOCOL_VERSION};

pub struct HttpTransport {
    base: String,
    agent: ureq::Agent,
}

impl HttpTransport {
    /// `base` is the server's URL, e.g. `http://127.0.0.1:8080`.
    pub fn new(base: &str) -> HttpTransport {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .user_agent(concat!("truyxuat/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        HttpTransport { base: base.trim_end_matches('/').to_owned(), agent }
    }
}

fn classify(e: ureq::Error) -> TransportError {
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout,
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => {
            TransportError::Unreachable(e.to_string())
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportError::Unreachable(io.to_string())
        }
        other => TransportError::Broken(other.to_string()),
    }
}

impl Transport for HttpTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let url = format!("{}{}", self.base, request.path);
        let protocol = PROTOCOL_VERSION.to_string();
        let auth = request.bearer.as_ref().map(|t| format!("Bearer {t}"));
        let result = match request.method {
            Method::Get => {
                let mut req = self.agent.get(&url).header("Truyxuat-Protocol", &protocol);
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                req.call()
            }
            Method::Post | Method::Upload(_) => {
                let media = match request.method {
                    Method::Upload(media) => media,
                    _ => "application/json",
                };
                let mut req = self
                    .agent
                    .post(&url)
                    .header("Truyxuat-Protocol", &protocol)
                    .header("Content-Type", media);
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                req.send(request.body.as_deref().unwrap_or_default())
            }
        };
        let mut response = result.map_err(classify)?;
        let status = response.status().as_u16();
        let body =
            response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_vec().map_err(classify)?;
        Ok(Response { status, body })
    }
}
