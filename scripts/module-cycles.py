#!/usr/bin/env python3
"""Finds pairs of modules of one crate that import each other.

Every `crate::a::b`, `super::x` and relative `x::y` path in a module's file is resolved to
the deepest module it names; a module that names another, which names it back, is a cycle.
A module and its ancestors count as one facade (a parent re-exports its children, a child
uses what its parent declares), so only modules that are not nested in each other pair up.
Exits non-zero when any pair is found.
"""
import re
import sys
from pathlib import Path


def module_path(src: Path, file: Path) -> tuple:
    rel = file.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("lib", "main", "mod"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def reexports(text: str, me: tuple) -> dict:
    """Names a module re-exports (`pub use a::B;`), with the path they come from."""
    out = {}
    for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
        for path in expand(m.group(1).strip()):
            name = path.split("::")[-1]
            if name != "*":
                out[name] = path
    return out


def references(text: str, me: tuple):
    """Module paths named by `crate::…` and `super::…` paths, including inside `use` trees."""
    out = set()
    # Expand `use a::{b, c::d}` trees into flat paths first.
    for m in re.finditer(r"\buse\s+([^;]+);", text):
        for path in expand(m.group(1).strip()):
            out.add(path)
    for m in re.finditer(r"\b((?:crate|super)(?:::\w+)+)", text):
        out.add(m.group(1))
    out = {p[len("self::"):] if p.startswith("self::") else p for p in out}
    resolved = set()
    for p in out:
        parts = p.split("::")
        if parts[0] == "crate":
            base, rest = (), parts[1:]
        elif parts[0] not in ("super", "self"):
            # A relative path: from the module itself (its children).
            base, rest = me, parts
        elif parts[0] == "super":
            base = me
            while parts and parts[0] == "super":
                base = base[:-1]
                parts = parts[1:]
            rest = parts
        else:
            continue
        resolved.add((base, tuple(rest)))
    return resolved


def expand(tree: str):
    tree = re.sub(r"\s+", "", tree)
    if "{" not in tree:
        yield tree.split(" as ")[0]
        return
    head, _, body = tree.partition("{")
    body = body[: body.rfind("}")]
    depth, item, items = 0, "", []
    for ch in body:
        if ch == "," and depth == 0:
            items.append(item)
            item = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        item += ch
    items.append(item)
    for it in items:
        if it and it != "self":
            yield from expand(head + it)
        elif it == "self":
            yield head.rstrip(":")


def related(a: tuple, b: tuple) -> bool:
    """Whether one module is an ancestor of the other."""
    return a[: len(b)] == b or b[: len(a)] == a


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    found = []
    for src in sorted(root.glob("crates/*/src")) + [root / "migrations/src"]:
        files = sorted(src.rglob("*.rs"))
        modules = {module_path(src, f): f for f in files}
        edges = {m: set() for m in modules}
        raw = {m: strip_comments(f.read_text()) for m, f in modules.items()}
        # Test code is not part of the layering: modules declared under #[cfg(test)] are
        # left out, and so is each file's text from its first #[cfg(test)] on.
        test_only = set()
        for m, text in raw.items():
            for t in re.finditer(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text):
                test_only.add(m + (t.group(1),))
        modules = {m: f for m, f in modules.items() if m not in test_only}
        edges = {m: set() for m in modules}
        texts = {m: raw[m].split("#[cfg(test)]")[0] for m in modules}
        exported = {m: reexports(t, m) for m, t in texts.items()}

        def resolve(base, rest, seen=0):
            """The deepest module named by base + rest, following re-exports."""
            target = base
            for i, part in enumerate(rest):
                if target + (part,) in modules:
                    target = target + (part,)
                    continue
                path = exported.get(target, {}).get(part)
                if path and seen < 8:
                    for b, r in references("use " + path + ";", target):
                        return resolve(b, r, seen + 1)
                break
            return target

        for mod, text in texts.items():
            for base, rest in references(text, mod):
                target = resolve(base, rest)
                # A module and its ancestors are one facade: a parent re-exports its
                # children, a child uses what its parent declares.
                if target != mod and not related(target, mod):
                    edges[mod].add(target)
        for a in modules:
            for b in edges[a]:
                if a < b and a in edges.get(b, ()):
                    found.append((src.parent.name, "::".join(a) or "(root)", "::".join(b) or "(root)"))
    for crate, a, b in found:
        print(f"{crate}: {a} <-> {b}")
    if found:
        print(f"{len(found)} pairs of modules import each other", file=sys.stderr)
        return 1
    print("no two modules of a crate import each other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
