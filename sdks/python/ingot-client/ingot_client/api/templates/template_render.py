from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.rendered_user_data import RenderedUserData
from ...models.template_values import TemplateValues
from ...types import Response


def _get_kwargs(
    project_id: str,
    template: str,
    *,
    body: TemplateValues,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project_id}/templates/{template}/render".format(
            project_id=quote(str(project_id), safe=""),
            template=quote(str(template), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RenderedUserData | None:
    if response.status_code == 200:
        response_200 = RenderedUserData.from_dict(response.json())

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
) -> Response[Problem | RenderedUserData]:
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
    body: TemplateValues,
) -> Response[Problem | RenderedUserData]:
    """Renders a template with values for its variables and checks the result as a deploy would;
    nothing is kept. Errors name the variable (`variables.NAME`) or the rendered `user_data`.

    Args:
        project_id (str): project id
        template (str):
        body (TemplateValues): `POST /v1/projects/{project_id}/templates/{template}/render`: a
            template and values for its
            variables, as an allocation names them too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RenderedUserData]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        template=template,
        body=body,
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
    body: TemplateValues,
) -> Problem | RenderedUserData | None:
    """Renders a template with values for its variables and checks the result as a deploy would;
    nothing is kept. Errors name the variable (`variables.NAME`) or the rendered `user_data`.

    Args:
        project_id (str): project id
        template (str):
        body (TemplateValues): `POST /v1/projects/{project_id}/templates/{template}/render`: a
            template and values for its
            variables, as an allocation names them too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RenderedUserData
    """

    return sync_detailed(
        project_id=project_id,
        template=template,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    template: str,
    *,
    client: AuthenticatedClient | Client,
    body: TemplateValues,
) -> Response[Problem | RenderedUserData]:
    """Renders a template with values for its variables and checks the result as a deploy would;
    nothing is kept. Errors name the variable (`variables.NAME`) or the rendered `user_data`.

    Args:
        project_id (str): project id
        template (str):
        body (TemplateValues): `POST /v1/projects/{project_id}/templates/{template}/render`: a
            template and values for its
            variables, as an allocation names them too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RenderedUserData]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        template=template,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    template: str,
    *,
    client: AuthenticatedClient | Client,
    body: TemplateValues,
) -> Problem | RenderedUserData | None:
    """Renders a template with values for its variables and checks the result as a deploy would;
    nothing is kept. Errors name the variable (`variables.NAME`) or the rendered `user_data`.

    Args:
        project_id (str): project id
        template (str):
        body (TemplateValues): `POST /v1/projects/{project_id}/templates/{template}/render`: a
            template and values for its
            variables, as an allocation names them too.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RenderedUserData
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            template=template,
            client=client,
            body=body,
        )
    ).parsed
