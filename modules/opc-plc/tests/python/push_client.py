"""Python asyncua as an OPC 10000-12 push management client of opc-plc (tests/push.rs).

Usage: push_client.py PLAN_JSON_FILE     (or the plan on stdin: push_client.py -)

Every method is called by its standard ns=0 NodeId with asyncua's plain Call service (not
asyncua's high-level helpers), so each step reports the status code the server returned. The
script prints one JSON document on stdout and exits 0 whether the steps succeeded or not; a bad
plan or a missing file is a crash with a non-zero exit.

Plan:
{
  "url": "opc.tcp://127.0.0.1:4840",
  "server_certificate": "server.der",        # optional: else taken from GetEndpoints (reported)
  "timeout": 10,
  "attempts": [{
    "policy": "Basic256Sha256", "mode": "SignAndEncrypt",        # or "Sign"
    "certificate": "client.pem", "private_key": "client.key.pem",
    "application_uri": "urn:...",
    "user": {"name": "sysadmin", "password": "demo"},           # optional (else anonymous)
    "actions": [                                                # byte strings are base64 DER
      {"read_trust_list": {"masks": 15, "chunk": 1000}},        # OpenWithMasks / Read* / Close
      {"write_trust_list": {"specified_lists": 15, "trusted_certificates": [b64], "trusted_crls": [],
                            "issuer_certificates": [], "issuer_crls": [],
                            "raw": b64 (instead of the lists: the file's bytes as given),
                            "chunk": 1000}},                    # Open(6) / Write* / CloseAndUpdate
      {"open_trust_list": {"mode": 6}},                         # Open then Close (refusal tests)
      {"add_certificate": {"certificate": b64, "trusted": true}},
      {"remove_certificate": {"thumbprint": "AB12...", "trusted": true}},
      {"create_signing_request": {"group": null | "DefaultApplicationGroup" | "i=14156",
                                  "type": "i=12560", "subject": null, "regenerate": true,
                                  "nonce_length": 32 | "nonce": b64}},
      {"update_certificate": {"group": null, "type": "i=12560", "certificate": b64,
                              "issuers": [b64], "format": "", "key": ""}},
      {"apply_changes": {}},
      {"get_rejected_list": {}},
      {"read": ["i=12710", "i=12639", ...]},                    # Value attributes
      {"read_until_refused": {"nodes": ["i=2258"], "timeout": 10, "every": 0.2}},
                                                                # reads until one fails (the
                                                                # server closed the session)
      {"events": {"seconds": 3, "type": "i=13225"}},            # subscribe on Server (i=2253)
      {"sleep": 0.5},
      {"signal": "staged.flag"},                                # creates the file (the test waits)
      {"wait_for": {"path": "go.flag", "timeout": 30}}          # waits until the test creates it
    ]
    create_signing_request also takes "save": a path the CSR's DER is written to (the test signs
    it while the session stays open); update_certificate takes "certificate_file" (DER, waited
    for like wait_for) instead of "certificate".
  }]
}

Output: {"attempts": [{"connected", "error", "server_certificate": {"thumbprint", "chain": [thumbprints]}
          (when taken from the endpoints), "actions": [{"action": name, "status": "Good", "code": 0, ...}]}]}
A failed step has "status"/"code" of the failing call and "step" naming it (e.g. "Write").
"""

import asyncio
import base64
import datetime
import hashlib
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from asyncua import Client, ua  # noqa: E402
from asyncua.crypto import security_policies  # noqa: E402

import ua_client  # noqa: E402  (also patches asyncua to fail a request on the server's ERR message)

SERVER = ua.NodeId(2253)
SERVER_CONFIGURATION = ua.NodeId(12637)
CREATE_SIGNING_REQUEST = ua.NodeId(12737)
UPDATE_CERTIFICATE = ua.NodeId(13737)
APPLY_CHANGES = ua.NodeId(12740)
GET_REJECTED_LIST = ua.NodeId(12777)
DEFAULT_APPLICATION_GROUP = ua.NodeId(14156)
TRUST_LIST = ua.NodeId(12642)
OPEN, CLOSE, READ, WRITE = ua.NodeId(12647), ua.NodeId(12650), ua.NodeId(12652), ua.NodeId(12655)
OPEN_WITH_MASKS, CLOSE_AND_UPDATE = ua.NodeId(12663), ua.NodeId(12666)
ADD_CERTIFICATE, REMOVE_CERTIFICATE = ua.NodeId(12668), ua.NodeId(12670)
RSA_SHA256_APPLICATION_CERTIFICATE_TYPE = ua.NodeId(12560)
CERTIFICATE_EXPIRATION_ALARM_TYPE = ua.NodeId(13225)


