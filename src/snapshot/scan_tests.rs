//! The fast path held to serde_json: whatever `entry` accepts, serde_json must read
//! the same way; whatever serde_json rejects, `entry` must leave to it.

use super::*;
use crate::snapshot::row::parse;

/// The property every line must have.
fn agrees(line: &[u8]) {
    if let Some(fast) = entry(line) {
        let text = String::from_utf8_lossy(line);
        match parse(line) {
            Ok(slow) => assert_eq!(fast, slow, "{text}"),
            Err(err) => panic!("the fast path accepted a line serde_json rejects ({err}): {text}"),
        }
    }
}

const TYPICAL: [&str; 5] = [
    r#"{"_id":"68a7a669222bd1eed955698c","id":"openbmb/MiniCPM-4B-Instruct","author":"openbmb","downloads":200700522,"likes":3721,"trendingScore":0,"private":false,"tags":["transformers","safetensors","text-generation","conversational","license:apache-2.0","endpoints_compatible","region:us"],"pipeline_tag":"text-generation","library_name":"transformers","createdAt":"2025-08-21T23:06:17.000Z","modelId":"openbmb/MiniCPM-4B-Instruct"}"#,
    r#"{"id":"someone/q-GGUF","tags":["gguf","base_model:Qwen/Qwen2.5-7B","base_model:quantized:Qwen/Qwen2.5-7B"],"createdAt":"2026-01-02T00:00:00.000Z"}"#,
    r#"{"id":"gpt2","downloads":7,"likes":null,"author":null,"tags":[],"pipeline_tag":null}"#,
    r#" { "id" : "a/b" , "gated" : false , "x" : { "k" : [ 1 , -2.5e+3 , 0.0 , "é" , { } , [ ] , true , null ] } , "tags" : [ "license:mit" ] } "#,
    r#"{"id":"ünï/cödé","author":"ünï","cardData":{"language":["fr","de"],"model-index":[{"name":"x","results":[]}]},"downloads":0,"trendingScore":-1.5E-7}"#,
];

#[test]
fn typical_lines_take_the_fast_path_and_agree() {
    for line in TYPICAL {
        assert!(entry(line.as_bytes()).is_some(), "{line}");
        agrees(line.as_bytes());
    }
    let first = entry(TYPICAL[0].as_bytes()).unwrap();
    assert_eq!(first.id.unwrap().0, "openbmb/MiniCPM-4B-Instruct");
    assert_eq!(first.model_id.unwrap().0, "openbmb/MiniCPM-4B-Instruct");
    assert_eq!(first.downloads, Some(200_700_522));
    assert_eq!(first.tags.unwrap().license.as_deref(), Some("apache-2.0"));
}

#[test]
fn doubtful_lines_are_left_to_serde_json() {
    let doubtful: &[&[u8]] = &[
        br#"{"id":"a\/b"}"#,                                 // an escape
        b"{\"id\":\"a/b\",\t\"likes\":1}",                   // a tab between tokens
        br#"{"id":"a/b","id":"c/d"}"#,                       // a duplicate field
        br#"{"id":"a/b","downloads":-1}"#,                   // negative
        br#"{"id":"a/b","downloads":1.0}"#,                  // a float
        br#"{"id":"a/b","downloads":1e3}"#,                  // a float
        br#"{"id":"a/b","downloads":012}"#,                  // a leading zero
        br#"{"id":"a/b","downloads":18446744073709551616}"#, // too large
        br#"{"id":"a/b","downloads":"7"}"#,                  // a string
        br#"{"id":"a/b","tags":["x",1]}"#,                   // a number among tags
        br#"{"id":"a/b","tags":"x"}"#,                       // not a list
        br#"{"id":"a/b",}"#,                                 // trailing comma
        br#"{"id":"a/b","x":[1,]}"#,                         // trailing comma inside
        br#"{"id":"a/b","x":01}"#,                           // a leading zero, ignored field
        br#"{"id":"a/b","x":1.}"#,                           // no digit after the point
        br#"{"id":"a/b","x":-}"#,                            // no digit after the sign
        br#"{"id":"a/b","x":tru}"#,                          // a cut literal
        br#"{"id":"a/b"} x"#,                                // trailing characters
        b"{\"id\":\"a/b\"}\x0c",                             // form feed is not JSON whitespace
        b"{\"id\":\"a/\xff\"}",                              // invalid UTF-8 in a needed string
        b"{\"id\":\"a/b\",\"\xff\":1}",                      // invalid UTF-8 in a key
        br#"["a/b"]"#,                                       // a struct as a list
        br#"{"id":"a/b""#,                                   // cut
    ];
    for line in doubtful {
        assert!(entry(line).is_none(), "{}", String::from_utf8_lossy(line));
        agrees(line);
    }
    // serde_json does not check UTF-8 in strings it skips; neither does the fast path.
    agrees(b"{\"id\":\"a/b\",\"x\":\"\xff\"}");
}

#[test]
fn deep_nesting_is_left_to_serde_json() {
    let deep = format!(
        r#"{{"id":"a/b","x":{}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    assert!(entry(deep.as_bytes()).is_none());
    agrees(deep.as_bytes());
}

/// Thousands of small edits of real lines, each checked against serde_json.
#[test]
fn mutated_lines_agree() {
    let alphabet: &[u8] = b"{}[]\":,0123456789.eE+- nultrfas\\\t\x0c\xff\xc3\xa9xyz";
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut random = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut accepted = 0;
    for round in 0..40_000 {
        let mut line = TYPICAL[round % TYPICAL.len()].as_bytes().to_vec();
        for _ in 0..1 + random(3) {
            let at = random(line.len());
            match random(4) {
                0 => {
                    line.remove(at);
                }
                1 => line.insert(at, alphabet[random(alphabet.len())]),
                2 => line[at] = alphabet[random(alphabet.len())],
                _ => {
                    let end = (at + random(12)).min(line.len());
                    let copy = line[at..end].to_vec();
                    let to = random(line.len());
                    line.splice(to..to, copy);
                }
            }
        }
        accepted += usize::from(entry(&line).is_some());
        agrees(&line);
    }
    // The edits must leave enough lines readable for the test to mean something.
    assert!(accepted > 2_000, "{accepted}");
}

#[test]
fn generated_snapshots_take_the_fast_path() {
    let registry = crate::registry::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/data/organizations.toml"
    )))
    .unwrap();
    let options = crate::sample::Options {
        models: 300,
        datasets: 0,
        spaces: 0,
        date: "2026-03-15".into(),
        seed: 3,
    };
    let text = crate::sample::generate(&options, &registry).unwrap();
    for line in text.lines() {
        assert!(entry(line.as_bytes()).is_some(), "{line}");
        agrees(line.as_bytes());
    }
}

#[test]
fn quotes_are_found_wherever_they_are() {
    for len in 0..40 {
        for at in 0..len {
            // Bytes that differ from a quote in one bit, and non-ASCII ones.
            let mut s: Vec<u8> = (0..len).map(|i| [b'#', 0xa2, b'&', 0xe9][i % 4]).collect();
            s[at] = b'"';
            for from in 0..=at {
                assert_eq!(find_quote(&s, from), Some(at), "{len} {at} {from}");
            }
            assert_eq!(find_quote(&s, at + 1), None);
        }
    }
}
