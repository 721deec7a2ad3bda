"""The demo newsroom: The Ostmere Courier, covering the fictional port city of Brennhaven.

Every name, place, quote and figure here is invented. Links point at reserved ``.example``
domains. Times are given relative to when the command runs, so the front page is always fresh.
"""

import re

from media.models import License

NEWSROOM = "The Ostmere Courier"

#: In the bodies below, an inline photo names a library image by title
#: (``<figure data-demo-image="Title">``); :func:`with_photo_ids` puts in its id once loaded.
_DEMO_IMAGE = re.compile(r'data-demo-image="([^"]+)"')


def with_photo_ids(html, images):
    """``html`` with each photo's title replaced by the id of that library image."""
    return _DEMO_IMAGE.sub(lambda match: f'data-image-id="{images[match[1]].pk}"', html)


SECTIONS = [
    {
        "slug": "city",
        "name": "City",
        "description": "Brennhaven's council, streets, transport and neighbourhoods.",
    },
    {
        "slug": "business",
        "name": "Business",
        "description": "The port, shipping, jobs, housing and the firms of the Ostmere coast.",
    },
    {
        "slug": "science",
        "name": "Science",
        "description": "Research from Ostmere University and beyond: the sea, the sky and health.",
    },
]

TAGS = {
    "transport": "Transport",
    "cycling": "Cycling",
    "council": "City council",
    "budget": "Budget",
    "flooding": "Flooding",
    "climate": "Climate",
    "events": "Events",
    "harbour": "Harbour",
    "economy": "Economy",
    "housing": "Housing",
    "energy": "Energy",
    "small-business": "Small business",
    "space": "Space",
    "oceans": "Oceans",
    "ostmere-university": "Ostmere University",
    "education": "Education",
}

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
PD_MARK = "https://creativecommons.org/publicdomain/mark/1.0/"
COURIER_TERMS = "https://www.ostmere-courier.example/licensing"

#: Credits are keyed by (text, creator). "staff", "handout" and "graphics" are shared by several
#: photos; the others belong to one photographer.
CREDITS = {
    "staff": {
        "text": "Jonah Pryce/The Ostmere Courier",
        "creator": "Jonah Pryce",
        "copyright_notice": "© The Ostmere Courier",
        "license": License.ALL_RIGHTS_RESERVED,
        "license_url": COURIER_TERMS,
        "acquire_license_page": COURIER_TERMS,
    },
    "handout": {
        "text": "Handout",
        "creator": "",
        "license": License.HANDOUT,
        "license_url": "https://www.ostmere-courier.example/handouts",
    },
    "graphics": {
        "text": "Graphic: The Ostmere Courier",
        "creator": "Courier data desk",
        "copyright_notice": "© The Ostmere Courier",
        "license": License.ALL_RIGHTS_RESERVED,
        "license_url": COURIER_TERMS,
    },
    "portraits": {
        "text": "The Ostmere Courier",
        "creator": "The Ostmere Courier",
        "copyright_notice": "© The Ostmere Courier",
        "license": License.ALL_RIGHTS_RESERVED,
        "license_url": COURIER_TERMS,
    },
    "voss": {
        "text": "Creative Commons",
        "creator": "Lena Voss",
        "license": License.CC_BY,
        "license_url": CC_BY,
        "source_url": "https://photos.example/lena-voss/night-market",
    },
    "aalders": {
        "text": "Creative Commons",
        "creator": "Pieter Aalders",
        "license": License.CC_BY_SA,
        "license_url": CC_BY_SA,
        "source_url": "https://photos.example/pieter-aalders/solar-roof",
    },
    "observatory": {
        "text": "Ostmere University Observatory",
        "creator": "Ostmere University",
        "license": License.CC_BY,
        "license_url": CC_BY,
        "source_url": "https://observatory.ostmere-university.example/images",
    },
    "coastal-survey": {
        "text": "Public domain",
        "creator": "Ostmere Coastal Survey",
        "license": License.PUBLIC_DOMAIN,
        "license_url": PD_MARK,
        "source_url": "https://survey.ostmere.example/seagrass",
    },
    "agency": {
        "text": "Coastline Pictures",
        "creator": "Rosa Delgado",
        "copyright_notice": "© Coastline Pictures",
        "license": License.LICENSED,
        "license_url": "https://coastline-pictures.example/terms",
        "acquire_license_page": "https://coastline-pictures.example/buy/gull-point",
        "rights_expire_in_days": 365,
    },
    "open-data": {
        "text": "Creative Commons",
        "creator": "Northfield Energy Co-operative",
        "license": License.CC0,
        "license_url": CC0,
    },
}

LANDSCAPE = (1600, 1067)
WIDE = (1200, 800)
SQUARE = (600, 600)

