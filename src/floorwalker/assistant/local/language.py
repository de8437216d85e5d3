"""Which language a message is in, well enough for the English-only local model to say so.

Function words decide between English and the common European languages; letters outside the
Latin script mark anything else. Short or mixed messages count as English (product names and
order numbers are not a language).
"""

from __future__ import annotations

import re
import unicodedata

_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "is",
            "are",
            "my",
            "i",
            "you",
            "your",
            "me",
            "to",
            "of",
            "and",
            "in",
            "on",
            "for",
            "with",
            "it",
            "this",
            "that",
            "what",
            "where",
            "when",
            "how",
            "can",
            "do",
            "does",
            "please",
            "have",
            "has",
            "not",
            "no",
            "yes",
            "want",
            "need",
            "order",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "es",
            "mi",
            "mis",
            "yo",
            "tu",
            "usted",
            "de",
            "y",
            "en",
            "por",
            "para",
            "con",
            "que",
            "donde",
            "cuando",
            "como",
            "puedo",
            "quiero",
            "necesito",
            "pedido",
            "hola",
            "gracias",
            "por",
            "favor",
            "está",
            "estoy",
            "una",
            "uno",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "est",
            "mon",
            "ma",
            "mes",
            "je",
            "tu",
            "vous",
            "de",
            "et",
            "en",
            "pour",
            "avec",
            "que",
            "où",
            "quand",
            "comment",
            "puis",
            "veux",
            "besoin",
            "commande",
            "bonjour",
            "merci",
            "une",
            "un",
            "ce",
            "cette",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "ist",
            "mein",
            "meine",
            "ich",
            "du",
            "sie",
            "und",
            "in",
            "für",
            "mit",
            "was",
            "wo",
            "wann",
            "wie",
            "kann",
            "möchte",
            "brauche",
            "bestellung",
            "hallo",
            "danke",
            "bitte",
            "ein",
            "eine",
            "nicht",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "è",
            "mio",
            "mia",
            "io",
            "tu",
            "di",
            "e",
            "in",
            "per",
            "con",
            "che",
            "dove",
            "quando",
            "come",
            "posso",
            "voglio",
            "ordine",
            "ciao",
            "grazie",
            "una",
            "uno",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "é",
            "meu",
            "minha",
            "eu",
            "você",
            "de",
            "e",
            "em",
            "para",
            "com",
            "que",
            "onde",
            "quando",
            "como",
            "posso",
            "quero",
            "preciso",
            "pedido",
            "olá",
            "obrigado",
            "obrigada",
            "uma",
            "um",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "is",
            "mijn",
            "ik",
            "jij",
            "u",
            "en",
            "in",
            "voor",
            "met",
            "wat",
            "waar",
            "wanneer",
            "hoe",
            "kan",
            "wil",
            "nodig",
            "bestelling",
            "hallo",
            "dank",
            "bedankt",
            "alstublieft",
            "niet",
        ]
    ),
}
_GREETINGS = {
    "hola": "es",
    "bonjour": "fr",
    "salut": "fr",
    "hallo": "de",
    "servus": "de",
    "ciao": "it",
    "olá": "pt",
    "oi": "pt",
    "hoi": "nl",
    "goedemorgen": "nl",
    "buongiorno": "it",
    "guten tag": "de",
    "buenos días": "es",
    "buenas": "es",
}

SORRY: dict[str, str] = {
    "es": "Lo siento, por ahora solo puedo ayudar en inglés. ¿Puede escribirme en inglés, o "
    "prefiere hablar con una persona?",
    "fr": "Désolé, pour l'instant je ne peux aider qu'en anglais. Pouvez-vous m'écrire en "
    "anglais, ou préférez-vous parler à une personne ?",
    "de": "Entschuldigung, ich kann im Moment nur auf Englisch helfen. Können Sie mir auf "
    "Englisch schreiben, oder möchten Sie mit einem Menschen sprechen?",
    "it": "Mi dispiace, per ora posso aiutare solo in inglese. Può scrivermi in inglese, oppure "
    "preferisce parlare con una persona?",
    "pt": "Desculpe, por enquanto só consigo ajudar em inglês. Pode escrever-me em inglês, ou "
    "prefere falar com uma pessoa?",
    "nl": "Sorry, ik kan voorlopig alleen in het Engels helpen. Kunt u mij in het Engels "
    "schrijven, of wilt u liever met een medewerker praten?",
}


def _non_latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    foreign = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    return foreign / len(letters)


def detect(text: str) -> str:
    """`en`, one of es/fr/de/it/pt/nl, or `other` (a non-Latin script)."""
    if _non_latin_share(text) > 0.5:
        return "other"
    lowered = text.lower().strip(" !?.,")
    if lowered in _GREETINGS:
        return _GREETINGS[lowered]
    words = re.findall(r"[^\W\d_]+", lowered)
    if len(words) < 3:
        return "en"
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _WORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    if best != "en" and scores[best] >= 2 and scores[best] > scores["en"] * 1.5:
        return best
    return "en"
