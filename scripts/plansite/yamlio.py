"""YAML that remembers where each value came from, so errors can name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DataError(Exception):
    """Bad input: carries the file, the line and what is wrong."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class Mapping(dict):
    """A YAML mapping with the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        # Plain data needs no anchors (&name) or aliases (*name), and nested aliases
        # ("billion laughs") can make a few lines expand into gigabytes.
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DataError(
                self.name,
                event.start_mark.line + 1,
                "YAML anchors and aliases (&name, *name) are not allowed: write the value out in full",
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise DataError(loader.name, key_node.start_mark.line + 1, f"key {key!r} must be text")
        if key in result:
            raise DataError(loader.name, key_node.start_mark.line + 1, f"duplicate key '{key}'")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text: a reader's "2020-05-01" must not turn into another type by accident.
_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; syntax errors become DataError with the line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(name, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    loader = _LineLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.problem_mark and exc.problem_mark.index >= len(text.rstrip()):
            # Something left open (a quote, a bracket) runs to the end of the file: the
            # place to look is where it was opened, not the end.
            mark = exc.context_mark
            problem += f" (it runs to the end of the file, line {exc.problem_mark.line + 1})"
        opened = _multiline_quote_before(text, exc.problem_mark)
        if opened is not None and mark is not None and opened < mark.line:
            # A quote left open swallows the lines after it until the next quote mark,
            # where the parser finally stumbles: name the line where it was opened.
            problem += f" (at line {mark.line + 1}; a quoted text opened on line {opened + 1} runs on to there: is its closing quote missing?)"
            mark = yaml.Mark(name, 0, opened, 0, None, None)
        line = mark.line + 1 if mark else None
        raise DataError(name, line, f"malformed YAML: {problem}") from None
    finally:
        loader.dispose()


def _multiline_quote_before(text: str, mark: yaml.Mark | None) -> int | None:
    """The 0-based line of the last quoted scalar before `mark` that spans lines, if any."""
    if mark is None:
        return None
    opened = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                opened = token.start_mark.line if token.end_mark.line > token.start_mark.line else None
    except yaml.YAMLError:
        pass
    return opened


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_presenter)


def dump(data: Any) -> str:
    """YAML as an editor likes it: keys in order, Chinese unescaped, no folding."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
