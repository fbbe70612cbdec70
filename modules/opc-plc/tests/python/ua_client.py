"""Python asyncua as the OPC UA client of the opc-plc interop tests (tests/asyncua.rs).

Usage: ua_client.py PLAN_JSON_FILE

The plan names the server and a list of connection attempts; each attempt connects with one
security policy and certificate, runs its actions in order and disconnects. The script prints one
JSON document on stdout and exits 0 whether the attempts succeeded or not: the Rust test decides
what the results mean. Anything else (bad plan, missing file) is a crash with a non-zero exit.

Plan:
{
  "url": "opc.tcp://127.0.0.1:4840",
  "server_certificate": "server.der",        # the certificate the client expects (DER or PEM)
  "timeout": 10,                             # seconds per request
  "attempts": [{
    "policy": "Basic256Sha256",              # or Aes256Sha256RsaPss, Aes128Sha256RsaOaep
    "mode": "SignAndEncrypt",                # or Sign
    "certificate": "client.pem",             # the client's own certificate
    "private_key": "client.key.pem",
    "application_uri": "urn:...",            # ApplicationUri sent at CreateSession (= the SAN URI)
    "chain": ["intermediate.der"],           # optional: CA certificates sent after the leaf
    "chain_at_create_session": true,         # false: the chain goes in OpenSecureChannel only and
                                             # CreateSession carries the leaf (like the .NET stack)
    "actions": [
      {"read": "i=2258"},                    # NodeIds as strings; "nsu=<uri>;s=<id>" is resolved
      {"sleep": 0.5},                        # through the server's NamespaceArray
      {"sample": {"nodes": ["nsu=...;s=StepUp"], "count": 20, "interval": 0.05}},
      {"call": {"object": "nsu=...;s=...", "method": "nsu=...;s=...", "args": []}},
      {"browse": "i=3706"},                  # the browse names of the node's children
      {"signal": "reached.flag"},            # creates the file (the test waits for it)
      {"wait_for": {"path": "go.flag", "timeout": 30}}   # waits until the test creates it
    ]
  }]
}

Values: structures become objects of their fields, byte strings hex, enumerations their number,
NodeIds their string form.

Output: {"attempts": [{"connected": bool, "error": null | {"type", "status", "message"},
          "actions": [{"read": id, "status": "Good", "type": "UInt32", "value": 3,
                       "unix": 1.7e9 (DateTime values only)}
                      | {"sample": [ids], "rows": [[{"status", "type", "value"}, ...], ...]}
                      | {"call": ..., "status": ..., "outputs": [...]} | {"sleep": s}
                      | {"browse": id, "names": ["SessionDiagnosticsArray", ...]}
                      | {"signal": path} | {"wait_for": path}
                      | {..., "error": {...}}]}]}
"""

import asyncio
import dataclasses
import datetime
import json
import os
import sys
import time

from asyncua import Client, ua
from asyncua.client.ua_client import UASocketProtocol
from asyncua.crypto import security_policies, uacrypto

_process_received_message = UASocketProtocol._process_received_message


def _fail_pending_on_error_message(self, msg):
    """asyncua 1.1.8 logs a server's ERR message (OPC 10000-6 §7.1.2.5) and closes the socket but
    leaves the pending request waiting for its timeout. Fail it with the server's status at once,
    so a refused connection reports the status the server sent, without waiting."""
    if isinstance(msg, ua.ErrorMessage) and msg.Error is not None:
        for future in list(self._callbackmap.values()):
            if not future.done():
                future.set_exception(ua.UaStatusCodeError(msg.Error.value))
    return _process_received_message(self, msg)


UASocketProtocol._process_received_message = _fail_pending_on_error_message


