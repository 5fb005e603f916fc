"""Every request Studio makes on a client's behalf (callBackUrl, uploadUrl) goes through here.

A client must not be able to make Studio reach into its own network: a URL whose host
resolves to a private, loopback, link-local, shared, reserved, multicast or cloud-metadata
address is refused unless STUDIO_OUTBOUND_ALLOW lists it. The check happens inside the HTTP
transport, for every request including each redirect hop, and the connection goes to the
very address that was checked (the URL is pinned to it; Host header and TLS SNI keep the
name), so a DNS answer that changes between check and connect cannot get around it.
"""
from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import tempfile
import time
from urllib.parse import unquote, urlsplit

import certifi
import httpcore
import httpx
from django.conf import settings

from studio.generation.uploads import sniff

# Cloud metadata endpoints; most are link-local already, listed so no setting can forget them.
METADATA = {ipaddress.ip_address(a) for a in
            ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2")}
# IPv6 forms that carry an IPv4 address at a known place: the address that is really reached
# is that IPv4 one (through a NAT64 gateway, a 6to4 relay, or a stack that maps it), so it is
# the one judged. Python's is_global calls all of these public, whatever they carry:
# [64:ff9b::a9fe:a9fe] is 169.254.169.254 behind a NAT64 gateway.
NAT64 = ipaddress.ip_network("64:ff9b::/96")        # RFC 6052, well-known prefix
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")      # RFC 4291, deprecated ::a.b.c.d
# Never called, whatever is_global says: prefixes whose IPv4 cannot be read from the address
# alone (local-use NAT64 puts it where the operator chose; Teredo hides it behind a relay and
# a server), or that are not unicast hosts on the internet.
REFUSED = [ipaddress.ip_network(n) for n in (
    "64:ff9b:1::/48",    # RFC 8215 local-use NAT64
    "::ffff:0:0:0/96",   # RFC 2765 IPv4-translated (SIIT)
    "2001::/32",         # Teredo
    "fec0::/10",         # site-local, deprecated but still routed inside some networks
    "fc00::/7", "fe80::/10", "ff00::/8", "100::/64",  # unique-local, link-local, multicast, discard
    "2001:db8::/32", "3fff::/20", "5f00::/16",        # documentation, SRv6 segment ids
    "192.88.99.0/24",    # 6to4 relay anycast, deprecated (RFC 7526)
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4",
    "224.0.0.0/4",
)]
MAX_REDIRECTS = 3
USER_AGENT = "Studio (self-hosted; +https://github.com/)"


class OutboundError(Exception):
    """A URL Studio will not or could not reach. `code` is the API's envelope code."""

    def __init__(self, message: str, *, code: int = 451):
        super().__init__(message)
        self.message, self.code = message, code


class Blocked(OutboundError):
    def __init__(self, message: str):
        super().__init__(message, code=422)


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (a seam tests replace to stage a remote world)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _allow_list():
    names, networks = set(), []
    for entry in settings.STUDIO_OUTBOUND_ALLOW:
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return names, networks


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4, IPv4-compatible)."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # :: and ::1 are not IPv4
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _address_allowed(address: str, networks) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if any(ip in network for network in networks):
        return True
    if isinstance(ip, ipaddress.IPv6Address) and (inner := embedded_ipv4(ip)) is not None:
        return _address_allowed(str(inner), networks)
    if ip in METADATA or any(ip in network for network in REFUSED if network.version == ip.version):
        return False
    return ip.is_global and not ip.is_multicast


def check_host(host: str, port: int, *, lenient: bool = False,
               look_up: bool = True) -> str | None:
    """The address to connect to for `host`, or Blocked.

    `lenient` (at request time, for a callBackUrl): a name that does not resolve yet is let
    through, because it is checked again at delivery; a name that resolves to a forbidden
    address is refused at once. `look_up=False` (lenient, on a create's hot path): a name
    is not resolved at all (None), only judged by its form, and is resolved and checked
    when Studio connects; a literal address or a local name is refused at once.
    """
    host = host.lower().rstrip(".").strip("[]")
    names, networks = _allow_list()
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        if host in ("localhost",) or host.endswith((".localhost", ".local", ".internal")):
            if host not in names:
                raise Blocked(f"{host} is a local name; Studio does not call local "
                              "addresses unless STUDIO_OUTBOUND_ALLOW lists them") from None
        if not look_up:
            return None
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            if lenient:
                return None
            raise OutboundError(f"{host} could not be resolved") from None
    if not addresses:
        if lenient:
            return None
        raise OutboundError(f"{host} could not be resolved")
    if host in names:
        return addresses[0]
    for address in addresses:
        if not _address_allowed(address, networks):
            raise Blocked(f"{host} resolves to {address}, a private or reserved address; "
                          "Studio does not call such addresses unless STUDIO_OUTBOUND_ALLOW "
                          "lists them")
    return addresses[0]


def check_url(url: str, field: str, *, lenient: bool = False, look_up: bool = True) -> None:
    """Refuse a URL that is not http(s) or points at a forbidden address (Blocked); see
    check_host for `lenient` and `look_up`."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Blocked(f"{field} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Blocked(f"{field} must be an http:// or https:// URL")
    if parts.username or parts.password:
        raise Blocked(f"{field} must not carry a user name or password")
    try:
        check_host(parts.hostname, port, lenient=lenient, look_up=look_up)
    except Blocked as error:
        raise Blocked(f"{field}: {error.message}") from None
    except OutboundError as error:
        raise OutboundError(f"Failed to fetch {field}: {error.message}", code=error.code) from None


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every outbound call: making one loads the CA bundle, about 85 ms,
    which per request was most of a vendor callback's cost (an SSLContext may be shared)."""
    return ssl.create_default_context(cafile=certifi.where())


