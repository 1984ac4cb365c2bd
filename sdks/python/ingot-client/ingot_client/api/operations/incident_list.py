from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.incident_state import IncidentState
from ...models.page_incident_view import PageIncidentView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    state: IncidentState | Unset = UNSET,
    all_: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["all"] = all_

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/admin/incidents",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageIncidentView | Problem | None:
    if response.status_code == 200:
        response_200 = PageIncidentView.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[PageIncidentView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    state: IncidentState | Unset = UNSET,
    all_: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[PageIncidentView | Problem]:
    """Incidents, newest first: those not yet resolved, or `?state=`, or `?all=true`.

    Args:
        state (IncidentState | Unset): `open → acknowledged → resolved` (or `open → resolved`).
        all_ (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageIncidentView | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        all_=all_,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    state: IncidentState | Unset = UNSET,
    all_: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> PageIncidentView | Problem | None:
    """Incidents, newest first: those not yet resolved, or `?state=`, or `?all=true`.

    Args:
        state (IncidentState | Unset): `open → acknowledged → resolved` (or `open → resolved`).
        all_ (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageIncidentView | Problem
    """

    return sync_detailed(
        client=client,
        state=state,
        all_=all_,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    state: IncidentState | Unset = UNSET,
    all_: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> Response[PageIncidentView | Problem]:
    """Incidents, newest first: those not yet resolved, or `?state=`, or `?all=true`.

    Args:
        state (IncidentState | Unset): `open → acknowledged → resolved` (or `open → resolved`).
        all_ (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageIncidentView | Problem]
    """

    kwargs = _get_kwargs(
        state=state,
        all_=all_,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    state: IncidentState | Unset = UNSET,
    all_: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
) -> PageIncidentView | Problem | None:
    """Incidents, newest first: those not yet resolved, or `?state=`, or `?all=true`.

    Args:
        state (IncidentState | Unset): `open → acknowledged → resolved` (or `open → resolved`).
        all_ (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageIncidentView | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            state=state,
            all_=all_,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
