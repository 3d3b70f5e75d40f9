#!/usr/bin/env python3
"""Fails when the code crosses the layering of docs/architecture.md §2.

Each directory under src/ is a layer. The table in docs/architecture.md (the
rows after the "layering:" marker) says which layers each may include, and
which tokens must not appear in its sources. This reads that table and every
source file, and prints one line per violation: an #include of a layer not
allowed, a banned token, or a directory under src/ the table does not know.

    check.py [SOURCE_DIR]     # default: the tree this file is in
    check.py --self-test      # plants an upward include and a banned token in
                              # a copy of the tree: both must be reported
"""
import os
import re
import shutil
import sys
import tempfile


def read_matrix(doc):
    rows, in_table = {}, False
    with open(doc, encoding="utf-8") as f:
        for line in f:
            if "layering:" in line:
                in_table = True
                continue
            if not in_table:
                continue
            if not line.startswith("|"):
                if rows:
                    break
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] in ("layer", "") or set(cells[0]) <= set("-"):
                continue
            allowed = {x.strip() for x in cells[1].split(",") if x.strip()}
            banned = [x.strip() for x in cells[2].split(",") if x.strip()]
            rows[cells[0]] = (allowed, banned)
    if not rows:
        sys.exit(f"{doc}: no layering table found")
    return rows


INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def check(source_dir):
    matrix = read_matrix(os.path.join(source_dir, "docs", "architecture.md"))
    src = os.path.join(source_dir, "src")
    problems = []
    for layer in sorted(os.listdir(src)):
        path = os.path.join(src, layer)
        if not os.path.isdir(path):
            continue
        if layer not in matrix:
            problems.append(f"src/{layer}: a directory the layering table does not name")
            continue
        allowed, banned = matrix[layer]
        for name in sorted(os.listdir(path)):
            if not name.endswith((".h", ".cpp")):
                continue
            rel = f"src/{layer}/{name}"
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                if m.group(1) not in allowed:
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:{line}: includes {m.group(1)}/, which {layer}/ may not use")
            code = strip_comments(text)
            for token in banned:
                for m in re.finditer(r"\b" + re.escape(token) + r"\b", code):
                    line = code.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:~{line}: '{token.strip()}' is not allowed in {layer}/")
    return problems


def self_test(source_dir):
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(os.path.join(source_dir, "docs"), os.path.join(tmp, "docs"))
        shutil.copytree(os.path.join(source_dir, "src"), os.path.join(tmp, "src"))
        if check(tmp):
            print("self-test: the tree itself is not clean", file=sys.stderr)
            return 1
        with open(os.path.join(tmp, "src", "core", "planted.h"), "w") as f:
            f.write('#include "store/store.h"\n')
        with open(os.path.join(tmp, "src", "cli", "planted.cpp"), "w") as f:
            f.write('void f() { Transaction tx(db); run("runc"); }\n')
        found = check(tmp)
        want = ["src/core/planted.h:1: includes store/",
                "src/cli/planted.cpp:~1: 'Transaction'", "src/cli/planted.cpp:~1: 'runc'"]
        missing = [w for w in want if not any(p.startswith(w) for p in found)]
        if missing or len(found) != len(want):
            print(f"self-test: expected {want}, got {found}", file=sys.stderr)
            return 1
    print("layering self-test: a planted upward include and banned tokens are reported")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    problems = check(source_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s): see docs/architecture.md §2", file=sys.stderr)
        return 1
    print("layering: every include and token within docs/architecture.md §2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