def _inner_transport() -> httpx.BaseTransport:
    """The transport that really connects (a seam tests replace to stage a remote world)."""
    return httpx.HTTPTransport(retries=0, verify=_tls())


def _left(deadline: float, timeout: float | None, error) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the whole exchange took longer than its deadline")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self.stream, self.deadline = stream, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _left(self.deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _left(self.deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        left = _left(self.deadline, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, left),
                               self.deadline)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """Opens connections that must be done by `deadline`.

    httpx's timeouts apply to each single connect, read and write, so a server trickling one
    byte every half second never trips them: one request was held for 111 s with a 60 s
    setting. Cutting every socket operation to the time left bounds the whole exchange,
    headers, body and redirect hops alike."""

    def __init__(self, backend: httpcore.NetworkBackend, deadline: float):
        self.backend, self.deadline = backend, deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        left = _left(self.deadline, timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.backend.connect_tcp(host, port, left, local_address,
                                                        socket_options), self.deadline)

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("Studio does not call Unix sockets")

    def sleep(self, seconds: float) -> None:
        self.backend.sleep(seconds)


class PinnedTransport(httpx.BaseTransport):
    """Checks each request's host and connects to the checked address, keeping the name
    for the Host header and TLS (SNI and certificate verification)."""

    def __init__(self, deadline: float | None = None):
        self.inner = _inner_transport()
        pool = getattr(self.inner, "_pool", None)  # httpx has no public way to pass a backend
        if deadline is not None and pool is not None:
            pool._network_backend = _DeadlineBackend(pool._network_backend, deadline)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise Blocked(f"{url.scheme}: URLs are not fetched")
        address = check_host(url.host, url.port or (443 if url.scheme == "https" else 80))
        request.url = url.copy_with(host=address)
        if url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": url.host}
        return self.inner.handle_request(request)

    def close(self):
        self.inner.close()


def client(timeout: float | httpx.Timeout, *, whole: float | None = None) -> httpx.Client:
    """An HTTP client whose every exchange — connect, redirects, headers, the last byte of
    the body — must be over within `timeout` seconds of the client's making. Given per-phase
    timeouts (a vendor call), the whole exchange gets their sum, or `whole` seconds when
    given (a stream that lasts as long as the song is being made)."""
    if whole is None:
        whole = timeout if isinstance(timeout, int | float) else \
            sum(t for t in (timeout.connect, timeout.read, timeout.write) if t)
    deadline = time.monotonic() + whole
    return httpx.Client(transport=PinnedTransport(deadline), timeout=timeout, follow_redirects=True,
                        max_redirects=MAX_REDIRECTS, headers={"User-Agent": USER_AGENT},
                        trust_env=False)


def fetch_audio(url: str, field: str = "uploadUrl"):
    """Download `url` to a temporary file: (file, name). Capped by STUDIO_UPLOAD_MAX_MB, and
    by STUDIO_FETCH_TIMEOUT for the whole download; refused early when the first bytes are
    not audio."""
    return fetch(url, field, accepts=lambda head: sniff(head) is not None,
                 refusal="is not an audio file Studio reads (MP3, WAV, FLAC, OGG or M4A)")


def fetch(url: str, field: str, *, accepts, refusal: str, limit_mb: int | None = None):
    """Download `url` to a temporary file: (file, name), as `fetch_audio` for any kind of
    file: refused (422, "`field` `refusal`") as soon as its first 16 bytes fail `accepts`,
    capped at `limit_mb` (STUDIO_UPLOAD_MAX_MB when None) and by STUDIO_FETCH_TIMEOUT."""
    limit_mb = limit_mb or settings.STUDIO_UPLOAD_MAX_MB
    limit = limit_mb * 1024 * 1024
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "upload"
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    try:
        with client(timeout=settings.STUDIO_FETCH_TIMEOUT) as http, \
                http.stream("GET", url) as response:
            if response.status_code != 200:
                raise OutboundError(f"Failed to fetch {field}: it answered HTTP "
                                    f"{response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise OutboundError(f"{field} is {int(declared) / 1024 / 1024:.1f} MB; the "
                                    f"limit is {limit_mb} MB", code=413)
            size, head = 0, b""
            for chunk in response.iter_bytes(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise OutboundError(f"{field} is larger than the {limit_mb} MB limit",
                                        code=413)
                if len(head) < 16:
                    head += chunk[:16 - len(head)]
                    if len(head) >= 16 and not accepts(head):
                        raise OutboundError(f"{field} {refusal}", code=422)
                spool.write(chunk)
    except OutboundError:
        spool.close()
        raise
    except httpx.TimeoutException:
        spool.close()
        raise OutboundError(f"Failed to fetch {field}: it took longer than "
                            f"{settings.STUDIO_FETCH_TIMEOUT} s to download") from None
    except httpx.HTTPError as error:
        spool.close()
        raise OutboundError(f"Failed to fetch {field}: {_describe(error)}") from None
    spool.seek(0)
    return spool, name


def _describe(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects"
    return type(error).__name__
