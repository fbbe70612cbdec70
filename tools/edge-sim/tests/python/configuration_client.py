"""The official Python service SDK's configurations (azure-iot-hub) against an edge-sim fleet.

Driven by tests/python_sdk.rs with EDGE_SIM_SERVICE_CS (HostName=localhost:<port>;...) and
REQUESTS_CA_BUNDLE (the dev CA), on a fleet of three devices plant-0001... Creates a
configuration with IoTHubConfigurationManager, reads it back and in the list, updates it with
its etag, tries the stale etag again, deletes it. Prints one JSON object with what it saw; any
failed expectation raises and exits non-zero.
"""

import json
import os

from azure.iot.hub import IoTHubConfigurationManager
from azure.iot.hub.models import Configuration, ConfigurationContent, ConfigurationMetrics
from msrest.exceptions import HttpOperationError


def main():
    manager = IoTHubConfigurationManager.from_connection_string(os.environ["EDGE_SIM_SERVICE_CS"])
    result = {}
    configuration = Configuration(
        id="py-layer",
        schema_version="1.0",
        labels={"owner": "python"},
        content=ConfigurationContent(
            modules_content={"opcplc": {"properties.desired.pki.expiryWarningDays": 33}}
        ),
        target_condition="deviceId = 'plant-0002'",
        priority=3,
        metrics=ConfigurationMetrics(
            queries={"plcs": "SELECT deviceId FROM devices.modules WHERE moduleId = 'opcplc'"}
        ),
    )
    created = manager.create_configuration(configuration)
    result["created"] = {
        "id": created.id,
        "etag": created.etag,
        "system": created.system_metrics.results,
        "metrics": created.metrics.results,
        "labels": created.labels,
    }
    got = manager.get_configuration("py-layer")
    result["got"] = {"priority": got.priority, "target": got.target_condition}
    result["listed"] = [c.id for c in manager.get_configurations(10)]
    got.priority = 4
    updated = manager.update_configuration(got, etag=got.etag)
    result["updated"] = {"priority": updated.priority, "etag": updated.etag}
    try:
        manager.update_configuration(got, etag=got.etag)
        result["stale_status"] = 200
    except HttpOperationError as e:
        result["stale_status"] = e.response.status_code
    manager.delete_configuration("py-layer")
    result["after_delete"] = [c.id for c in manager.get_configurations(10)]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
