from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.image_view import ImageView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    site: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["site"] = site

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/images",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[ImageView] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ImageView.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | list[ImageView]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
) -> Response[Problem | list[ImageView]]:
    """The OS images tenants may deploy, per site: what each site's region offers, filtered by the
    site's policy; the default image of each site is marked.

    Args:
        site (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ImageView]]
    """

    kwargs = _get_kwargs(
        site=site,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
) -> Problem | list[ImageView] | None:
    """The OS images tenants may deploy, per site: what each site's region offers, filtered by the
    site's policy; the default image of each site is marked.

    Args:
        site (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ImageView]
    """

    return sync_detailed(
        client=client,
        site=site,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
) -> Response[Problem | list[ImageView]]:
    """The OS images tenants may deploy, per site: what each site's region offers, filtered by the
    site's policy; the default image of each site is marked.

    Args:
        site (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[ImageView]]
    """

    kwargs = _get_kwargs(
        site=site,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    site: str | Unset = UNSET,
) -> Problem | list[ImageView] | None:
    """The OS images tenants may deploy, per site: what each site's region offers, filtered by the
    site's policy; the default image of each site is marked.

    Args:
        site (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[ImageView]
    """

    return (
        await asyncio_detailed(
            client=client,
            site=site,
        )
    ).parsed
