"""Write a set of files to an output directory atomically: all of them, or nothing.

Files are written to a temporary directory beside the target, which then replaces the target with a
rename. An existing non-empty target is refused unless ``force`` is given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from translator.load import InputError


class OutputError(InputError):
    """The output directory cannot be written (exit code 2)."""


#: a directory lambda2func wrote has this file; --force replaces no other kind of directory
MARKER = "migration-report.json"


def write_tree(
    out_dir: Path, files: dict[str, str], force: bool = False, protect: tuple[Path, ...] = ()
) -> None:
    """Write ``files`` under ``out_dir``. ``protect``: inputs that must not be inside a replaced directory."""
    out_dir = out_dir.resolve()
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} exists and is not a directory")
    for path in (*protect, Path.cwd()):
        resolved = path.resolve()
        if resolved == out_dir or out_dir in resolved.parents:
            what = "the current directory" if path == Path.cwd() else str(path)
            raise OutputError(f"{out_dir} contains {what}; choose an output directory of its own")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            raise OutputError(f"{out_dir} is not empty; use --force to replace it")
        if not (out_dir / MARKER).is_file():
            # --force replaces an earlier lambda2func output, never an unrelated folder
            raise OutputError(
                f"{out_dir} is not empty and was not written by lambda2func (no {MARKER}); not replacing it"
            )
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot create the output directory {out_dir}: {exc.strerror}") from None
    try:
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it 0o700; mkdir would not
        if out_dir.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=parent))
            backup.rmdir()
            out_dir.rename(backup)
            staging.rename(out_dir)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            staging.rename(out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {out_dir}: {exc.strerror}") from None


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (0o644 under the usual umask 022): mkstemp's
    0o600 would make reports unreadable to the CI step or web server that publishes them."""
    return 0o666 & ~_umask()


def write_file(path: Path, text: str, protect: tuple[Path, ...] = ()) -> None:
    """Write one file atomically: a temporary file beside it, then a rename (never half a file)."""
    target = path.resolve()
    if target.is_dir():
        raise OutputError(f"{path} is a directory; give a file name such as inventory.json")
    if any(p.resolve() == target for p in protect):
        raise OutputError(f"{path} is also an input; choose another output file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temp, file_mode())
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
