"""The songwriter's banks: the couplets it writes lines from, each section's own, which
lines suit each mood and each kind of thing, and the stock words sung where an idea has none
of a kind (songwriter.py is the logic that fills them; nouns.py says what kind a thing is).
"""
from __future__ import annotations

# The idea's words fill three kinds of slot: nouns ({a}, {b}), modifiers ({adj}) and
# -ing verbs ({ing}); a word of the wrong kind in a slot reads as nonsense ("the sunny was
# all we had"). There is no tagger offline, so kinds come from spelling and short lists. A
# modifier always stands right before one of the idea's things ("{adj} {a}").
#
# Lines come in couplets that rhyme on their own last words, which no slot ever fills, so
# every pair rhymes whatever the idea is (songs rhyme; ten unrhymed lines in every song
# did not read as one). Each section draws from its own bank: a verse is two couplets, a
# chorus two written once and sung each time, a pre-chorus, bridge, intro or outro one.
_VERSE = [
    ("I remember the {a} in the evening light", "Every {adj} {b} burning bright"),
    ("Walking slow where the {a} meets the sky", "{Ing} on as the years go by"),
    ("We were young and the {a} was all we had", "Every {adj} {b}, the good and bad"),
    ("There's a {a} that I still call home", "The {adj} {b} where we used to roam"),
    ("Counting stars above the {a} and the rain", "{Ing} back to you again"),
    ("In the quiet of the {a} I hear your name", "Nothing in the {adj} {b} is to blame"),
    ("Carry me across the {adj} {a} tonight", "Hold the {b} and hold me tight"),
    ("Every {adj} {a} tells a story of its own", "Every {b} we've ever known"),
    ("Through the {adj} {a} I hear you call", "{Ing} on before we fall"),
    ("Underneath the {adj} {a} we wait", "{Ing} on, it's not too late"),
    ("Every {a} reminds me of your face", "{Ing} slowly through this empty place"),
    ("The {a} was shining in your eyes", "{Ing} under open skies"),
    ("Remember when the {a} was new", "And every {adj} {b} came shining through"),
    ("Somewhere past the {adj} {a} and the sea", "{Ing} there beneath the willow tree"),
    ("The {a} is fading into gray", "{Ing} till the break of day"),
    ("Down by the {a} where the cold winds blow", "{Ing} soft and {ing} slow"),
    ("Out along the {adj} {a} we drove", "{Ing} through the orange grove"),
    ("Pictures of the {a} upon the wall", "{Ing} through the empty hall"),
    ("Every {a} has a secret it won't tell", "{Ing} underneath the wishing well"),
    ("We left the {a} with the lights still on", "{Ing} till the night was gone"),
    ("Underneath a sky of endless blue", "The {a} was waiting there for you"),
    ("Dust is on the {adj} {a} by the door", "{Ing} like we did before"),
    ("Late at night the {a} begins to glow", "{Ing} where the rivers flow"),
    # food's own (_FOOD_ONLY): smelled, shared; furniture's (_FURNITURE_ONLY): sat beside
    ("The smell of the {a} is drifting down the hall", "{Ing} home to you, and that is all"),
    ("We shared the {a} at the kitchen table", "{Ing} on as long as we are able"),
    ("I sit beside the {adj} {a} where you would sit", "{Ing} in the lamplight, dimly lit"),
    # a vehicle's own (_VEHICLE_ONLY): ridden, waited for
    ("Riding the {adj} {a} across the town", "{Ing} as the sun goes down"),
    ("Waiting for the {a} to take me home", "{Ing} through the streets alone"),
    # an object's and a body's own (_HELD): held, found, looked after
    ("I've been searching for the {a} high and low", "{Ing} everywhere I go"),
    ("I take care of the {a} every day", "Little by little, come what may"),
    # an angry song's own (_ANGRY): a song against the landlord was sung to him fondly
    ("Every morning the {a} comes knocking at my door", "I can't take the {adj} {b} anymore"),
    ("They tell me the {a} is just the way it goes", "But I'm sick of the {b} and everybody knows"),
    ("I work all day and the {a} takes it all", "My back against the {adj} {b}, my back against the wall"),
    ("Don't you tell me that the {a} is fair", "I see the {adj} {b} and I'm still standing there"),
    ("I've heard about the {a} a hundred times before", "{Ing} out and slamming every door"),
    ("The {a} keeps rising and I'm falling behind", "The {adj} {b} is all that's on my mind"),
    ("Up all night and the {a} won't let me be", "The {adj} {b} is all I ever see"),
    ("Look at what the {a} has cost", "{Ing} for every day we lost"),
]
_CHORUS = [
    ("Oh {a}, take me higher", "You and the {adj} {b}, we never tire"),
    ("{A}, I beg you, never let me go", "You're the only {b} I know"),
    ("Hold on, the {a} is calling", "{Ing} even while we're falling"),
    ("And we dance until the {a} is gold", "Never let the {adj} {b} grow cold"),
    ("We're singing for the {adj} {a} tonight", "Everything is gonna be alright"),
    ("Keep on {ing} all night long", "The {a} is where we belong"),
    ("Take my hand beneath the sky", "Chasing every {adj} {a} till we fly"),
    ("Close your eyes, the {a} is near", "{Ing} softly, I am here"),
    ("Hush now, let the {adj} {a} sleep", "Every promise that we keep"),
    ("I still miss the {a} tonight", "Hold me in the silver light"),
    ("Stay a while beside the {a} with me", "{Ing} slow, the way it used to be"),
    ("Turn it up and let the {a} shine", "{Ing} and the world is mine"),
    ("Sleep now, the {a} will keep you warm", "Safe and sound through every storm"),
    ("All I need is the {a} and you", "{Ing} the whole night through"),
    ("Oh, I'm feeling so {feel} tonight", "Everything is gonna be alright"),  # _FEELINGS
    ("I'm feeling so {feel} tonight", "And nothing in the world can make it right"),
    ("Look how the {a} shines so bright", "{Ing} in the morning light"),
    ("Take me on the {adj} {a} for a ride", "{Ing} with you by my side"),
    ("Save me a taste of the {a} on a plate", "{Ing} home, it's getting late"),
    ("Pass the {a} and pull up a chair", "{Ing} with the ones who care"),
    ("Hold on to the {a}, hold on tight", "{Ing} with all your might"),
    ("No, no, the {a} won't hold me down", "We're gonna shout it all across town"),
    ("Hey {a}, you won't get the best of me", "{Ing} loud until the day that we are free"),
    ("We won't back down, we won't back down", "The {a} can't stop us in this town"),
    ("Raise your voice against the {adj} {a} tonight", "We're not going down without a fight"),
    ("Enough, enough, the {a} has had its day", "We're taking back what they took away"),
]
_PRE_CHORUS = [
    ("Tell me, can you feel it too", "The {a} is pulling me to you"),
    ("So don't you let the {a} go", "There's something only we would know"),
    ("Wait for the {adj} {a} to fall", "And then we're gonna give it all"),
    ("Hold your breath and count to three", "The {a} is all I want to see"),
    ("Softly now, the {a} is still", "Waiting here, I always will"),
    ("Wait until the {a} is ready", "Hold me close and hold me steady"),
    ("Tell me how much longer can it last", "The {adj} {a} is a thing of the past"),
    ("One more word and I'm out the door", "I won't take the {a} anymore"),
    ("I can feel the fire in my chest", "The {a} won't ever let me rest"),
]
_BRIDGE = [
    ("And if the {a} should fade away", "I'll still be here another day"),
    ("When the {adj} {a} is gone", "I will carry on and on"),
    ("Every {b} will find its way", "Back to the {a} someday"),
    ("Maybe the {a} was never mine", "But everything will turn out fine"),
    ("If the {a} could only speak", "It would tell you what we seek"),
    ("Time will carry the {a} away", "But the song is here to stay"),
    ("Every time I hold the {a} in my hand", "I know that you will understand"),
    ("Every night beside the {a} we would talk", "{Ing} slow like a Sunday walk"),
    ("Someday the {a} will fall", "And we'll be standing after all"),
    ("They can keep the {a} and the crown", "But they will never keep us down"),
    ("If the {a} won't listen to a word", "We'll sing until our voices can be heard"),
]
_INTRO = [
    ("Listen to the {a} hum", "{Ing} toward the days to come"),
    ("Here we are beside the {a} once more", "Just like we have been before"),
    ("Somewhere the {a} is waking up", "Pour the morning in a cup"),
    ("Listen up, I've got something to say", "About the {a} and the price we pay"),
    ("One, two, three, four", "The {a} won't hold us anymore"),
]
_OUTRO = [
    ("And the {a} fades out slow", "{Ing} home, it's time to go"),
    ("Till the {a} comes back again", "{Ing} softly in the rain"),
    ("Say goodnight to the {a} for me", "{Ing} out across the sea"),
    ("Keep the {a} warm until I'm back", "{Ing} home along the railway track"),
    ("Turn it up so the {a} can hear", "{Ing} on, we're loud and clear"),
    ("So long to the {a}, so long", "We're louder now and twice as strong"),
]
# The lines where a person or a pet may stand (written "my sister" where the idea says so):
# "We were young and my grandma was all we had", "Oh sister, take me higher". Every other
# line's things are places and objects: not "Underneath the silver grandma we wait".
_ANYONE = {
    "I remember the {a} in the evening light", "We were young and the {a} was all we had",
    "Hold the {b} and hold me tight",
    "Oh {a}, take me higher", "You and the {adj} {b}, we never tire", "{A}, I beg you, never let me go",
    "You're the only {b} I know", "Hold on, the {a} is calling", "We're singing for the {adj} {a} tonight",
    "So don't you let the {a} go", "The {a} is all I want to see",
    "When the {adj} {a} is gone", "Maybe the {a} was never mine", "Back to the {a} someday",
    "Listen to the {a} hum", "Here we are beside the {a} once more", "Till the {a} comes back again",
    "Close your eyes, the {a} is near", "Hush now, let the {adj} {a} sleep", "I still miss the {a} tonight",
    "Stay a while beside the {a} with me", "Softly now, the {a} is still",
    "Pictures of the {a} upon the wall", "The {a} was waiting there for you", "Turn it up and let the {a} shine",
    "All I need is the {a} and you", "If the {a} could only speak",
    "Time will carry the {a} away", "Somewhere the {a} is waking up", "Say goodnight to the {a} for me",
    "Every morning the {a} comes knocking at my door", "I can't take the {adj} {b} anymore",
    "They tell me the {a} is just the way it goes", "But I'm sick of the {b} and everybody knows",
    "I work all day and the {a} takes it all", "Don't you tell me that the {a} is fair",
    "I see the {adj} {b} and I'm still standing there", "I've heard about the {a} a hundred times before",
    "The {adj} {b} is all that's on my mind", "Up all night and the {a} won't let me be",
    "The {adj} {b} is all I ever see", "No, no, the {a} won't hold me down",
    "Hey {a}, you won't get the best of me", "The {a} can't stop us in this town",
    "Raise your voice against the {adj} {a} tonight", "The {adj} {a} is a thing of the past",
    "I won't take the {a} anymore", "The {a} won't ever let me rest", "Someday the {a} will fall",
    "If the {a} won't listen to a word", "About the {a} and the price we pay", "The {a} won't hold us anymore",
    "Turn it up so the {a} can hear", "So long to the {a}, so long",
    "I take care of the {a} every day", "Hold on to the {a}, hold on tight",
}
# Couplets of a mood, by their first line: a lullaby is not sung "And we dance until the
# night is gold", nor a party song "Hush now, let the puppy sleep". An idea's words say its
# mood (_QUIET_WORDS, _LIVELY_WORDS); one that says both, or neither, may sing any couplet.
_LIVELY = {"Oh {a}, take me higher", "And we dance until the {a} is gold",
           "We're singing for the {adj} {a} tonight", "Keep on {ing} all night long",
           "Take my hand beneath the sky", "Wait for the {adj} {a} to fall", "Turn it up and let the {a} shine"}
