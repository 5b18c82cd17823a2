"""What a web worker loads: the demo's pinyin tables (~57 MB) only where a script is aligned
(the demo's job), not in every gunicorn worker. bench/worker_memory.py prints the figures."""

from __future__ import annotations

import subprocess
import sys

from academy.config import ROOT

PROBE = """
import sys
from academy import create_app
from academy.insights.text import align  # what the demo job registered at start imports
from academy.insights.types import Segment
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "probe"})
print("pypinyin" in sys.modules)
align.align_script("第一讲。", [Segment(0.0, 2.0, "第一讲")], duration=2.0)
print("pypinyin" in sys.modules)
"""


def test_a_web_worker_loads_the_pinyin_tables_only_when_it_aligns_a_script():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]
