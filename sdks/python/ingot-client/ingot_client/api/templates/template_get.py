from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.template_view import TemplateView
from ...types import Response


def _get_kwargs(
    project_id: str,
    template: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{project_id}/templates/{template}".format(
            project_id=quote(str(project_id), safe=""),
            template=quote(str(template), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TemplateView | None:
    if response.status_code == 200:
        response_200 = TemplateView.from_dict(response.json())

        return response_200

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TemplateView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    template: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | TemplateView]:
    """One template, by id or name (built-ins by name).

    Args:
        project_id (str): project id
        template (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TemplateView]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        template=template,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    template: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | TemplateView | None:
    """One template, by id or name (built-ins by name).

    Args:
        project_id (str): project id
        template (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TemplateView
    """

    return sync_detailed(
        project_id=project_id,
        template=template,
        client=client,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    template: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Problem | TemplateView]:
    """One template, by id or name (built-ins by name).

    Args:
        project_id (str): project id
        template (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TemplateView]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        template=template,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    template: str,
    *,
    client: AuthenticatedClient | Client,
) -> Problem | TemplateView | None:
    """One template, by id or name (built-ins by name).

    Args:
        project_id (str): project id
        template (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TemplateView
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            template=template,
            client=client,
        )
    ).parsed
