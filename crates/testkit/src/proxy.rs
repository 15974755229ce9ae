//! A TCP proxy that a fault test cuts and restores: it stands between Frontline and the real
//! PostgreSQL or NATS, so "the database is gone" happens to one test's connections only and
//! the shared servers stay up for everyone else.
//!
//! Cut: the listening socket is closed (new connections are refused, as by a stopped server)
//! and every forwarded connection is closed on both sides. Restore: the same address listens
//! again and forwards as before.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running proxy to one upstream address.
pub struct Proxy {
    addr: SocketAddr,
    upstream: String,
    /// The accept loop while the proxy is up.
    accept: Mutex<Option<JoinHandle<()>>>,
    /// One task per forwarded connection; aborting it closes both of its sockets.
    conns: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    /// Listens on a free port of 127.0.0.1 and forwards each connection to `upstream`
    /// (`host:port`).
    pub async fn start(upstream: &str) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let proxy = Self {
            addr,
            upstream: upstream.to_owned(),
            accept: Mutex::new(None),
            conns: Arc::new(Mutex::new(Vec::new())),
        };
        proxy.serve(listener);
        Ok(proxy)
    }

    /// A proxy to the host and port of `url` (`postgres://u@127.0.0.1:5432/db`,
    /// `nats://127.0.0.1:4222`); give clients [`Proxy::url`] of the same URL.
    pub async fn for_url(url: &str) -> std::io::Result<Self> {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        Self::start(host_port).await
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `url` with its host and port replaced by this proxy's (`postgres://u@h:5432/db?x` →
    /// `postgres://u@127.0.0.1:PORT/db?x`).
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let userinfo = authority.rfind('@').map(|i| &authority[..=i]).unwrap_or("");
        format!("{scheme}://{userinfo}{}{tail}", self.addr)
    }

    fn serve(&self, listener: TcpListener) {
        let conns = self.conns.clone();
        let upstream = self.upstream.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else { continue };
                let upstream = upstream.clone();
                let conn = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                if let Ok(mut list) = conns.lock() {
                    list.retain(|c| !c.is_finished());
                    list.push(conn);
                }
            }
        });
        if let Ok(mut accept) = self.accept.lock() {
            *accept = Some(task);
        }
    }

    /// Closes the listening socket and every forwarded connection; returns when they are
    /// closed.
    pub async fn cut(&self) {
        let accept = self.accept.lock().ok().and_then(|mut a| a.take());
        if let Some(task) = accept {
            task.abort();
            let _ = task.await;
        }
        let conns: Vec<_> = self.conns.lock().map(|mut c| c.drain(..).collect()).unwrap_or_default();
        for conn in conns {
            conn.abort();
            let _ = conn.await;
        }
    }

    /// Listens again on the same address.
    pub async fn restore(&self) {
        // The port was ours a moment ago; binding again may need a few tries while the kernel
        // lets go of it.
        for attempt in 0.. {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => return self.serve(listener),
                Err(e) if attempt < 50 => {
                    eprintln!("proxy: binding {} again: {e}", self.addr);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("proxy: cannot listen on {} again: {e}", self.addr),
            }
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Ok(mut accept) = self.accept.lock()
            && let Some(task) = accept.take()
        {
            task.abort();
        }
        if let Ok(mut conns) = self.conns.lock() {
            for conn in conns.drain(..) {
                conn.abort();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn forwards_until_cut_and_again_after_restore() {
        let echo = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let upstream = echo.local_addr().expect("addr").to_string();
        let echo_task = tokio::spawn(async move {
            loop {
                let Ok((mut s, _)) = echo.accept().await else { continue };
                tokio::spawn(async move {
                    let mut buf = [0u8; 64];
                    while let Ok(n @ 1..) = s.read(&mut buf).await {
                        if s.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        let proxy = Proxy::start(&upstream).await.expect("proxy");
        let mut c = TcpStream::connect(proxy.addr()).await.expect("connect");
        c.write_all(b"ping").await.expect("write");
        let mut buf = [0u8; 4];
        c.read_exact(&mut buf).await.expect("echo");
        assert_eq!(&buf, b"ping");

        proxy.cut().await;
        let mut rest = Vec::new();
        assert_eq!(c.read_to_end(&mut rest).await.map(|_| rest.len()).unwrap_or(0), 0, "the connection is closed");
        assert!(TcpStream::connect(proxy.addr()).await.is_err(), "new connections are refused");

        proxy.restore().await;
        let mut c = TcpStream::connect(proxy.addr()).await.expect("connect again");
        c.write_all(b"pong").await.expect("write");
        c.read_exact(&mut buf).await.expect("echo");
        assert_eq!(&buf, b"pong");
        echo_task.abort();
    }

    #[test]
    fn urls_are_pointed_at_the_proxy() {
        let p = Proxy {
            addr: "127.0.0.1:1234".parse().expect("addr"),
            upstream: String::new(),
            accept: Mutex::new(None),
            conns: Arc::new(Mutex::new(Vec::new())),
        };
        assert_eq!(p.url("postgres://postgres@127.0.0.1:5432/test"), "postgres://postgres@127.0.0.1:1234/test");
        assert_eq!(
            p.url("postgres://u:p@db:5432/x?sslmode=disable"),
            "postgres://u:p@127.0.0.1:1234/x?sslmode=disable"
        );
        assert_eq!(p.url("nats://127.0.0.1:4222"), "nats://127.0.0.1:1234");
    }
}
