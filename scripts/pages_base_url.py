"""Compare site.yaml's base_url with the GitHub Pages address: see
``generator/pages_base_url.py`` (``python -m generator.pages_base_url``).

Usage: python scripts/pages_base_url.py [--config site.yaml] PAGES_URL
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.pages_base_url import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
