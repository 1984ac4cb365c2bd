from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_grant_view import DeviceGrantView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    user_code: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/auth/device/grants/{user_code}".format(
            user_code=quote(str(user_code), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeviceGrantView | Problem | None:
    if response.status_code == 200:
        response_200 = DeviceGrantView.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeviceGrantView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_code: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeviceGrantView | Problem]:
    """The pending device showing this user code, for the signed-in person about to approve it.

    Args:
        user_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceGrantView | Problem]
    """

    kwargs = _get_kwargs(
        user_code=user_code,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_code: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeviceGrantView | Problem | None:
    """The pending device showing this user code, for the signed-in person about to approve it.

    Args:
        user_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceGrantView | Problem
    """

    return sync_detailed(
        user_code=user_code,
        client=client,
    ).parsed


async def asyncio_detailed(
    user_code: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DeviceGrantView | Problem]:
    """The pending device showing this user code, for the signed-in person about to approve it.

    Args:
        user_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceGrantView | Problem]
    """

    kwargs = _get_kwargs(
        user_code=user_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_code: str,
    *,
    client: AuthenticatedClient | Client,
) -> DeviceGrantView | Problem | None:
    """The pending device showing this user code, for the signed-in person about to approve it.

    Args:
        user_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceGrantView | Problem
    """

    return (
        await asyncio_detailed(
            user_code=user_code,
            client=client,
        )
    ).parsed
