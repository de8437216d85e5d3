"""Intent recognition: a linear model over word and character n-grams.

Trained on the written and generated utterance set at first use (well under a second),
deterministically, and shared by every conversation of the process. Character n-grams make it
tolerant of typos ("cancle my ordr"); normalising order numbers, amounts and e-mail addresses
to tokens makes it learn the shape of a request rather than particular values.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from floorwalker.assistant.local.generate import generated

_PLACEHOLDER = re.compile(r"\[(EMAIL|PHONE|ADDRESS)_\d+\]")
_MONEY = re.compile(
    r"(?:[$£€]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?(?:dollars|pounds|euros|bucks|usd|gbp|eur)\b)",
    re.IGNORECASE,
)
_ORDER = re.compile(r"(?:#\s?[a-z]{0,3}-?\d{3,}|\b[a-z]{1,3}-?\d{3,}\b)", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"\b\d{4,}\b")


def normalise(text: str) -> str:
    """Lower-cased text with values replaced by the tokens the training set uses."""
    text = _PLACEHOLDER.sub(lambda m: f" {m.group(1).lower()} ", text)
    text = text.replace("[CARD_NUMBER]", " cardnumber ")
    text = _MONEY.sub(" money ", text)
    text = _ORDER.sub(" ordernum ", text)
    has_code_word = "code" in text.lower()
    text = _LONG_NUMBER.sub(
        lambda m: " code " if has_code_word and len(m.group(0)) == 6 else " ordernum ", text
    )
    return re.sub(r"\s+", " ", text.lower()).strip()


@dataclass(frozen=True, slots=True)
class IntentGuess:
    """The most likely intent, its probability, and the runner-up."""

    intent: str
    confidence: float
    second: str
    second_confidence: float


class IntentClassifier:
    """Predicts what a shopper's message asks for.

    Fitted with scikit-learn (tf-idf over word 1-2-grams and character 2-4-grams, a linear SVM);
    prediction is a hand-written sparse dot product over the fitted vocabularies, because the
    scikit-learn transform costs milliseconds per single message and a turn has a 20 ms budget.
    """

    def __init__(self) -> None:
        data = generated()
        texts: list[str] = []
        labels: list[str] = []
        for intent, lines in sorted(data.items()):
            for line in lines:
                texts.append(normalise(line))
                labels.append(intent)
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2)
        matrix = sp.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
        model = LinearSVC(C=1.0, random_state=0)
        model.fit(matrix, labels)
        self.intents: list[str] = [str(c) for c in model.classes_]
        self.training_size = len(texts)
        self._words = {str(k): int(v) for k, v in words.vocabulary_.items()}
        self._chars = {
            str(k): int(v) + len(words.vocabulary_) for k, v in chars.vocabulary_.items()
        }
        self._idf = np.concatenate([words.idf_, chars.idf_])
        self._coef = np.asarray(model.coef_, dtype=np.float64)
        self._intercept = np.asarray(model.intercept_, dtype=np.float64)

    def _features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        tokens = _TOKEN.findall(text)
        grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
        word_counts = _count(grams, self._words)
        char_grams: list[str] = []
        for word in text.split():
            padded = f" {word} "
            for n in (2, 3, 4):
                char_grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
                if len(padded) < n:
                    break
        char_counts = _count(char_grams, self._chars)
        indices: list[int] = []
        values: list[float] = []
        for counts in (word_counts, char_counts):
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))
            weights = tf * self._idf[idx]
            weights /= np.linalg.norm(weights)
            indices.extend(idx.tolist())
            values.extend(weights.tolist())
        return np.asarray(indices, dtype=np.int64), np.asarray(values, dtype=np.float64)

    def scores(self, text: str) -> np.ndarray:
        """The model's margin for every intent (in `self.intents` order)."""
        indices, values = self._features(normalise(text))
        if not len(indices):
            return self._intercept.copy()
        result: np.ndarray = self._coef[:, indices] @ values + self._intercept
        return result

    def predict(self, text: str) -> IntentGuess:
        """The best two intents for a (redacted) message, with softmax confidences."""
        margins = self.scores(text)
        exp = np.exp((margins - margins.max()) * _SHARPNESS)
        probabilities = exp / exp.sum()
        order = np.argsort(probabilities)[::-1]
        first, second = int(order[0]), int(order[1])
        return IntentGuess(
            intent=self.intents[first],
            confidence=float(probabilities[first]),
            second=self.intents[second],
            second_confidence=float(probabilities[second]),
        )


#: Turns SVM margins into confidences that read like probabilities.
_SHARPNESS = 4.0
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _count(grams: list[str], vocabulary: dict[str, int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for gram in grams:
        index = vocabulary.get(gram)
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    return counts


_lock = threading.Lock()
_shared: IntentClassifier | None = None


def shared_classifier() -> IntentClassifier:
    """The process-wide classifier, trained on first use."""
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                _shared = IntentClassifier()
    return _shared
