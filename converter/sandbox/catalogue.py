"""The practice company's article register and customer price lists.

An electrical and plumbing installer's register: a few hundred articles with
Swedish names and units, enough for a realistic template and for the fill's
look-ups. Everything is built from the tables below, in a fixed order, so
every sandbox starts with the same numbers, names and prices.

Price lists (api-notes, ``Products/Price``): a customer may have a default
discount (``DiscountPercent``, applied to articles without a special price)
and special prices (``SpecialPrices``: article number → ``[[from quantity,
price], ...]``, the price of the largest quantity not above the row's). An
article whose list price is 0 and that has no special price has no price:
``Products/Price`` answers it with an ``errorMessage``.
"""

from __future__ import annotations

from typing import Any

# (number, name, unit, list price) of the labour, travel and service articles
_SERVICE: tuple[tuple[str, str, str, float], ...] = (
    ("A01", "Arbetskostnad dag", "tim", 595.0),
    ("A02", "Arbetskostnad kväll", "tim", 745.0),
    ("A03", "Arbetskostnad helg", "tim", 895.0),
    ("A04", "Arbetskostnad lärling", "tim", 420.0),
    ("A05", "Projektledning", "tim", 850.0),
    ("A06", "Servicebil per utryckning", "st", 495.0),
    ("A07", "Milersättning", "mil", 65.0),
    ("A08", "Restid", "tim", 450.0),
    ("A09", "Arbetskostnad natt", "tim", 1095.0),
    ("A10", "Jourtillägg", "st", 1500.0),
    ("A15", "Serviceavtal enligt överenskommelse", "mån", 0.0),  # no price: ask
    ("A16", "Besiktning och egenkontroll", "st", 1850.0),
    ("A17", "Dokumentation och relationsritning", "tim", 780.0),
    ("A18", "Container och avfallshantering", "st", 2400.0),
    ("A19", "Ställningshyra", "dag", 350.0),
    ("A20", "Lyftbord hyra", "dag", 890.0),
)

