from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.render_error import RenderError
from ...models.render_success import RenderSuccess
from ...models.sms_render_definition import SmsRenderDefinition
from ...models.unknown_render_result import UnknownRenderResult
from ...types import RequestArgs, Response


def build_request(
    id: str,
    *,
    body: list[SmsRenderDefinition],
) -> RequestArgs:
    """The request of `render_messages_sms`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "post",
        "url": "/actions/{id}/renders".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = []
    for body_item_data in body:
        body_item = body_item_data.to_dict()
        _kwargs["json"].append(body_item)

    headers["Content-Type"] = "application/vnd.np6.cm.sms"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | list[RenderError | RenderSuccess | UnknownRenderResult] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:

            def _parse_response_200_item(data: object) -> RenderError | RenderSuccess | UnknownRenderResult:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_render_result_type_0 = RenderSuccess.from_dict(data)

                    return componentsschemas_render_result_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_render_result_type_1 = RenderError.from_dict(data)

                    return componentsschemas_render_result_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_render_result_type_2 = UnknownRenderResult.from_dict(data)

                return componentsschemas_render_result_type_2

            response_200_item = _parse_response_200_item(response_200_item_data)

            response_200.append(response_200_item)

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

    if response.status_code == 413:
        response_413 = cast(Any, None)
        return response_413

    if response.status_code == 415:
        response_415 = cast(Any, None)
        return response_415

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


def parse_response(response: httpx.Response) -> list[RenderError | RenderSuccess | UnknownRenderResult]:
    """A 2xx answer of `render_messages_sms`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:

            def _parse_response_200_item(data: object) -> RenderError | RenderSuccess | UnknownRenderResult:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_render_result_type_0 = RenderSuccess.from_dict(data)

                    return componentsschemas_render_result_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_render_result_type_1 = RenderError.from_dict(data)

                    return componentsschemas_render_result_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_render_result_type_2 = UnknownRenderResult.from_dict(data)

                return componentsschemas_render_result_type_2

            response_200_item = _parse_response_200_item(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | list[RenderError | RenderSuccess | UnknownRenderResult]]:
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
    body: list[SmsRenderDefinition],
) -> Response[Any | list[RenderError | RenderSuccess | UnknownRenderResult]]:
    """Render multiple messages

     Renders (previews) the action's message for several receivers; one result per definition, in order.

    Args:
        id (str):
        body (list[SmsRenderDefinition]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[RenderError | RenderSuccess | UnknownRenderResult]]
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
    body: list[SmsRenderDefinition],
) -> Any | list[RenderError | RenderSuccess | UnknownRenderResult] | None:
    """Render multiple messages

     Renders (previews) the action's message for several receivers; one result per definition, in order.

    Args:
        id (str):
        body (list[SmsRenderDefinition]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[RenderError | RenderSuccess | UnknownRenderResult]
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
    body: list[SmsRenderDefinition],
) -> Response[Any | list[RenderError | RenderSuccess | UnknownRenderResult]]:
    """Render multiple messages

     Renders (previews) the action's message for several receivers; one result per definition, in order.

    Args:
        id (str):
        body (list[SmsRenderDefinition]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[RenderError | RenderSuccess | UnknownRenderResult]]
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
    body: list[SmsRenderDefinition],
) -> Any | list[RenderError | RenderSuccess | UnknownRenderResult] | None:
    """Render multiple messages

     Renders (previews) the action's message for several receivers; one result per definition, in order.

    Args:
        id (str):
        body (list[SmsRenderDefinition]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[RenderError | RenderSuccess | UnknownRenderResult]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
