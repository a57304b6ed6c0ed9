"""`!data-url` and `!base64`: local media embedded in specs, typed by content, under !file's path rules."""

from __future__ import annotations

import base64
import json
import os
import struct
import sys
import zlib

import pytest

from conftest import run_cli
from specc.media import media_type, sniff


def tiny_png() -> bytes:
    """A real 1x1 PNG: signature, IHDR, IDAT, IEND with correct CRCs."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def tiny_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def tiny_wav() -> bytes:
    """A 44-byte WAV header plus two silent 16-bit mono samples at 8 kHz."""
    samples = b"\x00\x00\x00\x00"
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    return (b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", len(samples)) + samples)


SIGNED = [
    (tiny_png(), "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00", "image/gif"),
    (b"GIF87a\x01\x00\x01\x00", "image/gif"),
    (b"RIFF\x1a\x00\x00\x00WEBPVP8 ", "image/webp"),
    (tiny_pdf(), "application/pdf"),
    (tiny_wav(), "audio/wav"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
    (b"\xff\xfb\x90\x64\x00", "audio/mpeg"),  # a bare MPEG-1 layer III frame
    (b"\xff\xf1\x50\x80\x00", "audio/aac"),  # ADTS
    (b"OggS\x00\x02", "audio/ogg"),
    (b"fLaC\x00\x00\x00\x22", "audio/flac"),
    (b"FORM\x00\x00\x00\x10AIFFCOMM", "audio/aiff"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00", "video/quicktime"),
    (b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00", "audio/mp4"),
    (b"\x1aE\xdf\xa3\x9fB\x86\x81", "video/webm"),
]


@pytest.mark.parametrize("head, mime", SIGNED, ids=[mime for _, mime in SIGNED])
def test_sniff_recognises_each_signature(head, mime):
    assert sniff(head) == mime


@pytest.mark.parametrize("head", [b"", b"hello world", b"RIFF\x00\x00\x00\x00XXXX", b"\xff\x00", b"%PD"])
def test_sniff_knows_nothing_about_other_bytes(head):
    assert sniff(head) is None


def test_content_wins_over_the_extension(tmp_path):
    assert media_type(tmp_path / "photo.jpg", tiny_png()) == "image/png"


def test_unsigned_formats_fall_back_to_the_extension(tmp_path):
    assert media_type(tmp_path / "notes.txt", b"plain text") == "text/plain"


def test_an_extension_promising_a_signed_format_must_match_the_content(tmp_path):
    with pytest.raises(ValueError, match="name says image/png"):
        media_type(tmp_path / "chart.png", b"<html>not a png</html>")


def test_neither_content_nor_name_known(tmp_path):
    with pytest.raises(ValueError, match="cannot tell its media type"):
        media_type(tmp_path / "blob", b"\x01\x02\x03")


# ---------------------------------------------------------------------------- through the loader

IMAGE_SPEC = """\
request:
  model: openai/gpt-4o
  messages:
    - role: user
      content:
        - type: text
          text: What is in this picture?
        - type: image_url
          image_url:
            url: !data-url {path}
"""


def compile_spec(path) -> tuple[int, dict | None, str]:
    result = run_cli("compile", str(path))
    return result.code, json.loads(result.out) if result.code == 0 else None, result.err


def test_data_url_embeds_the_exact_bytes_with_the_sniffed_type(write_spec, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "dot.jpg").write_bytes(tiny_png())  # misnamed on purpose: content decides
    spec = write_spec(IMAGE_SPEC.format(path="media/dot.jpg"))
    code, body, err = compile_spec(spec)
    assert code == 0, err
    url = body["messages"][0]["content"][1]["image_url"]["url"]
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    assert base64.b64decode(url[len(prefix):], validate=True) == tiny_png()


def test_pdf_file_part_and_base64_audio_part_lint_clean(write_spec, tmp_path):
    (tmp_path / "contract.pdf").write_bytes(tiny_pdf())
    (tmp_path / "question.wav").write_bytes(tiny_wav())
    spec = write_spec("""\
