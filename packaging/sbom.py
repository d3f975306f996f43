"""Write a CycloneDX bill of materials beside an installer.

The components come from the licence inventory the build wrote into the
bundle (``third-party.json``, see ``packaging/licences.py``); the installer
file itself is the subject of the bill, identified by its SHA-256.

Usage::

    python packaging/sbom.py INSTALLER INVENTORY.json   # writes INSTALLER.cdx.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

SPEC_VERSION = "1.5"
# SPDX identifiers the inventory uses; anything else is given as a licence name.
SPDX_IDS = {
    "AGPL-3.0-or-later",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "GPL-2.0-only",
    "GPL-3.0-only",
    "ISC",
    "LGPL-3.0-only",
    "MIT",
    "MPL-2.0",
    "PSF-2.0",
    "Unicode-DFS-2016",
    "Zlib",
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def licence_entry(licence: str) -> dict[str, object]:
    """An SPDX expression when it looks like one, else the licence's name."""
    if " OR " in licence or " AND " in licence or " WITH " in licence:
        return {"expression": licence}
    if licence in SPDX_IDS:
        return {"license": {"id": licence}}
    return {"license": {"name": licence}}


def purl(component: dict[str, str], distribution: str, arch: str) -> str | None:
    name, version = component["name"], component["version"]
    if component["origin"] == "pypi":
        return f"pkg:pypi/{name.lower().replace('_', '-')}@{version}"
    if component["origin"] == "deb":
        return f"pkg:deb/{distribution}/{name}@{version}?arch={arch}"
    if component["origin"] == "python":
        return f"pkg:generic/cpython@{version}"
    return None


def bill(installer: Path, inventory: dict[str, object]) -> dict[str, object]:
    app = inventory["application"]
    assert isinstance(app, dict)
    distribution = str(inventory.get("distribution", "linux"))
    arch = "amd64" if str(inventory.get("target", "")).endswith("x86_64") else "arm64"
    components = []
    for index, item in enumerate(inventory["components"]):  # type: ignore[arg-type]
        entry: dict[str, object] = {
            "type": "library",
            "bom-ref": f"component-{index}",
            "name": item["name"],
            "version": item["version"],
            "licenses": [licence_entry(item["licence"])],
            "properties": [
                {"name": "ecip:origin", "value": item["origin"]},
                {"name": "ecip:bundled-files", "value": str(len(item["files"]))},
            ],
        }
        url = purl(item, distribution, arch)
        if url:
            entry["purl"] = url
        components.append(entry)
    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "component": {
                "type": "application",
                "bom-ref": "installer",
                "name": app["name"],
                "version": app["version"],
                "licenses": [licence_entry(app["licence"])],
                "hashes": [{"alg": "SHA-256", "content": sha256(installer)}],
                "properties": [{"name": "ecip:installer", "value": installer.name}],
            },
        },
        "components": components,
        "dependencies": [{"ref": "installer", "dependsOn": [c["bom-ref"] for c in components]}],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("installer", type=Path)
    parser.add_argument("inventory", type=Path)
    args = parser.parse_args(argv)
    inventory = json.loads(args.inventory.read_text(encoding="utf-8"))
    out = args.installer.with_name(args.installer.name + ".cdx.json")
    out.write_text(json.dumps(bill(args.installer, inventory), indent=1) + "\n", encoding="utf-8")
    print(f"bill of materials: {out.name} ({len(inventory['components'])} components)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
