//! The Tigris paths of the bucket commands against the stand-in: the
//! request each command sends, with exactly which Tigris headers, and
//! what it prints. Secrets never appear in output or errors, except a new
//! key's secret, printed once on stdout.

use crate::cli::{wasm_agent, Run};
use crate::stub::{Reply, Request, Stub};

/// The snapshot version the stand-in hands out.
const VERSION: &str = "1751631910169675092";
/// The keys the CLI signs with.
const ACCESS_KEY: &str = "tid_CLI_TEST";
const SECRET_KEY: &str = "tsec_CLI_TEST_SIGNING_SECRET";
/// The secret of the keys the stand-in creates.
const NEW_SECRET: &str = "tsec_NEWLY_CREATED_SECRET";

/// Tigris as far as the commands need it.
fn tigris(request: &Request) -> Reply {
    let xml = |body: String| {
        Reply::status(200)
            .header("content-type", "application/xml")
            .body(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{body}"))
    };
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/") if request.query.contains("CreateAccessKeyWithBucketsRole") => {
            Reply::status(200)
                .header("content-type", "application/json")
                .body(format!(
                    r#"{{"CreateAccessKeyResult":{{"AccessKey":{{"AccessKeyId":"tid_NEW","SecretAccessKey":"{NEW_SECRET}","Status":"Active"}}}}}}"#
                ))
        }
        ("POST", "/") => Reply::status(200)
            .header("content-type", "application/json")
            .body("{}"),
        ("GET", "/") => xml(format!(
            "<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>\
             <Bucket><Name>{VERSION}; name=step-1</Name>\
             <CreationDate>2025-07-04T12:25:10.000Z</CreationDate></Bucket>\
             <Bucket><Name>1751631999000000000</Name>\
             <CreationDate>2025-07-04T12:26:39.000Z</CreationDate></Bucket>\
             </Buckets></ListAllMyBucketsResult>"
        )),
        ("PUT", _) if request.header("x-tigris-snapshot").is_some() => {
            Reply::status(200).header("x-tigris-snapshot-version", VERSION)
        }
        ("PUT", _) => Reply::status(200),
        ("HEAD", _) => Reply::status(200).header("x-tigris-fork-source-bucket", "base-b-base"),
        ("GET", _) if request.query.contains("list-type=2") => xml(
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>\
             <IsTruncated>false</IsTruncated></ListBucketResult>"
                .to_owned(),
        ),
        ("GET", _) => Reply::s3_error(404, "NoSuchKey"),
        ("DELETE", _) => Reply::status(204),
        _ => Reply::s3_error(400, "InvalidRequest"),
    }
}

/// Tigris keys in the environment, IAM on the stand-in.
fn env(stub: &Stub) -> Vec<(&'static str, String)> {
    vec![
        ("TIGRIS_STORAGE_ACCESS_KEY_ID", ACCESS_KEY.into()),
        ("TIGRIS_STORAGE_SECRET_ACCESS_KEY", SECRET_KEY.into()),
        ("TIGRIS_STORAGE_IAM_ENDPOINT", stub.endpoint().into()),
    ]
}

/// `wasm-agent ARGS --tigris --endpoint <stub>`; the signing secret is
/// never printed.
fn cli(stub: &Stub, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(["--tigris", "--endpoint", stub.endpoint()]);
    let env = env(stub);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let run = wasm_agent(&all, &env);
    assert!(
        !run.stdout.contains(SECRET_KEY) && !run.stderr.contains(SECRET_KEY),
        "the signing secret was printed: {run:#?}"
    );
    run
}

