//! The `opc-plc` process of the process tests, on a store whose root is its working directory,
//! with its console log collected line by line.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The start-up line that carries the endpoint URL.
const STARTED: &str = "OPC UA Server started at ";

/// A running `opc-plc` with its console log collected line by line.
pub struct Plc {
    pub child: Child,
    pub log: Arc<Mutex<Vec<String>>>,
    pub port: u16,
    pub store: PathBuf,
}

impl Plc {
    /// Starts the PLC on `store` (the store root is its working directory, its folders `own`,
    /// `trusted`, `issuer`, `rejected`) with `extra` arguments and waits until it listens.
    pub fn start(store: &Path, extra: &[&str]) -> Plc {
        Self::start_with(store, extra, |_| {})
    }

    /// [`Self::start`] with environment (or more) from `configure`.
    pub fn start_with(store: &Path, extra: &[&str], configure: impl FnOnce(&mut Command)) -> Plc {
        let mut command = super::plc_command(store, "localhost");
        command
            .args([
                "--ap", "own", "--tp", "trusted", "--ip", "issuer", "--rp", "rejected",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        configure(&mut command);
        let mut child = command.spawn().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().unwrap();
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    log.lock().unwrap().push(line);
                }
            });
        }
        let mut plc = Plc {
            child,
            log,
            port: 0,
            store: store.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        plc.port = loop {
            let port = plc.lines().iter().find_map(|l| {
                let url = &l[l.find(STARTED)? + STARTED.len()..];
                url.rsplit_once(':')?.1.trim().parse::<u16>().ok()
            });
            if let Some(port) = port {
                break port;
            }
            if let Some(status) = plc.child.try_wait().unwrap() {
                panic!("opc-plc exited with {status}:\n{}", plc.text());
            }
            assert!(
                Instant::now() < deadline,
                "opc-plc did not start:\n{}",
                plc.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        plc
    }

    pub fn url(&self) -> String {
        format!("opc.tcp://127.0.0.1:{}", self.port)
    }

    pub fn lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// Waits (briefly: the line is written before the client hears back) for a log line with
    /// every one of `parts`.
    pub fn assert_logged(&self, parts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(line) = self
                .lines()
                .into_iter()
                .find(|l| parts.iter().all(|p| l.contains(p)))
            {
                return line;
            }
            assert!(
                Instant::now() < deadline,
                "no log line with {parts:?}:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn count_logged(&self, parts: &[&str]) -> usize {
        self.lines()
            .iter()
            .filter(|l| parts.iter().all(|p| l.contains(p)))
            .count()
    }

    /// The PLC's own certificate file (the client pins it).
    pub fn server_certificate(&self) -> PathBuf {
        let dir = self.store.join("own/certs");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        files.pop().unwrap()
    }

    pub fn rejected(&self) -> Vec<Vec<u8>> {
        std::fs::read_dir(self.store.join("rejected/certs"))
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect()
    }

    /// The files of the store's `own/certs`.
    pub fn own_certificates(&self) -> Vec<Vec<u8>> {
        std::fs::read_dir(self.store.join("own/certs"))
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.is_file())
                    .map(|p| std::fs::read(p).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Panics with the log when the process has exited.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("opc-plc exited with {status}:\n{}", self.text());
        }
    }
}

impl Drop for Plc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
