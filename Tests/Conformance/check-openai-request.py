#!/usr/bin/env python3
"""Check chat-completion request bodies against OpenAI's published OpenAPI schema.

Usage:  check-openai-request.py [--schema NAME] [--closed] [--multipart] BODY.json [BODY.json ...]
        some-command | check-openai-request.py -        (one JSON body, or JSON Lines)

The schema is CreateChatCompletionRequest (or NAME, e.g. CreateResponse, CreateImageRequest,
CreateImageEditRequest, EditImageBodyJsonParam (an edit's JSON form, as a provider batch line carries it),
CreateBatchRequest) from openai-openapi.json beside this file: the parts of OpenAI's published spec
(OpenAPI 3.1, openai/openai-openapi openapi.json, info.version 2.3.0) that those requests reference, copied into
this folder (the Images API schemas from the spec itself) so that the tests read nothing outside the repository. --closed: a top-level field the schema does not name is an error too (the Images API schemas do not
say additionalProperties: false, so a misspelt field would pass otherwise). --multipart: BODY is a
multipart/form-data body (the boundary read from its first line); its fields become an object, `image[]` parts
an array named `image`, file parts the string "<binary>", text values typed as the schema's property says
(integer, number, boolean). Exit status 0 when every body is valid, 1 otherwise.
Needs the Python package jsonschema (installed on this machine kind; else pip install jsonschema).
"""
import json, os, sys
from jsonschema import Draft202012Validator

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openai-openapi.json")

def validator(name):
    schemas = json.load(open(SPEC))["components"]["schemas"]
    def fix(node):  # OpenAPI 3.0-style "nullable" becomes a JSON-schema union with null
        if isinstance(node, dict):
            # OpenAPI picks a oneOf branch by its discriminator; JSON Schema's oneOf would fail where branches
            # overlap (a Responses input message matches both EasyInputMessage and Item), so read it as anyOf.
            if "discriminator" in node and "oneOf" in node:
                node = {("anyOf" if k == "oneOf" else k): v for k, v in node.items() if k != "discriminator"}
            if node.get("nullable") is True:
                if isinstance(node.get("type"), str):
                    node = dict(node, type=[node["type"], "null"])
                elif "type" not in node:
                    return {"anyOf": [{k: fix(v) for k, v in node.items() if k != "nullable"}, {"type": "null"}]}
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node
    root = json.loads(json.dumps({"$defs": fix(schemas)}).replace("#/components/schemas/", "#/$defs/"))
    root["$ref"] = "#/$defs/" + name
    return Draft202012Validator(root)

def property_types(schemas, node, seen=()):
    """The JSON types a property schema allows, following $ref, anyOf and oneOf."""
    if not isinstance(node, dict):
        return set()
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        return set() if name in seen else property_types(schemas, schemas[name], seen + (name,))
    types = set([node["type"]] if isinstance(node.get("type"), str) else node.get("type", []))
    for key in ("anyOf", "oneOf"):
        for branch in node.get(key, []):
            types |= property_types(schemas, branch, seen)
    return types

def form_object(raw, schema):
    """A multipart/form-data body as the object the schema describes."""
    schemas = json.load(open(SPEC))["components"]["schemas"]
    properties = schemas[schema].get("properties", {})
    boundary = raw.split(b"\r\n", 1)[0]
    if not boundary.startswith(b"--") or not raw.rstrip().endswith(boundary + b"--"):
        raise ValueError("not a multipart/form-data body")
    fields = {}
    for part in raw.split(boundary)[1:-1]:
        head, _, value = part[2:].partition(b"\r\n\r\n")
        value = value[:-2] if value.endswith(b"\r\n") else value
        disposition = head.decode("utf-8", "replace")
        name = disposition.split('name="', 1)[1].split('"', 1)[0]
        if "filename=" in disposition:
            item = "<binary>"
        else:
            item = value.decode("utf-8")
            types = property_types(schemas, properties.get(name.rstrip("[]"), {}))
            if "integer" in types and item.lstrip("-").isdigit():
                item = int(item)
            elif "number" in types:
                try: item = float(item)
                except ValueError: pass
            elif "boolean" in types and item in ("true", "false"):
                item = item == "true"
        if name.endswith("[]"):
            fields.setdefault(name[:-2], []).append(item)
        elif name in fields:
            raise ValueError("field %s given twice" % name)
        else:
            fields[name] = item
    return fields

def bodies(args, schema="CreateChatCompletionRequest", multipart=False):
    for a in args or ["-"]:
        if multipart:
            raw = sys.stdin.buffer.read() if a == "-" else open(a, "rb").read()
            yield a, form_object(raw, schema)
            continue
        text = sys.stdin.read() if a == "-" else open(a).read()
        try:
            yield a, json.loads(text)
        except json.JSONDecodeError:
            for i, line in enumerate(l for l in text.splitlines() if l.strip()):
                yield "%s:%d" % (a, i + 1), json.loads(line)

def main():
    args = sys.argv[1:]
    schema, closed, multipart = "CreateChatCompletionRequest", False, False
    while args[:1] and args[0] in ("--schema", "--closed", "--multipart"):
        if args[0] == "--schema":
            schema, args = args[1], args[2:]
        else:
            closed, multipart = closed or args[0] == "--closed", multipart or args[0] == "--multipart"
            args = args[1:]
    v, bad, n = validator(schema), 0, 0
    known = set(json.load(open(SPEC))["components"]["schemas"][schema].get("properties", {}))
    for name, body in bodies(args, schema, multipart):
        n += 1
        for err in sorted(v.iter_errors(body), key=lambda e: list(e.path))[:5]:
            bad += 1
            print("%s: %s at /%s" % (name, err.message[:300], "/".join(map(str, err.path))))
        for field in sorted(set(body) - known) if closed and isinstance(body, dict) else []:
            bad += 1
            print("%s: field %r is not in %s" % (name, field, schema))
    print("%d body(ies) checked, %d schema error(s)" % (n, bad))
    sys.exit(1 if bad or n == 0 else 0)

if __name__ == "__main__":
    main()
