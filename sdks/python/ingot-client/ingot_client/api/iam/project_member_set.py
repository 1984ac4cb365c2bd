from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.project_member_set_request import ProjectMemberSetRequest
from ...models.project_member_view import ProjectMemberView
from ...types import Response


def _get_kwargs(
    project_id: str,
    user_id: str,
    *,
    body: ProjectMemberSetRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/projects/{project_id}/members/{user_id}".format(
            project_id=quote(str(project_id), safe=""),
            user_id=quote(str(user_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProjectMemberView | None:
    if response.status_code == 200:
        response_200 = ProjectMemberView.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ProjectMemberView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectMemberSetRequest,
) -> Response[Problem | ProjectMemberView]:
    """Give a tenant member a role on this project (tenant owners and admins, project admins).

    Args:
        project_id (str): project id
        user_id (str): user id
        body (ProjectMemberSetRequest): `PUT /v1/projects/{project_id}/members/{user_id}`: the
            person must be a member of the tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProjectMemberView]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        user_id=user_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectMemberSetRequest,
) -> Problem | ProjectMemberView | None:
    """Give a tenant member a role on this project (tenant owners and admins, project admins).

    Args:
        project_id (str): project id
        user_id (str): user id
        body (ProjectMemberSetRequest): `PUT /v1/projects/{project_id}/members/{user_id}`: the
            person must be a member of the tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProjectMemberView
    """

    return sync_detailed(
        project_id=project_id,
        user_id=user_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectMemberSetRequest,
) -> Response[Problem | ProjectMemberView]:
    """Give a tenant member a role on this project (tenant owners and admins, project admins).

    Args:
        project_id (str): project id
        user_id (str): user id
        body (ProjectMemberSetRequest): `PUT /v1/projects/{project_id}/members/{user_id}`: the
            person must be a member of the tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProjectMemberView]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        user_id=user_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ProjectMemberSetRequest,
) -> Problem | ProjectMemberView | None:
    """Give a tenant member a role on this project (tenant owners and admins, project admins).

    Args:
        project_id (str): project id
        user_id (str): user id
        body (ProjectMemberSetRequest): `PUT /v1/projects/{project_id}/members/{user_id}`: the
            person must be a member of the tenant.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProjectMemberView
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            user_id=user_id,
            client=client,
            body=body,
        )
    ).parsed
