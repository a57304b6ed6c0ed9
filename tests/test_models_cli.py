"""`specc models pull|show|search` against a real loopback server, and lint's use of the catalog file."""

from __future__ import annotations

import json

import pytest

from specc.catalog import load_catalog, today_iso
from tests._catalogs import FIXTURES, fixture_catalog, write_catalog
from conftest import run_cli, shared_path

SPEC = "request:\n  model: {model}\n  messages:\n    - role: user\n      content: Hello\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "chat.yaml").write_text(SPEC.format(model="openai/gpt-4o:nitro"))
    (specs / "cheap.yaml").write_text(SPEC.format(model="deepseek/deepseek-v4.1-flash")
                                      + "  models: [acme/not-listed, '@preset/triage']\n")
    return tmp_path


def _serve_models(httpserver, path: str = "/api/v1/models", text: str | None = None):
    body = text if text is not None else (FIXTURES / "models.json").read_text("utf-8")
    httpserver.expect_request(path).respond_with_data(body, content_type="application/json")
    return httpserver.url_for("/api/v1")


def test_pull_writes_a_sorted_dated_catalog(project, httpserver):
    base = _serve_models(httpserver)
    result = run_cli("models", "pull", "--base-url", base, cwd=project)
    assert result.code == 0, result.err
    path = project / "specc-catalog.json"
    assert f"Wrote {path}: 16 models" in result.out
    catalog = load_catalog(path)
    assert catalog.fetched == today_iso() and catalog.source == base
    assert catalog.models == fixture_catalog(endpoints=False).models
    again = run_cli("models", "pull", "--base-url", base, cwd=project)
    assert again.code == 0 and path.read_text() == catalog.to_text()  # stable: a second pull changes nothing


def test_pull_reads_the_base_url_from_the_environment_like_send(project, httpserver):
    """Issue 14 §7: one server for every command; --base-url still wins, and a bad one is a usage error."""
    base = _serve_models(httpserver)
    result = run_cli("models", "pull", cwd=project, env={"OPENROUTER_BASE_URL": base})
    assert result.code == 0, result.err
    assert load_catalog(project / "specc-catalog.json").source == base
    bad = run_cli("models", "pull", cwd=project, env={"OPENROUTER_BASE_URL": "http://[::1"})
    assert bad.code == 2 and "OPENROUTER_BASE_URL" in bad.err
    flag = run_cli("models", "pull", "--base-url", base, cwd=project, env={"OPENROUTER_BASE_URL": "http://[::1"})
    assert flag.code == 0


def test_pull_the_real_snapshot(project, httpserver):
    text = shared_path("catalog", "models.chlnga-models-pie.2026-06-16.json").read_text("utf-8")
    base = _serve_models(httpserver, text=text)
    assert run_cli("models", "pull", "--base-url", base, cwd=project).code == 0
    assert len(load_catalog(project / "specc-catalog.json").models) == 337


def test_pull_endpoints_of_the_models_the_specs_use(project, httpserver):
    base = _serve_models(httpserver)
    for model_id, name in (("openai/gpt-4o", "endpoints.openai-gpt-4o.json"),
                           ("deepseek/deepseek-v4.1-flash", "endpoints.deepseek-deepseek-v4.1-flash.json")):
        httpserver.expect_request(f"/api/v1/models/{model_id}/endpoints").respond_with_data(
            (FIXTURES / name).read_text("utf-8"), content_type="application/json")
    result = run_cli("models", "pull", "--endpoints", "--base-url", base, cwd=project)
    assert result.code == 0, result.err
    assert "endpoints of 2 models" in result.out
    assert "'acme/not-listed' is not in the model list" in result.err
    catalog = load_catalog(project / "specc-catalog.json")
    assert [e.provider for e in catalog.get("openai/gpt-4o").endpoints] == ["Azure", "OpenAI"]
    assert catalog.get("openai/gpt-4o-mini").endpoints is None  # no spec uses it
    httpserver.check_assertions()


def _old_catalog(project):
    path = write_catalog(project, fixture_catalog("2026-01-01"))
    return path, path.read_text()


@pytest.mark.parametrize("body, message", [
    ('{"data": [{"id": "openai/gpt-4o", "name": "Open', "not complete JSON"),
    ("<html>maintenance</html>", "not complete JSON"),
    ('{"models": []}', "no `data` array"),
    ('{"data": []}', "the model list is empty"),
])
def test_bad_answers_keep_the_old_catalog(project, httpserver, body, message):
    path, before = _old_catalog(project)
    result = run_cli("models", "pull", "--base-url", _serve_models(httpserver, text=body), cwd=project)
    assert result.code == 1
    assert message in result.err and f"{path} was left unchanged" in result.err
    assert path.read_text() == before