def status_of(code):
    """A StatusCode (or its integer) as {"status": name, "code": number}."""
    value = code.value if isinstance(code, ua.StatusCode) else int(code)
    return {"status": ua_client.status_name(value), "code": value}


def thumbprint(der):
    return hashlib.sha1(der).hexdigest().upper()


def b64(data):
    return base64.b64encode(data).decode("ascii")


def unb64(text):
    return base64.b64decode(text) if text is not None else None


def certificate_entry(der):
    return {"thumbprint": thumbprint(der), "der": b64(der)}


def split_chain(blob):
    """DER certificates concatenated (a ServerCertificate with its chain) as a list."""
    certs = []
    while blob:
        # SEQUENCE with a two-byte length (every certificate of these tests is 256..65535 bytes).
        if len(blob) < 4 or blob[0] != 0x30 or blob[1] != 0x82:
            certs.append(blob)
            break
        length = int.from_bytes(blob[2:4], "big") + 4
        certs.append(blob[:length])
        blob = blob[length:]
    return certs


class MissingOutput(Exception):
    """A Good call without the output argument the method defines."""

    def __init__(self, step, outputs):
        super().__init__(f"{step} returned Good with outputs {outputs!r}")
        self.step = step


def first(outputs, step):
    if not outputs:
        raise MissingOutput(step, outputs)
    return outputs[0]


class StepError(Exception):
    """A call that returned a bad status: `step` names it."""

    def __init__(self, step, code):
        super().__init__(f"{step}: {ua_client.status_name(code)}")
        self.step = step
        self.code = code


async def call(client, obj, method, args, step):
    """One Call of `method` on `obj` with Variant `args`; returns the output values or raises
    StepError with the method's status."""
    request = ua.CallMethodRequest()
    request.ObjectId = obj
    request.MethodId = method
    request.InputArguments = args
    try:
        results = await client.uaclient.call([request])
    except ua.UaStatusCodeError as exc:
        raise StepError(step, exc.code) from exc
    result = results[0]
    if not result.StatusCode.is_good():
        raise StepError(step, result.StatusCode.value)
    return [v.Value for v in (result.OutputArguments or [])]


def var(value, variant_type):
    return ua.Variant(value, variant_type)


def uint32(value):
    return var(value, ua.VariantType.UInt32)


def encode_byte_strings(items):
    if items is None:
        return struct.pack("<i", -1)
    out = struct.pack("<i", len(items))
    for item in items:
        out += struct.pack("<i", len(item)) + item
    return out


def encode_trust_list(spec):
    """TrustListDataType (OPC 10000-12 §7.8.2.7) in its binary encoding, the TrustList file's
    content: UInt32 SpecifiedLists, then four arrays of ByteString."""
    lists = ["trusted_certificates", "trusted_crls", "issuer_certificates", "issuer_crls"]
    out = struct.pack("<I", spec.get("specified_lists", 15))
    for name in lists:
        items = spec.get(name, [])
        out += encode_byte_strings(None if items is None else [unb64(i) for i in items])
    return out


def decode_trust_list(data):
    pos = 0

    def take(n):
        nonlocal pos
        if pos + n > len(data):
            raise ValueError(f"TrustListDataType truncated at byte {pos} of {len(data)}")
        chunk = data[pos : pos + n]
        pos += n
        return chunk

    result = {"specified_lists": struct.unpack("<I", take(4))[0]}
    for name in ["trusted_certificates", "trusted_crls", "issuer_certificates", "issuer_crls"]:
        (count,) = struct.unpack("<i", take(4))
        items = []
        for _ in range(max(count, 0)):
            (length,) = struct.unpack("<i", take(4))
            items.append(take(length) if length > 0 else b"")
        if name.endswith("crls"):
            result[name] = [{"sha1": thumbprint(i), "der": b64(i)} for i in items]
        else:
            result[name] = [certificate_entry(i) for i in items]
    if pos != len(data):
        result["trailing_bytes"] = len(data) - pos
    return result


async def read_trust_list(client, spec):
    masks = spec.get("masks", 15)
    chunk = spec.get("chunk", 4096)
    handle = first(await call(client, TRUST_LIST, OPEN_WITH_MASKS, [uint32(masks)], "OpenWithMasks"), "OpenWithMasks")
    data = b""
    reads = 0
    try:
        while True:
            out = await call(
                client, TRUST_LIST, READ, [uint32(handle), var(chunk, ua.VariantType.Int32)], "Read"
            )
            reads += 1
            piece = first(out, "Read") or b""
            data += piece
            if len(piece) < chunk:
                break
    finally:
        await call(client, TRUST_LIST, CLOSE, [uint32(handle)], "Close")
    result = {"bytes": len(data), "reads": reads}
    result.update(decode_trust_list(data))
    return result