_QUIET = {"Close your eyes, the {a} is near", "Hush now, let the {adj} {a} sleep", "I still miss the {a} tonight",
          "Stay a while beside the {a} with me", "Softly now, the {a} is still",
          "Sleep now, the {a} will keep you warm"}
# An angry song sings only its own couplets, and no other song sings them: "Turn it up and let
# my landlord shine" in a song against him, "We won't back down" in a love song.
_ANGRY = {"Every morning the {a} comes knocking at my door", "They tell me the {a} is just the way it goes",
          "I work all day and the {a} takes it all", "Don't you tell me that the {a} is fair",
          "I've heard about the {a} a hundred times before", "The {a} keeps rising and I'm falling behind",
          "Up all night and the {a} won't let me be", "Look at what the {a} has cost",
          "No, no, the {a} won't hold me down",
          "Hey {a}, you won't get the best of me", "We won't back down, we won't back down",
          "Raise your voice against the {adj} {a} tonight", "Enough, enough, the {a} has had its day",
          "Tell me how much longer can it last", "One more word and I'm out the door",
          "I can feel the fire in my chest", "Someday the {a} will fall", "They can keep the {a} and the crown",
          "If the {a} won't listen to a word", "Listen up, I've got something to say", "One, two, three, four",
          "Turn it up so the {a} can hear", "So long to the {a}, so long"}
