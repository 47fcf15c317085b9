"""YAML read the way users mean it: node-level access with line numbers.

PyYAML's default resolvers follow YAML 1.1, which turns the tag `NO` into False,
`1984` into an int and converts dated offsets to UTC. We compose the node tree
instead and decide per key: text fields take the scalar exactly as typed, other
values follow the smaller YAML 1.2 core schema (true/false, null, numbers).
"""
from __future__ import annotations

import re
import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

MAX_NODES = 10_000

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based, relative to the parsed text


def compose(text: str) -> yaml.Node | None:
    """Parse YAML text to its node tree, or raise YamlSyntaxError with a line."""
    try:
        return yaml.compose(text, Loader=_Loader)
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
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    if text in (".inf", "+.inf", ".Inf", "+.Inf"):
        return float("inf")
    if text in ("-.inf", "-.Inf"):
        return float("-inf")
    return text


def to_python(node: yaml.Node, _budget: list[int] | None = None):
    """Whole subtree to plain Python (dict/list/str/int/float/bool/None)."""
    budget = _budget if _budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlSyntaxError(f"too many values (more than {MAX_NODES}); aliases expanding?", line_of(node))
    if isinstance(node, yaml.ScalarNode):
        return plain_value(node)
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item, budget) for item in node.value]
    result = {}
    for key_node, value_node in node.value:
        key = scalar_text(key_node)
        if key is None:
            raise YamlSyntaxError("a key must be plain text", line_of(key_node))
        result[key] = to_python(value_node, budget)
    return result


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