async def write_trust_list(client, spec):
    data = unb64(spec["raw"]) if "raw" in spec else encode_trust_list(spec)
    chunk = spec.get("chunk", 4096)
    mode = spec.get("mode", 6)  # Write + EraseExisting
    handle = first(await call(client, TRUST_LIST, OPEN, [var(mode, ua.VariantType.Byte)], "Open"), "Open")
    writes = 0
    try:
        for start in range(0, len(data), chunk):
            await call(
                client,
                TRUST_LIST,
                WRITE,
                [uint32(handle), var(data[start : start + chunk], ua.VariantType.ByteString)],
                "Write",
            )
            writes += 1
    except (StepError, MissingOutput):
        # Release the handle; the failing Write's status is the result.
        try:
            await call(client, TRUST_LIST, CLOSE, [uint32(handle)], "Close")
        except StepError:
            pass
        raise
    out = await call(client, TRUST_LIST, CLOSE_AND_UPDATE, [uint32(handle)], "CloseAndUpdate")
    return {"bytes": len(data), "writes": writes, "apply_changes_required": bool(first(out, "CloseAndUpdate"))}


async def open_trust_list(client, spec):
    handle = first(
        await call(client, TRUST_LIST, OPEN, [var(spec.get("mode", 1), ua.VariantType.Byte)], "Open"), "Open"
    )
    await call(client, TRUST_LIST, CLOSE, [uint32(handle)], "Close")
    return {"handle": handle}


async def add_certificate(client, spec):
    await call(
        client,
        TRUST_LIST,
        ADD_CERTIFICATE,
        [
            var(unb64(spec["certificate"]), ua.VariantType.ByteString),
            var(spec.get("trusted", True), ua.VariantType.Boolean),
        ],
        "AddCertificate",
    )
    return {}


async def remove_certificate(client, spec):
    await call(
        client,
        TRUST_LIST,
        REMOVE_CERTIFICATE,
        [
            var(spec["thumbprint"], ua.VariantType.String),
            var(spec.get("trusted", True), ua.VariantType.Boolean),
        ],
        "RemoveCertificate",
    )
    return {}


def group_id(spec):
    group = spec.get("group")
    if group is None:
        return ua.NodeId()  # null: the DefaultApplicationGroup
    if group == "DefaultApplicationGroup":
        return DEFAULT_APPLICATION_GROUP
    return ua.NodeId.from_string(group)


def type_id(spec):
    return ua.NodeId.from_string(spec.get("type", "i=12560"))


async def create_signing_request(client, spec):
    if "nonce" in spec:
        nonce = unb64(spec["nonce"])
    else:
        nonce = os.urandom(spec.get("nonce_length", 32))
    out = await call(
        client,
        SERVER_CONFIGURATION,
        CREATE_SIGNING_REQUEST,
        [
            var(group_id(spec), ua.VariantType.NodeId),
            var(type_id(spec), ua.VariantType.NodeId),
            var(spec.get("subject"), ua.VariantType.String),
            var(spec.get("regenerate", True), ua.VariantType.Boolean),
            var(nonce, ua.VariantType.ByteString),
        ],
        "CreateSigningRequest",
    )
    csr = first(out, "CreateSigningRequest") or b""
    if spec.get("save"):
        with open(spec["save"] + ".part", "wb") as f:
            f.write(csr)
        os.replace(spec["save"] + ".part", spec["save"])
    return {"csr": b64(csr), "nonce_length": len(nonce)}


async def update_certificate(client, spec):
    issuers = [unb64(i) for i in spec.get("issuers", [])]
    if "certificate_file" in spec:
        waited = await wait_for({"path": spec["certificate_file"], "timeout": spec.get("timeout", 30)})
        with open(waited["path"], "rb") as f:
            spec = dict(spec, certificate=b64(f.read()))
    out = await call(
        client,
        SERVER_CONFIGURATION,
        UPDATE_CERTIFICATE,
        [
            var(group_id(spec), ua.VariantType.NodeId),
            var(type_id(spec), ua.VariantType.NodeId),
            var(unb64(spec["certificate"]), ua.VariantType.ByteString),
            var(issuers, ua.VariantType.ByteString),
            var(spec.get("format", ""), ua.VariantType.String),
            var(unb64(spec.get("key", "")), ua.VariantType.ByteString),
        ],
        "UpdateCertificate",
    )
    return {"apply_changes_required": bool(first(out, "UpdateCertificate"))}


