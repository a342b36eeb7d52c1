"""French and German word lists: the crisis concepts they share with the English lexicon's later entries (not safe, a call
to a crisis line, a recent attempt, regret at surviving, the only reason to stay, a gun, a method asked
about, the means at hand, drinking to death, traffic, goodbye letters, affairs in order, a date picked,
hidden wounds and blades, a dose already taken, pills on top of drinking, detox alone, hating being alive),
and the everyday look-alikes each of them must leave alone.

None of these sentences is an ``ex`` example of the lists or a line of ``tests/data/crisis/{fr,de}/dev.jsonl``.
"""

from __future__ import annotations

import pytest

from bot.crisis import Detector, Level, load_default_detector


@pytest.fixture(scope="module")
def detector() -> Detector:
    return load_default_detector()


@pytest.mark.parametrize(
    ("text", "language", "level"),
    [
        # French
        ("jsuis pas en sécurité cette nuit, vraiment pas", "fr", Level.HIGH),
        ("j'ai peur de ce que je pourrais me faire ce soir", "fr", Level.HIGH),
        ("jai fini par appeler le 3114 hier soir", "fr", Level.CONCERN),
        ("j'ai refait une TS ce week end", "fr", Level.HIGH),
        ("je regrette de m'avoir survécu, j'y arrive pas", "fr", Level.HIGH),
        ("ma meilleure amie c'est la seule personne qui me garde en vie", "fr", Level.CONCERN),
        ("je me mettrais bien une balle, j'en peux plus", "fr", Level.HIGH),
        ("combien de lexomil il faut pour ne plus se réveiller", "fr", Level.HIGH),
        ("est ce que se noyer ça fait souffrir", "fr", Level.HIGH),
        ("j'espère que je vais attraper la crève et y rester", "fr", Level.HIGH),
        ("jvais me pendre dans le garage", "fr", Level.HIGH),
        ("je veux boire jusqu'à la mort", "fr", Level.HIGH),
        ("j'aimerais qu'un camion me fauche sur la route", "fr", Level.HIGH),
        ("ce serait plus facile pour mes parents si j'étais morte", "fr", Level.HIGH),
        ("je suis qu'une charge pour mes parents", "fr", Level.CONCERN),
        ("je laisse des mots à mes soeurs pour quand je serai plus là", "fr", Level.HIGH),
        ("je suis en train de mettre mes affaires en ordre", "fr", Level.CONCERN),
        ("j'ai arrêté une date pour le faire", "fr", Level.CONCERN),
        ("j'ai ressorti mes lames hier soir", "fr", Level.CONCERN),
        ("je viens d'avaler 5000 mg de paracétamol", "fr", Level.CONCERN),
        ("j'ai pris environ 40 cachets", "fr", Level.HIGH),
        ("j'ai picolé toute la nuit et j'ai gobé des xanax", "fr", Level.HIGH),
        ("j'arrête de boire sans médecin et je suis toute seule", "fr", Level.CONCERN),
        ("je hais exister", "fr", Level.CONCERN),
        # German
        ("ich fühle mich heute nicht sicher bei mir selbst", "de", Level.HIGH),
        ("ich ruf jetzt bei der telefonseelsorge an", "de", Level.CONCERN),
        ("mein selbstmordversuch war erst letzten monat", "de", Level.HIGH),
        ("ich wünschte keiner hätte mich gerettet", "de", Level.HIGH),
        ("nur noch wegen meinem kater bin ich noch hier", "de", Level.CONCERN),
        ("ich will mir das hirn wegpusten", "de", Level.HIGH),
        ("ist verbluten schmerzhaft", "de", Level.HIGH),
        ("hab ne knarre griffbereit", "de", Level.CONCERN),
        ("ich hoffe ich bekomme irgendwas schlimmes und verrecke", "de", Level.HIGH),
        ("ich hab mich fast aufgehängt letzte woche, hab mich fast erhängt", "de", Level.HIGH),
        ("ich saufe weiter bis ich draufgehe", "de", Level.HIGH),
        ("am liebsten würde ich mich unter einen lkw legen, vor einen lkw legen", "de", Level.HIGH),
        ("mit vollgas gegen die leitplanke knallen, daran denk ich", "de", Level.HIGH),
        ("tut mir leid dass es mich gibt", "de", Level.CONCERN),
        ("ich lass zettel für meine eltern da, falls ich nicht mehr da bin", "de", Level.HIGH),
        ("ich hab mir den tag ausgesucht", "de", Level.CONCERN),
        ("ich trag nur noch hoodies damit niemand meine arme sieht", "de", Level.CONCERN),
        ("hab eben 2500mg paracetamol geschluckt", "de", Level.CONCERN),
        ("hab mindestens 15 tilidin genommen", "de", Level.HIGH),
        ("total besoffen und danach noch schlaftabletten geschluckt", "de", Level.HIGH),
        ("ich mach den benzoentzug ohne klinik", "de", Level.CONCERN),
        ("ich hasse meine existenz", "de", Level.CONCERN),
    ],
)
def test_carried_over_concepts_reach_their_level(detector: Detector, text: str, language: str, level: Level) -> None:
    detection = detector.detect(text)
    assert detection.language == language, detection.evidence
    assert detection.level >= level, detection.evidence


