"""yamltext: YAML read as typed (1.2 core scalars), with line numbers and bounded aliases."""
from __future__ import annotations

import math

import pytest

from newsarchive import yamltext


def value(text: str):
    return yamltext.to_python(yamltext.compose(f"v: {text}\n"))["v"]


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("42", 42), ("-7", -7), ("+3", 3), ("0o17", 15), ("0x1F", 31),
    ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1e3", 1000.0), ("2.5E-1", 0.25),
    (".inf", math.inf), ("-.Inf", -math.inf),
])
def test_core_schema_scalars_take_their_yaml_1_2_type(text, expected):
    result = value(text)
    assert result == expected and type(result) is type(expected)


def test_nan_is_a_float_nan():
    assert math.isnan(value(".nan"))


@pytest.mark.parametrize("text", ["NO", "no", "yes", "Yes", "on", "OFF", "y", "n"])
def test_yaml_1_1_booleans_stay_text(text):
    assert value(text) == text


@pytest.mark.parametrize("text", ["1984.10.01", "2021-05-15", "2021-05-15T10:30:00+04:30", "12:30", "1_000", "0b101", "017x", "1,5"])
def test_yaml_1_1_numbers_dates_and_sexagesimals_stay_text(text):
    assert value(text) == text


@pytest.mark.parametrize("text, expected", [('"true"', "true"), ("'42'", "42"), ('"null"', "null"), ("'1.5'", "1.5"), ('""', ""), ('"NO"', "NO")])
def test_quoted_scalars_stay_text(text, expected):
    assert value(text) == expected


def test_scalar_text_is_exactly_as_typed():
    root = yamltext.compose("a: 1984.10\nb: 007\nc: NO\n")
    assert [yamltext.scalar_text(v) for _, _, v in yamltext.mapping_items(root)] == ["1984.10", "007", "NO"]


def test_scalar_text_of_a_list_is_none():
    root = yamltext.compose("a: [x]\n")
    assert yamltext.scalar_text(yamltext.mapping_items(root)[0][2]) is None


def test_is_plain_tells_quoted_from_plain():
    root = yamltext.compose("a: x\nb: 'x'\nc: \"x\"\nd: |\n  x\n")
    assert [yamltext.is_plain(v) for _, _, v in yamltext.mapping_items(root)] == [True, False, False, False]


def test_nested_values_convert_recursively():
    assert yamltext.to_python(yamltext.compose("a: [1, NO, {b: null, c: '2'}]\n")) == {"a": [1, "NO", {"b": None, "c": "2"}]}


def test_line_of_counts_from_one():
    root = yamltext.compose("a: 1\n\nb: 2\n")
    assert [yamltext.line_of(k) for _, k, _ in yamltext.mapping_items(root)] == [1, 3]


def test_first_line_shifts_every_line_to_the_files_own():
    root = yamltext.compose("a: 1\nb: 2\n", first_line=2)
    assert [yamltext.line_of(k) for _, k, _ in yamltext.mapping_items(root)] == [2, 3]


def test_empty_text_composes_to_none():
    assert yamltext.compose("") is None
    assert yamltext.compose("# only a comment\n") is None


def test_is_mapping():
    assert yamltext.is_mapping(yamltext.compose("a: 1"))
    assert not yamltext.is_mapping(yamltext.compose("- a"))


def test_duplicate_key_is_rejected_naming_both_lines():
    root = yamltext.compose("title: A\ndate: 2021-01-01\ntitle: B\n")
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.mapping_items(root)
    assert info.value.message == "key 'title' appears twice (first on line 1)"
    assert info.value.line == 3


def test_duplicate_key_lines_follow_first_line():
    root = yamltext.compose("title: A\ntitle: B\n", first_line=2)
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.mapping_items(root)
    assert info.value.message == "key 'title' appears twice (first on line 2)"
    assert info.value.line == 3


def test_duplicate_key_in_a_nested_mapping_is_rejected_too():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.to_python(yamltext.compose("extra:\n  a: 1\n  a: 2\n"))
    assert info.value.message == "key 'a' appears twice (first on line 2)"
    assert info.value.line == 3


def test_a_key_that_is_a_list_is_rejected():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.mapping_items(yamltext.compose("? [a, b]\n: 1\n"))
    assert info.value.message == "a key must be plain text"
    assert info.value.line == 1


def test_syntax_error_carries_the_line_where_the_construct_starts():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.compose("title: X\ntags: [a, b\ndate: 2021\n")
    assert info.value.line == 2
    assert "flow sequence" in info.value.message


def test_syntax_error_line_follows_first_line():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.compose("title: X\ntags: [a, b\n", first_line=2)
    assert info.value.line == 3


def test_bad_indentation_names_its_line():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.compose("a: 1\nb: x: y\n")
    assert info.value.line == 2
    assert info.value.message == "mapping values are not allowed in this context"


def test_control_character_names_its_line():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.compose("a: 1\nb: x\x01y\n", first_line=2)
    assert info.value.message == "unacceptable character U+0001: control characters are not allowed"
    assert info.value.line == 3


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_are_spaces_not_line_breaks(char):
    root = yamltext.compose(f"a: A{char}B\nb: 'C{char}D'\nc: 3\n")
    assert yamltext.to_python(root) == {"a": "A B", "b": "C D", "c": 3}
    assert [yamltext.line_of(k) for _, k, _ in yamltext.mapping_items(root)] == [1, 2, 3]


def test_two_documents_are_an_error():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.compose("a: 1\n---\nb: 2\n")
    assert "single document" in info.value.message


def test_undefined_alias_is_an_error_with_line():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.compose("a: 1\nb: *nope\n")
    assert info.value.line == 2
    assert "undefined alias" in info.value.message


def test_aliases_expand_within_the_budget():
    assert yamltext.to_python(yamltext.compose("a: &x [1, 2]\nb: *x\n")) == {"a": [1, 2], "b": [1, 2]}


def billion_laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_stops_at_max_nodes():
    root = yamltext.compose(billion_laughs(9))
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.to_python(root)
    assert info.value.message == f"too many values (more than {yamltext.MAX_NODES}); aliases expanding?"
    assert info.value.line is not None


def test_alias_inside_its_own_anchor_is_an_error_not_a_recursion_crash():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.to_python(yamltext.compose("a: 1\nb: &x [*x]\n"))
    assert info.value.message == "an alias refers to the value that contains it"
    assert info.value.line == 2


def test_self_referencing_mapping_is_an_error():
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.to_python(yamltext.compose("a: &x {b: *x}\n"))
    assert info.value.message == "an alias refers to the value that contains it"


def test_deep_nesting_is_an_error_not_a_recursion_crash():
    depth = 400
    with pytest.raises(yamltext.YamlSyntaxError) as info:
        yamltext.to_python(yamltext.compose("[" * depth + "]" * depth))
    assert info.value.message == f"values nested more than {yamltext.MAX_DEPTH} levels deep"


def test_nesting_up_to_max_depth_is_fine():
    depth = yamltext.MAX_DEPTH
    result = yamltext.to_python(yamltext.compose("[" * depth + "]" * depth))
    for _ in range(depth - 1):
        result = result[0]
    assert result == []
