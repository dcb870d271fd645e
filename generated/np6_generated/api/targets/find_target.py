from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.target import Target
from ...types import UNSET, RequestArgs, Response, Unset


def build_request(
    *,
    unicity: str | Unset = UNSET,
    hash_: str | Unset = UNSET,
) -> RequestArgs:
    """The request of `find_target`, built without I/O (method, path, query, headers, JSON body)."""

    params: dict[str, Any] = {}

    params["unicity"] = unicity

    params["hash"] = hash_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestArgs = {
        "method": "get",
        "url": "/targets",
        "params": params,
    }

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
    """A 2xx answer of `find_target`, parsed; any status the spec does not document as a success raises
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
    unicity: str | Unset = UNSET,
    hash_: str | Unset = UNSET,
) -> Response[Any | Target]:
    """Retrieve a contact by its unicity value or its hash

     Finds one contact (NP6 target) by the value of the account's unicity field, or by its hash; give
    exactly one
    of the two. Marked experimental by NP6, which answers with its own JSON media type. The contact is
    read back
    with field **ids** under `fields` (it is created with field **names**).

    Args:
        unicity (str | Unset):
        hash_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Target]
    """

    kwargs = build_request(
        unicity=unicity,
        hash_=hash_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    unicity: str | Unset = UNSET,
    hash_: str | Unset = UNSET,
) -> Any | Target | None:
    """Retrieve a contact by its unicity value or its hash

     Finds one contact (NP6 target) by the value of the account's unicity field, or by its hash; give
    exactly one
    of the two. Marked experimental by NP6, which answers with its own JSON media type. The contact is
    read back
    with field **ids** under `fields` (it is created with field **names**).

    Args:
        unicity (str | Unset):
        hash_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Target
    """

    return sync_detailed(
        client=client,
        unicity=unicity,
        hash_=hash_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    unicity: str | Unset = UNSET,
    hash_: str | Unset = UNSET,
) -> Response[Any | Target]:
    """Retrieve a contact by its unicity value or its hash

     Finds one contact (NP6 target) by the value of the account's unicity field, or by its hash; give
    exactly one
    of the two. Marked experimental by NP6, which answers with its own JSON media type. The contact is
    read back
    with field **ids** under `fields` (it is created with field **names**).

    Args:
        unicity (str | Unset):
        hash_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Target]
    """

    kwargs = build_request(
        unicity=unicity,
        hash_=hash_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    unicity: str | Unset = UNSET,
    hash_: str | Unset = UNSET,
) -> Any | Target | None:
    """Retrieve a contact by its unicity value or its hash

     Finds one contact (NP6 target) by the value of the account's unicity field, or by its hash; give
    exactly one
    of the two. Marked experimental by NP6, which answers with its own JSON media type. The contact is
    read back
    with field **ids** under `fields` (it is created with field **names**).

    Args:
        unicity (str | Unset):
        hash_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Target
    """

    return (
        await asyncio_detailed(
            client=client,
            unicity=unicity,
            hash_=hash_,
        )
    ).parsed