#: Library images, keyed by title. ``scene`` names a drawing in ``_demo_pictures``.
IMAGES = [
    {
        "title": "Harbour Line tram on the Lenn Bridge",
        "scene": "tram_bridge",
        "size": LANDSCAPE,
        "alt_text": "A red and yellow tram crosses a stone arched bridge over a river, with "
        "green hills behind.",
        "caption": "A Harbour Line tram on the Lenn Bridge.",
        "credit": "staff",
        "focal": (0.5, 0.55),
    },
    {
        "title": "Brennhaven council chamber",
        "scene": "council_chamber",
        "size": LANDSCAPE,
        "alt_text": "Rows of green benches arranged in a horseshoe around the speaker's desk.",
        "caption": "The council chamber at Brennhaven City Hall.",
        "credit": "staff",
    },
    {
        "title": "Flood gates on the River Lenn",
        "scene": "flood_gates",
        "size": LANDSCAPE,
        "alt_text": "Four closed steel flood gates in a concrete wall hold back a high, brown "
        "river in heavy rain.",
        "caption": "The new flood gates on the River Lenn at Saltmarsh.",
        "credit": "handout",
    },
    {
        "title": "Night market on Ferry Square",
        "scene": "night_market",
        "size": LANDSCAPE,
        "alt_text": "Five market stalls with striped awnings under strings of coloured lights "
        "at dusk.",
        "caption": "Stalls on Ferry Square on the market's opening night.",
        "credit": "voss",
    },
    {
        "title": "Cycle lane on Quay Road",
        "scene": "cycle_lane",
        "size": WIDE,
        "alt_text": "A green-painted cycle lane with a white bicycle symbol runs alongside a "
        "road between shopfronts.",
        "caption": "The new cycle lane on Quay Road, seen from above.",
        "credit": "staff",
    },
    {
        "title": "Electric ferry at Old Quay",
        "scene": "ferry_quay",
        "size": LANDSCAPE,
        "alt_text": "A white passenger ferry with a blue stripe lies alongside a quay with a "
        "charging mast.",
        "caption": "An artist's impression of the new ferries at their Old Quay charging berth.",
        "credit": "handout",
    },
    {
        "title": "Port container volumes by quarter",
        "scene": "container_chart",
        "size": WIDE,
        "options": {
            "title": "Containers handled at the Port of Brennhaven",
            "unit": "thousand TEU per quarter",
        },
        "alt_text": "Bar chart: containers handled rose in every quarter of this year compared "
        "with last year, reaching 231,000 in the fourth quarter.",
        "caption": "Quarterly container volumes at the Port of Brennhaven.",
        "credit": "graphics",
    },
    {
        "title": "House price index for the Ostmere coast",
        "scene": "price_chart",
        "size": WIDE,
        "options": {"title": "House price index, Ostmere coast"},
        "alt_text": "Line chart: house prices rose steeply for eight years, then levelled off "
        "over the last three.",
        "caption": "Average house prices on the Ostmere coast, indexed.",
        "credit": "graphics",
    },
    {
        "title": "Mellor's Bakery window",
        "scene": "bakery_window",
        "size": LANDSCAPE,
        "options": {"sign": "MELLOR'S BAKERY · KILN STREET"},
        "alt_text": "A bakery window with a green painted sign above three shelves of loaves.",
        "caption": "The window of Mellor's Bakery on Kiln Street.",
        "credit": "staff",
    },
    {
        "title": "Comet over the university observatory",
        "scene": "comet_night",
        "size": LANDSCAPE,
        "alt_text": "A comet with a pale blue tail in a starry sky above an observatory dome "
        "on a dark hill.",
        "caption": "Comet Ostmere–Hale, imaged from the university observatory.",
        "credit": "observatory",
        "focal": (0.66, 0.26),
    },
    {
        "title": "Seagrass meadow in Ostmere Bay",
        "scene": "seagrass",
        "size": LANDSCAPE,
        "alt_text": "Tall blades of seagrass rise from a sandy seabed in green-blue water.",
        "caption": "Seagrass in Ostmere Bay during the summer survey.",
        "credit": "coastal-survey",
    },
    {
        "title": "Solar panels on Kiln Street School",
        "scene": "solar_roof",
        "size": LANDSCAPE,
        "alt_text": "Three rows of dark blue solar panels on a red tiled roof under a bright sun.",
        "caption": "Solar panels on the roof of Kiln Street School.",
        "credit": "aalders",
    },
    {
        "title": "Microplastic particles from the River Lenn",
        "scene": "microscope",
        "size": WIDE,
        "alt_text": "Blue, red, green and yellow plastic fragments and fibres seen through a "
        "microscope, with a 0.1 millimetre scale bar.",
        "caption": "Particles filtered from a litre of river water near Northfield.",
        "credit": "observatory",
    },
    {
        "title": "Map of the Ostmere coast",
        "scene": "coast_map",
        "size": LANDSCAPE,
        "options": {
            "places": [
                ("Northfield", 0.25, 0.3),
                ("Brennhaven", 0.45, 0.45),
                ("Gull Point", 0.72, 0.6),
                ("Saltmarsh", 0.5, 0.8),
            ]
        },
        "alt_text": "Map of the coast showing the River Lenn flowing from Northfield past "
        "Brennhaven to the sea, with Saltmarsh to the south and Gull Point offshore.",
        "caption": "The Ostmere coast, from Northfield to Gull Point.",
        "credit": "graphics",
    },
    {
        "title": "Brennhaven skyline at dusk",
        "scene": "harbour_skyline",
        "size": LANDSCAPE,
        "alt_text": "Tower blocks with lit windows and a harbour crane against an orange "
        "evening sky, reflected in the water.",
        "caption": "Old Quay and the harbour cranes at dusk.",
        "credit": "staff",
    },
    {
        "title": "Wind turbines off Gull Point",
        "scene": "wind_turbines",
        "size": LANDSCAPE,
        "alt_text": "Five white wind turbines standing in a grey sea under a pale sky.",
        "caption": "Turbines of the Gull Point wind farm during commissioning.",
        "credit": "agency",
    },
]

