from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.allocation_view import AllocationView
from ...models.extend_request import ExtendRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    allocation_id: str,
    *,
    body: ExtendRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/allocations/{allocation_id}/extend".format(
            allocation_id=quote(str(allocation_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AllocationView | Problem | None:
    if response.status_code == 200:
        response_200 = AllocationView.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AllocationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    allocation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> Response[AllocationView | Problem]:
    """Moves (or removes, with `null`) the allocation's automatic release time.

    Args:
        allocation_id (str): allocation id
        body (ExtendRequest): `POST /v1/allocations/{allocation_id}/extend`: a new `release_at`
            (later than now), or none
            to keep the allocation until released.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AllocationView | Problem]
    """

    kwargs = _get_kwargs(
        allocation_id=allocation_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    allocation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> AllocationView | Problem | None:
    """Moves (or removes, with `null`) the allocation's automatic release time.

    Args:
        allocation_id (str): allocation id
        body (ExtendRequest): `POST /v1/allocations/{allocation_id}/extend`: a new `release_at`
            (later than now), or none
            to keep the allocation until released.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AllocationView | Problem
    """

    return sync_detailed(
        allocation_id=allocation_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    allocation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> Response[AllocationView | Problem]:
    """Moves (or removes, with `null`) the allocation's automatic release time.

    Args:
        allocation_id (str): allocation id
        body (ExtendRequest): `POST /v1/allocations/{allocation_id}/extend`: a new `release_at`
            (later than now), or none
            to keep the allocation until released.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AllocationView | Problem]
    """

    kwargs = _get_kwargs(
        allocation_id=allocation_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    allocation_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExtendRequest,
) -> AllocationView | Problem | None:
    """Moves (or removes, with `null`) the allocation's automatic release time.

    Args:
        allocation_id (str): allocation id
        body (ExtendRequest): `POST /v1/allocations/{allocation_id}/extend`: a new `release_at`
            (later than now), or none
            to keep the allocation until released.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AllocationView | Problem
    """

    return (
        await asyncio_detailed(
            allocation_id=allocation_id,
            client=client,
            body=body,
        )
    ).parsed
