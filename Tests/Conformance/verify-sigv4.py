#!/usr/bin/env python3
"""Checks an AWS Signature Version 4 Authorization header with botocore's own signer (python3-botocore), independently
of vq's signer: reads {method, url, headers, body (base64), access_key, secret_key, token} as JSON on stdin, recomputes
the signature over the headers the request says it signed, at the request's X-Amz-Date, and prints "ok" (exit 0) or
what differs (exit 1)."""
import base64
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    request = json.load(sys.stdin)
    headers = {name.lower(): value for name, value in request["headers"].items()}
    authorization = headers.get("authorization", "")
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != "AWS4-HMAC-SHA256":
        return f"not a SigV4 Authorization header: {authorization[:40]!r}"
    fields = dict(part.strip().split("=", 1) for part in rest.split(","))
    key_id, day, region, service, terminator = fields["Credential"].split("/")
    if key_id != request["access_key"] or terminator != "aws4_request":
        return f"credential scope {fields['Credential']!r} names another key"
    if service != request["service"] or region != request["region"]:
        return f"signed for {service} in {region}, expected {request['service']} in {request['region']}"
    signed = fields["SignedHeaders"].split(";")
    for required in ["host", "x-amz-date"] + (["x-amz-security-token"] if request.get("token") else []):
        if required not in signed:
            return f"{required} is not signed"
    if request.get("token") and headers.get("x-amz-security-token") != request["token"]:
        return "x-amz-security-token is not the session token"
    if not headers["x-amz-date"].startswith(day):
        return "X-Amz-Date and the credential scope disagree"
    aws_request = AWSRequest(
        method=request["method"], url=request["url"], data=base64.b64decode(request["body"]),
        headers={name: headers[name] for name in signed})
    aws_request.context["timestamp"] = headers["x-amz-date"]
    signer = SigV4Auth(Credentials(request["access_key"], request["secret_key"], request.get("token")), service, region)
    canonical = signer.canonical_request(aws_request)
    expected = signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)
    if expected != fields["Signature"]:
        return f"signature mismatch; botocore's canonical request:\n{canonical}"
    return None


if __name__ == "__main__":
    problem = main()
    print(problem or "ok")
    sys.exit(1 if problem else 0)