AUTHORS = [
    {
        "slug": "mara-okafor",
        "name": "Mara Okafor",
        "role": "News Reporter",
        "location": "Brennhaven",
        "bio": "Mara Okafor covers Brennhaven City Council, transport and housing for The "
        "Ostmere Courier. Before joining the Courier she spent five years at a community "
        "radio station in Saltmarsh.",
        "links": [
            ("Personal site", "https://maraokafor.example/"),
            ("Mastodon", "https://social.example/@maraokafor"),
        ],
        "portrait": ("MO", (178, 82, 60)),
    },
    {
        "slug": "tomas-lindqvist",
        "name": "Tomas Lindqvist",
        "role": "Business Correspondent",
        "location": "Brennhaven",
        "bio": "Tomas Lindqvist writes about the port, shipping and the regional economy. "
        "He worked as a logistics analyst for a decade before moving into journalism.",
        "links": [
            ("Newsletter: The Manifest", "https://themanifest.example/"),
            ("Professional profile", "https://profiles.example/tomas-lindqvist"),
        ],
        "portrait": ("TL", (46, 104, 150)),
    },
    {
        "slug": "amira-haddad",
        "name": "Amira Haddad",
        "role": "Science Editor",
        "location": "Northfield",
        "bio": "Amira Haddad edits the Courier's science coverage. She trained as a marine "
        "biologist at Ostmere University and has written about the sea, space and public "
        "health for magazines across the region.",
        "links": [
            ("Personal site", "https://amirahaddad.example/"),
            ("Podcast: Tidelines", "https://tidelines.example/"),
            ("Mastodon", "https://social.example/@amirahaddad"),
        ],
        "portrait": ("AH", (70, 130, 84)),
    },
    {
        "slug": "jonah-pryce",
        "name": "Jonah Pryce",
        "role": "Photographer and Video Journalist",
        "location": "Saltmarsh",
        "bio": "Jonah Pryce has photographed the Ostmere coast for the Courier since 2016, "
        "from council meetings to winter storms. He also writes about the people behind the "
        "city's small businesses.",
        "links": [("Portfolio", "https://jonahpryce.example/portfolio")],
        "portrait": ("JP", (120, 84, 150)),
    },
]

W, P, A = "written-by", "photos-by", "additional-reporting"

