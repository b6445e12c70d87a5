#!/usr/bin/env python3
"""Make the project's copy of the EPCIS 2.0 JSON Schema from GS1's bundled schema.

    python3 scripts/gen-epcis-schema.py ../shared/epcis/EPCIS-JSON-Schema.json \
        > server/src/domain/epcis/schema.json

The output is the schema in the project's own form: keys sorted, no
whitespace, `$id` dropped (the server never fetches anything). It refuses a
schema that is not draft-07 or refers outside itself, so a new GS1 release
is looked at before it is taken. CI checks the committed file is this script's output.

Source of the facts: GS1 EPCIS 2.0 JSON Schema, (c) GS1 AISBL, Apache
License 2.0.
"""
import json
import sys


def check_refs(node, path="#"):
    """Every `$ref` must point inside the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and not value.startswith("#/definitions/"):
                sys.exit(f"error: {path}: $ref {value!r} leaves the document")
            check_refs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_refs(v, f"{path}/{i}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    if schema.get("$schema") != "http://json-schema.org/draft-07/schema#":
        sys.exit(f"error: expected a draft-07 schema, found {schema.get('$schema')!r}")
    schema.pop("$id", None)
    check_refs(schema)
    text = json.dumps(schema, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
