"""The official Python service SDK's twin query (azure-iot-hub) against edge-sim's service API.

Driven by tests/python_sdk.rs with EDGE_SIM_SERVICE_CS (HostName=localhost:<port>;...),
EDGE_SIM_QUERY, EDGE_SIM_PAGE_SIZE and REQUESTS_CA_BUNDLE (the dev CA). Reads every page of
the query with IoTHubRegistryManager.query_iot_hub, following the continuation tokens, then
sends a query that does not parse. Prints one JSON object with what it saw; any failed
expectation raises and exits non-zero.
"""

import json
import os

from azure.iot.hub import IoTHubRegistryManager
from azure.iot.hub.models import QuerySpecification
from msrest.exceptions import HttpOperationError

# More pages than this means the continuation tokens do not end.
MAX_PAGES = 20


def main():
    registry = IoTHubRegistryManager.from_connection_string(os.environ["EDGE_SIM_SERVICE_CS"])
    query = os.environ["EDGE_SIM_QUERY"]
    page_size = int(os.environ["EDGE_SIM_PAGE_SIZE"])
    result = {"pages": [], "types": [], "tokens": 0}

    token = None
    while True:
        page = registry.query_iot_hub(QuerySpecification(query=query), token, page_size)
        result["pages"].append([twin.module_id for twin in page.items])
        result["types"].append(page.type)
        for twin in page.items:
            assert twin.device_id, twin
            assert twin.etag, twin
            assert "$version" in twin.properties.reported, twin.properties.reported
        token = page.continuation_token
        if not token:
            break
        result["tokens"] += 1
        assert len(result["pages"]) < MAX_PAGES, result

    try:
        registry.query_iot_hub(QuerySpecification(query="SELECT * FORM devices.modules"))
        raise AssertionError("a query that does not parse was answered")
    except HttpOperationError as e:
        result["bad_query_status"] = e.response.status_code
        result["bad_query_message"] = e.response.json()["Message"]

    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
