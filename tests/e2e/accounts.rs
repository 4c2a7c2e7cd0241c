//! People's accounts through the API, on both databases: editors set an organisation's
//! domains and whether it accepts members, the membership rule applies at a first
//! sign-in, editors grant pending requests and admins appoint; every refusal has its code
//! and writes nothing.

use kb_domain::{Language, NodeId, Role};
use kb_store::{Actor, Identity};
use serde_json::json;

use crate::on_both;
use crate::support::{TestApp, at, error_code};

async fn key(app: &TestApp, role: Role, org: Option<kb_domain::OrganisationId>) -> String {
    app.store
        .create_api_key(&Actor::cli(), "accounts", role, org, None)
        .await
        .expect("key")
        .secret
}

fn person(subject: &str, email: &str) -> Identity {
    Identity {
        issuer: "https://idp.example".to_owned(),
        subject: subject.to_owned(),
        email: Some(email.to_owned()),
        name: format!("Persoon {subject}"),
        language: Language::Nl,
        home_organisation: None,
        affiliation: None,
    }
}

const MEMBERSHIP: &str = "mutation($input: SetOrganisationMembershipInput!) {
  setOrganisationMembership(input: $input) { domains acceptsMembers } }";

on_both!(editors_set_domains_and_grant_requests_admins_appoint);
async fn editors_set_domains_and_grant_requests_admins_appoint(app: TestApp) {
    let org = app
        .data(
            r#"{ organisation(slug: "hogeschool-waddenpoort") { id } }"#,
            json!({}),
        )
        .await;
    let org_id = at(&org, "organisation.id").as_str().expect("id").to_owned();
    let row = kb_domain::OrganisationId::decode("id", &org_id).expect("row id");
    let editor = key(&app, Role::Editor, None).await;
    let admin = key(&app, Role::Admin, None).await;
    let contributor = key(&app, Role::Contributor, Some(row)).await;
    let input = json!({ "input": {
        "organisation": org_id, "domains": ["Waddenpoort.example", "hwp.example"],
        "acceptsMembers": false } });

    // A contributor may not; nothing is written.
    let r = app.gql_as(&contributor, MEMBERSHIP, input.clone()).await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    assert_eq!(
        app.store.organisation_membership(row).await.expect("read"),
        (Vec::new(), false)
    );
    // A bad domain names its field; nothing is written.
    let bad = json!({ "input": { "organisation": org_id, "domains": ["ok.example", "nope"],
        "acceptsMembers": true } });
    let r = app.gql_as(&editor, MEMBERSHIP, bad).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert_eq!(at(&r, "errors.0.extensions.field"), "input.domains.1");
    let r = app.gql_as(&editor, MEMBERSHIP, input).await;
    assert_eq!(
        r["data"]["setOrganisationMembership"],
        json!({ "domains": ["hwp.example", "waddenpoort.example"], "acceptsMembers": false })
    );

    // A first sign-in with an address of those domains is a pending request.
    let a = app
        .store
        .sign_in_account(&person("p1", "Jo@Studie.Waddenpoort.example"))
        .await
        .expect("account");
    let pending = app
        .gql_as(
            &editor,
            "{ accounts(status: PENDING) { id name role status organisation { id }
               requestedOrganisation { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        pending["data"]["accounts"],
        json!([{ "id": a.id.0, "name": "Persoon p1", "role": "CONTRIBUTOR", "status": "PENDING",
                 "organisation": null, "requestedOrganisation": { "id": org_id } }])
    );
    let r = app
        .gql_as(&contributor, "{ accounts { id } }", json!({}))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");

    let grant = "mutation($a: Int!) { grantAccount(account: $a) {
        account { status organisation { id } requestedOrganisation { id } } } }";
    let r = app
        .gql_as(&contributor, grant, json!({ "a": a.id.0 }))
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    let r = app.gql_as(&editor, grant, json!({ "a": a.id.0 })).await;
    assert_eq!(
        r["data"]["grantAccount"]["account"],
        json!({ "status": "ACTIVE", "organisation": { "id": org_id }, "requestedOrganisation": null })
    );

    // Only admins appoint.
    let appoint = "mutation($a: Int!) { setAccountRole(account: $a, role: EDITOR) {
        account { role status } } }";
    let r = app.gql_as(&editor, appoint, json!({ "a": a.id.0 })).await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    let r = app.gql_as(&admin, appoint, json!({ "a": a.id.0 })).await;
    assert_eq!(
        r["data"]["setAccountRole"]["account"],
        json!({ "role": "EDITOR", "status": "ACTIVE" })
    );
    let r = app.gql_as(&admin, appoint, json!({ "a": 999_999 })).await;
    assert_eq!(error_code(&r), "NOT_FOUND");

    // Once the organisation accepts members, the next person joins at once.
    let open = json!({ "input": { "organisation": org_id, "domains": ["waddenpoort.example"],
        "acceptsMembers": true } });
    app.gql_as(&editor, MEMBERSHIP, open).await;
    let b = app
        .store
        .sign_in_account(&person("p2", "kim@waddenpoort.example"))
        .await
        .expect("account");
    assert_eq!(b.organisation_id, Some(row));
    assert_eq!(
        b.viewer(),
        kb_domain::Viewer::Contributor {
            organisation_id: row
        }
    );
    let refuse = "mutation($a: Int!) { refuseAccount(account: $a) { account { status organisation { id } } } }";
    let r = app.gql_as(&editor, refuse, json!({ "a": b.id.0 })).await;
    assert_eq!(
        r["data"]["refuseAccount"]["account"],
        json!({ "status": "REFUSED", "organisation": null })
    );
}

on_both!(the_accounts_commands_list_grant_refuse_and_appoint);
async fn the_accounts_commands_list_grant_refuse_and_appoint(app: TestApp) {
    let bin = env!("CARGO_BIN_EXE_kennisbank");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .arg("--database-url")
            .arg(&app.database_url)
            .args(args)
            .env("KB_LOG", "warn")
            .output()
            .expect("run kennisbank");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let org = app
        .store
        .organisation_by_slug(kb_domain::Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("read")
        .expect("organisation")
        .id;
    app.store
        .set_organisation_membership(
            kb_domain::Viewer::Editor,
            org,
            &["waddenpoort.example".to_owned()],
            false,
        )
        .await
        .expect("domains");
    let a = app
        .store
        .sign_in_account(&person("c1", "sam@waddenpoort.example"))
        .await
        .expect("account");
    let b = app
        .store
        .sign_in_account(&person("c2", "lee@waddenpoort.example"))
        .await
        .expect("account");

    let (ok, list) = run(&["accounts", "list", "--status", "pending"]);
    assert!(ok);
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(rows[0].contains("sam@waddenpoort.example") && rows[0].contains("pending"));

    assert!(run(&["accounts", "grant", &a.id.to_string()]).0);
    assert!(run(&["accounts", "refuse", &b.id.to_string()]).0);
    assert!(run(&["accounts", "set-role", &b.id.to_string(), "editor"]).0);
    let a = app.store.account(a.id).await.expect("read").expect("a");
    assert_eq!(
        a.viewer(),
        kb_domain::Viewer::Contributor {
            organisation_id: org
        }
    );
    let b = app.store.account(b.id).await.expect("read").expect("b");
    assert_eq!(b.viewer(), kb_domain::Viewer::Editor);
    let (ok, list) = run(&["accounts", "list", "--status", "pending"]);
    assert!(ok);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(!run(&["accounts", "set-role", &a.id.to_string(), "wizard"]).0);
    assert!(!run(&["accounts", "list", "--status", "asleep"]).0);
}
