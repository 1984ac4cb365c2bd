"""A tenant's first machine through the generated Python SDK, against a live ingotd.

Usage: journey.py SERVER_URL ADMIN_TOKEN SSH_PUBLIC_KEY

Signs a tenant up, has the admin (given the security role) verify it, tops up through the test
provider, allocates one cpu-64c, waits until it is active, releases it and waits until it is
released. Exits non-zero with the reason on the first surprise.
"""

import sys
import time
import uuid

from ingot_client import AuthenticatedClient, Client
from ingot_client.api.allocations import allocation_create, allocation_get, allocation_release
from ingot_client.api.billing import balance_get, top_up
from ingot_client.api.catalog import catalog_offers
from ingot_client.api.iam import kyc_decide, kyc_submit, me_get, platform_roles_set, signup
from ingot_client.models import (
    AllocationCreateRequest,
    AllocationState,
    AllocationView,
    KycDecision,
    KycDecisionRequest,
    KycLevel,
    KycPersonalData,
    KycSubmitRequest,
    Money,
    PlatformRole,
    PlatformRolesRequest,
    Problem,
    ReleaseRequest,
    SignupRequest,
    TopUpRequest,
)

DEADLINE_S = 180


def expect(answer, kind):
    if not isinstance(answer, kind):
        detail = answer.to_dict() if isinstance(answer, Problem) else answer
        sys.exit(f"expected {kind.__name__}, got {detail!r}")
    return answer


def wait_for(client, allocation_id, states):
    """Polls the allocation (its state is the server's to change) until it is in `states`."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        view = expect(allocation_get.sync(allocation_id, client=client), AllocationView)
        if view.state in states:
            return view
        if view.state == AllocationState.FAILED or time.monotonic() > deadline:
            sys.exit(f"allocation {allocation_id} is {view.state}, wanted {states}")
        time.sleep(1)


def main():
    url, admin_token, ssh_key = sys.argv[1:4]
    anonymous = Client(base_url=url)
    admin = AuthenticatedClient(base_url=url, token=admin_token)

    # The catalog is public: wait until the simulated region's machines are on sale.
    deadline = time.monotonic() + DEADLINE_S
    while not any(o.sku == "cpu-64c" and o.available > 0 for o in catalog_offers.sync(client=anonymous) or []):
        if time.monotonic() > deadline:
            sys.exit("cpu-64c never went on sale")
        time.sleep(1)

    email = f"py-{uuid.uuid4().hex[:12]}@example.com"
    created = signup.sync(
        client=anonymous,
        body=SignupRequest(
            email=email,
            password="a long python passphrase 42",
            display_name="Py",
            tenant_name="Python Tenant",
        ),
    )
    if isinstance(created, Problem) or created is None:
        sys.exit(f"sign-up refused: {created.to_dict()}")
    tenant_id = created.tenant.id
    project_id = created.project.id
    tenant = AuthenticatedClient(base_url=url, token=created.session_token)
    if me_get.sync(client=tenant).user.email != email:
        sys.exit("the session is not the new user's")

    details = KycPersonalData(legal_name="Py Thon", country="NL", address="Science Park 123, Amsterdam")
    submitted = kyc_submit.sync(tenant_id, client=tenant, body=KycSubmitRequest(personal_data=details))
    if isinstance(submitted, Problem) or submitted is None:
        sys.exit(f"verification not submitted: {submitted}")
    admin_id = me_get.sync(client=admin).user.id
    platform_roles_set.sync(
        admin_id,
        client=admin,
        body=PlatformRolesRequest(platform_roles=[PlatformRole.PLATFORM_ADMIN, PlatformRole.SECURITY]),
    )
    decided = kyc_decide.sync(
        tenant_id,
        client=admin,
        body=KycDecisionRequest(decision=KycDecision.VERIFY, level=KycLevel.BASIC, reason="python sdk test"),
    )
    if isinstance(decided, Problem):
        sys.exit(f"verification refused: {decided.to_dict()}")

    paid = top_up.sync(tenant_id, client=tenant, body=TopUpRequest(amount=Money(amount="100", currency="USD")))
    if isinstance(paid, Problem):
        sys.exit(f"top-up refused: {paid.to_dict()}")
    balance = balance_get.sync(tenant_id, client=tenant)
    if float(balance.cash.amount) != 100.0:
        sys.exit(f"balance after the top-up: {balance.to_dict()}")

    allocation = expect(
        allocation_create.sync(
            project_id,
            client=tenant,
            body=AllocationCreateRequest(sku="cpu-64c", count=1, ssh_keys=[ssh_key]),
        ),
        AllocationView,
    )
    active = wait_for(tenant, allocation.id, {AllocationState.ACTIVE})
    if len(active.nodes) != 1:
        sys.exit(f"active with {len(active.nodes)} nodes")

    expect(
        allocation_release.sync(allocation.id, client=tenant, body=ReleaseRequest(reason="done")),
        AllocationView,
    )
    wait_for(tenant, allocation.id, {AllocationState.RELEASING, AllocationState.RELEASED})
    print(f"ok: {email} allocated {allocation.id}, saw it active and released it")


if __name__ == "__main__":
    main()