# Couplets that miss someone or something gone: not for a lullaby sung to someone here ("I
# still miss Mia tonight" in a lullaby for my daughter Mia), unless the idea is a sad one.
_MISSING = {"I still miss the {a} tonight", "And if the {a} should fade away", "When the {adj} {a} is gone",
            "Maybe the {a} was never mine"}
# An idea of a feeling alone is sung as one ("Oh, I'm feeling so pumped tonight"): comforted
# but where it is sad, and then only where it asks for hope (a sad song stays with its sadness:
# "Oh, I'm feeling so sad tonight / Everything is gonna be alright" was sung).
_FEELINGS = {"Oh, I'm feeling so {feel} tonight", "I'm feeling so {feel} tonight"}
_CONSOLING = {"Oh, I'm feeling so {feel} tonight", "We're singing for the {adj} {a} tonight"}
_UNCONSOLED = {"I'm feeling so {feel} tonight"}
# A lullaby's chorus sings it to sleep.
_LULLING = ("Hush now, let the {adj} {a} sleep", "Sleep now, the {a} will keep you warm",
            "Close your eyes, the {a} is near")

# Couplets of a clear sky, which an idea of rain does not sing ("a rainy night drive through
# tokyo" sang "Underneath a sky of endless blue" and "Counting stars above Tokyo and the rain"),
# and of a bright day, which an idea of night does not.
_CLEAR_SKY = {"Underneath a sky of endless blue", "Counting stars above the {a} and the rain",
              "The {a} was shining in your eyes"}
