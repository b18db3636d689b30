"""Never overwrite, never leave debris: where a report may write, and how it moves into place.

A report is built in a hidden staging folder beside ``--out`` and moved into
place only when every page succeeded. A file already at a target is replaced
only when paperscope wrote it: a page or index carrying paperscope's
``generator`` mark, or any file listed, with the same bytes, in the folder's
manifest (:data:`MANIFEST`) — so a user's own ``index.html`` or
``images/01-corpus/figure-01.png`` is never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ..errors import PaperscopeError
from .html import GENERATOR

#: Lists every file a report wrote into its folder, with its SHA-256.
MANIFEST = ".paperscope-report.json"


class ReportTargetError(PaperscopeError):
    """A report would overwrite a file paperscope did not write, or its output path is unusable."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(out: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the files an earlier report wrote into ``out`` (empty if none)."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError
        return {str(k): str(v) for k, v in files.items()}
    except (ValueError, KeyError, TypeError, OSError):
        raise ReportTargetError(f"{path}: not a paperscope report manifest; refusing to overwrite it. "
                                "Choose another --out folder.") from None


def written_by_paperscope(path: Path, rel: str, manifest: dict[str, str]) -> bool:
    """Whether the existing file ``path`` (``rel`` inside the report folder) is paperscope's own."""
    if manifest.get(rel) == _sha256(path):
        return True
    if path.suffix == ".html":
        with path.open("rb") as fh:
            return bool(GENERATOR.search(fh.read(4000).decode("utf-8", errors="replace")))
    return False


def check_out(out: Path) -> None:
    """``out`` must be a folder or not exist yet (nor any file on the way to it)."""
    for part in [out, *out.parents]:
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                raise ReportTargetError(f"{part}: is a file, not a folder; --out must name a folder "
                                        "(it is created when missing)")
            return


def check_targets(out: Path, rels: list[str], *, prefixes: tuple[str, ...] = ()) -> None:
    """Raise :class:`ReportTargetError` if writing ``rels`` into ``out`` would replace a user's file.

    ``prefixes`` are folders (relative to ``out``) the report fills with files
    it names only later (the images): any file already under them must be
    paperscope's own too.
    """
    check_out(out)
    if not out.exists():
        return
    manifest = read_manifest(out)
    candidates = [(rel, out / rel) for rel in rels]
    for prefix in prefixes:
        folder = out / prefix
        if folder.exists() and not folder.is_dir():
            raise ReportTargetError(f"{folder}: is a file; the report needs a folder there")
        if folder.is_dir():
            candidates += [(p.relative_to(out).as_posix(), p) for p in sorted(folder.rglob("*"))
                           if p.is_file() or p.is_symlink()]
    for rel, path in candidates:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise ReportTargetError(f"{path}: is a {'link' if path.is_symlink() else 'folder'}; the report "
                                    "writes a file there. Move it or choose another --out folder.")
        if path.exists() and not written_by_paperscope(path, rel, manifest):
            raise ReportTargetError(f"{path}: exists and was not written by paperscope; refusing to "
                                    "overwrite it. Choose another --out folder.")
    for folder in {Path(rel).parent for rel in rels} - {Path(".")}:
        target = out / folder
        if target.exists() and not target.is_dir():
            raise ReportTargetError(f"{target}: is a file; the report needs a folder there")


def install(staging: Path, out: Path) -> list[Path]:
    """Move every file of ``staging`` into ``out`` (checked first), then update the manifest.

    When ``out`` does not exist the staging folder simply becomes it (one rename).
    """
    rels = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    check_targets(out, rels)
    manifest = read_manifest(out) if out.exists() else {}
    manifest.update({rel: _sha256(staging / rel) for rel in rels})
    (staging / MANIFEST).write_text(json.dumps({"generator": "paperscope", "files": manifest},
                                               indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, out)
    else:
        for rel in [*rels, MANIFEST]:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)
        shutil.rmtree(staging, ignore_errors=True)
    return [out / rel for rel in rels]
