"""Browser forms, one per creation mode. Each collects fields and hands them to
rules.validate(), so the words of every error come from the seeds' rules, shown beside the
field they name (every field's error at once). Uploads go through uploads.accept() first, so
an accepted file survives a form that is rejected for another reason."""
from __future__ import annotations

import json
import secrets
from dataclasses import replace
from pathlib import Path

from django import forms

from studio.library.models import Persona, Track

from . import rules, uploads
from .models import Mode, Status, Upload

GENDER_CHOICES = [("", "Any"), ("m", "Male"), ("f", "Female")]
# Per model, the character limits the page's counters show (custom fields and the idea).
LIMITS_JSON = json.dumps(rules.form_limits())


def replace_limits(track: Track) -> str:
    """The replace panel's counters' limits: the source's model's (the panel has no model to
    choose), keyed by "" as the page reads them: no internal model code is written into the
    page. The panel on the track page and the panel shown again with its errors read these."""
    model = track.generation.model if track.generation.model in rules.MODELS else \
        rules.DEFAULT_MODEL
    return json.dumps({"": rules.form_limits()[model]})


class WeightInput(forms.NumberInput):
    """A number 0..1 in steps of 0.01, paired with a slider by static/js/create.js."""

    template_name = "components/weight_widget.html"

    def __init__(self):
        super().__init__(attrs={"min": 0, "max": 1, "step": 0.01, "inputmode": "decimal",
                                "placeholder": "auto"})


class LyricsInput(forms.Textarea):
    """Lyrics, with buttons that insert a section marker at the caret (static/js/create.js):
    the markers the engines read as a song's structure."""

    template_name = "components/lyrics_widget.html"
    sections = ("Intro", "Verse", "Pre-Chorus", "Chorus", "Bridge", "Instrumental", "Outro")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["sections"] = [f"[{s}]" for s in self.sections]
        return context


class StyleInput(forms.Textarea):
    """A style, with a Boost style button (generation/writing.py) that grows it richer."""

    template_name = "components/style_widget.html"


def _text(label, *, rows=None, counter=None, required=False, help_text="", **attrs):
    if counter:
        attrs["data-counter"] = counter
    if counter == "prompt":
        widget = LyricsInput(attrs={"rows": rows, **attrs})
    elif counter in ("style", "tags") and rows:
        widget = StyleInput(attrs={"rows": rows, **attrs})
    elif rows:
        widget = forms.Textarea(attrs={"rows": rows, **attrs})
    else:
        widget = forms.TextInput(attrs)
    return forms.CharField(label=label, required=required, widget=widget, strip=False,
                           help_text=help_text)


def _model(codes: tuple[str, ...] = tuple(rules.MODELS),
           default: str = rules.DEFAULT_MODEL) -> forms.ChoiceField:
    """The models this mode takes, by the names creators know them by (V4.5+)."""
    return forms.ChoiceField(label="Model", initial=default,
                             choices=[(code, rules.MODELS[code].label) for code in codes])


def _instrumental() -> forms.BooleanField:
    return forms.BooleanField(label="Instrumental (no vocals)", required=False)


def _seconds(label: str, help_text: str, *, step: float = 0.01) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.NumberInput(attrs={"min": 0, "step": step,
                                                           "inputmode": "decimal"}))


