"""Form, chords, melody, bass and drums as timed note events.

Everything here is symbolic (seconds, MIDI pitches, velocities); instruments.py and voice.py
turn it into sound. One random generator per variation makes the two variations of a request
differ in melody, voicing and groove while the style (tempo, key, palette) stays shared.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .lyrics import Section, Syllable, estimate_bars, lyric_lines_for, phrase_bars
from .patterns import BASS_PATTERNS, COMP_PATTERNS, drum_pattern
from .style import Style


@dataclass
class Note:
    start: float
    dur: float
    pitch: float
    vel: float
    syllable: Syllable | None = None


@dataclass
class Hit:
    start: float
    name: str
    vel: float


@dataclass
class Part:
    instrument: str
    notes: list[Note] = field(default_factory=list)
    gain: float = 1.0
    pan: float = 0.0


@dataclass
class SectionPlan:
    kind: str
    bars: int
    lines: list[list[Syllable]] = field(default_factory=list)


@dataclass
class Score:
    duration: float
    tempo: float
    beats_per_bar: int
    t0: float
    parts: dict[str, Part]
    drums: list[Hit]
    vocal: list[Note]
    sections: list[tuple[str, float, float]]
    chords: list[tuple[int, tuple[int, ...]]]  # per bar: root pitch class, chord pitch classes
    variant: int = 0

    @property
    def bar_sec(self) -> float:
        return 60.0 / self.tempo * self.beats_per_bar


DEFAULT_FORM = [("intro", 4), ("verse", 8), ("chorus", 8), ("verse", 8), ("chorus", 8), ("bridge", 8),
                ("chorus", 8), ("outro", 4)]
LEVEL = {"intro": 0.45, "verse": 0.7, "prechorus": 0.8, "chorus": 1.0, "bridge": 0.6, "break": 0.75,
         "outro": 0.5}

# Degrees (0 = tonic). Every progression returns to the tonic within its four bars, and the
# minor ones lean on V (raised leading tone) or iv, so the key is heard rather than implied.
PROGRESSIONS = {
    "major": {"verse": [[0, 4, 5, 3], [0, 5, 3, 4], [0, 3, 0, 4], [0, 3, 4, 0]],
              "chorus": [[3, 4, 0, 0], [0, 4, 5, 3], [3, 0, 4, 0], [0, 3, 4, 4]],
              "bridge": [[5, 3, 0, 4], [1, 4, 0, 0], [3, 4, 5, 4]]},
    "minor": {"verse": [[0, 3, 0, 4], [0, 5, 0, 4], [0, 0, 3, 4], [0, 3, 4, 0]],
              "chorus": [[3, 4, 0, 0], [0, 3, 0, 4], [5, 4, 0, 0], [0, 3, 4, 4]],
              "bridge": [[3, 4, 0, 0], [5, 4, 0, 0], [3, 0, 4, 0]]},
}
SOUNDED = 0.92  # of a sung or played note's value: the rest is the gap before the next one
# Inside a sung line a syllable comes at most a held half note and a beat's rest (three beats)
# after the one before, and the voice is silent at most a beat between them: a longer wait is
# heard as a broken line (tests/engines/test_short_lines.py). Composer.within_reach.
REACH_BEATS, REST_BEATS = 3.0, 1.0
JAZZ = {"major": [[1, 4, 0, 0], [0, 5, 1, 4], [0, 3, 1, 4]], "minor": [[1, 4, 0, 0], [0, 3, 1, 4], [0, 5, 1, 4]]}


def variation_seed(seed: int, index: int) -> int:
    from .style import stable_hash
    return stable_hash("variation", seed, index)


def plan_form(sections: list[Section] | None, style: Style, *, max_seconds: float, target: float | None,
              default_range=(60.0, 120.0)) -> list[SectionPlan]:
    """Sections and bar counts, fitted to the requested length (or to 60–120 s) and the model cap."""
    bar_sec = 60.0 / style.tempo * style.beats_per_bar
    if sections:
        plans = [SectionPlan(s.kind, estimate_bars(s, style.beats_per_bar), lyric_lines_for(s)) for s in sections]
        if plans[0].kind != "intro":
            plans.insert(0, SectionPlan("intro", 2))
        if plans[-1].kind != "outro":
            plans.append(SectionPlan("outro", 2))
    else:
        plans = [SectionPlan(k, b) for k, b in DEFAULT_FORM]
    total = sum(p.bars for p in plans)
    hi = min(max_seconds - 3.0, target if target else (default_range[1] if not sections else max_seconds - 3.0))
    want = total
    if target:
        want = max(2, int(round((target - 2.0) / bar_sec)))
    if want * bar_sec > hi:
        want = max(2, int(hi // bar_sec))
    if not target and not sections and total * bar_sec < default_range[0]:
        want = int(np.ceil(default_range[0] / bar_sec))
    if want < total:
        # Drop whole sections (bridge first, then repeats) rather than squash every section into
        # a bar or two: a section shorter than its chord progression never reaches the V chord.
        for kind in ("bridge", "break", "prechorus", "verse", "chorus"):
            while sum(p.bars for p in plans) > want * 1.4:
                idx = [i for i, p in enumerate(plans) if p.kind == kind]
                if len(idx) < (1 if kind in ("bridge", "break", "prechorus") else 2):
                    break
                plans.pop(idx[-1])
    if want != total:
        total = sum(p.bars for p in plans)
        if total != want:
            scale = want / total
            for p in plans:
                p.bars = max(1, int(round(p.bars * scale)))
            while sum(p.bars for p in plans) > want and len(plans) > 1:
                biggest = max(range(len(plans)), key=lambda i: plans[i].bars)
                if plans[biggest].bars > 1:
                    plans[biggest].bars -= 1
                else:
                    plans.pop(-2 if len(plans) > 2 else -1)
            while sum(p.bars for p in plans) < want:
                plans[min(range(len(plans)), key=lambda i: plans[i].bars)].bars += 1
    return plans


def allot(bars: int, wants: list[int]) -> list[int]:
    """Each phrase's bars out of a section's `bars`: what it `wants`, the rest shared evenly
    (as much as each has), or, when the section is shorter than the phrases want, the longest
    cut first, down to a bar each (phrases that find no bar at all are not sung)."""
    n = len(wants)
    if sum(wants) <= bars:
        extra = (bars - sum(wants)) // n
        return [w + extra for w in wants]
    got = list(wants)
    while sum(got) > bars and max(got) > 1:
        longest = max(range(n), key=lambda i: got[i])
        got[longest] -= 1
    return got


def chord_pcs(style: Style, degree: int, sevenths: bool, borrowed: bool = False) -> tuple[int, tuple[int, ...]]:
    scale = style.scale
    if borrowed:  # the parallel mode's chord on the same degree
        scale = (0, 2, 3, 5, 7, 8, 10) if style.mode == "major" else (0, 2, 4, 5, 7, 9, 11)
    if sevenths and style.mode == "minor" and degree not in (3, 4) and not borrowed:
        # i7 and VImaj7 spell the relative major's chords; colour them with the ninth instead
        pcs = [(style.tonic + scale[(degree + 2 * k) % 7]) % 12 for k in range(3)]
        pcs += [(style.tonic + scale[(degree + 1) % 7]) % 12]
        return pcs[0], tuple(pcs)
    pcs = [(style.tonic + scale[(degree + 2 * k) % 7]) % 12 for k in range(4 if sevenths else 3)]
    if style.mode == "minor" and degree == 4 and not borrowed:
        pcs[1] = (pcs[0] + 4) % 12  # raised leading tone: the minor V pulls home
    return pcs[0], tuple(pcs)


class Composer:
    def __init__(self, style: Style, seed: int, *, t0: float = 0.0, variant: int = 0):
        from .style import stable_hash
        self.style = style
        self.rng = np.random.default_rng(seed)
        # Pattern choices step through the options by variation, so the two takes of one
        # request never share a groove when the style offers more than one.
        self.variant = variant + stable_hash("patterns", style.text, style.tempo) % 97
        self.t0 = t0
        self.beat = 60.0 / style.tempo
        self.steps_per_bar = 4 * style.beats_per_bar
        self.step = self.beat / 4

    # -- time ---------------------------------------------------------------------------
    def time(self, bar: float, step: float) -> float:
        s = self.style
        t = self.t0 + bar * s.beats_per_bar * self.beat + step * self.step
        istep = int(round(step))
        if s.swing and abs(step - istep) < 1e-6:
            if s.swing > 0.2 and istep % 4 == 2:  # swung eighths
                t += s.swing * self.beat * 0.5
            elif s.swing <= 0.2 and istep % 2 == 1:  # swung sixteenths
                t += s.swing * self.step * 2
        return t

    # -- harmony -----------------------------------------------------------------------
    def progressions(self, plans: list[SectionPlan]) -> list[tuple[int, tuple[int, ...]]]:
        s, rng = self.style, self.rng
        table = JAZZ if s.groove == "jazz" else None
        by_kind = {}
        for kind in ("verse", "chorus", "bridge"):
            options = (table[s.mode] if table else PROGRESSIONS[s.mode][kind])
            by_kind[kind] = options[(self.variant + (kind == "chorus")) % len(options)]
        chords = []
        for p in plans:
            key = {"prechorus": "bridge", "break": "chorus", "intro": "verse", "outro": "chorus"}.get(p.kind, p.kind)
            prog = by_kind[key]
            if p.kind in ("intro", "outro"):  # open and close on the home chord
                prog = [0, 0, 3, 4] if p.kind == "intro" else [3, 4, 0, 0]
            for b in range(p.bars):
                deg = prog[b % len(prog)]
                borrowed = rng.random() < 0.6 * s.weirdness
                chords.append(chord_pcs(s, deg, s.sevenths, borrowed))
        if chords:
            chords[-1] = chord_pcs(s, 0, s.sevenths)  # end on the tonic
        return chords

    def voice(self, pcs: tuple[int, ...], prev: list[int] | None, center: int) -> list[int]:
        """Close voicing near `center`, choosing the inversion that moves least from the last chord."""
        best, best_cost = None, 1e9
        for inv in range(len(pcs)):
            order = pcs[inv:] + pcs[:inv]
            notes, last = [], center - 7
            for pc in order:
                n = last + ((pc - last) % 12 or 12) if notes else center - 6 + (pc - center + 6) % 12
                notes.append(n)
                last = n
            cost = abs(np.mean(notes) - center) if prev is None else sum(
                min(abs(n - q) for q in prev) for n in notes)
            if cost < best_cost:
                best, best_cost = notes, cost
        return best

    # -- melody ------------------------------------------------------------------------
    def rhythm(self, n: int, bars: int, density: float) -> list[tuple[float, float]]:
        """n onsets over `bars` bars (in steps), leaving a breath at the end of the phrase."""
        rng, spb = self.rng, self.steps_per_bar
        span = bars * spb - 4
        # A line with more syllables than the phrase has sixteenths is sung in thirty-seconds
        # (a line squeezed into fewer bars than it asked for): every syllable gets its note.
        grain = 1.0 if n <= span else 0.5
        n = max(1, min(n, int(span / grain)))
        slots = np.arange(0, span, grain, dtype=float)
        weight = np.where(slots % 4 == 0, 3.0, np.where(slots % 2 == 0, 1.6, 0.35 * density))
        weight = weight / weight.sum()
        on = np.sort(rng.choice(slots, size=n, replace=False, p=weight))
        if on[0] > spb / 2:
            on[0] = 0
            on = np.sort(on)
        ends = np.append(on[1:], min(span + 2, on[-1] + 8))
        durs = np.minimum(ends - on, 8)
        return [(float(a), float(max(grain, d))) for a, d in zip(on, durs, strict=False)]

    def together(self, line: list[Syllable], bars: int,
                 spread: list[tuple[float, float]]) -> list[tuple[float, float]]:
        """A sung line's rhythm: `spread`, rhythm()'s, unless the line has fewer syllables than
        its phrase has beats (less the breath). Spread over the phrase, such a line's words fell
        seconds apart ("Short" on one bar's downbeat, "line" three beats after it had ended).
        Set as pickups into its phrase's second bar, with its last note a quarter, it left the
        first bar empty but for the pickups (the line before ends with its own phrase) and
        most of the second: the voice fell silent for three to five beats around it, where
        between two other lines it rests about one.

        So it is set as rhythm() sets the others, from the first half bar of its phrase: its
        syllables one after another in even notes (the longest of a half, quarter or eighth
        note with which it reaches the second bar's downbeat, a one-bar phrase: its middle;
        at times a dotted quarter and an eighth for the first two), an eighth's rest to
        breathe where the written line pauses (a comma), and its last syllable on that
        downbeat, held until the breath every phrase ends with (half a beat before its last
        beat): held a half note (the longest rhythm() gives a line's last), "Go!" left 2.5
        beats of its 8 silent and a longer short line 2, the next line's lead-in after them.
        Two syllables in half notes would leave the first two beats empty: they start on the
        downbeat, the last on the next strong beat (the third in 4/4, the second downbeat in
        3/4). A line too long for that starts on the downbeat, its last syllable on the first
        strong beat it reaches, the one before held into it (up to a half note; else the next
        beat). The same setting at every tempo: the notes are long enough for a slow song's
        vibrato.

        Its choices come from a generator seeded by the onsets of `spread`, so the song's own
        generator moves on exactly as it did: every other phrase of the song keeps its notes.
        (A line of a section that sings another's motif, one as long, sings its rhythm too.)"""
        n, spb = len(line), self.steps_per_bar
        span = bars * spb - 4
        if n * 4 >= span:
            return self.within_reach(spread, span)
        rng = np.random.default_rng([int(on * 2) for on, _dur in spread] + [n, bars])
        strong = spb // 2 if self.style.beats_per_bar % 2 == 0 else spb  # beats 1 and 3, or the downbeat
        units = [u for u in (8, 4, 2) if u * self.step >= 0.2]  # an eighth only if it lasts 0.2 s
        dotted = n >= 3 and rng.random() < 0.3  # a dotted quarter and an eighth: "ne-ver mind"

        def lead(unit: int, breath: int) -> tuple[list[int], list[int], int]:
            """Onsets of the syllables before the last (from the first), the rest after each,
            and where the last one comes."""
            onsets, rests, t = [], [], 0
            for k, syllable in enumerate(line[:-1]):
                onsets.append(t)
                rests.append(breath if syllable.breath else 0)
                t += ((6 if k == 0 else 2) if dotted and unit == 4 and k < 2 else unit) + rests[-1]
            return onsets, rests, t

        land = spb if bars >= 2 else strong
        # an eighth's rest at each pause if the line can have it, then the longest notes
        leads = [lead(unit, breath) for breath in (2, 0) for unit in units]
        reaching = [(onsets, rests, t) for onsets, rests, t in leads if land - spb // 2 <= t <= land]
        if n > 1 and reaching and land <= span - 4:
            onsets, rests, sung_for = reaching[0]
            start = land - sung_for
            if n == 2:  # "Hold on", "Oh, no": from the downbeat, the last on the next strong beat
                start, land = 0, min(land, strong)
            elif start > 4 and sung_for <= land - strong:  # not two beats' rest first
                start, land = 0, land - strong
        else:
            onsets, rests, sung_for = lead(units[-1], 2)
            if sung_for > span - 4:  # no room to breathe
                onsets, rests, sung_for = lead(units[-1], 0)
            start, land = 0, -(-sung_for // strong) * strong
            held_into = land - onsets[-1] - rests[-1] if n > 1 else 0  # the syllable before the last
            if held_into > 8 or land > span - 4:
                land = -(-sung_for // 4) * 4
        on = [start + x for x in onsets] + [land]
        ends = [b - rest for b, rest in zip(on[1:], rests, strict=True)]
        ends.append(span + 2)  # the last held to the phrase's breath, as a whole line is sung
        return [(float(a), float(b - a)) for a, b in zip(on, ends, strict=True)]

    def within_reach(self, spread: list[tuple[float, float]], span: int) -> list[tuple[float, float]]:
        """A line's `spread` (rhythm()'s), its syllables brought within reach of each other.
        rhythm() draws onsets anywhere in the phrase, so a line of a few syllables more than
        its phrase has beats at times waits for its next syllable: of 7-syllable lines in 4/4
        ("We walk along the river") 3% wait more than three beats and 8% are silent more than
        one, as are 4% of 5-syllable lines in 3/4 and a quarter of 16-syllable lines over
        four bars. A syllable that comes later than REACH_BEATS after the one before, or after
        more than REST_BEATS of silence, is moved back to the last eighth within a half note
        and an eighth's rest of it (the ones after follow only where they must in turn); a
        line already within reach keeps its notes, and the song's generator is not drawn from."""
        on = [a for a, _dur in spread]

        def too_far(a: float, b: float) -> bool:
            gap = self.time(0, b) - self.time(0, a)
            return (gap > REACH_BEATS * self.beat + 1e-6
                    or gap - SOUNDED * min(b - a, 8) * self.step > REST_BEATS * self.beat + 1e-6)

        if not any(too_far(a, b) for a, b in zip(on, on[1:], strict=False)):
            return spread
        for k in range(1, len(on)):
            if too_far(on[k - 1], on[k]):
                to = 2 * np.floor((on[k - 1] + 10) / 2)  # the last eighth within a half note and an eighth
                while to - 2 > on[k - 1] and too_far(on[k - 1], to):
                    to -= 2
                on[k] = float(to)
        ends = on[1:] + [min(span + 2, on[-1] + 8)]
        return [(a, float(min(b - a, 8))) for a, b in zip(on, ends, strict=True)]

    def contour(self, n: int, start_deg: int, lo: int, hi: int) -> list[int]:
        rng = self.rng
        degs, d = [], start_deg
        for _i in range(n):
            degs.append(d)
            step = int(rng.choice([-2, -1, -1, 0, 1, 1, 2, 3, -3], p=[.1, .22, .1, .08, .22, .1, .1, .04, .04]))
            d = int(np.clip(d + step, lo, hi))
        return degs

    def deg_to_midi(self, deg: int, base: int) -> int:
        sc = self.style.scale
        if self.style.mode == "minor" and deg % 7 == 6:
            # the flat seventh makes a minor tune sound like its relative major; step past it
            deg += 1 if self.rng.random() < 0.5 else -1
        return base + 12 * (deg // 7) + sc[deg % 7]

    def melody(self, plans, chords, *, sung: bool, low: int, high: int) -> list[Note]:
        """One phrase per lyric line (sung) or per two bars (instrumental); a section's motif
        returns every time the section does, so choruses are recognisable."""
        s, rng = self.style, self.rng
        base = low + (s.tonic - low) % 12  # the lowest tonic inside the range
        span_deg = int((high - base) / 12 * 7)
        notes: list[Note] = []
        motifs: dict[tuple[str, int], tuple[list, list]] = {}
        bar = 0
        for p in plans:
            lift = 2 if p.kind == "chorus" else 0
            lines = p.lines if sung else []
            phrases = len(lines) if lines else (p.bars // 2 if p.kind not in ("intro", "outro") or not sung else 0)
            if lines:  # each line the bars it needs to be sung whole, as far as the section has them
                wants = [phrase_bars(len(line), s.beats_per_bar) for line in lines]
                allotted = allot(p.bars, wants)
            else:
                wants = [2] * phrases
                allotted = [max(1, p.bars // max(1, phrases))] * phrases
            for i in range(phrases):
                n = len(lines[i]) if lines else int(np.clip(rng.normal(4 + 6 * s.energy, 1.5), 3, 12))
                length = min(wants[i], allotted[i])
                key = (p.kind, n, length) if lines else (p.kind, i % 2)
                if key not in motifs:
                    r = self.rhythm(n, length, s.energy)
                    if lines:
                        r = self.together(lines[i], length, r)
                    start = int(rng.choice([0, 0, 2, 4, 7])) + lift  # phrases start at home more often than not
                    motifs[key] = (r, self.contour(len(r), start, 0, max(4, span_deg - 1)))
                r, degs = motifs[key]
                if i % 2 == 1 and not lines:  # answer phrase: same rhythm, new ending
                    tail = self.contour(2, degs[-2] if len(degs) > 1 else 2, 0, span_deg - 1)
                    degs = degs[:-2] + tail[:len(degs[-2:])]
                pbar = bar + sum(allotted[:i])
                for j, ((on, dur), deg) in enumerate(zip(r, degs, strict=False)):
                    b = pbar + int(on // self.steps_per_bar)
                    if b >= bar + p.bars:
                        break
                    root, pcs = chords[min(b, len(chords) - 1)]
                    midi = self.deg_to_midi(deg, base)
                    if on % 4 == 0 and midi % 12 not in pcs:  # strong beats sit on chord tones
                        ups = [midi + k for k in (1, -1, 2, -2) if (midi + k) % 12 in pcs]
                        midi = ups[0] if ups else midi
                    last_of_phrase = j == len(r) - 1
                    if last_of_phrase and root == s.tonic:  # phrases come home to the tonic
                        midi = min((midi + k for k in range(-6, 7) if (midi + k) % 12 == s.tonic),
                                   key=lambda m: abs(m - midi))
                    midi = int(np.clip(midi, low, high))
                    ok = [(s.tonic + d) % 12 for d in s.scale] + list(pcs)  # chord tones include the leading tone
                    while midi % 12 not in ok and midi < high:
                        midi += 1
                    t = self.time(b, on % self.steps_per_bar)
                    syl = lines[i][j] if lines and j < len(lines[i]) else None
                    notes.append(Note(t, dur * self.step * SOUNDED, midi, 0.75 + 0.2 * (on % 4 == 0), syl))
            bar += p.bars
        return self.weird(notes)

    def weird(self, notes: list[Note]) -> list[Note]:
        """weirdnessConstraint: ≈0.4·x of notes leave the scale, ≈0.3·x leave the grid, plus jitter."""
        x = self.style.weirdness
        if x <= 0:
            return notes
        rng = self.rng
        scale_pcs = {(self.style.tonic + d) % 12 for d in self.style.scale}
        for n in notes:
            if rng.random() < 0.4 * x:
                for k in ((1, -1) if rng.random() < .5 else (-1, 1)):
                    if (n.pitch + k) % 12 not in scale_pcs:
                        n.pitch += k
                        break
            if rng.random() < 0.3 * x:
                n.start += float(rng.choice([-0.5, 0.5, 0.33, -0.33])) * self.step
            n.start = max(0.0, n.start + float(rng.uniform(-1, 1)) * 0.025 * x)
        return notes

    # -- accompaniment ---------------------------------------------------------------------
    def comp(self, instrument: str, plans, chords, center: int) -> list[Note]:
        rng = self.rng
        pats = COMP_PATTERNS.get(instrument, COMP_PATTERNS["pad"])
        pat = pats[self.variant % len(pats)]
        notes, prev, bar = [], None, 0
        spb = self.steps_per_bar
        for p in plans:
            lvl = LEVEL[p.kind]
            for _b in range(p.bars):
                root, pcs = chords[bar]
                if instrument == "dist_guitar":
                    r = center - 12 + (root - center) % 12
                    voicing = [r, r + 7, r + 12]
                else:
                    voicing = self.voice(pcs, prev, center)
                    prev = voicing
                last = bar == len(chords) - 1
                hits = [(0, spb)] if last else pat
                for on, dur in hits:
                    if on >= spb:
                        continue
                    t = self.time(bar, on)
                    for k, m in enumerate(voicing):
                        strum = k * 0.012 if instrument in ("guitar", "dist_guitar") else 0.0
                        v = (0.55 + 0.35 * lvl) * (1.0 if on % 4 == 0 else 0.7) * float(rng.uniform(.9, 1.0))
                        notes.append(Note(t + strum, min(dur, spb - on) * self.step * 0.95, m, v))
                bar += 1
        return notes

    def bass(self, instrument: str, plans, chords) -> list[Note]:
        s, rng = self.style, self.rng
        opts = BASS_PATTERNS.get(s.groove, BASS_PATTERNS["pop"])
        pat = opts[self.variant % len(opts)]
        low = 28 if instrument == "808" else 33
        notes, bar = [], 0
        spb = self.steps_per_bar
        for p in plans:
            for b in range(p.bars):
                root, pcs = chords[bar]
                r = low + (root - low) % 12
                nxt = chords[min(bar + 1, len(chords) - 1)][0]
                if p.kind == "intro" and b < p.bars // 2:
                    bar += 1
                    continue
                if s.groove == "jazz":  # walking: root, chord tone, chord tone, approach the next root
                    tgt = low + (nxt - low) % 12
                    line = [r, r + (pcs[1] - root) % 12, r + (pcs[2] - root) % 12,
                            tgt + (1 if rng.random() < .5 else -1)]
                    for q, m in enumerate(line[: s.beats_per_bar]):
                        notes.append(Note(self.time(bar, q * 4), self.beat * 0.9, m, 0.8))
                elif bar == len(chords) - 1:
                    notes.append(Note(self.time(bar, 0), spb * self.step, r, 0.85))
                else:
                    for on, dur, iv in pat:
                        if on >= spb:
                            continue
                        m = r + iv
                        # off-beat notes lighter: the beat should read as the beat, not a 3+3+2 cycle
                        vel = 0.95 if on == 0 else (0.85 if on % 4 == 0 else 0.7)
                        notes.append(Note(self.time(bar, on), dur * self.step * 0.9, m, vel))
                bar += 1
        return notes

    def arp(self, plans, chords, center: int, kinds=("chorus", "break", "bridge")) -> list[Note]:
        rng = self.rng
        rate = 2 if self.style.energy > 0.6 else 4
        order = [0, 1, 2, 1] if rng.random() < 0.5 else [0, 1, 2, 3]
        notes, bar = [], 0
        for p in plans:
            for _ in range(p.bars):
                if p.kind in kinds or self.style.groove == "none":
                    _, pcs = chords[bar]
                    v = self.voice(pcs, None, center)
                    v = v + [v[0] + 12]
                    for k, on in enumerate(range(0, self.steps_per_bar, rate)):
                        m = v[order[k % len(order)] % len(v)]
                        notes.append(Note(self.time(bar, on), rate * self.step * 0.8, m, 0.55 + 0.1 * (on % 4 == 0)))
                bar += 1
        return notes

    def drums(self, plans) -> list[Hit]:
        s = self.style
        if s.palette.get("drums") is None or s.groove == "none":
            return []
        pattern = drum_pattern(s.groove, s.beats_per_bar, self.variant, s.energy)
        hits, bar = [], 0
        spb = self.steps_per_bar
        for si, p in enumerate(plans):
            lvl = LEVEL[p.kind]
            for b in range(p.bars):
                last_bar = b == p.bars - 1
                if p.kind == "outro" and b >= max(1, p.bars // 2):
                    if b == p.bars - 1 and bar == sum(q.bars for q in plans) - 1:
                        hits.append(Hit(self.time(bar, 0), "crash", 0.7))
                    bar += 1
                    continue
                for name, steps in pattern.items():
                    if p.kind == "intro" and name not in ("hat", "shaker", "ride"):
                        continue
                    if p.kind in ("bridge",) and name == "kick" and b % 2 == 1:
                        continue
                    for on, v in steps:
                        if (last_bar and p.kind != "outro" and on >= spb / 2 and name in ("snare", "clap")
                                and si + 1 < len(plans)):
                            continue
                        hits.append(Hit(self.time(bar, on), name, v * (0.75 + 0.25 * lvl)))
                if b == 0 and p.kind in ("chorus", "break") :
                    hits.append(Hit(self.time(bar, 0), "crash", 0.8))
                if last_bar and si + 1 < len(plans) and p.kind not in ("intro",):
                    for k, on in enumerate(range(spb // 2, spb, 2 if s.energy < 0.7 else 1)):
                        hits.append(Hit(self.time(bar, on), "snare", 0.45 + 0.5 * k / spb))
                bar += 1
        return hits


def compose(style: Style, plans: list[SectionPlan], seed: int, *, sung: bool, gender: str = "f", variant: int = 0,
            t0: float = 0.0, melody: list[Note] | None = None,
            chords: list | None = None, vocal_range: tuple[int, int] | None = None) -> Score:
    """`vocal_range`: the singer's lowest and highest notes (singer.py); the gender's stock
    range without one. The melody is written in the style's key inside it."""
    c = Composer(style, seed, t0=t0, variant=variant)
    chords = chords or c.progressions(plans)
    center = int(c.rng.choice([60, 62, 64, 66]))  # chord register differs between variations
    parts: dict[str, Part] = {}
    pal = style.palette
    if pal.get("chords"):
        parts["chords"] = Part(pal["chords"], c.comp(pal["chords"], plans, chords, center), 0.55, -0.15)
    if pal.get("bass"):
        parts["bass"] = Part(pal["bass"], c.bass(pal["bass"], plans, chords), 0.65, 0.0)
    if pal.get("arp"):
        parts["arp"] = Part(pal["arp"], c.arp(plans, chords, center + 12), 0.35, 0.3)
    for k, extra in enumerate(style.extras[:3]):
        if extra in ("pad", "strings", "organ", "piano"):
            notes = c.comp(extra, [SectionPlan(p.kind, p.bars) for p in plans], chords, center + 5)
            notes = _only_sections(notes, plans, c, ("chorus", "bridge", "break", "outro"))
        else:
            notes = c.arp(plans, chords, center + 12, kinds=("chorus",))
        parts[f"extra{k}"] = Part(extra, notes, 0.3, 0.35 * (-1) ** k)
    vocal: list[Note] = []
    sung_any = sung and any(p.lines for p in plans)
    lead_low, lead_high = (64, 86) if pal.get("lead") not in ("bass", "808") else (48, 72)
    if melody is not None:
        lead_notes = melody
    else:
        if sung_any:
            low, high = vocal_range or ((45, 64) if gender == "m" else (57, 76))
            vocal = c.melody(plans, chords, sung=True, low=low, high=high)
        lead_notes = c.melody(plans, chords, sung=False, low=lead_low, high=lead_high)
        if sung_any:  # the lead answers the singer: it plays only where nobody sings
            sung_spans = _sung_spans(plans, c)
            lead_notes = [n for n in lead_notes if not any(a <= n.start < b for a, b in sung_spans)]
    if pal.get("lead") and lead_notes:
        parts["lead"] = Part(pal["lead"], lead_notes, 0.6, 0.1)
    hits = c.drums(plans)
    secs, t = [], t0
    for p in plans:
        secs.append((p.kind, t, t + p.bars * c.beat * style.beats_per_bar))
        t = secs[-1][2]
    tail = 2.5
    return Score(duration=t + tail, tempo=style.tempo, beats_per_bar=style.beats_per_bar, t0=t0, parts=parts,
                 drums=hits, vocal=vocal, sections=secs, chords=chords, variant=variant)


def _sung_spans(plans, c: Composer):
    spans, bar = [], 0
    for p in plans:
        if p.lines:
            spans.append((c.time(bar, 0) - 0.01, c.time(bar + p.bars, 0)))
        bar += p.bars
    return spans


def _only_sections(notes, plans, c: Composer, kinds):
    spans, bar = [], 0
    for p in plans:
        if p.kind in kinds:
            spans.append((c.time(bar, 0) - 0.01, c.time(bar + p.bars, 0)))
        bar += p.bars
    return [n for n in notes if any(a <= n.start < b for a, b in spans)]
