//! API keys and roles: `Authorization: Bearer`, `me`, revocation and expiry, what each
//! role reads, and the `kennisbank keys` commands.

use std::process::Command;

use kb_domain::{InitiativeFilter, Role, Status, Viewer, Vocabulary};
use serde_json::{Value, json};

use crate::on_both;
use crate::oracle;
use crate::support::{TestApp, error_code};

async fn org_id(app: &TestApp, slug: &str) -> kb_domain::OrganisationId {
    app.store
        .organisation_by_slug(Viewer::Editor, slug)
        .await
        .expect("lookup")
        .expect("organisation")
        .id
}

const ME: &str = "{ me { keyName keyPrefix role organisation { slug } expiresAt } }";

on_both!(me_names_the_key_and_its_role);
async fn me_names_the_key_and_its_role(app: TestApp) {
    let anonymous = app.data(ME, json!({})).await;
    assert_eq!(anonymous["me"], Value::Null);
    let org = org_id(&app, "hogeschool-waddenpoort").await;
    let k = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "intranet Waddenpoort",
            Role::Contributor,
            Some(org),
            None,
        )
        .await
        .expect("key");
    assert!(k.secret.starts_with("kb_"));
    assert_eq!(k.secret.len(), 3 + 43, "256 bits, base64url");
    let me = app.gql_as(&k.secret, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["keyName"], "intranet Waddenpoort");
    assert_eq!(me["data"]["me"]["role"], "CONTRIBUTOR");
    assert_eq!(
        me["data"]["me"]["organisation"]["slug"],
        "hogeschool-waddenpoort"
    );
    assert_eq!(me["data"]["me"]["keyPrefix"], &k.secret[..10]);
    let listed = app
        .store
        .list_api_keys(kb_domain::Viewer::Admin)
        .await
        .expect("list");
    assert!(listed[0].last_used_at.is_some(), "use is recorded");
    for role in [Role::Partner, Role::Editor, Role::Admin] {
        let k = app
            .store
            .create_api_key(&kb_store::Actor::cli(), "k", role, None, None)
            .await
            .expect("key");
        let me = app.gql_as(&k.secret, ME, json!({})).await;
        assert_eq!(me["data"]["me"]["role"], role.as_str().to_uppercase());
    }
}

on_both!(revoked_expired_and_malformed_keys_are_unauthenticated);
async fn revoked_expired_and_malformed_keys_are_unauthenticated(app: TestApp) {
    let k = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "soon gone",
            Role::Editor,
            None,
            None,
        )
        .await
        .expect("key");
    assert_eq!(
        app.gql_as(&k.secret, ME, json!({})).await["data"]["me"]["role"],
        "EDITOR"
    );
    app.store
        .revoke_api_key(&kb_store::Actor::cli(), k.key.id)
        .await
        .expect("revoke");
    let r = app.gql_as(&k.secret, ME, json!({})).await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    assert!(r.get("data").is_none(), "no data, not even anonymous data");
    let soon = chrono::Utc::now() + chrono::Duration::milliseconds(1200);
    let e = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "short",
            Role::Partner,
            None,
            Some(soon),
        )
        .await
        .expect("key");
    assert_eq!(
        app.gql_as(&e.secret, ME, json!({})).await["data"]["me"]["role"],
        "PARTNER"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        error_code(&app.gql_as(&e.secret, ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    let r = app
        .client()
        .post(app.url("/graphql"))
        .header("authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 401);
    // Keys for contributors need an organisation, and only they have one.
    let err = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "x", Role::Contributor, None, None)
        .await
        .expect_err("refused");
    assert_eq!(refused_field(&err), Some("organisation"), "{err:?}");
    let err = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "x",
            Role::Editor,
            Some(kb_domain::OrganisationId(1)),
            None,
        )
        .await
        .expect_err("refused");
    assert_eq!(refused_field(&err), Some("organisation"), "{err:?}");
}

/// The field a store error refuses, when it is a domain error.
fn refused_field(err: &kb_store::StoreError) -> Option<&str> {
    match err {
        kb_store::StoreError::Domain(d) => d.field.as_deref(),
        _ => None,
    }
}

on_both!(each_role_reads_what_it_may_see);
async fn each_role_reads_what_it_may_see(app: TestApp) {
    let demo = oracle::demo();
    let all = json!({ "statuses": ["DRAFT", "SUBMITTED", "PUBLISHED", "REJECTED", "ARCHIVED"] });
    let q = "query($f: InitiativeFilter) {
      initiatives(filter: $f, first: 100) { totalCount nodes { slug status } }
    }";
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "e", Role::Editor, None, None)
        .await
        .expect("key");
    let partner = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "p", Role::Partner, None, None)
        .await
        .expect("key");
    let d = app.gql_as(&editor.secret, q, json!({ "f": all })).await;
    assert_eq!(
        d["data"]["initiatives"]["totalCount"],
        demo.initiative.len()
    );
    let d = app.gql_as(&partner.secret, q, json!({ "f": all })).await;
    assert_eq!(
        d["data"]["initiatives"]["totalCount"],
        demo.published().count()
    );
    // A contributor sees its own organisation's drafts, and no one else's.
    let draft = demo
        .hidden()
        .find(|i| i.status == "draft")
        .expect("a draft");
    let owner = &draft.organisations[0].slug;
    let own = org_id(&app, owner).await;
    let contributor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "c",
            Role::Contributor,
            Some(own),
            None,
        )
        .await
        .expect("key");
    let d = app
        .gql_as(&contributor.secret, q, json!({ "f": all }))
        .await;
    let slugs: Vec<&str> = d["data"]["initiatives"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["slug"].as_str().expect("slug"))
        .collect();
    assert!(slugs.contains(&draft.slug.as_str()));
    let mine_hidden = demo
        .hidden()
        .filter(|i| i.organisations.iter().any(|o| &o.slug == owner))
        .count();
    assert_eq!(
        d["data"]["initiatives"]["totalCount"],
        demo.published().count() + mine_hidden
    );
    for i in demo
        .hidden()
        .filter(|i| !i.organisations.iter().any(|o| &o.slug == owner))
    {
        assert!(
            !slugs.contains(&i.slug.as_str()),
            "{} is another organisation's",
            i.slug
        );
    }
    // The store agrees with the API.
    let filter = InitiativeFilter {
        statuses: Status::ALL.to_vec(),
        ..Default::default()
    };
    let n = app
        .store
        .count_initiatives(
            Viewer::Contributor {
                organisation_id: own,
            },
            &filter,
        )
        .await
        .expect("count");
    assert_eq!(n as usize, demo.published().count() + mine_hidden);
}

