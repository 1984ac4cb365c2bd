from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.node_operation_request import NodeOperationRequest
from ...models.node_operation_view import NodeOperationView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    node_id: str,
    *,
    body: NodeOperationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/nodes/{node_id}/reimage".format(
            node_id=quote(str(node_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> NodeOperationView | Problem | None:
    if response.status_code == 202:
        response_202 = NodeOperationView.from_dict(response.json())

        return response_202

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[NodeOperationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    node_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: NodeOperationRequest,
) -> Response[NodeOperationView | Problem]:
    """Reimages a node: drained (refused while it serves an allocation), erased with the disks'
    secure erase, re-commissioned, returned to service. Audited; progress is driven in the
    background.

    Args:
        node_id (str): node id
        body (NodeOperationRequest): `POST /v1/admin/nodes/{node_id}/reimage` and
            `…/decommission`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NodeOperationView | Problem]
    """

    kwargs = _get_kwargs(
        node_id=node_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    node_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: NodeOperationRequest,
) -> NodeOperationView | Problem | None:
    """Reimages a node: drained (refused while it serves an allocation), erased with the disks'
    secure erase, re-commissioned, returned to service. Audited; progress is driven in the
    background.

    Args:
        node_id (str): node id
        body (NodeOperationRequest): `POST /v1/admin/nodes/{node_id}/reimage` and
            `…/decommission`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NodeOperationView | Problem
    """

    return sync_detailed(
        node_id=node_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    node_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: NodeOperationRequest,
) -> Response[NodeOperationView | Problem]:
    """Reimages a node: drained (refused while it serves an allocation), erased with the disks'
    secure erase, re-commissioned, returned to service. Audited; progress is driven in the
    background.

    Args:
        node_id (str): node id
        body (NodeOperationRequest): `POST /v1/admin/nodes/{node_id}/reimage` and
            `…/decommission`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[NodeOperationView | Problem]
    """

    kwargs = _get_kwargs(
        node_id=node_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    node_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: NodeOperationRequest,
) -> NodeOperationView | Problem | None:
    """Reimages a node: drained (refused while it serves an allocation), erased with the disks'
    secure erase, re-commissioned, returned to service. Audited; progress is driven in the
    background.

    Args:
        node_id (str): node id
        body (NodeOperationRequest): `POST /v1/admin/nodes/{node_id}/reimage` and
            `…/decommission`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        NodeOperationView | Problem
    """

    return (
        await asyncio_detailed(
            node_id=node_id,
            client=client,
            body=body,
        )
    ).parsed