class RulesForm(forms.Form):
    """A form whose cross-field rules live in `rules`. Subclasses set `operation`, `mode`
    and map rule fields onto their own field names where they differ (prompt -> idea)."""

    operation = rules.GENERATE
    mode = Mode.GENERATE
    title_text = ""
    labels = rules.FORM_LABELS  # how the rules' messages name each field on this form
    field_names: dict[str, str] = {}
    advanced_fields: tuple[str, ...] = ()
    source_fields: tuple[str, ...] = ()  # shown together as the audio to start from
    # The fields a library track chosen as the source fills, where nothing was typed
    # (views.from_track says with what; create.js fills them).
    source_fills: tuple[str, ...] = ()
    picks_second = False  # whether the source's waveform picks the second to continue from
    # Advanced fields a mode requires, so shown with the main fields (add-*: negativeTags).
    main_fields: tuple[str, ...] = ()
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owner=None, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(16))
        if owner is not None:  # Local, and each vendor connection the user may use
            from studio.connections import capability

            default = capability.default_for(owner)
            self.fields["engine"] = forms.ChoiceField(
                label="Engine", choices=capability.choices(owner), required=False,
                initial=str(default.pk) if default else capability.LOCAL)

    # The connection chosen in `engine` (None: the local engine), once the form is valid.
    connection = None

    @property
    def intro(self) -> str:
        """The mode in one sentence, for the page: the form's docstring."""
        return " ".join((type(self).__doc__ or "").split())

    def request_data(self) -> dict:
        """The form's values in the seeds' field names."""
        raise NotImplementedError

    def source(self) -> rules.Source | None:
        """The audio this mode builds on, once the form has found it."""
        return None

    def sources(self) -> tuple[rules.Source, ...]:
        """A mashup's two songs, once the form has found them."""
        return ()

    def clean(self):
        """The rules run even when a field was refused on its own (a file that is not audio,
        an unknown model), so every broken field is named at once; a field that already says
        what is wrong with it gets no second message."""
        cleaned = super().clean()
        refused = set(self.errors)
        try:
            data = self.request_data()
            context = rules.Context(surface="web", labels=self.labels, source=self.source(),
                                    sources=self.sources())
            self.generation_request = rules.validate(self.operation, data, context)
        except rules.InvalidRequest as invalid:
            for error in invalid.errors:
                field = self.field_for(error)
                if field not in refused:
                    self.add_error(field if field in self.fields else None,
                                   error.message(self.labels))
            return cleaned
        if self.errors:
            return cleaned
        if "engine" in self.fields:
            self._choose_engine(cleaned.get("engine"))
        return cleaned

    def field_for(self, error: rules.RuleError) -> str:
        """The form field a broken rule is shown beside."""
        return self.field_names.get(error.field, error.field)

    def _choose_engine(self, value) -> None:
        """The chosen connection, or the reason it cannot serve this request."""
        from studio.connections import capability

        try:
            self.connection = capability.connection_of(self.owner, value)
        except LookupError as problem:
            self.add_error("engine", str(problem))
            return
        refusal = capability.refusal(self.connection, self.generation_request,
                                     source_track=self.source_track, surface="web",
                                     persona=self._persona())
        if refusal:
            self.add_error("engine", refusal)

    def _persona(self):
        persona_id = self.generation_request.persona_id
        return Persona.objects.owned_by(self.owner).filter(pk=persona_id).first() \
            if persona_id else None

    # Where the generation's audio comes from, for modes that build on audio.
    source_track: Track | None = None
    upload: Upload | None = None
    second_upload: Upload | None = None  # a mashup's second song


class AdvancedMixin(forms.Form):
    """The seeds' optional tuning: negativeTags, vocalGender, and the three weights. A form
    shows only those that mean something in its mode (`advanced_fields`): no audio weight
    without source audio, no vocal gender where nothing is sung."""

    negativeTags = _text("Exclude styles", placeholder="e.g. heavy metal, aggressive drums")
    vocalGender = forms.ChoiceField(label="Vocal gender", choices=GENDER_CHOICES,
                                    required=False)
    styleWeight = forms.CharField(label="Style weight", required=False, widget=WeightInput(),
                                  help_text="How strictly to follow the style (0–1).")
    weirdnessConstraint = forms.CharField(label="Weirdness", required=False,
                                          widget=WeightInput(),
                                          help_text="How far to stray from convention (0–1).")
    audioWeight = forms.CharField(label="Audio weight", required=False, widget=WeightInput(),
                                  help_text="How much of the source audio to keep (0–1).")
    personaId = forms.ChoiceField(label="Persona", required=False, choices=(),
                                  help_text="A singer kept from one of your takes: sings with "
                                            "its voice, range and vibrato (custom mode).")
    advanced_fields = ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                       "audioWeight", "personaId")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in AdvancedMixin.advanced_fields:
            if name not in self.advanced_fields:
                del self.fields[name]
        if "vocalGender" in self.fields:  # hidden while "Instrumental" is ticked (create.js)
            self.fields["vocalGender"].widget.attrs["data-sung"] = ""
        if "personaId" in self.fields:
            self._persona_choices()

    def _persona_choices(self) -> None:
        """The owner's personas; no field at all for someone who has none."""
        mine = list(Persona.objects.owned_by(self.owner).values_list("id", "name")) \
            if self.owner is not None else []
        if not mine:
            del self.fields["personaId"]
            return
        field = self.fields["personaId"]
        field.choices = [("", "— the engine's own singer —"), *mine]
        field.widget.attrs["data-sung"] = ""

    def advanced_data(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.advanced_fields
                if data.get(name) not in (None, "")}


