"""Every rule of the seeds, through the one validator that forms and the API share."""
import pytest

from studio.generation import rules
from studio.generation.rules import RuleError, validate

# the validator is pure: no row, no job (.ci/run runs it once, in the SQLite pass)
pytestmark = pytest.mark.db_agnostic


def broken(operation, data):
    with pytest.raises(RuleError) as caught:
        validate(operation, data)
    return caught.value


# --- generate: the customMode x instrumental matrix (seed 004) ---

def test_non_custom_needs_only_a_prompt():
    assert validate("generate", {"customMode": False, "instrumental": True, "model": "V4",
                                 "prompt": "a calm piano piece"}).prompt == "a calm piano piece"


def test_non_custom_prompt_is_required():
    error = broken("generate", {"customMode": False, "instrumental": False, "model": "V4"})
    assert (error.field, error.kind) == ("prompt", "required")


@pytest.mark.parametrize("model", rules.MODELS)
def test_non_custom_prompt_is_at_most_500_characters_for_every_model(model):
    validate("generate", {"customMode": False, "model": model, "prompt": "x" * 500})
    error = broken("generate", {"customMode": False, "model": model, "prompt": "x" * 501})
    assert (error.field, error.kind) == ("prompt", "too_long")
    assert error.message() == "Prompt is 501 characters; the limit is 500"


def test_custom_instrumental_needs_style_and_title_but_no_lyrics():
    out = validate("generate", {"customMode": True, "instrumental": True, "model": "V5",
                                "style": "Classical", "title": "Peaceful"})
    assert out.prompt == ""


@pytest.mark.parametrize("missing", ["style", "title"])
def test_custom_mode_requires_style_and_title(missing):
    data = {"customMode": True, "instrumental": True, "model": "V5", "style": "Jazz",
            "title": "Night"}
    del data[missing]
    error = broken("generate", data)
    assert (error.field, error.kind) == (missing, "required")


def test_custom_vocal_song_requires_lyrics():
    error = broken("generate", {"customMode": True, "instrumental": False, "model": "V5",
                                "style": "Jazz", "title": "Night"})
    assert (error.field, error.kind) == ("prompt", "required")


LIMIT_TABLE = [
    ("V4", 3000, 200, 80), ("V4_5", 5000, 1000, 100), ("V4_5PLUS", 5000, 1000, 100),
    ("V4_5ALL", 5000, 1000, 80), ("V5", 5000, 1000, 100),
]


@pytest.mark.parametrize("model, lyrics, style, title", LIMIT_TABLE)
def test_custom_limits_by_model_accept_the_limit_and_refuse_one_more(model, lyrics, style,
                                                                     title):
    ok = {"customMode": True, "instrumental": False, "model": model, "prompt": "l" * lyrics,
          "style": "s" * style, "title": "t" * title}
    validate("generate", ok)
    for field, limit in (("prompt", lyrics), ("style", style), ("title", title)):
        error = broken("generate", {**ok, field: "x" * (limit + 1)})
        assert (error.field, error.kind) == (field, "too_long")
        assert f"{model} allows {limit:,}" in error.message()


def test_error_names_the_field_in_the_surfaces_words():
    error = broken("generate", {"customMode": True, "model": "V4", "style": "s",
                                "title": "t", "prompt": "x" * 5210})
    assert error.message(rules.FORM_LABELS) == "Lyrics are 5,210 characters; V4 allows 3,000"
    assert error.message() == "Prompt is 5,210 characters; V4 allows 3,000"


@pytest.mark.parametrize("model", ["V3", "v5", "", None])
def test_model_must_be_one_of_the_five_or_defaults(model):
    data = {"customMode": False, "prompt": "song", "model": model}
    if model in ("", None):
        assert validate("generate", data).model == rules.DEFAULT_MODEL
    elif model == "v5":  # a legacy client's spelling
        assert validate("generate", data).model == "V5"
    else:
        assert broken("generate", data).field == "model"


@pytest.mark.parametrize("value", ["yes", 1, "1"])
def test_flags_must_be_booleans(value):
    assert broken("generate", {"customMode": value, "prompt": "x"}).field == "customMode"


def test_flags_accept_true_and_false_strings():
    out = validate("generate", {"customMode": "false", "instrumental": "true", "prompt": "x"})
    assert out.custom_mode is False and out.instrumental is True


# --- tuning parameters ---

SNAKE = {"styleWeight": "style_weight", "weirdnessConstraint": "weirdness_constraint",
         "audioWeight": "audio_weight"}

@pytest.mark.parametrize("field", rules.WEIGHTS)
@pytest.mark.parametrize("value", [0, 1, 0.5, "0.65", 0.01])
def test_weights_accept_0_to_1_in_steps_of_001(field, value):
    out = validate("generate", {"prompt": "x", field: value})
    assert getattr(out, SNAKE[field]) == float(value)


