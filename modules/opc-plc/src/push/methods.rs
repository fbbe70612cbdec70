//! The bodies of push management's methods (OPC 10000-12 §7.7–7.8): arguments in, the rules of
//! `provisioning::push` against the state, outputs or a status out. Each runs behind the
//! administrator gate of `super::add_method`, with the state locked, on the server thread.

use ::ua::{Caller, MethodResult, ua};
use pki::PrivateKey;
use provisioning::push::{self, Masks, PushError, TrustList};
use time::OffsetDateTime;

use super::args::{self, Inputs};
use super::nodes::default_application_group as group;
use super::{
    BAD_INTERNAL_ERROR, BAD_INVALID_ARGUMENT, BAD_NOT_SUPPORTED, Check, MAX_TRUST_LIST_SIZE, State,
    refuse, session_of,
};

/// The certificate group and type of a request: null or ours (`BadInvalidArgument` otherwise).
fn check_group_and_type(inputs: &Inputs<'_>) -> Result<(), u32> {
    if let Some(group_id) = inputs.node_id(0)?
        && group_id != ua::NodeId::ns0(group::OBJECT)
    {
        return Err(BAD_INVALID_ARGUMENT);
    }
    if let Some(type_id) = inputs.node_id(1)?
        && ![
            group::RSA_SHA256_APPLICATION_CERTIFICATE_TYPE,
            group::RSA_MIN_APPLICATION_CERTIFICATE_TYPE,
            group::APPLICATION_CERTIFICATE_TYPE,
        ]
        .iter()
        .any(|t| type_id == ua::NodeId::ns0(*t))
    {
        return Err(BAD_NOT_SUPPORTED);
    }
    Ok(())
}

pub(super) fn create_signing_request(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(5)?;
    check_group_and_type(inputs)?;
    let subject = inputs.string(2)?;
    let regenerate = inputs.boolean(3)?;
    let nonce = inputs.bytes(4)?;
    let contents = state.contents()?;
    let own = contents
        .application_certificate()
        .ok_or(BAD_INTERNAL_ERROR)?;
    let key = state.store.load_key(own).map_err(|e| {
        tracing::error!(target: "push", "Cannot read the application key: {e}");
        BAD_INTERNAL_ERROR
    })?;
    let session = session_of(caller);
    let request = push::SigningRequest {
        subject: subject.as_deref(),
        regenerate_private_key: regenerate,
        nonce: &nonce,
        application_uri: Some(&state.options.application_uri),
        dns_names: Some(&state.options.dns_names),
    };
    let (csr, new_key) = push::create_signing_request(&own.cert, &key, &request)
        .map_err(|e| refuse("CreateSigningRequest", &e))?;
    if let Some(new_key) = new_key {
        state.new_key = Some((session, new_key));
    }
    tracing::info!(
        target: "push",
        regenerate,
        "CreateSigningRequest: a certificate signing request for '{}' was created{}.",
        state.options.application_uri,
        if regenerate { " with a new private key, kept until UpdateCertificate" } else { "" }
    );
    Ok(vec![args::bytes(&csr)])
}

pub(super) fn update_certificate(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(6)?;
    check_group_and_type(inputs)?;
    let certificate = inputs.bytes(2)?;
    let issuers = inputs.bytes_array(3)?;
    let format = inputs.string(4)?.unwrap_or_default();
    let key_bytes = zeroize::Zeroizing::new(inputs.bytes(5)?);
    let key = match (format.as_str(), key_bytes.is_empty()) {
        ("", true) => None,
        ("PEM" | "PFX", false) => Some(PrivateKey::from_bytes(&key_bytes, None).map_err(|e| {
            refuse(
                "UpdateCertificate",
                &PushError::new(
                    pki::StatusCode::BadSecurityChecksFailed,
                    format!("the {format} private key cannot be read: {e}"),
                ),
            )
        })?),
        ("PEM" | "PFX", true) | ("", false) => return Err(BAD_INVALID_ARGUMENT),
        _ => return Err(BAD_NOT_SUPPORTED),
    };
    // OPC 10000-12 §7.10.5: the certificate is validated (OPC 10000-4) now, against the trust
    // lists as this transaction leaves them, and a failure is reported with its status code.
    state.stage(
        "UpdateCertificate",
        &session_of(caller),
        Check::Store,
        |t, owned| t.stage_application_certificate(certificate, issuers, key, owned),
    )?;
    tracing::info!(target: "push", "UpdateCertificate: a new application certificate is staged until ApplyChanges.");
    Ok(vec![args::boolean(true)])
}

pub(super) fn apply_changes(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(0)?;
    let session = session_of(caller);
    let Some(staged) = state
        .pending
        .take(&session)
        .map_err(|e| refuse("ApplyChanges", &e))?
    else {
        tracing::info!(target: "push", "ApplyChanges: nothing was staged.");
        return Ok(vec![]);
    };
    let now = OffsetDateTime::now_utc();
    let policy = state.options.validator.options();
    let applied = push::apply(
        &state.store,
        staged.staged(),
        state.key_of(&session),
        &policy,
        now,
    )
    .map_err(|e| refuse("ApplyChanges", &e))?;
    if staged.staged().application_certificate.is_some() {
        state.new_key = None;
    }
    state.last_update = now;
    tracing::info!(
        target: "push",
        changed = applied.outcome.changed,
        trust_lists = applied.trust_changed,
        application_certificate = applied.application_certificate_changed,
        "ApplyChanges: the staged push changes were applied in one store transaction."
    );
    Ok(vec![])
}

