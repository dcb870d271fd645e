from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.target import Target
from ...models.target_values import TargetValues
from ...types import RequestArgs, Response


def build_request(
    id: str,
    *,
    body: TargetValues,
) -> RequestArgs:
    """The request of `update_target`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "put",
        "url": "/targets/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Target | None:
    if response.status_code == 200:
        response_200 = Target.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = cast(Any, None)
        return response_400

    if response.status_code == 401:
        response_401 = cast(Any, None)
        return response_401

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

    if response.status_code == 404:
        response_404 = cast(Any, None)
        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 411:
        response_411 = cast(Any, None)
        return response_411

    if response.status_code == 429:
        response_429 = cast(Any, None)
        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = cast(Any, None)
        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def parse_response(response: httpx.Response) -> Target:
    """A 2xx answer of `update_target`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 200:
        response_200 = Target.from_dict(response.json())

        return response_200

    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Target]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Response[Any | Target]:
    """Update a contact

     Changes field values of a contact. The body is keyed by field **name**, like a creation (the update
    body is
    not published; this mirrors the creation). Fields left out keep their values.

    Args:
        id (str):
        body (TargetValues): Field values of a contact keyed by field **name** (`{"Email":
            "alice@example.com", "FirstName": "Alice"}`),
            the shape NP6 takes on creation. Names are account-specific (see `list_fields`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Target]
    """

    kwargs = build_request(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Any | Target | None:
    """Update a contact

     Changes field values of a contact. The body is keyed by field **name**, like a creation (the update
    body is
    not published; this mirrors the creation). Fields left out keep their values.

    Args:
        id (str):
        body (TargetValues): Field values of a contact keyed by field **name** (`{"Email":
            "alice@example.com", "FirstName": "Alice"}`),
            the shape NP6 takes on creation. Names are account-specific (see `list_fields`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Target
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Response[Any | Target]:
    """Update a contact

     Changes field values of a contact. The body is keyed by field **name**, like a creation (the update
    body is
    not published; this mirrors the creation). Fields left out keep their values.

    Args:
        id (str):
        body (TargetValues): Field values of a contact keyed by field **name** (`{"Email":
            "alice@example.com", "FirstName": "Alice"}`),
            the shape NP6 takes on creation. Names are account-specific (see `list_fields`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Target]
    """

    kwargs = build_request(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Any | Target | None:
    """Update a contact

     Changes field values of a contact. The body is keyed by field **name**, like a creation (the update
    body is
    not published; this mirrors the creation). Fields left out keep their values.

    Args:
        id (str):
        body (TargetValues): Field values of a contact keyed by field **name** (`{"Email":
            "alice@example.com", "FirstName": "Alice"}`),
            the shape NP6 takes on creation. Names are account-specific (see `list_fields`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Target
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
