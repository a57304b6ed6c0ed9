"""`specc.load_spec`: the spec an application loads is the one `specc compile` compiles, checked the same way."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import specc
from conftest import REPO, SPECS, run_cli
from specc.load import is_spec_text
from specc.runtime import LoadedSpec, SpecError, checker_for, default_checker

GREETING = """\
vars:
  customer: friend
  effort: low
request:
  model: openai/gpt-4o
  reasoning: {effort: "{{ effort }}"}
  messages:
    - role: system
      content: "You answer for {{ tenant }}."
    - role: user
      content: "Hello, I am {{ customer }}."
"""


def example_specs():
    return sorted(p for p in SPECS.glob("**/*.yaml") if is_spec_text(p.read_text("utf-8")))


@pytest.mark.parametrize("path", example_specs(), ids=lambda p: p.relative_to(SPECS).as_posix())
def test_body_is_what_specc_compile_prints(path):
    result = run_cli("compile", str(path))
    if result.code == 2 and "is a matrix spec" in result.err:  # each variant, by its id
        lines = [json.loads(line) for line in run_cli("compile", "--all", str(path)).out.splitlines()]
        assert lines and all(specc.load_spec(path, variant=line["variant"]).body == line["body"] for line in lines)
        with pytest.raises(specc.SpecError, match="a matrix spec of"):
            specc.load_spec(path)
        return
    assert result.code == 0, result.err
    assert specc.load_spec(path).body == json.loads(result.out)


def test_vars_fill_placeholders_like_the_cli(write_spec):
    path = write_spec(GREETING)
    loaded = specc.load_spec(path, vars={"tenant": "Acme"})
    cli = run_cli("compile", str(path), "--var", "tenant=Acme")
    assert loaded.body == json.loads(cli.out)
    assert loaded.body["messages"][0]["content"] == "You answer for Acme."
    assert loaded.body["messages"][1]["content"] == "Hello, I am friend."


def test_compile_again_reads_no_file_and_layers_the_vars(write_spec):
    path = write_spec(GREETING)
    loaded = specc.load_spec(path, vars={"tenant": "Acme"})
    path.unlink()  # compiling again must not need the file
    body = loaded.compile(vars={"customer": "Ada", "effort": "high"})
    assert body["messages"][0]["content"] == "You answer for Acme."  # the load-time var stays
    assert body["messages"][1]["content"] == "Hello, I am Ada."
    assert body["reasoning"] == {"effort": "high"}
    again = loaded.with_vars(customer="Grace")
    assert isinstance(again, LoadedSpec) and again.body["messages"][1]["content"] == "Hello, I am Grace."
    assert loaded.body["messages"][1]["content"] == "Hello, I am friend."  # the original is unchanged


def test_changing_a_body_does_not_change_the_next(write_spec):
    loaded = specc.load_spec(write_spec(GREETING), vars={"tenant": "Acme"})
    first = loaded.compile()
    first["messages"].append({"role": "user", "content": "more"})
    loaded.body["messages"][0]["content"] = "changed"
    assert loaded.compile() == specc.load_spec(loaded.path, vars={"tenant": "Acme"}).body


def test_a_placeholder_is_never_loaded_literally_but_an_escaped_one_is(write_spec):
    path = write_spec("request:\n  model: m/x\n  messages: [{role: user, content: 'keep {{ this }}'}]\n")
    with pytest.raises(SpecError) as caught:
        specc.load_spec(path)
    assert [d.code for d in caught.value.diagnostics] == ["E004"]
    assert specc.load_spec(path, {"this": "it"}).body["messages"][0]["content"] == "keep it"
    path.write_text(path.read_text().replace("{{ this", "\\{{ this"))
    assert specc.load_spec(path).body["messages"][0]["content"] == "keep {{ this }}"


def test_errors_raise_spec_error_with_positions(write_spec):
    path = write_spec("request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  temperature: hot\n")
    with pytest.raises(SpecError) as caught:
        specc.load_spec(path)
    error = caught.value
    assert [d.code for d in error.diagnostics] == ["S101"]
    assert str(error).startswith(f"{path}: 1 error\n{path}:4:16: S101 request.temperature")


def test_unresolved_placeholder_at_load(write_spec):
    path = write_spec(GREETING)
    with pytest.raises(SpecError) as caught:
        specc.load_spec(path)
    assert f"{path}:9:32: E004 unresolved placeholder {{{{ tenant }}}}" in str(caught.value)


def test_compile_checks_the_schema(write_spec):
    loaded = specc.load_spec(write_spec(GREETING), vars={"tenant": "Acme"})
    with pytest.raises(SpecError, match=r":6:23: S101 request\.reasoning\.effort"):
        loaded.compile(vars={"effort": "hihg"})  # a typo of 'high'
    assert loaded.compile(vars={"effort": "hihg"}, validate=False)["reasoning"] == {"effort": "hihg"}
    # a level newer than the vendored schema is S103, a warning: compiled, as lint lets it pass
    assert loaded.compile(vars={"effort": "extreme"})["reasoning"] == {"effort": "extreme"}


def test_env_placeholders_resolve_per_compile(write_spec, monkeypatch):
    monkeypatch.setenv("SPECC_TENANT", "Acme")
    loaded = specc.load_spec(write_spec(GREETING.replace("{{ tenant }}", "{{ env.SPECC_TENANT }}")))
    assert loaded.compile(environ={"SPECC_TENANT": "Initech"})["messages"][0]["content"] == "You answer for Initech."
    with pytest.raises(SpecError, match="environment variable SPECC_TENANT is not set"):
        loaded.compile(environ={})


def test_spec_error_text_never_holds_the_key(write_spec, monkeypatch):
    key = "plain-looking-key-4f9a2c"  # not key-shaped: only its being OPENROUTER_API_KEY makes it secret
    monkeypatch.setenv("OPENROUTER_API_KEY", key)
    path = write_spec(f"request:\n  model: openai/gpt-4o\n  messages: [{{role: user, content: hi}}]\n  temperature: {key}\n")
    with pytest.raises(SpecError) as caught:
        specc.load_spec(path)
    assert any(key in d.message for d in caught.value.diagnostics)  # the schema message quotes the value...
    assert key not in str(caught.value)  # ...the exception text does not


def test_warnings_do_not_stop_loading(write_spec):
    path = write_spec("request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n  frobnicate: 1\n")
    loaded = specc.load_spec(path)
    assert loaded.body["frobnicate"] == 1
    assert [d.code for d in loaded.warnings] == ["S102"]


def test_headers_merge_config_and_spec(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specc]\nhttp-referer = "https://acme.example"\ntitle = "Acme"\n')
    path = tmp_path / "spec.yaml"
    path.write_text("headers: {X-OpenRouter-Title: Acme Support}\n"
                    "request:\n  model: openai/gpt-4o\n  messages: [{role: user, content: hi}]\n")
    default_checker.cache_clear()  # a config written by this test
    loaded = specc.load_spec(path)
    assert loaded.headers == {"HTTP-Referer": "https://acme.example", "X-OpenRouter-Title": "Acme Support"}
    assert loaded.name == "spec" and loaded.endpoint == "chat/completions"


def test_the_checker_is_built_once_and_can_be_passed(write_spec, checker):
    first = specc.load_spec(write_spec(GREETING, "a.yaml"), vars={"tenant": "x"})
    second = specc.load_spec(write_spec(GREETING, "b.yaml"), vars={"tenant": "x"})
    assert first.checker is second.checker is checker_for(first.path)
    mine = specc.load_spec(write_spec(GREETING, "c.yaml"), vars={"tenant": "x"}, checker=checker)
    assert mine.checker is checker


def test_public_names_and_no_network_imports(tmp_path):
    assert specc.load_spec is specc.runtime.load_spec
    assert {"load_spec", "LoadedSpec", "SpecError", "to_openai_kwargs", "to_httpx_request"} <= set(dir(specc))
    code = ("import json, sys, specc; specc.load_spec(sys.argv[1]); "
            "print(json.dumps(sorted(m for m in ('httpx', 'vcr', 'openai', 'openrouter') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code, str(SPECS / "quick-answer-nitro.yaml")],
                         capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert json.loads(out) == []  # loading a spec pulls in no client library


def test_var_values_are_written_as_in_yaml(write_spec):
    path = write_spec('vars: {n: 1, flag: false}\nrequest:\n  model: m/x\n'
                      '  messages: [{role: user, content: "{{ n }} {{ flag }} {{ ratio }}"}]\n')
    body = specc.load_spec(path, vars={"n": 3, "flag": True, "ratio": 0.5}).body
    assert body["messages"][0]["content"] == "3 true 0.5"


@pytest.mark.parametrize("text, code", [
    (None, "E001"),                                  # no such file
    ("just: a mapping\n", "E006"),                   # no request:
    ("request:\n  model: [unclosed\n", "E001"),      # YAML syntax
    ("reqest:\n  model: m/x\n", "E002"),             # a misspelt key
])
def test_unusable_files_raise_one_clear_spec_error(write_spec, tmp_path, text, code):
    path = write_spec(text) if text is not None else tmp_path / "missing.yaml"
    with pytest.raises(SpecError) as caught:
        specc.load_spec(path)
    assert [d.code for d in caught.value.diagnostics] == [code]
    assert f" {code} " in str(caught.value)


def test_the_package_declares_its_types():
    # PEP 561: without the marker, an application's type checker ignores LoadedSpec's annotations.
    from importlib import resources

    assert resources.files("specc").joinpath("py.typed").is_file()


def test_every_exception_the_api_raises_on_purpose_is_a_speccerror_exported_at_the_top(write_spec, tmp_path):
    """Issue 16: one base class to catch, and each public exception importable from `specc`."""
    names = ["CassetteError", "CatalogError", "ConfigError", "MissingAPIKeyError", "PathError", "SchemaError",
             "SpecError", "VendorError"]
    assert all(issubclass(getattr(specc, name), specc.SpeccError) for name in names)
    assert set(names) | {"SpeccError"} <= set(specc.__all__)
    assert issubclass(specc.MissingAPIKeyError, ValueError)  # what it was before: callers catching ValueError keep working
    with pytest.raises(specc.SpeccError):
        specc.load_spec(write_spec("request: {model: m, messages: [{role: user, content: hi}], temperature: hot}\n"))
    with pytest.raises(specc.SpeccError):
        specc.to_httpx_request({"model": "m", "messages": []}, environ={})
