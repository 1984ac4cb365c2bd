from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_authorization import DeviceAuthorization
from ...models.device_authorization_request import DeviceAuthorizationRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: DeviceAuthorizationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/device",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeviceAuthorization | Problem | None:
    if response.status_code == 200:
        response_200 = DeviceAuthorization.from_dict(response.json())

        return response_200

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DeviceAuthorization | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceAuthorizationRequest,
) -> Response[DeviceAuthorization | Problem]:
    """Device authorization (OAuth 2.0 device grant, RFC 8628 §3.1): a device such as the CLI asks
    for a code a signed-in person approves at `verification_uri`; it then polls
    `POST /v1/auth/device/token`.

    Args:
        body (DeviceAuthorizationRequest): `POST /v1/auth/device`: a device (the CLI) asks to be
            approved by a signed-in person (the
            OAuth 2.0 device authorization grant, RFC 8628).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceAuthorization | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceAuthorizationRequest,
) -> DeviceAuthorization | Problem | None:
    """Device authorization (OAuth 2.0 device grant, RFC 8628 §3.1): a device such as the CLI asks
    for a code a signed-in person approves at `verification_uri`; it then polls
    `POST /v1/auth/device/token`.

    Args:
        body (DeviceAuthorizationRequest): `POST /v1/auth/device`: a device (the CLI) asks to be
            approved by a signed-in person (the
            OAuth 2.0 device authorization grant, RFC 8628).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceAuthorization | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceAuthorizationRequest,
) -> Response[DeviceAuthorization | Problem]:
    """Device authorization (OAuth 2.0 device grant, RFC 8628 §3.1): a device such as the CLI asks
    for a code a signed-in person approves at `verification_uri`; it then polls
    `POST /v1/auth/device/token`.

    Args:
        body (DeviceAuthorizationRequest): `POST /v1/auth/device`: a device (the CLI) asks to be
            approved by a signed-in person (the
            OAuth 2.0 device authorization grant, RFC 8628).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceAuthorization | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceAuthorizationRequest,
) -> DeviceAuthorization | Problem | None:
    """Device authorization (OAuth 2.0 device grant, RFC 8628 §3.1): a device such as the CLI asks
    for a code a signed-in person approves at `verification_uri`; it then polls
    `POST /v1/auth/device/token`.

    Args:
        body (DeviceAuthorizationRequest): `POST /v1/auth/device`: a device (the CLI) asks to be
            approved by a signed-in person (the
            OAuth 2.0 device authorization grant, RFC 8628).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceAuthorization | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