@dataclasses.dataclass
class SessionSecurityDiagnostics:
    """SessionSecurityDiagnosticsDataType (OPC 10000-5 §12.11) as the server encodes it. asyncua
    1.1.8 cannot decode it: its generated class takes the field `Encoding` (a String) for the
    Byte that flags a structure's optional fields, so it reads one byte where a String is, and
    every field after it goes wrong. The same fields in the same order, the fifth renamed."""

    SessionId: ua.NodeId = dataclasses.field(default_factory=ua.NodeId)
    ClientUserIdOfSession: ua.String = None
    ClientUserIdHistory: list[ua.String] = dataclasses.field(default_factory=list)
    AuthenticationMechanism: ua.String = None
    EncodingName: ua.String = None
    TransportProtocol: ua.String = None
    SecurityMode: ua.MessageSecurityMode = ua.MessageSecurityMode.Invalid
    SecurityPolicyUri: ua.String = None
    ClientCertificate: ua.ByteString = None


# Its default binary encoding, ns=0;i=870.
ua.extension_objects_by_typeid[ua.NodeId(870)] = SessionSecurityDiagnostics


def status_name(code):
    return ua.status_codes.get_name_and_doc(code)[0]


def describe(exc):
    """The error as data: the OPC UA status name when the stack gave one."""
    status = None
    if isinstance(exc, ua.UaStatusCodeErrors):
        status = status_name(exc.codes[0]) if exc.codes else None
    elif isinstance(exc, ua.UaStatusCodeError):
        status = status_name(exc.code)
    return {"type": type(exc).__name__, "status": status, "message": str(exc)}


