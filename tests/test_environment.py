"""The environment files agree: pyproject.toml, environment.yml and the lock files."""

from __future__ import annotations

import re
import tomllib

import yaml

from sectorplannen import paths


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps += extra
    pins = {}
    for dep in deps:
        name, _, version = dep.partition("==")
        assert version, f"pyproject.toml: {dep!r} is not pinned with =="
        pins[name.lower()] = version
    return pins


def test_environment_yml_lists_the_pyproject_packages_and_versions():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=", 1)
            conda[name.lower()] = version
    assert conda == _pyproject_pins()
    assert "python=3.11" in env["dependencies"]


def test_lock_files_pin_the_same_versions():
    pins = _pyproject_pins()
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    lab_only = {d.partition("==")[0].lower() for d in project["optional-dependencies"]["lab"]}
    for lock, expected in (
        ("requirements.lock", {k: v for k, v in pins.items() if k not in lab_only}),
        ("requirements-lab.lock", pins),
    ):
        text = (paths.ROOT / lock).read_text()
        locked = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text, flags=re.M))
        locked = {k.lower(): v for k, v in locked.items()}
        for name, version in expected.items():
            assert locked.get(name) == version, f"{lock}: {name} is {locked.get(name)}, pyproject {version}"
        assert "--hash=sha256:" in text, f"{lock} has no hashes"
