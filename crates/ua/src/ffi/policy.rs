//! Two functions of open62541's secure policies without a certificate parse.
//!
//! open62541's OpenSSL policies parse the peer's certificate (`d2i_X509`) to compute its
//! thumbprint (`makeCertThumbprint`, for the asymmetric header of every `OpenSecureChannel`
//! answer) and again to compare a certificate with the one a channel was opened with
//! (`compareCertificate`, at `CreateSession` and `ActivateSession`), although both only need the
//! bytes of the first certificate: a thumbprint is the SHA-1 of its DER encoding, and two
//! certificates are the same when their encodings are. On OpenSSL 3.0 a parse costs about
//! 0.2 ms (a public key decoder context is built each time); these two were 8% of the server's
//! CPU per secure session set-up (`docs/benchmarks.md`, P4; ADR 0013).
//!
//! [`skip_certificate_parses`] replaces them in a policy with byte-level equivalents:
//! - the thumbprint is [`leaf_der`]'s SHA-1, what `X509_digest` computes for a parsed
//!   certificate (its cached encoding);
//! - the comparison looks up the channel's peer certificate, kept when the channel context was
//!   made (the policy's own `newChannelContext` still runs and parses it once, as it must to
//!   encrypt to that key), and compares the leaves' bytes, what `X509_cmp` decides.
//!
//! Trust is not decided here: our `Verifier` still parses and validates every presented chain.
//! What the replacements accept is what the originals accept, with one difference on input
//! that cannot matter: a leaf that is a DER SEQUENCE but not a certificate gets a thumbprint
//! instead of an error, and the channel is refused by validation anyway.

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::{LazyLock, Mutex, PoisonError};

use open62541_sys::{
    UA_ByteString, UA_STATUSCODE_BADCERTIFICATEINVALID, UA_STATUSCODE_BADINTERNALERROR,
    UA_STATUSCODE_GOOD, UA_STATUSCODE_UNCERTAINSUBNORMAL, UA_SecurityPolicy, UA_StatusCode,
};

use pki::SecurityPolicy;

use super::cert_group::byte_string_slice;
use crate::identity::policy_uri;

/// The length of a certificate thumbprint (SHA-1).
const THUMBPRINT_LENGTH: usize = 20;