async def apply_changes(client, _spec):
    await call(client, SERVER_CONFIGURATION, APPLY_CHANGES, [], "ApplyChanges")
    return {}


async def get_rejected_list(client, _spec):
    out = await call(client, SERVER_CONFIGURATION, GET_REJECTED_LIST, [], "GetRejectedList")
    return {"certificates": [certificate_entry(c) for c in (first(out, "GetRejectedList") or [])]}


async def read_values(client, nodes):
    read = [client.get_node(ua.NodeId.from_string(n)) for n in nodes]
    values = {}
    for text, data in zip(nodes, await client.read_attributes(read)):
        values[text] = ua_client.data_value(data)
        values[text].update(status_of(data.StatusCode or ua.StatusCode(0)))
    return {"values": values}


async def read_until_refused(client, args):
    """Reads `nodes` every `every` seconds until a read fails or `timeout` seconds have passed.

    The server closes a session whose channel used the certificate that ApplyChanges replaced,
    once its store watch has activated the new one; how soon depends on the machine. The
    failing read is the action's result (status and step); reads that are all Good until the
    deadline give a Good result with the number of reads, which the test refuses.
    """
    deadline = time.monotonic() + args.get("timeout", 10)
    reads = 0
    while True:
        reads += 1
        result = await read_values(client, args["nodes"])
        if time.monotonic() >= deadline:
            return {**result, "reads": reads}
        await asyncio.sleep(args.get("every", 0.2))


EVENT_FIELDS = [
    "EventId",
    "EventType",
    "SourceNode",
    "SourceName",
    "Time",
    "Message",
    "Severity",
    "ExpirationDate",
    "ExpirationLimit",
    "Certificate",
    "CertificateType",
]


ALARM_FIELDS = {"ExpirationDate", "ExpirationLimit", "Certificate", "CertificateType"}


class EventCollector:
    def __init__(self):
        self.events = []

    def event_notification(self, event):
        fields = {}
        for name, field in zip(EVENT_FIELDS, event.event_fields):
            value = field.Value
            if isinstance(value, bytes):
                fields[name] = b64(value)
                if name == "Certificate":
                    fields["CertificateThumbprint"] = thumbprint(value)
            elif isinstance(value, ua.NodeId):
                fields[name] = value.to_string()
            elif isinstance(value, ua.LocalizedText):
                fields[name] = value.Text
            elif isinstance(value, datetime.datetime):
                stamp = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
                fields[name] = stamp.isoformat()
                fields[name + "Unix"] = stamp.timestamp()
            else:
                fields[name] = ua_client.plain(value)
        self.events.append(fields)


async def events(client, spec):
    """Subscribes to events of `type` on the Server object for `seconds`; reports them."""
    event_type = ua.NodeId.from_string(spec.get("type", "i=13225"))
    evfilter = ua.EventFilter()
    for name in EVENT_FIELDS:
        clause = ua.SimpleAttributeOperand()
        # The alarm's own fields by the type that defines them (OPC 10000-12 §7.8.2.10).
        defined_by = CERTIFICATE_EXPIRATION_ALARM_TYPE if name in ALARM_FIELDS else ua.NodeId(ua.ObjectIds.BaseEventType)
        clause.TypeDefinitionId = defined_by
        clause.BrowsePath = [ua.QualifiedName(name, 0)]
        clause.AttributeId = ua.AttributeIds.Value
        evfilter.SelectClauses.append(clause)
    operand = ua.LiteralOperand(Value=ua.Variant(event_type, ua.VariantType.NodeId))
    element = ua.ContentFilterElement()
    element.FilterOperator = ua.FilterOperator.OfType
    element.FilterOperands = [operand]
    evfilter.WhereClause.Elements.append(element)
    collector = EventCollector()
    subscription = await client.create_subscription(100, collector)
    try:
        await subscription.subscribe_events(SERVER, event_type, evfilter=evfilter)
        await asyncio.sleep(spec.get("seconds", 3))
    finally:
        try:
            await subscription.delete()
        except Exception:  # noqa: BLE001
            pass
    return {"events": collector.events}


async def wait_for(spec):
    """Waits until the test creates the file `path` (at most `timeout` seconds)."""
    deadline = time.monotonic() + spec.get("timeout", 30)
    while not os.path.exists(spec["path"]):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no file {spec['path']}")
        await asyncio.sleep(0.02)
    return {"path": spec["path"]}


