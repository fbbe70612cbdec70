"""Python asyncua as the OPC UA server of the opc-client interop tests (tests/asyncua.rs).

Usage: ua_server.py PLAN_JSON_FILE

Starts a secured server (Basic256Sha256 SignAndEncrypt) on the plan's host and port, prints
"READY" on stdout once it listens, and serves until its stdin is closed (or it is killed).

Plan:
{
  "host": "127.0.0.1", "port": 48400,
  "application_uri": "urn:asyncua:server",      # must equal the certificate's SAN URI
  "certificate": "server.pem", "private_key": "server.key.pem",
  "chain": ["intermediate.pem"],                # optional: CA certificates sent after the leaf
  "chain_at_create_session": false,             # the chain in GetEndpoints and OpenSecureChannel
                                                # only; CreateSession carries the leaf
  "trusted_dir": "trusted", "crl_dir": "crl",   # client trust: CAs (.pem/.der) and CRLs there
  "namespace": "urn:test:interop",              # a namespace with the variable s=Answer = 42
  "long_text_length": 5000                      # optional: also s=Long, a String of that many "x"
}

After READY it prints "SESSION <id>" (asyncua's NodeId text, e.g. "i=10") for every session it
creates, so tests can compare the id a client logs with the server's.

Clients are validated with asyncua's TRUSTED_VALIDATION (chain to a trusted CA, CRL, time, URI,
key usage); a refused client gets the status code asyncua raises.
"""

import asyncio
import json
import sys

from asyncua import Server, ua
from asyncua.crypto import uacrypto
from asyncua.crypto.truststore import TrustStore
from asyncua.crypto.validator import CertificateValidator, CertificateValidatorOptions


async def main(path):
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)

    server = Server()
    await server.init()
    server.set_endpoint(f"opc.tcp://{plan['host']}:{plan['port']}")
    server.set_server_name("asyncua interop server")
    await server.set_application_uri(plan["application_uri"])
    server.set_security_policy([ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt])
    await server.load_certificate(plan["certificate"])
    await server.load_private_key(plan["private_key"])

    chain = b""
    for p in plan.get("chain", []):
        chain += uacrypto.der_from_x509(await uacrypto.load_certificate(p))
    if chain:
        # asyncua sends exactly der_from_x509(own certificate) in GetEndpoints, OpenSecureChannel
        # and CreateSession; appending the CA certificates makes it send the chain there (Part 6
        # §6.7.2.3: leaf first, then its issuers).
        leaf = server.iserver.certificate
        plain = uacrypto.der_from_x509

        def with_chain(certificate):
            der = plain(certificate)
            return der + chain if certificate is not None and certificate == leaf else der

        uacrypto.der_from_x509 = with_chain
        if not plan.get("chain_at_create_session", True):
            # After OpenSecureChannel the server goes on with its leaf alone: the CreateSession
            # response carries it and ActivateSession's client signature covers it. open62541
            # 1.5's client keeps only the leaf of the endpoint's chain and refuses a chain in
            # the CreateSession response (BadCertificateInvalid, ua_client_connect.c
            # createSessionCallback).
            from asyncua.server.uaprocessor import UaProcessor

            plain_process = UaProcessor._process_message

            async def leaf_after_open(self, typeid, requesthdr, seqhdr, body):
                policy = self._connection.security_policy
                if policy is not None and policy.host_certificate and policy.host_certificate.endswith(chain):
                    policy.host_certificate = policy.host_certificate[: -len(chain)]
                return await plain_process(self, typeid, requesthdr, seqhdr, body)

            UaProcessor._process_message = leaf_after_open

    from asyncua.server.internal_server import InternalServer

    plain_create = InternalServer.create_session

    def create_session(self, *args, **kwargs):
        session = plain_create(self, *args, **kwargs)
        print(f"SESSION {session.session_id.to_string()}", flush=True)
        return session

    InternalServer.create_session = create_session

    store = TrustStore([plan["trusted_dir"]], [plan["crl_dir"]])
    await store.load()
    validator = CertificateValidator(
        options=CertificateValidatorOptions.TRUSTED_VALIDATION | CertificateValidatorOptions.PEER_CLIENT,
        trust_store=store,
    )
    server.set_certificate_validator(validator)

    idx = await server.register_namespace(plan.get("namespace", "urn:test:interop"))
    objects = server.nodes.objects
    await objects.add_variable(ua.NodeId("Answer", idx), "Answer", ua.Variant(42, ua.VariantType.Int32))
    if "long_text_length" in plan:
        text = "x" * plan["long_text_length"]
        await objects.add_variable(ua.NodeId("Long", idx), "Long", ua.Variant(text, ua.VariantType.String))

    async with server:
        print("READY", flush=True)
        loop = asyncio.get_running_loop()
        # Serve until the test closes stdin.
        await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
