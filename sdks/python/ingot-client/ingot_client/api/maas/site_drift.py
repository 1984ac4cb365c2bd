from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.drift_view import DriftView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    site: str,
    *,
    all_: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["all"] = all_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/admin/sites/{site}/drift".format(
            site=quote(str(site), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[DriftView] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = DriftView.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[DriftView]]:
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
    all_: bool | Unset = UNSET,
) -> Response[Problem | list[DriftView]]:
    """The site's drift: open first, newest first; `?all=true` adds the resolved history.

    Args:
        site (str):
        all_ (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[DriftView]]
    """

    kwargs = _get_kwargs(
        site=site,
        all_=all_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    all_: bool | Unset = UNSET,
) -> Problem | list[DriftView] | None:
    """The site's drift: open first, newest first; `?all=true` adds the resolved history.

    Args:
        site (str):
        all_ (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[DriftView]
    """

    return sync_detailed(
        site=site,
        client=client,
        all_=all_,
    ).parsed


async def asyncio_detailed(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    all_: bool | Unset = UNSET,
) -> Response[Problem | list[DriftView]]:
    """The site's drift: open first, newest first; `?all=true` adds the resolved history.

    Args:
        site (str):
        all_ (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[DriftView]]
    """

    kwargs = _get_kwargs(
        site=site,
        all_=all_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    site: str,
    *,
    client: AuthenticatedClient | Client,
    all_: bool | Unset = UNSET,
) -> Problem | list[DriftView] | None:
    """The site's drift: open first, newest first; `?all=true` adds the resolved history.

    Args:
        site (str):
        all_ (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[DriftView]
    """

    return (
        await asyncio_detailed(
            site=site,
            client=client,
            all_=all_,
        )
    ).parsed
