"""Release-ready packaging, checked as a new user meets it: one version everywhere, an MIT license, a build without
warnings whose sdist carries its own tests, the test command without Node, the Claude Desktop bundle, server.json."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from finerworks_mcp import __version__
from finerworks_mcp.config import setting_names
from tests.support import node_tool

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MANIFEST = json.loads((ROOT / "mcpb" / "manifest.json").read_text(encoding="utf-8"))
SERVER_JSON = json.loads((ROOT / "server.json").read_text(encoding="utf-8"))


def test_one_version_source_and_an_spdx_mit_license() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "finerworks_mcp.__version__"}
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n\nCopyright (c) ")
    assert "finerworks-mcp contributors" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert MANIFEST["version"] == SERVER_JSON["version"] == SERVER_JSON["packages"][0]["version"] == __version__
    assert (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Changelog")


def _tracked(*folders: str) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", *folders],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {line for line in listed.stdout.splitlines() if (ROOT / line).is_file()}


@pytest.mark.slow
def test_the_build_has_no_warnings_and_the_sdist_carries_its_tests(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist): nothing to compare the sdist with")
    # From a clean copy of the tracked files (a build writes into its source tree), offline, with the build backend
    # the dev extra installed: no test touches the internet.
    source = tmp_path / "source"
    for name in _tracked():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    warnings = [line for line in output.splitlines() if re.search(r"\bwarning\b|deprecat", line, re.I)]
    assert warnings == []
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        prefix = f"finerworks_mcp-{__version__}/"
        shipped = {name.removeprefix(prefix) for name in archive.getnames()}
    needed = _tracked("tests", "bench", ".ci", "mcpb") | {"README.md", "LICENSE", "CHANGELOG.md", "server.json"}
    assert needed - shipped == set()
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"finerworks_mcp-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    assert f"Version: {__version__}" in metadata


@pytest.mark.slow
def test_install_node_tools_works_without_node_on_path(tmp_path: Path) -> None:
    # A copy of the script in a repository whose lock pins nothing, so npm (from the venv's Node wheel) runs offline.
    repo = tmp_path / "repo"
    (repo / ".ci" / "node").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "install-node-tools", repo / ".ci")
    package = {"name": "empty", "version": "0.0.0", "private": True}
    lock = {**package, "lockfileVersion": 3, "requires": True, "packages": {"": {"name": "empty", "version": "0.0.0"}}}
    (repo / ".ci" / "node" / "package.json").write_text(json.dumps(package), encoding="utf-8")
    (repo / ".ci" / "node" / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    (repo / ".venv").symlink_to(Path(sys.prefix))
    bin_dir = tmp_path / "bin"  # the shell's tools, and no node or npm
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "cmp", "rm", "mkdir", "cp", "env"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    done = subprocess.run(
        ["bash", str(repo / ".ci" / "install-node-tools")],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (repo / ".cache" / "node-tools" / "installed-package-lock.json").exists()


def test_the_bundle_manifest_asks_for_keys_as_secrets_and_the_environment_as_a_choice() -> None:
    config = MANIFEST["user_config"]
    assert config["web_api_key"]["sensitive"] is True
    assert config["app_key"]["sensitive"] is True
    assert config["environment"]["default"] == "simulator"
    for choice in ("simulator", "sandbox", "production"):
        assert choice in config["environment"]["description"]
    env = MANIFEST["server"]["mcp_config"]["env"]
    assert set(env) <= set(setting_names())
    assert {value.removeprefix("${user_config.").removesuffix("}") for value in env.values()} == set(config)


@pytest.mark.slow
def test_the_bundle_validates_and_builds_with_the_official_mcpb_tool(tmp_path: Path) -> None:
    mcpb = node_tool("mcpb")
    validated = subprocess.run(
        [str(mcpb), "validate", str(ROOT / "mcpb" / "manifest.json")], capture_output=True, text=True, check=False
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    bundle = tmp_path / "finerworks-mcp.mcpb"
    env = {**os.environ, "PATH": f"{mcpb.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    built = subprocess.run(
        ["bash", str(ROOT / "mcpb" / "build"), str(bundle)], capture_output=True, text=True, env=env, timeout=300,
        check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        packed = json.loads(archive.read("manifest.json"))
    assert {"manifest.json", "pyproject.toml", "README.md", "LICENSE", "finerworks_mcp/__main__.py"} <= names
    assert not any("__pycache__" in name for name in names)
    assert packed["version"] == __version__


def test_server_json_has_the_fields_the_registry_documents() -> None:
    # The registry's schema is not published on a package registry; these are the fields its documentation requires.
    entry = SERVER_JSON
    assert entry["$schema"].startswith("https://static.modelcontextprotocol.io/schemas/")
    assert re.fullmatch(r"[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+", entry["name"])
    assert 1 <= len(entry["description"]) <= 100
    (package,) = entry["packages"]
    assert package["registryType"] == "pypi"
    assert package["identifier"] == PYPROJECT["project"]["name"]
    assert package["transport"] == {"type": "stdio"}
    variables = {variable["name"]: variable for variable in package["environmentVariables"]}
    assert set(variables) <= set(setting_names())
    assert variables["FINERWORKS_WEB_API_KEY"]["isSecret"] is True
    assert variables["FINERWORKS_APP_KEY"]["isSecret"] is True
    assert set(variables["FINERWORKS_ENV"]["choices"]) == {"simulator", "sandbox", "production"}
    # PyPI ownership is proved by the name appearing in the package's README.
    assert f"mcp-name: {entry['name']}" in (ROOT / "README.md").read_text(encoding="utf-8")
