//! The test S3-compatible server on loopback (`.ci/s3.sh`: moto in server mode), found through
//! `FRONTLINE_TEST_S3`. Each test makes a bucket of its own.

use frontline_integrations::S3Config;

/// A bucket of one test on the test server.
#[derive(Debug, Clone)]
pub struct TestBucket {
    pub endpoint: String,
    pub name: String,
}

impl TestBucket {
    /// A new empty bucket, or `None` when the server is not configured (a failure under `CI`).
    pub async fn create() -> Option<Self> {
        let endpoint = match std::env::var("FRONTLINE_TEST_S3") {
            Ok(url) if !url.is_empty() => url.trim_end_matches('/').to_owned(),
            _ if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") => {
                panic!("CI is set but FRONTLINE_TEST_S3 is not: S3 tests cannot be skipped in CI")
            }
            _ => {
                eprintln!("FRONTLINE_TEST_S3 is not set (bash .ci/s3.sh start): skipping an S3 test");
                return None;
            }
        };
        let name = format!("fl-test-{}", uuid::Uuid::now_v7().simple());
        // The test server takes an unsigned bucket creation; Frontline itself never makes one.
        let resp = reqwest::Client::new().put(format!("{endpoint}/{name}")).send().await.expect("the test S3 server");
        assert!(resp.status().is_success(), "creating bucket {name}: {}", resp.status());
        Some(Self { endpoint, name })
    }

    /// Removes the (empty) bucket, or makes it again: a store that fails under a running server.
    pub async fn set_present(&self, present: bool) {
        let url = format!("{}/{}", self.endpoint, self.name);
        let http = reqwest::Client::new();
        let resp = if present { http.put(url) } else { http.delete(url) }.send().await.expect("the test S3 server");
        assert!(resp.status().is_success(), "bucket {} present={present}: {}", self.name, resp.status());
    }

    /// Frontline's settings for this bucket.
    pub fn config(&self, prefix: &str) -> S3Config {
        S3Config {
            endpoint: self.endpoint.clone(),
            bucket: self.name.clone(),
            region: "us-east-1".into(),
            access_key: "test-access".into(),
            secret_key: "test-secret".into(),
            prefix: prefix.into(),
            path_style: true,
        }
    }

    /// The objects in the bucket (name and size), as the server lists them.
    pub async fn objects(&self) -> Vec<(String, u64)> {
        let url = format!("{}/{}?list-type=2", self.endpoint, self.name);
        let text = reqwest::get(url).await.expect("list").text().await.expect("list body");
        let tag = |item: &str, name: &str| -> Option<String> {
            let start = item.find(&format!("<{name}>"))? + name.len() + 2;
            let len = item[start..].find(&format!("</{name}>"))?;
            Some(item[start..start + len].to_owned())
        };
        text.split("<Contents>")
            .skip(1)
            .filter_map(|item| Some((tag(item, "Key")?, tag(item, "Size")?.parse().ok()?)))
            .collect()
    }

    /// The names of the objects in the bucket.
    pub async fn keys(&self) -> Vec<String> {
        self.objects().await.into_iter().map(|(k, _)| k).collect()
    }
}
