"""Proof from git history that each approval was given by the reviewer it names, as far as git can
prove it.

For each approved entry, the commit that introduced its current review block is found (following
merges to the side the block came from, and renames of the file or its folder). That commit must
have been written and committed by the reviewer the block names, with name and email as content.yaml
listed them before that commit, and, when that reviewer has a ``signing_key``, carry a good SSH
signature made with it. Who is listed is itself taken from history: the reviewers of the first
content.yaml the history holds, then every change of the list that a reviewer already listed
committed (under the same rules); a change anyone else committed does not count, and where histories
of different beginnings meet, only the reviewers trusted on every side stay trusted.

``check --verify-history`` reads the history once for all entries (``path_history``); an entry it
cannot decide with certainty is walked as ``introducing_commit`` does, one ``git log -- path`` a round.
A shallow clone (or one whose history is grafted) cannot prove anything: it is refused with one
finding on content.yaml. All git calls ignore replacement objects.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

from editor.content import CONTENT_FILE, yaml_limits
from editor.content.config import reviewers_of
from editor.content.entry import Entry
from editor.content.repository import Repository
from editor.findings import Finding, at
from editor.vcs.git import inside, require_repository
from editor.vcs.path_history import PathHistory, Reading, Undecided
from editor.vcs.process import ObjectReader, VcsError, git_env, object_ids, objects, run
from editor.vcs.review_blocks import Blocks, review_block
from editor.vcs.signing import CommitObject, parse_commit, public_key, signed_by

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MISSING = "missing"  # content.yaml is not in that commit
READ_AHEAD = 12  # versions of each approved entry read in one batch before the walks back from approvals


def _env() -> dict:
    return dict(git_env(), GIT_NO_REPLACE_OBJECTS="1")


def _git(root: Path, *args: str) -> str:
    return run(root, "-c", "log.follow=false", "-c", "log.showSignature=false", "-c", "color.ui=false", *args,
               env=_env()).stdout


def name_key(name: str) -> str:
    """Names are compared ignoring case, Unicode form and runs of white space."""
    return " ".join(unicodedata.normalize("NFC", name or "").casefold().split())


@dataclass(frozen=True)
class Listed:
    """A reviewer as content.yaml listed them at some commit."""

    name_key: str
    email: str  # lowercase
    key: str  # "type base64", "" for none, "invalid" for a key that is not one
    name: str = field(compare=False, default="")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def listed_reviewers(data) -> frozenset[Listed]:
    found = set()
    for r in reviewers_of(data):
        key = (public_key(r.signing_key) or "invalid") if r.signing_key.strip() else ""
        found.add(Listed(name_key(r.name), r.email.strip().lower(), key, r.name.strip()))
    return frozenset(found)


def _same(person, reviewer: Listed) -> bool:
    return name_key(person.name) == reviewer.name_key and person.email.strip().lower() == reviewer.email


def not_made_by(commit: CommitObject, reviewer: Listed) -> str | None:
    """Why ``commit`` is not provably the reviewer's own, or None when it is."""
    if not _same(commit.author, reviewer):
        return f"was written by {commit.author}, not by the reviewer {reviewer}"
    if not _same(commit.committer, reviewer):
        return (f"was committed by {commit.committer}, not by the reviewer {reviewer} (it was amended, rebased, "
                "cherry-picked or committed for them by someone else)")
    if reviewer.key == "invalid":
        return f"cannot be checked: the signing_key content.yaml lists for {reviewer} is not an SSH public key"
    if reviewer.key and commit.signature is None:
        return (f"is not signed, and content.yaml lists a signing key for {reviewer}: their approvals count "
                "only when signed with it")
    if reviewer.key and not signed_by(commit, reviewer.key, reviewer.email):
        return f"is not signed with the key content.yaml lists for {reviewer}"
    return None