# (prefix, first number, unit, [(name, list price), ...]): one numbered series each
_SERIES: tuple[tuple[str, int, str, tuple[tuple[str, float], ...]], ...] = (
    (
        "E",
        2001,
        "st",
        (
            ("Jordfelsbrytare 2-pol 30 mA", 645.0),
            ("Jordfelsbrytare 4-pol 30 mA", 1290.0),
            ("Dvärgbrytare 1-pol 10 A", 89.0),
            ("Dvärgbrytare 1-pol 16 A", 92.0),
            ("Dvärgbrytare 3-pol 16 A", 289.0),
            ("Personskyddsautomat 10 A", 489.0),
            ("Personskyddsautomat 16 A", 499.0),
            ("Överspänningsskydd typ 2", 1890.0),
            ("Elcentral 24 moduler", 1490.0),
            ("Elcentral 36 moduler", 1950.0),
            ("Elcentral 54 moduler", 2690.0),
            ("Mätartavla komplett", 3450.0),
            ("Huvudbrytare 63 A", 695.0),
            ("Säkringslock D02", 24.0),
            ("Säkring D02 25 A", 19.0),
            ("Kontaktor 25 A 4-pol", 545.0),
            ("Trappautomat", 395.0),
            ("Tidur för DIN-skena", 429.0),
            ("Skymningsrelä", 465.0),
            ("Energimätare 3-fas", 1650.0),
        ),
    ),
    (
        "E",
        2101,
        "st",
        (
            ("Vägguttag 1-vägs infällt vit", 59.0),
            ("Vägguttag 2-vägs infällt vit", 89.0),
            ("Vägguttag 2-vägs utanpåliggande", 129.0),
            ("Vägguttag IP44 2-vägs grå", 189.0),
            ("Strömbrytare 1-pol infälld", 79.0),
            ("Trappströmbrytare infälld", 99.0),
            ("Korsströmbrytare infälld", 119.0),
            ("Dimmer LED 5-200 W", 495.0),
            ("Rörelsevakt inomhus", 389.0),
            ("Rörelsevakt utomhus IP55", 459.0),
            ("Apparatdosa infälld 1-fack", 12.0),
            ("Apparatdosa infälld 2-fack", 19.0),
            ("Kopplingsdosa IP54", 35.0),
            ("Takdosa med lock", 22.0),
            ("Ram 1-fack vit", 18.0),
            ("Ram 2-fack vit", 29.0),
            ("USB-uttag dubbelt infällt", 349.0),
            ("Utanpåliggande dosa 1-fack", 39.0),
            ("Spisuttag 3-fas", 289.0),
            ("Laddbox för elbil 11 kW", 8950.0),
        ),
    ),
    (
        "E",
        2201,
        "st",
        (
            ("LED-panel 60x60 36 W", 695.0),
            ("LED-downlight 8 W infälld", 189.0),
            ("LED-downlight 12 W infälld", 229.0),
            ("LED-armatur 120 cm IP65", 549.0),
            ("LED-armatur 150 cm IP65", 649.0),
            ("Nödbelysning skylt utrymning", 1190.0),
            ("Nödljusarmatur 3 h", 895.0),
            ("Plafond LED 15 W", 359.0),
            ("Fasadarmatur LED 20 W", 695.0),
            ("Strålkastare LED 50 W", 545.0),
            ("Pollare LED 80 cm", 1890.0),
            ("Lysrörsarmatur 2x58 W", 489.0),
            ("LED-lysrör 150 cm", 129.0),
            ("LED-lampa E27 9 W", 49.0),
            ("LED-lampa GU10 5 W", 39.0),
            ("Ljusslinga LED 5 m", 495.0),
            ("Driftdon LED 30 W", 245.0),
            ("Skenspotlight 3-fas", 795.0),
            ("Strömskena 3-fas 2 m", 690.0),
            ("Badrumsarmatur IP44", 595.0),
        ),
    ),
    (
        "E",
        2301,
        "m",
        (
            ("Installationsrör 16 mm grå", 9.5),
            ("Installationsrör 20 mm grå", 12.0),
            ("Installationsrör 25 mm grå", 16.5),
            ("Flexrör 16 mm", 7.5),
            ("Flexrör 20 mm", 9.0),
            ("Skyddsslang 32 mm markförläggning", 18.0),
            ("Kanalisation 12x20 vit", 22.0),
            ("Kanalisation 20x40 vit", 39.0),
            ("Golvkanal 50 mm", 89.0),
            ("Ledning FK 1,5 mm² blå", 4.2),
            ("Ledning FK 1,5 mm² brun", 4.2),
            ("Ledning FK 1,5 mm² gul/grön", 4.2),
            ("Ledning FK 2,5 mm² svart", 6.4),
            ("Ledning FK 6 mm² gul/grön", 14.5),
            ("Installationsledning EQLQ 3G1,5", 11.9),
            ("Installationsledning EQLQ 5G2,5", 24.5),
            ("Markledning N1XV 5G10", 119.0),
            ("Datanätsledning Cat6 U/UTP", 8.9),
            ("Högtalarledning 2x1,5", 12.5),
            ("Larmledning 4x0,22", 5.5),
        ),
    ),
    (
        "E",
        2401,
        "förp",
        (
            ("Kopplingsklämma Wago 3-pol 50 st", 129.0),
            ("Kopplingsklämma Wago 5-pol 50 st", 179.0),
            ("Buntband 200 mm 100 st", 59.0),
            ("Buntband 300 mm 100 st", 79.0),
            ("Spikklammer 7-10 mm 100 st", 45.0),
            ("Skruv med bricka 4x40 200 st", 119.0),
            ("Plugg 6 mm 100 st", 39.0),
            ("Isoleringstejp svart 10 st", 89.0),
            ("Skarvhylsa 1,5 mm² 100 st", 69.0),
            ("Ändhylsa 6 mm² 50 st", 149.0),
            ("Genomföring gummi 20 st", 49.0),
            ("Brandtätningsmassa 310 ml", 189.0),
            ("Märkskylt central 10 st", 99.0),
            ("Fästbygel rör 16 mm 50 st", 75.0),
            ("Fästbygel rör 20 mm 50 st", 85.0),
        ),
    ),
    (
        "V",
        3001,
        "st",
        (
            ("Blandare kök med diskmaskinsavstängning", 2450.0),
            ("Blandare tvättställ", 1650.0),
            ("Duschblandare termostat", 2890.0),
            ("Duschset med takdusch", 3950.0),
            ("Tvättställ 60 cm porslin", 1290.0),
            ("Wc-stol golvmonterad", 2790.0),
            ("Vägghängd wc med fixtur", 5450.0),
            ("Golvbrunn 200 mm", 1190.0),
            ("Klämring golvbrunn", 245.0),
            ("Vattenlås tvättställ", 189.0),
            ("Avstängningsventil 15 mm", 129.0),
            ("Kulventil 22 mm", 189.0),
            ("Backventil 22 mm", 229.0),
            ("Säkerhetsventil varmvattenberedare", 395.0),
            ("Varmvattenberedare 100 l", 6950.0),
            ("Varmvattenberedare 200 l", 9450.0),
            ("Cirkulationspump 25-60", 2190.0),
            ("Expansionskärl 18 l", 690.0),
            ("Radiator 600x1000", 2350.0),
            ("Termostatventil radiator", 345.0),
        ),
    ),
    (
        "V",
        3101,
        "m",
        (
            ("PEX-rör 16 mm", 14.0),
            ("PEX-rör 20 mm", 19.0),
            ("Rör-i-rör 16 mm", 24.0),
            ("Rör-i-rör 20 mm", 29.0),
            ("Kopparrör 15 mm", 89.0),
            ("Kopparrör 22 mm", 129.0),
            ("Avloppsrör PP 50 mm", 39.0),
            ("Avloppsrör PP 110 mm", 79.0),
            ("Rörisolering 15 mm", 29.0),
            ("Rörisolering 22 mm", 35.0),
        ),
    ),
    (
        "V",
        3201,
        "st",
        (
            ("Kopplingsrör 15 mm", 49.0),
            ("Klämringskoppling 15 mm", 59.0),
            ("Klämringskoppling 22 mm", 79.0),
            ("Vinkel PEX 16 mm", 69.0),
            ("T-rör PEX 16 mm", 89.0),
            ("Fördelarskåp 4 utgångar", 1890.0),
            ("Fördelarskåp 8 utgångar", 2690.0),
            ("Väggbox PEX", 245.0),
            ("Muff PP 110 mm", 45.0),
            ("Böj PP 110 mm 45°", 55.0),
        ),
    ),
    (
        "B",
        4001,
        "st",
        (
            ("Gipsskiva 13 mm 1200x2400", 129.0),
            ("Våtrumsskiva 1200x2400", 389.0),
            ("Regel 45x70 3,0 m", 69.0),
            ("Regel 45x95 3,0 m", 89.0),
            ("Plywood 12 mm 1220x2440", 459.0),
            ("OSB-skiva 12 mm", 289.0),
            ("Stålregel 70 mm 3,0 m", 79.0),
            ("Syll 70 mm 3,0 m", 69.0),
            ("Dörrkarm innerdörr", 1490.0),
            ("Innerdörr slät vit 9x21", 2190.0),
        ),
    ),
    (
        "B",
        4101,
        "förp",
        (
            ("Gipsskruv 3,9x25 1000 st", 169.0),
            ("Träskruv 4,2x55 500 st", 195.0),
            ("Fogmassa våtrum 300 ml", 129.0),
            ("Tätskiktsmassa 5 l", 895.0),
            ("Flexibelt kakelfix 20 kg", 389.0),
            ("Fogbruk grå 5 kg", 249.0),
            ("Spackel finish 10 l", 289.0),
            ("Grundfärg vägg 10 l", 795.0),
            ("Takfärg helmatt 10 l", 845.0),
            ("Väggfärg matt vit 10 l", 995.0),
        ),
    ),
    (
        "B",
        4201,
        "m²",
        (
            ("Kakel vitt 20x25", 395.0),
            ("Klinker grå 30x60", 545.0),
            ("Mosaik glas 30x30", 1290.0),
            ("Laminatgolv ek", 289.0),
            ("Parkettgolv ek 3-stav", 549.0),
            ("Vinylgolv våtrum", 445.0),
            ("Stegljudsmatta 2 mm", 39.0),
            ("Isolering mineralull 95 mm", 69.0),
            ("Isolering mineralull 45 mm", 45.0),
            ("Ångspärr PE-folie", 18.0),
        ),
    ),
    (
        "T",
        5001,
        "st",
        (
            ("Brandvarnare optisk", 189.0),
            ("Brandvarnare seriekopplad 230 V", 595.0),
            ("Kolmonoxidvarnare", 495.0),
            ("Porttelefon ljud 1 lägenhet", 2890.0),
            ("Porttelefon video", 5950.0),
            ("Kodlås utomhus", 3450.0),
            ("Dörrautomatik enkeldörr", 24500.0),
            ("Nätverksswitch 8 portar", 995.0),
            ("Datauttag Cat6 2-vägs", 189.0),
            ("Patchpanel 24 portar", 1450.0),
            ("Trådlös accesspunkt", 1890.0),
            ("Nätverksskåp 12U", 3290.0),
            ("Kamera IP utomhus", 2450.0),
            ("Inspelare för kameror 8 kanaler", 4950.0),
            ("Larmcentral med knappsats", 6450.0),
        ),
    ),
)

