"""What kind of thing an idea's noun names, which says the lines it may stand in.

A line is written for a kind of thing: one calls out to a person ("Oh sister, take me
higher"), one crosses scenery ("Carry me across the river tonight"), one holds an object
("Dust is on the old guitar by the door"). Sung in a line of another kind, a word reads as
nonsense: "Oh teeth, take me higher", "Late at night the wallet begins to glow", "Through
the birthday I hear you call". There is no dictionary offline, so kinds come from short
lists; a noun on none of them is an object, the kind whose lines (remembered, found, lost,
missed, held) suit most things.
"""
from __future__ import annotations

# The scenery of songs: places one crosses, weather, times, lights; the lines of a landscape
# and a stock adjective suit them ("the silver river", "the endless summer").
SCENERY = set("""sky skies moon sun star stars night day morning evening dawn dusk sunset sunrise twilight midnight
summer winter spring autumn season river sea ocean lake shore beach coast wave waves tide harbour harbor bay island
mountain mountains hill hills valley field fields meadow forest wood woods tree trees garden flower flowers rose
road street highway city town village country home house window light lights fire flame rain snow storm wind
cloud clouds thunder fog mist heart dream dreams memory song melody world horizon desert sand train station
bridge tower lighthouse sail ship boat shadow shadows sound voice eyes smile skyline lane path trail park
weekend holiday jungle canyon cliff prairie glacier lagoon waterfall volcano sunshine sunlight moonlight starlight
universe galaxy space planet earth stream creek pond countryside tornado hurricane
earthquake flood""".split())
# Parts of a body: someone's own ("your teeth", "my hands"), looked after, never a landscape
# nor someone called to.
BODY = set("""eye hand foot tooth hair face lip arm leg finger toe ear nose knee back shoulder skin cheek
chin neck tummy belly head brain bone bones heel wrist ankle elbow thumb""".split())
# Things that happen, on a day or for a while: remembered, waited for, sung for, over.
EVENTS = set("""party wedding birthday anniversary graduation concert festival game match dinner lunch breakfast
parade prom reunion funeral picnic trip vacation celebration ceremony date drive ride shift race marathon season
tournament final finals championship show year performance fight battle war journey adventure holiday
workout practice training lesson class session exam interview meeting christmas""".split())
# What passes between people: remembered, missed, never held nor looked after ("I take care
# of the phone call every day").
MOMENTS = set("""call text message email voicemail conversation kiss hug promise goodbye hello secret word
words""".split())
# Rooms and buildings: one is in them, leaves them, calls them home.
ROOMS = set("""kitchen room bedroom bathroom hallway attic basement garage office school classroom hospital church
chapel bar club pub cafe diner restaurant store shop mall library museum stadium arena gym airport hotel motel
apartment studio farm barn factory prison jail courthouse porch yard backyard playground kindergarten daycare
bakery theater theatre cinema casino campus dorm cabin hometown neighborhood neighbourhood""".split())
# Food and drink: eaten, shared, smelled, kept warm; never missed tonight as a lover is, nor
# lying by the door ("I still miss the pizza tonight", "Dust is on the cake by the door").
FOOD = set("""pizza burger hamburger pasta spaghetti lasagna taco burrito sandwich cake cupcake pie cookie biscuit
pancake waffle donut doughnut muffin bagel croissant toast bread cheese chocolate candy popcorn noodle ramen
fry sushi curry salad soup stew apple banana strawberry peach lemon mango grape watermelon dumpling steak barbecue bacon
egg icecream dessert coffee tea wine beer whiskey juice lemonade cocoa milkshake smoothie""".split())
# Furniture: sat on, slept in, left behind and remembered, never missed as a person nor held
# in a hand ("I still miss the bed tonight", "Dust is on the bed by the door").
FURNITURE = set("""bed sofa couch chair armchair bench stool table desk mattress hammock crib cradle
dresser wardrobe cupboard bookshelf bookcase""".split())
# Vehicles: ridden, waited for, heard coming and going, left with the lights on; never
# gathering dust by the door nor held in a hand ("Dust is on the old tram by the door").
VEHICLES = set("""car bus tram trolley streetcar truck van taxi cab bike bicycle motorbike motorcycle scooter
plane airplane jet train subway metro ferry boat ship""".split())
# Things one has but does not count: never "every coffee", "a snow".
UNCOUNTED = set("""coffee tea wine beer whiskey vodka water milk juice chocolate candy honey sugar bread rice cheese
soup snow rain sunshine sunlight moonlight fog mist thunder sand dust smoke money homework music traffic weather
hair love gold""".split())
# Games played, named without an article as love is: "Hold on, basketball is calling".
SPORTS = set("""football basketball soccer baseball tennis hockey golf volleyball cricket rugby softball
badminton""".split())
# Things one has but cannot hold or count (ABSTRACT of songwriter), and words made like them.
FEELINGS = set("""fear anxiety depression forgiveness grace trust pride shame sorrow grief regret wisdom glory
patience gratitude time life""".split())