class History:
    """The history of HEAD as this check reads it: commits, and who was a trusted reviewer at each."""

    def __init__(self, root: Path, reader: ObjectReader):
        self.root = root
        self.read = reader.read
        self._commits: dict[str, CommitObject] = {}
        self.blocks = Blocks(self.read)
        self._trusted: dict[str, frozenset[Listed] | None] | None = None
        self._before: dict[str, frozenset[Listed]] = {}
        self._paths: PathHistory | None = None
        self._reading: Reading | None = None
        self.fallbacks = 0  # entries the history read once could not decide, walked the old way

    def commit(self, sha: str) -> CommitObject:
        if sha not in self._commits:
            raw = self.read(sha)
            if raw is None:
                raise VcsError(f"The history is incomplete: commit {sha[:10]} cannot be read")
            self._commits[sha] = parse_commit(sha, raw)
        return self._commits[sha]

    def block(self, sha: str, path: str) -> str | None:
        """The review block of ``path`` at commit ``sha`` (None when there is none, or no such file)."""
        return self.blocks(f"{sha}:{path}")

    def introducing(self, path: str, block: str) -> str | None:
        """``introducing_commit``, answered from the history read once where it can be."""
        if self._paths is None:
            self.start_reading()
            self._paths = self._reading.result()
        try:
            return self._paths.introducing(path, block, self.blocks)
        except Undecided:
            self.fallbacks += 1
            return introducing_commit(self, path, block)

    def read_ahead(self, names: list[str], paths: list[str] = ()) -> None:
        """Read in one batch the objects ``names`` and, once the history is read, the newest versions
        of ``paths``: the walk back from each approval reads mostly those."""
        if paths and self._paths is None:
            self.start_reading()
            self._paths = self._reading.result()
        if paths and self._paths.certain:
            names = names + [blob for path in paths for blob in self._paths.recent_blobs(path, READ_AHEAD)]
        self.blocks.read_ahead(objects(self.root, names, env=_env()))

    def start_reading(self) -> None:
        """Begin reading the whole history in the background (``introducing`` waits for it)."""
        if self._reading is None:
            self._reading = Reading(self.root, _env())

    def stop_reading(self) -> None:
        if self._reading is not None:
            self._reading.close()

    def trusted_before(self, commit: CommitObject) -> frozenset[Listed]:
        """The reviewers trusted just before the commit: the list its own changes are judged by."""
        self.trusted()
        return self._before.get(commit.sha, frozenset())

    def trusted(self) -> dict[str, frozenset[Listed] | None]:
        """For every commit of HEAD's history, the reviewers trusted there (None where no content.yaml
        was yet). A content.yaml with no content.yaml before it (the history's first) is believed as it
        is; after that, a change of the list counts only when a reviewer trusted before it made it.
        Where histories of different beginnings meet in a merge, only the reviewers trusted on every
        side stay trusted, so no history of one's own, merged in whichever way, brings anyone in."""
        if self._trusted is not None:
            return self._trusted
        graph = [line.split() for line in _git(self.root, "rev-list", "--topo-order", "--reverse", "--parents",
                                               "HEAD").splitlines() if line]
        names = {sha: f"{sha}:{CONTENT_FILE}" for sha, *_ in graph}
        ids = object_ids(self.root, list(names.values()), env=_env())
        blobs = objects(self.root, sorted({i for i in ids.values() if i}), env=_env())
        lists: dict[str, frozenset[Listed] | None] = {}
        for blob, data in blobs.items():
            try:
                lists[blob] = listed_reviewers(yaml_limits.load(data.decode("utf-8-sig"), _Loader)) if data else None
            except (yaml.YAMLError, UnicodeDecodeError):
                lists[blob] = None  # an unreadable content.yaml changes nothing
        values: dict[str, object] = {}  # the list each commit's file holds, to tell a change
        trusted: dict[str, frozenset[Listed] | None] = {}
        origins: dict[str, frozenset[str] | None] = {}  # the beginnings each commit's trust comes from
        nobody: frozenset[Listed] = frozenset()
        for sha, *parents in graph:
            blob = ids[names[sha]]
            value = lists.get(blob, None) if blob else MISSING
            if value is None:  # unreadable: as its first parent had it
                value = values[parents[0]] if parents else MISSING
            values[sha] = value
            known = [p for p in parents if trusted.get(p) is not None]
            if not known:  # the first content.yaml of a line of history, or none yet
                trusted[sha] = None if value is MISSING else value if isinstance(value, frozenset) else nobody
                origins[sha] = None if value is MISSING else frozenset([sha])
                continue
            before = trusted[known[0]] if len(known) == 1 else frozenset.intersection(*(trusted[p] for p in known))
            if before:
                self._before[sha] = before
            beginnings = {origins[p] for p in known}
            if len(beginnings) > 1:
                trusted[sha], origins[sha] = before, frozenset().union(*beginnings)
                continue
            origins[sha] = origins[known[0]]
            if len(known) > 1:  # a merge: each side's changes of trust, against where they parted
                trusted[sha] = self._merged_trust(sha, known, trusted, value, before)
                continue
            same = next((p for p in known if values[p] == value), None)
            if same is not None:
                trusted[sha] = trusted[same]
                continue
            commit = self.commit(sha)
            allowed = any(not_made_by(commit, r) is None for r in before)
            trusted[sha] = (value if isinstance(value, frozenset) else nobody) if allowed else trusted[known[0]]
        self._trusted = trusted
        self.head = graph[-1][0] if graph else None
        return trusted

    def _merged_trust(self, sha: str, parents: list[str], trusted: dict, value, before: frozenset[Listed]):
        """Who is trusted after a merge: who was at the commit the sides parted from, with the changes of
        trust each side made (an addition or removal by a trusted reviewer there) brought together, and
        only as the merge's own content.yaml still lists them. So a side that kept an old list (a stale
        branch merged with ``-s ours``) does not undo a removal made on the other. A list the merge
        itself changes beyond that counts only when a reviewer trusted on every side made the merge."""
        if len({trusted[parent] for parent in parents}) == 1:
            base = trusted[parents[0]]  # every side trusts the same: so does the merge, whatever their base
        else:
            base_line = _git(self.root, "merge-base", "--octopus", *parents).split()
            base = trusted.get(base_line[0]) if base_line else None
            base = base if base is not None else before
        result = set(base)
        for parent in parents:
            result |= trusted[parent] - base
        for parent in parents:
            result -= base - trusted[parent]
        listed = value if isinstance(value, frozenset) else frozenset()
        merged = frozenset(r for r in result if r in listed)
        if merged == listed:
            return merged
        commit = self.commit(sha)
        return listed if any(not_made_by(commit, r) is None for r in before) else merged

    def trusted_now(self) -> frozenset[Listed]:
        """The reviewers trusted at HEAD, as history has made them."""
        trusted = self.trusted()
        return (trusted.get(self.head) if self.head else None) or frozenset()


