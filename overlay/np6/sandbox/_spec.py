"""The curated OpenAPI document, loaded once and indexed for routing.

Why: the sandbox must answer only what the contract allows, so everything that depends on it (which paths and
methods exist, which media types a body may use, which statuses and headers an operation may answer, which
header carries the API key) is read from the document shipped with `np6_generated`, never hard-coded. The
document is loaded with `importlib.resources` so that an installed wheel works as well as a checkout.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

__all__ = [
    "DOCUMENT_URI",
    "HTTP_METHODS",
    "Header",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "RouteMatch",
    "Scalar",
    "Spec",
    "follow_pointer",
    "load_document",
    "shipped_spec",
]

SPEC_PACKAGE = "np6_generated"
SPEC_RESOURCE = "openapi.json"
#: Base URI under which the document is registered for the JSON Schema `$ref` resolution.
DOCUMENT_URI = "urn:np6-cm:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

JSON = Any


@functools.cache
def load_document() -> Mapping[str, JSON]:
    """Return the curated OpenAPI document (parsed once per process)."""
    text = (importlib.resources.files(SPEC_PACKAGE) / SPEC_RESOURCE).read_text(encoding="utf-8")
    document: Mapping[str, JSON] = json.loads(text)
    return document


def escape_pointer(token: str) -> str:
    """Escape one JSON-pointer token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def _unescape_pointer(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def follow_pointer(document: Mapping[str, JSON], pointer: str) -> JSON:
    """Return the node of `document` at the JSON pointer `pointer` ("" or "/a/b")."""
    node: JSON = document
    for token in pointer.split("/")[1:]:
        node = cast("list[object]", node)[int(token)] if isinstance(node, list) else node[_unescape_pointer(token)]
    return node


def _reference(node: JSON) -> str | None:
    """The `$ref` of a reference object, None for any other node."""
    if isinstance(node, Mapping) and "$ref" in node:
        return str(cast("Mapping[str, JSON]", node)["$ref"])
    return None


def _resolve(document: Mapping[str, JSON], node: JSON, pointer: str) -> tuple[JSON, str]:
    """Follow `$ref` chains of OpenAPI objects (parameters, responses, headers); return the node and its pointer."""
    seen: set[str] = set()
    while (ref := _reference(node)) is not None:
        if not ref.startswith("#") or ref in seen:
            raise ValueError(f"unsupported or cyclic reference {ref!r} at {pointer}")
        seen.add(ref)
        pointer = ref[1:]
        node = follow_pointer(document, pointer)
    return node, pointer


@dataclass(frozen=True, slots=True)
class Scalar:
    """A value sent as text and checked against a schema: a parameter or a header; `schema_pointer` locates the
    schema in the document and `schema_type` says how to decode the text."""

    name: str
    required: bool
    schema_pointer: str
    schema_type: str | None


@dataclass(frozen=True, slots=True)
class Parameter(Scalar):
    """A path or query parameter of an operation."""

    location: str


@dataclass(frozen=True, slots=True)
class MediaType:
    """One media type of a request or response body."""

    name: str
    schema_pointer: str | None


@dataclass(frozen=True, slots=True)
class RequestBody:
    """The request body of an operation: the media types it accepts."""

    required: bool
    content: Mapping[str, MediaType]


@dataclass(frozen=True, slots=True)
class Header(Scalar):
    """A response header declared by the spec."""


@dataclass(frozen=True, slots=True)
class Response:
    """A declared response (`key` is "200", "5XX" or "default")."""

    key: str
    headers: tuple[Header, ...]
    content: Mapping[str, MediaType]


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the document, with what the sandbox needs to route, validate and answer it."""

    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]

    def response_for(self, status: int) -> Response | None:
        """Return the declared response that covers `status` (exact code, then "4XX"-style range, then default)."""
        exact = self.responses.get(str(status))
        if exact is not None:
            return exact
        ranged = self.responses.get(f"{status // 100}XX")
        if ranged is not None:
            return ranged
        return self.responses.get("default")

    def declares(self, status: int) -> bool:
        """Whether the spec lets this operation answer `status`."""
        return self.response_for(status) is not None


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """The result of routing a request: an operation and its raw path parameters, or why there is none."""

    operation: Operation | None
    path_params: Mapping[str, str]
    allowed_methods: tuple[str, ...] = ()


def _schema_type(schema: JSON) -> str | None:
    if not isinstance(schema, Mapping):
        return None
    declared = cast("Mapping[str, JSON]", schema).get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        concrete = [t for t in cast("list[object]", declared) if t != "null"]
        return str(concrete[0]) if concrete else None
    return None


class Spec:
    """The operations of the document and a router over their path templates."""

    def __init__(self, document: Mapping[str, JSON]) -> None:
        self.document = document
        self.operations: dict[str, Operation] = {}
        self._routes: list[tuple[re.Pattern[str], dict[str, Operation]]] = []
        for path, item in document.get("paths", {}).items():
            by_method: dict[str, Operation] = {}
            path_pointer = f"/paths/{escape_pointer(path)}"
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                operation = self._operation(path, method, item[method], shared, f"{path_pointer}/{method}")
                if operation.operation_id in self.operations:
                    raise ValueError(f"duplicate operationId {operation.operation_id!r}")
                self.operations[operation.operation_id] = operation
                by_method[method.upper()] = operation
            self._routes.append((self._compile(path), by_method))
        # Fewer template parameters first (stable, so document order breaks ties): see `route`.
        self._routes.sort(key=lambda route: route[0].groups)
        self.api_key_header: str = self._api_key_header()

    # ------------------------------------------------------------------ routing
    def route(self, method: str, path: str) -> RouteMatch:
        """Find the operation for `method` and `path`; `operation` is None when there is none.

        A literal path wins over a template that also matches it (`/targets/count` over `/targets/{id}`,
        `/actions/events` over `/actions/{id}`), whatever their order in the document, as OpenAPI requires.
        """
        for pattern, by_method in self._routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            operation = by_method.get(method.upper())
            if operation is None:
                return RouteMatch(None, {}, tuple(sorted(by_method)))
            return RouteMatch(operation, match.groupdict())
        return RouteMatch(None, {})

    @staticmethod
    def _compile(template: str) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}/]+\})", template)
        regex = "".join(
            f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") and part.endswith("}") else re.escape(part)
            for part in parts
        )
        return re.compile(regex)

    # ------------------------------------------------------------------ building
    def _operation(
        self, path: str, method: str, node: Mapping[str, JSON], shared: list[JSON], pointer: str
    ) -> Operation:
        parameters: dict[tuple[str, str], Parameter] = {}
        path_pointer = pointer.rsplit("/", 1)[0]
        for index, raw in enumerate(shared):
            parameter = self._parameter(raw, f"{path_pointer}/parameters/{index}")
            parameters[(parameter.name, parameter.location)] = parameter
        for index, raw in enumerate(node.get("parameters", [])):
            parameter = self._parameter(raw, f"{pointer}/parameters/{index}")
            parameters[(parameter.name, parameter.location)] = parameter
        request_body = None
        if "requestBody" in node:
            body, body_pointer = _resolve(self.document, node["requestBody"], f"{pointer}/requestBody")
            request_body = RequestBody(
                required=bool(body.get("required", False)),
                content=self._content(body.get("content", {}), body_pointer),
            )
        responses: dict[str, Response] = {}
        for key, raw in node.get("responses", {}).items():
            response, response_pointer = _resolve(self.document, raw, f"{pointer}/responses/{escape_pointer(key)}")
            headers = tuple(
                self._header(name, header, f"{response_pointer}/headers/{escape_pointer(name)}")
                for name, header in response.get("headers", {}).items()
            )
            # Status ranges are matched upper-cased ("5XX"); "default" keeps the spelling the lookup uses.
            name = "default" if str(key).lower() == "default" else str(key).upper()
            responses[name] = Response(
                key=name,
                headers=headers,
                content=self._content(response.get("content", {}), response_pointer),
            )
        return Operation(
            operation_id=str(node["operationId"]),
            method=method.upper(),
            path=path,
            parameters=tuple(parameters.values()),
            request_body=request_body,
            responses=responses,
        )

    def _parameter(self, raw: JSON, pointer: str) -> Parameter:
        node, pointer = _resolve(self.document, raw, pointer)
        if node["in"] not in ("path", "query"):
            raise ValueError(f"unsupported parameter location {node['in']!r} at {pointer}")
        schema_pointer, schema_type = self._schema_of(node, pointer)
        return Parameter(
            name=str(node["name"]),
            location=str(node["in"]),
            required=bool(node.get("required", node["in"] == "path")),
            schema_pointer=schema_pointer,
            schema_type=schema_type,
        )

    def _header(self, name: str, raw: JSON, pointer: str) -> Header:
        node, pointer = _resolve(self.document, raw, pointer)
        schema_pointer, schema_type = self._schema_of(node, pointer)
        return Header(
            name=name.lower(),
            required=bool(node.get("required", False)),
            schema_pointer=schema_pointer,
            schema_type=schema_type,
        )

    def _schema_of(self, node: Mapping[str, JSON], pointer: str) -> tuple[str, str | None]:
        """The pointer of the schema of the parameter or header at `pointer`, and the type its text decodes to."""
        schema_pointer = f"{pointer}/schema"
        schema, _ = _resolve(self.document, node.get("schema", {}), schema_pointer)
        return schema_pointer, _schema_type(schema)

    @staticmethod
    def _content(content: Mapping[str, JSON], pointer: str) -> dict[str, MediaType]:
        return {
            media.lower(): MediaType(
                name=media.lower(),
                schema_pointer=f"{pointer}/content/{escape_pointer(media)}/schema" if "schema" in node else None,
            )
            for media, node in content.items()
        }

    def _api_key_header(self) -> str:
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        for requirement in self.document.get("security", []):
            for name in requirement:
                scheme = schemes.get(name, {})
                if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                    return str(scheme["name"]).lower()
        raise ValueError("the document declares no header API key")


@functools.cache
def shipped_spec() -> Spec:
    """The `Spec` of the shipped document (built once per process)."""
    return Spec(load_document())
