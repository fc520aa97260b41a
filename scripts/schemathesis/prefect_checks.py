"""schemathesis hooks for Prefect's API (loaded through SCHEMATHESIS_HOOKS by scripts/fuzz-api.sh).

`prefect_response_schema` is schemathesis' `response_schema_conformance` with one exception:
an error answer whose body is `{"detail": "<text>"}` (FastAPI's HTTPException, which Prefect
raises on purpose: "Invalid limit: must be less than or equal to 200.", "CSRF protection is
disabled.") is not held to the `HTTPValidationError` schema Prefect's document gives every 422.
Prefect 3.9.1's own server answers these bodies, and the differential tests hold the embedded
server to Prefect's answers, not to its document.

`GET /admin/settings` is not held to the document either: Prefect's document forbids its secret
settings (`auth_string`, `connection_url`, … have the schema `{"not": {}}`), yet Prefect answers
with every one of them (`null` or `**********`). AdminSettingsTests holds the embedded server's
answer to Prefect's, character for character, for the same environments.
"""
import schemathesis
from schemathesis.specs.openapi.checks import response_schema_conformance


@schemathesis.check
def prefect_response_schema(ctx, response, case):
    if case.method.upper() == "GET" and case.path == "/admin/settings":
        return None
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and set(body) == {"detail"} and isinstance(body["detail"], str):
            return None
    return response_schema_conformance(ctx, response, case)