def plain(value):
    """A variant value as JSON."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat()
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, ua.NodeId):
        return value.to_string()
    if dataclasses.is_dataclass(value):
        # asyncua's structures (e.g. SessionSecurityDiagnosticsDataType) are dataclasses.
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return str(value)


async def node_id(client, text, cache):
    """`nsu=<uri>;<rest>` resolved to `ns=<index>;<rest>`; other forms as asyncua parses them."""
    if text.startswith("nsu="):
        uri, rest = text[4:].split(";", 1)
        if uri not in cache:
            cache[uri] = await client.get_namespace_index(uri)
        text = f"ns={cache[uri]};{rest}"
    return ua.NodeId.from_string(text)


def data_value(data):
    """A DataValue as JSON: status, variant type, value (and `unix` seconds for a DateTime)."""
    result = {"status": data.StatusCode.name if data.StatusCode else "Good"}
    variant = data.Value
    if variant is not None:
        result["type"] = variant.VariantType.name
        result["value"] = plain(variant.Value)
        if isinstance(variant.Value, datetime.datetime):
            stamp = variant.Value
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=datetime.timezone.utc)
            result["unix"] = stamp.timestamp()
    return result


async def read_all(client, texts, cache):
    """One Read request for the Value of every node of `texts`."""
    nodes = [client.get_node(await node_id(client, t, cache)) for t in texts]
    return [data_value(d) for d in await client.read_attributes(nodes)]


async def read(client, text, cache):
    result = {"read": text}
    try:
        result.update((await read_all(client, [text], cache))[0])
    except Exception as exc:  # noqa: BLE001 - reported to the test as data
        result["error"] = describe(exc)
    return result


async def sample(client, spec, cache):
    """`count` rows of one Read request each over `nodes`, `interval` seconds apart."""
    result = {"sample": spec["nodes"], "rows": []}
    try:
        for i in range(spec["count"]):
            if i:
                await asyncio.sleep(spec["interval"])
            result["rows"].append(await read_all(client, spec["nodes"], cache))
    except Exception as exc:  # noqa: BLE001 - reported to the test as data
        result["error"] = describe(exc)
    return result


async def call(client, spec, cache):
    result = {"call": spec["method"]}
    try:
        parent = client.get_node(await node_id(client, spec["object"], cache))
        method = await node_id(client, spec["method"], cache)
        outputs = await parent.call_method(method, *spec.get("args", []))
    except Exception as exc:  # noqa: BLE001 - reported to the test as data
        result["error"] = describe(exc)
        return result
    result["status"] = "Good"
    if outputs is None:
        outputs = []
    elif not isinstance(outputs, list):
        outputs = [outputs]
    result["outputs"] = [plain(o) for o in outputs]
    return result


async def browse(client, text, cache):
    result = {"browse": text}
    try:
        children = await client.get_node(await node_id(client, text, cache)).get_children()
        result["names"] = [(await c.read_browse_name()).Name for c in children]
    except Exception as exc:  # noqa: BLE001 - reported to the test as data
        result["error"] = describe(exc)
    return result


async def wait_for(spec):
    """Waits until the test creates the file `path` (at most `timeout` seconds)."""
    deadline = time.monotonic() + spec.get("timeout", 30)
    while not os.path.exists(spec["path"]):
        if time.monotonic() > deadline:
            return {"wait_for": spec["path"], "error": {"type": "Timeout", "status": None, "message": "no file"}}
        await asyncio.sleep(0.02)
    return {"wait_for": spec["path"]}


async def connect(client, attempt, leaf_der):
    """Client.connect, except that the certificate sent at CreateSession can be the leaf only."""
    await client.connect_socket()
    try:
        await client.send_hello()
        await client.open_secure_channel()
        if not attempt.get("chain_at_create_session", True):
            # The .NET stack sends its chain at OpenSecureChannel and the leaf at CreateSession
            # (open62541 then sees only the leaf there): the server must remember the chain.
            client.security_policy.host_certificate = leaf_der
        try:
            await client.create_session()
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
    client.name = attempt.get("application_name", "asyncua interop client")
    policy = getattr(security_policies, "SecurityPolicy" + attempt["policy"])
    mode = getattr(ua.MessageSecurityMode, attempt.get("mode", "SignAndEncrypt"))
    await client.set_security(
        policy,
        attempt["certificate"],
        attempt["private_key"],
        server_certificate=plan["server_certificate"],
        mode=mode,
    )
    leaf_der = client.security_policy.host_certificate
    chain = b""
    for path in attempt.get("chain", []):
        chain += uacrypto.der_from_x509(await uacrypto.load_certificate(path))
    if chain:
        # asyncua sends `host_certificate` as the SenderCertificate of OpenSecureChannel and as
        # the ClientCertificate of CreateSession: leaf first, then its CA certificates (Part 6
        # §6.7.2.3).
        client.security_policy.host_certificate = leaf_der + chain

    outcome = {"connected": False, "error": None, "actions": []}
    try:
        await connect(client, attempt, leaf_der)
    except Exception as exc:  # noqa: BLE001 - a refused connection is a result
        outcome["error"] = describe(exc)
        return outcome
    outcome["connected"] = True
    cache = {}
    try:
        for action in attempt.get("actions", []):
            if "read" in action:
                outcome["actions"].append(await read(client, action["read"], cache))
            elif "sample" in action:
                outcome["actions"].append(await sample(client, action["sample"], cache))
            elif "call" in action:
                outcome["actions"].append(await call(client, action["call"], cache))
            elif "browse" in action:
                outcome["actions"].append(await browse(client, action["browse"], cache))
            elif "signal" in action:
                # Tells the test this point is reached (e.g. the session is open).
                with open(action["signal"], "w", encoding="utf-8") as f:
                    f.write("reached\n")
                outcome["actions"].append({"signal": action["signal"]})
            elif "wait_for" in action:
                outcome["actions"].append(await wait_for(action["wait_for"]))
            elif "sleep" in action:
                await asyncio.sleep(action["sleep"])
                outcome["actions"].append({"sleep": action["sleep"]})
            else:
                raise ValueError(f"unknown action {action!r}")
    finally:
        try:
            await client.disconnect()
        except Exception as exc:  # noqa: BLE001
            outcome["disconnect_error"] = describe(exc)
    return outcome


async def main(path):
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    results = []
    for attempt in plan["attempts"]:
        results.append(await run_attempt(plan, attempt))
    json.dump({"attempts": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ua_client.py PLAN_JSON_FILE")
    asyncio.run(main(sys.argv[1]))
