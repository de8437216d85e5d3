"""Optional semantic retrieval: embeddings from an OpenAI-compatible `/embeddings` endpoint.

Off unless `FLOORWALKER_SEARCH_EMBEDDINGS_URL` is set; nothing is downloaded. Vectors are
normalised to unit length (cosine similarity is then a dot product) and cached by the text
they were made from, so a price or stock change never costs an embeddings call.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import httpx
import numpy as np
import numpy.typing as npt

from floorwalker.config import Settings
from floorwalker.logging import get_logger
from floorwalker.search.documents import ProductDoc

log = get_logger(__name__)

#: Texts per embeddings request.
BATCH_SIZE = 96
#: Characters of a product's description that go into its embedding.
DESCRIPTION_CHARS = 1000
#: Cached vectors kept per worker before the oldest half is dropped.
MAX_CACHED = 500_000


class EmbeddingsUnavailable(Exception):
    """The embeddings service could not be reached or answered nonsense."""


def document_text(doc: ProductDoc) -> str:
    """What a product's embedding is made from: its name, kind, options and description."""
    options = sorted({v for variant in doc.variants for v in variant.options.values()})
    parts = [
        doc.title,
        doc.brand or "",
        doc.category_path or "",
        doc.product_type or "",
        ", ".join(options),
        ", ".join(doc.attributes.values()),
        doc.description[:DESCRIPTION_CHARS],
    ]
    return ". ".join(p for p in parts if p)


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Embedder:
    """A client of an OpenAI-compatible embeddings API, with a vector cache."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        dimensions: int | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        loopback_only: bool = False,
    ) -> None:
        self.url = base_url.rstrip("/") + "/embeddings"
        self.model = model
        self.dimensions = dimensions
        self.retries = retries
        self.loopback_only = loopback_only
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(timeout=timeout, headers=headers)
        self._cache: dict[str, npt.NDArray[np.float32]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder | None:
        """The configured embedder, or None when semantic search is off."""
        if not settings.search_embeddings_url:
            return None
        key = settings.search_embeddings_api_key
        return cls(
            base_url=settings.search_embeddings_url,
            model=settings.search_embeddings_model,
            api_key=key.get_secret_value() if key else None,
            dimensions=settings.search_embeddings_dimensions,
            timeout=settings.search_embeddings_timeout_seconds,
            retries=settings.model_max_retries,
            loopback_only=not settings.allow_model_requests,
        )

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def cached(self, doc: ProductDoc) -> npt.NDArray[np.float32] | None:
        """A document's vector if it was embedded before (what the index build looks up)."""
        return self._cache.get(self._key(document_text(doc)))

    async def embed_documents(self, docs: Sequence[ProductDoc]) -> int:
        """Embed the documents not cached yet; returns how many were embedded."""
        missing: dict[str, str] = {}
        for doc in docs:
            text = document_text(doc)
            key = self._key(text)
            if key not in self._cache:
                missing[key] = text
        keys = list(missing)
        for start in range(0, len(keys), BATCH_SIZE):
            chunk = keys[start : start + BATCH_SIZE]
            vectors = await self.embed([missing[k] for k in chunk])
            self._remember(zip(chunk, vectors, strict=True))
        return len(keys)

    async def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        """The unit vector of a query."""
        vectors = await self.embed([text])
        return np.asarray(vectors[0], dtype=np.float32)

    def _remember(self, items: Iterable[tuple[str, npt.NDArray[np.float32]]]) -> None:
        if len(self._cache) > MAX_CACHED:
            for key in list(self._cache)[: MAX_CACHED // 2]:
                del self._cache[key]
        for key, vector in items:
            self._cache[key] = vector

    async def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Unit vectors of texts, one row each; raises EmbeddingsUnavailable."""
        if self.loopback_only and not _is_loopback(self.url):
            raise EmbeddingsUnavailable("embeddings requests are disabled outside loopback")
        body: dict[str, object] = {"model": self.model, "input": texts}
        if self.dimensions:
            body["dimensions"] = self.dimensions
        payload = await self._post(body)
        try:
            rows = sorted(payload["data"], key=lambda item: int(str(item["index"])))
            matrix = np.asarray([row["embedding"] for row in rows], dtype=np.float32)
        except (KeyError, TypeError, ValueError) as exc:
            raise EmbeddingsUnavailable(f"unexpected embeddings response: {exc}") from exc
        if matrix.ndim != 2 or matrix.shape[0] != len(texts):
            raise EmbeddingsUnavailable("the embeddings response does not match the input")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    async def _post(self, body: dict[str, object]) -> dict[str, list[dict[str, object]]]:
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                response = await self._client.post(self.url, json=body)
            except httpx.HTTPError as exc:
                failure = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    try:
                        data = response.json()
                    except ValueError as exc:
                        raise EmbeddingsUnavailable("the embeddings response is not JSON") from exc
                    if not isinstance(data, dict):
                        raise EmbeddingsUnavailable("the embeddings response is not an object")
                    return data
                failure = f"HTTP {response.status_code}"
                if response.status_code not in (408, 409, 429) and response.status_code < 500:
                    raise EmbeddingsUnavailable(failure)
            if attempt < self.retries:
                log.warning("embeddings request failed; retrying", failure=failure)
                await asyncio.sleep(delay)
                delay *= 2
        raise EmbeddingsUnavailable(failure)