class SimpleForm(RulesForm):
    """Describe a song in up to 500 characters: Studio writes the lyrics and picks the sound."""

    title_text = "Simple"
    idea = _text("Describe your song", rows=4, counter="idea",
                 placeholder="A warm lo-fi song about rain on a city window, soft piano")
    instrumental = _instrumental()
    model = _model()
    field_names = {"prompt": "idea"}

    def request_data(self) -> dict:
        data = self.cleaned_data
        return {"customMode": False, "instrumental": data.get("instrumental", False),
                "model": data.get("model"), "prompt": data.get("idea", "")}


class CustomForm(AdvancedMixin, RulesForm):
    """Your style, title and lyrics: the lyrics are sung as written."""

    title_text = "Custom"
    title = _text("Title", counter="title", placeholder="Lighthouse Keeper")
    style = _text("Style", rows=2, counter="style",
                  placeholder="indie folk, acoustic guitar, warm, 96 bpm")
    instrumental = _instrumental()
    lyrics = _text("Lyrics", rows=10, counter="prompt",
                   placeholder="[Verse]\nThe light turns slow above the bay\n\n[Chorus]\n…")
    model = _model()
    field_names = {"prompt": "lyrics"}
    advanced_fields = ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                       "personaId")

    def request_data(self) -> dict:
        data = self.cleaned_data
        return {"customMode": True, "instrumental": data.get("instrumental", False),
                "model": data.get("model"), "style": data.get("style", ""),
                "title": data.get("title", ""), "prompt": data.get("lyrics", ""),
                **self.advanced_data()}


class InstrumentalForm(AdvancedMixin, RulesForm):
    """An instrumental from style tags and a title: no vocals."""

    operation = rules.INSTRUMENTAL
    mode = Mode.INSTRUMENTAL
    title_text = "Instrumental"
    tags = _text("Tags", rows=2, counter="tags", placeholder="tropical house, wave, synthwave")
    title = _text("Title", counter="title", placeholder="Crazy and Wild")
    model = _model()
    advanced_fields = ("negativeTags", "styleWeight", "weirdnessConstraint")

    def request_data(self) -> dict:
        data = self.cleaned_data
        return {"tags": data.get("tags", ""), "title": data.get("title", ""),
                "model": data.get("model"), **self.advanced_data()}


PICKER_FIELDS = ("id", "title", "variation", "duration")  # what a picker's option shows


def source_tracks(owner):
    """The tracks a form may build on (extend, cover, back with an instrumental): the
    owner's own that are not in the trash, and only those. One place, so every picker offers
    the same ones."""
    return Track.objects.owned_by(owner).kept()


class TrackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, track):
        return f"{track.title or 'Untitled'} — take {track.variation + 1} ({track.duration:.0f} s)"


def _extension_data(form: RulesForm) -> dict:
    """Extend's and upload-extend's fields besides the source: the form's own settings
    (defaultParamFlag true), continued from the chosen second."""
    data = form.cleaned_data
    return {"defaultParamFlag": True, "continueAt": data.get("continue_at"),
            "model": data.get("model"), "title": data.get("title", ""),
            "style": data.get("style", ""), "prompt": data.get("lyrics", ""),
            "instrumental": data.get("instrumental"), **form.advanced_data()}


