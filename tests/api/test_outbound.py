"""Which addresses Studio will call on a client's behalf."""
import pytest

from studio.api import outbound


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.0.8", "172.16.5.4", "192.168.0.1",
                                  "169.254.169.254", "100.100.100.200", "0.0.0.0", "::1",
                                  "fd00:ec2::254", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1",
                                  "localhost", "db.internal"])
def test_private_and_metadata_addresses_are_refused(host):
    with pytest.raises(outbound.Blocked):
        outbound.check_host(host, 80)


def test_a_public_address_is_allowed():
    assert outbound.check_host("93.184.215.14", 443) == "93.184.215.14"


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["8.8.8.8", "10.0.0.1"])
    with pytest.raises(outbound.Blocked):
        outbound.check_host("sneaky.example", 80)


@pytest.mark.parametrize("allow", [["127.0.0.1"], ["127.0.0.0/8"], ["localhost"]])
def test_the_allow_list_admits_addresses_networks_and_names(settings, allow):
    settings.STUDIO_OUTBOUND_ALLOW = allow
    host = "localhost" if allow == ["localhost"] else "127.0.0.1"
    assert outbound.check_host(host, 80) == "127.0.0.1"


def test_lenient_check_lets_an_unresolvable_callback_through():
    assert outbound.check_host("no-such-host.invalid", 80, lenient=True) is None
    with pytest.raises(outbound.OutboundError):
        outbound.check_host("no-such-host.invalid", 80)


def test_the_connection_is_pinned_and_redirects_are_checked(monkeypatch):
    import httpx
    seen = []

    def handler(request):
        seen.append((str(request.url), request.headers["Host"]))
        if request.url.path == "/first":
            return httpx.Response(302, headers={"Location": "http://10.0.0.5/second"})
        return httpx.Response(200)

    monkeypatch.setattr(outbound, "resolve", lambda host, port: ["93.184.215.14"])
    monkeypatch.setattr(outbound, "_inner_transport", lambda: httpx.MockTransport(handler))
    with outbound.client(timeout=5) as http, pytest.raises(outbound.Blocked):
        http.get("http://files.example/first")
    assert seen == [("http://93.184.215.14/first", "files.example")]
