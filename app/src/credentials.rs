//! Open Badges 3.0 credentials (W3C Verifiable Credentials) for what a developer earned here: a
//! badge, or a level reached, with the finished tasks as evidence. CodeLink signs them with its
//! Ed25519 key as a Data Integrity proof using the `eddsa-jcs-2022` cryptosuite, so anyone holding
//! the issuer's public key (served at `{base}/issuer`) can check one without asking us; our own
//! checker also knows which ones were revoked.
//!
//! `eddsa-jcs-2022` canonicalises with JCS (RFC 8785) instead of RDF canonicalisation: the same
//! security, a fraction of the machinery. Our documents hold only strings, integers, booleans,
//! arrays and objects, for which JCS is "keys sorted, no whitespace, JSON.stringify escaping";
//! `canonical_json` does exactly that and refuses anything else (a float), rather than pull in a
//! canonicaliser for cases we never produce.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The multicodec prefix of an Ed25519 public key in a Multikey (`0xed01`).
const ED25519_PUB_MULTICODEC: [u8; 2] = [0xed, 0x01];

/// The platform as issuer: its public address, the key it signs with now, and every public key it
/// ever signed with (so credentials from before a key change still verify).
pub struct Issuer {
    base_url: String,
    key_id: String,
    key: SigningKey,
    known: Vec<(String, VerifyingKey)>,
}

/// Why a presented document is not a genuine CodeLink credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// Not JSON, or JSON without the shape of a credential with a proof.
    Malformed,
    /// Signed by someone else, or not with our cryptosuite.
    OtherIssuer,
    /// Our key, but the signature does not match the content: it was edited after signing.
    Tampered,
}

/// What a credential is about, in the words it will carry.
pub struct Achievement {
    /// `badge:first-task` or `level:A`: stable, and the key a credential is issued once per.
    pub key: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
}

pub struct Evidence {
    pub url: String,
    pub name: String,
    pub description: String,
}

/// Everything a credential states.
pub struct CredentialFacts {
    pub id: uuid::Uuid,
    pub subject_name: String,
    /// A stable identifier of the developer.
    pub subject_id: String,
    pub achievement: Achievement,
    pub evidence: Vec<Evidence>,
    /// RFC 3339, UTC, whole seconds.
    pub valid_from: String,
}

/// A key's id, derived from the key itself: a new key can never be mistaken for an old one.
pub fn key_id(key: &VerifyingKey) -> String {
    format!("key-{}", hex::encode(&Sha256::digest(key.as_bytes())[..6]))
}

pub fn public_key(secret: &[u8; 32]) -> VerifyingKey {
    SigningKey::from_bytes(secret).verifying_key()
}

