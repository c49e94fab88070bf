"""`weigh --write`: append the profile block to the model file as text
(docs/methods.md#eliciting-weights-engage-weigh, docs/errors.md).

The file is never rewritten from parsed data (that would drop its comments): the block
goes after the last byte, with the file's own line ends, and only once the file with the
block has been checked to load with exactly the new weights. Atomic, through
:mod:`engage.io.writer`; never through a symbolic link.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engage.core.errors import WriteError

if TYPE_CHECKING:
    from engage.analysis.weigh import Elicitation
    from engage.core.model import Model


def write_target(origin: str, model_path: str | None, name: str, model: Model) -> Path:
    """The model file to append to: --model, or the set's engage.toml; never a link, and
    never over a profile it has (checked before any question is asked)."""
    from engage.io.loader import MODEL_FILE

    target = Path(model_path if model_path is not None else origin)
    if model_path is None and target.name != MODEL_FILE:
        raise WriteError(
            f"the model is {origin}, not a file --write can add a profile to",
            hint="give the model file with --model FILE (engage init DIR writes one)",
        )
    if target.suffix.lower() != ".toml":
        raise WriteError(f"{target} is not a TOML file; --write appends a [profiles] block")
    if target.is_symlink():
        raise WriteError(
            f"{target} is a symbolic link; engage does not write through links",
            hint="write to the file it points to with --model, or copy the block from -f toml",
        )
    if name in (model.source.get("profiles") or {}):
        raise WriteError(
            f"{target} already has a profile named '{name}'; nothing was written",
            hint="choose another --name (engage never replaces a profile)",
        )
    return target


def append_profile(target: Path, result: Elicitation, model: Model) -> bool:
    """Append the block as text (comments and layout kept), after checking that the file
    with the block is still a valid model with exactly these weights; atomic. True when
    the model had no profile before (the new one is then its default)."""
    from engage.io.document import Document
    from engage.io.loader import parse_toml
    from engage.io.validate import check_model
    from engage.io.writer import write_atomic
    from engage.render.weigh import to_toml

    try:
        data = target.read_bytes()
    except OSError as exc:
        raise WriteError(f"cannot read {target}: {exc.strerror or exc}") from None
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    block = ("\n" + to_toml(result)).replace("\n", newline.decode()).encode("utf-8")
    if data and not data.endswith(b"\n"):
        data += newline
    text = (data + block).decode("utf-8").removeprefix("\ufeff")
    try:
        parsed = parse_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise WriteError(
            f"appending [profiles.{result.name}] would make {target} invalid TOML ({exc}); "
            "nothing was written",
            hint="add the block by hand where the profiles are (engage weigh ... -f toml)",
        ) from None
    checked, _ = check_model(parsed, Document(str(target), "toml", parsed, text=text), ())
    names = [p.name for p in checked.profiles] if checked else []
    if checked is None or result.name not in names:
        raise WriteError(f"{target} would not load with the new profile; nothing was written")
    if checked.profile(result.name).weights != result.weights:  # pragma: no cover - a bug
        raise WriteError(f"the weights would not read back exactly from {target}")
    write_atomic(target, data + block)
    return not model.source.get("profiles")