_DAYLIT = {"Underneath a sky of endless blue", "Look how the {a} shines so bright"}

# The lines where a named place stands, without an article: "I still miss Paris tonight",
# "Hold on, Paris is calling", "Back to Paris someday".
_PLACED = {
    "I remember the {a} in the evening light", "Walking slow where the {a} meets the sky",
    "We were young and the {a} was all we had", "Counting stars above the {a} and the rain",
    "In the quiet of the {a} I hear your name", "Carry me across the {adj} {a} tonight",
    "Through the {adj} {a} I hear you call", "The {a} was shining in your eyes", "Remember when the {a} was new",
    "Somewhere past the {adj} {a} and the sea", "The {a} is fading into gray",
    "Oh {a}, take me higher", "You and the {adj} {b}, we never tire", "{A}, I beg you, never let me go",
    "Hold on, the {a} is calling", "And we dance until the {a} is gold", "Never let the {adj} {b} grow cold",
    "The {a} is where we belong", "I still miss the {a} tonight", "Close your eyes, the {a} is near",
    "The {a} is pulling me to you", "The {a} is all I want to see", "Softly now, the {a} is still",
    "And if the {a} should fade away", "Back to the {a} someday", "Maybe the {a} was never mine",
    "Listen to the {a} hum", "And the {a} fades out slow",
    "Pictures of the {a} upon the wall", "We left the {a} with the lights still on",
    "The {a} was waiting there for you", "Late at night the {a} begins to glow", "Turn it up and let the {a} shine",
    "All I need is the {a} and you", "If the {a} could only speak", "Time will carry the {a} away",
    "Somewhere the {a} is waking up", "Say goodnight to the {a} for me",
}
# The lines where an abstract thing or a day stands: none that pictures a place ("Walking slow
# where home meets the sky" was sung), nor hears it hum ("Listen to love hum").
_ABSTRACT_LINES = (_PLACED - {"Counting stars above the {a} and the rain", "Carry me across the {adj} {a} tonight",
                              "Walking slow where the {a} meets the sky",
                              "Somewhere past the {adj} {a} and the sea", "You and the {adj} {b}, we never tire",
                              "Pictures of the {a} upon the wall", "We left the {a} with the lights still on",
                              "Late at night the {a} begins to glow", "Somewhere the {a} is waking up",
                              "Listen to the {a} hum",
                              "Say goodnight to the {a} for me"}) | {
    "When the {adj} {a} is gone", "Hush now, let the {adj} {a} sleep", "So don't you let the {a} go",
    "Sleep now, the {a} will keep you warm", "Hold on to the {a}, hold on tight"}