on_both!(the_keys_commands_create_list_and_revoke);
async fn the_keys_commands_create_list_and_revoke(app: TestApp) {
    let bin = env!("CARGO_BIN_EXE_kennisbank");
    let run = |args: &[&str]| {
        let out = Command::new(bin)
            .arg("--database-url")
            .arg(&app.database_url)
            .args(args)
            .env("KB_LOG", "warn")
            .output()
            .expect("run kennisbank");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let secret = run(&[
        "keys",
        "create",
        "--role",
        "contributor",
        "--organisation",
        "hogeschool-waddenpoort",
        "--expires",
        "30d",
    ]);
    let secret = secret.trim();
    assert!(secret.starts_with("kb_"), "{secret}");
    let me = app.gql_as(secret, ME, json!({})).await;
    assert_eq!(
        me["data"]["me"]["organisation"]["slug"],
        "hogeschool-waddenpoort"
    );
    assert!(me["data"]["me"]["expiresAt"].is_string());
    let list = run(&["keys", "list"]);
    assert!(list.contains(&secret[..10]), "{list}");
    assert!(!list.contains(secret), "the secret is never listed");
    let id = app
        .store
        .list_api_keys(kb_domain::Viewer::Admin)
        .await
        .expect("list")[0]
        .id
        .to_string();
    run(&["keys", "revoke", &id]);
    assert_eq!(
        error_code(&app.gql_as(secret, ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    let bad = Command::new(bin)
        .arg("--database-url")
        .arg(&app.database_url)
        .args(["keys", "create", "--role", "wizard"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
}

on_both!(admins_manage_keys_through_the_api);
async fn admins_manage_keys_through_the_api(app: TestApp) {
    let admin = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "admin", Role::Admin, None, None)
        .await
        .expect("key")
        .secret;
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "editor", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let org = app
        .data(
            r#"{ organisation(slug: "hogeschool-waddenpoort") { id } }"#,
            json!({}),
        )
        .await["organisation"]["id"]
        .clone();
    let create = "mutation($i: CreateApiKeyInput!) {
      createApiKey(input: $i) { secret key { id name role prefix organisation { slug } revokedAt } }
    }";
    let input = json!({ "i": { "name": "portaal", "role": "CONTRIBUTOR", "organisation": org } });
    assert_eq!(
        error_code(&app.gql(create, input.clone()).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.gql_as(&editor, create, input.clone()).await),
        "FORBIDDEN"
    );
    let r = app.gql_as(&admin, create, input).await;
    let k = &r["data"]["createApiKey"];
    let secret = k["secret"].as_str().expect("secret");
    assert_eq!(k["key"]["role"], "CONTRIBUTOR");
    assert_eq!(k["key"]["organisation"]["slug"], "hogeschool-waddenpoort");
    assert_eq!(k["key"]["prefix"], &secret[..10]);
    assert_eq!(
        app.gql_as(secret, ME, json!({})).await["data"]["me"]["keyName"],
        "portaal"
    );
    let list = app
        .gql_as(&admin, "{ apiKeys { id name } }", json!({}))
        .await;
    assert_eq!(list["data"]["apiKeys"].as_array().expect("keys").len(), 3);
    assert_eq!(
        error_code(&app.gql_as(&editor, "{ apiKeys { id } }", json!({})).await),
        "FORBIDDEN"
    );
    let revoke = "mutation($id: Int!) { revokeApiKey(id: $id) { key { revokedAt } } }";
    let r = app
        .gql_as(&admin, revoke, json!({ "id": k["key"]["id"] }))
        .await;
    assert!(r["data"]["revokeApiKey"]["key"]["revokedAt"].is_string());
    assert_eq!(
        error_code(&app.gql_as(secret, ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    let bad = app
        .gql_as(
            &admin,
            create,
            json!({ "i": { "name": "x", "role": "CONTRIBUTOR" } }),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "organisation");
    assert_eq!(
        error_code(&app.gql_as(&admin, revoke, json!({ "id": 999_999 })).await),
        "NOT_FOUND"
    );
}
