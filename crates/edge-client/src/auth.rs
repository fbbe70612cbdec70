//! SAS tokens for the MQTT password: signed with the module key or by the workload API.

use hub_proto::sas::SasToken;
use hub_proto::{ModuleId, SharedAccessKey};

use crate::error::TokenError;
use crate::identity::ModuleIdentity;
use crate::workload::WorkloadClient;

/// Who signs the module's tokens.
#[derive(Debug, Clone)]
pub(crate) enum Signer {
    /// The module key from a connection string.
    Key(SharedAccessKey),
    /// The IoT Edge runtime, which holds the key (docs/reference/iot-edge.md §2.2 step 3).
    Workload {
        client: WorkloadClient,
        module: ModuleId,
        generation_id: String,
    },
}

impl Signer {
    /// A token for `identity` that expires at `expiry` (seconds since the Unix epoch).
    pub(crate) async fn token(
        &self,
        identity: &ModuleIdentity,
        expiry: u64,
    ) -> Result<SasToken, TokenError> {
        let resource = identity.audience().to_string();
        match self {
            Self::Key(key) => Ok(SasToken::sign(&resource, key, None, expiry)),
            Self::Workload {
                client,
                module,
                generation_id,
            } => {
                // The SDKs send base64(encoded_sr + "\n" + se) as `data`
                // (docs/reference/iot-edge.md §1.3).
                let data = SasToken::string_to_sign(&resource, expiry);
                let digest = client
                    .sign(module, generation_id, data.as_bytes())
                    .await
                    .map_err(TokenError::Workload)?;
                Ok(SasToken::from_signature(&resource, digest, None, expiry))
            }
        }
    }
}
