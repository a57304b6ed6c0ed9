"""Local media in specs: `!data-url path` and `!base64 path` YAML tags.

    content:
      - type: image_url
        image_url: {url: !data-url images/chart.png}      # data:image/png;base64,...
      - type: file
        file: {filename: contract.pdf, file_data: !data-url docs/contract.pdf}
      - type: input_audio
        input_audio: {data: !base64 audio/question.wav, format: wav}   # bare base64

`image_url.url` and `file.file_data` take a `data:` URL; `input_audio.data` takes
bare base64 next to a `format` field, hence the second tag. The MIME type comes
from the file's first bytes (a small table of magic numbers, below), so a PNG
saved as `.jpg` is still sent as `image/png`; the extension is only consulted for
formats without a signature (plain text, CSV, ...), and a file whose extension
promises a signed format its bytes do not have is refused.

Paths follow the rules of `!file`: relative to the spec, inside the project, no
URLs, no devices or FIFOs. Files are capped by the `max_file_bytes` limit
(`[tool.specc] max-file-bytes`, 4 MiB by default), reported as E007 at the tag.
No dependency is added: `filetype`/`python-magic` cover hundreds of formats, but
the API takes a dozen, and libmagic is a system library the pre-commit hook
cannot count on.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .diagnostics import core

if TYPE_CHECKING:
    from .load import _Walker
    from .yamlfast import ScalarNode

# (offset, signature) -> MIME type; checked in order, so the more specific entries come first.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"ID3", "audio/mpeg"),  # MP3 with an ID3v2 tag
    (0, b"\x1aE\xdf\xa3", "video/webm"),  # Matroska/WebM (EBML header)
)
# RIFF and ISO-BMFF containers: the form type / brand says what is inside.
_RIFF_FORMS = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_FTYP_BRANDS = {b"qt  ": "video/quicktime", b"M4A ": "audio/mp4", b"M4B ": "audio/mp4",
                b"heic": "image/heic", b"heix": "image/heic", b"mif1": "image/heif", b"avif": "image/avif"}
_AIFF_FORMS = {b"AIFF": "audio/aiff", b"AIFC": "audio/aiff"}

# The formats the table recognises: an extension promising one of them must match the bytes.
SIGNED_TYPES = frozenset(
    [mime for _, _, mime in _SIGNATURES] + list(_RIFF_FORMS.values()) + list(_FTYP_BRANDS.values())
    + list(_AIFF_FORMS.values()) + ["video/mp4", "audio/aac"])
# What the extension table of the platform calls some of them.
_ALIASES = {"audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/mp3": "audio/mpeg",
            "audio/x-flac": "audio/flac", "audio/x-aiff": "audio/aiff", "video/x-matroska": "video/webm"}


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes of a file announce, or None when they announce none we know."""
    for offset, signature, mime in _SIGNATURES:
        if head.startswith(signature, offset):
            return mime
    if head[:4] == b"RIFF" and head[8:12] in _RIFF_FORMS:
        return _RIFF_FORMS[head[8:12]]
    if head[:4] == b"FORM" and head[8:12] in _AIFF_FORMS:
        return _AIFF_FORMS[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS: sync word, layer 00
            return "audio/aac"
        if head[1] & 0xE0 == 0xE0 and head[1] & 0x06:  # MPEG audio frame sync, layer I-III
            return "audio/mpeg"
    return None


def media_type(path: Path, head: bytes) -> str:
    """The MIME type of a file: from its content; from its extension only for unsigned formats.

    Raises ValueError (with the reason) when the two disagree or neither knows.
    """
    by_content = sniff(head)
    guessed = mimetypes.guess_type(path.name, strict=False)[0]
    by_name = _ALIASES.get(guessed, guessed) if guessed else None
    if by_content is not None:
        return by_content
    if by_name in SIGNED_TYPES:
        raise ValueError(f"the name says {by_name} but the content does not start like one (corrupt or misnamed?)")
    if by_name is not None:
        return by_name
    raise ValueError("cannot tell its media type from its content or its name "
                     "(images, PDF, audio and video are recognised by content)")


def read_media(walker: "_Walker", node: "ScalarNode", tag: str) -> tuple[str, bytes]:
    """The (MIME type, bytes) of the file a media tag names, with `!file`'s path rules and the size cap."""
    from .files import LoadError, Unreadable, read_capped, resolve_inside

    loader, span = walker.loader, walker.span(node)
    target = node.value.strip()
    if not target:
        raise LoadError(core("E005", f"{tag} needs a path", span))
    path = resolve_inside(loader.root, walker.path.parent, target, tag, span, "E005")
    loader.count_file(span, "E005")
    walker.depends_on(target)  # a dependency of the result even when missing: caches watch it
    limit = loader.limits.max_file_bytes
    try:
        data = read_capped(path, limit)
    except Unreadable as problem:
        if problem.kind == "too-big":
            raise LoadError(core("E007", f"{tag} {target} is {problem.size:,} bytes, over the {limit:,}-byte "
                                 "limit (raise `max-file-bytes` under [tool.specc] if the API takes it)", span)) from None
        messages = {
            "missing": f"{tag} {target}: file not found",
            "directory": f"{tag} {target} is a directory, not a file",
            "special": f"{tag} {target}: not a regular file (device, FIFO or socket)",
            "os-error": f"{tag} {target}: cannot read: {problem.detail}",
        }
        raise LoadError(core("E005", messages[problem.kind], span)) from None
    if len(data) > limit:  # it grew since fstat
        raise LoadError(core("E007", f"{tag} {target} is over the {limit:,}-byte limit", span))
    if not data:
        raise LoadError(core("E005", f"{tag} {target} is empty", span))
    try:
        mime = media_type(path, data[:64])
    except ValueError as exc:
        raise LoadError(core("E005", f"{tag} {target}: {exc}", span)) from None
    return mime, data


def include_data_url(walker: "_Walker", node: "ScalarNode") -> str:
    """`!data-url path`: the file as `data:<mime>;base64,...` (for image_url.url and file.file_data)."""
    mime, data = read_media(walker, node, "!data-url")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def include_base64(walker: "_Walker", node: "ScalarNode") -> str:
    """`!base64 path`: the file as bare base64 (for input_audio.data, which sits next to `format:`)."""
    _, data = read_media(walker, node, "!base64")
    return base64.b64encode(data).decode("ascii")


MEDIA_HANDLERS: dict[str, Callable[[Any, Any], Any]] = {"!data-url": include_data_url, "!base64": include_base64}
