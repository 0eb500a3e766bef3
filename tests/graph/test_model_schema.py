"""The inventory model's JSON schema (what POST /ingest publishes in OpenAPI) says what the model
takes: for every field of every entity, a blank string, a null and a few wrong-typed values
are accepted by the schema exactly when the model accepts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from graph.models import ENTITIES, Inventory

ACME = json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "acme" / "inventory.json").read_text()
)
PROBES: list[Any] = ["", "   ", None, "not-a-date!", 7, True, []]


def _model_takes(entity: str, row: dict[str, Any]) -> bool:
    try:
        ENTITIES[entity].model_validate(row)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_schema_and_model_agree_field_by_field(entity: str) -> None:
    schema = Inventory.model_json_schema()
    name = schema["properties"][entity]["items"]["$ref"].split("/")[-1]
    validator = jsonschema.Draft202012Validator(
        {**schema["$defs"][name], "$defs": schema["$defs"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,  # "date" checked too
    )
    base = ACME[entity][0]
    assert _model_takes(entity, base) and validator.is_valid(base)
    disagree = []
    for field in ENTITIES[entity].model_fields:
        for probe in PROBES:
            row = {**base, field: probe}
            if _model_takes(entity, row) != validator.is_valid(row):
                disagree.append((field, probe, _model_takes(entity, row)))
    assert not disagree, f"{entity}: (field, value, model accepts) where the schema differs"
