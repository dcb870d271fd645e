from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.validation_settings import ValidationSettings
from ...types import RequestArgs, Response


def build_request(
    id: str,
    *,
    body: ValidationSettings,
) -> RequestArgs:
    """The request of `validate_action`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "post",
        "url": "/actions/{id}/validation".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | None:
    if response.status_code == 204:
        return None

    if response.status_code == 400:
        return None

    if response.status_code == 401:
        return None

    if response.status_code == 403:
        return None

    if response.status_code == 404:
        return None

    if response.status_code == 409:
        return None

    if response.status_code == 410:
        return None

    if response.status_code == 411:
        return None

    if response.status_code == 429:
        return None

    if 500 <= response.status_code <= 599:
        return None

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def parse_response(response: httpx.Response) -> None:
    """A 2xx answer of `validate_action`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 204:
        return None
    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any]:
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
    body: ValidationSettings,
) -> Response[Any]:
    """Test or validate an action

     Runs one of NP6's two validation phases. `fortest: true` launches the test phase (state 20 -> 38,
    the
    test segments receive proofs); `fortest: false` validates for production (state 38 -> 50). Only a
    production-validated action (state 50) can be sent: sending a test-validated one answers 409.

    Args:
        id (str):
        body (ValidationSettings): Body of the two validation phases (and of unvalidation).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = build_request(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ValidationSettings,
) -> Response[Any]:
    """Test or validate an action

     Runs one of NP6's two validation phases. `fortest: true` launches the test phase (state 20 -> 38,
    the
    test segments receive proofs); `fortest: false` validates for production (state 38 -> 50). Only a
    production-validated action (state 50) can be sent: sending a test-validated one answers 409.

    Args:
        id (str):
        body (ValidationSettings): Body of the two validation phases (and of unvalidation).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any]
    """

    kwargs = build_request(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)
