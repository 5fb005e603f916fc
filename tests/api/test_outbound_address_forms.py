"""Every way of writing a forbidden address is refused: IPv6 forms that carry an IPv4 one
(NAT64, 6to4, mapped, IPv4-compatible), prefixes Python calls public but are not (site-local,
Teredo, local-use NAT64), and IPv4 written in decimal, octal or hex. Each form is refused as
a literal host in a URL, and as what a name resolves to."""
import pytest

from studio.api import outbound
from studio.generation.models import Generation

METADATA = "169.254.169.254"
FORBIDDEN_IPV6 = [
    "64:ff9b::a9fe:a9fe",          # NAT64 of 169.254.169.254: the address Studio connected to
    "64:ff9b::169.254.169.254",
    "64:ff9b::7f00:1",             # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",              # NAT64 of 10.0.0.1
    "64:ff9b:1::a9fe:a9fe",        # local-use NAT64: refused whatever it carries
    "64:ff9b:1::808:808",
    "2002:a9fe:a9fe::1",           # 6to4 of 169.254.169.254
    "2002:7f00:1::",               # 6to4 of 127.0.0.1
    "2002:c0a8:1::1",              # 6to4 of 192.168.0.1
    "::a9fe:a9fe",                 # IPv4-compatible
    "::127.0.0.1",
    "::ffff:169.254.169.254",      # IPv4-mapped
    "::ffff:a00:1",
    "::ffff:0:a9fe:a9fe",          # IPv4-translated
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "fec0::1",                     # site-local
    "fd00:ec2::254", "fc00::1", "fe80::1", "::1", "::", "ff02::1",
    "100::1", "2001:db8::1", "3fff::1", "5f00::1",
]
FORBIDDEN_IPV4 = ["169.254.169.254", "127.0.0.1", "10.1.2.3", "100.64.0.1", "192.0.0.1",
                  "192.88.99.1", "198.18.0.1", "240.0.0.1", "255.255.255.255", "0.0.0.0",
                  "224.0.0.1", "100.100.100.200"]
# 169.254.169.254 and 127.0.0.1 as the C library's inet_aton reads them.
NUMERIC_FORMS = ["2852039166", "0251.0376.0251.0376", "0xa9fea9fe", "0xa9.0xfe.0xa9.0xfe",
                 "169.254.43518", "169.16689662", "0x7f.1", "017700000001", "127.1"]
PUBLIC = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
          "64:ff9b::5db8:d70e",   # NAT64 of 93.184.215.14
          "2002:5db8:d70e::1",    # 6to4 of 93.184.215.14
          "::ffff:93.184.215.14"]


def url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


@pytest.mark.parametrize("address", FORBIDDEN_IPV6 + FORBIDDEN_IPV4)
def test_a_forbidden_address_is_refused_as_a_literal_host(address):
    with pytest.raises(outbound.Blocked):
        outbound.check_url(f"http://{url_host(address)}/latest/meta-data/", "uploadUrl")


@pytest.mark.parametrize("address", FORBIDDEN_IPV6 + FORBIDDEN_IPV4)
def test_a_forbidden_address_is_refused_as_what_a_name_resolves_to(monkeypatch, address):
    monkeypatch.setattr(outbound, "resolve", lambda host, port: [address])
    with pytest.raises(outbound.Blocked):
        outbound.check_url("https://innocent.example/song.mp3", "uploadUrl")


@pytest.mark.parametrize("host", NUMERIC_FORMS)
def test_ipv4_in_decimal_octal_or_hex_is_read_as_the_address_it_is(host):
    with pytest.raises(outbound.Blocked, match=r"169\.254\.169\.254|127\.0\.0\.1"):
        outbound.check_url(f"http://{host}/latest/meta-data/", "uploadUrl")


@pytest.mark.parametrize("address", PUBLIC)
def test_a_public_address_in_any_of_these_forms_is_allowed(address):
    outbound.check_url(f"https://{url_host(address)}/song.mp3", "uploadUrl")


@pytest.mark.parametrize("address", ["64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1",
                                     "fec0::1", "0xa9fea9fe"])
def test_the_transport_refuses_these_forms_before_connecting(address):
    with outbound.client(timeout=2) as http, pytest.raises(outbound.Blocked):
        http.get(f"http://{url_host(address)}/latest/meta-data/")


def test_the_allow_list_admits_the_ipv4_a_nat64_address_carries(settings):
    settings.STUDIO_OUTBOUND_ALLOW = ["10.0.0.0/8"]
    assert outbound.check_host("64:ff9b::a00:1", 80) == "64:ff9b::a00:1"
    with pytest.raises(outbound.Blocked):
        outbound.check_host("64:ff9b::a9fe:a9fe", 80)


@pytest.mark.parametrize("host", ["[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]", "[fec0::1]",
                                  "2852039166"])
def test_an_upload_url_at_such_an_address_is_refused_at_once(api, host):
    answer = api.post("/api/v1/generate/upload-cover", {
        "prompt": "a slow cover", "customMode": False,
        "uploadUrl": f"http://{host}/latest/meta-data/song.mp3"}).json()
    assert answer["code"] == 422 and "private or reserved" in answer["msg"]
    assert not Generation.objects.exists()
