#!/usr/bin/env python3
"""Check chat-completion request bodies against OpenAI's published OpenAPI schema.

Usage:  check-openai-request.py [--schema NAME] BODY.json [BODY.json ...]
        some-command | check-openai-request.py -        (one JSON body, or JSON Lines)

The schema is CreateChatCompletionRequest (or NAME, e.g. CreateResponse) from openai-openapi.json
beside this file: the parts of OpenAI's published spec (OpenAPI 3.1) that those two requests reference,
copied from shared/conformance so that the tests read nothing outside the repository. Exit status 0 when every body is valid, 1 otherwise.
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

def bodies(args):
    for a in args or ["-"]:
        text = sys.stdin.read() if a == "-" else open(a).read()
        try:
            yield a, json.loads(text)
        except json.JSONDecodeError:
            for i, line in enumerate(l for l in text.splitlines() if l.strip()):
                yield "%s:%d" % (a, i + 1), json.loads(line)

def main():
    args = sys.argv[1:]
    schema = "CreateChatCompletionRequest"
    if args[:1] == ["--schema"]:
        schema, args = args[1], args[2:]
    v, bad, n = validator(schema), 0, 0
    for name, body in bodies(args):
        n += 1
        for err in sorted(v.iter_errors(body), key=lambda e: list(e.path))[:5]:
            bad += 1
            print("%s: %s at /%s" % (name, err.message[:300], "/".join(map(str, err.path))))
    print("%d body(ies) checked, %d schema error(s)" % (n, bad))
    sys.exit(1 if bad or n == 0 else 0)

if __name__ == "__main__":
    main()
