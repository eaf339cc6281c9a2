"""SSH signatures of commits: reading a commit object as git stored it, checking its signature
against a key content.yaml lists (with ``ssh-keygen -Y verify`` and an allowed-signers file the tool
writes, so no git configuration of the repository has a say), and whether a reviewer's git can sign.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from editor.vcs.process import VcsError, run

# an OpenSSH public key as content.yaml lists it: type, base64 key, optional comment (one line)
KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
             "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
_KEY = re.compile(r"(?:key::)?(?P<type>[a-z0-9@.-]+) (?P<blob>[A-Za-z0-9+/]+={0,3})(?: [^\r\n]*)?")
_PERSON = re.compile(rb"(?P<name>.*?) ?<(?P<email>[^<>]*)> \d+ [+-]\d{4}$")
_PRINCIPAL = re.compile(r"[^\s,\"*?!]+")


def public_key(text: str | None) -> str | None:
    """``type base64`` of an SSH public key line (its comment dropped), or None when it is not one."""
    match = _KEY.fullmatch((text or "").strip())
    if match is None or match["type"] not in KEY_TYPES:
        return None
    return f"{match['type']} {match['blob']}"


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True)
class CommitObject:
    """A commit as stored: who wrote and who committed it, its parents, and its signature with the
    exact bytes the signature covers (the object without its signature header)."""

    sha: str
    parents: tuple[str, ...]
    author: Person
    committer: Person
    signature: bytes | None
    payload: bytes


def _person(value: bytes) -> Person:
    match = _PERSON.fullmatch(value.strip())
    if match is None:
        return Person(value.decode("utf-8", "replace"), "")
    return Person(match["name"].decode("utf-8", "replace"), match["email"].decode("utf-8", "replace"))


def parse_commit(sha: str, raw: bytes) -> CommitObject:
    header, separator, message = raw.partition(b"\n\n")
    fields: list[tuple[bytes, list[bytes]]] = []  # each header with its continuation lines, in order
    for line in header.split(b"\n"):
        if line.startswith(b" ") and fields:
            fields[-1][1].append(line)
        else:
            fields.append((line.partition(b" ")[0], [line]))
    signatures = {key: b"\n".join([lines[0].partition(b" ")[2]] + [line[1:] for line in lines[1:]]) + b"\n"
                  for key, lines in fields if key in (b"gpgsig", b"gpgsig-sha256")}
    payload = b"\n".join(line for key, lines in fields if key not in (b"gpgsig", b"gpgsig-sha256")
                          for line in lines) + separator + message

    def values(name: bytes) -> list[bytes]:
        return [lines[0].partition(b" ")[2] for key, lines in fields if key == name]

    signature = signatures.get(b"gpgsig" if len(sha) == 40 else b"gpgsig-sha256")
    return CommitObject(sha, tuple(p.decode() for p in values(b"parent")), _person((values(b"author") or [b""])[0]),
                        _person((values(b"committer") or [b""])[0]), signature, payload)


def signed_by(commit: CommitObject, key: str, email: str) -> bool:
    """True only when the commit carries a good SSH signature (namespace "git") made with ``key``."""
    key = public_key(key)
    if commit.signature is None or key is None or b"BEGIN SSH SIGNATURE" not in commit.signature:
        return False
    principal = email if _PRINCIPAL.fullmatch(email or "") else "reviewer"
    with tempfile.TemporaryDirectory(prefix="malone-verify-") as folder:
        signers, signature = Path(folder) / "allowed_signers", Path(folder) / "commit.sig"
        signers.write_text(f'{principal} namespaces="git" {key}\n', encoding="utf-8")
        signature.write_bytes(commit.signature)
        try:
            result = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", principal, "-n", "git",
                                     "-s", str(signature)], input=commit.payload, capture_output=True, timeout=60,
                                    env=dict(os.environ, LC_ALL="C"))
        except FileNotFoundError:
            raise VcsError("Checking signed approvals needs ssh-keygen, which is not installed here "
                           "(on Debian: apt-get install openssh-client)") from None
        except (OSError, subprocess.TimeoutExpired):
            return False
    return result.returncode == 0 and result.stdout.startswith(b"Good")


@dataclass(frozen=True)
class SigningSetup:
    """How the reviewer's git would sign a commit: whether it signs at all, with which public key
    (when that can be told from its settings), and what is missing."""

    signs: bool
    key: str | None  # ``type base64``, when known
    missing: str = ""


def _config(root: Path, name: str) -> str:
    return run(root, "config", "--get", name, check=False).stdout.strip()


def signing_setup(root: Path) -> SigningSetup:
    """What ``git commit -S`` would do here with the reviewer's own settings."""
    fmt = _config(root, "gpg.format").lower() or "openpgp"
    key_setting = _config(root, "user.signingkey")
    always = _config(root, "commit.gpgsign").lower() in ("true", "yes", "on", "1")
    if fmt != "ssh" or not key_setting:
        missing = "gpg.format is not ssh" if fmt != "ssh" else "user.signingkey is not set"
        return SigningSetup(always, None, missing)
    return SigningSetup(True, _configured_key(root, key_setting))


def _configured_key(root: Path, setting: str) -> str | None:
    """The public key ``user.signingkey`` names: given literally, or in a file (a public key file,
    or a private key file with its ``.pub`` beside it)."""
    literal = public_key(setting)
    if literal is not None:
        return literal
    path = Path(root, os.path.expanduser(setting))  # git reads a relative path from the repository's top
    for candidate in (path, Path(f"{path}.pub")):
        try:
            found = public_key(candidate.read_text(encoding="utf-8", errors="replace").strip())
        except OSError:
            continue
        if found is not None:
            return found
    return None


SETUP_HELP = ("Set it up once in a terminal, with the key content.yaml lists for you: "
              "git config --global gpg.format ssh and git config --global user.signingkey ~/.ssh/id_ed25519.pub "
              "(the public key file of that key)")