/// The first DER element of `bytes` (a certificate chain as OPC UA sends it: the leaf first,
/// concatenated): a SEQUENCE (tag `0x30`) with a definite length of at most four length bytes
/// that fits in `bytes`; `None` otherwise.
#[must_use]
pub(crate) fn leaf_der(bytes: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = bytes.split_first()?;
    if tag != 0x30 {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (length, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        // 0x80 is the indefinite length (not DER); more than four bytes exceeds any message.
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (length, 2 + count)
    };
    bytes.get(..header.checked_add(length)?)
}

/// What the policy did before [`skip_certificate_parses`], by policy URI (the functions are
/// the same for every policy of one URI: they are static functions of the C plugin).
#[derive(Clone, Copy)]
struct Originals {
    new_context: NewContext,
    delete_context: DeleteContext,
    compare: Compare,
}

type NewContext = unsafe extern "C" fn(
    *const UA_SecurityPolicy,
    *const UA_ByteString,
    *mut *mut c_void,
) -> UA_StatusCode;
type DeleteContext = unsafe extern "C" fn(*const UA_SecurityPolicy, *mut c_void);
type Compare = unsafe extern "C" fn(
    *const UA_SecurityPolicy,
    *const c_void,
    *const UA_ByteString,
) -> UA_StatusCode;

static ORIGINALS: LazyLock<Mutex<HashMap<Vec<u8>, Originals>>> = LazyLock::new(Mutex::default);

/// The peer certificate (the leaf's bytes) of every live channel context made through
/// [`new_context_c`], by the context's address; removed in [`delete_context_c`] before the
/// context is freed, so an address reused later never finds a stale entry.
static PEERS: LazyLock<Mutex<HashMap<usize, Box<[u8]>>>> = LazyLock::new(Mutex::default);

/// Replaces `makeCertThumbprint` and `compareCertificate` of `policy` (see the module docs).
/// None (no certificates) and a policy without those functions are left as they are.
///
/// # Safety
/// `policy` must be an initialised policy that no channel uses yet (a config being built).
pub(crate) unsafe fn skip_certificate_parses(policy: &mut UA_SecurityPolicy) {
    let (Some(new_context), Some(delete_context), Some(compare)) = (
        policy.newChannelContext,
        policy.deleteChannelContext,
        policy.compareCertificate,
    ) else {
        return;
    };
    if policy.makeCertThumbprint.is_none() {
        return;
    }
    // SAFETY: the policy URI is a valid string of the initialised policy.
    let uri = unsafe { byte_string_slice(&raw const policy.policyUri) }.to_vec();
    if uri == policy_uri(SecurityPolicy::None).as_bytes() {
        return;
    }
    let mut originals = ORIGINALS.lock().unwrap_or_else(PoisonError::into_inner);
    // Installed twice (a second server, a client): the first originals stay, never our own.
    if std::ptr::fn_addr_eq(new_context, new_context_c as NewContext) {
        return;
    }
    originals.entry(uri).or_insert(Originals {
        new_context,
        delete_context,
        compare,
    });
    policy.newChannelContext = Some(new_context_c);
    policy.deleteChannelContext = Some(delete_context_c);
    policy.compareCertificate = Some(compare_c);
    policy.makeCertThumbprint = Some(make_thumbprint_c);
}

/// The originals of `policy` (by its URI).
///
/// # Safety
/// `policy` must point to an initialised policy.
unsafe fn originals(policy: *const UA_SecurityPolicy) -> Option<Originals> {
    // SAFETY: caller's contract.
    let policy = unsafe { policy.as_ref() }?;
    // SAFETY: a valid string of the initialised policy.
    let uri = unsafe { byte_string_slice(&raw const policy.policyUri) };
    ORIGINALS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(uri)
        .copied()
}

unsafe extern "C" fn new_context_c(
    policy: *const UA_SecurityPolicy,
    remote_certificate: *const UA_ByteString,
    channel_context: *mut *mut c_void,
) -> UA_StatusCode {
    // SAFETY: open62541 passes its initialised policy.
    let Some(originals) = (unsafe { originals(policy) }) else {
        return UA_STATUSCODE_BADINTERNALERROR;
    };
    // SAFETY: the arguments are passed on as open62541 gave them.
    let status = unsafe { (originals.new_context)(policy, remote_certificate, channel_context) };
    if status == UA_STATUSCODE_GOOD {
        // SAFETY: on success the out-parameter holds the new context; the certificate is a valid
        // byte string for the call.
        let (context, certificate) =
            unsafe { (*channel_context, byte_string_slice(remote_certificate)) };
        if let Some(leaf) = leaf_der(certificate) {
            PEERS
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(context as usize, leaf.into());
        }
    }
    status
}

unsafe extern "C" fn delete_context_c(
    policy: *const UA_SecurityPolicy,
    channel_context: *mut c_void,
) {
    PEERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&(channel_context as usize));
    // SAFETY: open62541 passes its initialised policy.
    if let Some(originals) = unsafe { originals(policy) } {
        // SAFETY: the context was made by this policy's `newChannelContext` and is freed once.
        unsafe { (originals.delete_context)(policy, channel_context) };
    }
}

unsafe extern "C" fn compare_c(
    policy: *const UA_SecurityPolicy,
    channel_context: *const c_void,
    certificate: *const UA_ByteString,
) -> UA_StatusCode {
    // SAFETY: open62541 passes a valid byte string.
    let presented = unsafe { byte_string_slice(certificate) };
    // Decided under the lock, on the kept bytes (no copy of them).
    let decided = PEERS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&(channel_context as usize))
        .map(|known| match leaf_der(presented) {
            None => UA_STATUSCODE_BADCERTIFICATEINVALID,
            Some(leaf) if leaf == &**known => UA_STATUSCODE_GOOD,
            // What the OpenSSL plugin answers for two different certificates.
            Some(_) => UA_STATUSCODE_UNCERTAINSUBNORMAL,
        });
    match decided {
        Some(status) => status,
        // A context made before the replacement (or whose certificate was not a SEQUENCE):
        // the original decides.
        // SAFETY: open62541 passes its initialised policy, the context and the certificate.
        None => match unsafe { originals(policy) } {
            Some(originals) => unsafe { (originals.compare)(policy, channel_context, certificate) },
            None => UA_STATUSCODE_BADINTERNALERROR,
        },
    }
}

