#!/usr/bin/python3
"""The tree as the READMEs describe it, so that neither can drift from the other.

- README.md's layout table names every folder of the tree, and nothing that is not there; every
  file it names exists.
- Every source folder (lib/*, app/ and its rooms, ctl/) has a README.md that names each of its
  source files.
- app/README.md orders the rooms: a room includes only itself, the rooms below it and lib/;
  lib/siit/ includes no other folder; nothing in lib/ includes a DPDK header; ctl/ includes nothing
  of app/.

Prints "ok layout ..." or "FAIL layout ..." per check, then "layout: N passed, N failed".
"""
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok layout {what}")
    else:
        failed += 1
        print(f"FAIL layout {what}: {detail}")


def read(path):
    with open(os.path.join(root, path)) as f:
        return f.read()


tracked = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True,
                         check=True).stdout.split()
# A file of the tree: tracked, or new and not yet added (the check runs before a commit too).
untracked = subprocess.run(["git", "-C", root, "ls-files", "--others", "--exclude-standard"],
                           capture_output=True, text=True, check=True).stdout.split()
files = sorted(set(tracked) | set(untracked))
files = [f for f in files if os.path.exists(os.path.join(root, f))]


def folders(depth):
    return {"/".join(f.split("/")[:depth]) for f in files if f.count("/") >= depth}


# Folders the table lists: every top-level folder; for lib/, app/ and tests/, their folders
# instead (lib/ and tests/ hold nothing else; app/ holds main.cpp as well, so it is listed too).
# Not listed: the CI script's folder, debian/source, docs/man, and each golden scenario of pcaps/.
grouped = {"lib", "app", "tests"}
expected = {d for d in folders(1) if not d.startswith(".") and d not in grouped - {"app"}}
expected |= {d for d in folders(2) if d.split("/")[0] in grouped}

layout = read("README.md").split("## Layout", 1)[1].split("\n## ", 1)[0]
rows = [line for line in layout.splitlines() if line.startswith("| `")]
listed = {}
for row in rows:
    cells = row.split("|")
    row_folders = [path.rstrip("/") for path in re.findall(r"`([^`]+)`", cells[1])]
    for folder in row_folders:
        listed[folder] = (row_folders, cells[2])
check(set(listed) >= expected, "README.md's layout table names every folder",
      ", ".join(sorted(expected - set(listed))))
check(set(listed) <= expected | {"lib", "tests"}, "README.md's layout table names only folders of the tree",
      ", ".join(sorted(set(listed) - expected)))

# A file named in a row is in one of that row's folders, or a path from the top.
missing = []
for row_folders, text in {id(v): v for v in listed.values()}.values():
    for name in re.findall(r"`([^` ]+\.(?:cpp|hpp|py|sh|md|txt|json|in|sysusers|allowlist))`", text):
        places = [os.path.join(root, folder, name) for folder in row_folders] + [os.path.join(root, name)]
        if not any(os.path.exists(place) for place in places):
            missing.append(f"{row_folders[0]}: {name}")
check(not missing, "every file README.md's layout table names exists", "; ".join(missing))

# Every source folder's README.md names each of its source files (a .cpp and its .hpp as one).
source_folders = sorted({os.path.dirname(f) for f in files
                         if f.split("/")[0] in ("lib", "app", "ctl") and f.endswith((".cpp", ".hpp"))})
for folder in source_folders:
    readme = os.path.join(folder, "README.md")
    if readme not in files:
        check(False, f"{folder}/ has a README.md", "none")
        continue
    text = read(readme)
    named = set(re.findall(r"`([\w.]+\.(?:cpp|hpp))`", text))
    stems = {}
    for f in files:
        if os.path.dirname(f) == folder and f.endswith((".cpp", ".hpp")):
            name = os.path.basename(f)
            stems.setdefault(name.rsplit(".", 1)[0], set()).add(name)
    unnamed = sorted(min(names) for names in stems.values() if not names & named)
    gone = sorted(n for n in named if n.rsplit(".", 1)[0] not in stems)
    check(not unnamed and not gone, f"{folder}/README.md names every source file there and no other",
          f"not named: {', '.join(unnamed)}; named but absent: {', '.join(gone)}")

# app/README.md's rooms, lowest first, as a numbered list "1. `config/`: ...".
rooms = re.findall(r"^\d+\. `(\w+)/`", read("app/README.md"), re.M)
actual_rooms = {d.split("/")[1] for d in folders(2) if d.startswith("app/")}
check(rooms and set(rooms) == actual_rooms, "app/README.md orders every room of app/",
      f"listed {rooms}, tree {sorted(actual_rooms)}")

include = re.compile(r'^#include ([<"])([^">]+)[">]', re.M)
up = []
for f in files:
    if not f.endswith((".cpp", ".hpp")):
        continue
    parts = f.split("/")
    for delimiter, target in include.findall(read(f)):
        if delimiter == "<":
            if parts[0] == "lib" and target.startswith(("rte_", "dpdk/")):
                up.append(f"{f} includes DPDK's {target}")
            continue
        top = target.split("/")[0] if "/" in target else None
        if parts[0] == "lib":
            if parts[1] == "siit" and top not in (None, "siit"):
                up.append(f"{f} includes {target}")
        elif parts[0] == "ctl":
            if top in actual_rooms:
                up.append(f"{f} includes app's {target}")
        elif parts[0] == "app" and len(parts) == 3 and top in actual_rooms:
            if rooms.index(top) > rooms.index(parts[1]):
                up.append(f"{f} includes {target}, a room above {parts[1]}/")
check(not up, "no include points up (lib/ below app/ and ctl/, app/'s rooms in their order)", "; ".join(up))

print(f"layout: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