impl Issuer {
    /// Signs with `secret`; also accepts signatures by any of `earlier` keys.
    pub fn new(base_url: &str, secret: [u8; 32], earlier: &[VerifyingKey]) -> Self {
        let key = SigningKey::from_bytes(&secret);
        let mut known: Vec<(String, VerifyingKey)> = vec![(key_id(&key.verifying_key()), key.verifying_key())];
        for old in earlier {
            if !known.iter().any(|(_, k)| k == old) {
                known.push((key_id(old), *old));
            }
        }
        Issuer { base_url: base_url.trim_end_matches('/').to_string(), key_id: known[0].0.clone(), key, known }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn id(&self) -> String {
        format!("{}/issuer", self.base_url)
    }

    pub fn verification_method(&self) -> String {
        format!("{}#{}", self.id(), self.key_id)
    }

    pub fn credential_url(&self, id: uuid::Uuid) -> String {
        format!("{}/credentials/{id}", self.base_url)
    }

    fn method_of(&self, key_id: &str) -> String {
        format!("{}#{key_id}", self.id())
    }

    /// The issuer's Open Badges profile, which is also where verifiers find the key.
    pub fn profile(&self) -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://w3id.org/security/multikey/v1"],
            "id": self.id(),
            "type": ["Profile"],
            "name": "CodeLink 码联",
            "url": self.base_url,
            "description": "CodeLink issues these credentials for paid tasks finished, rated and released from escrow on the platform.",
            "verificationMethod": self.known.iter().map(|(id, key)| json!({
                "id": self.method_of(id),
                "type": "Multikey",
                "controller": self.id(),
                "publicKeyMultibase": multibase(key),
            })).collect::<Vec<_>>(),
            "assertionMethod": self.known.iter().map(|(id, _)| self.method_of(id)).collect::<Vec<_>>(),
        })
    }

    /// The unsigned Open Badges 3.0 credential for `facts`.
    pub fn credential(&self, facts: &CredentialFacts) -> Value {
        let achievement_id = format!("{}/achievements/{}", self.base_url, facts.achievement.key.replace(':', "/"));
        let achievement_type = if facts.achievement.key.starts_with("badge:") { "Badge" } else { "Competency" };
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": self.credential_url(facts.id),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": facts.achievement.name,
            "issuer": { "id": self.id(), "type": ["Profile"], "name": "CodeLink 码联", "url": self.base_url },
            "validFrom": facts.valid_from,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "id": facts.subject_id,
                "name": facts.subject_name,
                "achievement": {
                    "id": achievement_id,
                    "type": ["Achievement"],
                    "achievementType": achievement_type,
                    "name": facts.achievement.name,
                    "description": facts.achievement.description,
                    "criteria": { "narrative": facts.achievement.criteria },
                    "creator": { "id": self.id(), "type": ["Profile"], "name": "CodeLink 码联" },
                },
            },
            "evidence": facts.evidence.iter().map(|e| json!({
                "id": e.url,
                "type": ["Evidence"],
                "name": e.name,
                "description": e.description,
            })).collect::<Vec<_>>(),
        })
    }

    /// Adds a Data Integrity proof (eddsa-jcs-2022) to an unsigned document made at `created`.
    pub fn sign(&self, mut document: Value, created: &str) -> Value {
        let mut proof = json!({
            "type": "DataIntegrityProof",
            "cryptosuite": CRYPTOSUITE,
            "created": created,
            "verificationMethod": self.verification_method(),
            "proofPurpose": "assertionMethod",
        });
        let hash = signing_input(&document, &proof).expect("our own documents are canonicalisable");
        let signature = self.key.sign(&hash);
        proof["proofValue"] = Value::String(format!("z{}", bs58::encode(signature.to_bytes()).into_string()));
        document["proof"] = proof;
        document
    }

    /// Checks that `document` carries a valid proof by this issuer's key over its exact content.
    pub fn verify(&self, document: &Value) -> Result<(), Rejection> {
        let mut unsecured = document.as_object().ok_or(Rejection::Malformed)?.clone();
        let mut proof = match unsecured.remove("proof") {
            Some(Value::Object(proof)) => proof,
            _ => return Err(Rejection::Malformed),
        };
        let proof_value = match proof.remove("proofValue") {
            Some(Value::String(value)) => value,
            _ => return Err(Rejection::Malformed),
        };
        let method = proof.get("verificationMethod").and_then(Value::as_str).unwrap_or_default();
        let key = self.known.iter().find(|(id, _)| self.method_of(id) == method).map(|(_, key)| key);
        let ours = proof.get("cryptosuite").and_then(Value::as_str) == Some(CRYPTOSUITE)
            && proof.get("type").and_then(Value::as_str) == Some("DataIntegrityProof");
        let (true, Some(key)) = (ours, key) else { return Err(Rejection::OtherIssuer) };
        let signature = proof_value
            .strip_prefix('z')
            .and_then(|b58| bs58::decode(b58).into_vec().ok())
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(Rejection::Tampered)?;
        let hash = signing_input(&Value::Object(unsecured), &Value::Object(proof)).map_err(|_| Rejection::Tampered)?;
        key.verify(&hash, &signature).map_err(|_| Rejection::Tampered)
    }
}

/// The id in a credential's URL (`…/credentials/{id}`, as `Issuer::credential_url` makes them;
/// a query, fragment or trailing slash is ignored).
pub fn credential_id(url: &str) -> Option<uuid::Uuid> {
    let path = url.split(['?', '#']).next()?.trim_end_matches('/');
    let (_, id) = path.rsplit_once("/credentials/")?;
    uuid::Uuid::parse_str(id).ok()
}

