from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.onboard_report import OnboardReport
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    site: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/sites/{site}/onboard".format(
            site=quote(str(site), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OnboardReport | Problem | None:
    if response.status_code == 200:
        response_200 = OnboardReport.from_dict(response.json())

        return response_200

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OnboardReport | Problem]:
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
) -> Response[OnboardReport | Problem]:
    """Runs an onboarding pass at the site now: commissions new machines (per policy) and hands
    commissioned ones to Inventory.

    Args:
        site (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OnboardReport | Problem]
    """

    kwargs = _get_kwargs(
        site=site,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    site: str,
    *,
    client: AuthenticatedClient | Client,
) -> OnboardReport | Problem | None:
    """Runs an onboarding pass at the site now: commissions new machines (per policy) and hands
    commissioned ones to Inventory.

    Args:
        site (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OnboardReport | Problem
    """

    return sync_detailed(
        site=site,
        client=client,
    ).parsed


async def asyncio_detailed(
    site: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[OnboardReport | Problem]:
    """Runs an onboarding pass at the site now: commissions new machines (per policy) and hands
    commissioned ones to Inventory.

    Args:
        site (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OnboardReport | Problem]
    """

    kwargs = _get_kwargs(
        site=site,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    site: str,
    *,
    client: AuthenticatedClient | Client,
) -> OnboardReport | Problem | None:
    """Runs an onboarding pass at the site now: commissions new machines (per policy) and hands
    commissioned ones to Inventory.

    Args:
        site (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OnboardReport | Problem
    """

    return (
        await asyncio_detailed(
            site=site,
            client=client,
        )
    ).parsed
