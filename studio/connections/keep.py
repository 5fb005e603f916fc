"""A vendor's final take, made ours: its audio and cover downloaded through the outbound
guard (size-capped, sniffed as audio, within a deadline), decoded to measure its length and
waveform, and stored as a Track exactly as a local take is (jobs._store_take). The vendors
delete their files after 14–15 days; the library never links to them."""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from django.db import IntegrityError
from PIL import Image

from studio.api import outbound
from studio.audio import DecodeError, decode, peaks
from studio.engines.base import Take
from studio.engines.upstream import VendorTake
from studio.generation import jobs
from studio.generation.models import Generation
from studio.generation.rules import TAKES
from studio.generation.uploads import sniff

log = logging.getLogger("studio.upstream")
ATTEMPTS = 3  # downloads that failed in a way that may pass (404, timeout) before giving up
RETRY = 5.0  # seconds before the next attempt, times the attempts so far
COVER_LIMIT = 10 * 1024 * 1024


class Unkeepable(Exception):
    """The vendor's file can never become a take: too large, not audio, undecodable."""


class NotYet(Exception):
    """The vendor's file could not be fetched this time (missing, slow): ask again later."""


def takes(generation: Generation, final: tuple[VendorTake, ...], order: list[str] = ()) -> int:
    """Store each final take the generation does not have yet; how many it has now. A take
    gets its place in `order` (the vendor's ids as first listed) as its variation, so its
    track is the one its stream link was listed under; a take not in it, the first free."""
    stored = {t.engine_id for t in generation.tracks.all()}
    for take in final:
        if take.id in stored:
            continue
        used = set(generation.tracks.values_list("variation", flat=True))
        free = [v for v in range(TAKES) if v not in used]
        if not free:
            break
        placed = order.index(take.id) if take.id in order else -1
        _keep(generation, take, placed if placed in free else free[0])
        stored.add(take.id)
    return generation.tracks.count()


def _keep(generation: Generation, take: VendorTake, variation: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="studio-keep-"))
    try:
        audio_path = _audio(take.audio_url, workdir, variation)
        try:
            samples, rate = decode(audio_path)
        except DecodeError:  # whatever the decoders say, it is not usable audio
            raise Unkeepable(f"The vendor's audio for take {variation + 1} could not be "
                             "decoded; it may be corrupt.") from None
        duration = samples.shape[-1] / rate if rate else 0.0
        if duration <= 0.5:
            raise Unkeepable(f"The vendor's audio for take {variation + 1} holds no sound.")
        image_path = _cover(take.image_url, workdir)
        made = Take(index=variation, title=take.title, style=take.tags, lyrics=take.lyrics,
                    duration=round(duration, 3), audio_path=audio_path, image_path=image_path,
                    peaks=peaks(samples), model_name=take.model_name,
                    engine_id=take.id)
        try:
            jobs._store_take(generation, made)
        except IntegrityError:
            pass  # a callback and the poller kept the same take at once: one row won
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _audio(url: str, workdir: Path, variation: int) -> Path:
    field = f"the vendor's audio for take {variation + 1}"
    try:
        outbound.check_url(url, field)
        fileobj, _name = outbound.fetch_audio(url, field)
    except outbound.OutboundError as error:
        if error.code in (413, 422):  # too large, not audio, or an address Studio never calls
            raise Unkeepable(error.message) from None
        raise NotYet(error.message) from None
    with fileobj:
        head = fileobj.read(16)
        fileobj.seek(0)
        path = workdir / f"take-{variation}.{sniff(head) or 'mp3'}"
        with open(path, "wb") as out:
            shutil.copyfileobj(fileobj, out)
    return path


def _cover(url: str, workdir: Path) -> Path | None:
    """The cover image, or None: a take without its cover is still a take."""
    if not url:
        return None
    path = workdir / "cover"
    try:
        outbound.check_url(url, "imageUrl")
        size = 0
        with outbound.client(timeout=20) as http, http.stream("GET", url) as response:
            if response.status_code != 200:
                return None
            with open(path, "wb") as out:
                for chunk in response.iter_bytes(64 * 1024):
                    size += len(chunk)
                    if size > COVER_LIMIT:
                        return None
                    out.write(chunk)
        with Image.open(path) as image:
            image.verify()
            kind = (image.format or "jpeg").lower()
    except Exception as error:  # noqa: BLE001 - any failure leaves the take without a cover
        log.info("cover %s not kept: %s", url, error)
        return None
    named = path.with_suffix(".jpg" if kind == "jpeg" else f".{kind}")
    path.rename(named)
    return named
