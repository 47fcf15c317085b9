"""S3 and S3-compatible stores (MinIO, R2, Ceph…) through boto3, the `deploy` extra.

What the bucket holds is read from its listing: an object's ETag is the MD5 of its bytes
when it was sent in one piece, which is how this module sends every file, so comparing
MD5s finds what changed. The manifest of what this site put there (manifest.py) is an object
under the prefix; puts are atomic, so a killed deploy leaves no temporary object. Keys are
UTF-8 of at most 1,024 bytes, and AWS warns that control characters need special handling
that not every compatible store gives: such names are refused before anything is sent.
Credentials come from the standard AWS chain (environment, profile, instance role), never
from config.yaml.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..extras import require
from ..links import redirect_of
from ..mediatypes import cache_control, content_type
from . import TargetSpec, deploy_problem
from .manifest import MANIFEST

PARALLEL = 8


class S3Target:
    parallel = PARALLEL

    def __init__(self, spec: TargetSpec):
        boto3 = require("boto3", "deploy", "deploying to S3")
        botocore_config = require("botocore.config", "deploy", "deploying to S3")
        self.name = spec.name
        self.spec = spec
        bucket, _, prefix = spec.url[len("s3://"):].partition("/")
        if not bucket:
            raise deploy_problem("the URL names no bucket", spec, "write it as s3://BUCKET/ or s3://BUCKET/PREFIX/")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.description = f"s3://{bucket}/{self.prefix}" + (f" at {spec.endpoint}" if spec.endpoint else "")
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=spec.endpoint, region_name=spec.region,
            config=botocore_config.Config(retries={"max_attempts": 3, "mode": "standard"},
                                          max_pool_connections=PARALLEL, connect_timeout=10, read_timeout=60),
        )

    def digest(self, data: bytes) -> str:
        return hashlib.md5(data, usedforsecurity=False).hexdigest()

    def list(self) -> dict[str, str]:
        held: dict[str, str] = {}
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", ()):
                    if item["Key"] != self.prefix + MANIFEST:
                        held[item["Key"][len(self.prefix):]] = item["ETag"].strip('"')
        except Exception as exc:
            raise self._problem(exc) from None
        return held

    def refused_names(self, output_paths: list[str]) -> list[tuple[str, str]]:
        refused = []
        for rel in output_paths:
            try:
                size = len((self.prefix + rel).encode("utf-8"))
            except UnicodeEncodeError:
                refused.append((rel, "not UTF-8, which S3 keys must be"))
                continue
            if size > 1024:
                refused.append((rel, f"the key would be {size} bytes long; S3 allows 1,024"))
            elif re.search(r"[\x00-\x1f\x7f]", rel):
                refused.append((rel, "holds a control character (newline, tab…), which S3 stores do not all accept"))
        return refused

    def read_manifest(self) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + MANIFEST)["Body"].read()
        except Exception as exc:
            if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise self._problem(exc) from None

    def write_manifest(self, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + MANIFEST, Body=data,
                               ContentType="application/json", CacheControl="no-store")

    def remove_leftovers(self) -> int:
        return 0

    def put(self, output_path: str, abs_path: Path) -> None:
        data = abs_path.read_bytes()
        moved = redirect_of(data) if output_path.endswith(".html") else None  # an old URL: S3 website hosting answers 301
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + output_path, Body=data,
                               ContentType=content_type(output_path), CacheControl=cache_control(output_path),
                               **({"WebsiteRedirectLocation": moved} if moved else {}))

    def delete(self, output_path: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + output_path)

    def finish(self, uploaded: int, deleted: int) -> str | None:
        return None

    def close(self) -> None:
        self.client.close()

    def _problem(self, exc: Exception):
        kind = type(exc).__name__
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        if kind in ("NoCredentialsError", "PartialCredentialsError"):
            return deploy_problem("no AWS credentials found", self.spec,
                                  "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; never put them in config.yaml")
        if code == "NoSuchBucket":
            return deploy_problem(f"the bucket '{self.bucket}' does not exist", self.spec, "create it first, or correct the url")
        if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
            return deploy_problem(f"the store refused the credentials ({code})", self.spec, "check the AWS credentials and the bucket's policy")
        if kind in ("EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError"):
            return deploy_problem(f"cannot reach the store: {exc}", self.spec, "check 'endpoint' and the network")
        return deploy_problem(f"{kind}: {exc}", self.spec)
