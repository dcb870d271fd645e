from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.segment import Segment
from ...models.segment_request import SegmentRequest
from ...types import RequestArgs, Response


def build_request(
    *,
    body: SegmentRequest,
) -> RequestArgs:
    """The request of `create_segment`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "post",
        "url": "/segments",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Segment | None:
    if response.status_code == 200:
        response_200 = Segment.from_dict(response.json())

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


def parse_response(response: httpx.Response) -> Segment:
    """A 2xx answer of `create_segment`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 200:
        response_200 = Segment.from_dict(response.json())

        return response_200

    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Segment]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SegmentRequest,
) -> Response[Any | Segment]:
    """Create a segment

     Creates a static or dynamic segment. NP6 assigns the id; a name already in use gets 409.

    Args:
        body (SegmentRequest): A segment as written to create or update it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Segment]
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
    body: SegmentRequest,
) -> Any | Segment | None:
    """Create a segment

     Creates a static or dynamic segment. NP6 assigns the id; a name already in use gets 409.

    Args:
        body (SegmentRequest): A segment as written to create or update it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Segment
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: SegmentRequest,
) -> Response[Any | Segment]:
    """Create a segment

     Creates a static or dynamic segment. NP6 assigns the id; a name already in use gets 409.

    Args:
        body (SegmentRequest): A segment as written to create or update it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Segment]
    """

    kwargs = build_request(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: SegmentRequest,
) -> Any | Segment | None:
    """Create a segment

     Creates a static or dynamic segment. NP6 assigns the id; a name already in use gets 409.

    Args:
        body (SegmentRequest): A segment as written to create or update it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Segment
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
