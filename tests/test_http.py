"""`specc.http`: the one client policy (no redirects, no environment, explicit timeouts) and its callers."""

from __future__ import annotations

import httpx
import pytest

from specc import http
from specc.send import SendOptions
from specc.send import make_client as send_client
from specc.vendor import VendorError, read_source


def test_the_policy_follows_no_redirect_and_ignores_the_environment(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    with http.make_client(7.0, headers={"User-Agent": "specc/test"}) as client:
        assert client.follow_redirects is False
        assert client.timeout == httpx.Timeout(7.0)
        assert client.headers["user-agent"] == "specc/test"
        assert not client._mounts  # no proxy mounted from HTTPS_PROXY


def test_a_redirect_is_answered_not_followed():
    seen = []

    def handler(request):
        seen.append(request.url)
        return httpx.Response(302, headers={"Location": "https://elsewhere.example/"})

    with http.make_client(5.0, transport=httpx.MockTransport(handler)) as client:
        response = client.get("https://openrouter.ai/api/v1/models")
    assert response.status_code == 302 and len(seen) == 1


def test_send_uses_the_policy_with_its_own_timeouts():
    options = SendOptions(connect_timeout=3.0, read_timeout=9.0)
    with send_client(options) as client:
        assert client.follow_redirects is False and not client._mounts
        assert client.timeout == httpx.Timeout(connect=3.0, read=9.0, write=9.0, pool=3.0)


def _serve(monkeypatch, handler):
    real = http.make_client
    monkeypatch.setattr(http, "make_client",
                        lambda timeout, transport=None, headers=None: real(timeout, httpx.MockTransport(handler), headers))


def test_vendor_reads_an_https_source_through_the_policy(monkeypatch):
    _serve(monkeypatch, lambda request: httpx.Response(200, content=b'{"openapi": "3.1.0"}'))
    assert read_source("https://openrouter.ai/openapi.json") == b'{"openapi": "3.1.0"}'


def test_vendor_names_a_redirect_instead_of_following_it(monkeypatch):
    _serve(monkeypatch, lambda request: httpx.Response(301, headers={"Location": "https://cdn.example/openapi.json"}))
    with pytest.raises(VendorError, match=r"redirects \(HTTP 301\) to https://cdn.example/openapi.json"):
        read_source("https://openrouter.ai/openapi.json")


def test_vendor_reports_an_error_status(monkeypatch):
    _serve(monkeypatch, lambda request: httpx.Response(404))
    with pytest.raises(VendorError, match="could not fetch https://openrouter.ai/openapi.json"):
        read_source("https://openrouter.ai/openapi.json")
