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

Port: the SDK only connects to MQTT port 8883 (azure/iot/device/common/mqtt_transport.py calls
paho's connect(host=..., port=8883) and has no option to change it), so the Rust side runs
edge-sim's MQTT server on 127.0.0.1:8883 for real. Nothing of the SDK is patched.

EDGE_SIM_RETRY_INTERVAL (optional): the SDK's connection_retry_interval in seconds (default
10), shortened by the restart test so that a reconnect attempt refused while edge-sim is
down is retried quickly.
"""

import json
import os
import queue
import sys
import threading
import time

from azure.iot.device import IoTHubModuleClient, MethodResponse

TIMEOUT = 60


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def main():
    mode, expected_keys, expected_methods = sys.argv[1], sys.argv[2], int(sys.argv[3])
    expected_keys = [k for k in expected_keys.split(",") if k]
    options = {"keep_alive": 30}
    if "EDGE_SIM_RETRY_INTERVAL" in os.environ:
        options["connection_retry_interval"] = int(os.environ["EDGE_SIM_RETRY_INTERVAL"])
    if mode == "cs":
        with open(os.environ["EDGE_SIM_CA_FILE"]) as f:
            ca = f.read()
        client = IoTHubModuleClient.create_from_connection_string(
            os.environ["EDGE_SIM_MODULE_CS"], server_verification_cert=ca, **options
        )
    else:
        client = IoTHubModuleClient.create_from_edge_environment(**options)

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
