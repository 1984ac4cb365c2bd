from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admission_view import AdmissionView
from ...models.allocation_create_request import AllocationCreateRequest
from ...models.allocation_view import AllocationView
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: str,
    *,
    body: AllocationCreateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project_id}/allocations".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AdmissionView | AllocationView | Problem | None:
    if response.status_code == 200:
        response_200 = AdmissionView.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = AllocationView.from_dict(response.json())

        return response_201

    if response.status_code == 402:
        response_402 = Problem.from_dict(response.json())

        return response_402

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
) -> Response[AdmissionView | AllocationView | Problem]:
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
    body: AllocationCreateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[AdmissionView | AllocationView | Problem]:
    """Allocates `count` whole machines of a SKU (201), or with `dry_run` answers the admission
    decision with every reason it would be refused (200). Refusals answer their own problem
    code (`kyc_limit`, `quota_exceeded`, `insufficient_funds`, `capacity_unavailable`,
    `placement_unsatisfiable`), every reason listed in `errors`.

    Args:
        project_id (str): project id
        idempotency_key (None | str | Unset):
        body (AllocationCreateRequest): `POST /v1/projects/{project_id}/allocations`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdmissionView | AllocationView | Problem]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AllocationCreateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> AdmissionView | AllocationView | Problem | None:
    """Allocates `count` whole machines of a SKU (201), or with `dry_run` answers the admission
    decision with every reason it would be refused (200). Refusals answer their own problem
    code (`kyc_limit`, `quota_exceeded`, `insufficient_funds`, `capacity_unavailable`,
    `placement_unsatisfiable`), every reason listed in `errors`.

    Args:
        project_id (str): project id
        idempotency_key (None | str | Unset):
        body (AllocationCreateRequest): `POST /v1/projects/{project_id}/allocations`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdmissionView | AllocationView | Problem
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AllocationCreateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[AdmissionView | AllocationView | Problem]:
    """Allocates `count` whole machines of a SKU (201), or with `dry_run` answers the admission
    decision with every reason it would be refused (200). Refusals answer their own problem
    code (`kyc_limit`, `quota_exceeded`, `insufficient_funds`, `capacity_unavailable`,
    `placement_unsatisfiable`), every reason listed in `errors`.

    Args:
        project_id (str): project id
        idempotency_key (None | str | Unset):
        body (AllocationCreateRequest): `POST /v1/projects/{project_id}/allocations`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdmissionView | AllocationView | Problem]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: AllocationCreateRequest,
    idempotency_key: None | str | Unset = UNSET,
) -> AdmissionView | AllocationView | Problem | None:
    """Allocates `count` whole machines of a SKU (201), or with `dry_run` answers the admission
    decision with every reason it would be refused (200). Refusals answer their own problem
    code (`kyc_limit`, `quota_exceeded`, `insufficient_funds`, `capacity_unavailable`,
    `placement_unsatisfiable`), every reason listed in `errors`.

    Args:
        project_id (str): project id
        idempotency_key (None | str | Unset):
        body (AllocationCreateRequest): `POST /v1/projects/{project_id}/allocations`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdmissionView | AllocationView | Problem
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
