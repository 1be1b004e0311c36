import collections
import re

import docx

D = "/work/shared/data/raw/upr-slovenia-docs/thematic-lists/"
F = {
    2: "cycle2_UPR20_Slovenia_thematic_list.docx",
    3: "cycle3_UPR34_Slovenia_thematic_list.docx",
    4: "cycle4_UPR48_Slovenia_thematic_list.docx",
}


def parse(cycle):
    d = docx.Document(D + F[cycle])
    t = d.tables[0]
    recs = {}
    for r in t.rows[1:]:
        cells = [c.text for c in r.cells]
        if cells[0].startswith("Theme:"):
            continue
        m = re.match(r"\s*(\d+\.\d+)\s+(.*)", cells[0], re.S)
        if not m:
            continue
        para = m.group(1)
        if para in recs:
            continue
        themes = []
        groups = []
        sdgs = []
        mode = "t"
        lab = cells[2] + ("\nSDGs:\n" + cells[3] if cycle == 4 else "")
        for line in lab.split("\n"):
            s = line.strip()
            if not s:
                continue
            if re.match(r"(Affected persons|Groups of Persons)\s*:", s, re.I):
                mode = "g"
                continue
            if re.match(r"SDGs\s*:", s, re.I):
                mode = "s"
                continue
            s = s.lstrip("- ").strip()
            if not s:
                continue
            {"t": themes, "g": groups, "s": sdgs}[mode].append(s)
        recs[para] = dict(text=m.group(2), themes=themes, groups=groups, sdgs=sdgs)
    return recs


if __name__ == "__main__":
    for c in (2, 3, 4):
        R = parse(c)
        print("cycle", c, len(R))
        for k in ("themes", "groups", "sdgs"):
            cnt = collections.Counter(x for r in R.values() for x in r[k])
            print(" ", k, len(cnt))
            for n, v in sorted(cnt.items()):
                print("     ", repr(n), v)
