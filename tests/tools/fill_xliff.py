"""Fills every unit of an XLIFF 1.2 file through Translate Toolkit's API, as a CAT tool would.

Usage: fill_xliff.py IN.xlf OUT.xlf PREFIX

Each target becomes PREFIX followed by the source, placeholders (<x/>) kept where they are
(Translate Toolkit's rich strings carry them), and is marked translated (not fuzzy), so that
the import takes the page as done. Prints the number of units filled.
"""

import sys

from translate.storage import xliff
from translate.storage.placeables import StringElem


def main() -> None:
    source, out, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
    store = xliff.xlifffile.parsefile(source)
    filled = 0
    for unit in store.units:
        if unit.isheader():
            continue
        rich = unit.rich_source[0]
        unit.rich_target = [StringElem([prefix, *rich.sub])]
        unit.markfuzzy(False)
        # A reviewed unit: needs-review-translation becomes translated.
        target = unit.xmlelement.find(unit.namespaced("target"))
        target.set("state", "translated")
        filled += 1
    store.savefile(out)
    print(filled)


if __name__ == "__main__":
    main()
