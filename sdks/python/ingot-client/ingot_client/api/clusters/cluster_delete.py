from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cluster_view import ClusterView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    project_id: str,
    cluster: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/projects/{project_id}/clusters/{cluster}".format(
            project_id=quote(str(project_id), safe=""),
            cluster=quote(str(cluster), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ClusterView | Problem | None:
    if response.status_code == 202:
        response_202 = ClusterView.from_dict(response.json())

        return response_202

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ClusterView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    cluster: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ClusterView | Problem]:
    """Releases every node of the cluster; it shows `deleting`, then `deleted`.

    Args:
        project_id (str): project id
        cluster (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClusterView | Problem]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        cluster=cluster,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    cluster: str,
    *,
    client: AuthenticatedClient | Client,
) -> ClusterView | Problem | None:
    """Releases every node of the cluster; it shows `deleting`, then `deleted`.

    Args:
        project_id (str): project id
        cluster (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClusterView | Problem
    """

    return sync_detailed(
        project_id=project_id,
        cluster=cluster,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    cluster: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ClusterView | Problem]:
    """Releases every node of the cluster; it shows `deleting`, then `deleted`.

    Args:
        project_id (str): project id
        cluster (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClusterView | Problem]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        cluster=cluster,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    cluster: str,
    *,
    client: AuthenticatedClient | Client,
) -> ClusterView | Problem | None:
    """Releases every node of the cluster; it shows `deleting`, then `deleted`.

    Args:
        project_id (str): project id
        cluster (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClusterView | Problem
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            cluster=cluster,
            client=client,
        )
    ).parsed
