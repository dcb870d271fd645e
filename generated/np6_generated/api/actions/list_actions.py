import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mail_message_action import MailMessageAction
from ...models.sms_message_action import SmsMessageAction
from ...models.unknown_action import UnknownAction
from ...types import UNSET, RequestArgs, Response, Unset


def build_request(
    *,
    creation_start: datetime.datetime | Unset = UNSET,
    creation_end: datetime.datetime | Unset = UNSET,
) -> RequestArgs:
    """The request of `list_actions`, built without I/O (method, path, query, headers, JSON body)."""

    params: dict[str, Any] = {}

    json_creation_start: str | Unset = UNSET
    if not isinstance(creation_start, Unset):
        json_creation_start = creation_start.isoformat()
    params["creation_start"] = json_creation_start

    json_creation_end: str | Unset = UNSET
    if not isinstance(creation_end, Unset):
        json_creation_end = creation_end.isoformat()
    params["creation_end"] = json_creation_end

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestArgs = {
        "method": "get",
        "url": "/actions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | list[MailMessageAction | SmsMessageAction | UnknownAction] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:

            def _parse_response_200_item(data: object) -> MailMessageAction | SmsMessageAction | UnknownAction:
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


def parse_response(response: httpx.Response) -> list[MailMessageAction | SmsMessageAction | UnknownAction]:
    """A 2xx answer of `list_actions`, parsed; any status the spec does not document as a success raises
    `errors.UnexpectedStatus`."""
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:

            def _parse_response_200_item(data: object) -> MailMessageAction | SmsMessageAction | UnknownAction:
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

            response_200_item = _parse_response_200_item(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    raise errors.UnexpectedStatus(response.status_code, response.content)


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | list[MailMessageAction | SmsMessageAction | UnknownAction]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    creation_start: datetime.datetime | Unset = UNSET,
    creation_end: datetime.datetime | Unset = UNSET,
) -> Response[Any | list[MailMessageAction | SmsMessageAction | UnknownAction]]:
    """Retrieve all actions

     Lists the actions of the account, optionally filtered by creation date.

    Args:
        creation_start (datetime.datetime | Unset):
        creation_end (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[MailMessageAction | SmsMessageAction | UnknownAction]]
    """

    kwargs = build_request(
        creation_start=creation_start,
        creation_end=creation_end,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    creation_start: datetime.datetime | Unset = UNSET,
    creation_end: datetime.datetime | Unset = UNSET,
) -> Any | list[MailMessageAction | SmsMessageAction | UnknownAction] | None:
    """Retrieve all actions

     Lists the actions of the account, optionally filtered by creation date.

    Args:
        creation_start (datetime.datetime | Unset):
        creation_end (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[MailMessageAction | SmsMessageAction | UnknownAction]
    """

    return sync_detailed(
        client=client,
        creation_start=creation_start,
        creation_end=creation_end,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    creation_start: datetime.datetime | Unset = UNSET,
    creation_end: datetime.datetime | Unset = UNSET,
) -> Response[Any | list[MailMessageAction | SmsMessageAction | UnknownAction]]:
    """Retrieve all actions

     Lists the actions of the account, optionally filtered by creation date.

    Args:
        creation_start (datetime.datetime | Unset):
        creation_end (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | list[MailMessageAction | SmsMessageAction | UnknownAction]]
    """

    kwargs = build_request(
        creation_start=creation_start,
        creation_end=creation_end,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    creation_start: datetime.datetime | Unset = UNSET,
    creation_end: datetime.datetime | Unset = UNSET,
) -> Any | list[MailMessageAction | SmsMessageAction | UnknownAction] | None:
    """Retrieve all actions

     Lists the actions of the account, optionally filtered by creation date.

    Args:
        creation_start (datetime.datetime | Unset):
        creation_end (datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | list[MailMessageAction | SmsMessageAction | UnknownAction]
    """

    return (
        await asyncio_detailed(
            client=client,
            creation_start=creation_start,
            creation_end=creation_end,
        )
    ).parsed
