"""Do the topics stay put when the CPU or the floats change?  Reproduce with

    .venv/bin/python benchmarks/topic_stability.py [corpus ...]    # default: hf snapshot arxiv_cs neurips

For each real corpus, the topics fitted by ``fit_topics`` (guided by the default themes) are
compared, by adjusted Rand index (1 = the same partition), with the topics fitted

- in fresh processes under the CPU variants of another machine (``ATEN_CPU_CAPABILITY=avx2`` /
  ``default``, ``NUMBA_CPU_NAME=generic``, one thread) — on the HF corpus each variant embeds
  afresh with an empty cache (MiniLM itself runs under the variant); on the larger corpora the
  variants share the cached embeddings (MiniLM's differences, <= 1.6e-7, are far below the noise
  below);
- on the embeddings plus Gaussian noise of 1e-6 and 1e-4 (then re-normalized).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.simplefilter("ignore")

from sklearn.metrics import adjusted_rand_score as ari  # noqa: E402

import paperscope as ps  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import corpora  # noqa: E402

VARIANTS = {
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "default": {"ATEN_CPU_CAPABILITY": "default"},
    "generic numba": {"NUMBA_CPU_NAME": "generic"},
    "one thread": {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"},
}
CHILD = """
import json, sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
import corpora, paperscope as ps
loaded = getattr(corpora, sys.argv[2])()
papers = loaded[0] if isinstance(loaded, tuple) else loaded
cache = sys.argv[3] if sys.argv[3] != "default" else True
topics = ps.fit_topics(papers, themes=ps.tag_themes(papers), cache=cache)
print(json.dumps(topics.assignments["topic"].tolist()))
"""


def load(name: str):
    loaded = getattr(corpora, name)()
    return loaded[0] if isinstance(loaded, tuple) else loaded


def run(name: str) -> None:
    papers = load(name)
    emb = ps.embed(papers)
    tags = ps.tag_themes(papers)
    start = time.perf_counter()
    base = ps.fit_topics(papers, embeddings=emb, themes=tags)
    seconds = time.perf_counter() - start
    labels = base.assignments["topic"].to_numpy()
    row = {"corpus": name, "papers": len(papers), "topics": len(base.topics),
           "outliers": f"{base.outlier_share:.1%}", "fit_s": round(seconds, 1)}
    fresh = name in {"hf"}
    for variant, env in VARIANTS.items():
        with tempfile.TemporaryDirectory() as tmp:
            cache = str(Path(tmp) / "e.sqlite") if fresh else "default"
            out = subprocess.run([sys.executable, "-c", CHILD, str(Path(__file__).parent), name, cache],
                                 capture_output=True, text=True, check=True,
                                 env={**os.environ, "HF_HUB_OFFLINE": "1", **env})
        other = np.array(json.loads(out.stdout.strip().splitlines()[-1]))
        row[f"ARI {variant}{' (fresh embeddings)' if fresh else ''}"] = round(ari(labels, other), 4)
    rng = np.random.default_rng(0)
    for scale in (1e-6, 1e-4):
        noisy = emb + rng.normal(0, scale, emb.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        again = ps.fit_topics(papers, embeddings=noisy, themes=tags).assignments["topic"].to_numpy()
        row[f"ARI noise {scale:g}"] = round(ari(labels, again), 4)
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    for corpus in sys.argv[1:] or ["hf", "snapshot", "arxiv_cs", "neurips"]:
        run(corpus)
