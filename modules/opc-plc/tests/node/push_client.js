// node-opcua's push certificate management client (node-opcua-server-configuration's
// ClientPushCertificateManagement and its TrustListClient, a node-opcua-file-transfer ClientFile)
// as an OPC 10000-12 peer of opc-plc (tests/push.rs). Installed from package-lock.json by
// scripts/prereqs (npm ci).
//
// Usage: node push_client.js PLAN_JSON_FILE     (or the plan on stdin: node push_client.js -)
//
// Prints one JSON document on stdout and exits 0 whether the steps succeeded or not; a bad plan
// or a missing file is a crash with a non-zero exit. Byte strings are base64 DER.
//
// Plan:
// {
//   "url": "opc.tcp://127.0.0.1:4840",
//   "timeout": 10,
//   "attempts": [{
//     "policy": "Basic256Sha256", "mode": "SignAndEncrypt",
//     "certificate": "client.pem", "private_key": "client.key.pem",   // PEM files
//     "application_uri": "urn:...",
//     "user": {"name": "sysadmin", "password": "demo"},                // optional (else anonymous)
//     "retry_seconds": 0,              // a refused connection is tried again until then
//     "trust": {"certificates": [b64], "crls": [b64]},  // CAs the client trusts for the server
//     "actions": [
//       {"application_group": {}},                       // getApplicationGroup(): types, trust list id
//       {"read_trust_list": {"masks": 15}},              // readTrustedCertificateListWithMasks
//       {"add_certificate": {"certificate": b64, "trusted": true}},
//       {"remove_certificate": {"thumbprint": "AB..", "trusted": true}},
//       {"create_signing_request": {"group": "DefaultApplicationGroup", "type": "i=12560",
//                                   "subject": null, "regenerate": true, "nonce_length": 32}},
//       {"update_certificate": {"group": "DefaultApplicationGroup", "type": "i=12560",
//                               "certificate": b64, "issuers": [b64]}},
//       {"apply_changes": {}},
//       {"get_rejected_list": {}},
//       {"supported_private_key_formats": {}},
//       {"read": ["i=2258"]},                            // Value attributes
//       {"sleep": 0.5},
//       {"signal": "staged.flag"},                       // creates the file (the test waits)
//       {"wait_for": {"path": "go.flag", "timeout": 30}} // waits until the test creates it
//     ]
//     create_signing_request also takes "save" (a path for the CSR's DER, which the test signs
//     while the session stays open); update_certificate takes "certificate_file" (DER, waited
//     for) instead of "certificate".
//   }]
// }
//
// Output: {"attempts": [{"connected", "error", "server_certificate": {"thumbprint", "chain"},
//           "actions": [{"action", "status": "Good", "code": 0, ...}]}]}
"use strict";

// node-opcua logs through console.log; stdout carries only the JSON result.
console.log = console.error;
console.info = console.error;
console.warn = console.error;

const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const {
    OPCUAClient,
    OPCUACertificateManager,
    MessageSecurityMode,
    SecurityPolicy,
    StatusCodes,
    UserTokenType,
    AttributeIds,
    DataType,
    makeBrowsePath,
    resolveNodeId,
} = require("node-opcua");
const { ClientPushCertificateManagement } = require("node-opcua-server-configuration");
const { TrustListDataType } = require("node-opcua-types");

function thumbprint(der) {
    return crypto.createHash("sha1").update(der).digest("hex").toUpperCase();
}

function entry(der) {
    return { thumbprint: thumbprint(der), der: Buffer.from(der).toString("base64") };
}

/** DER certificates concatenated (a certificate with its chain) as a list. */
function splitChain(blob) {
    const certs = [];
    let rest = Buffer.from(blob || []);
    while (rest.length) {
        if (rest.length < 4 || rest[0] !== 0x30 || rest[1] !== 0x82) {
            certs.push(rest);
            break;
        }
        const length = rest.readUInt16BE(2) + 4;
        certs.push(rest.subarray(0, length));
        rest = rest.subarray(length);
    }
    return certs;
}

function status(code) {
    return { status: code.name, code: code.value };
}