unsafe extern "C" fn make_thumbprint_c(
    _policy: *const UA_SecurityPolicy,
    certificate: *const UA_ByteString,
    thumbprint: *mut UA_ByteString,
) -> UA_StatusCode {
    // SAFETY: open62541 passes a valid certificate and a thumbprint buffer it allocated.
    let (presented, Some(out)) = (unsafe { byte_string_slice(certificate) }, unsafe {
        thumbprint.as_mut()
    }) else {
        return UA_STATUSCODE_BADINTERNALERROR;
    };
    // As the plugin: the caller allocates exactly the thumbprint's length.
    if out.length != THUMBPRINT_LENGTH || out.data.is_null() {
        return UA_STATUSCODE_BADINTERNALERROR;
    }
    let Some(leaf) = leaf_der(presented) else {
        return UA_STATUSCODE_BADINTERNALERROR;
    };
    let digest = pki::Thumbprint::of(leaf);
    let digest = digest.as_bytes();
    // SAFETY: `out.data` holds `THUMBPRINT_LENGTH` writable bytes (checked above).
    unsafe { std::ptr::copy_nonoverlapping(digest.as_ptr(), out.data, THUMBPRINT_LENGTH) };
    UA_STATUSCODE_GOOD
}

#[cfg(test)]
mod tests {
    use std::mem::MaybeUninit;
    use std::ptr;

    use open62541_sys::{UA_Log_Stdout, UA_SecurityPolicy_Basic256Sha256};
    use test_support::{Ca, LeafSpec, self_signed};

    use super::*;
    use crate::ffi::cert_group::borrowed;

    /// Calls `make` on `certificate` into a thumbprint buffer as open62541 allocates it.
    fn thumbprint(policy: &UA_SecurityPolicy, certificate: &[u8]) -> (UA_StatusCode, [u8; 20]) {
        let make = policy.makeCertThumbprint.expect("a thumbprint function");
        let mut out = [0u8; 20];
        let mut buffer = UA_ByteString {
            length: out.len(),
            data: out.as_mut_ptr(),
        };
        let presented = borrowed(certificate);
        // SAFETY: an initialised policy; the certificate and the buffer outlive the call.
        let status = unsafe { make(policy, &raw const presented, &raw mut buffer) };
        (status, out)
    }

    fn new_context(policy: &UA_SecurityPolicy, certificate: &[u8]) -> *mut c_void {
        let new = policy.newChannelContext.expect("a context function");
        let presented = borrowed(certificate);
        let mut context = ptr::null_mut();
        // SAFETY: an initialised policy; the certificate outlives the call, which copies it.
        let status = unsafe { new(policy, &raw const presented, &raw mut context) };
        assert_eq!(status, UA_STATUSCODE_GOOD);
        context
    }

    fn compare(
        policy: &UA_SecurityPolicy,
        context: *mut c_void,
        certificate: &[u8],
    ) -> UA_StatusCode {
        let compare = policy.compareCertificate.expect("a compare function");
        let presented = borrowed(certificate);
        // SAFETY: an initialised policy and a live context of it.
        unsafe { compare(policy, context, &raw const presented) }
    }

    fn delete(policy: &UA_SecurityPolicy, context: *mut c_void) {
        let delete = policy.deleteChannelContext.expect("a delete function");
        // SAFETY: a live context of this policy, deleted once.
        unsafe { delete(policy, context) };
    }

