//! The real `serverscript` binary serving a fresh site on 127.0.0.1 (a free port, a
//! temporary folder, a real SQLite file), and an HTTP client for it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const ADMIN_PASSWORD: &str = "admin-pw";

pub struct Server {
    child: Child,
    stopped: Option<std::process::ExitStatus>,
    pub base: String,
    pub dir: tempfile::TempDir,
}

impl Server {
    pub fn start() -> Server {
        Server::start_with_config(&[])
    }

    /// Serves a site whose `site_config.json` already holds `config` (keys read at startup,
    /// such as listener limits, need this; others can be changed later with `set_config`).
    pub fn start_with_config(config: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        for (key, value) in config {
            set_config_in(dir.path(), key, value);
        }
        Server::spawn(dir, None)
    }

    /// Serves with Server Scripts enabled and `config` in the site config; with a client
    /// signed in as Administrator.
    pub fn start_with_scripts(config: &[(&str, &str)]) -> (Server, Client) {
        let mut all = vec![("server_script_enabled", "true")];
        all.extend_from_slice(config);
        let s = Server::start_with_config(&all);
        let c = s.admin();
        (s, c)
    }

    /// Serves with the default log settings (no `RUST_LOG`), its log written to `log`.
    pub fn start_logging_to(log: std::fs::File) -> Server {
        Server::spawn(tempfile::tempdir().expect("temp dir"), Some(log))
    }

    /// Kills the process with SIGKILL (no shutdown of any kind) and waits for it.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        if let Ok(status) = self.child.wait() {
            self.stopped = Some(status);
        }
    }

    /// Serves the same site folder again (after `kill9` or `stop`).
    pub fn restart(mut self) -> Server {
        if self.stopped.is_none() {
            self.kill9();
        }
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"));
        Server::spawn(dir, None)
    }

    fn spawn(dir: tempfile::TempDir, log: Option<std::fs::File>) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_serverscript"));
        command
            .args([
                "--site",
                "test",
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--admin-password",
                ADMIN_PASSWORD,
            ])
            .current_dir(dir.path())
            .stdout(Stdio::piped());
        match log {
            Some(file) => {
                command.env_remove("RUST_LOG").stderr(file);
            }
            None => {
                command.env("RUST_LOG", "warn");
                // the server's logs, only when asked for (SERVERSCRIPT_TEST_LOGS=1)
                command.stderr(if std::env::var_os("SERVERSCRIPT_TEST_LOGS").is_some() {
                    Stdio::inherit()
                } else {
                    Stdio::null()
                });
            }
        }
        let mut child = command.spawn().expect("start serverscript serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let base = loop {
            assert!(Instant::now() < deadline, "server did not start");
            let line = lines
                .next()
                .expect("server exited before serving")
                .expect("stdout line");
            if let Some(addr) = line.strip_prefix("Serving site test on ") {
                break addr.trim().trim_start_matches("http://").to_string();
            }
        };
        // keep draining stdout so the server never blocks on a full pipe
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            stopped: None,
            base,
            dir,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as Administrator (session cookie).
    pub fn admin(&self) -> Client {
        let c = self.client();
        let r = c.post_json(
            "/api/method/login",
            &serde_json::json!({"usr": "Administrator", "pwd": ADMIN_PASSWORD}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        c
    }

    /// `serverscript --site test set-config KEY VALUE` in the server's folder.
    pub fn set_config(&self, key: &str, value: &str) {
        set_config_in(self.dir.path(), key, value);
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A line of `/proc/PID/status` in kB (`"VmRSS"`, `"VmHWM"`), or None once it exited.
    pub fn status_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Whether the process is still running (not exited, not a zombie).
    pub fn is_running(&mut self) -> bool {
        self.stopped.is_none() && matches!(self.child.try_wait(), Ok(None))
    }

    pub fn site_path(&self) -> std::path::PathBuf {
        self.dir.path().join("sites").join("test")
    }

    /// Stops with SIGTERM (graceful) and returns whether it exited in time.
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        if self.stopped.is_some() {
            return self.stopped;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                self.stopped = Some(s);
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stop().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn set_config_in(dir: &std::path::Path, key: &str, value: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_serverscript"))
        .args(["--site", "test", "set-config", key, value])
        .current_dir(dir)
        .output()
        .expect("run set-config");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub text: String,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// `_server_messages` decoded twice, as clients do.
    pub fn server_messages(&self) -> Vec<Value> {
        let Some(Value::String(outer)) = self.body.get("_server_messages") else {
            return Vec::new();
        };
        let list: Vec<String> = serde_json::from_str(outer).expect("outer list of strings");
        list.iter()
            .map(|s| serde_json::from_str(s).expect("inner JSON object"))
            .collect()
    }
}

#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    pub base: String,
    pub authorization: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(60))
                // a redirect is an answer to check, not to follow
                .redirects(0)
                .build(),
            base: format!("http://{base}"),
            authorization: None,
        }
    }

    pub fn with_token(base: &str, key: &str, secret: &str) -> Client {
        let mut c = Client::new(base.trim_start_matches("http://"));
        c.authorization = Some(format!("token {key}:{secret}"));
        c
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, String)>,
        headers: &[(&str, &str)],
    ) -> Resp {
        self.try_request(method, path, body, headers)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// A request whose transport failure (refused, reset, no answer) is returned, not a
    /// panic: for tests that kill the server under load.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, String)>,
        headers: &[(&str, &str)],
    ) -> Result<Resp, String> {
        let mut req = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        if let Some(a) = &self.authorization {
            req = req.set("Authorization", a);
        }
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let result = match body {
            Some((ctype, text)) => req.set("Content-Type", ctype).send_string(&text),
            None => req.call(),
        };
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(e.to_string()),
        };
        let status = resp.status();
        let mut headers = Vec::new();
        for name in resp.headers_names() {
            for v in resp.all(&name) {
                headers.push((name.clone(), v.to_string()));
            }
        }
        let text = resp.into_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Resp {
            status,
            text,
            body,
            headers,
        })
    }

    pub fn try_post_json(&self, path: &str, body: &Value) -> Result<Resp, String> {
        self.try_request(
            "POST",
            path,
            Some(("application/json", body.to_string())),
            &[],
        )
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, None, &[])
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Resp {
        self.request(
            "POST",
            path,
            Some(("application/json", body.to_string())),
            &[],
        )
    }

    pub fn put_json(&self, path: &str, body: &Value) -> Resp {
        self.request(
            "PUT",
            path,
            Some(("application/json", body.to_string())),
            &[],
        )
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", body)),
            &[],
        )
    }

    pub fn delete(&self, path: &str) -> Resp {
        self.request("DELETE", path, None, &[])
    }
}

/// Percent-encodes a query or form value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string from pairs.
pub fn qs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Polls `f` every 50 ms for up to 5 s; whether it became true (background work: jobs,
/// the scheduler).
pub fn wait_until(f: impl FnMut() -> bool) -> bool {
    wait_for(Duration::from_secs(5), f)
}

/// Polls `f` every 50 ms for up to `timeout`; whether it became true.
pub fn wait_for(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if f() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Saves a Server Script (the document as JSON) and checks the save succeeded.
pub fn add_script(c: &Client, body: Value) {
    let r = c.post_json("/api/resource/Server Script", &body);
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Saves an API Server Script named after its method, open to Guest.
pub fn add_guest_api_script(c: &Client, method: &str, script: &str) {
    add_script(
        c,
        serde_json::json!({"name": method, "script_type": "API", "api_method": method,
                           "allow_guest": 1, "script": script}),
    );
}