/** A bad status a step received; `step` names the call. */
class StepError extends Error {
    constructor(step, code) {
        super(`${step}: ${code.name}`);
        this.step = step;
        this.statusCode = code;
    }
}

function check(step, code) {
    if (code && code.isNotGood && code.isNotGood()) {
        throw new StepError(step, code);
    }
}

/** node-opcua's helpers throw `Error(statusCode.name)` (or a sentence with it) on a bad status. */
function statusFromError(err) {
    const match = /(Bad[A-Za-z]+|Uncertain[A-Za-z]+)/.exec(err && err.message ? err.message : "");
    if (match && StatusCodes[match[1]]) {
        return StatusCodes[match[1]];
    }
    return null;
}

const b64 = (text) => Buffer.from(text, "base64");
const group = (spec) => (spec.group === undefined || spec.group === null ? "DefaultApplicationGroup" : spec.group);
const certificateType = (spec) => resolveNodeId(spec.type || "i=12560");

function decodedTrustList(list) {
    const certs = (items) => (items || []).map(entry);
    const crls = (items) => (items || []).map((c) => ({ sha1: thumbprint(c), der: Buffer.from(c).toString("base64") }));
    return {
        specified_lists: list.specifiedLists,
        trusted_certificates: certs(list.trustedCertificates),
        trusted_crls: crls(list.trustedCrls),
        issuer_certificates: certs(list.issuerCertificates),
        issuer_crls: crls(list.issuerCrls),
    };
}

