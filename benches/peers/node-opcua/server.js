// node-opcua as a benchmark peer (scripts/bench, benches/src/servers.rs).
//
// Usage: node server.js PLAN_JSON_FILE
//
// Serves the benchmarks' address space with the benchmarks' security and prints "READY" on
// stdout once it listens; serves until stdin closes or it is terminated.
//
// Plan:
// {
//   "host": "127.0.0.1", "port": 48401,
//   "application_uri": "urn:bench:node-opcua",    // the certificate's SAN URI
//   "certificate": "cert.pem", "private_key": "key.pem",
//   "pki_dir": "pki",                             // node-opcua's certificate manager folder: the
//                                                 // CA in trusted/certs, its CRL in trusted/crl
//   "namespace": "http://microsoft.com/Opc/OpcPlc/",
//   "doubles": 100,                               // FastDouble1..N, Double, +1.0 every second
//   "update_seconds": 1.0
// }
//
// Security as on every server of the benchmarks: Basic256Sha256 SignAndEncrypt only; clients are
// checked by node-opcua's certificate manager (chain to the trusted CA, its CRL, validity, URI),
// never accepted automatically.
"use strict";

const fs = require("fs");
const {
    OPCUAServer,
    OPCUACertificateManager,
    SecurityPolicy,
    MessageSecurityMode,
    DataType,
    Variant,
} = require("node-opcua");

async function main(path) {
    const plan = JSON.parse(fs.readFileSync(path, "utf-8"));
    const serverCertificateManager = new OPCUACertificateManager({
        rootFolder: plan.pki_dir,
        automaticallyAcceptUnknownCertificate: false,
    });
    await serverCertificateManager.initialize();

    const server = new OPCUAServer({
        port: plan.port,
        hostname: plan.host,
        serverCertificateManager,
        certificateFile: plan.certificate,
        privateKeyFile: plan.private_key,
        securityPolicies: [SecurityPolicy.Basic256Sha256],
        securityModes: [MessageSecurityMode.SignAndEncrypt],
        allowAnonymous: true,
        maxAllowedSessionNumber: 200,
        maxConnectionsPerEndpoint: 200,
        serverInfo: {
            applicationUri: plan.application_uri,
            productUri: "urn:bench:node-opcua",
            applicationName: { text: "node-opcua benchmark peer" },
        },
    });
    await server.initialize();

    const addressSpace = server.engine.addressSpace;
    const namespace = addressSpace.registerNamespace(plan.namespace);
    const folder = namespace.addFolder(addressSpace.rootFolder.objects, {
        nodeId: "s=Fast",
        browseName: "Fast",
    });
    const variables = [];
    for (let i = 1; i <= plan.doubles; i++) {
        const name = `FastDouble${i}`;
        variables.push(
            namespace.addVariable({
                componentOf: folder,
                nodeId: `s=${name}`,
                browseName: name,
                dataType: "Double",
                value: new Variant({ dataType: DataType.Double, value: 0.0 }),
            }),
        );
    }
    let value = 0.0;
    const timer = setInterval(() => {
        value += 1.0;
        for (const v of variables) {
            v.setValueFromSource(new Variant({ dataType: DataType.Double, value }));
        }
    }, (plan.update_seconds || 1.0) * 1000);

    await server.start();
    process.stdout.write("READY\n");

    const stop = async () => {
        clearInterval(timer);
        await server.shutdown(0);
        process.exit(0);
    };
    process.stdin.on("end", stop);
    process.stdin.resume();
    process.on("SIGTERM", stop);
}

main(process.argv[2]).catch((err) => {
    console.error(err);
    process.exit(1);
});
