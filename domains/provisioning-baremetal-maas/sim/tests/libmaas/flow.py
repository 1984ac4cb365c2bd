#!/usr/bin/env python3
"""Drive python-libmaas 0.6.8 (unchanged) against a MAAS API 2.0 endpoint.

Flow: connect (API key) -> version/ -> users/?op=whoami -> list machines -> allocate -> deploy (no wait)
      -> poll reads until "Deployed" -> release -> poll until "Ready"
      [-> cycle 2: allocate(hostname=...) -> deploy(wait=True) -> release(wait=True)]

Usage:
  libmaas_flow.py [URL [APIKEY]] [--timeout S] [--request-timeout S]
                  [--poll-interval S] [--no-wait-cycle] [--no-extras]
                  [--distro-series jammy]
  URL    e.g. http://127.0.0.1:5240/MAAS/   (env MAAS_URL)
  APIKEY consumer_key:token_key:token_secret (env MAAS_API_KEY)
Env overrides: MAAS_FLOW_TIMEOUT, MAAS_FLOW_REQUEST_TIMEOUT,
  MAAS_FLOW_POLL_INTERVAL, MAAS_FLOW_WAIT_CYCLE=0|1, MAAS_FLOW_EXTRAS=0|1,
  MAAS_FLOW_DISTRO.

Exit codes: 0 success; 1 flow/assertion/API failure; 2 usage or library
import problem; 3 timeout.  One line per step on stdout ("STEP ..." / "OK ..."),
errors on stderr prefixed with "FAIL".
"""

import argparse
import asyncio
import faulthandler
import os
import sys
import time
import traceback
import warnings

warnings.simplefilter("ignore", DeprecationWarning)  # distutils, get_event_loop


def say(*a):
    print(*a, flush=True)


def fail(code, msg):
    print("FAIL: " + msg, file=sys.stderr, flush=True)
    sys.exit(code)


class FlowError(Exception):
    pass


def parse_args():
    env = os.environ
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url", nargs="?", default=env.get("MAAS_URL"))
    ap.add_argument("apikey", nargs="?", default=env.get("MAAS_API_KEY"))
    ap.add_argument("--timeout", type=float,
                    default=float(env.get("MAAS_FLOW_TIMEOUT", "120")),
                    help="overall deadline in seconds (default 120)")
    ap.add_argument("--request-timeout", type=float,
                    default=float(env.get("MAAS_FLOW_REQUEST_TIMEOUT", "20")),
                    help="deadline for each single library call (default 20)")
    ap.add_argument("--poll-interval", type=float,
                    default=float(env.get("MAAS_FLOW_POLL_INTERVAL", "0.5")),
                    help="seconds between status polls (default 0.5)")
    ap.add_argument("--no-wait-cycle", action="store_true",
                    default=env.get("MAAS_FLOW_WAIT_CYCLE", "1") == "0",
                    help="skip cycle 2 (deploy/release with wait=True)")
    ap.add_argument("--distro-series", default=env.get("MAAS_FLOW_DISTRO", "jammy"))
    ap.add_argument("--no-extras", action="store_true",
                    default=env.get("MAAS_FLOW_EXTRAS", "1") == "0",
                    help="skip version.get() and users.whoami()")
    a = ap.parse_args()
    if not a.url or not a.apikey:
        ap.print_usage(sys.stderr)
        fail(2, "MAAS URL and API key are required (argv or MAAS_URL / MAAS_API_KEY)")
    if a.apikey.count(":") != 2:
        fail(2, "API key must be consumer_key:token_key:token_secret")
    return a


def describe(m):
    return "system_id=%s hostname=%s status=%d(%s) status_name=%r" % (
        m.system_id, m.hostname, int(m.status), m.status.name, m.status_name)