@pytest.mark.parametrize("field", rules.WEIGHTS)
@pytest.mark.parametrize("value", [-0.01, 1.01, 0.655, "abc", True, float("nan")])
def test_weights_refuse_out_of_range_or_finer_steps(field, value):
    error = broken("generate", {"prompt": "x", field: value})
    assert (error.field, error.kind) == (field, "invalid")


def test_vocal_gender_is_m_or_f():
    assert validate("generate", {"prompt": "x", "vocalGender": "f"}).vocal_gender == "f"
    assert broken("generate", {"prompt": "x", "vocalGender": "x"}).field == "vocalGender"


def test_persona_only_in_custom_mode():
    assert broken("generate", {"prompt": "x", "personaId": "p1"}).field == "personaId"
    out = validate("generate", {"customMode": True, "instrumental": True, "style": "s",
                                "title": "t", "personaId": "p1"})
    assert out.persona_id == "p1"


def test_negative_tags_are_kept():
    assert validate("generate", {"prompt": "x", "negativeTags": "metal"}).negative_tags == \
        "metal"


# --- generate-instrumental (seed 000) ---

def test_instrumental_needs_tags():
    assert broken("instrumental", {"title": "t"}).field == "tags"
    out = validate("instrumental", {"tags": "tropical house, wave, synthwave",
                                    "title": "crazy and wild"})
    assert out.style == "tropical house, wave, synthwave" and out.instrumental is True


def test_instrumental_tags_follow_the_style_limit():
    assert broken("instrumental", {"tags": "x" * 201, "model": "V4"}).kind == "too_long"


# --- extend ---

def test_extend_needs_the_track_and_the_second():
    assert broken("extend", {"continueAt": 10}).field == "audioId"
    assert broken("extend", {"audioId": "a"}).field == "continueAt"


@pytest.mark.parametrize("value", [0, -1, "x", float("nan")])
def test_continue_at_must_be_a_positive_number(value):
    assert broken("extend", {"audioId": "a", "continueAt": value}).field == "continueAt"


def test_continue_at_must_be_inside_the_track():
    assert rules.continue_at(59.9, required=True, duration=60) == 59.9
    with pytest.raises(RuleError, match="less than the track's length"):
        rules.continue_at(60, required=True, duration=60)


def test_extend_with_default_params_false_needs_no_continue_at():
    out = validate("extend", {"audioId": "a", "defaultParamFlag": False})
    assert out.continue_at is None


# --- upload-cover (seed 004) ---

def test_cover_needs_an_upload():
    error = broken("upload_cover", {"prompt": "x"})
    assert (error.field, error.kind) == ("uploadUrl", "required")


def test_cover_follows_the_same_matrix_as_generate():
    base = {"uploadUrl": "https://example.com/a.mp3", "model": "V4"}
    validate("upload_cover", {**base, "prompt": "x"})
    assert broken("upload_cover", {**base, "customMode": True, "instrumental": True,
                                   "style": "s"}).field == "title"
    assert broken("upload_cover", {**base, "customMode": True, "instrumental": False,
                                   "style": "s", "title": "t"}).field == "prompt"
    assert broken("upload_cover", {**base, "prompt": "x" * 501}).kind == "too_long"


@pytest.mark.parametrize("model, seconds, ok", [
    ("V4_5", 8 * 60, True), ("V4_5", 8 * 60 + 1, False),
    ("V4_5ALL", 60, True), ("V4_5ALL", 61, False),
])
def test_upload_length_by_model(model, seconds, ok):
    if ok:
        rules.check_upload_length(seconds, model)
    else:
        with pytest.raises(RuleError, match=f"{model} accepts at most"):
            rules.check_upload_length(seconds, model)


# --- add-instrumental (seeds 002, 004) ---

SEED_002 = {"uploadUrl": "https://example.com/music.mp3", "title": "Relaxing Piano",
            "negativeTags": "Heavy Metal, Aggressive Drums",
            "tags": "Relaxing Piano, Ambient, Peaceful",
            "callBackUrl": "https://api.example.com/callback", "vocalGender": "m",
            "styleWeight": 0.61, "weirdnessConstraint": 0.72, "audioWeight": 0.65}


def test_seed_002_sample_is_valid():
    out = validate("add_instrumental", SEED_002)
    assert out.model == "V4_5PLUS" and out.style_weight == 0.61


@pytest.mark.parametrize("missing", ["uploadUrl", "title", "tags", "negativeTags"])
def test_add_instrumental_requires(missing):
    data = dict(SEED_002)
    del data[missing]
    assert broken("add_instrumental", data).field == missing


@pytest.mark.parametrize("model", ["V4", "V4_5", "V4_5ALL"])
def test_add_instrumental_only_on_v4_5plus_and_v5(model):
    assert broken("add_instrumental", {**SEED_002, "model": model}).field == "model"


# --- every field at once, and the rules that need the source ---