# A day is no place one crosses, nor a light, nor needed: "Through Tuesday I hear you call",
# "All I need is November and you" were sung.
_DAY_LINES = _ABSTRACT_LINES - {"Through the {adj} {a} I hear you call", "The {a} was shining in your eyes",
                                "All I need is the {a} and you"}
_ANGRY_LINES = {line for bank in (_VERSE, _CHORUS, _PRE_CHORUS, _BRIDGE, _INTRO, _OUTRO)
                for couplet in bank if couplet[0] in _ANGRY for line in couplet}
# Angry lines that speak to their thing, or of it, as to a person: an angry song about a thing
# is angry about it, not at it ("Hey phone, you won't get the best of me", "Every morning the
# pizza comes knocking at my door", "If my phone won't listen to a word" were sung).
_SPOKEN_TO = {"Hey {a}, you won't get the best of me", "Every morning the {a} comes knocking at my door",
              "If the {a} won't listen to a word", "Turn it up so the {a} can hear"}
# An angry line only a thing is sung in: "Look at what my landlord has cost".
_COSTING = {"Look at what the {a} has cost"}
_AT_A_THING = _ANGRY_LINES - _SPOKEN_TO
# Lines that call a thing by its name as to a person: "Oh teeth, take me higher" was sung.
_CALLED_TO = {"Oh {a}, take me higher", "{A}, I beg you, never let me go", "Hey {a}, you won't get the best of me"}
# The lines where an object stands: it is remembered, looked for, missed, held, and fades,
# never crossed nor called to ("Carry me across the wallet", "Oh phone, take me higher"), nor
# looked after as someone is ("I take care of the pizza every day").
_OBJECT_LINES = _AT_A_THING | {
    "I remember the {a} in the evening light", "We were young and the {a} was all we had",
    "Hold the {b} and hold me tight", "Every {adj} {a} tells a story of its own", "Every {b} we've ever known",
    "Every {a} reminds me of your face", "Remember when the {a} was new", "And every {adj} {b} came shining through",
    "The {a} is fading into gray", "Pictures of the {a} upon the wall", "Every {a} has a secret it won't tell",
    "The {a} was waiting there for you", "Dust is on the {adj} {a} by the door",
    "I've been searching for the {a} high and low",
    "You and the {adj} {b}, we never tire", "Never let the {adj} {b} grow cold",
    "I still miss the {a} tonight", "All I need is the {a} and you", "Look how the {a} shines so bright",
    "Hold on to the {a}, hold on tight", "So don't you let the {a} go", "And if the {a} should fade away",
    "When the {adj} {a} is gone", "Every {b} will find its way", "Maybe the {a} was never mine",
    "If the {a} could only speak", "Time will carry the {a} away", "Every time I hold the {a} in my hand",
    "Say goodnight to the {a} for me"}
# A part of someone's body is looked after and shines: "I take care of your teeth every day".
_BODY_LINES = (_AT_A_THING - _CALLED_TO - _COSTING) | {
    "I take care of the {a} every day", "Look how the {a} shines so bright", "Never let the {adj} {b} grow cold"}
# A party, a wedding, a game: it comes, calls, is sung for, remembered and over.
_EVENT_LINES = _AT_A_THING | {
    "I remember the {a} in the evening light", "Every {adj} {b}, the good and bad",
    "Every {adj} {a} tells a story of its own", "Every {b} we've ever known", "Every {a} reminds me of your face",
    "And every {adj} {b} came shining through", "Pictures of the {a} upon the wall", "Hold on, the {a} is calling",
    "We're singing for the {adj} {a} tonight", "The {a} is where we belong", "Close your eyes, the {a} is near",
    "I still miss the {a} tonight", "All I need is the {a} and you", "So don't you let the {a} go",
    "The {a} is all I want to see", "And if the {a} should fade away", "When the {adj} {a} is gone",
    "Maybe the {a} was never mine", "Time will carry the {a} away", "And the {a} fades out slow",
    "Till the {a} comes back again"}