/// A public key as a Multikey `publicKeyMultibase`: base58btc ("z") of the multicodec-tagged key.
fn multibase(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB_MULTICODEC.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// Parses a presented credential, refusing JSON with a repeated key in any object: RFC 8785 (and
/// I-JSON) forbid them, and a reader keeping the first copy would see other content than the one
/// the signature covers (serde_json keeps the last).
pub fn parse_strict(text: &[u8]) -> Result<Value, Rejection> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    struct NoDuplicates;
    impl<'de> Visitor<'de> for NoDuplicates {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key) {
                    return Err(serde::de::Error::custom("duplicate key"));
                }
                map.next_value_seed(NoDuplicates)?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(NoDuplicates)?.is_some() {}
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for NoDuplicates {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }
    NoDuplicates.deserialize(&mut serde_json::Deserializer::from_slice(text)).map_err(|_| Rejection::Malformed)?;
    serde_json::from_slice(text).map_err(|_| Rejection::Malformed)
}

/// The bytes signed under eddsa-jcs-2022: SHA-256 of the canonical proof configuration (which
/// carries the document's `@context`) followed by SHA-256 of the canonical document without proof.
fn signing_input(document: &Value, proof: &Value) -> Result<Vec<u8>, NotCanonical> {
    let mut config = proof.clone();
    if let (Some(context), Some(config)) = (document.get("@context"), config.as_object_mut()) {
        config.insert("@context".into(), context.clone());
    }
    let mut hash = Sha256::digest(canonical_json(&config)?.as_bytes()).to_vec();
    hash.extend_from_slice(&Sha256::digest(canonical_json(document)?.as_bytes()));
    Ok(hash)
}

#[derive(Debug, PartialEq, Eq)]
pub struct NotCanonical;

/// JCS (RFC 8785) for documents without fractional numbers: object keys sorted by UTF-16 code
/// units, no insignificant whitespace, strings escaped as JSON.stringify does (which serde_json's
/// compact writer matches).
pub fn canonical_json(value: &Value) -> Result<String, NotCanonical> {
    let mut out = String::new();
    write_canonical(value, &mut out)?;
    Ok(out)
}

fn write_canonical(value: &Value, out: &mut String) -> Result<(), NotCanonical> {
    match value {
        Value::Number(n) if !(n.is_i64() || n.is_u64()) => return Err(NotCanonical),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out)?,
        scalar => out.push_str(&scalar.to_string()),
    }
    Ok(())
}

