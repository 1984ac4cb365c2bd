from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.offer_set_request import OfferSetRequest
from ...models.offer_view import OfferView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    sku_id: str,
    site: str,
    *,
    body: OfferSetRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/admin/offers/{sku_id}/{site}".format(
            sku_id=quote(str(sku_id), safe=""),
            site=quote(str(site), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> OfferView | Problem | None:
    if response.status_code == 200:
        response_200 = OfferView.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[OfferView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    sku_id: str,
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: OfferSetRequest,
) -> Response[OfferView | Problem]:
    """Set the hourly list price of a SKU at a site (audited; an event tells Billing).

    Args:
        sku_id (str): sku id
        site (str):
        body (OfferSetRequest): `PUT /v1/admin/offers/{sku_id}/{site}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OfferView | Problem]
    """

    kwargs = _get_kwargs(
        sku_id=sku_id,
        site=site,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    sku_id: str,
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: OfferSetRequest,
) -> OfferView | Problem | None:
    """Set the hourly list price of a SKU at a site (audited; an event tells Billing).

    Args:
        sku_id (str): sku id
        site (str):
        body (OfferSetRequest): `PUT /v1/admin/offers/{sku_id}/{site}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OfferView | Problem
    """

    return sync_detailed(
        sku_id=sku_id,
        site=site,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    sku_id: str,
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: OfferSetRequest,
) -> Response[OfferView | Problem]:
    """Set the hourly list price of a SKU at a site (audited; an event tells Billing).

    Args:
        sku_id (str): sku id
        site (str):
        body (OfferSetRequest): `PUT /v1/admin/offers/{sku_id}/{site}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OfferView | Problem]
    """

    kwargs = _get_kwargs(
        sku_id=sku_id,
        site=site,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    sku_id: str,
    site: str,
    *,
    client: AuthenticatedClient | Client,
    body: OfferSetRequest,
) -> OfferView | Problem | None:
    """Set the hourly list price of a SKU at a site (audited; an event tells Billing).

    Args:
        sku_id (str): sku id
        site (str):
        body (OfferSetRequest): `PUT /v1/admin/offers/{sku_id}/{site}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OfferView | Problem
    """

    return (
        await asyncio_detailed(
            sku_id=sku_id,
            site=site,
            client=client,
            body=body,
        )
    ).parsed
