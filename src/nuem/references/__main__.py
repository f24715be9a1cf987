"""``python -m nuem.references > docs/bibliography.md`` regenerates the bibliography page."""

import sys

from nuem.references import bibliography_markdown

sys.stdout.write(bibliography_markdown())
