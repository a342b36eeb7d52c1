"""Spanish, Portuguese, French and German word lists: the crisis concepts they share with the English
lexicon's later entries (not safe, a call to a crisis line, a recent attempt, regret at surviving, the only
reason to stay, a gun, a method asked about, the means at hand, gas, drinking to death, traffic, goodbye
letters, affairs in order, a date picked, hidden wounds and blades, a dose already taken, pills on top of
drinking, detox alone, hating being alive), and the everyday look-alikes each of them must leave alone.

None of these sentences is an ``ex`` example of the lists or a line of ``tests/data/crisis/<lang>/dev.jsonl``:
they check that each pattern reaches past the phrasing it was written from, and at what level.
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
        ("ayer llamé al teléfono de la esperanza, no podía más", "es", Level.CONCERN),
        ("mi intento de suicidio fue anoche y nadie lo sabe", "es", Level.HIGH),
        ("desperté en urgencias y ojalá no", "es", Level.HIGH),
        ("me quiero volar los sesos", "es", Level.HIGH),
        ("ojalá me pille un cáncer y me muera", "es", Level.HIGH),
        ("casi me ahorco el finde", "es", Level.HIGH),
        ("voy a mezclar cloro con amoníaco y encerrarme", "es", Level.HIGH),
        ("me mato a copas cada noche, ya me da igual", "es", Level.HIGH),
        ("a veces quiero que un tren me arrolle", "es", Level.HIGH),
        ("dejé notas para toda mi familia", "es", Level.HIGH),
        ("ya elegí fecha para hacerlo", "es", Level.CONCERN),
        ("no sé cómo tapar los cortes para ir a la playa", "es", Level.CONCERN),
        ("me tomé unas 30 pastillas de ibuprofeno", "es", Level.IMMINENT),
        ("llevo bebiendo vino desde las 6 y me tomé un montón de clonazepam", "es", Level.IMMINENT),
        ("dejando las benzos de golpe y sin médico", "es", Level.CONCERN),
        ("la única persona que me mantiene viva es mi abuela", "es", Level.CONCERN),
        ("ontem tive que ligar pro cvv de novo", "pt", Level.CONCERN),
        ("tentei suicídio semana passada e ninguém sabe", "pt", Level.HIGH),
        ("acordei no hospital e preferia ter morrido", "pt", Level.HIGH),
        ("vou estourar meus miolos", "pt", Level.HIGH),
        ("espero que eu pegue uma doença e morra logo", "pt", Level.HIGH),
        ("quero me enforcar hoje", "pt", Level.HIGH),
        ("vou me trancar na garagem com o motor ligado", "pt", Level.HIGH),
        ("tô me matando na cachaça", "pt", Level.HIGH),
        ("tomara que um trem me atropele", "pt", Level.HIGH),
        ("escrevi uma carta pra cada um dos meus filhos", "pt", Level.HIGH),
        ("como disfarçar as cicatrizes dos cortes no braço", "pt", Level.CONCERN),
        ("tomei umas 25 pílulas de dipirona", "pt", Level.IMMINENT),
        ("tava bebendo cerveja a tarde toda e tomei uns 4 rivotril", "pt", Level.HIGH),
        ("passando pela abstinência sozinho em casa", "pt", Level.CONCERN),
        ("o único motivo que me mantém vivo é minha filha", "pt", Level.CONCERN),
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
def test_crisis_sentences_reach_their_level(detector: Detector, text: str, language: str, level: Level) -> None:
    detection = detector.detect(text)
    assert detection.detected, text
    assert detection.language == language, detection.evidence
    assert detection.level >= level, detection.evidence


@pytest.mark.parametrize(
    "text",
    [
        "mi prima llamó a la línea de crisis y la ayudaron mucho",
        "me pegué un tiro en el pie aceptando ese curro",
        "en el juego me volaron la cabeza de un disparo",
        "el café es lo único que me mantiene vivo estos días",
        "cuánto tarda en morir una planta si no la riegas",
        "hoy nos vamos a beber hasta morir, cumple de pedro",
        "ya elegí la fecha de mi cumple",
        "me tomé 600mg de ibuprofeno para la muela",
        "escribí una carta a mi novia por san valentín",
        "nunca mezcles cloro con amoníaco al limpiar",
        "estoy poniendo mis asuntos en orden antes del viaje",
        "mi intento de aprobar fue ayer y suspendí",
        "casi me atropella un coche al salir del curro",
        "meu primo ligou pro cvv e foi muito bem atendido",
        "dei um tiro no pé aceitando esse emprego",
        "levei um tiro na cabeça no jogo e perdi a partida",
        "o café é a única coisa que me mantém vivo",
        "quanto tempo demora pra morrer uma orquídea sem água",
        "bora beber até morrer no aniversário do joão",
        "já escolhi a data do meu aniversário",
        "tomei 500mg de dipirona pra dor de cabeça",
        "escrevi uma carta pra minha namorada no dia dos namorados",
        "nunca misture cloro com amoníaco na limpeza",
        "to colocando meus assuntos em ordem antes da viagem",
        "minha tentativa de bolo foi ontem e deu errado kkk",
        "quase fui atropelada por uma moto hoje",
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