class ExtendForm(AdvancedMixin, RulesForm):
    """Continue one of your tracks from a chosen second, in its key and tempo."""

    operation = rules.EXTEND
    mode = Mode.EXTEND
    title_text = "Extend"
    source_heading = "Extending"
    track = TrackChoiceField(label="Track to extend", queryset=Track.objects.none(),
                             required=True, empty_label="— choose a track —")
    continue_at = _seconds("Continue at (seconds)", step=0.1, help_text="Click the waveform "
                           "or type a second: the new part starts there.")
    title = _text("Title", counter="title")
    style = _text("Style", rows=2, counter="style")
    lyrics = _text("Lyrics for the new part", rows=6, counter="prompt",
                   help_text="Left empty, the new part sings a new verse and the song's chorus "
                             "again (tick Instrumental for no voice).")
    instrumental = _instrumental()
    model = _model()
    field_names = {"prompt": "lyrics", "continueAt": "continue_at", "audioId": "track"}
    source_fills = ("title", "style", "model", "continue_at", "instrumental")
    picks_second = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = source_tracks(self.owner).only(*PICKER_FIELDS)

    def request_data(self) -> dict:
        data = self.cleaned_data
        self.source_track = data.get("track")
        return {"audioId": str(self.source_track.pk) if self.source_track else "",
                **_extension_data(self)}

    def source(self) -> rules.Source | None:
        if self.source_track is None:
            return None
        return rules.Source(self.source_track.duration, self.source_track)


class UploadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, upload):
        return f"{upload.name} ({upload.duration:.0f} s)"


class SourceAudioMixin(forms.Form):
    """The audio to start from: a new file (picked or dropped), one the user uploaded before
    (kept and reusable across forms), or a track from their library. One of them."""

    file = forms.FileField(label="Upload audio", required=False,
                           help_text="MP3, WAV, FLAC, OGG or M4A; up to 8 minutes. "
                                     "Pick a file or drop it here.",
                           widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}))
    upload = UploadChoiceField(label="Or choose an earlier upload",
                               queryset=Upload.objects.none(), required=False,
                               empty_label="— none —")
    track = TrackChoiceField(label="Or a track from your library", queryset=Track.objects.none(),
                             required=False, empty_label="— none —")
    source_fields = ("file", "upload", "track")
    file_label = ""  # what this mode asks to upload, where "Upload audio" says too little

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.file_label:
            self.fields["file"].label = self.file_label
        self.fields["upload"].queryset = Upload.objects.owned_by(self.owner)
        self.fields["track"].queryset = source_tracks(self.owner).only(*PICKER_FIELDS)

    def clean_track(self):
        track = self.cleaned_data.get("track")
        if track is not None and (getattr(self, "accepted_upload", None)
                                  or self.cleaned_data.get("upload")):
            raise forms.ValidationError(
                "Choose one source: a track from your library or an upload, not both.")
        return track

    def clean_file(self):
        """Keep an acceptable file at once: if the form fails for another reason, the
        re-rendered form has it chosen in "earlier upload" and nothing is uploaded twice."""
        self.accepted_upload = self.keep_file("file", "upload")

    def keep_file(self, field: str, choice: str) -> Upload | None:
        """The file picked in `field`, accepted as an upload and chosen in `choice`."""
        file = self.cleaned_data.get(field)
        if not file:
            return None
        try:
            accepted = uploads.accept(self.owner, file, file.name)
        except uploads.UploadError as error:
            raise forms.ValidationError(str(error)) from None
        self.data = self.data.copy()
        self.data[choice] = str(accepted.pk)
        return accepted

    def clean_source(self) -> str:
        """The upload (or library track) to build on, as a Studio-internal uploadUrl."""
        self.upload = getattr(self, "accepted_upload", None) or self.cleaned_data.get("upload")
        self.source_track = self.cleaned_data.get("track")
        if self.upload is not None:
            return f"upload:{self.upload.pk}"
        if self.source_track is not None:
            return f"track:{self.source_track.pk}"
        return ""

    def source(self) -> rules.Source | None:
        found = self.upload or self.source_track
        return rules.Source(found.duration, found) if found else None