async def signal(_client, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("reached\n")
    return {"path": path}


ACTIONS = {
    "signal": signal,
    "wait_for": lambda _client, spec: wait_for(spec),
    "read_trust_list": read_trust_list,
    "write_trust_list": write_trust_list,
    "open_trust_list": open_trust_list,
    "add_certificate": add_certificate,
    "remove_certificate": remove_certificate,
    "create_signing_request": create_signing_request,
    "update_certificate": update_certificate,
    "apply_changes": apply_changes,
    "get_rejected_list": get_rejected_list,
    "read": read_values,
    "read_until_refused": read_until_refused,
    "events": events,
}


async def run_action(client, action):
    if "sleep" in action:
        await asyncio.sleep(action["sleep"])
        return {"action": "sleep", "status": "Good", "code": 0}
    (name,) = action.keys()
    if name not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    result = {"action": name}
    try:
        result.update(await ACTIONS[name](client, action[name]))
        result.update(status_of(0))
    except StepError as exc:
        result.update(status_of(exc.code))
        result["step"] = exc.step
    except MissingOutput as exc:
        result.update({"status": "MissingOutput", "code": None, "step": exc.step, "error": str(exc)})
    except Exception as exc:  # noqa: BLE001 - reported to the test as data
        described = ua_client.describe(exc)
        result["status"] = described["status"] or "Exception"
        result["code"] = None
        result["error"] = described
    return result


async def endpoint_certificate(client, policy, mode):
    """The ServerCertificate (with its chain) the endpoint of `policy`/`mode` advertises."""
    endpoints = await client.connect_and_get_server_endpoints()
    endpoint = Client.find_endpoint(endpoints, mode, policy.URI)
    return endpoint.ServerCertificate


async def connect(client, user):
    """Client.connect with the user token of `user` (ua_client.connect activates anonymously)."""
    await client.connect_socket()
    try:
        await client.send_hello()
        await client.open_secure_channel()
        try:
            await client.create_session()
            if user:
                await client.activate_session(username=user["name"], password=user["password"])
            else:
                await client.activate_session()
        except Exception:
            await client.close_secure_channel()
            raise
    except Exception:
        client.disconnect_socket()
        raise


async def run_attempt(plan, attempt):
    client = Client(plan["url"], timeout=plan.get("timeout", 10))
    client.application_uri = attempt["application_uri"]
    client.name = attempt.get("application_name", "asyncua push client")
    policy = getattr(security_policies, "SecurityPolicy" + attempt["policy"])
    mode = getattr(ua.MessageSecurityMode, attempt.get("mode", "SignAndEncrypt"))
    outcome = {"connected": False, "error": None, "actions": []}
    server_certificate = plan.get("server_certificate")
    if server_certificate is None:
        try:
            blob = await endpoint_certificate(client, policy, mode)
        except Exception as exc:  # noqa: BLE001
            outcome["error"] = ua_client.describe(exc)
            return outcome
        chain = split_chain(blob)
        outcome["server_certificate"] = {
            "thumbprint": thumbprint(chain[0]),
            "der": b64(chain[0]),
            "chain": [thumbprint(c) for c in chain[1:]],
        }
        server_certificate = chain[0]
    await client.set_security(
        policy,
        attempt["certificate"],
        attempt["private_key"],
        server_certificate=server_certificate,
        mode=mode,
    )
    user = attempt.get("user")
    try:
        await connect(client, user)
    except Exception as exc:  # noqa: BLE001 - a refused connection is a result
        outcome["error"] = ua_client.describe(exc)
        return outcome
    outcome["connected"] = True
    try:
        for action in attempt.get("actions", []):
            outcome["actions"].append(await run_action(client, action))
    finally:
        try:
            await client.disconnect()
        except Exception as exc:  # noqa: BLE001 - ApplyChanges may have closed the session
            outcome["disconnect_error"] = ua_client.describe(exc)
    return outcome


async def main(source):
    if source == "-":
        plan = json.load(sys.stdin)
    else:
        with open(source, encoding="utf-8") as f:
            plan = json.load(f)
    results = []
    for attempt in plan["attempts"]:
        started = time.monotonic()
        # "retry_seconds": a refused TCP connection (a server restarting its endpoints after
        # ApplyChanges) is tried again until then.
        deadline = started + attempt.get("retry_seconds", 0)
        while True:
            result = await run_attempt(plan, attempt)
            refused = (result["error"] or {}).get("type") in ("ConnectionRefusedError", "ConnectionResetError")
            if not refused or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        result["seconds"] = round(time.monotonic() - started, 3)
        results.append(result)
    json.dump({"attempts": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: push_client.py PLAN_JSON_FILE | -")
    asyncio.run(main(sys.argv[1]))
