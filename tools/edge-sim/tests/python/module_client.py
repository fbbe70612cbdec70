"""A module built on the official Python IoT SDK (azure-iot-device), run against edge-sim.

Driven by tests/python_sdk.rs. It prints one JSON object per line on stdout ("events") and
waits for the Rust side to act on them:

  connected      after connect + get_twin; carries the twin
  reported       after patch_twin_reported_properties returned (the hub answered 204)
  ready          the desired-patch and method handlers are set (the SDK has subscribed)
  desired        a desired patch arrived; carries it
  method         a method call was answered; carries its name and payload
  done           all expected patches and calls were seen

Usage: module_client.py cs|edge EXPECTED_DESIRED_KEYS EXPECTED_METHODS
  cs    IoTHubModuleClient.create_from_connection_string(EDGE_SIM_MODULE_CS,
        server_verification_cert=<EDGE_SIM_CA_FILE>)
  edge  IoTHubModuleClient.create_from_edge_environment() with the IOTEDGE_* variables and
        the simulator's workload socket
  EXPECTED_DESIRED_KEYS  comma-separated desired keys to wait for (each in some patch)
  EXPECTED_METHODS       how many method calls to answer before finishing

Why the port is patched: the SDK hard-codes MQTT port 8883 (azure/iot/device/common/
mqtt_transport.py calls paho's connect(host=..., port=8883)) and has no option to change it.
Binding 8883 needs root and would make concurrent test runs collide, so the simulator listens
on a free port and this script wraps paho.mqtt.client.Client.connect to substitute the port
from EDGE_SIM_MQTT_PORT whenever the SDK asks for 8883. Everything else (TLS 1.2 with
hostname checking, CONNECT fields, SAS tokens, topics) is the unmodified SDK.
"""

import json
import os
import queue
import sys
import threading
import time

import paho.mqtt.client as paho

_original_connect = paho.Client.connect


def _connect_to_simulator(self, host, port=1883, *args, **kwargs):
    if port == 8883:
        port = int(os.environ["EDGE_SIM_MQTT_PORT"])
    return _original_connect(self, host, port, *args, **kwargs)


paho.Client.connect = _connect_to_simulator

from azure.iot.device import IoTHubModuleClient, MethodResponse  # noqa: E402

TIMEOUT = 60


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def main():
    mode, expected_keys, expected_methods = sys.argv[1], sys.argv[2], int(sys.argv[3])
    expected_keys = [k for k in expected_keys.split(",") if k]
    if mode == "cs":
        with open(os.environ["EDGE_SIM_CA_FILE"]) as f:
            ca = f.read()
        client = IoTHubModuleClient.create_from_connection_string(
            os.environ["EDGE_SIM_MODULE_CS"], server_verification_cert=ca, keep_alive=30
        )
    else:
        client = IoTHubModuleClient.create_from_edge_environment(keep_alive=30)

    client.connect()
    twin = client.get_twin()
    emit("connected", twin=twin)
    client.patch_twin_reported_properties({"sdk": {"mode": mode, "ok": True}, "gone": None})
    emit("reported")

    patches = queue.Queue()
    methods = queue.Queue()

    def on_patch(patch):
        patches.put(patch)

    def on_method(request):
        response = MethodResponse.create_from_method_request(
            request, 200, {"echo": request.payload, "name": request.name}
        )
        client.send_method_response(response)
        methods.put({"name": request.name, "payload": request.payload})

    client.on_twin_desired_properties_patch_received = on_patch
    client.on_method_request_received = on_method
    emit("ready")

    seen = set()
    answered = 0
    deadline = time.monotonic() + TIMEOUT
    while (not all(k in seen for k in expected_keys)) or answered < expected_methods:
        if time.monotonic() > deadline:
            emit("timeout", seen=sorted(seen), answered=answered)
            sys.exit(2)
        try:
            patch = patches.get(timeout=0.05)
            seen.update(k for k in patch if not k.startswith("$"))
            emit("desired", patch=patch)
        except queue.Empty:
            pass
        try:
            call = methods.get_nowait()
            answered += 1
            emit("method", **call)
        except queue.Empty:
            pass
    client.shutdown()
    emit("done")


if __name__ == "__main__":
    threading.excepthook = lambda args: emit("thread-error", error=repr(args.exc_value))
    main()
