from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.sku_change_report import SkuChangeReport
from ...models.sku_update_request import SkuUpdateRequest
from ...types import Response


def _get_kwargs(
    sku_id: str,
    *,
    body: SkuUpdateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/admin/skus/{sku_id}".format(
            sku_id=quote(str(sku_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SkuChangeReport | None:
    if response.status_code == 200:
        response_200 = SkuChangeReport.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SkuChangeReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    sku_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SkuUpdateRequest,
) -> Response[Problem | SkuChangeReport]:
    """Change a SKU's constraints, description or active flag; the fleet is re-matched.

    Args:
        sku_id (str): sku id
        body (SkuUpdateRequest): `PATCH /v1/admin/skus/{sku_id}`: absent fields stay as they are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SkuChangeReport]
    """

    kwargs = _get_kwargs(
        sku_id=sku_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    sku_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SkuUpdateRequest,
) -> Problem | SkuChangeReport | None:
    """Change a SKU's constraints, description or active flag; the fleet is re-matched.

    Args:
        sku_id (str): sku id
        body (SkuUpdateRequest): `PATCH /v1/admin/skus/{sku_id}`: absent fields stay as they are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SkuChangeReport
    """

    return sync_detailed(
        sku_id=sku_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    sku_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SkuUpdateRequest,
) -> Response[Problem | SkuChangeReport]:
    """Change a SKU's constraints, description or active flag; the fleet is re-matched.

    Args:
        sku_id (str): sku id
        body (SkuUpdateRequest): `PATCH /v1/admin/skus/{sku_id}`: absent fields stay as they are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SkuChangeReport]
    """

    kwargs = _get_kwargs(
        sku_id=sku_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    sku_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SkuUpdateRequest,
) -> Problem | SkuChangeReport | None:
    """Change a SKU's constraints, description or active flag; the fleet is re-matched.

    Args:
        sku_id (str): sku id
        body (SkuUpdateRequest): `PATCH /v1/admin/skus/{sku_id}`: absent fields stay as they are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SkuChangeReport
    """

    return (
        await asyncio_detailed(
            sku_id=sku_id,
            client=client,
            body=body,
        )
    ).parsed