class SongFieldsMixin(forms.Form):
    """Generate's customMode x instrumental matrix on a form built on audio (cover, mashup):
    an idea (each form's own `idea` field) or custom style, title and lyrics."""

    custom = forms.BooleanField(label="Custom mode (write style, title and lyrics)",
                                required=False)
    title = _text("Title", counter="title")
    style = _text("Style", rows=2, counter="style")
    lyrics = _text("Lyrics", rows=8, counter="prompt")
    instrumental = _instrumental()
    model = _model()
    field_order = ("custom", "idea", "title", "style", "lyrics", "instrumental", "model")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].widget.attrs["data-group"] = "simple"
        for name in ("title", "style", "lyrics"):
            self.fields[name].widget.attrs["data-group"] = "custom"

    def song_data(self) -> dict:
        """The matrix's fields in the seeds' names; the prompt's errors go beside the field
        that holds it."""
        data = self.cleaned_data
        custom = data.get("custom", False)
        self.field_names = {**self.field_names, "prompt": "lyrics" if custom else "idea"}
        return {"customMode": custom, "instrumental": data.get("instrumental", False),
                "model": data.get("model"), "title": data.get("title", "") if custom else "",
                "style": data.get("style", "") if custom else "",
                "prompt": data.get("lyrics" if custom else "idea", ""), **self.advanced_data()}


class CoverForm(SongFieldsMixin, SourceAudioMixin, AdvancedMixin, RulesForm):
    """Restyle a song, keeping its melody: upload one, or cover a track from your library."""

    operation = rules.UPLOAD_COVER
    mode = Mode.UPLOAD_COVER
    title_text = "Cover"
    source_heading = "Covering"
    idea = _text("Describe the cover", rows=3, counter="idea",
                 placeholder="The same song as a dreamy synthwave ballad",
                 help_text="A track from your library keeps its words; an upload is sung "
                           "with words written from this.")
    field_names = {"uploadUrl": "file"}
    labels = {**rules.FORM_LABELS, "idea": "A description"}  # as the field reads

    def request_data(self) -> dict:
        return {**self.song_data(), "uploadUrl": self.clean_source()}


class AddInstrumentalForm(SourceAudioMixin, AdvancedMixin, RulesForm):
    """Upload a vocal stem and get a backing track in its key and tempo, mixed under it."""

    operation = rules.ADD_INSTRUMENTAL
    mode = Mode.ADD_INSTRUMENTAL
    title_text = "Add instrumental"
    source_heading = "Backing for"
    title = _text("Title", counter="title", placeholder="Relaxing Piano")
    tags = _text("Tags", rows=2, counter="tags", placeholder="relaxing piano, ambient, peaceful")
    negativeTags = _text("Exclude styles", placeholder="heavy metal, aggressive drums")
    model = _model(rules.ADD_INSTRUMENTAL_MODELS, rules.ADD_INSTRUMENTAL_DEFAULT)
    field_names = {"uploadUrl": "file"}
    advanced_fields = ("negativeTags", "styleWeight", "weirdnessConstraint", "audioWeight")
    main_fields = ("negativeTags",)  # required by the seeds, so not tucked away
    file_label = "Upload a vocal stem"

    def request_data(self) -> dict:
        data = self.cleaned_data
        source = self.clean_source()
        return {"title": data.get("title", ""), "tags": data.get("tags", ""),
                "negativeTags": data.get("negativeTags", ""), "model": data.get("model"),
                "uploadUrl": source, **self.advanced_data()}


