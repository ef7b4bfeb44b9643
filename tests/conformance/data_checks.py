"""Cross-account data through clients nobody here wrote: the AWS CLI
(`s3api` and the high-level `s3 cp`/`s3 ls`) and boto3 read, write and
are refused objects of the data scenarios served by `xacct serve`, each
refusal compared with AWS's code and message. Called by conformance.py,
which passes its helpers in."""

import hashlib
import json
import os
import subprocess
import tempfile

import multipart_checks
import scenario_steps

JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js")


def run(h):
    """`h` carries conformance.py's Server, aws, check, expect_error and
    boto3_session helpers."""
    partner_read(h)
    kms(h)
    ownership(h)
    bucket_settings(h)
    bucket_life(h)
    transfers(h)
    multipart_checks.run(h)
    javascript(h)
    scenario_steps.run(h)


def partner_read(h):
    server = h.Server("data-partner-read.yaml")
    try:
        analyst = server.env("arn:aws:iam::111111111111:user/analyst")
        out = h.aws(server, analyst, "s3", "cp", "s3://shared-reports/reports/2026-01.csv", "-")
        h.check("aws s3 cp s3://... - reads a partner's object through its bucket policy",
                out.returncode == 0 and out.stdout == "region,total\neu,42\n", out.stdout + out.stderr)
        out = h.aws(server, analyst, "s3", "ls", "s3://shared-reports/reports/")
        h.check("aws s3 ls lists the prefix", "2026-01.csv" in out.stdout and "notes" not in out.stdout,
                out.stdout + out.stderr)
        out = h.aws(server, analyst, "s3", "ls", "s3://shared-reports/")
        h.check("aws s3 ls rolls keys into common prefixes (PRE)",
                "PRE internal/" in out.stdout and "PRE reports/" in out.stdout, out.stdout + out.stderr)
        target = os.path.join(tempfile.mkdtemp(), "out")
        out = h.aws(server, analyst, "s3api", "get-object", "--bucket", "shared-reports",
                    "--key", "reports/2026-02.csv", target)
        h.expect_error("aws s3api get-object of a missing key with s3:ListBucket is NoSuchKey", out,
                       "NoSuchKey", "GetObject", "The specified key does not exist.")
        intern = server.env("arn:aws:iam::111111111111:user/intern")
        out = h.aws(server, intern, "s3api", "get-object", "--bucket", "shared-reports",
                    "--key", "reports/2026-01.csv", target)
        h.expect_error("aws s3api get-object across accounts without an identity policy", out,
                       "AccessDenied", "GetObject", "Access Denied")
        s3 = h.boto3_session(analyst).client("s3", endpoint_url=server.url)
        part = s3.get_object(Bucket="shared-reports", Key="reports/2026-01.csv", Range="bytes=0-5")
        h.check("boto3 get_object with Range answers 206 and the bytes",
                part["ResponseMetadata"]["HTTPStatusCode"] == 206 and part["Body"].read() == b"region"
                and part["ContentRange"] == "bytes 0-5/19", str(part.get("ContentRange")))
        # S3 ignores a Range that is not one well-formed range (RFC 9110 14.2;
        # `bytes=1-0` reads the whole object on S3, noobaa/noobaa-core#9889),
        # and answers one past the end InvalidRange 416 with the range and
        # the size (versity/versitygw#2069, captured from S3), and the size
        # again in `Content-Range: bytes */SIZE` (RFC 9110 15.5.17; S3 sends
        # it, chimera-nas/chimera#704).
        whole = s3.get_object(Bucket="shared-reports", Key="reports/2026-01.csv", Range="bytes=5-1")
        h.check("boto3 get_object with a malformed Range reads the whole object (200)",
                whole["ResponseMetadata"]["HTTPStatusCode"] == 200 and len(whole["Body"].read()) == 19
                and "ContentRange" not in whole, str(whole.get("ContentRange")))
        try:
            s3.get_object(Bucket="shared-reports", Key="reports/2026-01.csv", Range="bytes=19-")
            h.check("boto3 get_object with a range past the end is InvalidRange (416)", False, "read")
        except s3.exceptions.ClientError as e:
            err = e.response["Error"]
            h.check("boto3 get_object with a range past the end is InvalidRange (416)",
                    err["Code"] == "InvalidRange" and err["Message"] == "The requested range is not satisfiable"
                    and err.get("RangeRequested") == "bytes=19-" and err.get("ActualObjectSize") == "19"
                    and e.response["ResponseMetadata"]["HTTPStatusCode"] == 416
                    and e.response["ResponseMetadata"]["HTTPHeaders"].get("content-range") == "bytes */19",
                    str(e.response))
        first = s3.list_objects_v2(Bucket="shared-reports", MaxKeys=1)
        second = s3.list_objects_v2(Bucket="shared-reports", MaxKeys=1,
                                    ContinuationToken=first.get("NextContinuationToken", ""))
        h.check("boto3 list_objects_v2 pages with MaxKeys and ContinuationToken",
                first["IsTruncated"] and [o["Key"] for o in first["Contents"]] == ["internal/notes.txt"]
                and not second["IsTruncated"] and [o["Key"] for o in second["Contents"]] == ["reports/2026-01.csv"],
                str(first) + str(second))
        head = s3.head_object(Bucket="shared-reports", Key="reports/2026-01.csv")
        h.check("boto3 head_object gives the size and the ETag",
                head["ContentLength"] == 19 and head["ETag"].startswith('"'), str(head))
        # HeadObject with a Range: 206, the part's length and Content-Range
        # (S3 API Reference, HeadObject, "Range"; the status as S3 answers it,
        # versity/versitygw#2057).
        part = s3.head_object(Bucket="shared-reports", Key="reports/2026-01.csv", Range="bytes=-4")
        h.check("boto3 head_object with Range answers 206, the part's length and Content-Range",
                part["ResponseMetadata"]["HTTPStatusCode"] == 206 and part["ContentLength"] == 4
                and part["ContentRange"] == "bytes 15-18/19", str(part))
    finally:
        server.stop()