def test_truncated_full_snapshot_keeps_the_old_catalog(project, httpserver):
    text = shared_path("catalog", "models.chlnga-models-pie.2026-06-16.json").read_text("utf-8")
    path, before = _old_catalog(project)
    result = run_cli("models", "pull", "--base-url", _serve_models(httpserver, text=text[: len(text) // 2]),
                     cwd=project)
    assert (result.code, path.read_text()) == (1, before)
    assert "truncated or malformed" in result.err


def test_a_bad_endpoints_answer_writes_nothing(project, httpserver):
    path, before = _old_catalog(project)
    base = _serve_models(httpserver)
    httpserver.expect_request("/api/v1/models/openai/gpt-4o/endpoints").respond_with_data("{}")
    httpserver.expect_request("/api/v1/models/deepseek/deepseek-v4.1-flash/endpoints").respond_with_data("{}")
    result = run_cli("models", "pull", "--endpoints", "--base-url", base, cwd=project)
    assert result.code == 1 and "data.endpoints" in result.err
    assert path.read_text() == before


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_http_error_and_unreachable_server(project, httpserver):
    httpserver.expect_request("/api/v1/models").respond_with_data("busy", status=503)
    result = run_cli("models", "pull", "--base-url", httpserver.url_for("/api/v1"), cwd=project)
    assert result.code == 1 and "answered HTTP 503: busy" in result.err
    down = run_cli("models", "pull", "--base-url", f"http://127.0.0.1:{_closed_port()}/api/v1", cwd=project)
    assert down.code == 3 and "cannot fetch" in down.err
    assert not (project / "specc-catalog.json").exists() and "no catalog was written" in down.err


# ---------------------------------------------------------------------------- show and search


def test_show_a_model(project):
    write_catalog(project)
    result = run_cli("models", "show", "openai/gpt-4o:nitro", cwd=project)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "openai/gpt-4o  (OpenAI: GPT-4o)  [catalog of 2026-09-01]"
    assert "  context:     128,000 tokens" in lines
    assert "  prices:      prompt $2.5/M, completion $10/M" in lines
    assert "  input:       file, image, text" in lines
    assert any(line.startswith("    Azure (azure): context 128,000") and "lacks max_tokens" in line for line in lines)


def test_show_reasoning_and_dynamic_prices(project):
    write_catalog(project)
    deepseek = run_cli("models", "show", "deepseek/deepseek-v4.1-flash", cwd=project).out
    assert "  reasoning:   mandatory: no; efforts: high, low, max; default: high" in deepseek
    auto = run_cli("models", "show", "openrouter/auto", cwd=project).out
    assert "prompt dynamic, completion dynamic" in auto and "not pulled" in auto


def test_show_unknown_suggests(project):
    write_catalog(project)
    result = run_cli("models", "show", "anthropic/claude-sonet-4.5", cwd=project)
    assert result.code == 1 and "did you mean 'anthropic/claude-sonnet-4.5'" in result.err


def test_search(project):
    write_catalog(project)
    result = run_cli("models", "search", "llama", "free", cwd=project)
    assert result.code == 0
    assert result.out.split()[:4] == ["meta-llama/llama-3.3-70b-instruct:free", "131,072", "$0/M", "in,"]
    assert run_cli("models", "search", "nothing-like-this", cwd=project).code == 1


def test_show_without_a_catalog_is_a_usage_error(project):
    result = run_cli("models", "show", "openai/gpt-4o", cwd=project)
    assert result.code == 2 and "run `specc models pull` first" in result.err


def test_models_needs_an_action(project):
    result = run_cli("models", cwd=project)
    assert result.code == 2 and "pull, show MODEL or search WORDS" in result.err


def test_configured_catalog_location(project, httpserver):
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n[tool.specc]\ncatalog = 'ops/models.json'\n")
    (project / "ops").mkdir()
    assert run_cli("models", "pull", "--base-url", _serve_models(httpserver), cwd=project).code == 0
    assert (project / "ops" / "models.json").is_file() and not (project / "specc-catalog.json").exists()
    assert run_cli("models", "show", "openai/o3", cwd=project).code == 0


# ---------------------------------------------------------------------------- lint with the catalog


def test_lint_typo_is_an_error_with_the_suggestion(project):
    write_catalog(project, fixture_catalog(today_iso()))
    (project / "specs" / "typo.yaml").write_text(SPEC.format(model="openai/gpt-4o-mnii"))
    result = run_cli("lint", "specs/typo.yaml", cwd=project, env={"NO_COLOR": "1"})
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "specs/typo.yaml:2:10: OR117 'openai/gpt-4o-mnii' is not a model in the catalog of "
        f"{today_iso()}; did you mean 'openai/gpt-4o-mini' or 'openai/gpt-4o' or 'openai/gpt-3.5-turbo'?")
    assert result.err == ""  # a fresh catalog: nothing to say about it


def test_lint_without_a_catalog_skips_catalog_rules_and_says_so_once(project):
    (project / "specs" / "typo.yaml").write_text(SPEC.format(model="openai/gpt-4o-mnii"))
    result = run_cli("lint", "specs", cwd=project)
    assert result.code == 0 and "OR117" not in result.out
    assert result.err.count("catalog checks skipped") == 1
    quiet = run_cli("lint", "--quiet", "specs", cwd=project)
    assert quiet.err == ""
    selected = run_cli("lint", "--select", "OR2", "specs", cwd=project)
    assert selected.err == ""  # no catalog rule selected: nothing was skipped


def test_lint_with_an_old_catalog_warns_once(project):
    write_catalog(project, fixture_catalog("2020-01-01"))
    result = run_cli("lint", "specs", "--format", "json", cwd=project)
    assert result.err.count("warning: the model catalog specc-catalog.json is") == 1
    assert "catalog-max-age-days = 30" in result.err
    assert json.loads(result.out)["summary"]["files"] == 2
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n[tool.specc]\ncatalog-max-age-days = 100000\n")
    assert run_cli("lint", "specs", cwd=project).err == ""


def test_lint_with_a_broken_catalog_is_a_clear_usage_error(project):
    (project / "specc-catalog.json").write_text('{"specc_catalog": 1, "models": ')
    result = run_cli("lint", "specs", cwd=project)
    assert result.code == 2 and "specc-catalog.json: not valid JSON" in result.err
    assert "Traceback" not in result.err


def test_lint_never_imports_httpx_even_with_a_catalog(project):
    import subprocess
    import sys

    write_catalog(project)
    code = ("import sys; from specc.cli import main; main(['lint', 'specs']); "
            "print(sorted(m for m in ('httpx', 'vcr') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_connection_cut_mid_body_keeps_the_old_catalog(project):
    """A real server that promises more bytes than it sends, then closes the connection."""
    import socket
    import threading

    body = (FIXTURES / "models.json").read_bytes()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve_once():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])

    server = threading.Thread(target=serve_once)
    server.start()
    path, before = _old_catalog(project)
    try:
        result = run_cli("models", "pull", "--base-url", f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1",
                         cwd=project)
    finally:
        server.join()
        listener.close()
    assert result.code == 3 and "the response was cut off" in result.err
    assert f"{path} was left unchanged" in result.err and path.read_text() == before


