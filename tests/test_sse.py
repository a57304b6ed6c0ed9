"""The SSE parser: comments, multi-line data, [DONE], error chunks, malformed data, any split of the bytes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.sse import Chunk, Done, Malformed, SSEParser, StreamError, classify, parse_events

STREAM = (
    b": OPENROUTER PROCESSING\n\n"
    b'data: {"id":"gen-1","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n'
    b": OPENROUTER PROCESSING\n\n"
    b'data: {"id":"gen-1","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n'
    b"data: [DONE]\n\n"
)


def test_comments_are_ignored_and_done_is_typed():
    parser = SSEParser()
    events = parser.feed(STREAM) + parser.close()
    assert [type(e) for e in events] == [Chunk, Chunk, Done]
    assert [e.data["choices"][0]["delta"]["content"] for e in events[:2]] == ["Hel", "lo"]
    assert parser.comments == 2


def test_multi_line_data_is_joined_with_newlines():
    events = list(parse_events([b'data: {"a":\ndata: 1}\n\n']))
    assert events == [Chunk({"a": 1})]
    assert list(parse_events([b"data: line one\ndata: line two\n\n"])) == [
        Malformed("line one\nline two", events_reason("line one\nline two"))]


def events_reason(data: str) -> str:
    event = classify(data)
    assert isinstance(event, Malformed)
    return event.reason


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_every_line_ending(newline):
    text = STREAM.replace(b"\n", newline)
    assert [type(e) for e in parse_events([text])] == [Chunk, Chunk, Done]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=12), st.sampled_from([b"\n", b"\r\n", b"\r"]))
def test_any_split_of_the_bytes_gives_the_same_events(cuts, newline):
    text = STREAM.replace(b"\n", newline)
    bounds = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    assert list(parse_events(pieces)) == list(parse_events([text]))


def test_split_inside_a_multibyte_character():
    raw = 'data: {"content":"héllo ✓"}\n\n'.encode()
    cut = raw.index("✓".encode()) + 1
    assert list(parse_events([raw[:cut], raw[cut:]])) == [Chunk({"content": "héllo ✓"})]


def test_mid_stream_error_chunk_is_typed_with_code_message_and_metadata():
    chunk = {"id": "gen-1", "error": {"code": 400, "message": "Provider returned error",
                                      "metadata": {"provider_name": "Anthropic"}},
             "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": None}]}
    [event] = parse_events([f"data: {json.dumps(chunk)}\n\n".encode()])
    assert isinstance(event, StreamError)
    assert (event.code, event.message, event.metadata) == (400, "Provider returned error", {"provider_name": "Anthropic"})
    assert event.chunk == chunk


def test_an_error_that_is_a_plain_string_is_still_an_error():
    [event] = parse_events([b'data: {"error": "overloaded"}\n\n'])
    assert isinstance(event, StreamError) and event.message == "overloaded" and event.code is None


@pytest.mark.parametrize("data, reason", [("{not json", "not JSON"), ("[1, 2]", "a JSON list, not an object"),
                                          ('"text"', "a JSON str, not an object")])
def test_malformed_data(data, reason):
    [event] = parse_events([f"data: {data}\n\n".encode()])
    assert isinstance(event, Malformed) and event.data == data and event.reason.startswith(reason)


def test_last_event_without_blank_line_is_dispatched_at_close():
    assert list(parse_events([b"data: [DONE]"])) == [Done()]


def test_fields_other_than_data_and_lines_without_colon_are_ignored():
    text = b"event: message\nid: 7\nretry: 100\nnonsense\ndata: {\"x\": 1}\n\n"
    assert list(parse_events([text])) == [Chunk({"x": 1})]


def test_data_without_space_after_colon():
    assert list(parse_events([b'data:{"x":1}\n\ndata:[DONE]\n\n'])) == [Chunk({"x": 1}), Done()]


def test_only_comments_give_no_events():
    assert list(parse_events([b": ping\n\n: ping\n\n"])) == []


def test_assembler_builds_every_choice_but_reports_only_the_first_live():
    from specc.sse import StreamAssembler

    assembler = StreamAssembler()
    live = []
    for index, text in ((0, "a"), (1, "B"), (0, "b"), (1, "C")):
        live += assembler.add({"id": "gen-1", "choices": [{"index": index, "delta": {"content": text}}]})
    assert live == [("content", "a"), ("content", "b")]
    choices = assembler.response()["choices"]
    assert [c["message"]["content"] for c in choices] == ["ab", "BC"]
