#!/usr/bin/env python3
"""Fails when a source file under src/ is over 500 lines or a function over 80.

The limits of issue #10: big files and long functions are where concepts
mix. A file may exceed them only if its header comment says why, on a line
"Size: <reason>" within its first 30 lines; the reason is printed with it.

Functions are found as a C++ reader would by eye, without a parser: a line at
namespace or class-member depth that opens a brace after a parameter list
(not a control statement, not an initialiser), up to its matching close.
Comments and string literals are blanked first so braces in them do not count.

    sizes.py [SOURCE_DIR]
"""
import os
import re
import sys

MAX_FILE, MAX_FUNCTION = 500, 80
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|return|namespace|class|struct|union|enum)\b")


def blank(text):
    """Comments and string/char literals replaced by spaces, newlines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (j + 1 - i)); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)


def functions(text):
    """(first line, length) of each function body at namespace or member depth."""
    lines = blank(text).split("\n")
    found, depth, kinds = [], 0, []  # kinds: what each open brace is ("scope" or "function" or "other")
    start = None
    for no, line in enumerate(lines, 1):
        for k, ch in enumerate(line):
            if ch == "{":
                head = line[:k]
                in_scope = all(x == "scope" for x in kinds)
                is_function = in_scope and ")" in head and not CONTROL.match(line) and "=" not in head.split("(")[0]
                if in_scope and re.search(r"\b(namespace|class|struct|union)\b[^;()]*$", head):
                    kinds.append("scope")
                elif is_function or (in_scope and head.strip() == "" and no > 1 and lines[no - 2].rstrip().endswith(")")):
                    kinds.append("function"); start = no
                else:
                    kinds.append("other")
            elif ch == "}" and kinds:
                if kinds.pop() == "function":
                    found.append((start, no - start + 1))
    return found


def check(source_dir):
    problems, exempt = [], []
    src = os.path.join(source_dir, "src")
    for root, _, files in sorted(os.walk(src)):
        for name in sorted(files):
            if not name.endswith((".cpp", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, source_dir)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            reason = re.search(r"^//.*\bSize: (.+)$", "\n".join(text.split("\n")[:30]), re.M)
            n = text.count("\n")
            over = []
            if n > MAX_FILE:
                over.append(f"{rel}: {n} lines (over {MAX_FILE})")
            for line, length in functions(text):
                if length > MAX_FUNCTION:
                    over.append(f"{rel}:{line}: a function of {length} lines (over {MAX_FUNCTION})")
            if over and reason:
                exempt += [f"{o} — {reason.group(1)}" for o in over]
            else:
                problems += over
    return problems, exempt


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    problems, exempt = check(source_dir)
    for e in exempt:
        print("allowed:", e)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} over the size limits (a 'Size: why' line in the file's header comment allows it)",
              file=sys.stderr)
        return 1
    print(f"sizes: every file within {MAX_FILE} lines and every function within {MAX_FUNCTION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