request:
  model: google/gemini-2.5-flash
  messages:
    - role: user
      content:
        - type: file
          file: {filename: contract.pdf, file_data: !data-url contract.pdf}
        - type: input_audio
          input_audio: {data: !base64 question.wav, format: wav}
""")
    lint = run_cli("lint", str(spec))
    assert " E0" not in lint.out and " S1" not in lint.out, lint.out
    code, body, err = compile_spec(spec)
    assert code == 0, err
    file_part, audio_part = body["messages"][0]["content"]
    assert file_part["file"]["file_data"] == "data:application/pdf;base64," + base64.b64encode(tiny_pdf()).decode()
    assert audio_part["input_audio"] == {"data": base64.b64encode(tiny_wav()).decode(), "format": "wav"}


def test_size_cap_is_an_e007_at_the_tag(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\nmax-file-bytes = 2000\n")
    (tmp_path / "big.png").write_bytes(tiny_png() + b"\x00" * 3000)
    spec = tmp_path / "spec.yaml"
    spec.write_text(IMAGE_SPEC.format(path="big.png"))
    out = run_cli("lint", str(spec)).out
    assert "spec.yaml:10:18: E007 !data-url big.png is " in out, out
    assert "over the 2,000-byte limit" in out


@pytest.mark.parametrize("target, message", [
    ("../outside.png", "leads outside the project root"),
    ("/etc/hostname", "absolute paths are refused"),
    ("https://example.com/a.png", "URLs are not read"),
    ("missing.png", "file not found"),
    ("folder", "is a directory"),
    ("empty.png", "is empty"),
    ("fake.png", "the name says image/png but the content does not start like one"),
])
def test_bad_targets_get_one_e005_at_the_tag(write_spec, tmp_path, target, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "fake.png").write_text("not an image")
    (tmp_path.parent / "outside.png").write_bytes(tiny_png())
    spec = write_spec(IMAGE_SPEC.format(path=target))
    out = run_cli("lint", str(spec)).out
    errors = [line for line in out.splitlines() if ": E0" in line]
    assert len(errors) == 1, out
    assert errors[0].startswith(f"{spec}:10:18: E005 !data-url ") and message in errors[0], out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_blocking(write_spec, tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    spec = write_spec(IMAGE_SPEC.format(path="pipe.png"))
    out = run_cli("lint", str(spec)).out
    assert "E005 !data-url pipe.png: not a regular file" in out


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlink_leading_out_of_the_project_is_refused(write_spec, tmp_path):
    (tmp_path.parent / "secret.png").write_bytes(tiny_png())
    (tmp_path / "link.png").symlink_to(tmp_path.parent / "secret.png")
    spec = write_spec(IMAGE_SPEC.format(path="link.png"))
    assert "leads outside the project root" in run_cli("lint", str(spec)).out


def test_base64_needs_a_path(write_spec):
    spec = write_spec(IMAGE_SPEC.format(path="''").replace("!data-url ''", "!base64 ''"))
    assert "E005 !base64 needs a path" in run_cli("lint", str(spec)).out


def test_media_files_are_dependencies_of_the_document_even_when_missing(write_spec, tmp_path):
    from specc.load import load_document

    (tmp_path / "dot.png").write_bytes(tiny_png())
    ok = load_document(write_spec(IMAGE_SPEC.format(path="dot.png")))
    assert str(tmp_path / "dot.png") in ok.files
    missing = load_document(write_spec(IMAGE_SPEC.format(path="later.png"), "b.yaml"))
    assert [d.code for d in missing.diagnostics] == ["E005"]
    assert str(tmp_path / "later.png") in missing.files  # so a cache re-checks when it appears


def test_load_spec_with_media(write_spec, tmp_path):
    import specc

    (tmp_path / "dot.png").write_bytes(tiny_png())
    body = specc.load_spec(write_spec(IMAGE_SPEC.format(path="dot.png"))).body
    assert body["messages"][0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,iVBORw0KGgo")
