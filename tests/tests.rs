//! One integration-test binary (so the suite links once), modules by theme.
//! Every test reaches nothing but loopback: AWS is played by wiremock on
//! 127.0.0.1 or by aws-smithy-mocks in process, and the instance-metadata
//! endpoint is disabled.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod signing;
mod spawned;
mod support;

mod architecture;
mod assert_unless;
mod cli;
mod connection_flags;
mod creds;
mod creds_use;
mod data_buckets;
mod data_cli;
mod data_headers;
mod data_preconditions;
mod data_props;
mod data_ranges;
mod data_reach;
mod data_write_props;
mod decision_log;
mod diff_edges;
mod diff_grants;
mod explicit_profile;
mod fanout;
mod graph;
mod graph_outside;
mod graph_props;
mod hostile;
mod hostile_creds;
mod hostile_import;
mod hostile_org;
mod hostile_text;
mod iam_corpus;
mod iam_props;
mod import;
mod import_cfn;
mod import_data;
mod import_live;
mod import_real;
mod import_real_plans;
mod inputs;
mod kms_reader;
mod module_graph;
mod names;
mod organizations;
mod picture_world;
mod pictures;
mod policy_cli;
mod policy_strategies;
mod reach_props;
mod role_profile;
mod scenarios;
mod sdk_mocks;
mod secrets;
mod serve_hostile;
mod serve_iam;
mod serve_limits;
mod serve_s3_owner;
mod serve_s3_part_copy;
mod serve_s3_uploads;
mod serve_s3_wire;
mod serve_sdk;
mod serve_signed_edges;
mod serve_state;
mod session_cli;
mod session_props;
mod sigv4_diff;
mod sim_cli;
mod sim_web_identity;
mod sim_world;
mod state_uploads;
mod upload_list_props;
mod validation_props;
mod web_identity;
mod wire;
