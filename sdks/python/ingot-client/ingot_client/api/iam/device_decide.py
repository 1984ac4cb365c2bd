from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_decision_request import DeviceDecisionRequest
from ...models.device_grant_view import DeviceGrantView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: DeviceDecisionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/device/decision",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
    *,
    client: AuthenticatedClient | Client,
    body: DeviceDecisionRequest,
) -> Response[DeviceGrantView | Problem]:
    """Approve or deny a device (signed-in people only, with a session): its next poll learns which.

    Args:
        body (DeviceDecisionRequest): `POST /v1/auth/device/decision`: the signed-in person
            approves (or denies) the device
            showing `user_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceGrantView | Problem]
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
    body: DeviceDecisionRequest,
) -> DeviceGrantView | Problem | None:
    """Approve or deny a device (signed-in people only, with a session): its next poll learns which.

    Args:
        body (DeviceDecisionRequest): `POST /v1/auth/device/decision`: the signed-in person
            approves (or denies) the device
            showing `user_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceGrantView | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceDecisionRequest,
) -> Response[DeviceGrantView | Problem]:
    """Approve or deny a device (signed-in people only, with a session): its next poll learns which.

    Args:
        body (DeviceDecisionRequest): `POST /v1/auth/device/decision`: the signed-in person
            approves (or denies) the device
            showing `user_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeviceGrantView | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DeviceDecisionRequest,
) -> DeviceGrantView | Problem | None:
    """Approve or deny a device (signed-in people only, with a session): its next poll learns which.

    Args:
        body (DeviceDecisionRequest): `POST /v1/auth/device/decision`: the signed-in person
            approves (or denies) the device
            showing `user_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeviceGrantView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
