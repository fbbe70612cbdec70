"""The official Python service SDK (azure-iot-hub) against edge-sim's service API.

Driven by tests/python_sdk.rs with EDGE_SIM_SERVICE_CS (HostName=localhost:<port>;...),
EDGE_SIM_DEVICE, EDGE_SIM_MODULE and REQUESTS_CA_BUNDLE (the dev CA). A module answering
direct methods is connected by the Rust side. Prints one JSON object with what it saw; any
failed expectation raises and exits non-zero.
"""

import json
import os

from azure.iot.hub import IoTHubConfigurationManager, IoTHubRegistryManager
from azure.iot.hub.models import (
    CloudToDeviceMethod,
    ConfigurationContent,
    Twin,
    TwinProperties,
)
from msrest.exceptions import HttpOperationError


def main():
    cs = os.environ["EDGE_SIM_SERVICE_CS"]
    device = os.environ["EDGE_SIM_DEVICE"]
    module = os.environ["EDGE_SIM_MODULE"]
    registry = IoTHubRegistryManager.from_connection_string(cs)
    result = {}

    twin = registry.get_module_twin(device, module)
    result["initial_desired_version"] = twin.properties.desired["$version"]
    assert "$metadata" in twin.properties.desired, twin.properties.desired

    patch = Twin(properties=TwinProperties(desired={"certs": {"a": "PEM-A", "b": "PEM-B"}}))
    updated = registry.update_module_twin(device, module, patch, twin.etag)
    assert updated.properties.desired["certs"] == {"a": "PEM-A", "b": "PEM-B"}, updated
    assert updated.etag != twin.etag

    try:
        registry.update_module_twin(device, module, patch, twin.etag)
        raise AssertionError("a stale etag was accepted")
    except HttpOperationError as e:
        result["stale_etag_status"] = e.response.status_code

    delete = Twin(properties=TwinProperties(desired={"certs": {"a": None}}))
    updated = registry.update_module_twin(device, module, delete, updated.etag)
    assert updated.properties.desired["certs"] == {"b": "PEM-B"}, updated

    replaced = registry.replace_module_twin(
        device, module, Twin(tags={"site": "lab"}, properties=TwinProperties(desired={"only": 1}))
    )
    assert replaced.tags == {"site": "lab"}, replaced.tags
    assert "certs" not in replaced.properties.desired
    result["desired_after_replace"] = {
        k: v for k, v in replaced.properties.desired.items() if not k.startswith("$")
    }

    call = CloudToDeviceMethod(method_name="ping", payload={"x": 1}, response_timeout_in_seconds=10)
    answer = registry.invoke_device_module_method(device, module, call)
    result["method"] = {"status": answer.status, "payload": answer.payload}

    identity = registry.get_module(device, module)
    result["module_generation_id"] = identity.generation_id

    configurations = IoTHubConfigurationManager.from_connection_string(cs)
    content = ConfigurationContent(
        modules_content={"deployed": {"properties.desired": {"fromManifest": True}}}
    )
    configurations.apply_configuration_on_edge_device(device, content)
    deployed = registry.get_module_twin(device, "deployed")
    result["deployed_desired"] = deployed.properties.desired.get("fromManifest")

    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