async function waitFor(spec) {
    const deadline = Date.now() + (spec.timeout || 30) * 1000;
    while (!fs.existsSync(spec.path)) {
        if (Date.now() > deadline) {
            throw new Error(`no file ${spec.path}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { path: spec.path };
}

const ACTIONS = {
    async signal(_pm, file) {
        fs.writeFileSync(file, "reached\n");
        return { path: file };
    },
    async wait_for(_pm, spec) {
        return waitFor(spec);
    },
    async application_group(pm) {
        const applicationGroup = await pm.getApplicationGroup();
        const types = await applicationGroup.getCertificateTypes();
        const trustList = await applicationGroup.getTrustList();
        return {
            group: applicationGroup.nodeId.toString(),
            certificate_types: (types || []).map((t) => t.toString()),
            trust_list: trustList.nodeId.toString(),
        };
    },
    async read_trust_list(pm, spec) {
        const trustList = await (await pm.getApplicationGroup()).getTrustList();
        const masks = spec.masks === undefined ? 15 : spec.masks;
        return decodedTrustList(await trustList.readTrustedCertificateListWithMasks(masks));
    },
    async write_trust_list(pm, spec) {
        // TrustListClient.writeTrustedCertificateList (2.157.0) encodes the list but never calls
        // Write, and its closeAndUpdate sends a second argument CloseAndUpdate does not have
        // (node-opcua's own server answers BadTooManyArguments): this does Open(WriteEraseExisting)
        // and Write with the package's ClientFile, then the standard CloseAndUpdate(fileHandle).
        const trustList = await (await pm.getApplicationGroup()).getTrustList();
        const list = new TrustListDataType({
            specifiedLists: spec.specified_lists === undefined ? 15 : spec.specified_lists,
            trustedCertificates: (spec.trusted_certificates || []).map(b64),
            trustedCrls: (spec.trusted_crls || []).map(b64),
            issuerCertificates: (spec.issuer_certificates || []).map(b64),
            issuerCrls: (spec.issuer_crls || []).map(b64),
        });
        const { BinaryStream } = require("node-opcua-binary-stream");
        const stream = new BinaryStream(list.binaryStoreSize());
        list.encode(stream);
        const handle = await trustList.open(6);
        await trustList.write(stream.buffer);
        const closeAndUpdate = await trustList.session.translateBrowsePath(
            makeBrowsePath(trustList.nodeId, "/CloseAndUpdate"),
        );
        check("TranslateBrowsePath(CloseAndUpdate)", closeAndUpdate.statusCode);
        const result = await trustList.session.call({
            objectId: trustList.nodeId,
            methodId: closeAndUpdate.targets[0].targetId,
            inputArguments: [{ dataType: DataType.UInt32, value: handle }],
        });
        trustList.fileHandle = 0;
        check("CloseAndUpdate", result.statusCode);
        const outputs = result.outputArguments || [];
        if (outputs.length !== 1) {
            return { status: "MissingOutput", code: null, step: "CloseAndUpdate", outputs: outputs.length };
        }
        return { apply_changes_required: !!outputs[0].value };
    },
    async add_certificate(pm, spec) {
        const trustList = await (await pm.getApplicationGroup()).getTrustList();
        check("AddCertificate", await trustList.addCertificate(b64(spec.certificate), spec.trusted !== false));
        return {};
    },
    async remove_certificate(pm, spec) {
        const trustList = await (await pm.getApplicationGroup()).getTrustList();
        check("RemoveCertificate", await trustList.removeCertificate(spec.thumbprint, spec.trusted !== false));
        return {};
    },
    async create_signing_request(pm, spec) {
        const nonce = spec.nonce !== undefined ? b64(spec.nonce) : crypto.randomBytes(spec.nonce_length === undefined ? 32 : spec.nonce_length);
        const result = await pm.createSigningRequest(
            group(spec),
            certificateType(spec),
            spec.subject === undefined ? null : spec.subject,
            spec.regenerate !== false,
            nonce,
        );
        check("CreateSigningRequest", result.statusCode);
        if (spec.save) {
            fs.writeFileSync(spec.save + ".part", result.certificateSigningRequest || Buffer.alloc(0));
            fs.renameSync(spec.save + ".part", spec.save);
        }
        return { csr: Buffer.from(result.certificateSigningRequest || []).toString("base64"), nonce_length: nonce.length };
    },
    async update_certificate(pm, spec) {
        let certificate = spec.certificate !== undefined ? b64(spec.certificate) : null;
        if (spec.certificate_file) {
            await waitFor({ path: spec.certificate_file, timeout: spec.timeout });
            certificate = fs.readFileSync(spec.certificate_file);
        }
        const result = await pm.updateCertificate(
            group(spec),
            certificateType(spec),
            certificate,
            (spec.issuers || []).map(b64),
        );
        check("UpdateCertificate", result.statusCode);
        return { apply_changes_required: !!result.applyChangesRequired };
    },
    async apply_changes(pm) {
        check("ApplyChanges", await pm.applyChanges());
        return {};
    },
    async get_rejected_list(pm) {
        const result = await pm.getRejectedList();
        check("GetRejectedList", result.statusCode);
        return { certificates: (result.certificates || []).map(entry) };
    },
    async read(pm, nodes) {
        const values = {};
        for (const node of nodes) {
            const dataValue = await pm.session.read({ nodeId: resolveNodeId(node), attributeId: AttributeIds.Value });
            values[node] = Object.assign(status(dataValue.statusCode), {
                type: DataType[dataValue.value.dataType],
                value: dataValue.value.value instanceof Date ? dataValue.value.value.toISOString() : dataValue.value.value,
            });
        }
        return { values };
    },
    async supported_private_key_formats(pm) {
        return { formats: await pm.getSupportedPrivateKeyFormats() };
    },
};

async function runAction(pm, action) {
    if (action.sleep !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, action.sleep * 1000));
        return { action: "sleep", status: "Good", code: 0 };
    }
    const [name] = Object.keys(action);
    if (!Object.prototype.hasOwnProperty.call(ACTIONS, name)) {
        throw new Error(`unknown action ${JSON.stringify(action)}`);
    }
    const result = { action: name };
    try {
        Object.assign(result, status(StatusCodes.Good), await ACTIONS[name](pm, action[name]));
    } catch (err) {
        if (err instanceof StepError) {
            Object.assign(result, status(err.statusCode), { step: err.step });
        } else {
            const code = statusFromError(err);
            Object.assign(result, code ? status(code) : { status: "Exception", code: null });
            result.error = { type: err.constructor.name, message: String(err.message || err) };
        }
    }
    return result;
}

async function runAttempt(plan, attempt, pkiRoot) {
    const outcome = { connected: false, error: null, actions: [] };
    const clientCertificateManager = new OPCUACertificateManager({
        rootFolder: pkiRoot,
        // The PLC's certificate is pinned by nothing here: the test asserts on its thumbprint.
        automaticallyAcceptUnknownCertificate: true,
    });
    await clientCertificateManager.initialize();
    // "trust": CA certificates (and their CRLs) the client trusts for the server's certificate
    // (a CA-signed server certificate does not pass node-opcua's chain check otherwise).
    const trust = attempt.trust || {};
    for (const certificate of trust.certificates || []) {
        await clientCertificateManager.trustCertificate(b64(certificate));
    }
    for (const crl of trust.crls || []) {
        await clientCertificateManager.addRevocationList(b64(crl));
    }
    const timeout = (plan.timeout || 10) * 1000;
    const client = OPCUAClient.create({
        applicationName: attempt.application_name || "node-opcua push client",
        applicationUri: attempt.application_uri,
        securityMode: MessageSecurityMode[attempt.mode || "SignAndEncrypt"],
        securityPolicy: SecurityPolicy[attempt.policy || "Basic256Sha256"],
        certificateFile: attempt.certificate,
        privateKeyFile: attempt.private_key,
        clientCertificateManager,
        endpointMustExist: false,
        requestedSessionTimeout: 60000,
        defaultTransactionTimeout: timeout,
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    });
    let session = null;
    try {
        await client.connect(plan.url);
        const identity = attempt.user
            ? { type: UserTokenType.UserName, userName: attempt.user.name, password: attempt.user.password }
            : { type: UserTokenType.Anonymous };
        session = await client.createSession(identity);
    } catch (err) {
        const code = statusFromError(err);
        outcome.error = { type: err.constructor.name, status: code ? code.name : null, message: String(err.message || err) };
        try {
            await client.disconnect();
        } catch (_) {
            // already closed
        }
        return outcome;
    }
    outcome.connected = true;
    const chain = splitChain(session.serverCertificate || client.serverCertificate);
    if (chain.length) {
        outcome.server_certificate = { thumbprint: thumbprint(chain[0]), chain: chain.slice(1).map(thumbprint) };
    }
    const pm = new ClientPushCertificateManagement(session);
    try {
        for (const action of attempt.actions || []) {
            outcome.actions.push(await runAction(pm, action));
        }
    } finally {
        try {
            await session.close();
        } catch (err) {
            outcome.disconnect_error = { type: err.constructor.name, message: String(err.message || err) };
        }
        try {
            await client.disconnect();
        } catch (_) {
            // ApplyChanges may have closed the channel
        }
    }
    return outcome;
}

function refused(outcome) {
    return !!(outcome.error && /ECONNREFUSED|ECONNRESET|premature disconnection|socket has been disconnected|Connection Break/i.test(outcome.error.message));
}

async function main(source) {
    const text = source === "-" ? fs.readFileSync(0, "utf-8") : fs.readFileSync(source, "utf-8");
    const plan = JSON.parse(text);
    // The client's own certificate manager (node-opcua otherwise writes under $HOME).
    const pkiRoot = fs.mkdtempSync(path.join(os.tmpdir(), "push-client-pki-"));
    const results = [];
    try {
        for (const attempt of plan.attempts) {
            const started = Date.now();
            const deadline = started + (attempt.retry_seconds || 0) * 1000;
            let outcome;
            for (;;) {
                outcome = await runAttempt(plan, attempt, pkiRoot);
                if (!refused(outcome) || Date.now() > deadline) {
                    break;
                }
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
            outcome.seconds = (Date.now() - started) / 1000;
            results.push(outcome);
        }
    } finally {
        fs.rmSync(pkiRoot, { recursive: true, force: true });
    }
    process.stdout.write(JSON.stringify({ attempts: results }) + "\n");
}

if (process.argv.length !== 3) {
    process.stderr.write("usage: node push_client.js PLAN_JSON_FILE | -\n");
    process.exit(2);
}
main(process.argv[2]).then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
        process.exit(1);
    },
);
