"""Schemathesis hooks for Capstan's contract run (loaded through SCHEMATHESIS_HOOKS).

Both act only on schema-valid parts of a request, so negative testing keeps
every value it generated:

- Account-scoped operations act in the run's own account (CAPSTAN_ACCOUNT_ID),
  and the destructive ones on a spare member and token made for the purpose:
  a run that revokes or demotes its own administrator tests nothing afterwards.
  (Schemathesis' `parameters` setting would also overwrite negative values.)
- An Idempotency-Key, or a message's source_id, names one request: the same key
  with another request answers 422 `idempotency-key-reused` by design. That
  depends on what the server saw before, not on the request's shape, and the
  generator reuses short values ("0"), so each valid key gets a unique suffix.
"""

import os
import re
import uuid

import schemathesis
from schemathesis.core.parameters import ParameterLocation

KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
PINNED = {
    "id": "CAPSTAN_ACCOUNT_ID",
    "userId": "CAPSTAN_SPARE_USER_ID",
    "tokenId": "CAPSTAN_SPARE_TOKEN_ID",
}


def _valid(case, location):
    return case.meta is None or not case.meta.is_negative_at(location)


def _unique(value):
    if isinstance(value, str) and KEY.match(value):
        return f"{value}-{uuid.uuid4().hex[:12]}"
    return value


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.path_parameters and _valid(case, ParameterLocation.PATH):
        if case.operation.path.startswith("/v1/platform/tokens/{tokenId}"):
            case.path_parameters["tokenId"] = int(os.environ["CAPSTAN_SPARE_PLATFORM_TOKEN_ID"])
        if case.operation.path == "/v1/accounts/{id}" and case.operation.method.upper() == "PATCH":
            case.path_parameters["id"] = int(os.environ["CAPSTAN_SPARE_ACCOUNT_ID"])
            return
    if case.operation.path.startswith("/v1/accounts/{id}") and case.path_parameters and _valid(case, ParameterLocation.PATH):
        for name, variable in PINNED.items():
            if name in case.path_parameters:
                case.path_parameters[name] = int(os.environ[variable])
    if case.headers and _valid(case, ParameterLocation.HEADER):
        for name in list(case.headers):
            if name.lower() == "idempotency-key":
                case.headers[name] = _unique(case.headers[name])
    body = case.body
    if case.operation.path.endswith("/messages") and isinstance(body, dict) and "source_id" in body and _valid(case, ParameterLocation.BODY):
        body["source_id"] = _unique(body["source_id"])
