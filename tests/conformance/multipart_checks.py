"""Multipart uploads beyond the upload itself, against `xacct serve`: the
AWS CLI's copy of a 20 MB object within S3 (CreateMultipartUpload, then
UploadPartCopy with `x-amz-copy-source-range` for each 8 MB part), and
ListMultipartUploads through the AWS CLI and boto3's paginator (S3 API
Reference: uploads by key, then by when each was initiated)."""

import hashlib
import json
import os
import tempfile


def run(h):
    """`h` carries conformance.py's Server, aws, check and boto3_session."""
    server = h.Server("data-public-bucket.yaml")
    try:
        admin = server.env("arn:aws:iam::222222222222:user/admin")
        h.aws(server, admin, "s3", "mb", "s3://part-copies")
        data = os.urandom(20 * 1024 * 1024)
        s3 = h.boto3_session(admin).client("s3", endpoint_url=server.url)
        s3.put_object(Bucket="part-copies", Key="big.bin", Body=data)
        copies(h, server, admin, data)
        listing(h, server, admin, s3)
    finally:
        server.stop()


def copies(h, server, admin, data):
    """Above 8 MB the AWS CLI copies in parts, then completes the upload."""
    out = h.aws(server, admin, "s3", "cp", "s3://part-copies/big.bin", "s3://part-copies/copy.bin")
    h.check("aws s3 cp of 20 MB from S3 to S3 copies in parts", out.returncode == 0, out.stdout + out.stderr)
    out = h.aws(server, admin, "s3api", "head-object", "--bucket", "part-copies", "--key", "copy.bin")
    copied = json.loads(out.stdout or "{}")
    h.check("the copy joined from 3 copied parts has the source's size and a multipart ETag (-3)",
            copied.get("ETag", "").endswith('-3"') and copied.get("ContentLength") == len(data),
            out.stdout + out.stderr)
    back = os.path.join(tempfile.mkdtemp(), "copy.bin")
    out = h.aws(server, admin, "s3", "cp", "s3://part-copies/copy.bin", back)
    same = out.returncode == 0 and hashlib.sha256(open(back, "rb").read()).digest() == hashlib.sha256(data).digest()
    h.check("the copy reads back byte for byte", same, out.stdout + out.stderr)


def listing(h, server, admin, s3):
    """A paginator sees each upload once; a delimiter rolls them up."""
    started = [(key, s3.create_multipart_upload(Bucket="part-copies", Key=key)["UploadId"])
               for key in ["logs/b", "logs/a", "logs/a", "top"]]
    out = h.aws(server, admin, "s3api", "list-multipart-uploads", "--bucket", "part-copies",
                "--prefix", "logs/", "--delimiter", "/")
    listed = json.loads(out.stdout or "{}")
    h.check("aws s3api list-multipart-uploads lists the uploads in progress by key",
            [u["Key"] for u in listed.get("Uploads", [])] == ["logs/a", "logs/a", "logs/b"]
            and all(u["Initiator"]["ID"] == "arn:aws:iam::222222222222:user/admin"
                    and u["StorageClass"] == "STANDARD" for u in listed["Uploads"]),
            out.stdout + out.stderr)
    pages = s3.get_paginator("list_multipart_uploads").paginate(
        Bucket="part-copies", PaginationConfig={"PageSize": 1})
    seen = [(u["Key"], u["UploadId"]) for page in pages for u in page.get("Uploads", [])]
    h.check("boto3's ListMultipartUploads paginator, a page of one, sees each upload once",
            sorted(seen) == sorted(started) and [k for k, _ in seen] == sorted(k for k, _ in started),
            str(seen))
    rolled = s3.list_multipart_uploads(Bucket="part-copies", Delimiter="/")
    h.check("a delimiter rolls the uploads under logs/ into one common prefix",
            [p["Prefix"] for p in rolled.get("CommonPrefixes", [])] == ["logs/"]
            and [u["Key"] for u in rolled.get("Uploads", [])] == ["top"], str(rolled))
    for key, upload in started:
        s3.abort_multipart_upload(Bucket="part-copies", Key=key, UploadId=upload)
    left = s3.list_multipart_uploads(Bucket="part-copies")
    h.check("aborted uploads leave the listing empty, not truncated",
            not left.get("Uploads") and left["IsTruncated"] is False, str(left))
