"""The semantic step: themes for papers the rules left out, from the corpus's own rule tags.

For each theme, the papers its rules tagged in the corpus being tagged are the
examples. A paper the step considers (by default one the rules gave no theme at
all) is tagged when it is close to both

- the theme's *prototype*: the mean embedding of the rule-tagged papers plus
  ``description_weight`` times the embedding of the theme's label,
  description and ``examples`` (from the taxonomy), normalized; and
- its *nearest rule-tagged papers*: the mean cosine to the ``neighbours``
  closest of them.

Both similarities are rounded to 3 decimals before they are compared with the
thresholds, so the decision sits on a fixed grid: embeddings differ by up to
~2e-7 between CPUs, which moves a cosine by less than 1e-6, and a decision can
only change where an unrounded similarity lies within that distance of a grid
midpoint next to a threshold (``threshold - 0.0005``). ``tests/test_semantic.py``
checks that Gaussian noise of 1e-6 on the embeddings of the seed and of the HF
day files changes no tag. Thresholds live in the taxonomy's ``[semantic]`` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import TaxonomyError

DECIMALS = 3  # similarities are rounded to this grid before any comparison


@dataclass(frozen=True)
class SemanticSettings:
    """The ``[semantic]`` table of a taxonomy (see ``docs/themes.md``).

    Parameters
    ----------
    threshold
        Least rounded cosine to the theme's prototype.
    neighbour_threshold
        Least rounded mean cosine to the ``neighbours`` nearest rule-tagged papers.
    neighbours
        How many nearest rule-tagged papers support a tag (and are named in its evidence).
    min_support
        Rule-tagged papers a theme needs in the corpus before the step tags it.
    description_weight
        Weight of the description's embedding in the prototype (the rule-tagged
        papers' mean has weight 1).
    only_untagged
        Consider only papers the rules gave no theme (``True``), or every paper.
    themes
        Per-theme overrides: theme id → ``{"threshold": …, "neighbour_threshold": …}``,
        or ``{"off": True}`` to keep the step off that theme.
    """

    threshold: float = 0.60
    neighbour_threshold: float = 0.50
    neighbours: int = 5
    min_support: int = 5
    description_weight: float = 0.3
    only_untagged: bool = True
    themes: dict[str, dict[str, float]] = field(default_factory=dict, hash=False)

    def for_theme(self, theme_id: str) -> tuple[float, float]:
        """``(threshold, neighbour_threshold)`` for one theme, overrides applied (``inf`` when it is off)."""
        own = self.themes.get(theme_id, {})
        if own.get("off"):
            return (float("inf"), float("inf"))
        return (own.get("threshold", self.threshold), own.get("neighbour_threshold", self.neighbour_threshold))


_FLOATS = ("threshold", "neighbour_threshold", "description_weight")
_COSINES = ("threshold", "neighbour_threshold")  # compared with cosines: between 0 and 1
_INTS = ("neighbours", "min_support")


def read_settings(origin: str, table: object, base: SemanticSettings | None = None) -> SemanticSettings:
    """Settings from a TOML ``[semantic]`` table, on top of ``base`` (a later file refines an earlier one)."""
    base = base or SemanticSettings()
    if not isinstance(table, dict):
        raise TaxonomyError(origin, f"[semantic] must be a table, found {table!r}")
    values: dict[str, object] = {}
    for key, value in table.items():
        if key in _FLOATS:
            values[key] = _number(origin, f"semantic.{key}", value, cosine=key in _COSINES, key=f"semantic.{key}")
        elif key in _INTS:
            if type(value) is not int or value < 1:
                raise TaxonomyError(origin, f"[semantic] {key} must be a positive whole number, found {value!r}",
                                    key=f"semantic.{key}")
            values[key] = value
        elif key == "only_untagged":
            if not isinstance(value, bool):
                raise TaxonomyError(origin, f"[semantic] only_untagged must be true or false, found {value!r}",
                                    key="semantic.only_untagged")
            values[key] = value
        elif key == "themes":
            if not isinstance(value, dict):
                raise TaxonomyError(origin, f"[semantic.themes] must be a table, found {value!r}",
                                    key="semantic.themes")
            themes = {k: dict(v) for k, v in base.themes.items()}
            for theme_id, spec in value.items():
                if not isinstance(spec, dict) or not spec or set(spec) - {"threshold", "neighbour_threshold", "off"}:
                    raise TaxonomyError(origin, "must be a table with threshold and/or neighbour_threshold, or "
                                                f"off = true, found {spec!r}", theme=theme_id, key="semantic")
                if "off" in spec and not isinstance(spec["off"], bool):
                    raise TaxonomyError(origin, f"[semantic.themes.{theme_id}] off must be true or false, "
                                                f"found {spec['off']!r}", theme=theme_id, key="semantic.off")
                themes.setdefault(theme_id, {}).update(
                    {k: v if k == "off" else _number(origin, f"semantic.themes.{theme_id}.{k}", v, cosine=True,
                                                     theme=theme_id, key=f"semantic.{k}")
                     for k, v in spec.items()})
            values[key] = themes
        else:
            known = sorted((*_FLOATS, *_INTS, "only_untagged", "themes"))
            raise TaxonomyError(origin, f"[semantic] unknown key {key!r} (known: {known})", key=f"semantic.{key}")
    merged = {name: getattr(base, name) for name in SemanticSettings.__dataclass_fields__}
    merged.update(values)
    return SemanticSettings(**merged)


def _number(origin: str, name: str, value: object, *, cosine: bool = False, theme: str | None = None,
            key: str | None = None) -> float:
    """``value`` as a float, or a TaxonomyError naming ``name`` (and ``theme`` and ``key`` as attributes)."""
    where = {"theme": theme, "key": key}
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise TaxonomyError(origin, f"{name} must be a number, found {value!r}", **where)
    if value < 0:
        raise TaxonomyError(origin, f"{name} must not be negative, found {value!r}", **where)
    if cosine and value > 1:
        hint = f" ({value / 100:g}, not {value:g}?)" if 10 <= value <= 100 else ""  # a percentage
        raise TaxonomyError(origin, f"{name} is compared with a cosine: a number from 0 to 1, found {value!r}{hint}; "
                                    "to keep the step off a theme, write off = true in [semantic.themes.<id>]",
                            **where)
    return float(value)


def rounded(values: np.ndarray) -> np.ndarray:
    """Similarities on the decision grid (see the module docstring)."""
    return np.round(values, DECIMALS)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def semantic_tags(
    embeddings: np.ndarray,
    theme_vectors: np.ndarray,
    rule_matrix: np.ndarray,
    settings: SemanticSettings,
    theme_ids: list[str],
) -> list[tuple[int, int, float, list[tuple[int, float]]]]:
    """The semantic tags: ``(paper index, theme index, score, [(neighbour index, cosine), …])``.

    Parameters
    ----------
    embeddings
        ``(n, d)`` paper embeddings, rows L2-normalized.
    theme_vectors
        ``(themes, d)`` embeddings of the theme descriptions, rows L2-normalized.
    rule_matrix
        ``(n, themes)`` booleans: the rule tags (parents included).
    settings, theme_ids
        The taxonomy's settings and its theme ids, in the columns' order.

    Returns
    -------
    list
        One entry per tag, in theme order then paper order; the neighbours
        nearest first (ties by paper order).
    """
    x = np.asarray(embeddings, dtype=np.float64)
    d = np.asarray(theme_vectors, dtype=np.float64)
    eligible = ~rule_matrix.any(axis=1) if settings.only_untagged else np.ones(len(x), dtype=bool)
    out = []
    for j, theme_id in enumerate(theme_ids):
        threshold, neighbour_threshold = settings.for_theme(theme_id)
        support = np.flatnonzero(rule_matrix[:, j])
        if len(support) < settings.min_support or threshold > 1:
            continue
        prototype = _unit(_unit(x[support].mean(axis=0)) + settings.description_weight * d[j])
        candidates = np.flatnonzero(eligible & ~rule_matrix[:, j])
        if not len(candidates):
            continue
        scores = rounded(x[candidates] @ prototype)
        candidates, scores = candidates[scores >= threshold], scores[scores >= threshold]
        if not len(candidates):
            continue
        k = min(settings.neighbours, len(support))
        sims = x[candidates] @ x[support].T
        # Nearest first; a stable sort on the negated similarity breaks ties by paper order.
        order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        nearest = np.take_along_axis(sims, order, axis=1)
        close = rounded(nearest.mean(axis=1))
        for row in np.flatnonzero(close >= neighbour_threshold):
            out.append((int(candidates[row]), j, float(scores[row]),
                        [(int(support[o]), float(s)) for o, s in zip(order[row], nearest[row], strict=True)]))
    return out
