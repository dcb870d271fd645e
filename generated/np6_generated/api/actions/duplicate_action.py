from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mail_message_action import MailMessageAction
from ...models.sms_message_action import SmsMessageAction
from ...models.unknown_action import UnknownAction
from ...types import UNSET, RequestArgs, Response, Unset


def build_request(
    id: str,
    *,
    type_: int | Unset = UNSET,
    folder: int | Unset = UNSET,
) -> RequestArgs:
    """The request of `duplicate_action`, built without I/O (method, path, query, headers, JSON body)."""

    params: dict[str, Any] = {}

    params["type"] = type_

    params["folder"] = folder

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestArgs = {
        "method": "post",
        "url": "/actions/{id}/duplication".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

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

    if response.status_code == 410:
        response_410 = cast(Any, None)
        return response_410

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
    """A 2xx answer of `duplicate_action`, parsed; any status the spec does not document as a success raises
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
    type_: int | Unset = UNSET,
    folder: int | Unset = UNSET,
) -> Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]:
    """Duplicate an action

     Creates a copy of the action `id` (NP6 names it `<name>(1)`, in state 10).

    Args:
        id (str):
        type_ (int | Unset):
        folder (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]
    """

    kwargs = build_request(
        id=id,
        type_=type_,
        folder=folder,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: int | Unset = UNSET,
    folder: int | Unset = UNSET,
) -> Any | MailMessageAction | SmsMessageAction | UnknownAction | None:
    """Duplicate an action

     Creates a copy of the action `id` (NP6 names it `<name>(1)`, in state 10).

    Args:
        id (str):
        type_ (int | Unset):
        folder (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | MailMessageAction | SmsMessageAction | UnknownAction
    """

    return sync_detailed(
        id=id,
        client=client,
        type_=type_,
        folder=folder,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: int | Unset = UNSET,
    folder: int | Unset = UNSET,
) -> Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]:
    """Duplicate an action

     Creates a copy of the action `id` (NP6 names it `<name>(1)`, in state 10).

    Args:
        id (str):
        type_ (int | Unset):
        folder (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | MailMessageAction | SmsMessageAction | UnknownAction]
    """

    kwargs = build_request(
        id=id,
        type_=type_,
        folder=folder,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    type_: int | Unset = UNSET,
    folder: int | Unset = UNSET,
) -> Any | MailMessageAction | SmsMessageAction | UnknownAction | None:
    """Duplicate an action

     Creates a copy of the action `id` (NP6 names it `<name>(1)`, in state 10).

    Args:
        id (str):
        type_ (int | Unset):
        folder (int | Unset):

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
            type_=type_,
            folder=folder,
        )
    ).parsed
