"""A track's music video: its cover art, a waveform that scrolls under a fixed playhead and
the karaoke lyric line, over the track's own audio, encoded by FFmpeg's libraries through
PyAV as H.264 (libx264) and AAC in MP4.

A frame is the background, made once (the cover blurred and dimmed behind the sharp cover,
the title, the author and the site name), plus what moves: the waveform band, the progress
line and the lyric lines, each a few numpy operations on a small region. Lyric lines are
drawn by Pillow once each; the karaoke wipe only recolours columns of that drawing. So the
encoder, not the drawing, sets the speed (bench/video.py measures it).

Nothing here knows Django: the library hands in the samples, the cover and the timed lines
(library/timed_lyrics.py's shape) and gets back the written file's duration.
"""
from __future__ import annotations

import colorsys
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = 640  # square: what social feeds show whole; small enough to encode fast
FPS = 15  # enough for a scrolling waveform and a word-by-word wipe; 20 costs a third more
AUDIO_BITRATE = 192_000
WINDOW = 6.0  # seconds of waveform on screen, the playhead in the middle
BAR_PITCH, BAR_WIDTH = 6, 4  # at SIZE 640; scaled with the size
LEAD, HOLD = 0.25, 0.75  # a line shows this long before it is sung and stays after it ends
UPCOMING = 6.0  # the next line shows (dimmed) when it is sung within this many seconds
WHITE = (255, 255, 255)
DIM = (150, 150, 150)
FALLBACK_ACCENT = (255, 196, 72)


@dataclass(frozen=True)
class Song:
    samples: np.ndarray  # float32 [channels, n], -1..1
    rate: int
    title: str = ""
    cover: Image.Image | None = None
    author: str = ""
    domain: str = ""
    # [{"text", "start", "end", "words": [[word, start, end], ...]}, ...] in the order sung
    lines: Sequence[dict] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / self.rate


def render(song: Song, path, *, size: int = SIZE, fps: int = FPS,
           progress: Callable[[float], None] | None = None) -> float:
    """Write `song`'s video to `path` (an MP4); its duration in seconds. `progress` is called
    with the share done (0..1) about once per second of video."""
    import av

    samples = _stereo(song.samples)
    frames = max(1, math.ceil(song.duration * fps))
    painter = _Painter(song, size, fps)
    with av.open(str(path), "w", format="mp4",
                 options={"movflags": "+faststart"}) as container:  # playable while downloading
        video = container.add_stream("libx264", rate=fps)
        video.width = video.height = size
        video.pix_fmt = "yuv420p"  # what every player decodes
        video.codec_context.gop_size = fps * 2  # a keyframe every 2 s: seeking stays quick
        video.options = {"preset": "veryfast", "crf": "24"}
        audio = container.add_stream("aac", rate=song.rate, layout="stereo")
        audio.bit_rate = AUDIO_BITRATE
        time_base = Fraction(1, song.rate)
        sent = 0  # samples handed to the audio encoder so far
        for index in range(frames):
            # Audio up to the end of this frame first, so the file's packets interleave.
            upto = min(samples.shape[1], round((index + 1) * song.rate / fps))
            while sent < upto:
                chunk = samples[:, sent:min(sent + 1024, upto)]
                frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp",
                                                   layout="stereo")
                frame.sample_rate, frame.pts, frame.time_base = song.rate, sent, time_base
                container.mux(audio.encode(frame))
                sent += chunk.shape[1]
            picture = av.VideoFrame.from_ndarray(painter.frame(index / fps), format="rgb24")
            picture.pts = index
            container.mux(video.encode(picture))
            if progress is not None and index % fps == fps - 1:
                progress((index + 1) / frames)
        container.mux(audio.encode(None))
        container.mux(video.encode(None))
    if progress is not None:
        progress(1.0)
    return song.duration


