from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_create_request import WebhookCreateRequest
from ...models.webhook_created import WebhookCreated
from ...types import Response


def _get_kwargs(
    project_id: str,
    *,
    body: WebhookCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project_id}/webhooks".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookCreated | None:
    if response.status_code == 201:
        response_201 = WebhookCreated.from_dict(response.json())

        return response_201

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
) -> Response[Problem | WebhookCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreateRequest,
) -> Response[Problem | WebhookCreated]:
    """Subscribes a URL to event types (audited). The answer carries the signing secret, once.
    Every delivery is a POST of JSON `{id, type, created_at, tenant_id, project_id, data}` with
    `Ingot-Signature: t=UNIX_SECONDS,v1=HEX`: HEX is the HMAC-SHA256, keyed with the whole
    secret string (`whsec_…`, its UTF-8 bytes), of `UNIX_SECONDS`, `.`, and the body's bytes as
    received. Compare in constant time and refuse timestamps far from your clock (replays); `id`
    stays the same on every retry and redelivery. A 2xx answer within the timeout delivers;
    anything else is retried with exponential backoff (10 s doubling, at most an hour, ±20%).

    Args:
        project_id (str): project id
        body (WebhookCreateRequest): `POST /v1/projects/{project_id}/webhooks`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookCreated]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreateRequest,
) -> Problem | WebhookCreated | None:
    """Subscribes a URL to event types (audited). The answer carries the signing secret, once.
    Every delivery is a POST of JSON `{id, type, created_at, tenant_id, project_id, data}` with
    `Ingot-Signature: t=UNIX_SECONDS,v1=HEX`: HEX is the HMAC-SHA256, keyed with the whole
    secret string (`whsec_…`, its UTF-8 bytes), of `UNIX_SECONDS`, `.`, and the body's bytes as
    received. Compare in constant time and refuse timestamps far from your clock (replays); `id`
    stays the same on every retry and redelivery. A 2xx answer within the timeout delivers;
    anything else is retried with exponential backoff (10 s doubling, at most an hour, ±20%).

    Args:
        project_id (str): project id
        body (WebhookCreateRequest): `POST /v1/projects/{project_id}/webhooks`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookCreated
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreateRequest,
) -> Response[Problem | WebhookCreated]:
    """Subscribes a URL to event types (audited). The answer carries the signing secret, once.
    Every delivery is a POST of JSON `{id, type, created_at, tenant_id, project_id, data}` with
    `Ingot-Signature: t=UNIX_SECONDS,v1=HEX`: HEX is the HMAC-SHA256, keyed with the whole
    secret string (`whsec_…`, its UTF-8 bytes), of `UNIX_SECONDS`, `.`, and the body's bytes as
    received. Compare in constant time and refuse timestamps far from your clock (replays); `id`
    stays the same on every retry and redelivery. A 2xx answer within the timeout delivers;
    anything else is retried with exponential backoff (10 s doubling, at most an hour, ±20%).

    Args:
        project_id (str): project id
        body (WebhookCreateRequest): `POST /v1/projects/{project_id}/webhooks`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookCreated]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: WebhookCreateRequest,
) -> Problem | WebhookCreated | None:
    """Subscribes a URL to event types (audited). The answer carries the signing secret, once.
    Every delivery is a POST of JSON `{id, type, created_at, tenant_id, project_id, data}` with
    `Ingot-Signature: t=UNIX_SECONDS,v1=HEX`: HEX is the HMAC-SHA256, keyed with the whole
    secret string (`whsec_…`, its UTF-8 bytes), of `UNIX_SECONDS`, `.`, and the body's bytes as
    received. Compare in constant time and refuse timestamps far from your clock (replays); `id`
    stays the same on every retry and redelivery. A 2xx answer within the timeout delivers;
    anything else is retried with exponential backoff (10 s doubling, at most an hour, ±20%).

    Args:
        project_id (str): project id
        body (WebhookCreateRequest): `POST /v1/projects/{project_id}/webhooks`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookCreated
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
