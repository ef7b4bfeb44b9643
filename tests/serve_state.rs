//! `xacct serve --state DIR`: what a test suite wrote (a bucket, objects,
//! a bucket setting, an upload in progress and its parts) survives a
//! SIGTERM and a restart; a state written for
//! another version of the scenario file, or damaged, is refused with the
//! file named and exit 3, the world untouched.

use std::process::Command;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_s3::primitives::ByteStream;

use crate::spawned::{Spawned, print_env, scenario};

const ADMIN: &str = "arn:aws:iam::222222222222:user/admin";

async fn s3(server: &Spawned, file: &str) -> aws_sdk_s3::Client {
    let creds = print_env(file, ADMIN, &[]);
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{}", server.addr))
        .credentials_provider(aws_credential_types::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose(),
            None,
            None,
            "t",
        ))
        .load()
        .await;
    aws_sdk_s3::Client::new(&config)
}

fn stop(mut server: Spawned) -> Vec<String> {
    server.terminate();
    let status = server.wait_exit(Duration::from_secs(20)).expect("it stops");
    assert!(status.success(), "{status:?}: {:?}", server.log());
    server.log()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_survive_a_sigterm_and_a_restart() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("data-public-bucket.yaml");
    std::fs::copy(scenario("data-public-bucket.yaml"), &file).expect("copied");
    let file = file.display().to_string();
    let state = dir.path().join("state");
    let state_arg = state.display().to_string();
    let args = ["--quiet", "--state", state_arg.as_str()];

    let first = Spawned::serve(&file, &args);
    let client = s3(&first, &file).await;
    client
        .create_bucket()
        .bucket("suite-output")
        .send()
        .await
        .expect("made");
    client
        .put_object()
        .bucket("suite-output")
        .key("run/1.json")
        .content_type("application/json")
        .body(ByteStream::from_static(b"{\"ok\":true}"))
        .send()
        .await
        .expect("stored");
    client
        .delete_object()
        .bucket("site")
        .key("index.html")
        .send()
        .await
        .expect("deleted");
    let upload = client
        .create_multipart_upload()
        .bucket("suite-output")
        .key("run/big.bin")
        .send()
        .await
        .expect("an upload")
        .upload_id()
        .expect("id")
        .to_owned();
    let part = client
        .upload_part()
        .bucket("suite-output")
        .key("run/big.bin")
        .upload_id(&upload)
        .part_number(1)
        .body(ByteStream::from_static(b"part one"))
        .send()
        .await
        .expect("a part")
        .e_tag()
        .expect("ETag")
        .to_owned();
    let log = stop(first);
    assert!(
        log.iter()
            .any(|l| l.contains("objects, 1 upload in progress written to")),
        "{log:?}"
    );
    let format = |state: &std::path::Path| {
        let text = std::fs::read_to_string(state.join("xacct-state.json")).expect("manifest");
        serde_json::from_str::<serde_json::Value>(&text).expect("json")["format"].as_u64()
    };
    // A state holding uploads is format 2 (an earlier xacct refuses it
    // rather than drop them).
    assert_eq!(format(&state), Some(2));

    let second = Spawned::serve(&file, &args);
    assert!(
        second
            .log_when(|l| l.iter().any(|l| l.contains("restored from")))
            .iter()
            .any(|l| l.contains("restored from")),
    );
    let client = s3(&second, &file).await;
    let got = client
        .get_object()
        .bucket("suite-output")
        .key("run/1.json")
        .send()
        .await
        .expect("kept across the restart");
    assert_eq!(
        got.content_type(),
        Some("application/json"),
        "its Content-Type too"
    );
    assert_eq!(
        &got.body.collect().await.expect("body").into_bytes()[..],
        b"{\"ok\":true}"
    );
    let gone = client
        .head_object()
        .bucket("site")
        .key("index.html")
        .send()
        .await;
    assert!(gone.is_err(), "a deletion is kept too");
    // The upload goes on where it was: listed, its part kept, completed.
    let listed = client
        .list_multipart_uploads()
        .bucket("suite-output")
        .send()
        .await
        .expect("uploads");
    assert_eq!(
        listed
            .uploads()
            .iter()
            .map(|u| (u.key(), u.upload_id()))
            .collect::<Vec<_>>(),
        [(Some("run/big.bin"), Some(upload.as_str()))]
    );
    let parts = client
        .list_parts()
        .bucket("suite-output")
        .key("run/big.bin")
        .upload_id(&upload)
        .send()
        .await
        .expect("parts");
    assert_eq!(
        parts.parts().iter().map(|p| p.e_tag()).collect::<Vec<_>>(),
        [Some(part.as_str())]
    );
    client
        .complete_multipart_upload()
        .bucket("suite-output")
        .key("run/big.bin")
        .upload_id(&upload)
        .multipart_upload(
            aws_sdk_s3::types::CompletedMultipartUpload::builder()
                .parts(
                    aws_sdk_s3::types::CompletedPart::builder()
                        .part_number(1)
                        .e_tag(&part)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("completed after the restart");
    let joined = client
        .get_object()
        .bucket("suite-output")
        .key("run/big.bin")
        .send()
        .await
        .expect("the object");
    assert_eq!(
        &joined.body.collect().await.expect("body").into_bytes()[..],
        b"part one"
    );
    stop(second);
    // With no upload left in progress, the state is format 1 again.
    assert_eq!(format(&state), Some(1));

    // A body changed on disk is refused, naming the object.
    let body = std::fs::read_dir(state.join("objects"))
        .expect("bodies")
        .flatten()
        .next()
        .expect("a body")
        .path();
    let kept = std::fs::read(&body).expect("read");
    std::fs::write(&body, b"tampered").expect("tampered");
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["serve", &file, "--port", "0", "--state", &state_arg])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("does not have the SHA-256"), "{stderr}");
    std::fs::write(&body, kept).expect("put back");

    // The scenario file changed: the state no longer fits it.
    let mut text = std::fs::read_to_string(&file).expect("read");
    text.push_str("\n# edited\n");
    std::fs::write(&file, text).expect("written");
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["serve", &file, "--port", "0", "--state", &state_arg])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("xacct-state.json") && stderr.contains("another version of the scenario"),
        "{stderr}"
    );

    // A damaged body is refused, naming what is wrong.
    std::fs::write(state.join("xacct-state.json"), "{not json").expect("damaged");
    let out = Command::new(env!("CARGO_BIN_EXE_xacct"))
        .args(["serve", &file, "--port", "0", "--state", &state_arg])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("is not a state xacct wrote"), "{stderr}");
}