class MashupForm(SongFieldsMixin, SourceAudioMixin, AdvancedMixin, RulesForm):
    """Make one song of two: the first sets the tempo, key and length, the second's tune
    joins it in that key and on that beat. One take leads with each tune. Upload the songs,
    or mash up tracks from your library."""

    operation = rules.MASHUP
    mode = Mode.MASHUP
    title_text = "Mashup"
    source_legend = "First song: its tempo, key and length"
    source_heading = "First song"
    file_label = "Upload the first song"
    second_file = forms.FileField(label="Upload the second song", required=False,
                                  help_text="MP3, WAV, FLAC, OGG or M4A; up to 8 minutes. Its "
                                            "tune is moved into the first song's key and beat.",
                                  widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}))
    second_upload = UploadChoiceField(label="Or choose an earlier upload",
                                      queryset=Upload.objects.none(), required=False,
                                      empty_label="— none —")
    second_track = TrackChoiceField(label="Or a track from your library",
                                    queryset=Track.objects.none(), required=False,
                                    empty_label="— none —")
    idea = _text("Describe the mashup", rows=3, counter="idea",
                 placeholder="Both tunes as one upbeat synth-pop song")
    source_fields = ("file", "upload", "track", "second_file", "second_upload", "second_track")
    labels = {**rules.FORM_LABELS, "uploadUrlList": "The mashup", "idea": "A description"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second_upload"].queryset = Upload.objects.owned_by(self.owner)
        self.fields["second_track"].queryset = source_tracks(self.owner).only(*PICKER_FIELDS)

    accepted_second: Upload | None = None

    def clean_second_file(self):
        """Kept at once, as the first song's file is (SourceAudioMixin.clean_file)."""
        self.accepted_second = self.keep_file("second_file", "second_upload")

    def clean_second_track(self):
        track = self.cleaned_data.get("second_track")
        if track is not None and (self.accepted_second or self.cleaned_data.get("second_upload")):
            raise forms.ValidationError(
                "Choose one second song: a track from your library or an upload, not both.")
        return track

    def clean(self):
        """Each missing song is named beside its own field; the rules then say the rest. A
        library track becomes an upload of its audio once the request is valid, as a
        track's link sent to the API does (the generation keeps its two songs as uploads)."""
        data = self.cleaned_data
        self.songs = (
            getattr(self, "accepted_upload", None) or data.get("upload") or data.get("track"),
            self.accepted_second or data.get("second_upload") or data.get("second_track"))
        for song, field, which in zip(self.songs, ("file", "second_file"), ("first", "second"),
                                      strict=True):
            if song is None and field not in self.errors:
                self.add_error(field, f"Choose the {which} song: upload one, pick an earlier "
                                      "upload or a track from your library.")
        cleaned = super().clean()
        if not self.errors:
            self.upload, self.second_upload = (self._as_upload(song, field) for song, field in
                                               zip(self.songs, ("file", "second_file"),
                                                   strict=True))
            if not self.errors:
                self.generation_request = replace(self.generation_request, upload_url_list=(
                    f"upload:{self.upload.pk}", f"upload:{self.second_upload.pk}"))
        return cleaned

    def _as_upload(self, song, field: str) -> Upload | None:
        if isinstance(song, Upload):
            return song
        try:
            with song.audio.open("rb") as fileobj:
                return uploads.accept(self.owner, fileobj,
                                      f"{song.title or 'track'}{Path(song.audio.name).suffix}")
        except (OSError, uploads.UploadError) as problem:
            self.add_error(field, f"{song.title or 'This track'} could not be read: {problem}")
            return None

    def request_data(self) -> dict:
        songs = [f"{'upload' if isinstance(song, Upload) else 'track'}:{song.pk}"
                 for song in self.songs if song is not None]
        return {**self.song_data(), "uploadUrlList": songs}

    def field_for(self, error: rules.RuleError) -> str:
        """A rule about one song is shown beside that song's field; one about the list
        (a song missing) beside the first missing one."""
        if error.field != "uploadUrlList":
            return super().field_for(error)
        number = error.values.get("number") or (2 if self.songs[0] else 1)
        return "file" if number == 1 else "second_file"

    def sources(self) -> tuple[rules.Source, ...]:
        if None in self.songs:
            return ()
        return tuple(rules.Source(song.duration, song) for song in self.songs)


class ReplaceForm(RulesForm):
    """Make 6 to 60 seconds of a finished track again, with new words, a new style or both;
    everything outside the window stays exactly as it is."""

    operation = rules.REPLACE_SECTION
    mode = Mode.REPLACE_SECTION
    title_text = "Replace section"
    labels = {**rules.FORM_LABELS, "tags": "Style", "prompt": "Lyrics"}
    start = _seconds("Window start (seconds)", "Drag across the waveform or choose lyric lines.")
    end = _seconds("Window end (seconds)", "6 to 60 seconds after the start.")
    lyrics = _text("Lyrics for the window", rows=5, counter="prompt",
                   placeholder="The words sung in the window (empty: no singing there)")
    style = _text("Style", rows=2, counter="style")
    title = _text("Title", counter="title")
    field_names = {"prompt": "lyrics", "tags": "style", "infillStartS": "start",
                   "infillEndS": "end", "audioId": None, "taskId": None}

    def __init__(self, *args, track: Track, **kwargs):
        self.source_track = track
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("title", track.title)
            self.initial.setdefault("style", track.style)
        if "engine" in self.fields:  # the connection that made the take, if it can: else Local
            from studio.connections import capability

            self.fields["engine"].initial = capability.for_take(self.owner, track)

    def request_data(self) -> dict:
        data, track = self.cleaned_data, self.source_track
        model = track.generation.model if track.generation.model in rules.MODELS else None
        return {"audioId": str(track.pk), "taskId": track.generation.task_id, "model": model,
                "prompt": data.get("lyrics", ""), "tags": data.get("style", ""),
                "title": data.get("title", ""), "infillStartS": data.get("start"),
                "infillEndS": data.get("end")}

    def source(self) -> rules.Source:
        return rules.Source(self.source_track.duration, self.source_track)

    def clean(self):
        if self.source_track.generation.status != Status.SUCCESS:
            self.add_error(None, "This track's song is not finished yet: a section can be "
                                 "replaced once both takes are made.")
        return super().clean()


class AddVocalsForm(SourceAudioMixin, AdvancedMixin, RulesForm):
    """Upload an instrumental and get a sung vocal on it, in its key and on its beat."""

    operation = rules.ADD_VOCALS
    mode = Mode.ADD_VOCALS
    title_text = "Add vocals"
    source_heading = "Vocals for"
    # A library track picked as the source brings its title and style, as Extend's picker
    # and the track menu's Add vocals do.
    source_fills = ("title", "style")
    title = _text("Title", counter="title", placeholder="Relaxing Piano with Vocals")
    style = _text("Style", rows=2, counter="style", placeholder="jazz, smooth female vocal")
    lyrics = _text("Lyrics or a description", rows=8, counter="prompt",
                   placeholder="[Verse]\nSoft light on the water…\n\n— or describe it: "
                               "a calm song about the sea")
    negativeTags = _text("Exclude styles", placeholder="heavy metal, aggressive vocals")
    model = _model(rules.ADD_VOCALS_MODELS, rules.ADD_VOCALS_DEFAULT)
    field_names = {"uploadUrl": "file", "prompt": "lyrics"}
    advanced_fields = ("negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
                       "audioWeight")
    main_fields = ("negativeTags",)  # required by the seeds' add-* rules, so not tucked away
    file_label = "Upload an instrumental"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lyrics"].help_text = ("Lines with [Verse] / [Chorus] markers are sung as "
                                           "written; a sentence describes the vocal and the "
                                           "lyrics are written from it.")

    def request_data(self) -> dict:
        data = self.cleaned_data
        source = self.clean_source()
        return {"title": data.get("title", ""), "style": data.get("style", ""),
                "prompt": data.get("lyrics", ""), "negativeTags": data.get("negativeTags", ""),
                "model": data.get("model"), "uploadUrl": source, **self.advanced_data()}


