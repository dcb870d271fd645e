from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.target_message_request import TargetMessageRequest
from ...types import UNSET, RequestArgs, Response, Unset


def build_request(
    id: str,
    target_id: str,
    *,
    body: TargetMessageRequest | Unset = UNSET,
) -> RequestArgs:
    """The request of `send_message_to_target`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "post",
        "url": "/actions/{id}/targets/{target_id}".format(
            id=quote(str(id), safe=""),
            target_id=quote(str(target_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.json())
        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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


def parse_response(response: httpx.Response) -> None | str:
    """A 2xx answer of `send_message_to_target`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 200:
        response_200 = cast(str, response.json())
        return response_200

    if response.status_code == 204:
        return None
    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    target_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetMessageRequest | Unset = UNSET,
) -> Response[Any | str]:
    """Send a message (legacy, target in the path)

     Legacy send: the target is named in the path. For an e-mail, the content given here replaces the
    action's content. Prefer `send_message` (`/actions/{id}/execution`).

    Args:
        id (str):
        target_id (str):
        body (TargetMessageRequest | Unset): Body of the legacy send by target id. Its 8.1.0
            schema is only partly published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = build_request(
        id=id,
        target_id=target_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    target_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetMessageRequest | Unset = UNSET,
) -> Any | str | None:
    """Send a message (legacy, target in the path)

     Legacy send: the target is named in the path. For an e-mail, the content given here replaces the
    action's content. Prefer `send_message` (`/actions/{id}/execution`).

    Args:
        id (str):
        target_id (str):
        body (TargetMessageRequest | Unset): Body of the legacy send by target id. Its 8.1.0
            schema is only partly published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        id=id,
        target_id=target_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    target_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetMessageRequest | Unset = UNSET,
) -> Response[Any | str]:
    """Send a message (legacy, target in the path)

     Legacy send: the target is named in the path. For an e-mail, the content given here replaces the
    action's content. Prefer `send_message` (`/actions/{id}/execution`).

    Args:
        id (str):
        target_id (str):
        body (TargetMessageRequest | Unset): Body of the legacy send by target id. Its 8.1.0
            schema is only partly published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = build_request(
        id=id,
        target_id=target_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    target_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: TargetMessageRequest | Unset = UNSET,
) -> Any | str | None:
    """Send a message (legacy, target in the path)

     Legacy send: the target is named in the path. For an e-mail, the content given here replaces the
    action's content. Prefer `send_message` (`/actions/{id}/execution`).

    Args:
        id (str):
        target_id (str):
        body (TargetMessageRequest | Unset): Body of the legacy send by target id. Its 8.1.0
            schema is only partly published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            id=id,
            target_id=target_id,
            client=client,
            body=body,
        )
    ).parsed
