from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.target import Target
from ...models.target_values import TargetValues
from ...types import RequestArgs, Response


def build_request(
    *,
    body: TargetValues,
) -> RequestArgs:
    """The request of `create_target`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "post",
        "url": "/targets",
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
    """A 2xx answer of `create_target`, parsed; any status the spec does not document as a success raises
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
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Response[Any | Target]:
    """Create a contact

     Creates a contact (NP6 target). The body holds field values keyed by field **name** at the top level
    (`{"Email": "alice@example.com"}`), not by field id under `fields` as NP6 answers them: this
    asymmetry is
    observed, not documented by NP6. A body without the unicity field gets 400 ("target cannot be
    identified -
    unicity is null"); a contact whose unicity value already exists gets 409 with an empty body.

    Args:
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
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Any | Target | None:
    """Create a contact

     Creates a contact (NP6 target). The body holds field values keyed by field **name** at the top level
    (`{"Email": "alice@example.com"}`), not by field id under `fields` as NP6 answers them: this
    asymmetry is
    observed, not documented by NP6. A body without the unicity field gets 400 ("target cannot be
    identified -
    unicity is null"); a contact whose unicity value already exists gets 409 with an empty body.

    Args:
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
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Response[Any | Target]:
    """Create a contact

     Creates a contact (NP6 target). The body holds field values keyed by field **name** at the top level
    (`{"Email": "alice@example.com"}`), not by field id under `fields` as NP6 answers them: this
    asymmetry is
    observed, not documented by NP6. A body without the unicity field gets 400 ("target cannot be
    identified -
    unicity is null"); a contact whose unicity value already exists gets 409 with an empty body.

    Args:
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
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TargetValues,
) -> Any | Target | None:
    """Create a contact

     Creates a contact (NP6 target). The body holds field values keyed by field **name** at the top level
    (`{"Email": "alice@example.com"}`), not by field id under `fields` as NP6 answers them: this
    asymmetry is
    observed, not documented by NP6. A body without the unicity field gets 400 ("target cannot be
    identified -
    unicity is null"); a contact whose unicity value already exists gets 409 with an empty body.

    Args:
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
            client=client,
            body=body,
        )
    ).parsed
