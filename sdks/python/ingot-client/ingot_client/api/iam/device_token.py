from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_token_request import DeviceTokenRequest
from ...models.problem import Problem
from ...models.session_created import SessionCreated
from ...types import Response


def _get_kwargs(
    *,
    body: DeviceTokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/device/token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SessionCreated | None:
    if response.status_code == 200:
        response_200 = SessionCreated.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SessionCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceTokenRequest,
) -> Response[Problem | SessionCreated]:
    """The device's poll (RFC 8628 §3.4): the session once approved, exactly once; before that a
    400 problem whose `code` is RFC 8628's error: `authorization_pending`, `slow_down` (wait 5 s
    longer between polls from now on), `access_denied`, `expired_token`, or `invalid_grant`.

    Args:
        body (DeviceTokenRequest): `POST /v1/auth/device/token`: a poll. Answers the session once
            the person approved; until
            then a problem whose `code` is RFC 8628's error (`authorization_pending`, `slow_down`,
            `access_denied`, `expired_token`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SessionCreated]
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
    body: DeviceTokenRequest,
) -> Problem | SessionCreated | None:
    """The device's poll (RFC 8628 §3.4): the session once approved, exactly once; before that a
    400 problem whose `code` is RFC 8628's error: `authorization_pending`, `slow_down` (wait 5 s
    longer between polls from now on), `access_denied`, `expired_token`, or `invalid_grant`.

    Args:
        body (DeviceTokenRequest): `POST /v1/auth/device/token`: a poll. Answers the session once
            the person approved; until
            then a problem whose `code` is RFC 8628's error (`authorization_pending`, `slow_down`,
            `access_denied`, `expired_token`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SessionCreated
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceTokenRequest,
) -> Response[Problem | SessionCreated]:
    """The device's poll (RFC 8628 §3.4): the session once approved, exactly once; before that a
    400 problem whose `code` is RFC 8628's error: `authorization_pending`, `slow_down` (wait 5 s
    longer between polls from now on), `access_denied`, `expired_token`, or `invalid_grant`.

    Args:
        body (DeviceTokenRequest): `POST /v1/auth/device/token`: a poll. Answers the session once
            the person approved; until
            then a problem whose `code` is RFC 8628's error (`authorization_pending`, `slow_down`,
            `access_denied`, `expired_token`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SessionCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceTokenRequest,
) -> Problem | SessionCreated | None:
    """The device's poll (RFC 8628 §3.4): the session once approved, exactly once; before that a
    400 problem whose `code` is RFC 8628's error: `authorization_pending`, `slow_down` (wait 5 s
    longer between polls from now on), `access_denied`, `expired_token`, or `invalid_grant`.

    Args:
        body (DeviceTokenRequest): `POST /v1/auth/device/token`: a poll. Answers the session once
            the person approved; until
            then a problem whose `code` is RFC 8628's error (`authorization_pending`, `slow_down`,
            `access_denied`, `expired_token`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SessionCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
