from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.site_binding_request import SiteBindingRequest
from ...models.site_binding_view import SiteBindingView
from ...types import Response


def _get_kwargs(
    site: str,
    *,
    body: SiteBindingRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/admin/sites/{site}/maas".format(
            site=quote(str(site), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SiteBindingView | None:
    if response.status_code == 200:
        response_200 = SiteBindingView.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SiteBindingView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: SiteBindingRequest,
) -> Response[Problem | SiteBindingView]:
    """Binds a site to its MAAS region, or changes the binding (audited). The key is checked against
    the region first, stored encrypted, and never returned.

    Args:
        site (str):
        body (SiteBindingRequest): `PUT /v1/admin/sites/{site}/maas`. Its `Debug` never shows the
            key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SiteBindingView]
    """

    kwargs = _get_kwargs(
        site=site,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: SiteBindingRequest,
) -> Problem | SiteBindingView | None:
    """Binds a site to its MAAS region, or changes the binding (audited). The key is checked against
    the region first, stored encrypted, and never returned.

    Args:
        site (str):
        body (SiteBindingRequest): `PUT /v1/admin/sites/{site}/maas`. Its `Debug` never shows the
            key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SiteBindingView
    """

    return sync_detailed(
        site=site,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: SiteBindingRequest,
) -> Response[Problem | SiteBindingView]:
    """Binds a site to its MAAS region, or changes the binding (audited). The key is checked against
    the region first, stored encrypted, and never returned.

    Args:
        site (str):
        body (SiteBindingRequest): `PUT /v1/admin/sites/{site}/maas`. Its `Debug` never shows the
            key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SiteBindingView]
    """

    kwargs = _get_kwargs(
        site=site,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: SiteBindingRequest,
) -> Problem | SiteBindingView | None:
    """Binds a site to its MAAS region, or changes the binding (audited). The key is checked against
    the region first, stored encrypted, and never returned.

    Args:
        site (str):
        body (SiteBindingRequest): `PUT /v1/admin/sites/{site}/maas`. Its `Debug` never shows the
            key.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SiteBindingView
    """

    return (
        await asyncio_detailed(
            site=site,
            client=client,
            body=body,
        )
    ).parsed