def kms(h):
    server = h.Server("data-kms-cross-account.yaml")
    try:
        analyst = server.env("arn:aws:iam::111111111111:user/analyst")
        s3 = h.boto3_session(analyst).client("s3", endpoint_url=server.url)
        body = s3.get_object(Bucket="shared-reports", Key="q1.csv")
        h.check("boto3 get_object of an SSE-KMS object the key policy shares",
                body["Body"].read() == b"shared" and body.get("ServerSideEncryption") == "aws:kms"
                and body.get("SSEKMSKeyId") == "arn:aws:kms:eu-west-1:222222222222:key/shared", str(body))
        for bucket, name in [("locked-reports", "a key policy that does not allow the reader"),
                             ("default-reports", "the AWS managed key aws/s3")]:
            try:
                s3.get_object(Bucket=bucket, Key="q1.csv")
                h.check("boto3 get_object refused by " + name, False, "read")
            except s3.exceptions.ClientError as e:
                err = e.response["Error"]
                h.check("boto3 get_object refused by " + name,
                        err["Code"] == "AccessDenied" and e.response["ResponseMetadata"]["HTTPStatusCode"] == 403,
                        str(err))
    finally:
        server.stop()


def ownership(h):
    server = h.Server("data-object-ownership.yaml")
    try:
        uploader = server.env("arn:aws:iam::111111111111:user/uploader")
        auditor = server.env("arn:aws:iam::222222222222:user/auditor")
        source = os.path.join(tempfile.mkdtemp(), "upload.csv")
        with open(source, "w") as f:
            f.write("x,y\n")
        out = h.aws(server, uploader, "s3", "cp", source, "s3://drop-box/from-cli.csv")
        h.check("aws s3 cp uploads to another account's bucket", out.returncode == 0, out.stdout + out.stderr)
        out = h.aws(server, auditor, "s3", "cp", "s3://drop-box/from-cli.csv", "-")
        h.check("the bucket owner cannot read an ObjectWriter upload without bucket-owner-full-control",
                out.returncode != 0 and "403" in out.stderr, out.stdout + out.stderr)
        out = h.aws(server, uploader, "s3", "cp", source, "s3://drop-box/signed.csv", "--acl", "bucket-owner-full-control")
        out = h.aws(server, auditor, "s3", "cp", "s3://drop-box/signed.csv", "-")
        h.check("with bucket-owner-full-control the owner reads it", out.returncode == 0 and out.stdout == "x,y\n",
                out.stdout + out.stderr)
        out = h.aws(server, uploader, "s3", "cp", "s3://drop-box/upload.csv", "s3://inbox/copied.csv")
        h.check("aws s3 cp s3://... s3://... copies across buckets (CopyObject)", out.returncode == 0,
                out.stdout + out.stderr)
        out = h.aws(server, auditor, "s3", "cp", "s3://inbox/copied.csv", "-")
        h.check("the copy in a BucketOwnerEnforced bucket belongs to its owner", out.returncode == 0
                and out.stdout == "a,b\n", out.stdout + out.stderr)
        out = h.aws(server, auditor, "s3api", "copy-object", "--bucket", "inbox", "--key", "c2.csv",
                    "--copy-source", "drop-box/upload.csv")
        h.expect_error("CopyObject needs read access to the source", out, "AccessDenied", "CopyObject",
                       "Access Denied")
        s3 = h.boto3_session(uploader).client("s3", endpoint_url=server.url)
        try:
            s3.put_object(Bucket="inbox", Key="public.csv", Body=b"p", ACL="public-read")
            h.check("boto3 put_object with an ACL to a BucketOwnerEnforced bucket", False, "stored")
        except s3.exceptions.ClientError as e:
            err = e.response["Error"]
            h.check("boto3 put_object with an ACL to a BucketOwnerEnforced bucket",
                    err["Code"] == "AccessControlListNotSupported" and err["Message"] == "The bucket does not allow ACLs",
                    str(err))
    finally:
        server.stop()


