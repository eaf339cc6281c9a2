"""A file's stamp, as git's index keeps one: its size, modification time, inode and change time.
Caches that know what a file held under a stamp need not read it again while the stamp is the
same. A tool that puts a file's time back after an edit of the same size still moves its change
time, which nobody can set; a file written within the last two seconds gets no stamp, because a
second write within the same tick of a coarse clock would leave size and times as they were."""
from __future__ import annotations

import os
import struct

RACY_SECONDS = 2.0  # a file changed this recently may change again within its time stamp's grain
Stamp = tuple[int, int, int, int]
PACKED = struct.Struct("<QqQq")  # a stamp as 32 bytes (``packed``): one object where a cache keeps thousands


def stamp(stat: os.stat_result, now: float) -> Stamp | None:
    """``stat``'s stamp, or None when the file changed too recently (``now``: ``time.time()``) to
    be told apart from a second change by its stamp."""
    if now - stat.st_mtime < RACY_SECONDS or now - stat.st_ctime < RACY_SECONDS:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns


def packed(stat: os.stat_result, now: float) -> bytes | None:
    """``stamp`` as ``PACKED`` bytes."""
    made = stamp(stat, now)
    return None if made is None else PACKED.pack(*made)