def _rename_source(root: Path, parent: str, sha: str, path: str) -> str | None:
    out = _git(root, "diff-tree", "-r", "-z", "-M", "--diff-filter=R", "--name-status", parent, sha)
    fields = out.split("\0")
    for index in range(0, len(fields) - 2, 3):
        if fields[index].startswith("R") and fields[index + 2] == path:
            return fields[index + 1]
    return None


def introducing_commit(history: History, path: str, block: str) -> str | None:
    """The commit that made the review block ``block`` of ``path`` as HEAD has it: walking back while
    a parent (at the file's path there, through renames) already had the same block."""
    root = history.root
    start = "HEAD"
    for _ in range(1000):  # one round per rename
        # the file's own history, simplified as git does (a merge that kept one side's file follows that
        # side), with each commit's parents rewritten to the commits of that history
        lines = [line.split() for line in _git(root, "log", "--parents", "--topo-order", "--format=%H %P",
                                                start, "--", path).splitlines() if line]
        if not lines:
            return None
        parents = {sha: rest for sha, *rest in lines}
        current = lines[0][0]
        while True:
            following = next((p for p in parents.get(current, []) if history.block(p, path) == block), None)
            if following is None:
                break
            current = following
        moved = None
        for parent in history.commit(current).parents:  # renamed here, or from a side the log left out?
            there = path if history.read(f"{parent}:{path}") is not None else _rename_source(root, parent, current, path)
            if there is not None and history.block(parent, there) == block:
                moved = parent, there
                break
        if moved is None:
            return current
        start, path = moved
    return None


def shallow_finding(root: Path) -> Finding | None:
    shallow = _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    grafts = Path(root, _git(root, "rev-parse", "--git-path", "info/grafts").strip())
    if not shallow and not grafts.is_file():
        return None
    why = ("This clone has only part of the history (a shallow clone, as CI checkouts make by default)" if shallow
           else "This repository's history is altered by a grafts file (.git/info/grafts)")
    return at(CONTENT_FILE, "review", "history-shallow" if shallow else "history-grafted", "error",
              f"{why}, so no approval can be proven from it: fetch the full history first (git fetch --unshallow, "
              "or fetch-depth: 0 in CI) and check again")


