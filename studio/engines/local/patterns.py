"""Rhythm patterns on a sixteenth-note grid (step 0 = downbeat, 16 steps per 4/4 bar).

Each groove has more than one pattern so the two variations of a request can differ in feel.
"""
from __future__ import annotations

# (onset step, length in steps) per chord hit
COMP_PATTERNS = {
    "pad": [[(0, 16)], [(0, 8), (8, 8)]],
    "strings": [[(0, 16)], [(0, 12), (12, 4)]],
    "organ": [[(0, 16)], [(2, 2), (6, 2), (10, 2), (14, 2)]],
    "piano": [[(0, 6), (6, 4), (10, 6)], [(0, 4), (4, 4), (8, 4), (12, 4)], [(0, 3), (3, 5), (8, 3), (11, 5)],
              [(0, 8), (8, 8)]],
    "epiano": [[(0, 6), (6, 10)], [(0, 3), (3, 5), (10, 6)], [(0, 8), (10, 6)]],
    "guitar": [[(0, 2), (4, 2), (6, 2), (10, 2), (12, 2), (14, 2)], [(0, 4), (4, 2), (6, 2), (8, 4), (12, 2), (14, 2)],
               [(0, 3), (3, 3), (6, 2), (8, 3), (11, 3), (14, 2)]],
    "dist_guitar": [[(k, 2) for k in range(0, 16, 2)], [(0, 3), (3, 3), (6, 2), (8, 2), (10, 2), (12, 4)],
                    [(0, 6), (6, 2), (8, 6), (14, 2)]],
    "bell": [[(0, 4), (6, 4), (12, 4)]],
    "pluck": [[(0, 2), (3, 2), (6, 2), (10, 2), (12, 2)], [(2, 2), (6, 2), (10, 2), (14, 2)]],
    "flute": [[(0, 16)]],
    "brass": [[(0, 3), (6, 3), (12, 4)], [(0, 8), (8, 8)]],
    "lead": [[(0, 16)]],
    "square_lead": [[(0, 4), (6, 4), (12, 4)]],
    "synth_bass": [[(0, 16)]],
}

# (onset step, length in steps, interval above the chord root)
BASS_PATTERNS = {
    "pop": [[(0, 6, 0), (6, 2, 0), (8, 6, 0), (14, 2, 7)], [(0, 4, 0), (4, 4, 0), (8, 4, 0), (12, 4, 0)],
            [(0, 3, 0), (3, 1, 0), (4, 4, 0), (8, 3, 0), (12, 4, 7)]],
    "rock": [[(k, 2, 0) for k in range(0, 16, 2)], [(0, 2, 0), (2, 2, 0), (4, 2, 0), (6, 2, 12), (8, 2, 0), (10, 2, 0),
                                                    (12, 2, 7), (14, 2, 0)]],
    "metal": [[(k, 1, 0) for k in range(0, 16)]],
    "four_on_floor": [[(2, 2, 0), (6, 2, 0), (10, 2, 0), (14, 2, 0)],
                      [(2, 2, 0), (6, 2, 12), (10, 2, 0), (14, 2, 12)], [(0, 2, 0), (2, 1, 12), (6, 2, 0), (8, 2, 0),
                                                                          (10, 1, 12), (14, 2, 0)]],
    "boombap": [[(0, 6, 0), (7, 3, 0), (10, 4, 0)], [(0, 4, 0), (6, 2, 0), (10, 6, 0)]],
    "halftime": [[(0, 10, 0), (10, 6, 0)], [(0, 14, 0), (14, 2, 7)]],
    "trap": [[(0, 10, 0), (10, 6, 0)], [(0, 6, 0), (6, 4, 0), (11, 5, 0)], [(0, 14, 0), (14, 2, 12)]],
    "funk": [[(0, 2, 0), (3, 1, 12), (6, 2, 0), (8, 1, 0), (10, 2, 7), (11, 1, 12), (14, 2, 0)],
             [(0, 3, 0), (3, 1, 0), (7, 1, 12), (8, 2, 0), (11, 2, 10), (14, 2, 12)]],
    "reggae": [[(0, 3, 0), (4, 2, 0), (6, 2, 7), (10, 4, 0), (14, 2, 0)], [(2, 2, 0), (4, 4, 0), (10, 2, 7), (12, 4,
                                                                                                              0)]],
    "jazz": [[(0, 4, 0), (4, 4, 7), (8, 4, 12), (12, 4, 7)]],
    "synthwave": [[(k, 2, 0 if k % 4 else 12) for k in range(0, 16, 2)], [(k, 2, 0) for k in range(0, 16, 2)]],
    "tropical": [[(0, 3, 0), (3, 3, 0), (6, 2, 7), (8, 3, 0), (11, 3, 0), (14, 2, 7)],
                 [(0, 4, 0), (6, 2, 0), (8, 4, 0), (14, 2, 12)]],
    "folk": [[(0, 4, 0), (8, 4, 7)], [(0, 4, 0), (4, 4, 7), (8, 4, 0), (12, 4, 7)]],
    "dnb": [[(0, 10, 0), (10, 6, 0)], [(0, 6, 0), (10, 6, 12)]],
    "none": [[(0, 16, 0)]],
}