class UploadExtendForm(SourceAudioMixin, AdvancedMixin, RulesForm):
    """Continue an uploaded song from a chosen second, in its key and tempo."""

    operation = rules.UPLOAD_EXTEND
    mode = Mode.UPLOAD_EXTEND
    title_text = "Upload & extend"
    source_heading = "Extending"
    continue_at = _seconds("Continue at (seconds)", step=0.1, help_text="The upload plays up "
                           "to this second, then the new part starts.")
    title = _text("Title", counter="title")
    style = _text("Style", rows=2, counter="style", placeholder="indie pop, warm, 100 bpm")
    lyrics = _text("Lyrics for the new part", rows=6, counter="prompt")
    instrumental = _instrumental()
    model = _model()
    field_names = {"uploadUrl": "file", "prompt": "lyrics", "continueAt": "continue_at"}
    source_fills = ("title", "style", "continue_at", "instrumental")
    file_label = "Upload the song to extend"

    def request_data(self) -> dict:
        return {"uploadUrl": self.clean_source(), **_extension_data(self)}


class SoundForm(RulesForm):
    """A short sound or a loop from a description: whole bars at the tempo and in the key you
    pick, or as the description has them."""

    operation = rules.SOUNDS
    mode = Mode.SOUNDS
    title_text = "Sound"
    description = _text("Describe the sound", rows=3, counter="idea",
                        placeholder="A warm deep house groove, soft pads and a round bass")
    loop = forms.BooleanField(label="Loop (no fade: its end joins its start)", required=False)
    tempo = forms.CharField(
        label="Tempo (BPM)", required=False, help_text="1 to 300; empty for Auto.",
        widget=forms.NumberInput(attrs={"min": rules.SOUND_TEMPO_RANGE[0],
                                        "max": rules.SOUND_TEMPO_RANGE[1], "step": 1,
                                        "inputmode": "numeric", "placeholder": "Auto"}))
    key = forms.ChoiceField(label="Key", required=False, initial="Any",
                            choices=[(k, "Any key" if k == "Any" else k)
                                     for k in rules.SOUND_KEYS])
    model = _model(rules.SOUNDS_MODELS, rules.SOUNDS_DEFAULT)
    field_names = {"prompt": "description", "soundLoop": "loop", "soundTempo": "tempo",
                   "soundKey": "key"}

    def request_data(self) -> dict:
        data = self.cleaned_data
        return {"prompt": data.get("description", ""), "model": data.get("model"),
                "soundLoop": data.get("loop", False), "soundTempo": data.get("tempo", ""),
                "soundKey": data.get("key") or "Any"}


