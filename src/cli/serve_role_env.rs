//! `xacct serve SCENARIO --port N --print-env ROLE_ARN`: a role's session
//! from the running endpoint. A user of the world that the analysis says
//! can always assume the role (no condition needed) signs the AssumeRole,
//! through the endpoint on `--port`, as any client would; the session's
//! `export` lines are printed.

use crate::cloud::aws::{AwsCloud, ConnectOptions, load_sdk_config};
use crate::cloud::{AssumeRoleRequest, Sts};
use crate::exit::Exit;
use crate::render;
use crate::sim::{self, Loaded, NodeKind, Starter};
use xacct_iam::Verdict;

/// The user that always gets into `role`, by the analysis: the first by ARN.
fn way_in(loaded: &Loaded, role: &str) -> Option<String> {
    let graph = loaded.world.graph();
    let id = graph.id(role)?;
    let mut users: Vec<String> = graph
        .edges_to(id)
        .filter(|e| e.verdict == Verdict::Always && graph.node(e.from).kind == NodeKind::User)
        .map(|e| graph.arn(e.from).to_owned())
        .collect();
    users.sort();
    users.into_iter().next()
}

/// Prints the exports of a session of `role` from the endpoint at `url`.
pub(super) fn role_env(loaded: &Loaded, role: &str, url: &str) -> Exit {
    let Some(user) = way_in(loaded, role) else {
        super::eprint(&format!(
            "error: no user of the world can assume {role} without conditions (see `xacct graph {} --to {role}`); export a user's keys and call sts assume-role with what its trust policy needs\n",
            loaded.file
        ));
        return Exit::InvalidInput;
    };
    let creds = match sim::credentials_for(
        loaded,
        &Starter {
            arn: &user,
            ..Default::default()
        },
    ) {
        Ok(creds) => creds,
        Err(e) => {
            super::eprint(&format!("error: {e}\n"));
            return Exit::InvalidInput;
        }
    };
    let runtime = match super::runtime(false) {
        Ok(rt) => rt,
        Err(message) => {
            super::eprint(&format!("error: {message}\n"));
            return Exit::Unexpected;
        }
    };
    let region = loaded.world.region().to_owned();
    let answer = runtime.block_on(async {
        let config = load_sdk_config(&ConnectOptions {
            region: Some(region.clone()),
            endpoint_url: Some(url.to_owned()),
            without_credentials: true,
            ..ConnectOptions::default()
        })
        .await;
        let request = AssumeRoleRequest {
            role_arn: role.to_owned(),
            session_name: "xacct-print-env".to_owned(),
            ..AssumeRoleRequest::default()
        };
        AwsCloud::from_config(&config)
            .assume_role(&creds, &request)
            .await
    });
    match answer {
        Ok(assumed) => {
            super::eprint(&format!(
                "# {} assumed by {user} through {url}\n",
                assumed.arn
            ));
            super::print(&render::serve::exports(&assumed.credentials, &region, url));
            Exit::Ok
        }
        Err(e) => {
            super::eprint(&format!(
                "error: assuming {role} as {user} through {url} failed: {e} (is `xacct serve` of this scenario running on that port, without --scenario-clock?)\n"
            ));
            Exit::from(e.class)
        }
    }
}
