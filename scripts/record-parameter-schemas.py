"""Records the parameter schemas Prefect 3.9.1 builds (prefect.utilities.callables.parameter_schema)
for Python signatures equivalent to the Swift input types of Tests/PrefectTests/ParameterSchemaTests.swift.

    .prefect-venv/bin/python scripts/record-parameter-schemas.py > Tests/PrefectTests/Fixtures/parameter-schemas.json

Each case names one signature; the Swift test builds the schema of its Swift twin and compares
the whole object (and the order of the parameters).
"""
import datetime
import enum
import json
import uuid
from typing import Dict, List, Optional, Set

import pydantic
from prefect.utilities.callables import parameter_schema


class Color(str, enum.Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Level(int, enum.Enum):
    low = 1
    high = 2


class Address(pydantic.BaseModel):
    street: str
    zip_code: Optional[int] = None


class Person(pydantic.BaseModel):
    name: str
    age: int
    address: Address
    tags: List[str]


class Node(pydantic.BaseModel):
    name: str
    children: List["Node"] = []


class Window(pydantic.BaseModel):
    camelCase: float
    start: datetime.datetime
    color: Optional[Color] = None


def scalars(day: str, count: int, ratio: float, flag: bool, when: datetime.datetime, id: uuid.UUID):
    pass


def defaults(day: str, limit: int = 10, maybe: Optional[int] = None, note: Optional[str] = "x", names: List[str] = ["a"]):
    pass


def nested(person: Person, people: List[Person], window: Optional[Window] = None):
    pass


def enums(color: Color, level: Level = Level.low, colors: List[Color] = []):
    pass


def collections(unique: Set[str], counts: Dict[str, int], matrix: List[List[int]], people: Dict[str, Person]):
    pass


def recursive(root: Node):
    pass


def single_input(input: str):
    pass


def single_array_input(input: List[int]):
    pass


def no_parameters():
    pass


cases = [scalars, defaults, nested, enums, collections, recursive, single_input, single_array_input, no_parameters]
print(json.dumps({fn.__name__: parameter_schema(fn).model_dump(mode="json", by_alias=True) for fn in cases}, indent=1))