_P = {
    # groove: list of variants, each {drum: "x...x..." string of 16 steps}; x loud, o medium, . rest, g ghost
    "pop": [{"kick": "x.....x.x.......", "snare": "....x.......x...", "hat": "x.o.x.o.x.o.x.o."},
            {"kick": "x.......x.x.....", "snare": "....x.......x..g", "hat": "xoxoxoxoxoxoxoxo"}],
    "rock": [{"kick": "x.....x.x.......", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
             {"kick": "x.x.....x.x.....", "snare": "....x.......x...", "ride": "x.x.x.x.x.x.x.x."}],
    "metal": [{"kick": "xxxxxxxxxxxxxxxx", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
              {"kick": "x.xxx.xxx.xxx.xx", "snare": "....x.......x...", "ride": "x...x...x...x..."}],
    "four_on_floor": [{"kick": "x...x...x...x...", "clap": "....x.......x...", "hat": "..x...x...x...x.",
                       "shaker": "oooooooooooooooo"},
                      {"kick": "x...x...x...x.x.", "snare": "....x.......x...", "hat": "xxx.xxx.xxx.xxx.",
                       "openhat": "..x...x...x...x."}],
    "boombap": [{"kick": "x.....x...x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.xo"},
                {"kick": "x..x......x..x..", "snare": "....x..g....x...", "hat": "x.o.x.o.x.o.x.o."}],
    "trap": [{"kick": "x.......x.x.....", "clap": "........x.......", "hat": "x.x.x.x.xxx.x.xx"},
             {"kick": "x.....x...x.....", "snare": "........x.......", "hat": "xxx.x.x.x.xxxxx."}],
    "halftime": [{"kick": "x.........x.....", "snare": "........x.......", "hat": "x.x.x.x.x.x.x.x."},
                 {"kick": "x.....x.........", "snare": "........x.......", "ride": "x...x...x...x..."}],
    "funk": [{"kick": "x..x..x...x..x..", "snare": "....x..g.g..x..g", "hat": "xoxoxoxoxoxoxoxo"},
             {"kick": "x.x...x..x......", "snare": "....x.......x.g.", "hat": "xxoxxxoxxxoxxxox"}],
    "reggae": [{"kick": "........x.......", "snare": "........x.......", "hat": "..x...x...x...x."},
               {"kick": "x.......x.......", "rim": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."}],
    "jazz": [{"kick": "x.........x.....", "ride": "x...x..ox...x..o", "hat": "....x.......x..."},
             {"kick": "x.......x.......", "ride": "x...x.ox....x.ox", "rim": "............x..."}],
    "synthwave": [{"kick": "x.......x.......", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
                  {"kick": "x...x...x...x...", "snare": "....x.......x...", "hat": "xoxoxoxoxoxoxoxo"}],
    "tropical": [{"kick": "x...x...x...x...", "rim": "...x..x....x..x.", "shaker": "xoxoxoxoxoxoxoxo"},
                 {"kick": "x.......x.......", "snare": "...x..x....x..x.", "hat": "x.x.x.x.x.x.x.x."}],
    "folk": [{"kick": "x.......x.......", "rim": "....x.......x...", "shaker": "x.o.x.o.x.o.x.o."},
             {"kick": "x...x...x...x...", "snare": "....x.......x...", "hat": "x...x...x...x..."}],
    "dnb": [{"kick": "x.........x.....", "snare": "....x.......x...", "hat": "x.x.x.x.x.x.x.x."},
            {"kick": "x.x.......x.....", "snare": "....x..g.g..x...", "hat": "xoxoxoxoxoxoxoxo"}],
}
_WALTZ = [{"kick": "x...........", "snare": "....x...x...", "hat": "x.x.x.x.x.x."},
          {"kick": "x.......x...", "rim": "....x...x...", "ride": "x...x...x..."}]
_VEL = {"x": 1.0, "o": 0.6, "g": 0.3}


def drum_pattern(groove: str, beats_per_bar: int, variant: int, energy: float) -> dict:
    variants = _WALTZ if beats_per_bar == 3 else _P.get(groove, _P["pop"])
    chosen = variants[variant % len(variants)]
    out = {}
    for name, row in chosen.items():
        steps = [(i, _VEL[c]) for i, c in enumerate(row) if c in _VEL]
        if energy < 0.4 and name in ("hat", "shaker"):  # quiet songs: lighter hats
            steps = [(i, v * 0.7) for i, v in steps if i % 2 == 0]
        out[name] = steps
    return out