# A room or a building: one is in it, leaves it, calls it home.
_ROOM_LINES = _AT_A_THING | {
    "I remember the {a} in the evening light", "We were young and the {a} was all we had",
    "There's a {a} that I still call home", "In the quiet of the {a} I hear your name",
    "Nothing in the {adj} {b} is to blame", "Every {adj} {a} tells a story of its own", "Every {b} we've ever known",
    "Through the {adj} {a} I hear you call", "Every {a} reminds me of your face", "Remember when the {a} was new",
    "Pictures of the {a} upon the wall", "Every {a} has a secret it won't tell",
    "We left the {a} with the lights still on",
    "The {a} was waiting there for you", "The {a} is where we belong", "I still miss the {a} tonight",
    "All I need is the {a} and you", "The {a} is all I want to see", "And if the {a} should fade away",
    "When the {adj} {a} is gone", "Back to the {a} someday", "Maybe the {a} was never mine",
    "If the {a} could only speak", "Time will carry the {a} away", "Say goodnight to the {a} for me"}
# Lines only a thing one holds fits: "I take care of the river every day".
_HELD = {"Dust is on the {adj} {a} by the door", "Hold the {b} and hold me tight",
         "I've been searching for the {a} high and low", "I take care of the {a} every day",
         "Every time I hold the {a} in my hand", "You're the only {b} I know"}
# Someone gone (an ex): remembered, missed, let go of, angry at; not needed, looked after nor
# near ("All I need is my ex and you", "I take care of my ex every day" were sung).
_GONE = {"Back to the {a} someday", "But I'm sick of the {b} and everybody knows",
         "Don't you tell me that the {a} is fair", "Hey {a}, you won't get the best of me",
         "I can't take the {adj} {b} anymore", "I remember the {a} in the evening light",
         "I still miss the {a} tonight", "I won't take the {a} anymore",
         "I've heard about the {a} a hundred times before", "If the {a} could only speak",
         "If the {a} won't listen to a word", "Maybe the {a} was never mine",
         "No, no, the {a} won't hold me down", "Pictures of the {a} upon the wall",
         "Say goodnight to the {a} for me", "So long to the {a}, so long", "The {adj} {a} is a thing of the past",
         "The {adj} {b} is all that's on my mind", "The {a} can't stop us in this town",
         "The {a} won't ever let me rest", "The {a} won't hold us anymore", "Till the {a} comes back again",
         "Time will carry the {a} away", "Up all night and the {a} won't let me be",
         "We were young and the {a} was all we had", "When the {adj} {a} is gone", "Every {a} reminds me of your face",
         "And if the {a} should fade away", "The {a} is fading into gray"}
# Food and drink is smelled, shared, tasted, kept warm, waited for; furniture is sat beside
# and remembered: neither is missed tonight as a lover is ("I still miss the bed tonight"),
# held in a hand, nor gathers dust by the door ("Dust is on the bed by the door").
_FOOD_ONLY = {"The smell of the {a} is drifting down the hall", "We shared the {a} at the kitchen table",
              "Save me a taste of the {a} on a plate", "Pass the {a} and pull up a chair",
              "Wait until the {a} is ready", "Keep the {a} warm until I'm back"}
_FURNITURE_ONLY = {"I sit beside the {adj} {a} where you would sit", "Every night beside the {a} we would talk"}
_FOOD_LINES = _AT_A_THING | _FOOD_ONLY | {
    "I remember the {a} in the evening light", "We were young and the {a} was all we had",
    "Every {adj} {b}, the good and bad", "The {a} was waiting there for you", "You and the {adj} {b}, we never tire",
    "Never let the {adj} {b} grow cold", "All I need is the {a} and you"}
# A vehicle is ridden, waited for, heard coming and going, remembered: not gathering dust by
# the door, held in a hand nor crossed ("Dust is on the old tram by the door" was sung).
_VEHICLE_ONLY = {"Riding the {adj} {a} across the town", "Waiting for the {a} to take me home",
                 "Take me on the {adj} {a} for a ride"}
