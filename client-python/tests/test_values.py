import dataclasses
import datetime
import decimal
import json
from collections import OrderedDict, namedtuple

from daebug import values
from daebug.values import encode


def roundtrip(v):
    """What the broker gets: the encoded tree through strict JSON."""
    return json.loads(json.dumps(encode(v), allow_nan=False))


def test_json_values_stay_plain_json():
    v = {"a": [1, 2.5, "x", None, True], "big": 2**100, "nested": {"b": []}}
    assert roundtrip(v) == v


def test_special_floats_are_tagged_numbers():
    assert roundtrip(float("nan")) == {"$daebug": "number", "repr": "nan"}
    assert roundtrip(float("inf")) == {"$daebug": "number", "repr": "inf"}
    assert roundtrip(float("-inf")) == {"$daebug": "number", "repr": "-inf"}
    assert roundtrip(-0.0) == {"$daebug": "number", "repr": "-0.0"}
    assert roundtrip(0.0) == 0.0


def test_tuples_sets_bytes():
    assert roundtrip((1, "a")) == {"$daebug": "tuple", "values": [1, "a"]}
    assert roundtrip({3}) == {"$daebug": "set", "class": "set", "size": 1, "values": [3]}
    assert roundtrip(frozenset())["class"] == "frozenset"
    assert roundtrip(b"a\x00") == {"$daebug": "bytes", "class": "bytes", "size": 2, "repr": "b'a\\x00'"}
    assert roundtrip(bytearray(b"z"))["repr"] == "bytearray(b'z')"


def test_decimal_datetime_dataclass_namedtuple():
    assert roundtrip(decimal.Decimal("1.10")) == {"$daebug": "decimal", "value": "1.10", "repr": "Decimal('1.10')"}
    d = roundtrip(datetime.datetime(2026, 11, 25, 10, 11, 12))
    assert d["iso"] == "2026-11-25T10:11:12" and d["repr"] == "datetime.datetime(2026, 11, 25, 10, 11, 12)"

    @dataclasses.dataclass
    class Point:
        x: int
        y: float

    assert roundtrip(Point(1, float("nan"))) == {
        "$daebug": "object", "class": "test_decimal_datetime_dataclass_namedtuple.<locals>.Point",
        "entries": {"x": 1, "y": {"$daebug": "number", "repr": "nan"}}}
    Pair = namedtuple("Pair", "a b")
    assert roundtrip(Pair(1, 2))["entries"] == {"a": 1, "b": 2}


def test_dicts_with_other_keys_are_maps():
    assert roundtrip({1: "a"}) == {"$daebug": "map", "class": "dict", "size": 1, "entries": [[1, "a"]]}
    assert roundtrip({"$daebug": 1})["$daebug"] == "map"
    assert roundtrip(OrderedDict(a=1))["class"] == "OrderedDict"


def test_exceptions_with_traceback():
    try:
        raise ValueError("bad")
    except ValueError as e:
        tree = roundtrip(e)
    assert tree["name"] == "ValueError" and tree["message"] == "bad" and tree["repr"] == "ValueError('bad')"
    assert tree["stack"].startswith("Traceback (most recent call last):") and tree["stack"].endswith("ValueError: bad")


def test_cycles_name_the_path():
    a = {"b": [1]}
    a["b"].append(a)
    assert roundtrip(a) == {"b": [1, {"$daebug": "circular", "path": "~"}]}
    l = [[0]]
    l[0].append(l[0])
    assert roundtrip(l) == [[0, {"$daebug": "circular", "path": "~[0]"}]]


def test_shared_but_not_cyclic_objects_are_repeated():
    x = [1]
    assert roundtrip([x, x]) == [[1], [1]]


def test_huge_containers_are_capped_with_a_count():
    tree = roundtrip(list(range(values.MAX_ENTRIES + 5)))
    assert len(tree) == values.MAX_ENTRIES + 1
    assert tree[-1] == {"$daebug": "truncated", "repr": "... 5 more items"}
    s = roundtrip(set(range(values.MAX_ENTRIES + 1)))
    assert s["size"] == values.MAX_ENTRIES + 1 and s["values"][-1]["repr"] == "... 1 more items"


def test_deep_nesting_is_cut():
    v = []
    for _ in range(100):
        v = [v]
    tree = roundtrip(v)
    depth = 0
    while isinstance(tree, list):
        tree, depth = tree[0], depth + 1
    assert depth == values.MAX_DEPTH and tree == {"$daebug": "truncated", "repr": "[...]"}


def test_objects_by_repr_and_a_raising_repr_is_reported():
    class Thing:
        def __repr__(self):
            return "<thing 7>"

    class Broken:
        def __repr__(self):
            raise RuntimeError("no repr for you")

    assert roundtrip(Thing())["repr"] == "<thing 7>"
    assert roundtrip(Broken()) == {"$daebug": "unreadable", "repr": "[repr() raised RuntimeError: no repr for you]"}
    assert roundtrip([Broken()])[0]["$daebug"] == "unreadable"


def test_a_raising_getter_of_a_dataclass_field_is_unreadable():
    @dataclasses.dataclass
    class D:
        x: int

        def __getattribute__(self, name):
            if name == "x":
                raise KeyError("gone")
            return object.__getattribute__(self, name)

    assert roundtrip(D(1))["entries"]["x"]["$daebug"] == "unreadable"


def test_huge_ints_do_not_fail():
    tree = roundtrip(10**5000)
    assert tree["$daebug"] == "truncated" and "bits" in tree["repr"]
    assert roundtrip(10**1000) == 10**1000


def test_text_is_only_text_at_the_top():
    assert roundtrip(values.text("# Report\nok")) == {"$daebug": "text", "repr": "# Report\nok"}
    assert roundtrip([values.text("x")]) == [{"$daebug": "opaque", "class": "Text", "repr": "'x'"}]


def test_lone_surrogates_survive_ascii_json():
    s = "a\udc80b"
    assert json.loads(json.dumps(encode(s))) == s