ARTICLES = [
    # -- City --------------------------------------------------------------------------------
    {
        "slug": "harbour-line-trams-every-six-minutes",
        "title": "Harbour Line trams to run every six minutes from spring",
        "standfirst": "Four extra trams and a later last service for the city's busiest route, "
        "after a year of complaints about crowded platforms at Old Quay.",
        "section": "city",
        "tags": ["transport", "council"],
        "bylines": [("mara-okafor", W), ("jonah-pryce", P)],
        "hours_ago": 3,
        "lead_image": "Harbour Line tram on the Lenn Bridge",
        "lead_image_caption": "A Harbour Line tram crosses the Lenn Bridge during the morning "
        "rush. Peak services will run every six minutes from April.",
        "body": """
<p>Trams on the Harbour Line will run every six minutes at peak times from the start of April,
Brennhaven City Council said on Tuesday, ending a timetable that has left commuters squeezed
onto the platforms at Old Quay since the route was extended last year.</p>
<p>The change is possible because four new trams, delivered in January, have finished their
night-time test runs. Off-peak services will stay at one every ten minutes.</p>
<h2>What changes for passengers</h2>
<ul>
<li>Peak trams every six minutes instead of every nine, from 7am to 10am and 4pm to 7pm.</li>
<li>The last tram from Ferry Square leaves at 00:40 on Fridays and Saturdays, an hour later
than now.</li>
<li>Longer platforms at <strong>Kiln Street</strong> and <strong>Northfield Park</strong>, so
that coupled trams can stop there.</li>
</ul>
<blockquote class="pull-quote"><p>We heard very clearly that the route had become a victim of
its own success. Six minutes is the gap people told us would make them stop checking the
timetable.</p><cite>Ruth Abernethy, chair of the council's transport committee</cite></blockquote>
<figure data-demo-image="Brennhaven skyline at dusk"><figcaption>Old Quay, where the Harbour
Line ends. Its platforms are the most crowded on the network.</figcaption></figure>
<p>The operator said the extra services would cost about €1.2m a year, paid for from fares and
a grant already set aside in the council's budget. The new timetable is published on the
<a href="https://www.brennhaven.example/transport/harbour-line">council's transport
pages</a>.</p>
<figure data-embed-url="https://video.ostmere-courier.example/harbour-line-night-tests">
<figcaption>Video: riding along on one of the new trams' night-time test runs.</figcaption>
</figure>
<blockquote><p>Nine minutes does not sound long until you have watched two full trams go past
with your children on a cold platform.</p><cite>Priya Nair, who commutes from Northfield
Park</cite></blockquote>
<hr>
<h2>Weekend closures at Kiln Street</h2>
<p>The platform works will close Kiln Street stop for three weekends in March. Replacement
buses will run between Ferry Square and Northfield Park every ten minutes.</p>
<ol>
<li>Check the closure dates on the council's transport pages before you travel.</li>
<li>Allow an extra fifteen minutes between Ferry Square and Northfield Park.</li>
<li>Tickets and passes are valid on the replacement buses.</li>
</ol>
""",
    },
    {
        "slug": "council-budget-libraries-road-repairs",
        "title": "Council agrees budget with more money for libraries and road repairs",
        "standfirst": "Councillors approved next year's spending plan by 31 votes to 18 after a "
        "four-hour debate, with the city's branch libraries the biggest winners.",
        "section": "city",
        "tags": ["council", "budget"],
        "bylines": [("mara-okafor", W)],
        "hours_ago": 20,
        "lead_image": "Brennhaven council chamber",
        "seo_title": "Brennhaven budget: libraries and road repairs get more money",
        "body": """
<p>Brennhaven City Council has approved a budget that restores weekend opening at all seven
branch libraries and doubles the money for filling potholes, while raising council tax by
2.9%.</p>
<p>The vote, 31 to 18, came late on Thursday evening after opposition councillors failed to
amend the plan to freeze the tax for a year.</p>
<h2>Where the money goes</h2>
<ol>
<li><strong>Libraries:</strong> €1.8m to reopen branches on Saturdays and Sundays and to
extend evening hours at Northfield and Saltmarsh.</li>
<li><strong>Roads:</strong> €4.5m for resurfacing and pothole repairs, up from €2.2m.</li>
<li><strong>Social care:</strong> an extra €3.1m, mostly for home care visits.</li>
<li><strong>Parks:</strong> €600,000 to replace play equipment in six parks.</li>
</ol>
<blockquote class="pull-quote"><p>A library that is shut at the weekend is a library that
working families never get to use.</p><cite>Councillor Samir Qureshi</cite></blockquote>
<p>The opposition leader, Councillor Elaine Forde, said the tax rise would hit households
already struggling with energy bills. "We had an alternative that balanced the books without
asking residents for more," she said.</p>
<p>The full budget papers are on the
<a href="https://www.brennhaven.example/council/budget">council's website</a>.</p>
""",
        "corrections": [
            (
                14,
                "An earlier version of this article said the budget passed by 32 votes to 17. "
                "It passed by 31 votes to 18.",
            )
        ],
    },
    {
        "slug": "river-lenn-flood-defences-first-winter",
        "title": "Flood defences along the River Lenn pass their first winter test",
        "standfirst": "The gates at Saltmarsh were closed twice during January's storms, and no "
        "homes flooded for the first time in six years.",
        "section": "city",
        "tags": ["flooding", "climate"],
        "bylines": [("mara-okafor", W), ("jonah-pryce", A)],
        "hours_ago": 52,
        "lead_image": "Flood gates on the River Lenn",
        "lead_image_caption": "The flood gates at Saltmarsh, closed during the storm on "
        "14 January. Photo supplied by the Ostmere Rivers Authority.",
        "body": """
<p>The flood defences built along the lower River Lenn have come through their first winter
without a single home flooding, the Ostmere Rivers Authority said this week.</p>
<p>The four steel gates at Saltmarsh were closed twice in January, when storm surges pushed the
tide up the river at the same time as heavy rain upstream. On both nights the river rose above
the level that flooded more than 200 homes six years ago.</p>
<h2>How the scheme works</h2>
<figure data-demo-image="Map of the Ostmere coast"><figcaption>The River Lenn runs from
Northfield past Brennhaven to the sea; the gates stand at Saltmarsh.</figcaption></figure>
<p>The gates shut when the tide is forecast to rise above a set level, holding back the sea
while pumps move river water over the wall. The scheme also raised two kilometres of
embankment and built a storage lake on farmland above Northfield.</p>
<blockquote><p>People who lived through the last flood were watching the river all night. This
time they could go to bed.</p><cite>Dana Whitfield, Saltmarsh Residents' Association</cite>
</blockquote>
<p>Engineers warn that the defences are designed for the floods expected over the next 50
years, and that they will need raising again as sea levels rise. The authority publishes river
levels and gate closures on its <a href="https://rivers.ostmere.example/lenn">live river
page</a>.</p>
""",
    },
    {
        "slug": "night-market-returns-ferry-square",
        "title": "Night market returns to Ferry Square after a three-year break",
        "standfirst": "Forty stalls, street food and live music every Friday until October, "
        "with a new rule that every trader must be from the Ostmere coast.",
        "section": "city",
        "tags": ["events", "small-business"],
        "bylines": [("jonah-pryce", W)],
        "hours_ago": 98,
        "lead_image": "Night market on Ferry Square",
        "body": """
<p>Ferry Square filled up again on Friday night as the city's night market returned after
three years away, with queues at the food stalls stretching back to the tram stop.</p>
<p>The market closed when the square was dug up for the Harbour Line extension. Its organisers,
a co-operative of traders, reached a new agreement with the council in the autumn.</p>
<h2>What to expect</h2>
<ul>
<li>Forty stalls every Friday from 5pm to 11pm, until the end of October.</li>
<li>Street food, crafts, second-hand books and plants.</li>
<li>Live music from local bands on the bandstand from 7pm.</li>
</ul>
<p>Every trader must now live or work on the Ostmere coast, a rule the co-operative says keeps
the market local. "You will not find anything here that was made more than an hour's drive
away," said its chair, Yusuf Demir.</p>
<p>Stall applications for the summer are open on the
<a href="https://ferrysquaremarket.example/traders">market's website</a>.</p>
""",
    },
    {
        "slug": "quay-road-cycle-lanes-divide-shopkeepers",
        "title": "New cycle lanes on Quay Road divide shopkeepers",
        "standfirst": "Some traders say they have lost passing trade since parking was removed; "
        "others report more customers than ever.",
        "section": "city",
        "tags": ["transport", "cycling", "small-business"],
        "bylines": [("mara-okafor", W), ("tomas-lindqvist", W)],
        "hours_ago": 146,
        "lead_image": "Cycle lane on Quay Road",
        "body": """
<p>Six months after the council replaced 80 parking spaces on Quay Road with protected cycle
lanes, the street's shopkeepers disagree sharply about what it has done for business.</p>
<p>Council counts show the number of people cycling on the road has tripled, to about 2,400 a
day, while car traffic has fallen by a quarter.</p>
<h2>Two views from the same street</h2>
<p>Ines Carvalho, who runs a hardware shop near the Lenn Bridge, says her takings are down.
"My customers buy paint and timber. They are not carrying that home on a bicycle," she said.</p>
<p>A few doors away, café owner Patrick Oduya says weekday trade is the best it has been. "People
stop now. Before, they drove straight past," he said.</p>
<blockquote><p>The honest answer is that it is too early to say. We will publish the footfall
figures for every block in the summer.</p><cite>Brennhaven City Council spokesperson</cite>
</blockquote>
<p>The council has promised to add loading bays at both ends of the road by June.</p>
""",
    },
    # -- Business ----------------------------------------------------------------------------
    {
        "slug": "ostmere-ferries-orders-electric-ferries",
        "title": "Ostmere Ferries orders two battery-electric ferries for the Saltmarsh crossing",
        "standfirst": "The €38m order would replace two diesel ships built in the 1990s and "
        "cut the company's fuel bill by half.",
        "section": "business",
        "tags": ["harbour", "energy", "transport"],
        "bylines": [("tomas-lindqvist", W)],
        "hours_ago": 9,
        "lead_image": "Electric ferry at Old Quay",
        "body": """
<p>Ostmere Ferries has ordered two battery-electric ferries for its busiest crossing, between
Old Quay and Saltmarsh, in a deal worth €38m.</p>
<p>The ships will each carry 400 passengers and 60 cars, and recharge in the ten minutes they
spend at each quay. They are due to enter service in two years' time.</p>
<h2>Why now</h2>
<ul>
<li>The two ships they replace are more than 30 years old and increasingly expensive to
repair.</li>
<li>Fuel makes up nearly a third of the company's running costs.</li>
<li>The port is building charging berths with a regional climate grant.</li>
</ul>
<blockquote class="pull-quote"><p>The crossing is twenty minutes long. That is exactly the kind
of route batteries were made for.</p><cite>Hanne Solberg, chief executive of Ostmere
Ferries</cite></blockquote>
<p>The company said fares would not rise because of the investment. Details of the order are in
its <a href="https://ostmere-ferries.example/news/electric-fleet">announcement to
customers</a>.</p>
""",
    },
    {
        "slug": "port-of-brennhaven-record-container-quarter",
        "title": "Port of Brennhaven handled a record number of containers last quarter",
        "standfirst": "Volumes rose by 17% on a year earlier, helped by two new shipping routes "
        "to the south.",
        "section": "business",
        "tags": ["harbour", "economy"],
        "bylines": [("tomas-lindqvist", W)],
        "hours_ago": 30,
        "lead_image": "Port container volumes by quarter",
        "lead_image_caption": "The port handled 231,000 containers in the last quarter, its "
        "highest figure on record.",
        "body": """
<p>The Port of Brennhaven handled 231,000 containers in the last three months of the year, the
most in its history and 17% more than in the same quarter a year earlier.</p>
<p>The port's owners said two new weekly routes, opened in the spring, accounted for most of
the growth.</p>
<h2>Jobs and lorries</h2>
<p>The port now employs about 2,100 people directly, 150 more than a year ago. But residents of
Northfield say the growth has brought more lorries onto the ring road at night.</p>
<blockquote><p>We want the port to do well. We also want to sleep.</p><cite>Marek Nowak,
Northfield Community Council</cite></blockquote>
<p>The port has applied for permission to move more containers by rail, which it says would
take up to 300 lorries a day off the roads. The plans can be read on the
<a href="https://www.brennhaven.example/planning/port-rail-link">planning portal</a>.</p>
""",
    },
    {
        "slug": "house-prices-flatten-ostmere-coast",
        "title": "House prices flatten across the Ostmere coast as mortgage rates ease",
        "standfirst": "Prices have barely moved for three years after almost a decade of steep "
        "rises, and first-time buyers are coming back.",
        "section": "business",
        "tags": ["housing", "economy"],
        "bylines": [("tomas-lindqvist", W), ("mara-okafor", A)],
        "hours_ago": 75,
        "lead_image": "House price index for the Ostmere coast",
        "body": """
<p>House prices on the Ostmere coast were almost unchanged over the past year, according to
figures from the regional land registry, the third year in a row in which they have barely
moved.</p>
<p>The average home now costs about 52% more than it did a decade ago. Most of that rise came
before interest rates started to climb.</p>
<h2>Who is buying</h2>
<p>Estate agents report more first-time buyers, helped by lower mortgage rates and by wages that
have risen faster than prices. In Saltmarsh, first-time buyers made up more than a third of
sales.</p>
<ol>
<li>Northfield: prices up 1.2% over the year.</li>
<li>Brennhaven city centre: down 0.8%.</li>
<li>Saltmarsh: up 2.5%, the biggest rise on the coast.</li>
</ol>
<p>The registry's quarterly report is
<a href="https://landregistry.ostmere.example/reports">published online</a>.</p>
""",
    },
    {
        "slug": "mellors-bakery-kiln-street-hundred-years",
        "title": "Mellor's Bakery on Kiln Street marks a hundred years of trading",
        "standfirst": "Four generations, one oven and a sourdough starter that the family says "
        "is older than the tram line.",
        "section": "business",
        "tags": ["small-business"],
        "bylines": [("jonah-pryce", W)],
        "hours_ago": 122,
        "lead_image": "Mellor's Bakery window",
        "lead_image_caption": "Loaves in the window of Mellor's Bakery, which opened on Kiln "
        "Street a century ago this week.",
        "body": """
<p>At half past four every morning, Greta Mellor lights the same brick oven her
great-grandfather built when he opened the shop on Kiln Street a hundred years ago.</p>
<p>The bakery has survived two fires, a flood and the arrival of three supermarkets within
walking distance. It now sells about 900 loaves a day.</p>
<h2>The secret, according to the family</h2>
<ul>
<li>A sourdough starter kept alive since the 1950s.</li>
<li>Flour from a mill twenty kilometres up the River Lenn.</li>
<li><em>No</em> shortcuts on proving time.</li>
</ul>
<blockquote class="pull-quote"><p>People ask what has changed in a hundred years. The prices,
mostly.</p><cite>Greta Mellor</cite></blockquote>
<p>The bakery is holding an open day on Saturday, with tours of the bakehouse every hour.</p>
""",
    },
    # -- Science -----------------------------------------------------------------------------
    {
        "slug": "university-telescope-spots-comet",
        "title": "University telescope spots a comet that will be visible this autumn",
        "standfirst": "Astronomers at Ostmere University say the comet could be bright enough "
        "to see with binoculars from dark places on the coast.",
        "section": "science",
        "tags": ["space", "ostmere-university"],
        "bylines": [("amira-haddad", W)],
        "hours_ago": 5,
        "lead_image": "Comet over the university observatory",
        "body": """
<p>A comet discovered by students using Ostmere University's telescope is expected to pass
close enough to the Sun this autumn to be seen with binoculars, astronomers say.</p>
<p>The comet, catalogued as Ostmere–Hale after the observatory and the student who first
spotted it, Nadia Hale, was found in images taken in February.</p>
<h2>When and where to look</h2>
<ul>
<li>Best seen in the early evening in October, low in the western sky.</li>
<li>Head away from street lights: the headland at Gull Point is ideal.</li>
<li>Binoculars will help; a small telescope will show its tail.</li>
</ul>
<figure data-demo-image="Map of the Ostmere coast"></figure>
<figure data-embed-url="https://observatory.ostmere-university.example/comet-ostmere-hale/timelapse">
<figcaption>A time-lapse of the comet's first week in the observatory's images.</figcaption>
</figure>
<blockquote><p>Comets are famously hard to predict. It may brighten a lot, or it may fall apart
as it nears the Sun. Either way we will learn something.</p><cite>Professor Helen Strand,
Ostmere University</cite></blockquote>
<p>The observatory will run public viewing evenings if the sky is clear. Dates are listed on the
<a href="https://observatory.ostmere-university.example/events">observatory's events
page</a>.</p>
""",
    },
    {
        "slug": "seagrass-meadows-ostmere-bay-recovering",
        "title": "Seagrass meadows in Ostmere Bay are recovering, survey finds",
        "standfirst": "The meadows have grown by a fifth in five years, after moorings were "
        "changed to stop anchors tearing up the seabed.",
        "section": "science",
        "tags": ["oceans", "climate", "ostmere-university"],
        "bylines": [("amira-haddad", W)],
        "hours_ago": 36,
        "lead_image": "Seagrass meadow in Ostmere Bay",
        "body": """
<p>Seagrass meadows in Ostmere Bay now cover about 310 hectares, a fifth more than five years
ago, according to the latest survey by the Ostmere Coastal Survey and the university.</p>
<p>Seagrass shelters young fish, steadies the seabed and stores carbon. The bay lost almost
half of its meadows in the twenty years before the survey began.</p>
<h2>What made the difference</h2>
<p>Researchers credit a scheme that replaced traditional boat moorings, whose chains scraped
the seabed, with floating ones. Divers also replanted seagrass grown from seed in two sheltered
coves.</p>
<figure data-demo-image="Microplastic particles from the River Lenn"><figcaption>The survey
also sampled the river water that reaches the bay: particles filtered from one litre near
Northfield.</figcaption></figure>
<blockquote class="pull-quote"><p>Stop damaging it, and seagrass is remarkably good at coming
back on its own.</p><cite>Dr Kofi Mensah, marine ecologist</cite></blockquote>
<p>The survey's maps and data are <a href="https://survey.ostmere.example/seagrass">freely
available</a>.</p>
""",
    },
    {
        "slug": "rooftop-solar-schools-savings",
        "title": "Rooftop solar on schools saved more than expected, study finds",
        "standfirst": "Twelve schools cut their electricity bills by an average of 38% in the "
        "first full year, beating the council's forecast.",
        "section": "science",
        "tags": ["energy", "education", "climate"],
        "bylines": [("amira-haddad", W), ("tomas-lindqvist", A)],
        "hours_ago": 60,
        "lead_image": "Solar panels on Kiln Street School",
        "lead_image_caption": "Kiln Street School's panels produced more electricity than the "
        "school used on 61 days last year.",
        "body": """
<p>Solar panels fitted to the roofs of twelve Brennhaven schools cut their electricity bills by
an average of 38% in their first full year, a study by Ostmere University has found.</p>
<p>The council had forecast savings of about a quarter. The researchers say schools were well
suited to solar because they use most of their power during daylight hours.</p>
<h2>Findings</h2>
<ol>
<li>Average bill reduction: 38%, ranging from 24% to 51%.</li>
<li>Payback time, at current prices: about seven years.</li>
<li>Summer surplus sold to the grid: enough to power 140 homes for a year.</li>
</ol>
<p>The council now plans to add panels to a further twenty schools and four leisure centres.
The full study is <a href="https://energy.ostmere-university.example/schools-solar">published
online</a>.</p>
""",
    },
    {
        "slug": "microplastics-river-lenn-source-to-sea",
        "title": "Tracking microplastics down the River Lenn, from source to sea",
        "standfirst": "Researchers filtered water at twenty points along the river and found "
        "the most particles not in the city, but below a single industrial estate.",
        "section": "science",
        "tags": ["oceans", "ostmere-university"],
        "bylines": [("amira-haddad", W)],
        "hours_ago": 170,
        "lead_image": "Microplastic particles from the River Lenn",
        "original_publisher": "The Ostmere Science Review",
        "original_url": "https://science-review.ostmere.example/2024/lenn-microplastics",
        "body": """
<p>For a year, a team from Ostmere University took water samples every month at twenty points
along the River Lenn, from its source in the hills to the harbour mouth.</p>
<p>They expected the number of plastic particles to rise steadily as the river flowed through
towns. Instead, they found one sharp jump, below an industrial estate upstream of
Northfield.</p>
<h2>What they found</h2>
<ul>
<li>Fibres from clothing made up more than half of all particles.</li>
<li>Concentrations below the estate were four times those just above it.</li>
<li>Levels fell again in the tidal river, where particles settle into mud.</li>
</ul>
<blockquote><p>A single source we can find and fix is good news. It is much harder when plastic
comes from everywhere at once.</p><cite>Dr Lucia Ferreira, lead author</cite></blockquote>
<p>The research is published in full in the
<a href="https://science-review.ostmere.example/2024/lenn-microplastics">Ostmere Science
Review</a>.</p>
""",
    },
    {
        "slug": "coastal-survey-maps-erosion",
        "title": "Coastal survey maps fifty years of erosion on the Ostmere coast",
        "standfirst": "The cliffs south of Saltmarsh have retreated by up to 40 metres since the "
        "1970s; the harbour walls have held the line at Brennhaven.",
        "section": "science",
        "tags": ["climate", "oceans", "flooding"],
        "bylines": [("amira-haddad", W), ("jonah-pryce", P)],
        "hours_ago": 196,
        "lead_image": "Map of the Ostmere coast",
        "body": """
<p>A new map from the Ostmere Coastal Survey compares aerial photographs taken over fifty years
to show how far the coastline has moved.</p>
<p>The largest losses are on the soft cliffs south of Saltmarsh, where the edge has retreated
by up to 40 metres. Around Brennhaven, harbour walls and sea defences have held it in
place.</p>
<h2>Why it matters</h2>
<p>Around 60 homes and a section of the coast road now stand within 50 metres of the cliff
edge. The council is drawing up a plan for which stretches to defend and which to let the sea
reshape.</p>
<blockquote><p>We cannot hold every metre of this coast, and pretending we can is not fair to
the people who live on it.</p><cite>Councillor Ruth Abernethy</cite></blockquote>
<p>The survey's <a href="https://survey.ostmere.example/erosion">interactive map</a> lets
residents compare any stretch of coast across five decades.</p>
""",
    },
    # -- Not public: a draft, an article in review and one scheduled for later -----------------
    {
        "slug": "second-harbour-bridge-what-we-know",
        "title": "Plans for a second harbour bridge: what we know so far",
        "standfirst": "Three routes are on the table. None of them is cheap.",
        "section": "city",
        "tags": ["transport", "harbour"],
        "bylines": [("mara-okafor", W)],
        "status": "draft",
        "lead_image": "Brennhaven skyline at dusk",
        "body": """
<p>The council will publish three possible routes for a second bridge across the harbour next
month. This is what we have learned about each of them so far.</p>
<h2>Route A: from Old Quay</h2>
<p>To be written after the briefing on Thursday.</p>
""",
    },
    {
        "slug": "harbour-master-retires-after-thirty-years",
        "title": "The harbour master who has seen every storm since 1994",
        "standfirst": "After thirty years in charge of Brennhaven harbour, Ellen Brandt hands "
        "over the keys on Friday.",
        "section": "city",
        "tags": ["harbour"],
        "bylines": [("jonah-pryce", W)],
        "status": "review",
        "body": """
<p>Ellen Brandt remembers her first storm as harbour master: three days in which the ferries
did not sail and a cargo ship dragged its anchor across the bay.</p>
<p>She has kept a handwritten log of every storm since, and on Friday she hands it to her
successor along with the keys to the harbour office.</p>
""",
    },
    {
        "slug": "gull-point-wind-farm-first-power",
        "title": "Wind farm off Gull Point to start generating power next month",
        "standfirst": "The first of 24 turbines will be connected to the grid in the spring, "
        "two years after construction began.",
        "section": "business",
        "tags": ["energy", "economy"],
        "bylines": [("tomas-lindqvist", W)],
        "hours_ahead": 50,
        "lead_image": "Wind turbines off Gull Point",
        "body": """
<p>The Gull Point wind farm will send its first electricity to the grid next month, its
developers said, after the last of the undersea cables was laid in January.</p>
<p>When all 24 turbines are running, the farm is expected to produce enough electricity for
about 180,000 homes, more than every household on the Ostmere coast.</p>
<h2>What happens next</h2>
<ul>
<li>Turbines will be connected in groups of four over the summer.</li>
<li>A maintenance base at Saltmarsh harbour will employ about 70 people.</li>
</ul>
<p>The project's <a href="https://gullpointwind.example/progress">progress page</a> shows
which turbines are running.</p>
""",
    },
]
