"""What keeps the rules cheap must never change what they find.

`Rule.request_keys` lets the checker skip a rule on a body without those keys, and
`RuleContext.conversation` walks the messages once for every rule: both are checked
here against every case file, every rule's documented examples and bodies that
violate the schema in the places the shared views read.
"""

from __future__ import annotations

import pytest

from specc.rules import RuleContext, all_rules
from specc.rules._messages import Conversation, content_parts, messages, role, tool_calls
from tests._catalogs import fixture_catalog

from ._harness import CASES, lint_case
from conftest import SPECS

RULES = all_rules()
KEYED_RULES = [rule for rule in RULES if rule.request_keys]


@pytest.fixture(scope="module")
def catalog():
    return fixture_catalog()


@pytest.fixture(scope="module")
def compiled_cases(checker, write_spec_module):
    """(name, spec, document, body) for every case file and every rule's Example and Fix that compiles."""
    found = []
    for path in sorted(CASES.glob("*/*.yaml")):
        result = lint_case(checker, path)
        if result.body is not None:
            found.append((path.relative_to(CASES).as_posix(), result.spec, result.document, result.body))
    for rule in RULES:
        for section in ("Example", "Fix"):
            result = checker.check_path(write_spec_module(rule.example(section), f"{rule.code}_{section}.yaml"))
            if result.body is not None:
                found.append((f"{rule.code} {section}", result.spec, result.document, result.body))
    for path in sorted(SPECS.rglob("*.yaml")):
        result = checker.check_path(path)
        if result.body is not None:
            found.append((path.relative_to(SPECS).as_posix(), result.spec, result.document, result.body))
    assert len(found) > 200
    return found


@pytest.fixture(scope="module")
def write_spec_module(tmp_path_factory):
    folder = tmp_path_factory.mktemp("examples")
    (folder / "pyproject.toml").write_text("[project]\nname = 'examples'\n")

    def write(text: str, name: str):
        path = folder / name
        path.write_text(text)
        return path

    return write


def _findings(rule, body, spec=None, doc=None, catalog=None) -> list:
    return list(rule().check(RuleContext(body=body, spec=spec, doc=doc, catalog=catalog)))


# ---------------------------------------------------------------------------- request_keys


def test_request_keys_are_names_not_a_string():
    for rule in RULES:
        assert isinstance(rule.request_keys, tuple), rule.code
        assert all(isinstance(key, str) and key for key in rule.request_keys), rule.code


@pytest.mark.parametrize("rule", KEYED_RULES, ids=lambda r: r.code)
def test_rule_is_silent_without_its_request_keys(rule, compiled_cases, catalog):
    """The checker skips a rule whose keys are all absent: it must have had nothing to say there."""
    fired_somewhere = False
    for name, spec, doc, body in compiled_cases:
        fired_somewhere = fired_somewhere or bool(_findings(rule, body, spec, doc, catalog))
        without = {key: value for key, value in body.items() if key not in rule.request_keys}
        for with_catalog in (None, catalog):
            assert _findings(rule, without, spec, doc, with_catalog) == [], \
                f"{rule.code} fires on {name} without any of {rule.request_keys}"
    assert fired_somewhere, f"{rule.code} fired on none of the cases: the check above proved nothing"


# ---------------------------------------------------------------------------- the shared conversation


ODD_MESSAGES = [
    None, "hello", 3, {"role": "user"}, [],
    [None, 1, "x", [], {}],
    [{"role": 5, "content": 7}, {"role": None, "content": None}, {"role": ["user"], "content": {}}],
    [{"role": "user", "content": [None, 1, "text", [], {"type": None}, {"type": 3}, {"type": {}},
                                  {"type": ["image_url"]}, {"type": "image_url"}, {"text": "no type"}]}],
    [{"role": "system", "content": [{"type": "image_url", "image_url": "x"}, "text", {"type": "text"}]}],
    [{"role": "assistant", "tool_calls": "x"}, {"role": "assistant", "tool_calls": [None, 1, {}]},
     {"role": "user", "tool_calls": [{"id": "a"}]}, {"role": "tool", "tool_call_id": {}, "content": [{}]}],
    [{"role": "tool", "tool_call_id": "a"}, {"role": "assistant", "tool_calls": [{"id": 1, "function": []}]},
     {"role": "tool", "tool_call_id": "b", "content": [{"type": "input_video", "cache_control": "x"}]}],
    [{"role": "user", "content": [{"type": "video_url", "video_url": {"url": 5}},
                                  {"type": "input_audio", "input_audio": {"data": ["https://x"]}},
                                  {"type": "image_url", "cache_control": {"type": "ephemeral", "ttl": []}},
                                  {"type": "text", "prompt_cache_breakpoint": {}}]}],
]
ODD_EXTRAS = [
    {},
    {"model": "anthropic/claude-sonnet-4.5", "models": ["google/gemini-2.5-pro", "openai/gpt-4o"],
     "tools": [None, "x", {"type": "function", "cache_control": {"type": "ephemeral"}}],
     "provider": {"order": ["google-vertex", 3], "only": "x"}, "plugins": [None, {"id": {}}],
     "cache_control": {"type": "ephemeral"}},
    {"model": "deepseek/deepseek-v3.2", "provider": {"order": 5, "only": True}, "cache_control": {}},
    {"model": {"id": "x"}, "models": "x", "tools": "x", "plugins": "x", "provider": "x", "cache_control": []},
]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_no_rule_crashes_on_malformed_messages(rule, catalog):
    for messages_value in ODD_MESSAGES:
        for extra in ODD_EXTRAS:
            body = {**extra, "messages": messages_value}
            for with_catalog in (None, catalog):
                for finding in _findings(rule, body, catalog=with_catalog):
                    assert isinstance(finding.pointer, tuple) and finding.message


@pytest.mark.parametrize("messages_value", ODD_MESSAGES, ids=range(len(ODD_MESSAGES)))
def test_conversation_holds_what_the_helpers_walk(messages_value):
    body = {"messages": messages_value}
    conversation = Conversation(body)
    walked = messages(body)
    assert conversation.messages == walked
    assert conversation.roles == {role(message) for _, message in walked}
    assert conversation.parts == [(i, j, part) for i, message in walked for j, part in content_parts(message)]
    assert conversation.tool_calls == [(i, k, call) for i, message in walked for k, call in tool_calls(message)]
    for kind in ("text", "image_url", "input_video", "file"):
        assert conversation.parts_of_type(kind) == [(i, j, part) for i, j, part in conversation.parts
                                                    if part.get("type") == kind]
    for who in ("system", "tool", "assistant"):
        assert conversation.with_role(who) == [(i, m) for i, m in walked if m.get("role") == who]


@pytest.mark.parametrize("value", [None, "x", 3, {"id": "web"}, [], [None, 1, "web", [], {}, {"id": "web"}, {"type": 3}]])
def test_tools_and_plugins_views_keep_the_mappings_with_their_index(value):
    ctx = RuleContext(body={"tools": value, "plugins": value})
    expected = [(index, item) for index, item in enumerate(value if isinstance(value, list) else [])
                if isinstance(item, dict)]
    assert ctx.tools == expected and ctx.plugins == expected


@pytest.mark.parametrize("view", ["conversation", "tools", "plugins"])
def test_views_are_built_once_per_context(view):
    ctx = RuleContext(body={"messages": [{"role": "user", "content": "hi"}], "tools": [{}], "plugins": [{}]})
    assert getattr(ctx, view) is getattr(ctx, view)
    assert getattr(RuleContext(body=ctx.body), view) is not getattr(ctx, view)