@pytest.mark.parametrize(
    "text",
    [
        # French: hyperbole, idioms, someone else, ordinary medicine, the news, tidying up
        "je me sens pas en sécurité dans ce quartier le soir",
        "ma soeur a appelé sos amitié pour une amie",
        "j'ai appelé le 3114 pour un ami, ils ont été top",
        "ma tentative de record au marathon samedi a échoué",
        "j'ai survécu à la rentrée et je regrette rien",
        "la seule raison pour laquelle je suis encore là au bureau c'est la réunion",
        "je me suis tiré une balle dans le pied avec ce message",
        "le tatouage ça fait mal ou pas",
        "combien de doliprane je peux prendre par jour",
        "boire jusqu'à plus soif, c'est les vacances",
        "j'ai failli me planter contre un mur en roller",
        "j'espère que le bus va pas me passer sous le nez",
        "je suis un poids lourd au ping pong",
        "j'ai écrit mon mot d'adieu à l'équipe, je change de boîte",
        "j'ai choisi la date de la soirée",
        "j'ai acheté des lames de scie pour l'atelier",
        "j'ai pris 1000 mg de doliprane pour ma migraine",
        "j'ai bu un café et j'ai pris mes cachets du matin",
        "je fais mon sevrage de réseaux sociaux toute seule",
        "je déteste vivre loin de ma famille",
        "je vais me pendre au cou de mon frère quand il arrive",
        "dans le film le héros met un flingue sur la tempe du méchant",
        # German: hyperbole, idioms, someone else, ordinary medicine, the past, games
        "ich bin nicht sicher, ob ich morgen zur arbeit gehe",
        "meine schwester hat den krisendienst angerufen",
        "vor acht jahren hatte ich einen suizidversuch, heute geht es mir gut",
        "der einzige grund warum ich noch hier bin ist das buffet, hier auf der party",
        "ich lach mich noch zu tode über dich",
        "ich hab mich gestern zu tode gelangweilt",
        "mein hund ist fast vor ein auto gelaufen",
        "ich hoffe der zug kommt heute pünktlich",
        "tut tätowieren am knöchel weh",
        "was ist der schnellste weg zum bahnhof",
        "im spiel hab ich ihm eine kugel in den kopf verpasst",
        "ich hab ein seil im keller für den umzug",
        "ich hab 400 mg ibu gegen kopfschmerzen genommen",
        "ich hab tee getrunken und meine tabletten genommen",
        "ich hab den entzug damals alleine gemacht, jetzt drei jahre trocken",
        "ich hasse es früh aufzuwachen",
        "ich muss noch die wäsche aufhängen",
        "ich verschenk meine alten bücher, brauch ich eh nicht mehr",
        "ich hab meinen hund meiner mutter gegeben für den urlaub",
        "ich hab das datum für die hochzeit festgelegt",
    ],
)
def test_everyday_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    detection = detector.detect(text)
    assert not detection.detected, detection.evidence