def test_every_broken_field_is_reported_at_once():
    error = broken("generate", {"customMode": True, "instrumental": False, "model": "V4",
                                "style": "s" * 201, "title": "", "styleWeight": 2})
    assert [(e.field, e.kind) for e in error.errors] == [
        ("title", "required"), ("prompt", "required"), ("style", "too_long"),
        ("styleWeight", "invalid")]
    assert error.message() == ("Title is required in custom mode; Prompt is required in "
                               "custom mode unless instrumental (they are sung as written); "
                               "Style is 201 characters; V4 allows 200; StyleWeight must be "
                               "from 0 to 1; got 2")


# An extension's own settings, which the API asks for whole (suno_api.md §2 row 2).
OWN = {"style": "folk", "title": "Tide II", "prompt": "On and on"}


def test_continue_at_outside_the_source_is_refused_with_its_length():
    source = rules.Context(source=rules.Source(30.0))
    with pytest.raises(RuleError, match=r"less than the track's length \(30.0 s\); got 99"):
        validate("extend", {"audioId": "a", "continueAt": 99, **OWN}, source)
    assert validate("extend", {"audioId": "a", "continueAt": 29.5, **OWN}, source).continue_at == 29.5


def test_continue_at_must_leave_room_before_the_models_end():
    source = rules.Context(source=rules.Source(400.0))
    error = broken_with("extend", {"audioId": "a", "continueAt": 236, "model": "V4", **OWN}, source)
    assert "V4 songs end at 240 s" in error.message()
    assert validate("extend", {"audioId": "a", "continueAt": 235, "model": "V4", **OWN},
                    source).continue_at == 235


def test_extend_without_default_params_continues_from_the_sources_end():
    out = validate("extend", {"audioId": "a", "defaultParamFlag": False},
                   rules.Context(source=rules.Source(61.25)))
    assert out.continue_at == 61.25 and out.default_param_flag is False


def test_the_source_is_looked_up_only_when_every_other_field_is_valid():
    asked = []

    def find(field, value):
        asked.append((field, value))
        return rules.Source(90.0)

    broken_with("upload_cover", {"uploadUrl": "https://example.com/a.mp3", "prompt": ""},
                rules.Context(find_source=find))
    assert asked == []
    validate("upload_cover", {"uploadUrl": "https://example.com/a.mp3", "prompt": "x"},
             rules.Context(find_source=find))
    assert asked == [("uploadUrl", "https://example.com/a.mp3")]


def test_upload_length_is_checked_against_the_found_source():
    context = rules.Context(source=rules.Source(75.0))
    error = broken_with("upload_cover", {"uploadUrl": "u", "prompt": "x", "model": "V4_5ALL"},
                        context)
    assert error.field == "uploadUrl" and "V4_5ALL accepts at most 1:00" in error.message()


@pytest.mark.parametrize("model, name", [("V5_5", "chirp-fenix"), ("V5", "chirp-crow")])
def test_every_model_the_vendors_list_today_is_accepted(model, name):
    out = validate("generate", {"customMode": True, "model": model, "style": "s", "title": "t",
                                "prompt": "l" * 5000})
    assert out.model == model and out.limits.suno_name == name


def test_add_instrumental_accepts_v5_5():
    assert validate("add_instrumental", {**SEED_002, "model": "V5_5"}).model == "V5_5"


@pytest.mark.parametrize("text", ["bad \ud800 title", "nul \x00 title"])
def test_text_that_is_not_valid_unicode_is_refused_by_name(text):
    error = broken("generate", {"customMode": True, "instrumental": True, "style": "s",
                                "title": text})
    assert (error.field, error.kind) == ("title", "invalid")


def test_a_stored_request_reads_back_as_the_same_value():
    out = validate("extend", {"audioId": "a", "continueAt": "12.5", "style": "house", "title": "T",
                              "instrumental": "true", "styleWeight": "0.3"},
                   rules.Context(source=rules.Source(60)))
    assert rules.GenerationRequest.from_params("extend", out.as_params()) == out


def broken_with(operation, data, context):
    with pytest.raises(RuleError) as caught:
        validate(operation, data, context)
    return caught.value


def test_add_instrumental_needs_the_negative_tags_key_not_words_in_it():
    out = validate("add_instrumental", {**SEED_002, "negativeTags": ""})
    assert out.negative_tags == ""


def test_line_breaks_count_as_one_character_whatever_the_browser_sent():
    lyrics = "la\r\n" * 1250  # 5,000 characters as the page counts them, 6,250 as sent
    out = validate("generate", {"customMode": True, "style": "s", "title": "t", "model": "V5",
                                "prompt": lyrics})
    assert out.prompt == ("la\n" * 1250).strip()


def test_an_api_extension_with_its_own_settings_needs_them_the_browsers_form_need_not():
    error = broken_with("extend", {"audioId": "a", "continueAt": 10}, rules.Context())
    assert [e.field for e in error.errors] == ["style", "title", "prompt"]
    assert validate("extend", {"audioId": "a", "continueAt": 10}, rules.Context(surface="web")).continue_at == 10
    # an instrumental extension sings nothing: its words are not asked for
    assert validate("extend", {"audioId": "a", "continueAt": 10, "instrumental": True, "style": "folk",
                               "title": "T"}).instrumental is True
