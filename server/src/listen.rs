//! The accept loop, with the bounds a server on the open Internet needs:
//!
//! - a request's headers must be complete within [`Connections::header_timeout`],
//!   and so must the next request's on a kept-alive connection (an idle
//!   connection is closed after as long): half-sent requests cannot hold
//!   connections open;
//! - at most [`Connections::max`] connections in all (below the open-files
//!   limit, which is raised to its hard limit first), and at most
//!   [`Connections::per_address`] from one client address (a shop behind one
//!   NAT address keeps hundreds of phones);
//! - the last [`Connections::reserve`] connections are kept for addresses
//!   that hold only a few: while one client holds all it may, `/healthz`
//!   and everyone else still get in.
//!
//! A connection over a bound is accepted and closed at once, so that it
//! does not wait in the listen queue.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tower::ServiceExt;

/// The connection bounds of [`serve`].
#[derive(Clone, Debug)]
pub struct Connections {
    pub header_timeout: Duration,
    /// In all; `0`: from the open-files limit.
    pub max: usize,
    pub per_address: usize,
}

impl Default for Connections {
    fn default() -> Self {
        Connections { header_timeout: Duration::from_secs(30), max: 0, per_address: 1024 }
    }
}

/// Addresses holding fewer connections than this may use the reserve.
const FEW: usize = 8;
/// Open files kept for the database, logs and the listener itself.
const FILES_KEPT: u64 = 64;

impl Connections {
    /// The cap in all: as set, or the open-files limit less what the
    /// process needs besides.
    pub fn cap(&self) -> usize {
        match self.max {
            0 => open_files_limit().saturating_sub(FILES_KEPT).clamp(16, 1 << 20) as usize,
            n => n,
        }
    }

    /// The connections kept for addresses that hold only a few.
    pub fn reserve(&self) -> usize {
        (self.cap() / 8).clamp(2, 256)
    }
}

/// Raise the soft open-files limit to the hard one; the soft limit then.
pub fn raise_open_files_limit() -> u64 {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if let Some(hard) = limit.maximum
        && limit.current.is_some_and(|soft| soft < hard)
    {
        let _ =
            setrlimit(Resource::Nofile, rustix::process::Rlimit { current: Some(hard), maximum: Some(hard) });
    }
    open_files_limit()
}

fn open_files_limit() -> u64 {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current.unwrap_or(1 << 20)
}

/// Who holds how many connections.
struct Admission {
    cap: usize,
    reserve: usize,
    per_address: usize,
    held: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// A connection let in; letting go of it frees its place.
struct Admitted {
    admission: Arc<Admission>,
    ip: IpAddr,
}

impl Admission {
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Admitted> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let (total, by_address) = &mut *held;
        let mine = by_address.get(&ip).copied().unwrap_or(0);
        let full = *total >= self.cap || (*total >= self.cap - self.reserve && mine >= FEW);
        if mine >= self.per_address || full {
            return None;
        }
        *total += 1;
        *by_address.entry(ip).or_default() += 1;
        Some(Admitted { admission: self.clone(), ip })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut held = self.admission.held.lock().unwrap_or_else(|p| p.into_inner());
        let (total, by_address) = &mut *held;
        *total = total.saturating_sub(1);
        if let Some(n) = by_address.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                by_address.remove(&self.ip);
            }
        }
    }
}

/// Serve `router` on `listener` within `bounds` until `shutdown`
/// completes; connections then finish what they are doing (30 s at most).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    bounds: &Connections,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cap = bounds.cap();
    let admission = Arc::new(Admission {
        cap,
        reserve: bounds.reserve().min(cap.saturating_sub(1)),
        per_address: bounds.per_address,
        held: Mutex::new((0, HashMap::new())),
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(bounds.header_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of files, most likely: wait for connections to end.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admitted) = admission.admit(peer.ip()) else {
            drop(stream);
            continue;
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(admitted);
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await.is_err() {
        tracing::warn!("connections still open after 30 s; closing them");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_takes_its_share_and_the_reserve_stays_for_others() {
        let admission = Arc::new(Admission {
            cap: 20,
            reserve: 4,
            per_address: 50,
            held: Mutex::new((0, HashMap::new())),
        });
        let greedy: IpAddr = "10.0.0.1".parse().unwrap();
        let held: Vec<_> = std::iter::from_fn(|| admission.admit(greedy)).collect();
        assert_eq!(held.len(), 16, "all but the reserve");
        let others: Vec<_> =
            (2..=10).filter_map(|n| admission.admit(format!("10.0.0.{n}").parse().unwrap())).collect();
        assert_eq!(others.len(), 4, "the reserve, to those holding few");
        assert!(admission.admit("10.0.0.99".parse().unwrap()).is_none(), "full");
        drop(others);
        assert!(admission.admit("10.0.0.99".parse().unwrap()).is_some());
        let small = Arc::new(Admission {
            cap: 100,
            reserve: 4,
            per_address: 3,
            held: Mutex::new((0, HashMap::new())),
        });
        let mine: Vec<_> = std::iter::from_fn(|| small.admit(greedy)).take(10).collect();
        assert_eq!(mine.len(), 3, "the per-address cap");
        drop(mine);
        assert_eq!(small.held.lock().unwrap().0, 0, "every place freed");
    }
}
