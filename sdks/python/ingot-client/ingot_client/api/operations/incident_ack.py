from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.incident_note_request import IncidentNoteRequest
from ...models.incident_view import IncidentView
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    incident_id: str,
    *,
    body: IncidentNoteRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/incidents/{incident_id}/ack".format(
            incident_id=quote(str(incident_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> IncidentView | Problem | None:
    if response.status_code == 200:
        response_200 = IncidentView.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[IncidentView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    incident_id: str,
    *,
    client: AuthenticatedClient,
    body: IncidentNoteRequest,
) -> Response[IncidentView | Problem]:
    """Acknowledges an incident (audited; repeating it changes nothing). Paging and escalation go
    on until it is resolved.

    Args:
        incident_id (str): incident id
        body (IncidentNoteRequest): `POST /v1/admin/incidents/{incident_id}/ack` and `…/resolve`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IncidentView | Problem]
    """

    kwargs = _get_kwargs(
        incident_id=incident_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    incident_id: str,
    *,
    client: AuthenticatedClient,
    body: IncidentNoteRequest,
) -> IncidentView | Problem | None:
    """Acknowledges an incident (audited; repeating it changes nothing). Paging and escalation go
    on until it is resolved.

    Args:
        incident_id (str): incident id
        body (IncidentNoteRequest): `POST /v1/admin/incidents/{incident_id}/ack` and `…/resolve`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IncidentView | Problem
    """

    return sync_detailed(
        incident_id=incident_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    incident_id: str,
    *,
    client: AuthenticatedClient,
    body: IncidentNoteRequest,
) -> Response[IncidentView | Problem]:
    """Acknowledges an incident (audited; repeating it changes nothing). Paging and escalation go
    on until it is resolved.

    Args:
        incident_id (str): incident id
        body (IncidentNoteRequest): `POST /v1/admin/incidents/{incident_id}/ack` and `…/resolve`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IncidentView | Problem]
    """

    kwargs = _get_kwargs(
        incident_id=incident_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    incident_id: str,
    *,
    client: AuthenticatedClient,
    body: IncidentNoteRequest,
) -> IncidentView | Problem | None:
    """Acknowledges an incident (audited; repeating it changes nothing). Paging and escalation go
    on until it is resolved.

    Args:
        incident_id (str): incident id
        body (IncidentNoteRequest): `POST /v1/admin/incidents/{incident_id}/ack` and `…/resolve`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IncidentView | Problem
    """

    return (
        await asyncio_detailed(
            incident_id=incident_id,
            client=client,
            body=body,
        )
    ).parsed
