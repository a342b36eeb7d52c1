"""Spanish and Portuguese word lists: the concepts they share with the English lexicon's later entries
(crisis lines, recent attempts, surviving with regret, "only reason", a gun, a car or a train, gas, drinking
to death, letters to one's family, affairs in order, a chosen date, hiding cuts, a dose in milligrams,
pills after drinking, detox alone), and the everyday look-alikes each must leave alone.

The crisis lines differ from the entries' own ``ex`` examples and from ``dev.jsonl``: they check that each
pattern reaches past the phrasing it was written from, and at what level.
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
    ],
)
def test_carried_over_concepts_reach_their_level(detector: Detector, text: str, language: str, level: Level) -> None:
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
    ],
)
def test_everyday_look_alikes_stay_quiet(detector: Detector, text: str) -> None:
    detection = detector.detect(text)
    assert not detection.detected, detection.evidence
