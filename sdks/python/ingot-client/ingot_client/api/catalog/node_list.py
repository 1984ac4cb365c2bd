from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.node_state import NodeState
from ...models.page_node_view import PageNodeView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    site: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    state: NodeState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["site"] = site

    params["sku"] = sku

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/admin/nodes",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageNodeView | Problem | None:
    if response.status_code == 200:
        response_200 = PageNodeView.from_dict(response.json())

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
) -> Response[PageNodeView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    state: NodeState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[PageNodeView | Problem]:
    """Nodes in hostname order, filtered by site, SKU (or `unmatched`) and state.

    Args:
        site (str | Unset):
        sku (str | Unset):
        state (NodeState | Unset): A node's lifecycle: `onboarding → available ⇄ maintenance`,
            `quarantined`,
            `decommissioning → retired`. Whether it is assigned to a tenant is Allocation's fact.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageNodeView | Problem]
    """

    kwargs = _get_kwargs(
        site=site,
        sku=sku,
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
    site: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    state: NodeState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> PageNodeView | Problem | None:
    """Nodes in hostname order, filtered by site, SKU (or `unmatched`) and state.

    Args:
        site (str | Unset):
        sku (str | Unset):
        state (NodeState | Unset): A node's lifecycle: `onboarding → available ⇄ maintenance`,
            `quarantined`,
            `decommissioning → retired`. Whether it is assigned to a tenant is Allocation's fact.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageNodeView | Problem
    """

    return sync_detailed(
        client=client,
        site=site,
        sku=sku,
        state=state,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    state: NodeState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[PageNodeView | Problem]:
    """Nodes in hostname order, filtered by site, SKU (or `unmatched`) and state.

    Args:
        site (str | Unset):
        sku (str | Unset):
        state (NodeState | Unset): A node's lifecycle: `onboarding → available ⇄ maintenance`,
            `quarantined`,
            `decommissioning → retired`. Whether it is assigned to a tenant is Allocation's fact.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageNodeView | Problem]
    """

    kwargs = _get_kwargs(
        site=site,
        sku=sku,
        state=state,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    state: NodeState | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> PageNodeView | Problem | None:
    """Nodes in hostname order, filtered by site, SKU (or `unmatched`) and state.

    Args:
        site (str | Unset):
        sku (str | Unset):
        state (NodeState | Unset): A node's lifecycle: `onboarding → available ⇄ maintenance`,
            `quarantined`,
            `decommissioning → retired`. Whether it is assigned to a tenant is Allocation's fact.
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageNodeView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            site=site,
            sku=sku,
            state=state,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
