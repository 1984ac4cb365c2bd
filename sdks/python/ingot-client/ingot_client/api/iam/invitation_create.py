from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.invitation_create_request import InvitationCreateRequest
from ...models.invitation_view import InvitationView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    tenant_id: str,
    *,
    body: InvitationCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tenants/{tenant_id}/invitations".format(
            tenant_id=quote(str(tenant_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InvitationView | Problem | None:
    if response.status_code == 201:
        response_201 = InvitationView.from_dict(response.json())

        return response_201

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[InvitationView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: InvitationCreateRequest,
) -> Response[InvitationView | Problem]:
    """Invite an email without an account; signing up with it joins the tenant with the role.

    Args:
        tenant_id (str): tenant id
        body (InvitationCreateRequest): `POST /v1/tenants/{tenant_id}/invitations`: invites
            someone without an account yet. Signing
            up with that email joins the tenant with the role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitationView | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: InvitationCreateRequest,
) -> InvitationView | Problem | None:
    """Invite an email without an account; signing up with it joins the tenant with the role.

    Args:
        tenant_id (str): tenant id
        body (InvitationCreateRequest): `POST /v1/tenants/{tenant_id}/invitations`: invites
            someone without an account yet. Signing
            up with that email joins the tenant with the role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitationView | Problem
    """

    return sync_detailed(
        tenant_id=tenant_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: InvitationCreateRequest,
) -> Response[InvitationView | Problem]:
    """Invite an email without an account; signing up with it joins the tenant with the role.

    Args:
        tenant_id (str): tenant id
        body (InvitationCreateRequest): `POST /v1/tenants/{tenant_id}/invitations`: invites
            someone without an account yet. Signing
            up with that email joins the tenant with the role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitationView | Problem]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: InvitationCreateRequest,
) -> InvitationView | Problem | None:
    """Invite an email without an account; signing up with it joins the tenant with the role.

    Args:
        tenant_id (str): tenant id
        body (InvitationCreateRequest): `POST /v1/tenants/{tenant_id}/invitations`: invites
            someone without an account yet. Signing
            up with that email joins the tenant with the role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitationView | Problem
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            client=client,
            body=body,
        )
    ).parsed
