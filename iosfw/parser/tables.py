"""The grammar compiled to plain LALR tables: built with Lark once per grammar version, then
loaded from a cache, so a run of iosfw never has to import Lark."""
from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path
from typing import Callable

SHIFT, REDUCE = 0, 1
FORMAT = 6


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "iosfw"


def compile_tables(text: str, starts: list[str]) -> dict:
    """Run Lark's LALR analysis and keep only what parsing and tree shaping need."""
    from lark import Lark

    # debug=True keeps the LR item sets, which say in which rule each expected token sits
    lark = Lark(text, parser="lalr", lexer="basic", start=starts, maybe_placeholders=True,
                debug=True)
    table = lark.parser.parser.parser.parse_table
    number = {closure: i for i, closure in enumerate(table.states)}
    rules, rule_index = [], {}

    def index_of(rule) -> int:
        """A rule as (origin, name, size, include, expand1, trailing Nones). `include` lists the
        children kept, each as (index, splice a `_rule`, Nones before it): an optional `[x]`
        the line left out stands as None in its place, as Lark's maybe_placeholders puts it,
        so that a handler finds each argument at the position the grammar gives it."""
        if rule not in rule_index:
            marks = rule.options.empty_indices or ()
            runs = [len(ones) for ones in "".join(str(int(b)) for b in marks).split("0")] \
                if marks else [0] * (len(rule.expansion) + 1)
            include, nones = [], 0
            for i, s in enumerate(rule.expansion):
                nones += runs[i]
                if rule.options.keep_all_tokens or not (s.is_term and s.filter_out):
                    include.append((i, (not s.is_term) and s.name.startswith("_"), nones))
                    nones = 0
            nones += runs[len(rule.expansion)]
            rule_index[rule] = len(rules)
            rules.append((str(rule.origin.name), str(rule.alias or rule.origin.name),
                          len(rule.expansion), tuple(include),
                          bool(rule.options.expand1 and not rule.alias), nones))
        return rule_index[rule]

    states, contexts = {}, {}
    for closure, actions in table.states.items():
        row = {}
        for symbol, (action, arg) in actions.items():
            if action.name == "Shift":
                row[str(symbol)] = (SHIFT, number[arg])
            else:
                row[str(symbol)] = (REDUCE, index_of(arg))
        states[number[closure]] = row
        context: dict[str, list] = {}
        for item in closure:
            if not item.is_satisfied and item.next.is_term:
                names = (str(item.rule.alias or ""), str(item.rule.origin.name))
                context.setdefault(str(item.next.name), [])
                if names not in context[str(item.next.name)]:
                    context[str(item.next.name)].append(names)
        contexts[number[closure]] = {k: tuple(v) for k, v in context.items()}
    terminals = {str(t.name): (str(t.pattern.type), str(t.pattern.value),
                               str(t.pattern.to_regexp()), int(t.priority)) for t in lark.terminals}
    return {"format": FORMAT, "states": states, "rules": rules, "contexts": contexts,
            "start_states": {str(k): number[v] for k, v in table.start_states.items()},
            "end_states": {str(k): number[v] for k, v in table.end_states.items()},
            "terminals": terminals,
            "phrases": sorted({str(r.alias or r.origin.name) for r in lark.rules
                               if r.options.keep_all_tokens})}


def load_tables(key: str, build: Callable[[], dict]) -> dict:
    """The tables cached under `key` (grammar.tables_key: what they were built from), or
    `build()`'s, then cached. The file's name is a checksum of the key and the file holds the
    key itself, so a stale or colliding file is never used."""
    path = cache_dir() / f"tables-{zlib.crc32(key.encode()):08x}.pickle"
    try:
        with open(path, "rb") as handle:
            tables = pickle.load(handle)
        if tables.get("format") == FORMAT and tables.get("key") == key:
            return tables
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    tables = build()
    tables["key"] = key
    try:
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tables-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # no writable cache: compile again next time
    return tables
