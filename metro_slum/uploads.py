"""What reading an uploaded file may cost: a zip's expansion, a picture's pixels, and a time and
memory budget for the whole inspection.

A few hundred kilobytes can unpack to gigabytes (an XLSX is a zip) or decode to a picture of a
billion pixels. Each limit is checked before the expensive step, from what the file declares and
then from what it really holds, and the inspection itself runs in a child process that is stopped
at its budget, so that one file cannot hold a server worker or its memory.
"""

import io
import os
import pickle
import resource
import select
import signal
import time
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

MiB = 1024 * 1024

# A phone's photo is 12-50 megapixels, a scan at 300 dpi of an A4 page 9: 40 is the largest
# picture accepted (README). Pillow refuses what is far beyond even before this check.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


@dataclass(frozen=True)
class ZipLimits:
    # Everything unpacked together, in bytes.
    total: int
    # How many times larger than its packed size one part may unpack (parts over 1 MiB).
    ratio: int
    entries: int


# An uploaded document (up to 5 MB packed), and a list to import (up to 10 MB packed).
DOCUMENT_ZIP = ZipLimits(total=50 * MiB, ratio=200, entries=1_000)
IMPORT_ZIP = ZipLimits(total=200 * MiB, ratio=200, entries=1_000)
_RATIO_FROM = 1 * MiB


def _too_large(unpacked) -> ValidationError:
    return ValidationError(
        _(
            "The workbook unpacks to more than %(limit)s, far more than a list or a document "
            "holds. Save it again as a plain Excel workbook (.xlsx), without pictures or "
            "objects, or split it."
        )
        % {"limit": filesizeformat(unpacked)},
        code="zip_bomb",
    )


def check_zip(file, limits: ZipLimits = DOCUMENT_ZIP) -> None:
    """Refuse a zip (an XLSX) that would unpack to more than the limits allow: first from the
    sizes it declares, then by unpacking it in pieces, counting, without keeping what it holds."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
            if len(parts) > limits.entries:
                raise ValidationError(
                    _("The workbook has %(count)d parts; a workbook has far fewer. Save it again.")
                    % {"count": len(parts)},
                    code="zip_bomb",
                )
            if sum(part.file_size for part in parts) > limits.total:
                raise _too_large(limits.total)
            for part in parts:
                packed = max(part.compress_size, 1)
                if part.file_size > _RATIO_FROM and part.file_size / packed > limits.ratio:
                    raise _too_large(limits.total)
            unpacked = 0
            for part in parts:
                with archive.open(part) as member:
                    while chunk := member.read(MiB):
                        unpacked += len(chunk)
                        if unpacked > limits.total:
                            raise _too_large(limits.total)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # A part whose content does not match what it declares (size, checksum) is damage too.
        raise ValidationError(
            _("The workbook is damaged and cannot be read. Save it again in Excel or LibreOffice."),
            code="damaged",
        ) from exc
    finally:
        file.seek(0)


def check_image_pixels(data: bytes) -> None:
    """Refuse a picture larger than MAX_IMAGE_PIXELS, from its header, before it is decoded."""
    # Read the header with Pillow's own bomb check off, to name the size; nothing is decoded.
    # (Inspections run in their own process: the setting is back before anything else runs.)
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (OSError, SyntaxError, ValueError):
        return  # not readable as a picture: the decoder's own refusal says so
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _(
                "The picture is %(width)d × %(height)d pixels (%(mp).0f megapixels); the largest "
                "accepted is %(limit)d megapixels. Send it at a phone's normal size or scan at "
                "300 dpi."
            )
            % {
                "width": width,
                "height": height,
                "mp": width * height / 1e6,
                "limit": MAX_IMAGE_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )


# The budget of one file's inspection.
INSPECTION_SECONDS = 20
INSPECTION_MEMORY = 768 * MiB


class _Outcome:
    OK, REFUSED, RAISED, FAILED = "ok", "refused", "raised", "failed"


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _child(function, args, write_end, seconds, memory, passes) -> None:
    """In the forked child: limit it, run the inspection, send back what came of it."""
    try:
        in_use = _address_space()
        if in_use is not None:
            resource.setrlimit(resource.RLIMIT_AS, (in_use + memory, in_use + memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        try:
            outcome = (_Outcome.OK, function(*args))
        except ValidationError as error:
            outcome = (_Outcome.REFUSED, (error.messages, getattr(error, "code", None)))
        except passes as error:
            outcome = (_Outcome.RAISED, error)
        except MemoryError:
            outcome = (_Outcome.FAILED, "memory")
        except Exception as error:  # noqa: BLE001 - any failure of a parser is the file's
            outcome = (_Outcome.FAILED, type(error).__name__)
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(outcome))
    finally:
        os._exit(0)


def _over_budget() -> ValidationError:
    return ValidationError(
        _(
            "Checking this file took more time or memory than any document needs, so it was "
            "stopped. Save or scan it again at a normal size, then upload that."
        ),
        code="over_budget",
    )


def within_budget(function, *args, seconds=INSPECTION_SECONDS, memory=INSPECTION_MEMORY, passes=()):
    """Return function(*args), computed in a child process that is stopped after `seconds` or
    when it needs `memory` bytes more than this process: then, or when it fails, refuse the file.

    The function must not use the database; what it returns comes back pickled, and so do a
    ValidationError and the exceptions named in `passes` (a reader's own refusals).
    """
    if not hasattr(os, "fork"):  # not a POSIX system: no child to limit (the servers are Linux)
        return function(*args)
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # A threaded development server warns that a fork may deadlock: the child only parses
        # a file, and the deadline below ends it if it ever waits.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(function, args, write_end, seconds, memory, passes)
    os.close(write_end)
    received, deadline, finished = bytearray(), time.monotonic() + seconds + 2, False
    try:
        while (left := deadline - time.monotonic()) > 0:
            ready, _w, _x = select.select([read_end], [], [], left)
            if not ready:
                break
            chunk = os.read(read_end, MiB)
            if not chunk:
                finished = True
                break
            received += chunk
    finally:
        os.close(read_end)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if not finished or not received:
        raise _over_budget()
    outcome, value = pickle.loads(bytes(received))
    if outcome == _Outcome.OK:
        return value
    if outcome == _Outcome.RAISED:
        raise value
    if outcome == _Outcome.REFUSED:
        messages, code = value
        raise ValidationError([ValidationError(message, code=code) for message in messages])
    if value == "memory":
        raise _over_budget()
    raise ValidationError(
        _("The file cannot be read (damaged or incomplete). Save or scan it again."),
        code="damaged",
    )
