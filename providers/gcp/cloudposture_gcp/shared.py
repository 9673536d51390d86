"""Reads that every scanner of one scan shares: the same answer whichever project asks.

A network's effective firewalls belong to the network (for a Shared VPC, to the host
project's network that many service projects' clusters use), a folder's IAM policy to the
folder, a key to its key ring, a custom role to its project or organization, a predefined role
to no project at all. The nightly
``run`` builds one scanner per configured project, so keeping these reads inside one scanner
would repeat them once per project: they live here instead, in one :class:`SharedReads` per
set of credentials and endpoint, which every scanner of the scan holds (see
:class:`ScanSessions`).

The fetchers are module functions over the clients (no bound methods): a ``SharedReads`` is
in no reference cycle, so it is freed as soon as the last scanner holding it is, and the next
scan in the same process reads afresh.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from functools import partial

from google.cloud import compute_v1, container_v1, kms_v1

from cloudposture.plugin.lookup import SharedLookup
from cloudposture_gcp.clients import GoogleClients
from cloudposture_gcp.hierarchy import PolicyHierarchy
from cloudposture_gcp.reads import JSON, to_json
from cloudposture_gcp.roles import RoleReader

COMPUTE = "https://www.googleapis.com/compute/v1"


class SharedReads:
    """The shared lookups of one scan, over one set of clients."""

    def __init__(self, clients: GoogleClients) -> None:
        self.clients = clients
        self.hierarchy = PolicyHierarchy(clients)
        self.effective: SharedLookup[tuple[str, str], JSON] = SharedLookup(
            partial(_effective_firewalls, clients)
        )
        self.regional: SharedLookup[tuple[str, str, str], JSON] = SharedLookup(
            partial(_region_effective_firewalls, clients)
        )
        self.networks: SharedLookup[tuple[str, str], JSON] = SharedLookup(
            partial(_network, clients)
        )
        self.keys: SharedLookup[str, JSON] = SharedLookup(partial(_crypto_key, clients))
        self.server_configs: SharedLookup[tuple[str, str], JSON] = SharedLookup(
            partial(_server_config, clients)
        )
        self.roles: SharedLookup[str, JSON] = SharedLookup(RoleReader(clients.options).get)
        """Roles (custom and predefined) by name: one read per role for the whole scan."""


class ScanSessions:
    """Hands every scanner built for the same credentials and endpoint the same
    :class:`SharedReads`, for as long as one of them is alive (weakly held)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: weakref.WeakValueDictionary[Hashable, SharedReads] = (
            weakref.WeakValueDictionary()
        )

    def get(self, key: Hashable, clients: Callable[[], GoogleClients]) -> SharedReads:
        with self._lock:
            found = self._live.get(key)
            if found is None:
                found = SharedReads(clients())
                self._live[key] = found
            return found


# The fetchers below run once per key (SharedLookup) and return API-shaped JSON.


def _effective_firewalls(clients: GoogleClients, network: tuple[str, str]) -> JSON:
    host, name = network
    response = clients.networks().get_effective_firewalls(
        project=host, network=name, **clients.call
    )
    return to_json(compute_v1.NetworksGetEffectiveFirewallsResponse.pb(response))


def _region_effective_firewalls(clients: GoogleClients, key: tuple[str, str, str]) -> JSON:
    host, name, region = key
    response = clients.region_firewall_policies().get_effective_firewalls(
        project=host,
        region=region,
        network=f"{COMPUTE}/projects/{host}/global/networks/{name}",  # as gcloud sends it
        **clients.call,
    )
    return to_json(
        compute_v1.RegionNetworkFirewallPoliciesGetEffectiveFirewallsResponse.pb(response)
    )


def _network(clients: GoogleClients, network: tuple[str, str]) -> JSON:
    host, name = network
    found = clients.networks().get(project=host, network=name, **clients.call)
    return to_json(compute_v1.Network.pb(found))


def _crypto_key(clients: GoogleClients, name: str) -> JSON:
    key = clients.kms().get_crypto_key(name=name, **clients.call)
    return to_json(kms_v1.CryptoKey.pb(key))


def _server_config(clients: GoogleClients, where: tuple[str, str]) -> JSON:
    project, location = where
    config = clients.clusters().get_server_config(
        name=f"projects/{project}/locations/{location}", **clients.call
    )
    return to_json(container_v1.ServerConfig.pb(config))