fn write_object(map: &Map<String, Value>, out: &mut String) -> Result<(), NotCanonical> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    out.push('{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String(key.clone()).to_string());
        out.push(':');
        write_canonical(value, out)?;
    }
    out.push('}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer() -> Issuer {
        Issuer::new("https://codelink.example/", [7; 32], &[])
    }

    fn facts() -> CredentialFacts {
        CredentialFacts {
            id: uuid::Uuid::from_u128(42),
            subject_name: "陈思远".into(),
            subject_id: "urn:uuid:0192f0c1-0000-7000-8000-000000000001".into(),
            achievement: Achievement {
                key: "badge:first-task".into(),
                name: "首单完成 · First task".into(),
                description: "完成第一个任务并拿到报酬。".into(),
                criteria: "Finish a paid task on CodeLink.".into(),
            },
            evidence: vec![Evidence {
                url: "https://codelink.example/verify/task/1".into(),
                name: "数据分析看板".into(),
                description: "Accepted by 星河科技 on 2026-10-14, 5★".into(),
            }],
            valid_from: "2026-10-14T08:00:00Z".into(),
        }
    }

    #[test]
    fn a_signed_credential_verifies_and_any_edit_breaks_it() {
        let issuer = issuer();
        let signed = issuer.sign(issuer.credential(&facts()), "2026-11-24T07:00:00Z");
        assert_eq!(issuer.verify(&signed), Ok(()));
        assert_eq!(signed["type"][1], "OpenBadgeCredential");
        assert_eq!(signed["proof"]["cryptosuite"], CRYPTOSUITE);
        assert!(signed["proof"]["proofValue"].as_str().unwrap().starts_with('z'));

        let mut edited = signed.clone();
        edited["credentialSubject"]["name"] = "Mallory".into();
        assert_eq!(issuer.verify(&edited), Err(Rejection::Tampered));
        let mut redated = signed.clone();
        redated["proof"]["created"] = "2020-01-01T00:00:00Z".into();
        assert_eq!(issuer.verify(&redated), Err(Rejection::Tampered));
    }

    #[test]
    fn pretty_printing_does_not_matter_but_another_key_does() {
        let issuer = issuer();
        let signed = issuer.sign(issuer.credential(&facts()), "2026-11-24T07:00:00Z");
        let reformatted: Value = serde_json::from_str(&serde_json::to_string_pretty(&signed).unwrap()).unwrap();
        assert_eq!(issuer.verify(&reformatted), Ok(()));

        let impostor = Issuer::new("https://codelink.example", [8; 32], &[]);
        let forged = impostor.sign(impostor.credential(&facts()), "2026-11-24T07:00:00Z");
        assert_eq!(issuer.verify(&forged), Err(Rejection::OtherIssuer), "a key we never had");
        let mut borrowed_id = forged.clone();
        borrowed_id["proof"]["verificationMethod"] = issuer.verification_method().into();
        assert_eq!(issuer.verify(&borrowed_id), Err(Rejection::Tampered), "our key's id on another key's signature");
        let mut elsewhere = signed.clone();
        elsewhere["proof"]["verificationMethod"] = "did:example:123#key".into();
        assert_eq!(issuer.verify(&elsewhere), Err(Rejection::OtherIssuer));
        assert_eq!(issuer.verify(&json!({ "name": "no proof" })), Err(Rejection::Malformed));
        assert_eq!(issuer.verify(&json!([1, 2])), Err(Rejection::Malformed));
    }

    #[test]
    fn canonical_json_follows_rfc_8785_for_our_value_kinds() {
        let value: Value =
            serde_json::from_str(r#"{"b": [1, true, null], "a": "中\n\"x\"", "€": 1, "\u0080": 2}"#).unwrap();
        // U+0080 sorts before U+20AC (€) by UTF-16 code unit.
        assert_eq!(
            canonical_json(&value).unwrap(),
            "{\"a\":\"中\\n\\\"x\\\"\",\"b\":[1,true,null],\"\u{80}\":2,\"€\":1}"
        );
        assert_eq!(canonical_json(&json!({ "x": 1.5 })), Err(NotCanonical));
    }

    #[test]
    fn the_profile_publishes_the_key_as_an_ed25519_multikey() {
        let issuer = issuer();
        let profile = issuer.profile();
        let multibase = profile["verificationMethod"][0]["publicKeyMultibase"].as_str().unwrap();
        // Every Ed25519 Multikey starts "z6Mk".
        assert!(multibase.starts_with("z6Mk"), "{multibase}");
        assert_eq!(profile["assertionMethod"][0], issuer.verification_method());
        assert!(issuer.verification_method().starts_with("https://codelink.example/issuer#key-"));
    }

    #[test]
    fn credentials_signed_before_a_key_change_still_verify() {
        let old = issuer();
        let signed_then = old.sign(old.credential(&facts()), "2026-11-24T07:00:00Z");
        let now = Issuer::new("https://codelink.example", [9; 32], &[public_key(&[7; 32])]);
        assert_ne!(now.verification_method(), old.verification_method(), "each key has its own id");
        assert_eq!(now.verify(&signed_then), Ok(()));
        let signed_now = now.sign(now.credential(&facts()), "2026-11-25T07:00:00Z");
        assert_eq!(now.verify(&signed_now), Ok(()));
        assert_eq!(now.profile()["verificationMethod"].as_array().unwrap().len(), 2, "both keys are published");
    }

    #[test]
    fn credential_ids_are_read_back_from_their_urls() {
        let id = uuid::Uuid::from_u128(42);
        assert_eq!(credential_id(&issuer().credential_url(id)), Some(id));
        assert_eq!(credential_id(&format!("https://x.example/credentials/{id}/?download=1#top")), Some(id));
        assert_eq!(credential_id(&format!("https://x.example/other/{id}")), None);
        assert_eq!(credential_id("https://x.example/credentials/not-an-id"), None);
    }

    #[test]
    fn repeated_keys_are_refused_anywhere_in_the_document() {
        assert!(parse_strict(br#"{"a": {"b": [1, {"c": 2}]}, "d": null}"#).is_ok());
        assert_eq!(parse_strict(br#"{"name": "Alice", "name": "Mallory"}"#), Err(Rejection::Malformed));
        assert_eq!(parse_strict(br#"{"x": [{"k": 1, "k": 2}]}"#), Err(Rejection::Malformed));
        assert_eq!(parse_strict(b"{ not json"), Err(Rejection::Malformed));
    }
}
