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