async def run(a):
    try:
        import maas.client
        from maas.client.bones import CallError
        from maas.client.enum import NodeStatus
        from maas.client.viscera.machines import MachineNotFound
    except Exception as e:  # noqa
        traceback.print_exc()
        fail(2, "cannot import python-libmaas: %r" % (e,))

    rt = a.request_timeout
    deadline = time.monotonic() + a.timeout

    async def call(what, aw):
        try:
            return await asyncio.wait_for(aw, timeout=rt)
        except asyncio.TimeoutError:
            raise FlowError("%s: no answer within %.0fs" % (what, rt))

    def check_fields(m, where):
        # Touch every field a typical libmaas user reads; each access runs the
        # library's own type check/conversion and raises if the simulator
        # sends a wrong type or omits the field.
        try:
            vals = dict(system_id=m.system_id, hostname=m.hostname, fqdn=m.fqdn,
                        status=m.status, status_name=m.status_name,
                        status_message=m.status_message, power_state=m.power_state,
                        power_type=m.power_type, architecture=m.architecture,
                        cpus=m.cpus, memory=m.memory, osystem=m.osystem,
                        distro_series=m.distro_series)
        except Exception as e:
            raise FlowError("%s: machine object rejected by libmaas: %r" % (where, e))
        if not isinstance(vals["status"], NodeStatus):
            raise FlowError("%s: status not a NodeStatus: %r" % (where, vals["status"]))
        return vals

    async def poll(m, want, transitional, what):
        """Re-read the machine until status == want."""
        n = 0
        while True:
            if m.status == want:
                return m
            if m.status not in transitional:
                raise FlowError("%s: unexpected status %s while waiting for %s"
                                % (what, describe(m), want.name))
            if time.monotonic() > deadline:
                raise FlowError("%s: still %s at overall deadline" % (what, describe(m)))
            await asyncio.sleep(a.poll_interval)
            await call("refresh (GET machines/{id}/)", m.refresh())
            n += 1
            check_fields(m, what)
            say("  poll %d: %s" % (n, describe(m)))

    # 1. connect -------------------------------------------------------
    say("STEP connect url=%s (python-libmaas %s, Python %s)" % (
        a.url, _libmaas_version(), sys.version.split()[0]))
    client = await call("connect (GET describe/)",
                        maas.client.connect(a.url, apikey=a.apikey))
    for attr in ("Machines", "Machine"):
        h = getattr(client._origin, attr)._handler
        if h is None:
            raise FlowError("describe/ lacks the %sHandler resource" % attr)
    say("OK connect: handlers %s" % ", ".join(sorted(
        n for n, _ in client._origin.session.handlers)))

    # 1b. version + whoami (validates the API key early) ------------------
    if not a.no_extras:
        say("STEP version (GET version/)")
        v = await call("version.get (GET version/)", client.version.get())
        if not isinstance(v.version, str) or not isinstance(v.capabilities, frozenset):
            raise FlowError("version/: bad document %r" % (v._data,))
        say("OK version: %s capabilities=%d" % (v.version, len(v.capabilities)))
        say("STEP whoami (GET users/?op=whoami)")
        u = await call("users.whoami (GET users/?op=whoami)", client.users.whoami())
        say("OK whoami: username=%s is_admin=%s" % (u.username, u.is_admin))

    # 2. list ----------------------------------------------------------
    say("STEP list machines")
    machines = await call("machines.list (GET machines/)", client.machines.list())
    if len(machines) == 0:
        raise FlowError("machines.list returned no machines")
    for m in machines:
        check_fields(m, "list")
        say("  %s" % describe(m))
    ready = [m for m in machines if m.status == NodeStatus.READY]
    say("OK list: %d machines, %d Ready" % (len(machines), len(ready)))
    if not ready:
        raise FlowError("no Ready machine to allocate")

    async def allocate(**kw):
        say("STEP allocate %s" % (kw or ""))
        try:
            m = await call("machines.allocate (POST machines/?op=allocate)",
                           client.machines.allocate(**kw))
        except MachineNotFound as e:
            raise FlowError("allocate: 409 -> MachineNotFound (%s)" % e.__cause__)
        check_fields(m, "allocate")
        if m.status != NodeStatus.ALLOCATED or m.status_name != "Allocated":
            raise FlowError("allocate: expected Allocated, got %s" % describe(m))
        say("OK allocate: %s" % describe(m))
        return m

    async def release(m, wait):
        say("STEP release%s %s" % (" (wait=True)" if wait else "", m.system_id))
        await call("machine.release (POST machines/{id}/?op=release)",
                   m.release(comment="libmaas_flow", wait=wait,
                             wait_interval=a.poll_interval))
        check_fields(m, "release")
        if m.status not in (NodeStatus.RELEASING, NodeStatus.DISK_ERASING,
                            NodeStatus.READY):
            raise FlowError("release: unexpected %s" % describe(m))
        say("OK release: %s" % describe(m))
        if wait and m.status != NodeStatus.READY:
            raise FlowError("release(wait=True) returned %s" % describe(m))
        await poll(m, NodeStatus.READY,
                   (NodeStatus.RELEASING, NodeStatus.DISK_ERASING), "release")
        say("OK released: %s" % describe(m))

    # 3..6 cycle 1: no-wait deploy + own polling ----------------------
    m = await allocate()
    say("STEP deploy (wait=False) %s distro_series=%s" % (m.system_id, a.distro_series))
    await call("machine.deploy (POST machines/{id}/?op=deploy)",
               m.deploy(distro_series=a.distro_series))
    check_fields(m, "deploy")
    if m.status not in (NodeStatus.DEPLOYING, NodeStatus.DEPLOYED):
        raise FlowError("deploy: expected Deploying, got %s" % describe(m))
    say("OK deploy: %s" % describe(m))
    say("STEP poll until Deployed")
    await poll(m, NodeStatus.DEPLOYED, (NodeStatus.DEPLOYING,), "deploy")
    if m.status_name != "Deployed":
        raise FlowError("deploy: status 6 but status_name=%r" % m.status_name)
    say("OK deployed: %s osystem=%r distro_series=%r" % (
        describe(m), m.osystem, m.distro_series))
    await release(m, wait=False)

    # 7. cycle 2: the library's own wait loops --------------------------
    if not a.no_wait_cycle:
        m2 = await allocate(hostname=m.hostname)
        if m2.system_id != m.system_id:
            raise FlowError("allocate(hostname=%s) returned %s" % (m.hostname, m2.system_id))
        say("STEP deploy (wait=True) %s" % m2.system_id)
        remaining = max(1.0, deadline - time.monotonic())
        try:
            await asyncio.wait_for(
                m2.deploy(distro_series=a.distro_series, wait=True,
                          wait_interval=a.poll_interval), timeout=remaining)
        except asyncio.TimeoutError:
            raise FlowError("deploy(wait=True) did not finish before the deadline")
        check_fields(m2, "deploy-wait")
        if m2.status != NodeStatus.DEPLOYED:
            raise FlowError("deploy(wait=True) ended in %s" % describe(m2))
        say("OK deploy(wait=True): %s" % describe(m2))
        await release(m2, wait=True)

    say("PASS python-libmaas flow completed")


def _libmaas_version():
    try:
        from importlib.metadata import version
        return version("python-libmaas")
    except Exception:
        return "?"


def main():
    a = parse_args()
    # Last-resort guard: if anything blocks outside asyncio, dump and exit.
    faulthandler.dump_traceback_later(a.timeout + 30, exit=True)
    try:
        asyncio.run(asyncio.wait_for(run(a), timeout=a.timeout + 10))
    except FlowError as e:
        fail(1, str(e))
    except asyncio.TimeoutError:
        fail(3, "overall timeout (%.0fs) exceeded" % a.timeout)
    except SystemExit:
        raise
    except Exception as e:
        # CallError carries the HTTP status and body of the failed request.
        status = getattr(e, "status", None)
        content = getattr(e, "content", b"")
        traceback.print_exc()
        if status is not None:
            fail(1, "HTTP %s from %s %s: %s" % (
                status, e.request.get("method"), e.request.get("uri"),
                content.decode("utf-8", "replace")[:500]))
        fail(1, "%s: %s" % (type(e).__name__, e))
    sys.exit(0)


if __name__ == "__main__":
    main()