FORMS = {"simple": SimpleForm, "custom": CustomForm, "instrumental": InstrumentalForm,
         "extend": ExtendForm, "cover": CoverForm, "add_instrumental": AddInstrumentalForm,
         "add_vocals": AddVocalsForm, "upload_extend": UploadExtendForm, "sound": SoundForm,
         "mashup": MashupForm}


def initial_from_generation(generation) -> tuple[str, dict]:
    """The tab and initial values that repeat `generation`'s settings ("use these again")."""
    r = generation.request
    common = {"model": r.model, "negativeTags": r.negative_tags, "vocalGender": r.vocal_gender,
              "styleWeight": r.style_weight, "weirdnessConstraint": r.weirdness_constraint,
              "audioWeight": r.audio_weight, "personaId": r.persona_id}
    common = {k: v for k, v in common.items() if v not in (None, "")}
    if generation.mode == Mode.INSTRUMENTAL:
        return "instrumental", {**common, "tags": r.style, "title": r.title}
    if generation.mode == Mode.EXTEND:
        return "extend", {**common, "track": generation.source_track_id,
                          "continue_at": r.continue_at, "title": r.title, "style": r.style,
                          "lyrics": r.prompt, "instrumental": r.instrumental}
    if generation.mode == Mode.UPLOAD_COVER:
        return "cover", {**common, "upload": generation.upload_id, "custom": r.custom_mode,
                         "track": generation.source_track_id if not generation.upload_id else None,
                         "title": r.title, "style": r.style, "instrumental": r.instrumental,
                         ("lyrics" if r.custom_mode else "idea"): r.prompt}
    source = {"upload": generation.upload_id,
              "track": None if generation.upload_id else generation.source_track_id}
    if generation.mode == Mode.ADD_VOCALS:
        return "add_vocals", {**common, **source, "title": r.title, "style": r.style,
                              "lyrics": r.prompt}
    if generation.mode == Mode.UPLOAD_EXTEND:
        return "upload_extend", {**common, **source, "continue_at": r.continue_at,
                                 "title": r.title, "style": r.style, "lyrics": r.prompt,
                                 "instrumental": r.instrumental}
    if generation.mode == Mode.ADD_INSTRUMENTAL:
        return "add_instrumental", {**common, "upload": generation.upload_id,
                                    "track": None if generation.upload_id
                                    else generation.source_track_id,
                                    "title": r.title, "tags": r.tags}
    if generation.mode == Mode.MASHUP:
        return "mashup", {**common, "upload": generation.upload_id,
                          "second_upload": generation.second_upload_id,
                          "custom": r.custom_mode, "title": r.title, "style": r.style,
                          "instrumental": r.instrumental,
                          ("lyrics" if r.custom_mode else "idea"): r.prompt}
    if generation.mode == Mode.SOUNDS:
        return "sound", {"model": r.model, "description": r.prompt, "loop": r.sound_loop,
                         "tempo": r.sound_tempo or "", "key": r.sound_key or "Any"}
    if r.custom_mode:
        return "custom", {**common, "title": r.title, "style": r.style, "lyrics": r.prompt,
                          "instrumental": r.instrumental}
    return "simple", {**common, "idea": r.prompt, "instrumental": r.instrumental}
