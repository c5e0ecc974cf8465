"""Which addresses the fetcher may connect to: the public internet, and private networks only
where they are allowed by name.

A source address is typed by whoever edits the registry or passes `--source-url`, and a page
can redirect anywhere; without this, `http://169.254.169.254/` (a cloud's metadata service) or a
name that resolves to `10.0.0.5` would be fetched from inside the network the job runs in. The
check is made on the address a socket actually connected to, after DNS, so that a name resolving
to a private address (or changing its answer between two look-ups) is caught too.

Allowed networks come from the registry's `defaults: http: allow_networks:` (a list of CIDRs)
and from the environment variable PLEDGES_ALLOW_NETWORKS (comma-separated CIDRs), which tests and
local trials against a server on 127.0.0.1 use.
"""
from __future__ import annotations

import http.client
import ipaddress
import os
import urllib.request
from typing import Callable, Iterable

ALLOW_NETWORKS_ENV = "PLEDGES_ALLOW_NETWORKS"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedAddress(OSError):
    """A connection to an address outside the public internet that no setting allows."""


def parse_networks(values: Iterable[str], where: str) -> tuple[Network, ...]:
    networks = []
    for value in values:
        value = str(value).strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not a network in CIDR form (such as 127.0.0.0/8)") from None
    return tuple(networks)


def networks_from_environment() -> tuple[Network, ...]:
    return parse_networks(os.environ.get(ALLOW_NETWORKS_ENV, "").split(","), ALLOW_NETWORKS_ENV)


def refusal(address: str, allowed: tuple[Network, ...]) -> str | None:
    """Why a connection to `address` is refused, or None when it may go ahead."""
    ip = _embedded_ipv4(ipaddress.ip_address(address.split("%", 1)[0]))
    if any(ip.version == network.version and ip in network for network in allowed):
        return None
    if ip.is_global and not ip.is_multicast:
        return None
    kind = ("loopback" if ip.is_loopback else "link-local" if ip.is_link_local else
            "private" if ip.is_private else "multicast" if ip.is_multicast else "non-public")
    return (f"address {ip} is on a {kind} network; allow it with `allow_networks` under the registry's "
            f"`defaults: http:` or {ALLOW_NETWORKS_ENV}")


NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """The IPv4 address an IPv6 address stands for, where it stands for one: mapped
    ("::ffff:10.0.0.1"), 6to4 ("2002:7f00:1::1"), NAT64 ("64:ff9b::7f00:1") or the old
    IPv4-compatible form ("::127.0.0.1"); else the address itself."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # "::" and "::1" are IPv6's own
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def guarded_handlers(allowed: tuple[Network, ...],
                     on_connect: Callable[[http.client.HTTPConnection], None] | None = None,
                     ) -> list[urllib.request.BaseHandler]:
    """urllib handlers whose connections check the peer address once connected, then hand the
    connection to `on_connect` (the client's watchdog uses it to cut a response that overruns)."""

    def check(connection: http.client.HTTPConnection) -> None:
        peer = connection.sock.getpeername()[0]
        why = refusal(peer, allowed)
        if why:
            connection.close()
            raise BlockedAddress(why)
        if on_connect is not None:
            on_connect(connection)

    class GuardedHTTPConnection(http.client.HTTPConnection):
        def connect(self):
            super().connect()
            check(self)

    class GuardedHTTPSConnection(http.client.HTTPSConnection):
        def connect(self):
            # The TCP connection is checked before the TLS handshake sends anything.
            http.client.HTTPConnection.connect(self)
            check(self)
            if self._tunnel_host:
                server_hostname = self._tunnel_host
            else:
                server_hostname = self.host
            self.sock = self._context.wrap_socket(self.sock, server_hostname=server_hostname)

    class GuardedHTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(GuardedHTTPConnection, req)

    class GuardedHTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(GuardedHTTPSConnection, req, context=self._context,
                                check_hostname=self._check_hostname)

    return [GuardedHTTPHandler(), GuardedHTTPSHandler()]
