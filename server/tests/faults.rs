//! Faults: a transport that drops, delays, duplicates and cuts requests and
//! responses at random, between real phones' journals and a real server.
//! After many rounds the server holds exactly each device's events: none
//! lost, none twice.

mod support;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use support::{Server, events_from};
use truyxuat_core::journal::{EventBody, Journal, Scan};
use truyxuat_core::sync::{Client, HttpTransport, Policy, Request, Response, Transport, TransportError};

/// Wraps the real HTTP transport and misbehaves.
struct Chaos {
    inner: HttpTransport,
    rng: RefCell<StdRng>,
    faults: RefCell<BTreeMap<&'static str, u32>>,
}

impl Chaos {
    fn count(&self, what: &'static str) {
        *self.faults.borrow_mut().entry(what).or_default() += 1;
    }
}

impl Transport for Chaos {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let roll: u32 = self.rng.borrow_mut().random_range(0..100);
        match roll {
            // The request never arrives.
            0..15 => {
                self.count("dropped request");
                Err(TransportError::Unreachable("dropped by chaos".into()))
            }
            // The request is cut before its body is complete.
            15..25 => {
                self.count("cut request");
                let mut cut = request.clone();
                if let Some(body) = &mut cut.body {
                    let keep = self.rng.borrow_mut().random_range(0..body.len().max(1));
                    body.truncate(keep);
                    // The server sees broken JSON and refuses it; the phone
                    // sees the connection break.
                    let _ = self.inner.send(&cut);
                }
                Err(TransportError::Broken("request cut by chaos".into()))
            }
            // The server does the work but the answer is lost.
            25..40 => {
                self.count("lost response");
                let _ = self.inner.send(request);
                Err(TransportError::Broken("response lost by chaos".into()))
            }
            // The answer is cut: the phone cannot read it.
            40..45 => {
                self.count("cut response");
                let mut r = self.inner.send(request)?;
                let keep = r.body.len() / 2;
                r.body.truncate(keep);
                Ok(r)
            }
            // The request arrives twice (a retrying proxy).
            45..55 => {
                self.count("duplicated request");
                let _ = self.inner.send(request);
                self.inner.send(request)
            }
            // Slow network.
            55..65 => {
                self.count("delayed");
                let ms = self.rng.borrow_mut().random_range(1..30);
                std::thread::sleep(Duration::from_millis(ms));
                self.inner.send(request)
            }
            // The server is overloaded.
            65..70 => {
                self.count("503");
                Ok(Response { status: 503, body: b"overloaded".to_vec() })
            }
            _ => self.inner.send(request),
        }
    }
}

fn scan(n: usize) -> EventBody {
    EventBody::Scan(Scan {
        raw_text: format!("(01)08934563138011(21)S{n}"),
        symbology_id: Some("]d2".into()),
        element_string: None,
        location: None,
        answer_shown: None,
    })
}

#[test]
fn chaos_between_phones_and_server_loses_nothing_and_duplicates_nothing() {
    let server = Server::start(&["--user-rate", "10000"]);
    let dir = tempfile::tempdir().unwrap();
    let users = ["farmer", "inspector", "consumer", "enterprise"];
    let mut phones: Vec<Journal> = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let mut j = Journal::open(&dir.path().join(format!("{i}.journal"))).unwrap();
        Client::new(HttpTransport::new(&server.url)).login(&mut j, user, "demo").unwrap();
        phones.push(j);
    }
    let chaos = Chaos {
        inner: HttpTransport::new(&server.url),
        rng: RefCell::new(StdRng::seed_from_u64(20261126)),
        faults: RefCell::new(BTreeMap::new()),
    };
    let policy = Policy { push_batch: 7, pull_limit: 3, attempts: 2, ..Policy::default() };
    let client = Client::new(&chaos).with_policy(policy).with_sleep(|_| {});
    let mut rng = StdRng::seed_from_u64(7);
    let (mut written, mut failures) = (0usize, 0u32);
    for _round in 0..60 {
        for phone in &mut phones {
            for _ in 0..rng.random_range(0..6) {
                phone.append(&scan(written)).unwrap();
                written += 1;
            }
            if client.sync(phone).is_err() {
                failures += 1;
            }
        }
    }
    let faults = chaos.faults.borrow().clone();
    assert!(
        faults.len() >= 7 && failures > 10,
        "the chaos really happened: {faults:?}, {failures} failed syncs"
    );

    // The network heals.
    let calm = Client::new(HttpTransport::new(&server.url));
    for phone in &mut phones {
        let report = calm.sync(phone).unwrap();
        assert_eq!(report.pending, 0);
        let counts = phone.counts().unwrap();
        assert_eq!((counts.acked, counts.rejected), (counts.total, 0));
        assert!(phone.verify().unwrap().ok());
    }

    let ids: Vec<String> = phones.iter().map(|p| p.device_id().to_owned()).collect();
    let events = events_from(&server.url, &ids.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(events.len(), written, "every event once");
    let mut by_device: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in &events {
        assert_eq!(e["status"], "accepted", "{e}");
        let fresh = by_device
            .entry(e["device_id"].as_str().unwrap().to_owned())
            .or_default()
            .insert(e["id"].as_str().unwrap().to_owned());
        assert!(fresh, "duplicate {e}");
    }
    for phone in &phones {
        let local: BTreeSet<String> = phone.list(0, 10_000).unwrap().into_iter().map(|e| e.id).collect();
        assert_eq!(by_device.get(phone.device_id()).cloned().unwrap_or_default(), local);
    }
}