def test_the_fetch_is_a_library_call_that_writes_nothing(project, httpserver):
    """`specc.catalog_fetch` does what `pull --endpoints` does, without the command: it returns the catalog,
    tells `on_unknown` the ids it does not know, and leaves the project as it was."""
    from specc.catalog_fetch import PullError, fetch_catalog, project_models
    from specc.config import load_config

    base = _serve_models(httpserver)
    httpserver.expect_request("/api/v1/models/openai/gpt-4o/endpoints").respond_with_data(
        (FIXTURES / "endpoints.openai-gpt-4o.json").read_text("utf-8"), content_type="application/json")
    httpserver.expect_request("/api/v1/models/deepseek/deepseek-v4.1-flash/endpoints").respond_with_data(
        (FIXTURES / "endpoints.deepseek-deepseek-v4.1-flash.json").read_text("utf-8"), content_type="application/json")
    config = load_config(project / "pyproject.toml")
    unknown: list[str] = []
    catalog = fetch_catalog(base, config, on_unknown=unknown.append)
    assert unknown == ["acme/not-listed"] and not (project / "specc-catalog.json").exists()
    assert [e.provider for e in catalog.get("openai/gpt-4o").endpoints] == ["Azure", "OpenAI"]
    assert project_models(config, catalog) == (["deepseek/deepseek-v4.1-flash", "openai/gpt-4o"], ["acme/not-listed"])
    with pytest.raises(PullError, match="nowhere/models answered HTTP 500") as failed:
        fetch_catalog(httpserver.url_for("/nowhere"))  # pytest-httpserver answers 500 to what it was not told
    assert failed.value.network is False


def test_the_models_of_every_matrix_variant_are_the_projects(project):
    """A matrix spec requests the models of all its variants, not only what `request:` says."""
    from _catalogs import fixture_catalog

    from specc.catalog_fetch import project_models
    from specc.config import load_config

    (project / "specs" / "chat.yaml").unlink()
    (project / "specs" / "cheap.yaml").unlink()
    (project / "specs" / "compare.yaml").write_text(
        "matrix:\n  request.model: [openai/gpt-4o, deepseek/deepseek-v4.1-flash, acme/not-listed]\n"
        "request:\n  messages: [{role: user, content: hi}]\n")
    found, unknown = project_models(load_config(project / "pyproject.toml"), fixture_catalog())
    assert found == ["deepseek/deepseek-v4.1-flash", "openai/gpt-4o"] and unknown == ["acme/not-listed"]
