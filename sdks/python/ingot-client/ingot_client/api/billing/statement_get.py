from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    tenant_id: str,
    month: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tenants/{tenant_id}/statements/{month}".format(
            tenant_id=quote(str(tenant_id), safe=""),
            month=quote(str(month), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant_id: str,
    month: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | str]:
    """The month's statement: JSON, or CSV when asked with `Accept: text/csv`.

    Args:
        tenant_id (str): tenant id
        month (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        month=month,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant_id: str,
    month: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | str | None:
    """The month's statement: JSON, or CSV when asked with `Accept: text/csv`.

    Args:
        tenant_id (str): tenant id
        month (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        tenant_id=tenant_id,
        month=month,
        client=client,
    ).parsed


async def asyncio_detailed(
    tenant_id: str,
    month: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | str]:
    """The month's statement: JSON, or CSV when asked with `Accept: text/csv`.

    Args:
        tenant_id (str): tenant id
        month (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        tenant_id=tenant_id,
        month=month,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant_id: str,
    month: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | str | None:
    """The month's statement: JSON, or CSV when asked with `Accept: text/csv`.

    Args:
        tenant_id (str): tenant id
        month (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            tenant_id=tenant_id,
            month=month,
            client=client,
        )
    ).parsed
