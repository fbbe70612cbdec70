"""Python asyncua as a benchmark peer (scripts/bench, benches/src/servers.rs).

Usage: asyncua_server.py PLAN_JSON_FILE

Serves the benchmarks' address space with the benchmarks' security and prints "READY" on
stdout once it listens; serves until stdin closes or it is terminated.

Plan:
{
  "host": "127.0.0.1", "port": 48400,
  "application_uri": "urn:bench:asyncua",        # the certificate's SAN URI
  "certificate": "cert.pem", "private_key": "key.pem",
  "trusted_dir": "trusted", "crl_dir": "crl",    # client trust: the CA and its CRL
  "namespace": "http://microsoft.com/Opc/OpcPlc/",
  "doubles": 100,                                # FastDouble1..N, Double, +1.0 every second
  "update_seconds": 1.0
}

Security as on every server of the benchmarks: Basic256Sha256 SignAndEncrypt only, clients
validated with asyncua's TRUSTED_VALIDATION (chain to the trusted CA, its CRL, validity, URI,
key usage).
"""

import asyncio
import json
import sys

from asyncua import Server, ua
from asyncua.crypto.truststore import TrustStore
from asyncua.crypto.validator import CertificateValidator, CertificateValidatorOptions


async def main(path):
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)

    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://{plan['host']}:{plan['port']}")
    server.set_server_name("asyncua benchmark peer")
    await server.set_application_uri(plan["application_uri"])
    server.set_security_policy([ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt])
    await server.load_certificate(plan["certificate"])
    await server.load_private_key(plan["private_key"])

    store = TrustStore([plan["trusted_dir"]], [plan["crl_dir"]])
    await store.load()
    validator = CertificateValidator(
        options=CertificateValidatorOptions.TRUSTED_VALIDATION | CertificateValidatorOptions.PEER_CLIENT,
        trust_store=store,
    )
    server.set_certificate_validator(validator)

    idx = await server.register_namespace(plan["namespace"])
    folder = await server.nodes.objects.add_folder(ua.NodeId("Fast", idx), "Fast")
    variables = []
    for i in range(1, plan["doubles"] + 1):
        name = f"FastDouble{i}"
        var = await folder.add_variable(ua.NodeId(name, idx), name, ua.Variant(0.0, ua.VariantType.Double))
        variables.append(var)

    async def simulate():
        value = 0.0
        while True:
            await asyncio.sleep(plan.get("update_seconds", 1.0))
            value += 1.0
            for var in variables:
                await var.write_value(ua.Variant(value, ua.VariantType.Double))

    async with server:
        task = asyncio.create_task(simulate())
        print("READY", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
