//! Restart, start and stop requests for a deployed module, from the management API to the
//! agent's loop, which owns the supervisors.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

/// What is asked of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModuleAction {
    /// Stop it if it runs, and start it.
    Restart,
    /// Start it unless it runs.
    Start,
    /// Stop it if it runs; the restart policy then applies, as to any exit.
    Stop,
}

impl ModuleAction {
    /// The verb, for messages.
    pub(crate) fn verb(self) -> &'static str {
        match self {
            Self::Restart => "restart",
            Self::Start => "start",
            Self::Stop => "stop",
        }
    }
}

/// Why a module action failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ActionError {
    /// The module is not in the deployment the agent runs.
    #[error("module {0} is not in the deployment")]
    NotDeployed(String),
    /// The supervisor did not confirm in time (or is gone).
    #[error("module {module} did not {verb} within {waited:?}")]
    NotConfirmed {
        /// The module.
        module: String,
        /// What was asked.
        verb: &'static str,
        /// How long the agent waited.
        waited: Duration,
    },
    /// The module's program could not be started.
    #[error("module {module} did not start: {reason}")]
    Start {
        /// The module.
        module: String,
        /// Why.
        reason: String,
    },
    /// The agent has stopped.
    #[error("the agent is not running")]
    AgentGone,
}

/// One request to the agent's loop.
#[derive(Debug)]
pub(crate) struct ActionRequest {
    /// The module name.
    pub(crate) module: String,
    /// What to do.
    pub(crate) action: ModuleAction,
    /// Where the outcome goes.
    pub(crate) reply: oneshot::Sender<Result<(), ActionError>>,
}

/// Asks the agent for module actions.
#[derive(Debug, Clone)]
pub(crate) struct Controls {
    requests: mpsc::UnboundedSender<ActionRequest>,
}

impl Controls {
    /// A handle and the receiver the agent's loop reads.
    pub(crate) fn new() -> (Self, mpsc::UnboundedReceiver<ActionRequest>) {
        let (requests, rx) = mpsc::unbounded_channel();
        (Self { requests }, rx)
    }

    /// Asks for `action` on `module` and waits for the outcome.
    pub(crate) async fn act(&self, module: &str, action: ModuleAction) -> Result<(), ActionError> {
        let (reply, outcome) = oneshot::channel();
        self.requests
            .send(ActionRequest {
                module: module.to_owned(),
                action,
                reply,
            })
            .map_err(|_| ActionError::AgentGone)?;
        outcome.await.map_err(|_| ActionError::AgentGone)?
    }
}
