"""Reading the machine-wide policy: the policy file, then the Windows registry over it.

See README "Machine-wide policy" for the file's keys. The file is TOML; its
``locked`` array names the settings users cannot change.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

from ecip_reader.settings.registry import with_registry
from ecip_reader.settings.schema import SCHEMA, Policy, PolicyError, check

log = logging.getLogger(__name__)


def read_policy_file(path: Path) -> Policy:
    """The policy in ``path``; an absent file is an empty policy."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Policy()
    except OSError as exc:
        log.warning("policy file unreadable: %s", exc)
        return Policy()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"The policy file {path} is not valid TOML: {exc}.") from exc
    locked = data.pop("locked", [])
    if not isinstance(locked, list) or not all(isinstance(k, str) for k in locked):
        raise PolicyError(f"{path}: 'locked' must be a list of setting names.")
    values = {k: check(k, v, str(path)) for k, v in data.items()}
    for key in locked:
        check(key, SCHEMA[key][1] if key in SCHEMA else None, str(path))
    return Policy(values, frozenset(locked))


def load_policy(path: Path) -> Policy:
    """The policy file at ``path``, plus the registry policy key on Windows.

    Raises :class:`PolicyError` when either cannot be used.
    """
    return with_registry(read_policy_file(path))
