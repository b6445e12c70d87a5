//! The accept loop's bounds on a real server: half-sent requests and idle
//! connections are closed, one client address cannot hold every
//! connection, and `/healthz` answers while one holds all it may.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use support::Server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

fn address(server: &Server) -> SocketAddr {
    server.url.strip_prefix("http://").unwrap().parse().unwrap()
}

/// A connection from this loopback address (all of 127/8 is the machine).
async fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(to).await.unwrap()
}

/// How long until the server closes the connection (reading whatever it
/// sends first), at most `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<(Duration, String)> {
    let started = Instant::now();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(started.elapsed()), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Some((started.elapsed(), String::from_utf8_lossy(&seen).into()));
            }
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
}

async fn healthz_from(from: &str, to: SocketAddr) -> String {
    let mut s = connect_from(from, to).await;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").await.unwrap();
    closed_within(&mut s, Duration::from_secs(10)).await.map(|(_, text)| text).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_and_idle_connections_are_closed() {
    let server = Server::start(&["--header-timeout", "2"]);
    let to = address(&server);
    // Headers never finished.
    let mut half = connect_from("127.0.0.1", to).await;
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n").await.unwrap();
    let (after, _) = closed_within(&mut half, Duration::from_secs(10)).await.expect("closed");
    assert!(after >= Duration::from_millis(1500) && after < Duration::from_secs(5), "{after:?}");
    // Nothing sent at all.
    let mut silent = connect_from("127.0.0.1", to).await;
    assert!(closed_within(&mut silent, Duration::from_secs(10)).await.is_some());
    // One answer, then idle on a kept-alive connection.
    let mut idle = connect_from("127.0.0.1", to).await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").await.unwrap();
    let (after, text) = closed_within(&mut idle, Duration::from_secs(10)).await.expect("closed");
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(after < Duration::from_secs(5), "{after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_hold_every_connection() {
    let server = Server::start(&[
        "--max-connections",
        "40",
        "--max-connections-per-address",
        "20",
        "--header-timeout",
        "60",
    ]);
    let to = address(&server);
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(connect_from("127.0.0.1", to).await);
    }
    // The 21st from that address is closed at once; another address is served.
    let mut extra = connect_from("127.0.0.1", to).await;
    let closed = closed_within(&mut extra, Duration::from_secs(5)).await;
    assert!(closed.as_ref().is_some_and(|(after, _)| *after < Duration::from_secs(2)), "{closed:?}");
    assert!(healthz_from("127.0.0.2", to).await.starts_with("HTTP/1.1 200"));
    // Another client takes all the rest it may, which leaves the reserve
    // (an eighth) to addresses holding few: /healthz still answers.
    let mut crowd = Vec::new();
    for _ in 0..30 {
        crowd.push(connect_from("127.0.0.3", to).await);
    }
    let answer = healthz_from("127.0.0.9", to).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    // Once they go, their places are free again.
    drop(held);
    drop(crowd);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut again = Vec::new();
    for _ in 0..20 {
        again.push(connect_from("127.0.0.1", to).await);
    }
    assert!(healthz_from("127.0.0.2", to).await.starts_with("HTTP/1.1 200"));
}

#[test]
fn a_log_that_cannot_be_written_does_not_stop_the_server() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let mut child = std::process::Command::new(support::bin())
        .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("server.db"))
        .env("TRUYXUAT_LOG", "debug")
        .env("TRUYXUAT_JWT_SECRET", support::SECRET)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(full)
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line:?}")).to_owned();
    // Every request logs (and stdout is closed now too).
    for n in 0..50 {
        let (status, _, _) =
            support::call("GET", &format!("{url}/v1/resolve?code=893612010011{n}"), None, None);
        assert_eq!(status, 200);
    }
    assert!(child.try_wait().unwrap().is_none(), "still serving");
    let _ = child.kill();
    let _ = child.wait();
}
