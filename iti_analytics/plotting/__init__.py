"""Charts, one function per figure, seaborn-style: ``data`` first, ``ax=None``, returns Axes.

A briefing only assembles these figures, so every chart is testable alone.
"""

from __future__ import annotations

__all__: list[str] = []
