from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.allocation_state import AllocationState
from ...models.page_allocation_view import PageAllocationView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tenant_id: str | Unset = UNSET,
    state: AllocationState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["tenant_id"] = tenant_id

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/admin/allocations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageAllocationView | Problem | None:
    if response.status_code == 200:
        response_200 = PageAllocationView.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[PageAllocationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
    state: AllocationState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[PageAllocationView | Problem]:
    """Every tenant's allocations, newest first (platform operators and support), optionally one
    tenant's or one state's.

    Args:
        tenant_id (str | Unset): tenant id
        state (AllocationState | Unset): An allocation's state, read off its nodes': `pending →
            provisioning → active → releasing →
            released`, or `failed` with a reason.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAllocationView | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        state=state,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
    state: AllocationState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> PageAllocationView | Problem | None:
    """Every tenant's allocations, newest first (platform operators and support), optionally one
    tenant's or one state's.

    Args:
        tenant_id (str | Unset): tenant id
        state (AllocationState | Unset): An allocation's state, read off its nodes': `pending →
            provisioning → active → releasing →
            released`, or `failed` with a reason.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAllocationView | Problem
    """

    return sync_detailed(
        client=client,
        tenant_id=tenant_id,
        state=state,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
    state: AllocationState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[PageAllocationView | Problem]:
    """Every tenant's allocations, newest first (platform operators and support), optionally one
    tenant's or one state's.

    Args:
        tenant_id (str | Unset): tenant id
        state (AllocationState | Unset): An allocation's state, read off its nodes': `pending →
            provisioning → active → releasing →
            released`, or `failed` with a reason.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAllocationView | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        state=state,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    tenant_id: str | Unset = UNSET,
    state: AllocationState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> PageAllocationView | Problem | None:
    """Every tenant's allocations, newest first (platform operators and support), optionally one
    tenant's or one state's.

    Args:
        tenant_id (str | Unset): tenant id
        state (AllocationState | Unset): An allocation's state, read off its nodes': `pending →
            provisioning → active → releasing →
            released`, or `failed` with a reason.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAllocationView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            tenant_id=tenant_id,
            state=state,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
