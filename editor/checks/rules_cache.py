"""The built-in rules as made, kept in the user's cache folder for the next process.

Reading ``rules/default.yaml``, checking it against its schema and turning some 800 phrases into
patterns costs a process half a second before it checks anything: more than checking the one entry
a writer changed. What that work makes is plain data (each rule's fields and, for each of its
patterns, the text of the pattern, the suggestion and the words a match begins with), so it is kept
as JSON under a name made of the bytes of the rules file and of the tool's code: any change of
either makes a new name, and a file that is damaged or not what it claims is made again."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from editor.content.atomic import write_atomically

FORMAT = 2  # 2: the starts of the patterns the indexes read


def _file(rules_file: Path) -> Path:
    from editor.checks.tool_digest import tool_digest
    from editor.resources import schemas_dir, user_cache_dir

    digest = hashlib.blake2b(rules_file.read_bytes() + tool_digest(schemas_dir()).encode(), digest_size=12).hexdigest()
    return user_cache_dir() / f"rules-{FORMAT}-{digest}.json"


def read(rules_file: Path) -> dict | None:
    """What ``write`` kept for this rules file and this build of the tool, or None."""
    try:
        kept = json.loads(_file(rules_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept if isinstance(kept, dict) else None


def write(rules_file: Path, kept: dict) -> None:
    """Keep ``kept`` (plain data) for the next process; a folder that cannot be written only makes
    the next start slower."""
    try:
        text = json.dumps(kept, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # a value JSON cannot hold (the built-in file has none): made afresh each time
    try:
        target = _file(rules_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text.encode("utf-8"), durable=False)
    except OSError:
        pass
