//! `opc-vault serve`'s HTTP API against an in-process edge-sim with a real own-`pki` module
//! (module-runtime's twin driver) and a cert-agent store: the login and its refusals (wrong
//! token, foreign `Host`, foreign `Origin`, missing CSRF token, form bodies), the modules
//! view, an action followed to the module's report, the twin editor's checks, its refusal of
//! a stale etag, and the embedded page. The browser drives the same API in
//! `tests/e2e/tests/operator_page.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use common::{Agent, Module, PATIENCE, Sim, options, vault};
use http_body_util::{BodyExt as _, Full};
use hyper::header::{CONTENT_TYPE, COOKIE, HOST, ORIGIN, SET_COOKIE};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use opc_vault::serve::{ServeOptions, Served, start};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "a-test-token-of-enough-length-0123456789ab";

/// A browser without a browser: one HTTP/1 request per connection, the session cookie and
/// the CSRF token kept.
struct Page {
    addr: SocketAddr,
    cookie: Option<String>,
    csrf: Option<String>,
}

struct Answer {
    status: StatusCode,
    set_cookie: Option<String>,
    csp: Option<String>,
    body: Value,
    text: String,
}

impl Page {
    fn new(served: &Served) -> Self {
        Self {
            addr: served.addr,
            cookie: None,
            csrf: None,
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let tcp = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
            .await
            .unwrap();
        tokio::spawn(conn);
        let mut request = Request::builder().method(method.clone()).uri(path);
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            request = request.header(HOST, format!("127.0.0.1:{}", self.addr.port()));
        }
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        let named = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        if method != Method::GET {
            if !named("content-type") {
                request = request.header(CONTENT_TYPE, "application/json");
            }
            if !named("origin") {
                request = request.header(ORIGIN, format!("http://127.0.0.1:{}", self.addr.port()));
            }
            if let Some(csrf) = &self.csrf {
                request = request.header("x-csrf-token", csrf);
            }
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let bytes = body.map_or_else(Vec::new, |b| serde_json::to_vec(&b).unwrap());
        let response = sender
            .send_request(request.body(Full::new(Bytes::from(bytes))).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &hyper::header::HeaderValue| v.to_str().unwrap().to_owned())
        };
        let set_cookie = header(SET_COOKIE);
        let csp = header(hyper::header::CONTENT_SECURITY_POLICY);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Answer {
            status,
            set_cookie,
            csp,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None, &[]).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    async fn login(&mut self, token: &str) -> Answer {
        let answer = self.post("/api/login", json!({ "token": token })).await;
        if answer.status == StatusCode::OK {
            let cookie = answer.set_cookie.clone().unwrap();
            self.cookie = Some(cookie.split(';').next().unwrap().to_owned());
            self.csrf = answer.body["csrf"].as_str().map(str::to_owned);
        }
        answer
    }

    /// Waits for job `id` to end; returns it.
    async fn job(&self, id: u64) -> Value {
        let deadline = tokio::time::Instant::now() + PATIENCE + Duration::from_secs(10);
        loop {
            let job = self.get(&format!("/api/jobs/{id}")).await.body;
            if job["state"] != "running" {
                return job;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "job {id} never ended: {job}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn serve_options(sim: &Sim) -> ServeOptions {
    ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        hub: sim.hub(),
        hub_key: Some("aHViLWtleQ==".into()),
        token: Some(TOKEN.into()),
        tls: None,
        provision: options(),
    }
}

async fn serve(sim: &Sim, vault: &opc_vault::Vault) -> Served {
    start(vault.clone(), serve_options(sim), CancellationToken::new())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_logged_in_page_of_our_own_origin_with_its_csrf_token_reaches_the_api() {
    let sim = Sim::start(&["opcplc"]).await;
    let (_dir, vault) = vault(false);
    let served = serve(&sim, &vault).await;
    assert!(
        served.url.ends_with(&format!("/#token={TOKEN}")),
        "{}",
        served.url
    );
    let mut page = Page::new(&served);

    // The page itself loads without a login; its CSP allows nothing from elsewhere.
    let index = page.get("/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text.contains("<script src=\"/app.js\""));
    assert!(index.csp.unwrap().contains("default-src 'none'"));
    assert_eq!(page.get("/app.js").await.status, StatusCode::OK);

    // No session: 401 for the API.
    assert_eq!(
        page.get("/api/modules").await.status,
        StatusCode::UNAUTHORIZED
    );
    // A wrong token is refused and opens nothing.
    let wrong = page.login("guess").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.set_cookie.is_none());
    // A login from another site is refused before the token is even looked at.
    let foreign = page
        .send(
            Method::POST,
            "/api/login",
            Some(json!({ "token": TOKEN })),
            &[("origin", "http://evil.example")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    // A rebinding domain in Host never reaches the page.
    let rebound = page
        .send(Method::GET, "/", None, &[("host", "evil.example:80")])
        .await;
    assert_eq!(rebound.status, StatusCode::MISDIRECTED_REQUEST);

    // The hub's key logs in as well as the printed token.
    let mut by_key = Page::new(&served);
    assert_eq!(by_key.login("aHViLWtleQ==").await.status, StatusCode::OK);

    let login = page.login(TOKEN).await;
    assert_eq!(login.status, StatusCode::OK);
    let cookie = login.set_cookie.unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = page.get("/api/session").await.body;
    assert_eq!(session["csrf"], Value::String(page.csrf.clone().unwrap()));
    assert_eq!(page.get("/api/modules").await.status, StatusCode::OK);

    // A write without the CSRF token, with another one, or as a form, is refused.
    let csrf = page.csrf.take();
    let no_csrf = page
        .post("/api/actions", json!({"action": "pushCrls"}))
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert!(no_csrf.body["error"].as_str().unwrap().contains("CSRF"));
    page.csrf = Some("forged".into());
    assert_eq!(
        page.post("/api/actions", json!({"action": "pushCrls"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    page.csrf = csrf;
    let form = page
        .send(
            Method::POST,
            "/api/actions",
            Some(json!({"action": "pushCrls"})),
            &[("content-type", "application/x-www-form-urlencoded")],
        )
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    assert_eq!(page.jobs_count().await, 0);

    // Logged out, the cookie opens nothing any more.
    assert_eq!(
        page.post("/api/logout", json!({})).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        page.get("/api/modules").await.status,
        StatusCode::UNAUTHORIZED
    );
}

impl Page {
    async fn jobs_count(&self) -> usize {
        self.get("/api/jobs").await.body.as_array().unwrap().len()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_module_is_shown_provisioned_from_the_page_and_its_report_followed() {
    let sim = Sim::start(&["opcplc", "certagent"]).await;
    let _plc = Module::start(&sim, "opcplc", "urn:opcplc");
    let _agent = Agent::start(&sim, "certagent", "vendor", "urn:vendor");
    let (_dir, vault) = vault(true);
    let served = serve(&sim, &vault).await;
    let mut page = Page::new(&served);
    page.login(TOKEN).await;

    // Both stores appear once their modules reported, self-signed, with their CSRs.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let view = loop {
        let view = page.get("/api/modules").await.body;
        let reported = view["modules"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["stores"].as_array().unwrap().clone())
            .filter(|s| s["reported"]["csr"].is_string())
            .count();
        if reported == 2 {
            break view;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never reported: {view}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let targets: Vec<&str> = view["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["stores"].as_array().unwrap())
        .map(|s| s["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, vec!["certagent:vendor", "opcplc"]);
    let plc = &view["modules"][1]["stores"][0];
    assert_eq!(plc["reported"]["applicationCert"]["selfSigned"], true);
    assert_eq!(plc["chain"], json!([]));
    let device = sim.device();

    // A bad action is a 400, not a job.
    let bad = page
        .post(
            "/api/actions",
            json!({"action": "revoke", "device": device, "target": "opcplc", "reason": "bored"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Provision: the job ends only once the module reports the new certificate.
    let started = page
        .post(
            "/api/actions",
            json!({"action": "provision", "device": device, "target": "opcplc"}),
        )
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED);
    let job = page.job(started.body["job"].as_u64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    assert!(
        job["outcome"].as_str().unwrap().contains("opcplc: applied"),
        "{job}"
    );
    let view = page.get("/api/modules").await.body;
    let plc = view["modules"][1]["stores"][0].clone();
    assert_eq!(plc["reported"]["applicationCert"]["selfSigned"], false);
    assert_eq!(plc["vault"]["status"], "valid");
    assert_eq!(plc["chain"][0]["role"], "issuing");
    assert_eq!(plc["chain"][1]["role"], "root");
    assert_eq!(plc["applying"], false);
    let thumbprint = plc["reported"]["applicationCert"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_owned();
    let ca = page.get("/api/ca").await.body;
    assert_eq!(
        ca["ca"]["issued"][0]["thumbprint"],
        Value::String(thumbprint.clone())
    );

    // Revoke: the vault's CRL gets the certificate and every reporting store the new CRL.
    let revoked = page
        .post("/api/actions", json!({"action": "revoke", "device": device, "target": "opcplc", "reason": "keyCompromise"}))
        .await;
    let job = page.job(revoked.body["job"].as_u64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let ca = page.get("/api/ca").await.body;
    assert_eq!(ca["ca"]["issued"][0]["status"], "revoked");
    let issuing_crl = ca["ca"]["crls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["role"] == "issuing")
        .unwrap()
        .clone();
    assert_eq!(issuing_crl["revokedCount"], 1);
    let view = page.get("/api/modules").await.body;
    for module in view["modules"].as_array().unwrap() {
        let store = &module["stores"][0];
        assert_eq!(
            store["reported"]["crls"]["opcVaultIssuing"]["crlNumber"], issuing_crl["number"],
            "{store}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_checks_a_draft_and_refuses_an_edit_from_a_stale_etag() {
    let sim = Sim::start(&["opcplc"]).await;
    let _plc = Module::start(&sim, "opcplc", "urn:opcplc");
    let (_dir, vault) = vault(false);
    let served = serve(&sim, &vault).await;
    let mut page = Page::new(&served);
    page.login(TOKEN).await;
    let device = sim.device();
    let path = format!("/api/twin/{device}/opcplc");

    let twin = page.get(&path).await.body;
    let etag = twin["etag"].as_str().unwrap().to_owned();
    assert!(twin["desired"].get("$version").is_none(), "{twin}");

    // The check names edgeHub's and the contract's problems with their paths, and the diff.
    let checked = page
        .post(
            &format!("{path}/check"),
            json!({"desired": {"pki": {"trusted": {"vendorCa": "not a certificate"}}}}),
        )
        .await
        .body;
    assert_eq!(
        checked["problems"][0]["path"], "pki.trusted.vendorCa",
        "{checked}"
    );
    assert_eq!(checked["changes"][0]["path"], "pki", "{checked}");
    let bad_name = page
        .post(&format!("{path}/check"), json!({"desired": {"a.b": 1}}))
        .await
        .body;
    assert_eq!(bad_name["problems"][0]["rule"], "edgeHub", "{bad_name}");

    // An invalid document is not sent.
    let refused = page
        .send(
            Method::PUT,
            &format!("{path}/desired"),
            Some(json!({"desired": {"pki": {"trusted": {"x": "junk"}}}, "etag": etag})),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A valid edit from the current etag is written.
    let written = page
        .send(
            Method::PUT,
            &format!("{path}/desired"),
            Some(json!({"desired": {"pki": {"expiryWarningDays": 30}}, "etag": etag})),
            &[],
        )
        .await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.text);
    assert_eq!(written.body["changed"], true);
    assert_eq!(
        written.body["twin"]["desired"]["pki"]["expiryWarningDays"],
        30
    );

    // The same etag again (another operator's stale editor): refused, nothing written.
    let stale = page
        .send(
            Method::PUT,
            &format!("{path}/desired"),
            Some(json!({"desired": {"pki": {"expiryWarningDays": 7}}, "etag": etag})),
            &[],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body["error"]
            .as_str()
            .unwrap()
            .contains("changed since you loaded it")
    );
    let now = page.get(&path).await.body;
    assert_eq!(now["desired"]["pki"]["expiryWarningDays"], 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_a_cert_agent_store_refused_is_approved_from_the_page() {
    let sim = Sim::start(&["certagent"]).await;
    let agent = Agent::start(&sim, "certagent", "vendor", "urn:vendor");
    let peer = test_support::self_signed(test_support::LeafSpec::client("Peer", "urn:peer"));
    let thumbprint = pki::Certificate::from_der(&peer.der())
        .unwrap()
        .thumbprint()
        .to_string();
    // The app refused a peer: its certificate is in the store's rejected folder.
    let rejected = agent.root.path().join("vendor/rejected/certs");
    std::fs::create_dir_all(&rejected).unwrap();
    std::fs::write(
        rejected.join(format!("Peer [{thumbprint}].der")),
        peer.der(),
    )
    .unwrap();
    let (_dir, vault) = vault(false);
    let served = serve(&sim, &vault).await;
    let mut page = Page::new(&served);
    page.login(TOKEN).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let view = page.get("/api/modules").await.body;
        if view["modules"][0]["stores"][0]["reported"]["rejected"][&thumbprint].is_object() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never listed as rejected: {view}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let started = page
        .post(
            "/api/actions",
            json!({"action": "approve", "device": sim.device(), "target": "certagent:vendor", "thumbprint": thumbprint}),
        )
        .await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.text);
    let job = page.job(started.body["job"].as_u64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    let twin = sim.twin("certagent").await;
    assert_eq!(
        twin.desired("stores").unwrap()["vendor"]["approveRejected"][&thumbprint],
        true
    );
    let store = twin.reported("stores").unwrap()["vendor"].clone();
    assert!(store["rejected"].get(&thumbprint).is_none(), "{store}");
    assert!(
        store["trusted"]
            .as_object()
            .unwrap()
            .values()
            .any(|c| c["thumbprint"] == thumbprint.as_str()),
        "{store}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_loopback_the_page_needs_tls_and_with_it_the_session_cookie_is_secure() {
    let sim = Sim::start(&[]).await;
    let (dir, vault) = vault(false);
    let mut clear = serve_options(&sim);
    clear.listen = "0.0.0.0:0".parse().unwrap();
    let refused = start(vault.clone(), clear, CancellationToken::new())
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("needs --tls-cert and --tls-key"),
        "{refused}"
    );

    let page_cert = test_support::self_signed(test_support::LeafSpec::server(
        "localhost",
        "urn:vault-page",
        "localhost",
    ));
    let (cert, key) = (dir.path().join("page.pem"), dir.path().join("page.key"));
    std::fs::write(&cert, page_cert.cert.to_pem().unwrap()).unwrap();
    std::fs::write(&key, page_cert.key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    let mut tls = serve_options(&sim);
    tls.tls = Some((cert, key));
    let served = start(vault, tls, CancellationToken::new()).await.unwrap();
    assert!(
        served.url.starts_with("https://127.0.0.1:"),
        "{}",
        served.url
    );

    let tcp = tokio::net::TcpStream::connect(served.addr).await.unwrap();
    let mut connector =
        openssl::ssl::SslConnector::builder(openssl::ssl::SslMethod::tls()).unwrap();
    connector.set_verify(openssl::ssl::SslVerifyMode::NONE); // the test's self-signed page
    let ssl = connector
        .build()
        .configure()
        .unwrap()
        .into_ssl("localhost")
        .unwrap();
    let mut stream = tokio_openssl::SslStream::new(ssl, tcp).unwrap();
    std::pin::Pin::new(&mut stream).connect().await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let port = served.addr.port();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/login")
        .header(HOST, format!("127.0.0.1:{port}"))
        .header(ORIGIN, format!("https://127.0.0.1:{port}"))
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(
            json!({ "token": TOKEN }).to_string(),
        )))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}