pub(super) fn get_rejected_list(
    state: &mut State,
    _caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(0)?;
    let contents = state.contents()?;
    Ok(vec![args::bytes_array(&push::rejected::rejected_list(
        &contents,
    ))])
}

pub(super) fn open(state: &mut State, caller: &Caller, inputs: &Inputs<'_>) -> MethodResult {
    inputs.expect(1)?;
    let mode = inputs.byte(0)?;
    let snapshot = state.snapshot(Masks::ALL);
    let handle = state
        .file
        .open(session_of(caller), mode, || snapshot)
        .map_err(|e| refuse("Open", &e))?;
    Ok(vec![args::u32(handle)])
}

pub(super) fn open_with_masks(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(1)?;
    let masks = inputs.u32(0)?;
    let snapshot = Masks::from_bits(masks).map(|m| state.snapshot(m));
    let handle = state
        .file
        .open_with_masks(session_of(caller), masks, |_| snapshot.unwrap_or_default())
        .map_err(|e| refuse("OpenWithMasks", &e))?;
    Ok(vec![args::u32(handle)])
}

pub(super) fn read(state: &mut State, caller: &Caller, inputs: &Inputs<'_>) -> MethodResult {
    inputs.expect(2)?;
    let data = state
        .file
        .read(&session_of(caller), inputs.u32(0)?, inputs.i32(1)?)
        .map_err(|e| refuse("Read", &e))?;
    Ok(vec![args::bytes(&data)])
}

pub(super) fn write(state: &mut State, caller: &Caller, inputs: &Inputs<'_>) -> MethodResult {
    inputs.expect(2)?;
    state
        .file
        .write(&session_of(caller), inputs.u32(0)?, &inputs.bytes(1)?)
        .map_err(|e| refuse("Write", &e))?;
    Ok(vec![])
}

pub(super) fn get_position(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(1)?;
    let position = state
        .file
        .get_position(&session_of(caller), inputs.u32(0)?)
        .map_err(|e| refuse("GetPosition", &e))?;
    Ok(vec![args::u64(position)])
}

pub(super) fn set_position(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(2)?;
    state
        .file
        .set_position(&session_of(caller), inputs.u32(0)?, inputs.u64(1)?)
        .map_err(|e| refuse("SetPosition", &e))?;
    Ok(vec![])
}

pub(super) fn close(state: &mut State, caller: &Caller, inputs: &Inputs<'_>) -> MethodResult {
    inputs.expect(1)?;
    state
        .file
        .close(&session_of(caller), inputs.u32(0)?)
        .map_err(|e| refuse("Close", &e))?;
    Ok(vec![])
}

pub(super) fn close_and_update(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(1)?;
    let session = session_of(caller);
    let bytes = state
        .file
        .close_and_update(&session, inputs.u32(0)?)
        .map_err(|e| refuse("CloseAndUpdate", &e))?;
    let list = TrustList::decode(&bytes, MAX_TRUST_LIST_SIZE as usize)
        .map_err(|e| refuse("CloseAndUpdate", &e))?;
    state.stage("CloseAndUpdate", &session, Check::Plan, |t, _| {
        t.stage_trust_list(list);
        Ok(())
    })?;
    tracing::info!(target: "push", "CloseAndUpdate: a new trust list is staged until ApplyChanges.");
    Ok(vec![args::boolean(true)])
}

pub(super) fn add_certificate(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(2)?;
    let certificate = inputs.bytes(0)?;
    let trusted = inputs.boolean(1)?;
    if state.file.has_writer() {
        return Err(refuse(
            "AddCertificate",
            &PushError::new(
                push::PushStatus::BadInvalidState,
                "the trust list is open for writing",
            ),
        ));
    }
    state.stage(
        "AddCertificate",
        &session_of(caller),
        Check::Plan,
        |t, _| t.stage_add_certificate(certificate, trusted),
    )?;
    tracing::info!(target: "push", trusted, "AddCertificate: a certificate is staged until ApplyChanges.");
    Ok(vec![])
}

pub(super) fn remove_certificate(
    state: &mut State,
    caller: &Caller,
    inputs: &Inputs<'_>,
) -> MethodResult {
    inputs.expect(2)?;
    let thumbprint = inputs.string(0)?.unwrap_or_default();
    let trusted = inputs.boolean(1)?;
    if state.file.has_writer() {
        return Err(refuse(
            "RemoveCertificate",
            &PushError::new(
                push::PushStatus::BadInvalidState,
                "the trust list is open for writing",
            ),
        ));
    }
    state.stage(
        "RemoveCertificate",
        &session_of(caller),
        Check::Plan,
        |t, _| t.stage_remove_certificate(&thumbprint, trusted),
    )?;
    tracing::info!(target: "push", trusted, "RemoveCertificate: the removal of {thumbprint} is staged until ApplyChanges.");
    Ok(vec![])
}
