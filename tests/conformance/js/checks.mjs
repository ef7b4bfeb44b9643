// The JavaScript SDK v3 against `xacct serve`: one group of checks per
// call, credentials from the environment (as `xacct serve --print-env`
// exports them), one JSON line per check on stdout. Called by
// tests/conformance/data_checks.py.
//
//   node checks.mjs GROUP ENDPOINT_URL
//
// Groups: kms (data-kms-cross-account.yaml as the partner's analyst),
// writes (data-public-bucket.yaml as the admin), flow (success.yaml as homes).

import { createHash } from "node:crypto";
import http from "node:http";
import {
  S3Client, GetObjectCommand, PutObjectCommand, ListObjectsV2Command,
  CreateBucketCommand, ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { STSClient, AssumeRoleCommand } from "@aws-sdk/client-sts";
import { Upload } from "@aws-sdk/lib-storage";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const [group, url] = process.argv.slice(2);
const region = process.env.AWS_REGION || "us-east-1";

function check(name, ok, detail = "") {
  console.log(JSON.stringify({ name: "JS SDK v3: " + name, ok: Boolean(ok), detail: String(detail) }));
}

async function refused(name, promise, code, status, message) {
  try {
    await promise;
    check(name, false, "allowed");
  } catch (e) {
    check(name, e.name === code && e.$metadata?.httpStatusCode === status && e.message === message,
      `${e.name} ${e.$metadata?.httpStatusCode} ${e.message}`);
  }
}

// `*.localhost` may not resolve on this machine: every name goes to loopback,
// as it does with systemd-resolved or on macOS.
const loopback = new http.Agent({
  keepAlive: true,
  lookup: (_host, options, callback) =>
    options && options.all ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : callback(null, "127.0.0.1", 4),
});

function s3(options = {}) {
  return new S3Client({ endpoint: url, region, forcePathStyle: true, ...options });
}

async function kms() {
  const client = s3();
  const got = await client.send(new GetObjectCommand({ Bucket: "shared-reports", Key: "q1.csv" }));
  const body = await got.Body.transformToString();
  check("GetObject of an SSE-KMS object the key policy shares", body === "shared" && got.ServerSideEncryption === "aws:kms",
    `${body} ${got.ServerSideEncryption}`);
  await refused("GetObject refused by the key policy (AccessDenied, 403)",
    client.send(new GetObjectCommand({ Bucket: "locked-reports", Key: "q1.csv" })), "AccessDenied", 403, "Access Denied");
  await refused("GetObject refused by the aws/s3 managed key",
    client.send(new GetObjectCommand({ Bucket: "default-reports", Key: "q1.csv" })), "AccessDenied", 403, "Access Denied");
}

async function writes() {
  // Virtual-hosted, as the SDK addresses `http://localhost:PORT` by default.
  const port = new URL(url).port;
  const hosted = new S3Client({
    endpoint: `http://localhost:${port}`, region,
    requestHandler: new NodeHttpHandler({ httpAgent: loopback }),
  });
  await hosted.send(new PutObjectCommand({ Bucket: "site", Key: "js/hello.txt", Body: "hello from js" }));
  const listed = await hosted.send(new ListObjectsV2Command({ Bucket: "site", Prefix: "js/" }));
  check("PutObject and ListObjectsV2 virtual-hosted (Host: site.localhost)",
    (listed.Contents || []).map((o) => o.Key).join(",") === "js/hello.txt", JSON.stringify(listed.Contents));

  // A multipart upload through lib-storage: 12 MiB in 5 MiB parts.
  const data = Buffer.alloc(12 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
  const client = s3();
  const done = await new Upload({ client, params: { Bucket: "site", Key: "js/big.bin", Body: data } }).done();
  check("lib-storage Upload of 12 MiB completes in 3 parts", String(done.ETag).endsWith('-3"'), done.ETag);
  const back = await client.send(new GetObjectCommand({ Bucket: "site", Key: "js/big.bin" }));
  const bytes = Buffer.from(await back.Body.transformToByteArray());
  const digest = (b) => createHash("sha256").update(b).digest("hex");
  check("the upload reads back byte for byte", digest(bytes) === digest(data), `${bytes.length} bytes`);

  // A bucket in eu-west-1, used from us-east-1: JS v3 follows S3's 301
  // when asked to (followRegionRedirects).
  await client.send(new CreateBucketCommand({
    Bucket: "js-eu", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
  }));
  await refused("a bucket in another region is a PermanentRedirect (301)",
    s3({ region: "us-east-1" }).send(new ListObjectsV2Command({ Bucket: "js-eu" })),
    "PermanentRedirect", 301,
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.");
  const following = s3({ region: "us-east-1", followRegionRedirects: true });
  await following.send(new PutObjectCommand({ Bucket: "js-eu", Key: "k", Body: "eu" }));
  const eu = await following.send(new GetObjectCommand({ Bucket: "js-eu", Key: "k" }));
  check("followRegionRedirects re-signs for eu-west-1 and reads the object",
    (await eu.Body.transformToString()) === "eu");
}

async function flow() {
  const sts = new STSClient({ endpoint: url, region });
  const assumed = await sts.send(new AssumeRoleCommand({
    RoleArn: "arn:aws:iam::222222222222:role/s3-viewer", RoleSessionName: "js",
  }));
  const c = assumed.Credentials;
  check("AssumeRole across accounts", c && c.AccessKeyId.startsWith("ASIA"), c && c.AccessKeyId);
  const b = new S3Client({
    endpoint: url, region, forcePathStyle: true,
    credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken },
  });
  const listed = await b.send(new ListBucketsCommand({}));
  check("ListBuckets with the role's session lists account B's buckets",
    (listed.Buckets || []).map((x) => x.Name).join(",") === "account-b-bucket", JSON.stringify(listed.Buckets));
}

const groups = { kms, writes, flow };
try {
  await groups[group]();
} catch (e) {
  check(`${group}: no unexpected error`, false, `${e.name}: ${e.message}`);
}