def bucket_settings(h):
    server = h.Server("data-public-bucket.yaml")
    try:
        admin = server.env("arn:aws:iam::222222222222:user/admin")
        public = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]})
        out = h.aws(server, admin, "s3api", "put-bucket-policy", "--bucket", "site", "--policy", public)
        h.expect_error("aws s3api put-bucket-policy of a public policy under BlockPublicPolicy", out,
                       "AccessDenied", "PutBucketPolicy", "Access Denied")
        out = h.aws(server, admin, "s3api", "get-bucket-policy", "--bucket", "site")
        policy = json.loads(json.loads(out.stdout or "{}").get("Policy", "{}"))
        h.check("aws s3api get-bucket-policy returns the policy as JSON text",
                policy.get("Statement", [{}])[0].get("Sid") == "PublicRead", out.stdout + out.stderr)
        out = h.aws(server, admin, "s3api", "get-public-access-block", "--bucket", "site")
        config = json.loads(out.stdout or "{}").get("PublicAccessBlockConfiguration", {})
        h.check("aws s3api get-public-access-block", config.get("BlockPublicPolicy") is True
                and config.get("RestrictPublicBuckets") is True, out.stdout + out.stderr)
        out = h.aws(server, admin, "s3api", "put-public-access-block", "--bucket", "site",
                    "--public-access-block-configuration",
                    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false")
        out = h.aws(server, admin, "s3api", "put-bucket-policy", "--bucket", "site", "--policy", public)
        h.check("with BlockPublicPolicy off the public policy is accepted", out.returncode == 0, out.stderr)
        out = h.aws(server, admin, "s3api", "put-bucket-ownership-controls", "--bucket", "site",
                    "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerEnforced}]")
        out = h.aws(server, admin, "s3api", "get-bucket-ownership-controls", "--bucket", "site")
        rules = json.loads(out.stdout or "{}").get("OwnershipControls", {}).get("Rules", [])
        h.check("aws s3api put/get-bucket-ownership-controls", rules == [{"ObjectOwnership": "BucketOwnerEnforced"}],
                out.stdout + out.stderr)
        visitor = server.env("arn:aws:iam::999999999999:user/visitor")
        out = h.aws(server, visitor, "s3api", "put-bucket-policy", "--bucket", "site", "--policy", public)
        h.expect_error("another account may not put the bucket's policy", out,
                       "AccessDenied", "PutBucketPolicy", "Access Denied")
    finally:
        server.stop()


def bucket_life(h):
    """A test suite's own buckets: made, filled, emptied and removed with
    the high-level AWS CLI; names that are taken or invalid refused."""
    server = h.Server("data-public-bucket.yaml")
    try:
        admin = server.env("arn:aws:iam::222222222222:user/admin")
        out = h.aws(server, admin, "s3", "mb", "s3://test-suite-bucket")
        h.check("aws s3 mb makes a bucket", out.returncode == 0, out.stdout + out.stderr)
        source = os.path.join(tempfile.mkdtemp(), "f.txt")
        with open(source, "w") as f:
            f.write("data")
        h.aws(server, admin, "s3", "cp", source, "s3://test-suite-bucket/f.txt")
        out = h.aws(server, admin, "s3api", "delete-bucket", "--bucket", "test-suite-bucket")
        h.expect_error("aws s3api delete-bucket of a bucket with objects", out, "BucketNotEmpty",
                       "DeleteBucket", "The bucket you tried to delete is not empty")
        h.aws(server, admin, "s3", "cp", source, "s3://test-suite-bucket/g.txt")
        s3 = h.boto3_session(admin).client("s3", endpoint_url=server.url)
        gone = s3.delete_objects(Bucket="test-suite-bucket", Delete={"Objects": [{"Key": "g.txt"}, {"Key": "none"}]})
        h.check("boto3 delete_objects answers each key", sorted(d["Key"] for d in gone.get("Deleted", [])) == ["g.txt", "none"]
                and not gone.get("Errors"), str(gone))
        # A key is used as sent, white space and all (S3 User Guide, "Naming
        # Amazon S3 objects": any UTF-8): deleting `k ` leaves `k`.
        s3.put_object(Bucket="test-suite-bucket", Key="k", Body=b"keep")
        s3.put_object(Bucket="test-suite-bucket", Key="k ", Body=b"drop")
        gone = s3.delete_objects(Bucket="test-suite-bucket", Delete={"Objects": [{"Key": "k "}]})
        left = [o["Key"] for o in s3.list_objects_v2(Bucket="test-suite-bucket").get("Contents", [])]
        h.check("boto3 delete_objects deletes the key as sent, white space and all",
                [d["Key"] for d in gone.get("Deleted", [])] == ["k "] and "k" in left and "k " not in left,
                str(gone) + str(left))
        # PutObjectTagging and DeleteObjectTagging are operations of their own
        # (S3 API Reference, PutObjectTagging: `PUT /KEY?tagging`), which
        # this endpoint does not serve: refused, the object left as it was.
        try:
            s3.put_object_tagging(Bucket="test-suite-bucket", Key="k", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
            tagged = "answered"
        except s3.exceptions.ClientError as e:
            tagged = e.response["Error"]["Code"]
        try:
            s3.delete_object_tagging(Bucket="test-suite-bucket", Key="k")
            untagged = "answered"
        except s3.exceptions.ClientError as e:
            untagged = e.response["Error"]["Code"]
        body = s3.get_object(Bucket="test-suite-bucket", Key="k")["Body"].read()
        h.check("an object subresource this endpoint does not serve is NotImplemented, and the object is untouched",
                tagged == "NotImplemented" and untagged == "NotImplemented" and body == b"keep",
                f"{tagged} {untagged} {body!r}")
        # A copy onto itself must change something (InvalidRequest 400, as
        # quoted in iterate-ch/cyberduck#11849); MetadataDirective=REPLACE does.
        try:
            s3.copy_object(Bucket="test-suite-bucket", Key="k", CopySource="test-suite-bucket/k")
            itself = "copied"
        except s3.exceptions.ClientError as e:
            itself = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
        replaced = s3.copy_object(Bucket="test-suite-bucket", Key="k", CopySource="test-suite-bucket/k",
                                  MetadataDirective="REPLACE")
        h.check("boto3 copy_object onto itself is InvalidRequest unless MetadataDirective=REPLACE",
                itself == ("InvalidRequest", 400) and "CopyObjectResult" in replaced, f"{itself} {replaced}")
        # Conditional writes and reads (S3 User Guide, "How to prevent object
        # overwrites with conditional writes"; S3 API Reference, GetObject):
        # If-None-Match: * takes a lock once; a read of an unchanged ETag is 304.
        s3.put_object(Bucket="test-suite-bucket", Key="tf.lock", Body=b"held", IfNoneMatch="*")
        try:
            s3.put_object(Bucket="test-suite-bucket", Key="tf.lock", Body=b"mine", IfNoneMatch="*")
            second = {}
        except s3.exceptions.ClientError as e:
            second = dict(e.response["Error"], status=e.response["ResponseMetadata"]["HTTPStatusCode"])
        h.check("boto3 put_object with IfNoneMatch='*' over an existing key is PreconditionFailed (412)",
                second.get("Code") == "PreconditionFailed" and second.get("status") == 412
                and second.get("Condition") == "If-None-Match", str(second))
        etag = s3.head_object(Bucket="test-suite-bucket", Key="tf.lock")["ETag"]
        try:
            s3.get_object(Bucket="test-suite-bucket", Key="tf.lock", IfNoneMatch=etag)
            unchanged = None
        except s3.exceptions.ClientError as e:
            unchanged = e.response["ResponseMetadata"]["HTTPStatusCode"]
        h.check("boto3 get_object with IfNoneMatch of the object's ETag is 304 Not Modified",
                unchanged == 304, str(unchanged))
        # Listings under encoding-type=url, which botocore asks for and decodes
        # (S3 API Reference, ListObjectsV2 and ListObjects, "EncodingType"):
        # keys with `+`, spaces and characters XML cannot carry come back
        # exact, through ListObjectsV2 and through boto3's resource API, which
        # lists with ListObjects (V1).
        odd = ["odd/a b+c.txt", "odd/x\x01y", "odd/100%"]
        for key in odd:
            s3.put_object(Bucket="test-suite-bucket", Key=key, Body=b"o")
        v2 = [o["Key"] for o in s3.list_objects_v2(Bucket="test-suite-bucket", Prefix="odd/").get("Contents", [])]
        bucket = h.boto3_session(admin).resource("s3", endpoint_url=server.url).Bucket("test-suite-bucket")
        v1 = [o.key for o in bucket.objects.filter(Prefix="odd/")]
        h.check("boto3 list_objects_v2 and Bucket.objects (ListObjects V1) give odd keys back exact",
                sorted(v2) == sorted(odd) and sorted(v1) == sorted(odd), f"{v2} {v1}")
        first = s3.list_objects(Bucket="test-suite-bucket", Prefix="odd/", Delimiter="/", MaxKeys=1)
        h.check("boto3 list_objects pages with MaxKeys, IsTruncated and NextMarker",
                first["IsTruncated"] and len(first.get("Contents", [])) == 1
                and first.get("NextMarker") == first["Contents"][0]["Key"], str(first))
        bucket.objects.filter(Prefix="odd/").delete()
        h.check("Bucket.objects.filter(...).delete() empties the prefix",
                not s3.list_objects_v2(Bucket="test-suite-bucket", Prefix="odd/").get("Contents"), "")
        # The headers S3 keeps with an object (S3 User Guide, "Working with
        # object metadata"): `aws s3 cp` sends the type it guesses from the name.
        page = os.path.join(tempfile.mkdtemp(), "page.html")
        with open(page, "w") as f:
            f.write("<p>hi</p>")
        h.aws(server, admin, "s3", "cp", page, "s3://test-suite-bucket/page.html", "--cache-control", "max-age=60")
        head = s3.head_object(Bucket="test-suite-bucket", Key="page.html")
        h.check("aws s3 cp keeps the guessed Content-Type and --cache-control, sent back by head_object",
                head.get("ContentType") == "text/html" and head.get("CacheControl") == "max-age=60", str(head))
        # User-defined metadata (S3 User Guide, "Working with object
        # metadata"): kept with names in lower case, sent back as
        # x-amz-meta-*, copied by `aws s3 cp` between keys; at most 2 KB of
        # names and values, else MetadataTooLarge (S3 API Reference, "Error responses").
        s3.put_object(Bucket="test-suite-bucket", Key="tagged.txt", Body=b"x",
                      Metadata={"Owner": "alice", "build-id": "42"})
        meta = s3.head_object(Bucket="test-suite-bucket", Key="tagged.txt").get("Metadata")
        h.check("boto3 put_object Metadata comes back from head_object, names in lower case",
                meta == {"owner": "alice", "build-id": "42"}, str(meta))
        h.aws(server, admin, "s3", "cp", "s3://test-suite-bucket/tagged.txt", "s3://test-suite-bucket/copied.txt")
        meta = s3.get_object(Bucket="test-suite-bucket", Key="copied.txt").get("Metadata")
        h.check("aws s3 cp between keys keeps the metadata", meta == {"owner": "alice", "build-id": "42"}, str(meta))
        try:
            s3.put_object(Bucket="test-suite-bucket", Key="big-meta", Body=b"x", Metadata={"note": "n" * 2045})
            too_large = {}
        except s3.exceptions.ClientError as e:
            too_large = e.response["Error"]
        h.check("boto3 put_object with 2049 bytes of metadata is MetadataTooLarge",
                too_large.get("Code") == "MetadataTooLarge", str(too_large))
        # Keys are at most 1,024 bytes (S3 User Guide, "Naming Amazon S3
        # objects"); S3 answers KeyTooLongError with both sizes (basho/riak_cs#1233).
        try:
            s3.put_object(Bucket="test-suite-bucket", Key="a" * 1025, Body=b"x")
            too_long = {}
        except s3.exceptions.ClientError as e:
            too_long = e.response["Error"]
        h.check("boto3 put_object of a 1025-byte key is KeyTooLongError with Size and MaxSizeAllowed",
                too_long.get("Code") == "KeyTooLongError" and too_long.get("Size") == "1025"
                and too_long.get("MaxSizeAllowed") == "1024", str(too_long))
        out = h.aws(server, admin, "s3", "rb", "s3://test-suite-bucket", "--force")
        h.check("aws s3 rb --force empties and removes it", out.returncode == 0, out.stdout + out.stderr)
        out = h.aws(server, admin, "s3api", "list-buckets")
        names = [b["Name"] for b in json.loads(out.stdout or "{}").get("Buckets", [])]
        h.check("the removed bucket is gone from list-buckets", "test-suite-bucket" not in names and "site" in names,
                str(names))
        out = h.aws(server, admin, "s3api", "create-bucket", "--bucket", "site")
        h.expect_error("aws s3api create-bucket of a name the account holds", out, "BucketAlreadyOwnedByYou",
                       "CreateBucket", "Your previous request to create the named bucket succeeded and you already own it.")
        out = h.aws(server, admin, "s3api", "create-bucket", "--bucket", "Bad_Name")
        h.check("an invalid bucket name is refused", out.returncode != 0
                and ("InvalidBucketName" in out.stderr or "Invalid bucket name" in out.stderr), out.stderr)
    finally:
        server.stop()


def transfers(h):
    """What a test suite's uploads need: a 20 MB `aws s3 cp` (a multipart
    upload of 8 MB parts), a client signing for another region than the
    bucket's (S3's redirect, which botocore follows), and integrity
    values checked."""
    server = h.Server("data-public-bucket.yaml")
    try:
        admin = server.env("arn:aws:iam::222222222222:user/admin")
        h.aws(server, admin, "s3", "mb", "s3://big-transfers")
        source = os.path.join(tempfile.mkdtemp(), "big.bin")
        data = os.urandom(20 * 1024 * 1024)
        with open(source, "wb") as f:
            f.write(data)
        out = h.aws(server, admin, "s3", "cp", source, "s3://big-transfers/big.bin")
        h.check("aws s3 cp of 20 MB uploads in parts", out.returncode == 0, out.stdout + out.stderr)
        out = h.aws(server, admin, "s3api", "head-object", "--bucket", "big-transfers", "--key", "big.bin")
        head = json.loads(out.stdout or "{}")
        h.check("the object joined from 3 parts has a multipart ETag (-3) and its full size",
                head.get("ETag", "").endswith('-3"') and head.get("ContentLength") == len(data), out.stdout + out.stderr)
        back = os.path.join(tempfile.mkdtemp(), "back.bin")
        out = h.aws(server, admin, "s3", "cp", "s3://big-transfers/big.bin", back)
        same = out.returncode == 0 and hashlib.sha256(open(back, "rb").read()).digest() == hashlib.sha256(data).digest()
        h.check("aws s3 cp reads the 20 MB back byte for byte", same, out.stdout + out.stderr)

        # A bucket in eu-west-1, used by a client whose region is us-east-1.
        h.aws(server, admin, "s3api", "create-bucket", "--bucket", "eu-data",
              "--create-bucket-configuration", "LocationConstraint=eu-west-1")
        east = dict(admin, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1")
        small = os.path.join(tempfile.mkdtemp(), "s.txt")
        with open(small, "w") as f:
            f.write("eu")
        out = h.aws(server, east, "s3", "cp", small, "s3://eu-data/s.txt")
        h.check("aws s3 cp to a bucket in another region follows S3's redirect", out.returncode == 0,
                out.stdout + out.stderr)
        out = h.aws(server, east, "s3api", "get-bucket-location", "--bucket", "eu-data")
        h.check("get-bucket-location answers from any region",
                json.loads(out.stdout or "{}").get("LocationConstraint") == "eu-west-1", out.stdout + out.stderr)
        session = h.boto3_session(dict(admin, AWS_REGION="ap-south-1"))
        s3 = session.client("s3", endpoint_url=server.url, region_name="ap-south-1")
        redirected = s3.get_object(Bucket="eu-data", Key="s.txt")
        h.check("boto3 in ap-south-1 reads the eu-west-1 bucket (redirected, re-signed)",
                redirected["Body"].read() == b"eu", str(redirected["ResponseMetadata"]))
        try:
            s3.put_object(Bucket="big-transfers", Key="x", Body=b"hello", ChecksumCRC32="AAAAAA==")
            h.check("boto3 put_object with a wrong CRC32", False, "stored")
        except s3.exceptions.ClientError as e:
            err = e.response["Error"]
            h.check("boto3 put_object with a wrong CRC32 is BadDigest",
                    err["Code"] == "BadDigest"
                    and err["Message"] == "The CRC32 you specified did not match the calculated checksum.", str(err))
        ec2 = session.client("ec2", endpoint_url=server.url, region_name="ap-south-1")
        try:
            ec2.describe_instances()
            h.check("boto3 EC2 against xacct serve", False, "answered")
        except ec2.exceptions.ClientError as e:
            err = e.response["Error"]
            h.check("boto3 EC2 against xacct serve gets NotImplemented naming the service",
                    err["Code"] == "NotImplemented" and "does not speak ec2" in err["Message"], str(err))
        upload = s3.create_multipart_upload(Bucket="big-transfers", Key="abandoned")["UploadId"]
        s3.upload_part(Bucket="big-transfers", Key="abandoned", UploadId=upload, PartNumber=1, Body=b"part")
        s3.abort_multipart_upload(Bucket="big-transfers", Key="abandoned", UploadId=upload)
        try:
            s3.list_parts(Bucket="big-transfers", Key="abandoned", UploadId=upload)
            h.check("an aborted upload is gone", False, "listed")
        except s3.exceptions.ClientError as e:
            err = e.response["Error"]
            h.check("an aborted upload is gone (NoSuchUpload)", err["Code"] == "NoSuchUpload"
                    and e.response["ResponseMetadata"]["HTTPStatusCode"] == 404, str(err))
    finally:
        server.stop()


def javascript(h):
    """The JavaScript SDK v3 (its versions pinned by js/package-lock.json,
    installed by `npm ci --prefix tests/conformance/js`): a cross-account
    read and the KMS refusals, writes virtual-hosted and path-style, a
    lib-storage multipart upload, a redirect followed, the classic flow."""
    if not os.path.isdir(os.path.join(JS, "node_modules")):
        h.check("JS SDK v3 installed", False, "run: npm ci --prefix tests/conformance/js")
        return
    for scenario, arn, group in [
            ("data-kms-cross-account.yaml", "arn:aws:iam::111111111111:user/analyst", "kms"),
            ("data-public-bucket.yaml", "arn:aws:iam::222222222222:user/admin", "writes"),
            ("success.yaml", "arn:aws:iam::111111111111:user/homes", "flow")]:
        server = h.Server(scenario)
        try:
            env = h.isolated(server.env(arn))
            env["NODE_NO_WARNINGS"] = "1"
            out = subprocess.run(["node", os.path.join(JS, "checks.mjs"), group, server.url],
                                 capture_output=True, text=True, env=env, timeout=300)
            lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
            h.check("JS SDK v3 `{}` checks ran".format(group), out.returncode == 0 and lines, out.stderr[-2000:])
            for line in lines:
                h.check(line["name"], line["ok"], line["detail"])
        finally:
            server.stop()
