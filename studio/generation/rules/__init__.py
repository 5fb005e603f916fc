"""The seeds' rules for a generation request, in one place.

`validate(operation, fields, context)` takes the raw fields (a form's values, an API body)
and returns one immutable `GenerationRequest`, or raises `InvalidRequest` naming every broken
field at once. Forms and both API dialects validate here, so a form error and an API error
come from the same rule with the same words; everyone after the validator reads the typed
value and nobody re-parses a field or re-checks a limit.

Field names are the v1 API's (camelCase); the legacy dialect maps its names onto these
before validating, and its `Context.labels` name the fields back as the client sent them.

Where the vendors' pages disagree, Studio takes the more permissive published limit, so a
request that is valid for any vendor is valid here: the title limit is 100 characters for
V4_5, V4_5PLUS, V5 and V5_5 (docs.sunoapi.org and seed 004's upload-cover) and 80 for V4 and
V4_5ALL.

The rules live in a few modules by concern: `catalogue` (each model's limits, the operations),
`errors`, `request` (the typed value and its context), `reader` (raw fields to typed values),
`operations` (each operation's rules and `validate()`), `lengths` (the rules that need the
source's length) and `personas`. Every name is importable from here.
"""
# Each name re-exported (`X as X`): every caller imports from `rules`, wherever it lives.
from .catalogue import ADD_INSTRUMENTAL as ADD_INSTRUMENTAL
from .catalogue import ADD_INSTRUMENTAL_DEFAULT as ADD_INSTRUMENTAL_DEFAULT
from .catalogue import ADD_INSTRUMENTAL_MODELS as ADD_INSTRUMENTAL_MODELS
from .catalogue import ADD_VOCALS as ADD_VOCALS
from .catalogue import ADD_VOCALS_DEFAULT as ADD_VOCALS_DEFAULT
from .catalogue import ADD_VOCALS_MODELS as ADD_VOCALS_MODELS
from .catalogue import DEFAULT_MODEL as DEFAULT_MODEL
from .catalogue import EXTEND as EXTEND
from .catalogue import EXTENSIONS as EXTENSIONS
from .catalogue import FORM_LABELS as FORM_LABELS
from .catalogue import GENERATE as GENERATE
from .catalogue import IDEA_LIMIT as IDEA_LIMIT
from .catalogue import INSTRUMENTAL as INSTRUMENTAL
from .catalogue import LEGACY_MODELS as LEGACY_MODELS
from .catalogue import LEGACY_SONG as LEGACY_SONG
from .catalogue import LONGEST_UPLOAD_SECONDS as LONGEST_UPLOAD_SECONDS
from .catalogue import MASHUP as MASHUP
from .catalogue import MASHUP_SOURCES as MASHUP_SOURCES
from .catalogue import MIN_EXTENSION_SECONDS as MIN_EXTENSION_SECONDS
from .catalogue import MODELS as MODELS
from .catalogue import MODES as MODES
from .catalogue import NEGATIVE_TAGS_LIMIT as NEGATIVE_TAGS_LIMIT
from .catalogue import OPERATIONS as OPERATIONS
from .catalogue import PLURAL_LABELS as PLURAL_LABELS
from .catalogue import REPLACE_MAX_SECONDS as REPLACE_MAX_SECONDS
from .catalogue import REPLACE_MIN_SECONDS as REPLACE_MIN_SECONDS
from .catalogue import REPLACE_SECTION as REPLACE_SECTION
from .catalogue import SOUND_KEYS as SOUND_KEYS
from .catalogue import SOUND_TEMPO_RANGE as SOUND_TEMPO_RANGE
from .catalogue import SOUNDS as SOUNDS
from .catalogue import SOUNDS_DEFAULT as SOUNDS_DEFAULT
from .catalogue import SOUNDS_MODELS as SOUNDS_MODELS
from .catalogue import TAKES as TAKES
from .catalogue import UPLOAD_COVER as UPLOAD_COVER
from .catalogue import UPLOAD_EXTEND as UPLOAD_EXTEND
from .catalogue import URL_LIMIT as URL_LIMIT
from .catalogue import VOCAL_GENDERS as VOCAL_GENDERS
from .catalogue import WEIGHTS as WEIGHTS
from .catalogue import Model as Model
from .catalogue import form_limits as form_limits
from .errors import InvalidRequest as InvalidRequest
from .errors import RuleError as RuleError
from .lengths import check_upload_length as check_upload_length
from .lengths import continue_at as continue_at
from .lengths import duration_text as duration_text
from .operations import SOURCE_FIELDS as SOURCE_FIELDS
from .operations import source_field as source_field
from .operations import validate as validate
from .personas import PERSONA_DEFAULT_END as PERSONA_DEFAULT_END
from .personas import PERSONA_DESCRIPTION_LIMIT as PERSONA_DESCRIPTION_LIMIT
from .personas import PERSONA_LABELS as PERSONA_LABELS
from .personas import PERSONA_NAME_LIMIT as PERSONA_NAME_LIMIT
from .personas import PERSONA_WINDOW as PERSONA_WINDOW
from .personas import PersonaRequest as PersonaRequest
from .personas import persona as persona
from .request import Context as Context
from .request import GenerationRequest as GenerationRequest
from .request import Source as Source
from .request import looks_like_lyrics as looks_like_lyrics
from .request import model_name as model_name