/// The Tigris headers of the only request to `line`.
#[track_caller]
fn headers_of(stub: &Stub, line: &str) -> Vec<(String, String)> {
    let found: Vec<Request> = stub
        .requests()
        .into_iter()
        .filter(|r| r.line() == line)
        .collect();
    assert_eq!(found.len(), 1, "{line} in {:?}", stub.lines());
    found[0].tigris_headers()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn snapshot_takes_a_tigris_snapshot_and_lists_them() {
    let stub = Stub::start(tigris);
    let run = cli(&stub, &["snapshot", "s3://base-b", "--name", "step-1"]);
    assert_eq!(run.ok(), format!("{VERSION}\n"));
    assert_eq!(
        headers_of(&stub, "PUT /base-b"),
        pairs(&[("x-tigris-snapshot", "true; name=step-1")])
    );
    let run = cli(&stub, &["snapshot", "list", "s3://base-b"]);
    assert_eq!(
        run.ok(),
        format!(
            "{VERSION}\t2025-07-04T12:25:10Z\tstep-1\n1751631999000000000\t2025-07-04T12:26:39Z\t-\n"
        )
    );
    assert_eq!(
        headers_of(&stub, "GET /"),
        pairs(&[("x-tigris-snapshot", "base-b")])
    );
    // Native snapshots are of whole buckets: refused before any request.
    cli(&stub, &["snapshot", "s3://base-b/prefix"]).fails(2, &["whole buckets", "s3://base-b"]);
    assert_eq!(stub.requests().len(), 2);
}

#[test]
fn fork_makes_a_tigris_bucket_fork_at_a_snapshot() {
    let stub = Stub::start(tigris);
    let run = cli(
        &stub,
        &["fork", "s3://base-b", "s3://base-b-fork", "--at", VERSION],
    );
    assert_eq!(run.ok(), "s3://base-b-fork\n");
    assert!(run.stderr.contains("Tigris fork"), "{run:#?}");
    assert_eq!(
        headers_of(&stub, "PUT /base-b-fork"),
        pairs(&[
            ("x-tigris-fork-source-bucket", "base-b"),
            ("x-tigris-fork-source-bucket-snapshot", VERSION),
        ])
    );
    cli(&stub, &["fork", "s3://base-b", "s3://base-b/fork"]).fails(2, &["whole buckets"]);
    assert_eq!(stub.requests().len(), 1);
}

#[test]
fn checkpoints_are_labelled_snapshots_and_restore_forks_at_one() {
    let stub = Stub::start(tigris);
    assert_eq!(
        cli(&stub, &["checkpoint", "s3://base-b", "step-1"]).ok(),
        format!("{VERSION}\n")
    );
    assert_eq!(
        headers_of(&stub, "PUT /base-b"),
        pairs(&[("x-tigris-snapshot", "true; name=step-1")])
    );
    let listed = cli(&stub, &["checkpoint", "list", "s3://base-b"]);
    assert!(
        listed.ok().starts_with(&format!("{VERSION}\t")),
        "{listed:#?}"
    );
    let run = cli(
        &stub,
        &[
            "restore",
            "s3://base-b",
            VERSION,
            "--as",
            "s3://base-b-retry",
        ],
    );
    assert_eq!(run.ok(), "s3://base-b-retry\n");
    assert_eq!(
        headers_of(&stub, "PUT /base-b-retry"),
        pairs(&[
            ("x-tigris-fork-source-bucket", "base-b"),
            ("x-tigris-fork-source-bucket-snapshot", VERSION),
        ])
    );
    // Without --as the library names the bucket.
    let run = cli(&stub, &["restore", "s3://base-b", VERSION]);
    assert!(run.ok().starts_with("s3://base-b-restore-"), "{run:#?}");
    cli(
        &stub,
        &[
            "checkpoint",
            "s3://base-b",
            "x",
            "--store",
            "s3://elsewhere",
        ],
    )
    .fails(2, &["--store is for portable checkpoints"]);
}

#[test]
fn merge_of_a_bucket_fork_goes_into_its_source() {
    let stub = Stub::start(tigris);
    // Without --into, the parent is the source Tigris reports.
    let run = cli(&stub, &["merge", "s3://base-b-fork"]);
    assert_eq!(run.ok(), "merged s3://base-b-fork into s3://base-b-base\n");
    assert_eq!(
        headers_of(&stub, "PUT /base-b-base"),
        pairs(&[("x-tigris-merge-source-bucket", "base-b-fork")])
    );
    assert!(stub.lines().contains(&"HEAD /base-b-fork".to_owned()));
    let run = cli(
        &stub,
        &["merge", "s3://base-b-fork", "--into", "s3://other"],
    );
    assert_eq!(run.ok(), "merged s3://base-b-fork into s3://other\n");
    cli(
        &stub,
        &["merge", "s3://base-b-fork", "--on-conflict", "fail"],
    )
    .fails(2, &["Tigris settles conflicting objects"]);
    cli(&stub, &["diff", "s3://base-b-fork"]).fails(2, &["is not a fork", "Tigris has no diff"]);
}

#[test]
fn workspace_create_prints_the_new_keys_secret_once() {
    let stub = Stub::start(tigris);
    let run = cli(
        &stub,
        &[
            "workspace",
            "create",
            "ws-t",
            "--snapshots",
            "--key",
            "editor",
        ],
    );
    assert_eq!(
        run.ok(),
        format!(
            "workspace: s3://ws-t\nsnapshots: enabled\naccess key id: tid_NEW\n\
             secret access key: {NEW_SECRET}\n"
        )
    );
    assert!(run.stderr.contains("shown only this once"), "{run:#?}");
    assert!(!run.stderr.contains(NEW_SECRET), "{run:#?}");
    assert_eq!(
        headers_of(&stub, "PUT /ws-t"),
        pairs(&[("x-tigris-enable-snapshot", "true")])
    );
    let iam = stub
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("an IAM request");
    assert!(
        iam.body.contains("ws-t") && iam.body.contains("Editor"),
        "{iam:?}"
    );
    cli(
        &stub,
        &["workspace", "create", "ws-t2", "--snapshots", "--ttl", "3"],
    )
    .fails(2, &["does not allow a TTL"]);
}

#[test]
fn a_half_made_workspace_names_the_command_that_removes_it() {
    let stub = Stub::start(|request| {
        if request.method == "POST" {
            Reply::status(403)
                .header("content-type", "application/json")
                .body(r#"{"Code":"AccessDenied","Message":"no"}"#)
        } else {
            tigris(request)
        }
    });
    cli(
        &stub,
        &["workspace", "create", "ws-t", "--key", "read-only"],
    )
    .fails(2, &["AccessDenied", "`wasm-agent workspace delete ws-t`"]);
}

#[test]
fn workspace_forks_snapshot_once_and_fork_at_it() {
    let stub = Stub::start(tigris);
    let run = cli(
        &stub,
        &["workspace", "forks", "base-b", "2", "--prefix", "run"],
    );
    assert_eq!(
        run.ok(),
        format!("snapshot {VERSION}\ns3://run-0\ns3://run-1\n")
    );
    assert_eq!(
        headers_of(&stub, "PUT /base-b"),
        pairs(&[("x-tigris-snapshot", "true")])
    );
    for fork in ["PUT /run-0", "PUT /run-1"] {
        assert_eq!(
            headers_of(&stub, fork),
            pairs(&[
                ("x-tigris-fork-source-bucket", "base-b"),
                ("x-tigris-fork-source-bucket-snapshot", VERSION),
            ])
        );
    }
    cli(&stub, &["workspace", "forks", "base-b", "0"]).fails(2, &["asked for 0 forks"]);
}

#[test]
fn deletes_revoke_keys_before_force_deleting_buckets() {
    let stub = Stub::start(tigris);
    let run = cli(
        &stub,
        &["workspace", "delete", "ws-t", "--key-id", "tid_OLD"],
    );
    assert_eq!(run.ok(), "deleted s3://ws-t\n");
    assert_eq!(stub.lines(), ["POST /", "DELETE /ws-t"]);
    assert!(stub.requests()[0].body.contains("AccessKeyId=tid_OLD"));
    assert!(
        headers_of(&stub, "DELETE /ws-t").contains(&("tigris-force-delete".into(), "true".into()))
    );

    let stub = Stub::start(tigris);
    let run = cli(&stub, &["workspace", "forks-delete", "run-0", "s3://run-1"]);
    assert_eq!(run.ok(), "deleted s3://run-0\ndeleted s3://run-1\n");
    assert_eq!(stub.lines(), ["DELETE /run-0", "DELETE /run-1"]);
}

#[test]
fn tigris_keys_choose_tigris_unless_an_endpoint_is_given() {
    let stub = Stub::start(tigris);
    let mut env = env(&stub);
    env.push(("TIGRIS_STORAGE_ENDPOINT", stub.endpoint().into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    // Keys and endpoint from the environment: Tigris, no flag needed.
    let run = wasm_agent(&["snapshot", "s3://base-b", "--path-style"], &env);
    assert_eq!(run.ok(), format!("{VERSION}\n"));
    // An explicit endpoint without --tigris is any S3 server: portable.
    wasm_agent(
        &["snapshot", "s3://base-b", "--endpoint", stub.endpoint()],
        &env,
    )
    .fails(2, &["a portable snapshot is a copy"]);
    assert_eq!(stub.lines(), ["PUT /base-b"]);
}
