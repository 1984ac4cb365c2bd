from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.ssh_key_create_request import SshKeyCreateRequest
from ...models.ssh_key_view import SshKeyView
from ...types import Response


def _get_kwargs(
    project_id: str,
    *,
    body: SshKeyCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project_id}/ssh-keys".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SshKeyView | None:
    if response.status_code == 201:
        response_201 = SshKeyView.from_dict(response.json())

        return response_201

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
) -> Response[Problem | SshKeyView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SshKeyCreateRequest,
) -> Response[Problem | SshKeyView]:
    """Adds an OpenSSH public key to a project (audited): ed25519, ECDSA or RSA of at least 3072
    bits; the same key twice is refused.

    Args:
        project_id (str): project id
        body (SshKeyCreateRequest): `POST /v1/projects/{project_id}/ssh-keys`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SshKeyView]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SshKeyCreateRequest,
) -> Problem | SshKeyView | None:
    """Adds an OpenSSH public key to a project (audited): ed25519, ECDSA or RSA of at least 3072
    bits; the same key twice is refused.

    Args:
        project_id (str): project id
        body (SshKeyCreateRequest): `POST /v1/projects/{project_id}/ssh-keys`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SshKeyView
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SshKeyCreateRequest,
) -> Response[Problem | SshKeyView]:
    """Adds an OpenSSH public key to a project (audited): ed25519, ECDSA or RSA of at least 3072
    bits; the same key twice is refused.

    Args:
        project_id (str): project id
        body (SshKeyCreateRequest): `POST /v1/projects/{project_id}/ssh-keys`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SshKeyView]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SshKeyCreateRequest,
) -> Problem | SshKeyView | None:
    """Adds an OpenSSH public key to a project (audited): ed25519, ECDSA or RSA of at least 3072
    bits; the same key twice is refused.

    Args:
        project_id (str): project id
        body (SshKeyCreateRequest): `POST /v1/projects/{project_id}/ssh-keys`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SshKeyView
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