# (variant suffix, price factor): each series article also comes in these versions,
# as a register grows when a supplier's range is taken in
_VARIANTS: tuple[tuple[str, float], ...] = (("", 1.0), (" svart", 1.08), (" premium", 1.35))


def catalogue() -> list[tuple[str, str, str, float]]:
    """The register beyond the original seed articles: (number, name, unit, list price).

    Labour and service articles first, then every series article in its
    three versions (-1, -2, -3 after the number; the plain one has none).
    """
    articles = list(_SERVICE)
    for prefix, first, unit, items in _SERIES:
        for offset, (name, price) in enumerate(items):
            number = f"{prefix}{first + offset}"
            for variant, (suffix, factor) in enumerate(_VARIANTS):
                code = number if variant == 0 else f"{number}-{variant + 1}"
                articles.append((code, name + suffix, unit, round(price * factor, 2)))
    return articles


# (number, name, org number, default discount, special prices): customers beyond the seed
PRICE_LIST_CUSTOMERS: tuple[tuple[str, str, str, float, dict[str, Any]], ...] = (
    # a builder with a 10 % discount on everything
    ("5010", "Norrbygg Entreprenad AB", "556001-5010", 10.0, {}),
    # a property owner with a framework agreement: net prices, some by quantity
    (
        "5020",
        "Fastighets AB Linden",
        "556001-5020",
        0.0,
        {
            "A01": [[1, 545.0]],
            "A09": [[1, 995.0]],
            "E2101": [[1, 52.0], [10, 47.5], [50, 44.0]],
            "E2201": [[1, 640.0], [20, 599.0]],
            "E2301": [[1, 8.5], [100, 7.2]],
            "A15": [[1, 1250.0]],
        },
    ),
    # both: a 5 % discount, and a net price on labour
    ("5030", "Brf Solgläntan", "716001-5030", 5.0, {"A01": [[1, 560.0]]}),
)