def verify_history(repo: Repository, paths: list[str] | None = None) -> list[Finding]:
    """Findings for approvals the history does not prove (see the module's description)."""
    root = repo.root
    require_repository(root)
    refused = shallow_finding(root)
    if refused is not None:
        return [refused]
    with ObjectReader(root, env=_env()) as reader:
        return _verify(repo, History(root, reader), paths)


def block_problem(root: Path, path: str, text: str) -> str | None:
    """Why the history does not prove the review block ``text`` carries for ``path`` (whatever the
    entry's status: the block an edited entry kept is judged too), or None when it does."""
    require_repository(root)
    refused = shallow_finding(root)
    if refused is not None:
        return refused.message.split(", so no approval")[0]
    block = review_block(text)
    if block is None:
        return "the entry carries no review block"
    review = Entry.from_text(path, text).meta.get("review")
    path = inside(root, path)
    with ObjectReader(root, env=_env()) as reader:
        history = History(root, reader)
        try:
            head_block = history.block("HEAD", path)
        except VcsError:
            head_block = None
        if head_block != block:
            return "this review block is not in the history yet: only an approval committed by the reviewer counts"
        return _judge(history, path, block, str(review.get("reviewer", "")))


def _verify(repo: Repository, history: History, paths: list[str] | None) -> list[Finding]:
    root = repo.root
    history.start_reading()  # git reads the history while the entries are read here
    try:
        work = []  # (where, path, block, reviewer named), path None where the approval is not committed
        for path in paths if paths is not None else repo.paths:
            entry = repo.entry(path)
            review = entry.meta.get("review") if entry.readable else None
            if entry.status != "approved" or not isinstance(review, dict):
                continue
            path = inside(root, path)
            span = entry.frontmatter.span_for(("review", "reviewer"))
            where = (entry.path, span.line, span.column, span.end_line, span.end_column, "review")
            work.append((where, path, history.blocks.of_text(entry.text), str(review.get("reviewer", ""))))
        history.read_ahead([f"HEAD:{path}" for _, path, _, _ in work])
        work = [(where, path if history.block("HEAD", path) == block else None, block, named)
                for where, path, block, named in work]
        if any(path is not None for _, path, _, _ in work):
            try:  # who is trusted where, while git still reads the history
                history.trusted()
            except VcsError:
                pass  # raised again where it matters, as it was
        history.read_ahead([], [path for _, path, _, _ in work if path is not None])
        findings: list[Finding] = []
        for where, path, block, named in work:
            if path is None:
                findings.append(Finding(*where, "approval-uncommitted", "error",
                                        "This approval is not in the history yet: only an approval committed by "
                                        "the reviewer counts"))
                continue
            problem = _judge(history, path, block, named, history.introducing)
            if problem:
                findings.append(Finding(*where, "approval-unverified", "error",
                                        f"{problem}: this approval cannot be trusted"))
        return findings
    finally:
        history.stop_reading()


def _judge(history: History, path: str, block: str, named: str, find=None) -> str | None:
    sha = (find or partial(introducing_commit, history))(path, block)
    if sha is None:
        return "The commit that made this review block cannot be found in the history"
    commit = history.commit(sha)
    short = sha[:10]
    reviewer = next((r for r in history.trusted_before(commit) if r.email == named.strip().lower()), None)
    if reviewer is None:
        return (f"The review block was made in commit {short} by {commit.author}, when {named} was not a reviewer "
                "in content.yaml (a reviewer is listed only by a commit of a reviewer already listed)")
    why = not_made_by(commit, reviewer)
    if why:
        return f"The review block was made in commit {short}, which {why}"
    # as the library lists its reviewers now: an approval made on a branch forked before a reviewer's
    # key was listed (or before she was removed) is judged by the list it joins, not by the one it chose
    now = next((r for r in history.trusted_now() if r.email == reviewer.email), None)
    if now is None:
        return f"{named} approved in commit {short}, but is not a trusted reviewer in content.yaml now"
    why = not_made_by(commit, now) if now != reviewer else None
    return f"The review block was made in commit {short}, which {why} (as {named} is listed now)" if why else None