def _stereo(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 1:
        samples = samples[None, :]
    if samples.shape[0] == 1:
        samples = np.repeat(samples, 2, axis=0)
    return np.ascontiguousarray(samples[:2])


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans where the system has it (wide script coverage), else Pillow's own font."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def accent_of(cover: Image.Image | None) -> tuple[int, int, int]:
    """A bright colour of the cover's own, for the played waveform and the sung words."""
    if cover is None:
        return FALLBACK_ACCENT
    small = np.asarray(cover.convert("RGB").resize((24, 24)), dtype=np.float32) / 255
    hsv = np.array([colorsys.rgb_to_hsv(*px) for px in small.reshape(-1, 3)])
    h, s, v = hsv[int(np.argmax(hsv[:, 1] * hsv[:, 2]))]
    if s < 0.25:  # a grey cover: any accent reads better than grey on grey
        return FALLBACK_ACCENT
    r, g, b = colorsys.hsv_to_rgb(h, min(max(s, 0.55), 0.75), 1.0)  # light enough to read
    return int(r * 255), int(g * 255), int(b * 255)


def fitted(text: str, size: int, width: int, *, bold=False, smallest=14):
    """(font, text) so `text` fits `width` px: a smaller size, then cut with an ellipsis."""
    while size > smallest and font(size, bold).getlength(text) > width:
        size -= 2
    face = font(size, bold)
    if face.getlength(text) > width:
        while text and face.getlength(text + "…") > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    return face, text


@dataclass
class _Line:
    """A lyric line drawn once: its coverage (0..1 per pixel) and each word's span in it."""
    start: float
    end: float
    alpha: np.ndarray  # float32 [h, w]
    x: int  # where it sits, centred
    spans: list[tuple[float, float, float, float]]  # (start s, end s, x0 px, x1 px) per word

    def height(self, size: int, top: int) -> int:
        return min(self.alpha.shape[0], size - top)

    def width(self, size: int) -> int:
        return min(self.alpha.shape[1], size - self.x)

    def sung_x(self, t: float) -> float:
        """How far the karaoke wipe has come at `t`, in px from the line's left edge."""
        done = 0.0
        for start, end, x0, x1 in self.spans:
            if t >= end:
                done = x1
            elif t > start:
                return x0 + (x1 - x0) * (t - start) / max(end - start, 1e-3)
            else:
                break
        return done


class _Painter:
    def __init__(self, song: Song, size: int, fps: int):
        self.size, self.scale = size, size / 640
        self.duration = song.duration
        self.accent = np.array(accent_of(song.cover), dtype=np.float32)
        s = self.scale
        cover_side = int(300 * s)
        self.wave_top, self.wave_height = int(406 * s), int(84 * s)
        self.progress_row, self.progress_height = int(500 * s), max(2, int(3 * s))
        self.line_top, self.next_top = int(524 * s), int(574 * s)
        self.margin = int(28 * s)
        self.background = self._background(song, cover_side)
        self._waveform(song.samples, song.rate)
        width = size - 2 * self.margin
        self.lines = [self._line(line, int(30 * s), width) for line in song.lines
                      if line.get("words")]
        self.lines.sort(key=lambda line: line.start)
        self._patches: dict[tuple, np.ndarray] = {}

    # -- made once --------------------------------------------------------------------------

    def _background(self, song: Song, cover_side: int) -> np.ndarray:
        size, s = self.size, self.scale
        cover = (song.cover or Image.new("RGB", (64, 64), (40, 40, 48))).convert("RGB")
        ground = cover.resize((size // 8, size // 8)).filter(ImageFilter.GaussianBlur(3))
        ground = ground.resize((size, size), Image.Resampling.BILINEAR)
        ground = Image.fromarray((np.asarray(ground, dtype=np.float32) * 0.32).astype(np.uint8))
        left = (size - cover_side) // 2
        ground.paste(cover.resize((cover_side, cover_side), Image.Resampling.LANCZOS),
                     (left, int(28 * s)))
        draw = ImageDraw.Draw(ground)
        face, title = fitted(song.title or "Untitled", int(28 * s), size - 2 * self.margin,
                             bold=True)
        draw.text((size / 2, int(342 * s)), title, font=face, fill=WHITE, anchor="mt")
        if song.author:
            face, author = fitted(f"by {song.author}", int(18 * s), size - 2 * self.margin)
            draw.text((size / 2, int(376 * s)), author, font=face, fill=DIM, anchor="mt")
        if song.domain:
            face, domain = fitted(song.domain, int(14 * s), size // 2)
            draw.text((size - int(12 * s), size - int(10 * s)), domain, font=face,
                      fill=(200, 200, 200), anchor="rd")
        return np.array(ground, dtype=np.uint8)

    def _waveform(self, samples: np.ndarray, rate: int) -> None:
        """The loudness of each bar's slice of time, 0..1, for the whole song."""
        pitch = max(3, round(BAR_PITCH * self.scale))
        self.bar_pitch, self.bar_width = pitch, max(2, round(BAR_WIDTH * self.scale))
        self.px_per_second = self.size / WINDOW
        self.bar_seconds = pitch / self.px_per_second
        mono = np.asarray(samples, dtype=np.float32).mean(axis=0)
        per_bar = max(1, int(round(self.bar_seconds * rate)))
        bars = max(1, math.ceil(len(mono) / per_bar))
        padded = np.zeros(bars * per_bar, dtype=np.float32)
        padded[:len(mono)] = mono
        rms = np.sqrt(np.mean(padded.reshape(bars, per_bar) ** 2, axis=1))
        loudest = float(np.percentile(rms, 99)) if rms.size else 0.0
        level = np.clip(rms / loudest, 0, 1) if loudest > 1e-6 else np.zeros_like(rms)
        levels = np.sqrt(level)  # quiet passages still show
        # The whole song's bars as one long strip of lit pixels, WINDOW/2 of silence each
        # side: the frame at `t` shows the strip from column round(t * px_per_second).
        columns = np.arange(math.ceil(self.duration * self.px_per_second) + self.size + 1)
        moment = columns / self.px_per_second - WINDOW / 2
        position = moment / self.bar_seconds
        bar = np.floor(position).astype(np.int64)
        inside = ((position - bar) * pitch < self.bar_width) & (bar >= 0) & (bar < bars)
        inside &= moment <= self.duration
        height = np.where(inside, levels[np.clip(bar, 0, bars - 1)], 0.0) * self.wave_height / 2
        height = np.maximum(height, inside.astype(np.float32))  # a silent bar is still a dot
        half = self.wave_height / 2
        rows = np.abs(np.arange(self.wave_height, dtype=np.float32) + 0.5 - half)[:, None]
        self.lit = (rows < height[None, :])[:, :, None]  # [h, strip width, 1]
        played = np.arange(self.size) < self.size // 2
        self.wave_colours = np.where(played[:, None], self.accent.astype(np.uint8),
                                     np.array((225, 225, 225), dtype=np.uint8))[None, :, :]

    def _line(self, line: dict, size: int, width: int) -> _Line:
        words = [(str(w), float(a), float(b)) for w, a, b in line["words"]]
        text = " ".join(w for w, _a, _b in words)
        face, shown = fitted(text, size, width)
        left, top, right, bottom = face.getbbox(shown)
        canvas = Image.new("L", (max(1, right), max(1, bottom)), 0)
        ImageDraw.Draw(canvas).text((0, 0), shown, font=face, fill=255)
        spans, so_far = [], ""
        for k, (word, start, end) in enumerate(words):
            x0 = face.getlength(so_far + (" " if k else ""))
            so_far += (" " if k else "") + word
            spans.append((start, end, x0, min(face.getlength(so_far), right)))
        alpha = np.asarray(canvas, dtype=np.float32) / 255
        return _Line(start=float(line.get("start", words[0][1])),
                     end=float(line.get("end", words[-1][2])), alpha=alpha,
                     x=(self.size - alpha.shape[1]) // 2, spans=spans)

    # -- each frame -------------------------------------------------------------------------

    def frame(self, t: float) -> np.ndarray:
        frame = self.background.copy()
        self._draw_wave(frame, t)
        self._draw_progress(frame, t)
        current, upcoming = self._lines_at(t)
        if current is not None:
            self._paint_line(frame, current, self.line_top, t)
        if upcoming is not None:
            self._paint_line(frame, upcoming, self.next_top if current is not None
                             else self.line_top, None)
        return frame

    def _draw_wave(self, frame: np.ndarray, t: float) -> None:
        offset = min(int(round(t * self.px_per_second)), self.lit.shape[1] - self.size)
        band = frame[self.wave_top:self.wave_top + self.wave_height]
        np.copyto(band, self.wave_colours, where=self.lit[:, offset:offset + self.size])
        mid = self.size // 2
        band[:, mid - 1:mid + 1] = WHITE  # the playhead

    def _draw_progress(self, frame: np.ndarray, t: float) -> None:
        row = frame[self.progress_row:self.progress_row + self.progress_height]
        row[:, self.margin:self.size - self.margin] = (90, 90, 90)
        done = self.margin + int((self.size - 2 * self.margin) * min(1.0, t / max(self.duration, 1e-6)))
        row[:, self.margin:done] = self.accent.astype(np.uint8)

    def _lines_at(self, t: float) -> tuple[_Line | None, _Line | None]:
        current, after = None, None
        for k, line in enumerate(self.lines):
            if line.start - LEAD <= t:
                if t < line.end + HOLD:
                    current = line
                    after = self.lines[k + 1] if k + 1 < len(self.lines) else None
            else:
                if current is None:
                    after = line
                break
        if after is not None and after.start - t > UPCOMING:
            after = None
        return current, after

    def _paint_line(self, frame: np.ndarray, line: _Line, top: int, t: float | None) -> None:
        """The line at `top`: sung (`t`: the wipe in the accent colour up to where the singer
        is, white after) or coming (None: dimmed)."""
        if t is None:
            frame[top:top + line.height(self.size, top), line.x:line.x + line.width(self.size)] = \
                self._patch(line, top, "dim")
            return
        white, sung = self._patch(line, top, "white"), self._patch(line, top, "accent")
        region = frame[top:top + white.shape[0], line.x:line.x + white.shape[1]]
        x = min(max(int(round(line.sung_x(t))), 0), white.shape[1])
        region[:, :x] = sung[:, :x]
        region[:, x:] = white[:, x:]

    def _patch(self, line: _Line, top: int, kind: str) -> np.ndarray:
        """The line drawn over the background at `top` in one colour, made once."""
        key = (id(line), top, kind)
        patch = self._patches.get(key)
        if patch is None:
            if len(self._patches) > 12:  # lines pass in order: only the last few return
                self._patches.clear()
            h, w = line.height(self.size, top), line.width(self.size)
            colour, strength = {"white": (np.array(WHITE, np.float32), 1.0),
                                "accent": (self.accent, 1.0),
                                "dim": (np.array(WHITE, np.float32), 0.55)}[kind]
            alpha = line.alpha[:h, :w, None] * strength
            ground = self.background[top:top + h, line.x:line.x + w].astype(np.float32)
            patch = (ground * (1 - alpha) + colour * alpha).astype(np.uint8)
            self._patches[key] = patch
        return patch