# Places a song may name in lower case ("a rainy day in paris"); any other name is known by
# its capital ("summer in Kyoto", "a song for Maria").
PLACE_NAMES = set("""paris london tokyo berlin rome madrid lisbon dublin amsterdam vienna prague budapest athens
istanbul moscow cairo dubai mumbai delhi bangkok seoul beijing shanghai sydney melbourne toronto montreal
vancouver chicago boston seattle miami atlanta nashville memphis detroit austin dallas houston denver havana
rio lima barcelona venice florence naples milan oslo stockholm copenhagen helsinki reykjavik edinburgh glasgow
manchester liverpool brooklyn harlem manhattan hollywood texas california alaska hawaii florida tennessee
kentucky louisiana ohio montana arizona nevada england scotland ireland wales france italy spain germany japan
china india africa europe asia america canada australia mexico cuba jamaica greece egypt morocco iceland
norway sweden kyoto osaka bali nairobi lagos jakarta manila singapore hamburg munich münchen wien köln
frankfurt zürich zurich dresden leipzig stuttgart düsseldorf bremen salzburg
roma milano napoli firenze venezia torino bologna genova palermo verona pisa siena bari trieste catania
sevilla valencia bilbao granada málaga malaga zaragoza córdoba cordoba cádiz cadiz toledo salamanca ibiza mallorca
tenerife bogotá bogota medellín medellin quito caracas montevideo cancún cancun lisboa coimbra braga recife
brasília brasilia bahia marseille lyon bordeaux toulouse strasbourg lille nantes montpellier bruxelles
genève geneva québec montréal hannover nürnberg nuremberg heidelberg bonn basel bern graz innsbruck dortmund
londra londres parigi berlino lisbona atene praga varsavia mailand venedig florenz neapel lissabon prag brüssel
genf moskau italia españa espana francia brasil brasile portugal argentina colombia peru perú""".split())
# (in the languages' own spellings too: "una canzone per roma" sang "la roma"; not those
# that are also words there: porto, faro, como, mosca, monaco, nice, tours)
# First names a song may name in lower case ("a wedding song for john and sarah" sang "I take
# care of the john every day", "Dust is on the sarah by the door"), and a name typed alone
# ("Sarah": "Remember when the sarah was new"). Names that are also words (will, rose, hope,
# june, lily, carol, teddy) are known only by their capital.
FIRST_NAMES = set("""john james michael david robert william richard thomas charles daniel matthew anthony paul
steven andrew joshua kevin brian george edward ryan jacob nicholas eric jonathan justin brandon benjamin samuel
alexander patrick peter henry adam nathan zachary kyle noah ethan liam lucas oliver elijah logan mason aiden jackson
sebastian leo luca marco mateo diego carlos juan jose luis miguel pedro pablo antonio francesco giovanni pierre
hans lars sven ivan dmitri ahmed omar ali mohammed muhammad yusuf hassan raj arjun rahul kenji hiroshi wei jake tom
tommy jimmy joe joey bobby billy danny sam ben tim nick alex chris mike dave steve tony luke josh matt max charlie
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley
emily michelle dorothy amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen amy shirley angela
helen anna brenda pamela nicole emma samantha katherine christine rachel catherine janet maria heather diane julie
olivia sophia isabella mia ava charlotte amelia evelyn abigail ella chloe zoe lucy sofia valentina camila lucia
julia clara elena marie sophie lea hannah lena mila nina fatima aisha priya ananya mei kate katie jenny jess meg
annie ellie molly maggie sally lizzie""".split())
# First names that are also things (so FIRST_NAMES leaves them out). In an idea written in
# title case, where no capital tells a name, one of these bare right after "for", "to" or
# "about" is a name: a thing there takes an article ("A Song For Rose", "A Song About The
# Rose"). Names that are also what one has but does not count (hope, grace, joy, faith) stay
# things: "A Song About Hope".
NAMES_OF_THINGS = set("""rose lily daisy ivy violet iris holly hazel ruby pearl amber jade olive will bill jack
mark ray carol teddy""".split())


def thing_kind(one: str) -> str:
    """'body', 'event', 'moment', 'room', 'food', 'furniture', 'vehicle', 'scenery' or
    'object' for a thing
    named by `one` (singular, lower case)."""
    if one in BODY:
        return "body"
    if one in EVENTS:
        return "event"
    if one in MOMENTS:
        return "moment"
    if one in ROOMS:
        return "room"
    if one in FOOD:
        return "food"
    if one in FURNITURE:
        return "furniture"
    if one in VEHICLES:
        return "vehicle"
    if one in SCENERY:
        return "scenery"
    return "object"


def is_feeling(one: str) -> bool:
    """A game, a feeling or a quality: sung bare, as love is ("Maybe kindness was never mine")."""
    return one in SPORTS or one in FEELINGS or len(one) > 6 and one.endswith("ness")
