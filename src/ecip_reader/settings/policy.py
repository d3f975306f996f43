"""Reading the machine-wide policy: the policy file, then the Windows registry over it.

See README "Machine-wide policy" for the file's keys. The file is TOML; its
``locked`` array names the settings users cannot change.

Reading never fails and never opens up more than the policy asked for:

* each key is checked on its own (:mod:`.rules`); a mistaken key is reported
  and ignored while the others apply;
* a locked key whose value is mistaken stays locked, at its safe value;
* when ``locked`` itself cannot be read, every key the policy sets is locked;
* a policy file that exists but cannot be read at all (not a regular file,
  too large, not UTF-8, no permission) locks every setting at its safe value.

Every mistake becomes one sentence in :attr:`Policy.problems`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ecip_reader.settings import policy_toml
from ecip_reader.settings.assembly import Setting, assemble
from ecip_reader.settings.registry import with_registry
from ecip_reader.settings.rules import POLICY_KEYS, safe_value
from ecip_reader.settings.schema import Policy

log = logging.getLogger(__name__)


def fail_closed(reason: str) -> Policy:
    """Every setting locked at its safe value, because the policy could not be read."""
    values = {key: safe_value(key) for key in POLICY_KEYS}
    return Policy(values, frozenset(POLICY_KEYS), (reason,), unreadable=True)


def read_policy_file(path: Path, named: bool = False) -> Policy:
    """The policy in ``path``, key by key; an absent file is an empty policy.

    ``named``: the path was given by the person starting the reader
    (``ECIP_READER_POLICY``), so its absence is a mistake worth a sentence.
    """
    try:
        text = policy_toml.read_text(path)
    except FileNotFoundError:
        if named:
            return Policy(problems=(f"The policy file {path} does not exist.",))
        return Policy()
    except policy_toml.UnreadableFile as exc:
        log.warning("policy file %s unusable: %s", path, exc)
        return fail_closed(
            f"The policy file {path} cannot be read ({exc}), so every setting it could set "
            "is locked at its safe value."
        )
    found = policy_toml.statements(text)
    settings = [
        Setting(f"{path}, line {s.line}" if s.line else str(path), s.key, s.value, s.problem)
        for s in found
    ]
    policy = assemble(settings)
    for problem in policy.problems:
        log.info("%s", problem)
    return policy


def load_policy(path: Path, named: bool = False) -> Policy:
    """The policy file at ``path``, plus the registry policy key on Windows.

    Never raises: mistakes are in :attr:`Policy.problems` and never unlock anything.
    """
    return with_registry(read_policy_file(path, named))
