"""BERTopic imported without its LLM parts, torch or UMAP — and all of them still there when asked for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "hf-daily-papers-sep-9.txt"

CHILD = """
import json, sys
import paperscope as ps
papers = ps.load(sys.argv[1])
topics = ps.fit_topics(papers, backend="tfidf")
loaded = {m: m in sys.modules for m in ("torch", "transformers", "umap", "numba")}
import bertopic._save_utils as save_utils
import bertopic.plotting._topics as plotting_topics
flags = [save_utils._has_torch, plotting_topics.HAS_UMAP]
from bertopic.representation import TextGeneration, ZeroShotClassification
classes = [TextGeneration.__module__, ZeroShotClassification.__module__]
rep = topics.model.get_representative_docs()
best = topics.topics.set_index("topic")["representative_papers"].to_dict()
same = all(any(rep[t][0].startswith(title.replace("-", " ")) for title in best[t]) for t in best)
print(json.dumps({"loaded": loaded, "flags": flags, "classes": classes, "torch_later": "torch" in sys.modules,
                  "same_first": same, "sizes": [len(rep[t]) for t in best]}))
"""


def test_fit_topics_imports_no_torch_transformers_or_umap_yet_everything_still_loads():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", CHILD, str(SEED)], capture_output=True, text=True, env=env,
                         timeout=300, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["loaded"] == {"torch": False, "transformers": False, "umap": False, "numba": False}
    # BERTopic believes torch and UMAP are installed (they are): saving and visualize_topics work.
    assert result["flags"] == [True, True]
    # The deferred LLM representations import, unchanged, when asked for.
    assert result["classes"] == ["bertopic.representation._textgeneration",
                                 "bertopic.representation._zeroshot"]
    assert result["torch_later"] is True
    # BERTopic's representative documents are paperscope's most central papers, three per topic.
    assert result["same_first"] is True
    assert set(result["sizes"]) <= {1, 2, 3} and max(result["sizes"]) == 3


def test_visualize_topics_loads_umap_on_first_use():
    code = """
import sys, paperscope as ps
topics = ps.fit_topics(ps.load(sys.argv[1]), backend="tfidf")
assert "umap" not in sys.modules
fig = topics.model.visualize_topics()
print(type(fig).__name__, "umap" in sys.modules, len(fig.data))
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, env=env,
                         timeout=600, check=True).stdout.split()
    assert out[:2] == ["Figure", "True"]
