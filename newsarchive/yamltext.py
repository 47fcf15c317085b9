"""YAML read the way users mean it: node-level access with line numbers.

PyYAML's default resolvers follow YAML 1.1, which turns the tag `NO` into False,
`1984` into an int and converts dated offsets to UTC. We compose the node tree
instead and decide per key: text fields take the scalar exactly as typed, other
values follow the smaller YAML 1.2 core schema (true/false, null, numbers).
"""
from __future__ import annotations

import re
import yaml

_DEFAULT_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}


class _UntaggedResolver(yaml.resolver.BaseResolver):
    """Leaves implicit tags at their defaults: `plain_value` reads scalars itself (YAML 1.2
    core), so PyYAML's YAML 1.1 guess for every scalar would be work thrown away."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]


try:
    from yaml.cyaml import CParser

    class _Loader(CParser, _UntaggedResolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            _UntaggedResolver.__init__(self)
except ImportError:  # pragma: no cover - PyYAML without libyaml
    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _UntaggedResolver):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _UntaggedResolver.__init__(self)

MAX_NODES = 10_000
MAX_DEPTH = 100

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_NOT_BREAKS = str.maketrans("\x85\u2028\u2029", "   ")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based, counted from compose's first_line


def compose(text: str, first_line: int = 1) -> yaml.Node | None:
    """Parse YAML text to its node tree, or raise YamlSyntaxError with a line.

    `first_line` is the line the text starts on in its file, so that every line
    number (marks, and the ones inside messages) is the file's own. U+0085,
    U+2028 and U+2029 (common in scraped text) are not line breaks in YAML 1.2
    nor in the file's line count, but PyYAML breaks lines there: they become spaces.
    """
    text = "\n" * (first_line - 1) + text.translate(_NOT_BREAKS)
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a control character pasted into a value: no mark, only a position
        line = text.count("\n", 0, exc.position) + 1
        raise YamlSyntaxError(f"unacceptable character U+{exc.character:04X}: {exc.reason}", line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark  # where the unfinished construct starts, when known
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        raise YamlSyntaxError(problem, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc).splitlines()[0], None) from None


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def is_mapping(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode)


def is_plain(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in (None, "")


def scalar_text(node: yaml.Node) -> str | None:
    """The scalar exactly as typed, or None when the node is not a scalar."""
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return None


def plain_value(node: yaml.ScalarNode):
    """Interpret a scalar with the YAML 1.2 core schema; quoted scalars stay text."""
    text = node.value
    if not is_plain(node):
        return text
    if node.tag == "tag:yaml.org,2002:null" or text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text) or _HEX.match(text):
        return int(text, 0)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    if text in (".inf", "+.inf", ".Inf", "+.Inf"):
        return float("inf")
    if text in ("-.inf", "-.Inf"):
        return float("-inf")
    if text in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return text


def to_python(node: yaml.Node, _budget: list[int] | None = None, _open: frozenset[int] = frozenset()):
    """Whole subtree to plain Python (dict/list/str/int/float/bool/None).

    Aliases share nodes, so a small text can expand without end: the node budget
    bounds that, and `_open` catches an alias inside its own anchor before the
    recursion limit does; MAX_DEPTH keeps deep nesting under that limit too.
    """
    budget = _budget if _budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlSyntaxError(f"too many values (more than {MAX_NODES}); aliases expanding?", line_of(node))
    if isinstance(node, yaml.ScalarNode):
        return plain_value(node)
    if id(node) in _open:
        raise YamlSyntaxError("an alias refers to the value that contains it", line_of(node))
    if len(_open) >= MAX_DEPTH:
        raise YamlSyntaxError(f"values nested more than {MAX_DEPTH} levels deep", line_of(node))
    inner = _open | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item, budget, inner) for item in node.value]
    return {key: to_python(value_node, budget, inner) for key, _, value_node in mapping_items(node)}


def mapping_items(node: yaml.Node) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """(key, key_node, value_node) for a mapping; raises when keys repeat."""
    items = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = scalar_text(key_node)
        if key is None:
            raise YamlSyntaxError("a key must be plain text", line_of(key_node))
        if key in seen:
            raise YamlSyntaxError(f"key '{key}' appears twice (first on line {seen[key]})", line_of(key_node))
        seen[key] = line_of(key_node)
        items.append((key, key_node, value_node))
    return items


def list_of_mappings(node: yaml.Node, line: int, name: str, error, *, list_hint: str, entry_message: str,
                     entry_hint: str | None = None) -> list[tuple[int, dict[str, tuple[yaml.Node, int]]]]:
    """The entries of a front-matter list of mappings (`corrections:`, `versions:`), each as
    (its line, {key: (value node, line of the key)}); `name:` with nothing after it gives none.
    A value that is not a list, an entry that is not a mapping, or one with a repeated key
    goes to `error(message, line, hint)` and is left out."""
    if isinstance(node, yaml.ScalarNode) and plain_value(node) is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        error(f"'{name}' must be a list", line, list_hint)
        return []
    entries = []
    for item in node.value:
        at = line_of(item)
        if not isinstance(item, yaml.MappingNode):
            error(entry_message, at, entry_hint)
            continue
        try:
            entries.append((at, {key: (value, line_of(key_node)) for key, key_node, value in mapping_items(item)}))
        except YamlSyntaxError as exc:
            error(f"invalid '{name}' entry: {exc.message}", exc.line)
    return entries
