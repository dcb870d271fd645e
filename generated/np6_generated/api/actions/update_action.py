from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mail_message_action import MailMessageAction
from ...models.mail_message_action_request import MailMessageActionRequest
from ...models.sms_message_action import SmsMessageAction
from ...models.sms_message_action_request import SmsMessageActionRequest
from ...models.unknown_action import UnknownAction
from ...types import RequestArgs, Response


def build_request(
    id: str,
    *,
    body: MailMessageActionRequest | SmsMessageActionRequest,
) -> RequestArgs:
    """The request of `update_action`, built without I/O (method, path, query, headers, JSON body)."""
    headers: dict[str, Any] = {}

    _kwargs: RequestArgs = {
        "method": "put",
        "url": "/actions/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    if isinstance(body, MailMessageActionRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | MailMessageAction | SmsMessageAction | UnknownAction | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> MailMessageAction | SmsMessageAction | UnknownAction:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_0 = MailMessageAction.from_dict(data)

                return componentsschemas_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_1 = SmsMessageAction.from_dict(data)

                return componentsschemas_action_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_action_type_2 = UnknownAction.from_dict(data)

            return componentsschemas_action_type_2

        response_200 = _parse_response_200(response.json())

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


def parse_response(response: httpx.Response) -> MailMessageAction | SmsMessageAction | UnknownAction:
    """A 2xx answer of `update_action`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 200:

        def _parse_response_200(data: object) -> MailMessageAction | SmsMessageAction | UnknownAction:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_0 = MailMessageAction.from_dict(data)

                return componentsschemas_action_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_action_type_1 = SmsMessageAction.from_dict(data)

                return componentsschemas_action_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_action_type_2 = UnknownAction.from_dict(data)

            return componentsschemas_action_type_2

        response_200 = _parse_response_200(response.json())

        return response_200

    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]:
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
    body: MailMessageActionRequest | SmsMessageActionRequest,
) -> Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]:
    """Update an action

     Replaces the definition of an action (name, informations, settings, content).

    Args:
        id (str):
        body (MailMessageActionRequest | SmsMessageActionRequest): An e-mail or SMS action as
            written to create or update it, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]
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
    body: MailMessageActionRequest | SmsMessageActionRequest,
) -> Any | MailMessageAction | SmsMessageAction | UnknownAction | None:
    """Update an action

     Replaces the definition of an action (name, informations, settings, content).

    Args:
        id (str):
        body (MailMessageActionRequest | SmsMessageActionRequest): An e-mail or SMS action as
            written to create or update it, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | MailMessageAction | SmsMessageAction | UnknownAction
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
    body: MailMessageActionRequest | SmsMessageActionRequest,
) -> Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]:
    """Update an action

     Replaces the definition of an action (name, informations, settings, content).

    Args:
        id (str):
        body (MailMessageActionRequest | SmsMessageActionRequest): An e-mail or SMS action as
            written to create or update it, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]
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
    body: MailMessageActionRequest | SmsMessageActionRequest,
) -> Any | MailMessageAction | SmsMessageAction | UnknownAction | None:
    """Update an action

     Replaces the definition of an action (name, informations, settings, content).

    Args:
        id (str):
        body (MailMessageActionRequest | SmsMessageActionRequest): An e-mail or SMS action as
            written to create or update it, told apart by `type`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | MailMessageAction | SmsMessageAction | UnknownAction
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
