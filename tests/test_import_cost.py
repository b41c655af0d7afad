"""``import iti_analytics`` loads no heavy library; names load on first use."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "sklearn", "matplotlib", "reportlab", "networkx", "scipy")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return set(out.stdout.split())


def test_import_loads_no_heavy_library():
    loaded = _modules_after("import iti_analytics")
    assert not {m for m in HEAVY if m in loaded}


def test_a_name_loads_its_stage_only_when_used():
    loaded = _modules_after("import iti_analytics as iti; iti.as_dataset")
    assert "pandas" in loaded
    assert "reportlab" not in loaded and "sklearn" not in loaded


def test_public_names_are_listed_and_reachable():
    import iti_analytics as iti

    assert set(iti.__all__) <= set(dir(iti))
    for name in iti.__all__:
        assert getattr(iti, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        iti.nothing_here  # noqa: B018


def test_not_fitted_error_is_still_scikit_learns():
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    import iti_analytics as iti

    assert issubclass(iti.NotFittedError, SklearnNotFittedError)
    assert issubclass(iti.NotFittedError, iti.ITIError)
    assert iti.NotFittedError is iti.exceptions.NotFittedError
