//! A real headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`,
//! installed by `scripts/prereqs`; `fantoccini` as the WebDriver client). Missing browsers
//! fail the test loudly with the command that installs them: a browser test that cannot run
//! is a failure, never a pass.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::doc_markdown
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long a wait for the page may take.
pub const PATIENCE: Duration = Duration::from_mins(1);

fn find_program(env: &str, candidates: &[&str]) -> PathBuf {
    if let Some(path) = std::env::var_os(env) {
        return PathBuf::from(path);
    }
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "{} not found (looked at {candidates:?}, or set {env}): run ./scripts/prereqs, which installs Debian's chromium and chromium-driver",
                candidates[0]
            )
        })
}

/// chromedriver on a free loopback port and a WebDriver session of headless Chromium.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Browser {
    pub async fn start() -> Self {
        let chromedriver = find_program("CHROMEDRIVER", &["/usr/bin/chromedriver"]);
        let chromium = find_program(
            "CHROMIUM",
            &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
        );
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver never listened on {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1440,1100", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--force-color-profile=srgb",
                ],
            }),
        );
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("no WebDriver session with {}: {e}", chromium.display()));
        Self { client, driver }
    }

    /// The first element matching `css`, waiting for it.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?} within {PATIENCE:?}: {e}"))
    }

    /// The text of `css` once `done` holds for it (the page re-renders as reports arrive).
    pub async fn text_until(&self, css: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if done(&text) {
                    return text;
                }
                last = text;
            }
            assert!(
                Instant::now() < deadline,
                "{css:?} never {what} within {PATIENCE:?}; last text {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until no element matches `css`.
    pub async fn gone(&self, css: &str, what: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
        {
            assert!(Instant::now() < deadline, "{css:?} never {what}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Clicks `css` once it is there and enabled (re-rendered cards replace their buttons).
    pub async fn click(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && element.is_enabled().await.unwrap_or(false)
                && element.click().await.is_ok()
            {
                return;
            }
            assert!(Instant::now() < deadline, "{css:?} never clickable");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Replaces the value of a text field.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// A PNG of the window.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Ends the WebDriver session, then chromedriver (on drop).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
