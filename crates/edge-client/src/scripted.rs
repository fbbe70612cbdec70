//! A [`ModuleClient`] whose link to the hub is played by a test (feature `test-util`).
//!
//! The client is the real one (driver task, [`Session`], caller API); only rumqttc's event
//! loop is replaced: the test feeds what the connection would report (CONNACK, PUBLISH,
//! disconnect) through [`ScriptedHub`] and reads back every request the driver queued for
//! rumqttc. Nothing touches a socket, so code built on a module client can be tested on a
//! runtime with paused time (`#[tokio::test(start_paused = true)]`): response timeouts,
//! backoff delays and the caller's own intervals pass on tokio's virtual clock.
//!
//! `$rid`s are `r1`, `r2`, … in the order the session sends requests, and backoff jitter is 0
//! (attempt `n` waits exactly half of [`crate::Backoff::ceiling`]`(n)`), so a script can name
//! what it answers and when.

#![allow(
    clippy::expect_used,
    clippy::missing_panics_doc,
    reason = "a test utility: a broken script fails the test that wrote it"
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hub_proto::twin::TwinVersion;
use hub_proto::{DeviceId, ModuleId, RequestId};
use rumqttc::Request;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::client::{ConnectionState, ModuleClient};
use crate::connection::LinkEvent;
use crate::core::session::{RetryPolicy, Session};
use crate::driver::{Driver, MethodTable, SharedMethods};
use crate::identity::ModuleIdentity;

/// The hub's side of a scripted client's link.
pub struct ScriptedHub {
    links: mpsc::UnboundedSender<LinkEvent>,
    requests: flume::Receiver<Request>,
}

/// A request the driver queued for the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The topic, `$rid` included.
    pub topic: String,
    /// The body.
    pub payload: Vec<u8>,
}

impl Published {
    /// The body as JSON (`null` when it is not JSON).
    #[must_use]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.payload).unwrap_or(serde_json::Value::Null)
    }
}

impl ModuleClient {
    /// A client for `device`/`module` over a scripted link; see the [module docs](self).
    ///
    /// # Panics
    /// Outside a tokio runtime (the client's driver task is spawned on it).
    #[must_use]
    pub fn scripted(device: &str, module: &str, retry: RetryPolicy) -> (Self, ScriptedHub) {
        let identity = ModuleIdentity {
            hub_host: "scripted.azure-devices.net".to_owned(),
            gateway_host: "scripted".to_owned(),
            device: DeviceId::new(device).expect("a valid device id"),
            module: ModuleId::new(module).expect("a valid module id"),
        };
        let (links, link_rx) = mpsc::unbounded_channel();
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (request_tx, requests) = flume::unbounded();
        let (state_tx, state) = watch::channel(ConnectionState::Connecting);
        let shutdown = CancellationToken::new();
        let methods: SharedMethods = Arc::new(Mutex::new(MethodTable::default()));
        let mut n = 0u32;
        let session = Session::new(
            retry,
            Box::new(move || {
                n += 1;
                RequestId::new(format!("r{n}")).expect("r1, r2, … are valid $rids")
            }),
            Box::new(|| 0.0),
        );
        let driver = Driver {
            session,
            mqtt: rumqttc::AsyncClient::from_senders(request_tx),
            module: module.to_owned(),
            validate_reported: true,
            links: link_rx,
            commands: command_rx,
            methods: methods.clone(),
            state: state_tx,
            shutdown: shutdown.clone(),
        };
        let client = Self {
            identity,
            commands,
            methods,
            state,
            shutdown,
            tasks: vec![tokio::spawn(driver.run())],
        };
        (client, ScriptedHub { links, requests })
    }
}

impl ScriptedHub {
    /// The connection reports a CONNACK.
    pub fn connect(&self) {
        self.send(LinkEvent::Connected {
            session_present: false,
        });
    }

    /// The connection reports that it dropped.
    pub fn disconnect(&self, reason: &str) {
        self.send(LinkEvent::Disconnected {
            reason: reason.to_owned(),
        });
    }

    /// Answers the twin request `rid` with `status` and `body`.
    pub fn answer(&self, status: u16, rid: &str, body: &serde_json::Value) {
        self.publish(
            format!("$iothub/twin/res/{status}/?$rid={rid}"),
            serde_json::to_vec(body).unwrap_or_default(),
        );
    }

    /// Answers the twin GET `rid` with `desired` (its `$version` included) and `reported`.
    pub fn answer_twin(
        &self,
        rid: &str,
        desired: &serde_json::Value,
        reported: &serde_json::Value,
    ) {
        self.answer(
            200,
            rid,
            &serde_json::json!({ "desired": desired, "reported": reported }),
        );
    }

    /// Sends a desired-properties patch at `version`.
    pub fn desired_patch(&self, version: TwinVersion, patch: &serde_json::Value) {
        self.publish(
            format!("$iothub/twin/PATCH/properties/desired/?$version={version}"),
            serde_json::to_vec(patch).unwrap_or_default(),
        );
    }

    /// The next PUBLISH the driver queued (SUBSCRIBEs are skipped); waits for it.
    ///
    /// # Panics
    /// When the driver is gone, or it queued something other than a PUBLISH or SUBSCRIBE.
    pub async fn next_publish(&self) -> Published {
        loop {
            match self
                .requests
                .recv_async()
                .await
                .expect("the client is running")
            {
                Request::Publish(p) => {
                    return Published {
                        topic: p.topic,
                        payload: p.payload.to_vec(),
                    };
                }
                Request::Subscribe(_) => {}
                other => panic!("unexpected request {other:?}"),
            }
        }
    }

    /// The next PUBLISH, if one comes within `within` (of tokio's clock).
    pub async fn publish_within(&self, within: Duration) -> Option<Published> {
        tokio::time::timeout(within, self.next_publish()).await.ok()
    }

    /// Whether nothing is queued for the hub right now.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.requests.is_empty()
    }

    fn publish(&self, topic: String, payload: Vec<u8>) {
        self.send(LinkEvent::Publish { topic, payload });
    }

    fn send(&self, event: LinkEvent) {
        // The driver ends only when the client is shut down; a script after that is a test bug.
        self.links.send(event).expect("the client is running");
    }
}