_VEHICLE_LINES = _AT_A_THING | _VEHICLE_ONLY | {
    "I remember the {a} in the evening light", "We were young and the {a} was all we had",
    "Every {adj} {a} tells a story of its own", "Every {b} we've ever known", "Every {a} reminds me of your face",
    "Remember when the {a} was new", "And every {adj} {b} came shining through", "The {a} is fading into gray",
    "Pictures of the {a} upon the wall", "The {a} was waiting there for you",
    "We left the {a} with the lights still on", "I still miss the {a} tonight", "Look how the {a} shines so bright",
    "You and the {adj} {b}, we never tire", "And if the {a} should fade away", "When the {adj} {a} is gone",
    "Maybe the {a} was never mine", "Time will carry the {a} away", "And the {a} fades out slow",
    "Till the {a} comes back again", "Say goodnight to the {a} for me", "Somewhere the {a} is waking up"}
_FURNITURE_LINES = _AT_A_THING | _FURNITURE_ONLY | {
    "I remember the {a} in the evening light", "We were young and the {a} was all we had",
    "Every {adj} {a} tells a story of its own", "Every {b} we've ever known", "Every {a} reminds me of your face",
    "Remember when the {a} was new", "And every {adj} {b} came shining through", "The {a} is fading into gray",
    "Every {a} has a secret it won't tell", "The {a} was waiting there for you", "Stay a while beside the {a} with me",
    "So don't you let the {a} go", "And if the {a} should fade away", "When the {adj} {a} is gone",
    "Every {b} will find its way", "Maybe the {a} was never mine", "If the {a} could only speak",
    "Time will carry the {a} away", "Here we are beside the {a} once more", "Say goodnight to the {a} for me"}
# Lines no stock word sings (the scenery of songs fits none: "Hey ocean, you won't get the
# best of me"): a couplet with one is sung only
# of one of the idea's own things.
_OWN = _HELD | _FOOD_ONLY | _FURNITURE_ONLY | _VEHICLE_ONLY | _SPOKEN_TO | _COSTING
_SCENERY_LINES = {line for bank in (_VERSE, _CHORUS, _PRE_CHORUS, _BRIDGE, _INTRO, _OUTRO)
                  for couplet in bank for line in couplet} - _OWN
# Each kind of word, the lines it fits, and how it is written.
_KIND_LINES = {"place": _PLACED, "name": _ANYONE, "being": _ANYONE, "abstract": _ABSTRACT_LINES,
               "day": _DAY_LINES, "object": _OBJECT_LINES, "body": _BODY_LINES, "event": _EVENT_LINES,
               "moment": _OBJECT_LINES - _HELD, "room": _ROOM_LINES, "food": _FOOD_LINES,
               "furniture": _FURNITURE_LINES, "vehicle": _VEHICLE_LINES, "scenery": _SCENERY_LINES}
_CAPITALISED = {"place", "name", "day"}
_BARE = {"place", "name", "day", "abstract"}  # no article
_FEWEST = {"place", "name", "day", "abstract"}  # the kinds fewest lines fit, after a person


_BANKS = {"verse": _VERSE, "chorus": _CHORUS, "pre-chorus": _PRE_CHORUS, "bridge": _BRIDGE,
          "intro": _INTRO, "outro": _OUTRO}
# Sung the same each time it comes back: a song's chorus, and its pre-chorus.
_REFRAINS = {"chorus", "pre-chorus"}
_FALLBACK = ["heart", "night", "summer", "city", "river", "morning", "fire", "dream", "road", "ocean"]
# Things a stock adjective (these, _MOOD_ADJ) suits: the scenery of songs (nouns.SCENERY:
# "the silver river", "the endless summer"). Any other thing takes only an adjective the idea
# gives: "the silver laundry", "the distant rent", "the quiet pizza" were sung.
_FALLBACK_ADJ = ["golden", "quiet", "endless", "silver", "open", "distant", "wild", "gentle"]
_FALLBACK_ING = ["dancing", "drifting", "running", "shining", "falling", "flying"]
# stock words of a mood, where the idea has none of a kind
_MOOD_ADJ = {"quiet": ["quiet", "gentle", "distant", "silver", "golden"],
             "lively": ["wild", "golden", "open", "endless"], "angry": ["heavy", "endless", "bitter", "cold"]}
_MOOD_ING = {"quiet": ["drifting", "dreaming", "waiting", "shining", "wandering", "glowing"],
             "lively": ["dancing", "running", "flying", "shining", "spinning", "racing"],
             "angry": ["shouting", "fighting", "burning", "marching", "screaming", "raging"]}