    #[test]
    fn thumbprints_and_comparisons_are_the_plugins_own_answers_without_a_parse() {
        let own = self_signed(LeafSpec::server("Own", "urn:own", "localhost"));
        let own_key = own.key.private_key_to_der().expect("key DER");
        let ca = Ca::root("Policy CA");
        let peer = ca.leaf(LeafSpec::client("Peer", "urn:peer"));
        let other = ca.leaf(LeafSpec::client("Other", "urn:other"));
        let chain = [peer.der(), ca.der()].concat();
        let inputs: [(&str, Vec<u8>); 5] = [
            ("the peer's chain", chain.clone()),
            ("the peer's leaf alone", peer.der()),
            ("another certificate", other.der()),
            ("not DER", b"not a certificate".to_vec()),
            ("a truncated leaf", peer.der()[..100].to_vec()),
        ];

        let mut policy = MaybeUninit::<UA_SecurityPolicy>::zeroed();
        // SAFETY: a zeroed policy is what open62541 initialises; certificate and key are views
        // the call copies; the logger is open62541's static one.
        let status = unsafe {
            UA_SecurityPolicy_Basic256Sha256(
                policy.as_mut_ptr(),
                borrowed(&own.der()),
                borrowed(&own_key),
                UA_Log_Stdout,
            )
        };
        assert_eq!(status, UA_STATUSCODE_GOOD);
        // SAFETY: initialised by the call above.
        let policy = unsafe { policy.assume_init_mut() };

        // The plugin's own answers first.
        let original_context = new_context(policy, &chain);
        let before: Vec<_> = inputs
            .iter()
            .map(|(_, input)| {
                (
                    thumbprint(policy, input),
                    compare(policy, original_context, input),
                )
            })
            .collect();
        delete(policy, original_context);

        // SAFETY: initialised, and no channel uses it.
        unsafe { skip_certificate_parses(policy) };
        let context = new_context(policy, &chain);
        for ((name, input), (thumb_before, compare_before)) in inputs.iter().zip(&before) {
            let (status, digest) = thumbprint(policy, input);
            assert_eq!(status, thumb_before.0, "thumbprint status of {name}");
            if status == UA_STATUSCODE_GOOD {
                assert_eq!(digest, thumb_before.1, "thumbprint of {name}");
            }
            assert_eq!(
                compare(policy, context, input),
                *compare_before,
                "comparison with {name}"
            );
        }
        assert_eq!(
            thumbprint(policy, &chain).1,
            *pki::Thumbprint::of(&peer.der()).as_bytes()
        );
        assert_eq!(compare(policy, context, &peer.der()), UA_STATUSCODE_GOOD);
        assert_eq!(
            compare(policy, context, &other.der()),
            UA_STATUSCODE_UNCERTAINSUBNORMAL
        );
        delete(policy, context);
        assert!(
            !PEERS.lock().unwrap().contains_key(&(context as usize)),
            "a deleted context leaves nothing behind"
        );
        // SAFETY: initialised, cleared once.
        unsafe { policy.clear.expect("a clear function")(policy) };
    }

    #[test]
    fn the_leaf_is_the_first_sequence_with_short_or_long_length() {
        assert_eq!(
            leaf_der(&[0x30, 0x02, 1, 2, 0x30, 0x00]),
            Some(&[0x30, 0x02, 1, 2][..])
        );
        let mut long = vec![0x30, 0x82, 0x01, 0x00];
        long.extend(std::iter::repeat_n(7u8, 256));
        long.extend([0x30, 0x00]);
        assert_eq!(leaf_der(&long).map(<[u8]>::len), Some(260));
    }

    #[test]
    fn anything_else_has_no_leaf() {
        for bad in [
            &[][..],
            &[0x30],
            &[0x31, 0x00],
            &[0x30, 0x80, 0x00, 0x00],             // indefinite length
            &[0x30, 0x85, 1, 0, 0, 0, 0],          // five length bytes
            &[0x30, 0x82, 0x01],                   // length bytes cut off
            &[0x30, 0x03, 1, 2],                   // content cut off
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], // longer than the input
        ] {
            assert_eq!(leaf_der(bad), None, "{bad:02x?}");
        }
    }
}
