"""The README's two commands are the contract with newcomers and with CI."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)


def test_readme_opens_with_two_commands():
    install_and_run, install_and_test = _readme_commands()[:2]
    assert "--sample" in install_and_run and install_and_run.startswith("python -m pip")
    assert "pytest" in install_and_test and ".[test]" in install_and_test


def test_ci_runs_the_readme_test_command():
    test_command = _readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.replace("--quiet ", "") in ci.replace("--quiet ", "")
