//! Deterministic generator of large Kubernetes cluster dumps, and the parse "floors" that
//! kdiag's throughput is measured against.
//!
//! [`generate`] prints what `kubectl get deployments,replicasets,pods,nodes,events -A -o json`
//! would print for a synthetic cluster: one `List` document, pretty-printed with 4-space
//! indentation and, like kubectl (which marshals unstructured maps), with every object's keys
//! in alphabetical order. For Pods, Nodes, Deployments and ReplicaSets that puts `apiVersion`
//! and `kind` first; for core/v1 Events `kind` comes after `count`, `eventTime`,
//! `firstTimestamp` and `involvedObject` — exactly as real kubectl output does.
//!
//! [`typed_floor`] parses those bytes into the same typed `k8s-openapi` objects in one pass
//! with no kdiag code; [`value_parse`] parses them into a `serde_json::Value`.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{Event, Node, Pod};
use k8s_openapi::serde::Deserialize;
use k8s_openapi::serde::de::{
    self, DeserializeSeed, Deserializer as _, IgnoredAny, IntoDeserializer as _, MapAccess,
    SeqAccess, Visitor,
};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::io::{self, Write};

/// The shape of a generated cluster dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpSpec {
    /// Number of Pods (all owned by ReplicaSets of Deployments).
    pub pods: usize,
    /// Number of Nodes.
    pub nodes: usize,
    /// Number of core/v1 Events (exactly this many are printed).
    pub events: usize,
    /// PRNG seed: the same spec always gives the same bytes.
    pub seed: u64,
}

impl Default for DumpSpec {
    fn default() -> Self {
        DumpSpec {
            pods: 10_000,
            nodes: 1_000,
            events: 50_000,
            seed: 42,
        }
    }
}

impl DumpSpec {
    /// Number of Deployments in the dump (one per ten pods, rounded up).
    pub fn deployments(&self) -> usize {
        self.pods.div_ceil(10)
    }

    /// Number of ReplicaSets: one current per Deployment, plus an old scaled-to-zero one
    /// for every fourth Deployment.
    pub fn replicasets(&self) -> usize {
        let d = self.deployments();
        d + d / 4
    }

    /// Total number of items in the printed `List`.
    pub fn items(&self) -> usize {
        self.pods + self.nodes + self.events + self.deployments() + self.replicasets()
    }
}

/// Generate the dump as a string (see [`write_dump`]).
pub fn generate(spec: &DumpSpec) -> String {
    // Roughly what each kind prints to, so the buffer rarely grows.
    let estimate = spec.pods * 10_500
        + spec.events * 1_400
        + spec.nodes * 8_000
        + (spec.deployments() + spec.replicasets()) * 8_500;
    let mut out = Vec::with_capacity(estimate + 256);
    write_dump(spec, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Write the dump for `spec` to `w`: deployments, replicasets, pods, nodes, events, each
/// group sorted by namespace and name, as kubectl prints them.
///
/// # Errors
///
/// Only errors from `w`.
pub fn write_dump<W: Write>(spec: &DumpSpec, w: W) -> io::Result<()> {
    let mut g = Gen::new(spec);
    g.plan();
    g.render(w)
}

// ---------------------------------------------------------------------------------------
// PRNG and small helpers
// ---------------------------------------------------------------------------------------

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn hex(&mut self, n: usize) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(n);
        let mut bits = 0u64;
        for i in 0..n {
            if i % 16 == 0 {
                bits = self.next();
            }
            s.push(HEX[(bits & 15) as usize] as char);
            bits >>= 4;
        }
        s
    }

    /// Kubernetes' "safe" alphabet used in generated names (`web-7d9f8b6c5d-x2k4q`).
    fn suffix(&mut self, n: usize) -> String {
        const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n).map(|_| *self.pick(SAFE) as char).collect()
    }

    fn uid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-4{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[16..20],
            &h[20..32]
        )
    }

    fn resource_version(&mut self) -> String {
        self.range(40_000_000, 99_999_999).to_string()
    }
}

/// "Now" for the generated cluster: 2025-06-15T12:00:00Z.
const NOW: i64 = 1_749_988_800;
const DAY: i64 = 86_400;

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// RFC 3339 with second precision, as Kubernetes prints `Time`.
fn ts(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// RFC 3339 with microseconds, as Kubernetes prints `MicroTime`.
fn micro(t: i64, us: u64) -> String {
    let base = ts(t);
    format!("{}.{us:06}Z", &base[..base.len() - 1])
}

// ---------------------------------------------------------------------------------------
// Static tables
// ---------------------------------------------------------------------------------------

const NAMESPACES: &[&str] = &[
    "analytics",
    "auth",
    "billing",
    "catalog",
    "checkout",
    "data-pipeline",
    "default",
    "frontend",
    "identity",
    "ingress",
    "inventory",
    "ml-serving",
    "monitoring",
    "notifications",
    "payments",
    "platform",
    "recommendations",
    "search",
    "shipping",
    "storefront",
];

const PREFIXES: &[&str] = &[
    "orders", "cart", "price", "user", "session", "media", "report", "email", "sms", "fraud",
    "ledger", "stock", "quote", "review", "profile", "feed", "geo", "tax", "promo", "asset",
];

const ROLES: &[&str] = &[
    "api",
    "web",
    "worker",
    "gateway",
    "frontend",
    "indexer",
    "scheduler",
    "consumer",
    "producer",
    "cache",
    "renderer",
    "sync",
    "ingest",
    "router",
    "notifier",
];

const ZONES: &[&str] = &["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const ZONE_IDS: &[&str] = &["euw1-az1", "euw1-az2", "euw1-az3"];
const REGISTRY: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

struct Pool {
    name: &'static str,
    instance: &'static str,
    cpu: u32,
    mem_ki: u64,
    pods: u32,
    taint: Option<(&'static str, &'static str)>,
    gpu: bool,
}

const POOLS: &[Pool] = &[
    Pool {
        name: "general",
        instance: "m6i.xlarge",
        cpu: 4,
        mem_ki: 16_116_528,
        pods: 58,
        taint: None,
        gpu: false,
    },
    Pool {
        name: "highmem",
        instance: "r6i.2xlarge",
        cpu: 8,
        mem_ki: 65_018_216,
        pods: 58,
        taint: None,
        gpu: false,
    },
    Pool {
        name: "gpu",
        instance: "g5.2xlarge",
        cpu: 8,
        mem_ki: 32_386_688,
        pods: 58,
        taint: Some(("nvidia.com/gpu", "present")),
        gpu: true,
    },
    Pool {
        name: "infra",
        instance: "m6i.large",
        cpu: 2,
        mem_ki: 7_869_560,
        pods: 29,
        taint: Some(("dedicated", "infra")),
        gpu: false,
    },
];

/// (container name, image, port name, port) of sidecars.
const SIDECARS: &[(&str, &str, &str, u16)] = &[
    ("envoy", "envoyproxy/envoy:v1.34.1", "admin", 9901),
    (
        "fluent-bit",
        "cr.fluentbit.io/fluent/fluent-bit:4.0.3",
        "metrics",
        2020,
    ),
    (
        "cloud-sql-proxy",
        "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.16.0",
        "sql",
        5432,
    ),
    (
        "oauth2-proxy",
        "quay.io/oauth2-proxy/oauth2-proxy:v7.9.0",
        "proxy",
        4180,
    ),
    ("redis", "redis:7.4.4-alpine", "redis", 6379),
];

const EXPORTERS: &[(&str, &str, &str, u16)] = &[
    (
        "statsd-exporter",
        "prom/statsd-exporter:v0.28.0",
        "metrics",
        9102,
    ),
    ("vault-agent", "hashicorp/vault:1.19.5", "vault", 8200),
];

const NODE_IMAGES: &[&str] = &[
    "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.5-eksbuild.1",
    "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni-init:v1.19.5-eksbuild.1",
    "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.33.0-minimal-eksbuild.2",
    "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.2.1-eksbuild.1",
    "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-ebs-csi-driver:v1.44.0",
    "docker.io/envoyproxy/envoy:v1.34.1",
    "cr.fluentbit.io/fluent/fluent-bit:4.0.3",
    "registry.k8s.io/pause:3.10",
    "quay.io/prometheus/node-exporter:v1.9.1",
];

// ---------------------------------------------------------------------------------------
// The plan: every object's identity and state, decided before anything is printed
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unsched {
    Cpu,
    Memory,
    Selector,
}

/// What is wrong with a whole Deployment (every pod of it shows the same failure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    ImageNotFound,
    ImageUnauthorized,
    BadCommand,
    ConfigMissing,
    SecretVolumeMissing,
    Unschedulable(Unsched),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PodState {
    Running,
    ImagePull { unauthorized: bool, backoff: bool },
    CrashLoop { exit: i32 },
    OomKilled,
    ConfigMissing,
    SecretVolumeMissing,
    Unschedulable(Unsched),
    NotReady,
}

impl PodState {
    fn scheduled(self) -> bool {
        !matches!(self, PodState::Unschedulable(_))
    }
}

struct Ctr {
    name: String,
    image: String,
    status_image: String,
    image_id: String,
    port: (&'static str, u16),
    req: (String, String),
    lim: Option<(String, String)>,
    env: Vec<Value>,
    mounts: Vec<Value>,
    probe_path: Option<&'static str>,
    liveness: bool,
    command: Option<Vec<String>>,
    image_size: u64,
}

struct OldRs {
    hash: String,
    uid: String,
    created: i64,
    image: String,
}

struct DeployP {
    ns: &'static str,
    name: String,
    uid: String,
    rv: String,
    created: i64,
    rollout: i64,
    revision: u32,
    generation: u32,
    hash: String,
    rs_uid: String,
    rs_rv: String,
    old: Option<OldRs>,
    pool: usize,
    containers: Vec<Ctr>,
    init: Option<Ctr>,
    volumes: Vec<Value>,
    fault: Fault,
    deadline_exceeded: bool,
    pods: Vec<usize>,
    team: &'static str,
    anti_affinity: bool,
    /// Whether pods get the projected `kube-api-access-*` token volume.
    automount: bool,
}

struct PodP {
    deploy: usize,
    name: String,
    uid: String,
    rv: String,
    node: Option<usize>,
    ip: String,
    created: i64,
    state: PodState,
    restarts: i64,
    api_vol: String,
}

struct NodeP {
    name: String,
    uid: String,
    rv: String,
    ip: String,
    pool: usize,
    zone: usize,
    created: i64,
    ready: bool,
    cordoned: bool,
    instance_id: String,
    boot_id: String,
    machine_id: String,
    images: Vec<(String, u64)>,
}

#[derive(Clone, Copy)]
enum Subject {
    Pod(usize),
    Node(usize),
}

enum Source {
    Kubelet,
    Scheduler,
    NodeController,
}

struct EventP {
    subject: Subject,
    name: String,
    ns: &'static str,
    reason: &'static str,
    message: String,
    warning: bool,
    count: i64,
    first: i64,
    last: i64,
    field_path: Option<String>,
    source: Source,
}

struct Gen {
    spec: DumpSpec,
    rng: Rng,
    nodes: Vec<NodeP>,
    deploys: Vec<DeployP>,
    pods: Vec<PodP>,
    events: Vec<EventP>,
}

fn canonical_image(image: &str) -> String {
    let first = image.split('/').next().unwrap_or("");
    if !image.contains('/') {
        format!("docker.io/library/{image}")
    } else if first.contains('.') || first.contains(':') {
        image.to_string()
    } else {
        format!("docker.io/{image}")
    }
}

fn repo_of(image: &str) -> &str {
    match image.rfind(':') {
        Some(i) if !image[i..].contains('/') => &image[..i],
        _ => image,
    }
}

impl Gen {
    fn new(spec: &DumpSpec) -> Self {
        Gen {
            spec: spec.clone(),
            rng: Rng(spec.seed ^ 0x6b64_6961_6721_0001),
            nodes: Vec::new(),
            deploys: Vec::new(),
            pods: Vec::new(),
            events: Vec::new(),
        }
    }

    fn plan(&mut self) {
        self.plan_nodes();
        self.plan_deployments();
        self.plan_pods();
        self.plan_events();
    }

    fn plan_nodes(&mut self) {
        let r = &mut self.rng;
        let mut seen = HashSet::new();
        for _ in 0..self.spec.nodes {
            let roll = r.below(100);
            let pool = match roll {
                0..80 => 0,
                80..92 => 1,
                92..97 => 2,
                _ => 3,
            };
            let ip = loop {
                let ip = format!(
                    "10.{}.{}.{}",
                    r.range(0, 63),
                    r.range(0, 255),
                    r.range(4, 254)
                );
                if seen.insert(ip.clone()) {
                    break ip;
                }
            };
            let name = format!("ip-{}.eu-west-1.compute.internal", ip.replace('.', "-"));
            let mut images = Vec::new();
            for img in NODE_IMAGES {
                if r.chance(450) {
                    images.push((img.to_string(), r.range(300_000, 90_000_000) as u64));
                }
            }
            let health = r.below(1000);
            self.nodes.push(NodeP {
                uid: r.uid(),
                rv: r.resource_version(),
                zone: r.below(ZONES.len() as u64) as usize,
                created: NOW - r.range(2 * 3600, 60 * DAY),
                ready: health >= 6,
                cordoned: (6..12).contains(&health),
                instance_id: format!("i-0{}", r.hex(16)),
                boot_id: r.uid(),
                machine_id: format!("ec2{}", r.hex(29)),
                name,
                ip,
                pool,
                images,
            });
        }
        self.nodes.sort_by(|a, b| a.name.cmp(&b.name));
    }

    fn container(&mut self, name: String, image: String, port: (&'static str, u16)) -> Ctr {
        let r = &mut self.rng;
        let status_image = canonical_image(&image);
        let image_id = format!("{}@sha256:{}", repo_of(&status_image), r.hex(64));
        Ctr {
            name,
            image,
            status_image,
            image_id,
            port,
            req: ("100m".into(), "128Mi".into()),
            lim: None,
            env: Vec::new(),
            mounts: Vec::new(),
            probe_path: None,
            liveness: false,
            command: None,
            image_size: r.range(5_000_000, 400_000_000) as u64,
        }
    }

    fn plan_deployments(&mut self) {
        let n = self.spec.deployments();
        let mut names = HashSet::new();
        for i in 0..n {
            let r = &mut self.rng;
            let ns = *r.pick(NAMESPACES);
            let mut name = format!("{}-{}", r.pick(PREFIXES), r.pick(ROLES));
            if !names.insert((ns, name.clone())) {
                let mut k = 2;
                while !names.insert((ns, format!("{name}-{k}"))) {
                    k += 1;
                }
                name = format!("{name}-{k}");
            }
            let fault = match r.below(1000) {
                0..15 => Fault::ImageNotFound,
                15..25 => Fault::ImageUnauthorized,
                25..35 => Fault::BadCommand,
                35..45 => Fault::ConfigMissing,
                45..50 => Fault::SecretVolumeMissing,
                50..60 => Fault::Unschedulable(Unsched::Cpu),
                60..65 => Fault::Unschedulable(Unsched::Memory),
                65..70 => Fault::Unschedulable(Unsched::Selector),
                _ => Fault::None,
            };
            let pool = match r.below(100) {
                0..88 => 0,
                88..96 => 1,
                _ => 2,
            };
            let created = NOW - r.range(DAY, 400 * DAY);
            // A failing rollout is recent; some are past their 10-minute progress deadline.
            let deadline_exceeded = fault != Fault::None && r.chance(120);
            let rollout = match (fault, deadline_exceeded) {
                (Fault::None, _) => NOW - r.range(600, (NOW - created).min(60 * DAY)),
                (_, true) => NOW - r.range(700, 6 * 3600),
                (_, false) => NOW - r.range(60, 540),
            };
            let revision = r.range(1, 40) as u32;
            let team = *r.pick(PREFIXES);
            let version = format!("v{}.{}.{}", r.range(1, 4), r.range(0, 30), r.range(0, 20));
            let has_old = i % 4 == 3;
            let old = has_old.then(|| OldRs {
                hash: r.suffix(10),
                uid: r.uid(),
                created: created.max(rollout - r.range(DAY, 30 * DAY)),
                image: format!(
                    "{REGISTRY}/{ns}/{name}:v{}.{}.0",
                    r.range(0, 1),
                    r.range(0, 9)
                ),
            });
            let main_image = match fault {
                Fault::ImageNotFound => {
                    format!("{REGISTRY}/{ns}/{name}:{version}-rc{}", r.range(1, 9))
                }
                Fault::ImageUnauthorized => {
                    format!("registry.acme-corp.io/private/{name}:{version}")
                }
                _ => format!("{REGISTRY}/{ns}/{name}:{version}"),
            };
            let port = *r.pick(&[
                ("http", 8080u16),
                ("http", 8000),
                ("grpc", 9090),
                ("http", 3000),
            ]);
            let hash = r.suffix(10);
            let uid = r.uid();
            let rv = r.resource_version();
            let rs_uid = r.uid();
            let rs_rv = r.resource_version();
            let anti_affinity = r.chance(150);
            let automount = r.chance(250);

            let mut main = self.container("app".into(), main_image, port);
            let r = &mut self.rng;
            // (quantity, value) in millicores and MiB, so limits can stay >= requests.
            const CPU: &[(&str, u32)] = &[
                ("50m", 50),
                ("100m", 100),
                ("200m", 200),
                ("250m", 250),
                ("0.5", 500),
                ("500m", 500),
                ("1", 1000),
                ("1500m", 1500),
                ("2", 2000),
                ("4", 4000),
            ];
            const MEM: &[(&str, u32)] = &[
                ("64Mi", 64),
                ("128Mi", 128),
                ("256Mi", 256),
                ("500M", 476),
                ("512Mi", 512),
                ("1G", 953),
                ("1Gi", 1024),
                ("2Gi", 2048),
                ("3G", 2861),
                ("4Gi", 4096),
            ];
            let (cpu, cpu_m) = CPU[r.below(CPU.len() as u64 - 1) as usize];
            let (mem, mem_mi) = MEM[r.below(MEM.len() as u64 - 2) as usize];
            main.req = (cpu.into(), mem.into());
            main.lim = match r.below(10) {
                0..3 => Some((cpu.into(), mem.into())),
                3..8 => {
                    let cpus: Vec<&str> =
                        CPU.iter().filter(|c| c.1 >= cpu_m).map(|c| c.0).collect();
                    let mems: Vec<&str> =
                        MEM.iter().filter(|m| m.1 >= mem_mi).map(|m| m.0).collect();
                    Some(((*r.pick(&cpus)).into(), (*r.pick(&mems)).into()))
                }
                _ => None,
            };
            match fault {
                Fault::Unschedulable(Unsched::Cpu) => {
                    main.req.0 = (*r.pick(&["16", "12", "32"])).into();
                    main.lim = Some((main.req.0.clone(), main.req.1.clone()));
                }
                Fault::Unschedulable(Unsched::Memory) => {
                    main.req.1 = (*r.pick(&["96Gi", "128Gi", "200Gi"])).into();
                    main.lim = Some((main.req.0.clone(), main.req.1.clone()));
                }
                _ => {}
            }
            if pool == 2 {
                let cpu_lim = main.lim.map_or_else(|| main.req.0.clone(), |l| l.0);
                main.lim = Some((cpu_lim, "8Gi".into()));
            }
            let n_env = r.range(0, 4);
            let env_names = [
                "LOG_LEVEL",
                "PORT",
                "DATABASE_URL",
                "REDIS_HOST",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "FEATURE_FLAGS",
                "POD_NAME",
                "POD_NAMESPACE",
                "API_TOKEN",
                "JAVA_TOOL_OPTIONS",
            ];
            for (k, env_name) in env_names.iter().enumerate().take(n_env as usize) {
                let v = match *env_name {
                    "POD_NAME" => {
                        json!({"name": env_name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}})
                    }
                    "POD_NAMESPACE" => {
                        json!({"name": env_name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}})
                    }
                    "DATABASE_URL" | "API_TOKEN" => {
                        json!({"name": env_name, "valueFrom": {"secretKeyRef": {"key": env_name.to_lowercase(), "name": format!("{name}-secrets")}}})
                    }
                    "FEATURE_FLAGS" => {
                        json!({"name": env_name, "valueFrom": {"configMapKeyRef": {"key": "flags", "name": format!("{name}-config")}}})
                    }
                    "PORT" => json!({"name": env_name, "value": port.1.to_string()}),
                    "LOG_LEVEL" => {
                        json!({"name": env_name, "value": *r.pick(&["info", "debug", "warn"])})
                    }
                    "REDIS_HOST" => {
                        json!({"name": env_name, "value": format!("redis-master.{ns}.svc.cluster.local")})
                    }
                    "OTEL_EXPORTER_OTLP_ENDPOINT" => {
                        json!({"name": env_name, "value": "http://otel-collector.monitoring.svc:4317"})
                    }
                    _ => {
                        json!({"name": env_name, "value": format!("-XX:MaxRAMPercentage={}.0", 50 + k)})
                    }
                };
                main.env.push(v);
            }
            main.mounts =
                vec![json!({"mountPath": "/etc/app", "name": "config", "readOnly": true})];
            let mut volumes = vec![
                json!({"configMap": {"defaultMode": 420, "name": format!("{name}-config")}, "name": "config"}),
            ];
            if r.chance(400) {
                main.mounts
                    .push(json!({"mountPath": "/tmp", "name": "tmp"}));
                volumes.push(json!({"emptyDir": {}, "name": "tmp"}));
            }
            let tls = r.chance(350) || fault == Fault::SecretVolumeMissing;
            if tls {
                main.mounts
                    .push(json!({"mountPath": "/etc/tls", "name": "tls", "readOnly": true}));
                volumes.push(json!({"name": "tls", "secret": {"defaultMode": 420, "secretName": format!("{name}-tls")}}));
            }
            main.probe_path = r
                .chance(800)
                .then(|| *r.pick(&["/healthz", "/ready", "/health", "/actuator/health"]));
            main.liveness = r.chance(400);
            main.command = match fault {
                Fault::BadCommand => Some(vec![
                    "/app/bin/start-server".into(),
                    "--config".into(),
                    "/etc/app/config.yaml".into(),
                ]),
                _ if r.chance(300) => Some(vec![
                    "/app/server".into(),
                    "--port".into(),
                    port.1.to_string(),
                ]),
                _ => None,
            };

            let mut containers = vec![main];
            if self.rng.chance(250) {
                let (cname, image, pname, p) = *self.rng.pick(SIDECARS);
                let mut c = self.container(cname.into(), image.into(), (pname, p));
                let r = &mut self.rng;
                c.req = (
                    (*r.pick(&["10m", "50m", "100m"])).into(),
                    (*r.pick(&["32Mi", "64Mi", "128Mi"])).into(),
                );
                c.lim = Some(("200m".into(), "256Mi".into()));
                if r.chance(500) {
                    c.env.push(json!({"name": "LOG_LEVEL", "value": "warn"}));
                }
                containers.push(c);
            }
            if self.rng.chance(80) {
                let (cname, image, pname, p) = *self.rng.pick(EXPORTERS);
                let mut c = self.container(cname.into(), image.into(), (pname, p));
                c.req = ("10m".into(), "32Mi".into());
                c.lim = Some(("100m".into(), "64Mi".into()));
                containers.push(c);
            }
            let init = if self.rng.chance(100) {
                let image = containers[0].image.clone();
                let mut c = self.container("migrate".into(), image, ("http", 0));
                c.command = Some(vec!["/app/bin/migrate".into(), "up".into()]);
                c.image_id = containers[0].image_id.clone();
                Some(c)
            } else {
                None
            };
            let generation = revision + self.rng.range(0, 3) as u32;
            self.deploys.push(DeployP {
                ns,
                name,
                uid,
                rv,
                created,
                rollout,
                revision,
                generation,
                hash,
                rs_uid,
                rs_rv,
                old,
                pool,
                containers,
                init,
                volumes,
                fault,
                deadline_exceeded,
                pods: Vec::new(),
                team,
                anti_affinity,
                automount,
            });
        }
        self.deploys
            .sort_by(|a, b| (a.ns, &a.name).cmp(&(b.ns, &b.name)));
    }

    fn plan_pods(&mut self) {
        let n_dep = self.deploys.len();
        // Schedulable nodes of each pool (fall back to any node).
        let mut by_pool: Vec<Vec<usize>> = vec![Vec::new(); POOLS.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            if node.ready && !node.cordoned {
                by_pool[node.pool].push(i);
            }
        }
        let any: Vec<usize> = (0..self.nodes.len()).collect();
        let mut names = HashSet::new();
        for i in 0..self.spec.pods {
            let d = i % n_dep;
            let r = &mut self.rng;
            let dep = &self.deploys[d];
            let name = loop {
                let name = format!("{}-{}-{}", dep.name, dep.hash, r.suffix(5));
                if names.insert((dep.ns, name.clone())) {
                    break name;
                }
            };
            let state = match dep.fault {
                Fault::ImageNotFound | Fault::ImageUnauthorized => PodState::ImagePull {
                    unauthorized: dep.fault == Fault::ImageUnauthorized,
                    backoff: r.chance(800),
                },
                Fault::BadCommand => PodState::CrashLoop { exit: 127 },
                Fault::ConfigMissing => PodState::ConfigMissing,
                Fault::SecretVolumeMissing => PodState::SecretVolumeMissing,
                Fault::Unschedulable(u) => PodState::Unschedulable(u),
                Fault::None => match r.below(1000) {
                    0..12 => PodState::CrashLoop { exit: 1 },
                    12..20 => PodState::CrashLoop { exit: 0 },
                    20..30 => PodState::CrashLoop { exit: 139 },
                    30..55 => PodState::OomKilled,
                    55..75 => PodState::NotReady,
                    _ => PodState::Running,
                },
            };
            let created = if dep.fault == Fault::None {
                dep.rollout + r.range(0, (NOW - dep.rollout).min(7 * DAY))
            } else {
                dep.rollout + r.range(0, 30)
            };
            let created = created.min(NOW - 30);
            let node = if state.scheduled() && !self.nodes.is_empty() {
                let pool = &by_pool[dep.pool];
                let pool = if pool.is_empty() { &any } else { pool };
                Some(*r.pick(pool))
            } else {
                None
            };
            let ip = match node {
                Some(n) if state != PodState::SecretVolumeMissing => {
                    let octets: Vec<&str> = self.nodes[n].ip.split('.').collect();
                    format!(
                        "10.{}.{}.{}",
                        octets[1],
                        octets[2].parse::<u32>().unwrap_or(0) ^ 128,
                        r.range(2, 254)
                    )
                }
                _ => String::new(),
            };
            let restarts = match state {
                PodState::CrashLoop { .. } | PodState::OomKilled => r.range(4, 400),
                PodState::Running if r.chance(80) => r.range(1, 3),
                _ => 0,
            };
            self.pods.push(PodP {
                deploy: d,
                uid: r.uid(),
                rv: r.resource_version(),
                api_vol: format!("kube-api-access-{}", r.suffix(5)),
                name,
                node,
                ip,
                created,
                state,
                restarts,
            });
        }
        self.pods.sort_by(|a, b| {
            (self.deploys[a.deploy].ns, &a.name).cmp(&(self.deploys[b.deploy].ns, &b.name))
        });
        for (i, p) in self.pods.iter().enumerate() {
            self.deploys[p.deploy].pods.push(i);
        }
    }

    fn event_name(&mut self, object: &str, t: i64) -> String {
        let nanos = (t as u64).wrapping_mul(1_000_000_000) + self.rng.below(1_000_000_000);
        format!("{object}.{nanos:x}")
    }

    #[allow(clippy::too_many_arguments)]
    fn pod_event(
        &mut self,
        p: usize,
        reason: &'static str,
        message: String,
        warning: bool,
        count: i64,
        first: i64,
        last: i64,
        container: Option<&str>,
    ) {
        let pod = &self.pods[p];
        let ns = self.deploys[pod.deploy].ns;
        let field_path = container.map(|c| {
            if c == "migrate" {
                format!("spec.initContainers{{{c}}}")
            } else {
                format!("spec.containers{{{c}}}")
            }
        });
        let pod_name = pod.name.clone();
        let source = if matches!(reason, "Scheduled" | "FailedScheduling") {
            Source::Scheduler
        } else {
            Source::Kubelet
        };
        let name = self.event_name(&pod_name, first);
        self.events.push(EventP {
            subject: Subject::Pod(p),
            name,
            ns,
            reason,
            message,
            warning,
            count,
            first,
            last: last.min(NOW),
            field_path,
            source,
        });
    }

    /// The events explaining a failing pod (all of them are printed, before any filler).
    fn failure_events(&mut self, p: usize) {
        let pod = &self.pods[p];
        let dep = &self.deploys[pod.deploy];
        let (ns, pod_name, uid) = (dep.ns, pod.name.clone(), pod.uid.clone());
        let c0 = &dep.containers[0];
        let (image, cname) = (c0.image.clone(), c0.name.clone());
        let start = pod.created;
        let age = NOW - start;
        let nodes_total = self.nodes.len();
        match pod.state {
            PodState::Running => {}
            PodState::ImagePull { unauthorized, .. } => {
                let pulls = (age / 300).clamp(1, 40) + 1;
                let detail = if unauthorized {
                    let repo = repo_of(&image);
                    format!(
                        "failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": pull access denied, repository does not exist or may require authorization: authorization failed: unexpected status from HEAD request to https://{}/manifests/{}: 401 Unauthorized",
                        repo.replacen('/', "/v2/", 1),
                        image.rsplit(':').next().unwrap_or("latest")
                    )
                } else {
                    format!(
                        "failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
                    )
                };
                let code = if unauthorized { "Unknown" } else { "NotFound" };
                let t = start + 2;
                self.pod_event(
                    p,
                    "Pulling",
                    format!("Pulling image \"{image}\""),
                    false,
                    pulls,
                    t,
                    NOW - 40,
                    Some(&cname),
                );
                self.pod_event(
                    p,
                    "Failed",
                    format!(
                        "Failed to pull image \"{image}\": rpc error: code = {code} desc = {detail}"
                    ),
                    true,
                    pulls,
                    t + 1,
                    NOW - 39,
                    Some(&cname),
                );
                self.pod_event(
                    p,
                    "Failed",
                    "Error: ErrImagePull".into(),
                    true,
                    pulls,
                    t + 1,
                    NOW - 39,
                    Some(&cname),
                );
                let backoffs = pulls * 3;
                self.pod_event(
                    p,
                    "BackOff",
                    format!("Back-off pulling image \"{image}\""),
                    false,
                    backoffs,
                    t + 2,
                    NOW - 5,
                    Some(&cname),
                );
                self.pod_event(
                    p,
                    "Failed",
                    "Error: ImagePullBackOff".into(),
                    true,
                    backoffs,
                    t + 2,
                    NOW - 5,
                    Some(&cname),
                );
            }
            PodState::CrashLoop { .. } | PodState::OomKilled => {
                let n = self.pods[p].restarts;
                let t = start + 5;
                self.pod_event(
                    p,
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                    false,
                    n,
                    t,
                    NOW - 120,
                    Some(&cname),
                );
                self.pod_event(
                    p,
                    "Created",
                    format!("Created container: {cname}"),
                    false,
                    n,
                    t,
                    NOW - 120,
                    Some(&cname),
                );
                self.pod_event(
                    p,
                    "Started",
                    format!("Started container {cname}"),
                    false,
                    n,
                    t,
                    NOW - 119,
                    Some(&cname),
                );
                self.pod_event(
                    p,
                    "BackOff",
                    format!(
                        "Back-off restarting failed container {cname} in pod {pod_name}_{ns}({uid})"
                    ),
                    true,
                    n * 4 + 3,
                    t + 30,
                    NOW - 3,
                    Some(&cname),
                );
            }
            PodState::ConfigMissing => {
                let n = (age / 20).clamp(2, 300);
                let dep_name = &self.deploys[self.pods[p].deploy].name;
                let msg = format!("Error: configmap \"{dep_name}-config\" not found");
                self.pod_event(
                    p,
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                    false,
                    n,
                    start + 2,
                    NOW - 8,
                    Some(&cname),
                );
                self.pod_event(p, "Failed", msg, true, n, start + 2, NOW - 8, Some(&cname));
            }
            PodState::SecretVolumeMissing => {
                let n = (age / 120).clamp(2, 60);
                let dep_name = &self.deploys[self.pods[p].deploy].name;
                let msg = format!(
                    "MountVolume.SetUp failed for volume \"tls\" : secret \"{dep_name}-tls\" not found"
                );
                self.pod_event(p, "FailedMount", msg, true, n, start + 1, NOW - 50, None);
            }
            PodState::Unschedulable(kind) => {
                let msg = scheduling_message(&self.nodes, kind, nodes_total);
                let n = (age / 60).clamp(1, 100);
                self.pod_event(p, "FailedScheduling", msg, true, n, start, NOW - 30, None);
            }
            PodState::NotReady => {
                let pod = &self.pods[p];
                let port = self.deploys[pod.deploy].containers[0].port.1;
                let path = self.deploys[pod.deploy].containers[0]
                    .probe_path
                    .unwrap_or("/");
                let msg = if self.rng.chance(500) {
                    "Readiness probe failed: HTTP probe failed with statuscode: 503".to_string()
                } else {
                    format!(
                        "Readiness probe failed: Get \"http://{}:{port}{path}\": dial tcp {}:{port}: connect: connection refused",
                        pod.ip, pod.ip
                    )
                };
                let n = (age / 10).clamp(3, 5000);
                self.pod_event(
                    p,
                    "Unhealthy",
                    msg,
                    true,
                    n,
                    start + 20,
                    NOW - 4,
                    Some(&cname),
                );
            }
        }
    }

    /// The ordinary lifecycle events of a scheduled pod (Scheduled, Pulling, Pulled, Created,
    /// Started per container), used to fill the event quota.
    fn lifecycle_events(&mut self, p: usize, budget: usize) {
        let pod = &self.pods[p];
        let Some(node) = pod.node else { return };
        let dep = &self.deploys[pod.deploy];
        let start = pod.created;
        let (ns, node_name, pod_name) = (dep.ns, self.nodes[node].name.clone(), pod.name.clone());
        let state = pod.state;
        let mut todo: Vec<(&'static str, String, Option<String>, i64)> = Vec::new();
        todo.push((
            "Scheduled",
            format!("Successfully assigned {ns}/{pod_name} to {node_name}"),
            None,
            start,
        ));
        let failing_main = !matches!(state, PodState::Running | PodState::NotReady);
        let mut t = start + 1;
        for c in dep.init.iter().chain(&dep.containers) {
            if failing_main && c.name == "app" {
                continue;
            }
            if state == PodState::SecretVolumeMissing {
                break;
            }
            let pull = self.rng.range(800, 25_000);
            todo.push((
                "Pulling",
                format!("Pulling image \"{}\"", c.image),
                Some(c.name.clone()),
                t,
            ));
            t += pull / 1000 + 1;
            todo.push((
                "Pulled",
                format!(
                    "Successfully pulled image \"{}\" in {}.{:03}s ({}.{:03}s including waiting). Image size: {} bytes.",
                    c.image,
                    pull / 1000,
                    pull % 1000,
                    pull / 1000,
                    pull % 1000,
                    c.image_size
                ),
                Some(c.name.clone()),
                t,
            ));
            todo.push((
                "Created",
                format!("Created container: {}", c.name),
                Some(c.name.clone()),
                t,
            ));
            todo.push((
                "Started",
                format!("Started container {}", c.name),
                Some(c.name.clone()),
                t,
            ));
        }
        for (reason, msg, c, at) in todo.into_iter().take(budget) {
            self.pod_event(p, reason, msg, false, 1, at, at, c.as_deref());
        }
    }

    fn node_event(&mut self, n: usize, k: usize) {
        const REASONS: &[(&str, &str)] = &[
            ("Starting", "Starting kubelet."),
            (
                "NodeHasSufficientMemory",
                "status is now: NodeHasSufficientMemory",
            ),
            (
                "NodeHasNoDiskPressure",
                "status is now: NodeHasNoDiskPressure",
            ),
            (
                "NodeHasSufficientPID",
                "status is now: NodeHasSufficientPID",
            ),
            (
                "NodeAllocatableEnforced",
                "Updated Node Allocatable limit across pods",
            ),
            ("NodeReady", "status is now: NodeReady"),
            ("RegisteredNode", "event: Registered Node"),
        ];
        let (reason, msg) = REASONS[k % REASONS.len()];
        let node = &self.nodes[n];
        let (name, created) = (node.name.clone(), node.created);
        let message = match reason {
            "Starting" | "NodeAllocatableEnforced" => msg.to_string(),
            "RegisteredNode" => format!("Node {name} event: Registered Node {name} in Controller"),
            _ => format!("Node {name} {msg}"),
        };
        let at = created + (k / REASONS.len()) as i64 * 3600 + 5;
        let ev_name = self.event_name(&name, at);
        self.events.push(EventP {
            subject: Subject::Node(n),
            name: ev_name,
            ns: "default",
            reason,
            message,
            warning: false,
            count: 1,
            first: at,
            last: at,
            field_path: None,
            source: if reason == "RegisteredNode" {
                Source::NodeController
            } else {
                Source::Kubelet
            },
        });
    }

    fn plan_events(&mut self) {
        let quota = self.spec.events;
        for p in 0..self.pods.len() {
            self.failure_events(p);
        }
        self.events.truncate(quota);
        // Pods in a random order; the first ones get their full lifecycle history.
        let mut order: Vec<usize> = (0..self.pods.len()).collect();
        for i in (1..order.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        for p in order {
            let left = quota - self.events.len();
            if left == 0 {
                break;
            }
            self.lifecycle_events(p, left);
        }
        // Still short (few pods): node events fill the rest.
        let mut k = 0;
        while self.events.len() < quota {
            if self.nodes.is_empty() {
                self.nodes.push(NodeP {
                    name: "ip-10-0-0-10.eu-west-1.compute.internal".into(),
                    uid: self.rng.uid(),
                    rv: self.rng.resource_version(),
                    ip: "10.0.0.10".into(),
                    pool: 0,
                    zone: 0,
                    created: NOW - DAY,
                    ready: true,
                    cordoned: false,
                    instance_id: "i-0000000000000000a".into(),
                    boot_id: self.rng.uid(),
                    machine_id: "ec2".into(),
                    images: Vec::new(),
                });
            }
            let n = k % self.nodes.len();
            self.node_event(n, k / self.nodes.len());
            k += 1;
        }
        self.events
            .sort_by(|a, b| (a.ns, &a.name).cmp(&(b.ns, &b.name)));
    }
}

fn scheduling_message(nodes: &[NodeP], kind: Unsched, total: usize) -> String {
    let (mut unreachable, mut cordoned, mut gpu, mut infra, mut rest) = (0, 0, 0, 0, 0);
    for n in nodes {
        if !n.ready {
            unreachable += 1;
        } else if n.cordoned {
            cordoned += 1;
        } else if n.pool == 2 {
            gpu += 1;
        } else if n.pool == 3 {
            infra += 1;
        } else {
            rest += 1;
        }
    }
    let mut parts = Vec::new();
    if unreachable > 0 {
        parts.push(format!(
            "{unreachable} node(s) had untolerated taint {{node.kubernetes.io/unreachable: }}"
        ));
    }
    if cordoned > 0 {
        parts.push(format!("{cordoned} node(s) were unschedulable"));
    }
    if gpu > 0 {
        parts.push(format!(
            "{gpu} node(s) had untolerated taint {{nvidia.com/gpu: present}}"
        ));
    }
    if infra > 0 {
        parts.push(format!(
            "{infra} node(s) had untolerated taint {{dedicated: infra}}"
        ));
    }
    let why = match kind {
        Unsched::Cpu => "Insufficient cpu",
        Unsched::Memory => "Insufficient memory",
        Unsched::Selector => "node(s) didn't match Pod's node affinity/selector",
    };
    if rest > 0 {
        parts.push(format!("{rest} {why}"));
    }
    parts.sort();
    let blocked = total - rest;
    let mut preempt = Vec::new();
    if blocked > 0 {
        preempt.push(format!(
            "{blocked} Preemption is not helpful for scheduling"
        ));
    }
    if rest > 0 {
        preempt.push(if kind == Unsched::Selector {
            format!("{rest} Preemption is not helpful for scheduling")
        } else {
            format!("{rest} No preemption victims found for incoming pod")
        });
    }
    if kind == Unsched::Selector {
        preempt = vec![format!("{total} Preemption is not helpful for scheduling")];
    }
    preempt.sort();
    format!(
        "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {}.",
        parts.join(", "),
        preempt.join(", ")
    )
}

// ---------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------

fn resources(req: &(String, String), lim: &Option<(String, String)>) -> Value {
    let mut v = json!({"requests": {"cpu": req.0, "memory": req.1}});
    if let Some((cpu, mem)) = lim {
        v["limits"] = json!({"cpu": cpu, "memory": mem});
    }
    v
}

fn probe(path: &str, port: u16, initial: i64, period: i64) -> Value {
    json!({
        "failureThreshold": 3,
        "httpGet": {"path": path, "port": port, "scheme": "HTTP"},
        "initialDelaySeconds": initial,
        "periodSeconds": period,
        "successThreshold": 1,
        "timeoutSeconds": 1
    })
}

fn container_spec(c: &Ctr, api_vol: Option<&str>) -> Value {
    let mut v = json!({
        "image": c.image,
        "imagePullPolicy": "IfNotPresent",
        "name": c.name,
        "resources": resources(&c.req, &c.lim),
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    });
    if c.port.1 != 0 {
        v["ports"] = json!([{"containerPort": c.port.1, "name": c.port.0, "protocol": "TCP"}]);
    }
    if let Some(cmd) = &c.command {
        v["command"] = json!(cmd);
    }
    if !c.env.is_empty() {
        v["env"] = Value::Array(c.env.clone());
    }
    if let Some(path) = c.probe_path {
        if c.liveness {
            v["livenessProbe"] = probe(path, c.port.1, 15, 20);
        }
        v["readinessProbe"] = probe(path, c.port.1, 5, 10);
    }
    let mut mounts = c.mounts.clone();
    if let Some(vol) = api_vol {
        mounts.push(json!({
            "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
            "name": vol,
            "readOnly": true
        }));
    }
    if !mounts.is_empty() {
        v["volumeMounts"] = Value::Array(mounts);
    }
    v
}

fn pod_labels(d: &DeployP) -> Value {
    json!({
        "app": d.name,
        "app.kubernetes.io/name": d.name,
        "app.kubernetes.io/part-of": d.ns,
        "team": d.team,
    })
}

/// The pod template's `spec` (without the per-pod fields the API server and scheduler add).
fn template_spec(d: &DeployP) -> Value {
    let mut spec = json!({
        "containers": d.containers.iter().map(|c| container_spec(c, None)).collect::<Vec<_>>(),
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {"fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
        "serviceAccount": d.name,
        "serviceAccountName": d.name,
        "terminationGracePeriodSeconds": 30,
        "volumes": d.volumes,
    });
    if !d.automount {
        spec["automountServiceAccountToken"] = json!(false);
    }
    if let Some(init) = &d.init {
        spec["initContainers"] = json!([container_spec(init, None)]);
    }
    add_placement(&mut spec, d);
    spec
}

fn add_placement(spec: &mut Value, d: &DeployP) {
    match d.fault {
        Fault::Unschedulable(Unsched::Selector) => {
            spec["nodeSelector"] = json!({"node.kubernetes.io/disk-type": "nvme"});
        }
        _ if d.pool != 0 => {
            spec["nodeSelector"] = json!({"eks.amazonaws.com/nodegroup": POOLS[d.pool].name});
        }
        _ => {}
    }
    if POOLS[d.pool].gpu {
        spec["tolerations"] =
            json!([{"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}]);
    }
    if d.anti_affinity {
        spec["affinity"] = json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "podAffinityTerm": {
                "labelSelector": {"matchLabels": {"app": d.name}},
                "topologyKey": "topology.kubernetes.io/zone"
            },
            "weight": 100
        }]}});
    }
}

fn owner(api_version: &str, kind: &str, name: &str, uid: &str) -> Value {
    json!([{
        "apiVersion": api_version,
        "blockOwnerDeletion": true,
        "controller": true,
        "kind": kind,
        "name": name,
        "uid": uid
    }])
}

fn condition(
    kind: &str,
    ok: bool,
    at: i64,
    reason: Option<&str>,
    message: Option<String>,
) -> Value {
    let mut c = json!({
        "lastProbeTime": null,
        "lastTransitionTime": ts(at),
        "status": if ok { "True" } else { "False" },
        "type": kind
    });
    if let Some(r) = reason {
        c["reason"] = json!(r);
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    c
}

impl Gen {
    fn render<W: Write>(mut self, w: W) -> io::Result<()> {
        let mut out = ListWriter::new(w)?;
        let mut r = Render {
            rng: &mut self.rng,
            nodes: &self.nodes,
            deploys: &self.deploys,
            pods: &self.pods,
        };
        for d in 0..r.deploys.len() {
            out.item(r.deployment(d))?;
        }
        // ReplicaSets, sorted by name within their namespace.
        let mut rs: Vec<(&str, String, usize, bool)> = Vec::new();
        for (d, dep) in r.deploys.iter().enumerate() {
            rs.push((dep.ns, format!("{}-{}", dep.name, dep.hash), d, true));
            if let Some(old) = &dep.old {
                rs.push((dep.ns, format!("{}-{}", dep.name, old.hash), d, false));
            }
        }
        rs.sort();
        for (_, _, d, current) in rs {
            out.item(r.replicaset(d, current))?;
        }
        for p in 0..r.pods.len() {
            out.item(r.pod(p))?;
        }
        // (A stand-in node made up for events of an empty cluster is not printed.)
        for n in 0..self.spec.nodes {
            out.item(r.node(n))?;
        }
        for e in &self.events {
            out.item(r.event(e))?;
        }
        out.finish()
    }
}

/// Renders planned objects to JSON values (the plan is read-only; only the PRNG moves).
struct Render<'a> {
    rng: &'a mut Rng,
    nodes: &'a [NodeP],
    deploys: &'a [DeployP],
    pods: &'a [PodP],
}

impl Render<'_> {
    fn ready_pods(&self, dep: &DeployP) -> i64 {
        dep.pods
            .iter()
            .filter(|&&p| self.pods[p].state == PodState::Running)
            .count() as i64
    }

    fn deployment(&mut self, d: usize) -> Value {
        let dep = &self.deploys[d];
        let n = dep.pods.len() as i64;
        let ready = self.ready_pods(dep);
        let rs_name = format!("{}-{}", dep.name, dep.hash);
        let available_ok = n - ready <= n / 4;
        let (avail_reason, avail_msg) = if available_ok {
            (
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            )
        } else {
            (
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            )
        };
        let (prog_ok, prog_at, prog_reason, prog_msg) = if dep.deadline_exceeded {
            (
                false,
                dep.rollout + 600,
                "ProgressDeadlineExceeded",
                format!("ReplicaSet \"{rs_name}\" has timed out progressing."),
            )
        } else if dep.fault != Fault::None {
            (
                true,
                dep.rollout,
                "ReplicaSetUpdated",
                format!("ReplicaSet \"{rs_name}\" is progressing."),
            )
        } else {
            (
                true,
                dep.rollout + 40,
                "NewReplicaSetAvailable",
                format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
            )
        };
        let status_str = |ok: bool| if ok { "True" } else { "False" };
        let mut status = json!({
            "conditions": [
                {
                    "lastTransitionTime": ts(dep.rollout + 30),
                    "lastUpdateTime": ts(dep.rollout + 30),
                    "message": avail_msg,
                    "reason": avail_reason,
                    "status": status_str(available_ok),
                    "type": "Available"
                },
                {
                    "lastTransitionTime": ts(prog_at),
                    "lastUpdateTime": ts(prog_at),
                    "message": prog_msg,
                    "reason": prog_reason,
                    "status": status_str(prog_ok),
                    "type": "Progressing"
                }
            ],
            "observedGeneration": dep.generation,
            "replicas": n,
            "updatedReplicas": n,
        });
        if ready > 0 {
            status["readyReplicas"] = json!(ready);
            status["availableReplicas"] = json!(ready);
        }
        if n > ready {
            status["unavailableReplicas"] = json!(n - ready);
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "annotations": {
                    "deployment.kubernetes.io/revision": dep.revision.to_string(),
                    "meta.helm.sh/release-name": dep.name,
                    "meta.helm.sh/release-namespace": dep.ns,
                },
                "creationTimestamp": ts(dep.created),
                "generation": dep.generation,
                "labels": {
                    "app": dep.name,
                    "app.kubernetes.io/managed-by": "Helm",
                    "team": dep.team
                },
                "name": dep.name,
                "namespace": dep.ns,
                "resourceVersion": dep.rv,
                "uid": dep.uid,
            },
            "spec": {
                "progressDeadlineSeconds": 600,
                "replicas": n,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": dep.name}},
                "strategy": {
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                    "type": "RollingUpdate"
                },
                "template": {
                    "metadata": {
                        "annotations": pod_annotations(dep),
                        "labels": pod_labels(dep)
                    },
                    "spec": template_spec(dep),
                },
            },
            "status": status,
        })
    }

    fn replicaset(&mut self, d: usize, current: bool) -> Value {
        let dep = &self.deploys[d];
        let replicas = dep.pods.len();
        let n = if current { replicas as i64 } else { 0 };
        let ready = self.ready_pods(dep);
        let mut spec = template_spec(dep);
        let (hash, uid, created, revision, rv) = match (&dep.old, current) {
            (Some(old), false) => {
                spec["containers"][0]["image"] = json!(old.image);
                (
                    &old.hash,
                    &old.uid,
                    old.created,
                    dep.revision.saturating_sub(1).max(1),
                    self.rng.resource_version(),
                )
            }
            _ => (
                &dep.hash,
                &dep.rs_uid,
                dep.rollout,
                dep.revision,
                dep.rs_rv.clone(),
            ),
        };
        let mut labels = pod_labels(dep);
        labels["pod-template-hash"] = json!(hash);
        let mut status = json!({"observedGeneration": 1 + i64::from(!current), "replicas": n});
        if n > 0 {
            status["fullyLabeledReplicas"] = json!(n);
            if ready > 0 {
                status["readyReplicas"] = json!(ready);
                status["availableReplicas"] = json!(ready);
            }
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "annotations": {
                    "deployment.kubernetes.io/desired-replicas": replicas.to_string(),
                    "deployment.kubernetes.io/max-replicas":
                        (replicas + replicas.div_ceil(4)).to_string(),
                    "deployment.kubernetes.io/revision": revision.to_string(),
                    "meta.helm.sh/release-name": dep.name,
                    "meta.helm.sh/release-namespace": dep.ns,
                },
                "creationTimestamp": ts(created),
                "generation": 1 + i64::from(!current),
                "labels": labels,
                "name": format!("{}-{hash}", dep.name),
                "namespace": dep.ns,
                "ownerReferences": owner("apps/v1", "Deployment", &dep.name, &dep.uid),
                "resourceVersion": rv,
                "uid": uid,
            },
            "spec": {
                "replicas": n,
                "selector": {"matchLabels": {"app": dep.name, "pod-template-hash": hash}},
                "template": {
                    "metadata": {"annotations": pod_annotations(dep), "labels": labels},
                    "spec": spec
                },
            },
            "status": status,
        })
    }

    fn terminated(&mut self, exit: i32, reason: &str, started: i64, finished: i64) -> Value {
        json!({"terminated": {
            "containerID": format!("containerd://{}", self.rng.hex(64)),
            "exitCode": exit,
            "finishedAt": ts(finished),
            "reason": reason,
            "startedAt": ts(started),
        }})
    }

    fn container_status(&mut self, pod: &PodP, c: &Ctr, main: bool) -> Value {
        let ns = self.deploys[pod.deploy].ns;
        let dep_name = &self.deploys[pod.deploy].name;
        let started_at = pod.created + self.rng.range(3, 40);
        let mut v = json!({
            "containerID": format!("containerd://{}", self.rng.hex(64)),
            "image": c.status_image,
            "imageID": c.image_id,
            "lastState": {},
            "name": c.name,
            "ready": true,
            "restartCount": 0,
            "started": true,
            "state": {"running": {"startedAt": ts(started_at)}},
        });
        let waiting = |reason: &str, message: Option<String>| match message {
            Some(m) => json!({"waiting": {"message": m, "reason": reason}}),
            None => json!({"waiting": {"reason": reason}}),
        };
        let backoff_msg = || {
            format!(
                "back-off 5m0s restarting failed container={} pod={}_{ns}({})",
                c.name, pod.name, pod.uid
            )
        };
        let never_started = |v: &mut Value, spec_image: bool| {
            let obj = v.as_object_mut().expect("object");
            obj.remove("containerID");
            obj.insert("imageID".into(), json!(""));
            obj.insert("ready".into(), json!(false));
            obj.insert("started".into(), json!(false));
            if spec_image {
                obj.insert("image".into(), json!(c.image));
            }
        };
        match pod.state {
            PodState::SecretVolumeMissing => {
                never_started(&mut v, true);
                v["state"] = waiting("ContainerCreating", None);
            }
            PodState::ImagePull { backoff, .. } if main => {
                never_started(&mut v, true);
                let image = &c.image;
                let detail = format!(
                    "failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\""
                );
                v["state"] = if backoff {
                    waiting(
                        "ImagePullBackOff",
                        Some(format!(
                            "Back-off pulling image \"{image}\": ErrImagePull: {detail}"
                        )),
                    )
                } else {
                    waiting("ErrImagePull", Some(detail))
                };
            }
            PodState::ConfigMissing if main => {
                never_started(&mut v, false);
                let msg = format!("configmap \"{dep_name}-config\" not found");
                v["state"] = waiting("CreateContainerConfigError", Some(msg));
            }
            PodState::CrashLoop { exit } if main => {
                let finished = NOW - self.rng.range(5, 280);
                let reason = if exit == 0 { "Completed" } else { "Error" };
                let started = finished - self.rng.range(0, 20);
                v["lastState"] = self.terminated(exit, reason, started, finished);
                v["ready"] = json!(false);
                v["started"] = json!(false);
                v["restartCount"] = json!(pod.restarts);
                v["state"] = waiting("CrashLoopBackOff", Some(backoff_msg()));
            }
            PodState::OomKilled if main => {
                let finished = NOW - self.rng.range(5, 280);
                let started = finished - self.rng.range(20, 900);
                v["lastState"] = self.terminated(137, "OOMKilled", started, finished);
                v["ready"] = json!(false);
                v["started"] = json!(false);
                v["restartCount"] = json!(pod.restarts);
                v["state"] = waiting("CrashLoopBackOff", Some(backoff_msg()));
            }
            PodState::NotReady if main => {
                v["ready"] = json!(false);
            }
            PodState::Running if main && pod.restarts > 0 => {
                let up = (NOW - started_at - 120).max(1);
                let finished = started_at + self.rng.range(1, up);
                let (exit, reason) =
                    *self
                        .rng
                        .pick(&[(1, "Error"), (137, "OOMKilled"), (143, "Error")]);
                v["lastState"] = self.terminated(exit, reason, started_at, finished);
                v["restartCount"] = json!(pod.restarts);
                v["state"] = json!({"running": {"startedAt": ts(finished + 1)}});
            }
            _ => {}
        }
        v
    }

    fn pod(&mut self, p: usize) -> Value {
        let pod = &self.pods[p];
        let dep = &self.deploys[pod.deploy];
        let state = pod.state;
        let created = pod.created;
        let api_vol = dep.automount.then_some(pod.api_vol.as_str());
        let mut spec = template_spec(dep);
        spec["containers"] = dep
            .containers
            .iter()
            .map(|c| container_spec(c, api_vol))
            .collect();
        if let Some(init) = &dep.init {
            spec["initContainers"] = json!([container_spec(init, api_vol)]);
        }
        spec["enableServiceLinks"] = json!(true);
        spec["preemptionPolicy"] = json!("PreemptLowerPriority");
        spec["priority"] = json!(0);
        let mut tolerations = match spec.get("tolerations") {
            Some(Value::Array(t)) => t.clone(),
            _ => Vec::new(),
        };
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            tolerations.push(json!({
                "effect": "NoExecute",
                "key": key,
                "operator": "Exists",
                "tolerationSeconds": 300
            }));
        }
        spec["tolerations"] = Value::Array(tolerations);
        if let (Some(Value::Array(vols)), Some(api_vol)) = (spec.get_mut("volumes"), api_vol) {
            vols.push(
                json!({"name": api_vol, "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                        "name": "kube-root-ca.crt"
                    }},
                    {"downwardAPI": {"items": [{
                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                        "path": "namespace"
                    }]}},
                ]}}),
            );
        }
        if let Some(n) = pod.node {
            spec["nodeName"] = json!(self.nodes[n].name);
        }
        let guaranteed = dep
            .containers
            .iter()
            .all(|c| c.lim.as_ref() == Some(&c.req));
        let qos = if guaranteed {
            "Guaranteed"
        } else {
            "Burstable"
        };
        let mut labels = pod_labels(dep);
        labels["pod-template-hash"] = json!(dep.hash);
        let rs_name = format!("{}-{}", dep.name, dep.hash);
        let meta = json!({
            "annotations": pod_annotations(dep),
            "creationTimestamp": ts(created),
            "generateName": format!("{rs_name}-"),
            "labels": labels,
            "name": pod.name,
            "namespace": dep.ns,
            "ownerReferences": owner("apps/v1", "ReplicaSet", &rs_name, &dep.rs_uid),
            "resourceVersion": pod.rv,
            "uid": pod.uid,
        });

        let status = if let PodState::Unschedulable(kind) = state {
            let msg = scheduling_message(self.nodes, kind, self.nodes.len());
            json!({
                "conditions": [
                    condition("PodScheduled", false, created, Some("Unschedulable"), Some(msg))
                ],
                "phase": "Pending",
                "qosClass": qos,
            })
        } else {
            let host_ip = pod.node.map(|n| self.nodes[n].ip.as_str()).unwrap_or("");
            let unready: Vec<&str> = dep
                .containers
                .iter()
                .filter(|c| {
                    state == PodState::SecretVolumeMissing
                        || (state != PodState::Running && c.name == "app")
                })
                .map(|c| c.name.as_str())
                .collect();
            let sandbox = state != PodState::SecretVolumeMissing;
            let mut conditions = vec![
                condition(
                    "PodReadyToStartContainers",
                    sandbox,
                    created + 3,
                    None,
                    None,
                ),
                condition("Initialized", true, created + 1, None, None),
            ];
            if unready.is_empty() {
                conditions.push(condition("Ready", true, created + 30, None, None));
                conditions.push(condition("ContainersReady", true, created + 30, None, None));
            } else {
                let msg = format!("containers with unready status: [{}]", unready.join(" "));
                for kind in ["Ready", "ContainersReady"] {
                    let reason = Some("ContainersNotReady");
                    conditions.push(condition(
                        kind,
                        false,
                        created + 1,
                        reason,
                        Some(msg.clone()),
                    ));
                }
            }
            conditions.push(condition("PodScheduled", true, created, None, None));
            let phase = match state {
                PodState::ImagePull { .. }
                | PodState::ConfigMissing
                | PodState::SecretVolumeMissing => "Pending",
                _ => "Running",
            };
            let statuses: Vec<Value> = dep
                .containers
                .iter()
                .enumerate()
                .map(|(i, c)| self.container_status(pod, c, i == 0))
                .collect();
            let mut status = json!({
                "conditions": conditions,
                "containerStatuses": statuses,
                "hostIP": host_ip,
                "hostIPs": [{"ip": host_ip}],
                "phase": phase,
                "qosClass": qos,
                "startTime": ts(created),
            });
            if !pod.ip.is_empty() {
                status["podIP"] = json!(pod.ip);
                status["podIPs"] = json!([{"ip": pod.ip}]);
            }
            if let Some(init) = &dep.init {
                let t = created + 4;
                let mut s = json!({
                    "containerID": format!("containerd://{}", self.rng.hex(64)),
                    "image": init.status_image,
                    "imageID": init.image_id,
                    "lastState": {},
                    "name": init.name,
                    "ready": true,
                    "restartCount": 0,
                    "started": false,
                });
                s["state"] = self.terminated(0, "Completed", t, t + 3);
                status["initContainerStatuses"] = json!([s]);
            }
            status
        };
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": meta,
            "spec": spec,
            "status": status
        })
    }

    fn node(&mut self, n: usize) -> Value {
        let node = &self.nodes[n];
        let pool = &POOLS[node.pool];
        let zone = ZONES[node.zone];
        let heartbeat = NOW - self.rng.range(0, 40);
        let since = node.created + 40;
        let ok = |kind: &str, reason: &str, message: &str| {
            json!({
                "lastHeartbeatTime": ts(heartbeat),
                "lastTransitionTime": ts(since),
                "message": message,
                "reason": reason,
                "status": "False",
                "type": kind
            })
        };
        let mut conditions = vec![
            ok(
                "MemoryPressure",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            ok(
                "DiskPressure",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
            ),
            ok(
                "PIDPressure",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
        ];
        if node.ready {
            conditions.push(json!({
                "lastHeartbeatTime": ts(heartbeat),
                "lastTransitionTime": ts(since + 20),
                "message": "kubelet is posting ready status",
                "reason": "KubeletReady",
                "status": "True",
                "type": "Ready"
            }));
        } else {
            let lost = NOW - self.rng.range(600, 7200);
            for c in &mut conditions {
                c["lastHeartbeatTime"] = json!(ts(lost - 40));
                c["lastTransitionTime"] = json!(ts(lost));
                c["message"] = json!("Kubelet stopped posting node status.");
                c["reason"] = json!("NodeStatusUnknown");
                c["status"] = json!("Unknown");
            }
            conditions.push(json!({
                "lastHeartbeatTime": ts(lost - 40),
                "lastTransitionTime": ts(lost),
                "message": "Kubelet stopped posting node status.",
                "reason": "NodeStatusUnknown",
                "status": "Unknown",
                "type": "Ready"
            }));
        }
        let mut taints = Vec::new();
        if let Some((key, value)) = pool.taint {
            taints.push(json!({"effect": "NoSchedule", "key": key, "value": value}));
        }
        if node.cordoned {
            taints.push(json!({
                "effect": "NoSchedule",
                "key": "node.kubernetes.io/unschedulable",
                "timeAdded": ts(NOW - 3 * 3600)
            }));
        }
        if !node.ready {
            for effect in ["NoSchedule", "NoExecute"] {
                taints.push(json!({
                    "effect": effect,
                    "key": "node.kubernetes.io/unreachable",
                    "timeAdded": ts(NOW - 500)
                }));
            }
        }
        let mut spec = json!({"providerID": format!("aws:///{zone}/{}", node.instance_id)});
        if !taints.is_empty() {
            spec["taints"] = Value::Array(taints);
        }
        if node.cordoned {
            spec["unschedulable"] = json!(true);
        }
        let mem = pool.mem_ki;
        let mut capacity = json!({
            "cpu": pool.cpu.to_string(),
            "ephemeral-storage": "104845292Ki",
            "hugepages-1Gi": "0",
            "hugepages-2Mi": "0",
            "memory": format!("{mem}Ki"),
            "pods": pool.pods.to_string(),
        });
        let mut allocatable = json!({
            "cpu": format!("{}m", pool.cpu * 1000 - 80 - 10 * pool.cpu),
            "ephemeral-storage": "95491281146",
            "hugepages-1Gi": "0",
            "hugepages-2Mi": "0",
            "memory": format!("{}Ki", mem - mem / 16 - 100_000),
            "pods": pool.pods.to_string(),
        });
        if pool.gpu {
            capacity["nvidia.com/gpu"] = json!("1");
            allocatable["nvidia.com/gpu"] = json!("1");
        }
        let images: Vec<Value> = node
            .images
            .iter()
            .map(|(img, size)| {
                let canonical = canonical_image(img);
                let digest = format!("{}@sha256:{}", repo_of(&canonical), self.rng.hex(64));
                json!({"names": [digest, canonical], "sizeBytes": size})
            })
            .collect();
        let dns = format!(
            "ip-{}.eu-west-1.compute.internal",
            node.ip.replace('.', "-")
        );
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "annotations": {
                    "alpha.kubernetes.io/provided-node-ip": node.ip,
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true"
                },
                "creationTimestamp": ts(node.created),
                "labels": {
                    "beta.kubernetes.io/arch": "amd64",
                    "beta.kubernetes.io/instance-type": pool.instance,
                    "beta.kubernetes.io/os": "linux",
                    "eks.amazonaws.com/capacityType": "ON_DEMAND",
                    "eks.amazonaws.com/nodegroup": pool.name,
                    "failure-domain.beta.kubernetes.io/region": "eu-west-1",
                    "failure-domain.beta.kubernetes.io/zone": zone,
                    "k8s.io/cloud-provider-aws": "4c8d2f0e6b1a9d7c3e5f1a2b4c6d8e0f",
                    "kubernetes.io/arch": "amd64",
                    "kubernetes.io/hostname": node.name,
                    "kubernetes.io/os": "linux",
                    "node.kubernetes.io/instance-type": pool.instance,
                    "topology.k8s.aws/zone-id": ZONE_IDS[node.zone],
                    "topology.kubernetes.io/region": "eu-west-1",
                    "topology.kubernetes.io/zone": zone
                },
                "name": node.name,
                "resourceVersion": node.rv,
                "uid": node.uid,
            },
            "spec": spec,
            "status": {
                "addresses": [
                    {"address": node.ip, "type": "InternalIP"},
                    {"address": dns, "type": "InternalDNS"},
                    {"address": node.name, "type": "Hostname"}
                ],
                "allocatable": allocatable,
                "capacity": capacity,
                "conditions": conditions,
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "features": {"supplementalGroupsPolicy": true},
                "images": images,
                "nodeInfo": {
                    "architecture": "amd64",
                    "bootID": node.boot_id,
                    "containerRuntimeVersion": "containerd://1.7.27",
                    "kernelVersion": "6.1.134-152.225.amzn2023.x86_64",
                    "kubeProxyVersion": "",
                    "kubeletVersion": "v1.33.1-eks-b9364f6",
                    "machineID": node.machine_id,
                    "operatingSystem": "linux",
                    "osImage": "Amazon Linux 2023.7.20250512",
                    "systemUUID": format!("ec2{}", &node.machine_id[3..]),
                },
                "runtimeHandlers": [
                    {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": "runc"},
                    {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": ""}
                ]
            }
        })
    }

    fn event(&mut self, e: &EventP) -> Value {
        let (involved, host) = match e.subject {
            Subject::Pod(p) => {
                let pod = &self.pods[p];
                let mut o = json!({
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "name": pod.name,
                    "namespace": e.ns,
                    "resourceVersion": pod.rv,
                    "uid": pod.uid
                });
                if let Some(f) = &e.field_path {
                    o["fieldPath"] = json!(f);
                }
                (o, pod.node.map(|n| self.nodes[n].name.as_str()))
            }
            Subject::Node(n) => {
                let node = &self.nodes[n];
                let uid = if matches!(e.source, Source::NodeController) {
                    node.uid.as_str()
                } else {
                    node.name.as_str()
                };
                (
                    json!({"kind": "Node", "name": node.name, "uid": uid}),
                    Some(node.name.as_str()),
                )
            }
        };
        let mut v = json!({
            "apiVersion": "v1",
            "involvedObject": involved,
            "kind": "Event",
            "message": e.message,
            "metadata": {
                "creationTimestamp": ts(e.first),
                "name": e.name,
                "namespace": e.ns,
                "resourceVersion": self.rng.resource_version(),
                "uid": self.rng.uid()
            },
            "reason": e.reason,
            "type": if e.warning { "Warning" } else { "Normal" },
        });
        match e.source {
            // The scheduler writes events.k8s.io/v1 events; read back as core/v1 they have
            // an eventTime, no first/last timestamps and, when repeated, a series.
            Source::Scheduler => {
                let us = self.rng.below(1_000_000);
                v["action"] = json!(if e.reason == "Scheduled" {
                    "Binding"
                } else {
                    "Scheduling"
                });
                v["eventTime"] = json!(micro(e.first, us));
                v["firstTimestamp"] = Value::Null;
                v["lastTimestamp"] = Value::Null;
                v["reportingComponent"] = json!("default-scheduler");
                v["reportingInstance"] = json!("default-scheduler-ip-10-0-12-7");
                v["source"] = json!({});
                if e.count > 1 {
                    v["series"] = json!({"count": e.count, "lastObservedTime": micro(e.last, us)});
                }
            }
            Source::Kubelet | Source::NodeController => {
                let component = match e.source {
                    Source::Kubelet => "kubelet",
                    _ => "node-controller",
                };
                v["count"] = json!(e.count);
                v["eventTime"] = Value::Null;
                v["firstTimestamp"] = json!(ts(e.first));
                v["lastTimestamp"] = json!(ts(e.last));
                v["reportingComponent"] = json!(component);
                match (&e.source, host) {
                    (Source::Kubelet, Some(h)) => {
                        v["reportingInstance"] = json!(h);
                        v["source"] = json!({"component": component, "host": h});
                    }
                    _ => {
                        v["reportingInstance"] = json!("");
                        v["source"] = json!({"component": component});
                    }
                }
            }
        }
        v
    }
}

fn pod_annotations(d: &DeployP) -> Value {
    json!({
        "kubectl.kubernetes.io/default-container": "app",
        "prometheus.io/port": d.containers[0].port.1.to_string(),
        "prometheus.io/scrape": "true"
    })
}

/// Writes `{"apiVersion": "v1", "items": [...], "kind": "List", ...}` exactly as kubectl's
/// 4-space pretty printer does, one item at a time.
struct ListWriter<W: Write> {
    w: W,
    scratch: Vec<u8>,
    indented: Vec<u8>,
    first: bool,
}

impl<W: Write> ListWriter<W> {
    fn new(mut w: W) -> io::Result<Self> {
        w.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [")?;
        Ok(ListWriter {
            w,
            scratch: Vec::with_capacity(64 * 1024),
            indented: Vec::with_capacity(96 * 1024),
            first: true,
        })
    }

    fn item(&mut self, mut value: Value) -> io::Result<()> {
        // No-op unless serde_json's `preserve_order` gets enabled somewhere in the build:
        // kubectl prints keys sorted.
        value.sort_all_objects();
        self.scratch.clear();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut self.scratch, fmt);
        k8s_openapi::serde::Serialize::serialize(&value, &mut ser).map_err(io::Error::other)?;
        // Re-indent to the item depth (JSON strings never hold a raw newline).
        self.indented.clear();
        self.indented
            .extend_from_slice(if self.first { b"\n" } else { b",\n" });
        self.first = false;
        for (i, line) in self.scratch.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.indented.push(b'\n');
            }
            self.indented.extend_from_slice(b"        ");
            self.indented.extend_from_slice(line);
        }
        self.w.write_all(&self.indented)
    }

    fn finish(mut self) -> io::Result<()> {
        if !self.first {
            self.w.write_all(b"\n    ")?;
        }
        self.w.write_all(
            b"],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n",
        )?;
        self.w.flush()
    }
}

// ---------------------------------------------------------------------------------------
// The floors
// ---------------------------------------------------------------------------------------

/// One typed object, as the floor keeps it (boxed, like kdiag's own `Object`).
#[derive(Debug)]
#[allow(dead_code)] // held only to be dropped: the point is building them
enum Typed {
    Pod(Box<Pod>),
    Node(Box<Node>),
    Event(Box<Event>),
    Deployment(Box<Deployment>),
    ReplicaSet(Box<ReplicaSet>),
    Other,
}

/// Parse a `kubectl get -o json` List into typed `k8s-openapi` objects (Pod, Node, core/v1
/// Event, Deployment, ReplicaSet), with no kdiag code, and return how many items were read.
///
/// This is the floor kdiag's reader is measured against: one pass over the bytes, no
/// intermediate `Value`. Each item's keys are read until `kind`; everything after `kind`
/// is deserialized straight into the matching type through a `MapAccessDeserializer`.
/// Keys that precede `kind` (an Event's `count`, `eventTime`, `firstTimestamp`,
/// `involvedObject`, since kubectl sorts keys) are kept as borrowed `RawValue`s and
/// replayed first. All objects are kept in a `Vec` and dropped before returning, as a
/// diagnosis would.
///
/// # Panics
///
/// If `text` is not a JSON List (or bare array) of well-formed objects.
pub fn typed_floor(text: &str) -> usize {
    let mut de = serde_json::Deserializer::from_str(text);
    let items = (&mut de)
        .deserialize_any(ListVisitor)
        .and_then(|items| de.end().map(|()| items))
        .unwrap_or_else(|e| panic!("typed_floor: {e}"));
    items.len()
}

/// Parse `text` into a `serde_json::Value` and return the number of items of the List
/// (or elements of a bare array, or 1 for a single object).
///
/// # Panics
///
/// If `text` is not JSON.
pub fn value_parse(text: &str) -> usize {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("value_parse: {e}"));
    match &v {
        Value::Array(a) => a.len(),
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(a)) => a.len(),
            _ => 1,
        },
        _ => 0,
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Vec<Typed>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a List object or an array of objects")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Typed>, A::Error> {
        let mut items = Vec::new();
        while let Some(key) = map.next_key_seed(CowStr)? {
            if key == "items" {
                items = map.next_value_seed(ItemsSeed)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(items)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<Typed>, A::Error> {
        ItemsSeed.visit_seq(seq)
    }
}

#[derive(Clone, Copy)]
struct ItemsSeed;

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Vec<Typed>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<Typed>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed {
    type Value = Vec<Typed>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of Kubernetes objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Typed>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ItemSeed)? {
            items.push(item);
        }
        Ok(items)
    }
}

struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Typed;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Typed, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Typed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Typed, A::Error> {
        let mut api_version: Option<Cow<'de, str>> = None;
        let mut before_kind: Vec<(Cow<'de, str>, &'de RawValue)> = Vec::new();
        while let Some(key) = map.next_key_seed(CowStr)? {
            match &*key {
                "apiVersion" => api_version = Some(map.next_value_seed(CowStr)?),
                "kind" => {
                    let kind = map.next_value_seed(CowStr)?;
                    let rest = Replay {
                        buffered: before_kind.into_iter(),
                        pending: None,
                        rest: map,
                    };
                    return typed(api_version.as_deref().unwrap_or(""), &kind, rest);
                }
                _ => before_kind.push((key, map.next_value()?)),
            }
        }
        Ok(Typed::Other)
    }
}

fn typed<'de, A: MapAccess<'de>>(api_version: &str, kind: &str, map: A) -> Result<Typed, A::Error> {
    fn read<'de, T: Deserialize<'de>, A: MapAccess<'de>>(map: A) -> Result<Box<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Box::new)
    }
    Ok(match (api_version, kind) {
        ("v1", "Pod") => Typed::Pod(read(map)?),
        ("v1", "Node") => Typed::Node(read(map)?),
        ("v1", "Event") => Typed::Event(read(map)?),
        ("apps/v1", "Deployment") => Typed::Deployment(read(map)?),
        ("apps/v1", "ReplicaSet") => Typed::ReplicaSet(read(map)?),
        _ => {
            let mut map = map;
            while map.next_key::<IgnoredAny>()?.is_some() {
                map.next_value::<IgnoredAny>()?;
            }
            Typed::Other
        }
    })
}

/// A map whose first entries are replayed from buffered raw values, then read live.
struct Replay<'de, A> {
    buffered: std::vec::IntoIter<(Cow<'de, str>, &'de RawValue)>,
    pending: Option<&'de RawValue>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.buffered.next() {
            Some((key, raw)) => {
                self.pending = Some(raw);
                match key {
                    Cow::Borrowed(k) => {
                        seed.deserialize(de::value::BorrowedStrDeserializer::new(k))
                    }
                    Cow::Owned(k) => seed.deserialize(de::value::StringDeserializer::new(k)),
                }
                .map(Some)
            }
            None => self.rest.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(raw) => seed
                .deserialize(raw.into_deserializer())
                .map_err(de::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

/// A string, borrowed from the input when it holds no escapes.
struct CowStr;

impl<'de> DeserializeSeed<'de> for CowStr {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for CowStr {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// The same pods and events twice: as `kubectl describe pod` text (with `Events:` tables,
/// prompts between pods), about `text_bytes` long, and as one JSON `List` of exactly the
/// same objects — for comparing the cost of reading pasted text with reading JSON.
pub fn generate_text_pair(text_bytes: usize) -> (String, String) {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(text_bytes + 4096);
    let mut items: Vec<Value> = Vec::new();
    let mut i = 0usize;
    while text.len() < text_bytes {
        let name = format!("svc{}-7c9d8f6b5-{:05}", i % 97, i);
        let ns = format!("team-{}", i % 13);
        let node = format!("node-{}", i % 211);
        let restarts = i % 9;
        let oom = i % 3 == 0;
        let reason = if oom { "OOMKilled" } else { "Error" };
        let code = if oom { 137 } else { 1 };
        {
            let _ = write!(
                text,
                "$ kubectl describe pod {name} -n {ns}\nName:             {name}\nNamespace:        {ns}\nPriority:         0\nService Account:  default\nNode:             {node}/10.0.{}.{}\nStart Time:       Mon, 02 Mar 2026 10:14:03 +0000\nLabels:           app=svc{}\n                  pod-template-hash=7c9d8f6b5\nAnnotations:      <none>\nStatus:           Running\nIP:               10.244.{}.{}\nControlled By:    ReplicaSet/svc{}-7c9d8f6b5\nContainers:\n  app:\n    Container ID:   containerd://{i:064x}\n    Image:          registry.example.com/svc{}:1.{}\n    Port:           8080/TCP\n    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       {reason}\n      Exit Code:    {code}\n      Started:      Mon, 02 Mar 2026 10:31:40 +0000\n      Finished:     Mon, 02 Mar 2026 10:32:05 +0000\n    Ready:          False\n    Restart Count:  {restarts}\n    Limits:\n      memory:  512Mi\n    Requests:\n      cpu:        250m\n      memory:     256Mi\n    Environment:    <none>\nConditions:\n  Type              Status\n  Initialized       True\n  Ready             False\n  ContainersReady   False\n  PodScheduled      True\nQoS Class:          Burstable\nEvents:\n  Type     Reason     Age                 From     Message\n  ----     ------     ----                ----     -------\n  Normal   Pulled     4m (x{restarts} over 22m)    kubelet  Container image \"registry.example.com/svc{}:1.{}\" already present on machine\n  Warning  BackOff    12s (x{} over 21m)  kubelet  Back-off restarting failed container app in pod {name}_{ns}(0d1c)\n\n",
                i % 250,
                i % 250,
                i % 97,
                i % 250,
                i % 250,
                i % 97,
                i % 97,
                i % 7,
                i % 97,
                i % 7,
                restarts * 9 + 1,
            );
        }
        {
            let pod = json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": ns, "labels": {"app": format!("svc{}", i % 97), "pod-template-hash": "7c9d8f6b5"},
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("svc{}-7c9d8f6b5", i % 97), "uid": "u", "controller": true}]},
                "spec": {"nodeName": node, "serviceAccountName": "default", "priority": 0, "containers": [{"name": "app", "image": format!("registry.example.com/svc{}:1.{}", i % 97, i % 7),
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}}}]},
                "status": {"phase": "Running", "podIP": format!("10.244.{}.{}", i % 250, i % 250), "qosClass": "Burstable", "startTime": "2026-03-02T10:14:03Z",
                    "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "False"}, {"type": "ContainersReady", "status": "False"}, {"type": "PodScheduled", "status": "True"}],
                    "containerStatuses": [{"name": "app", "image": format!("registry.example.com/svc{}:1.{}", i % 97, i % 7), "imageID": "", "containerID": format!("containerd://{i:064x}"),
                        "ready": false, "restartCount": restarts,
                        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                        "lastState": {"terminated": {"reason": reason, "exitCode": code, "startedAt": "2026-03-02T10:31:40Z", "finishedAt": "2026-03-02T10:32:05Z"}}}]}
            });
            let ev = |reason: &str, ty: &str, msg: String, count: usize| {
                json!({"apiVersion": "v1", "kind": "Event",
                    "metadata": {"name": format!("{name}.{reason}"), "namespace": ns},
                    "involvedObject": {"kind": "Pod", "name": name, "namespace": ns, "fieldPath": "spec.containers{app}"},
                    "reason": reason, "type": ty, "message": msg, "count": count,
                    "firstTimestamp": "2026-03-02T10:10:00Z", "lastTimestamp": "2026-03-02T10:31:48Z",
                    "source": {"component": "kubelet", "host": node}})
            };
            let e1 = ev(
                "Pulled",
                "Normal",
                format!(
                    "Container image \"registry.example.com/svc{}:1.{}\" already present on machine",
                    i % 97,
                    i % 7
                ),
                restarts.max(1),
            );
            let e2 = ev(
                "BackOff",
                "Warning",
                format!("Back-off restarting failed container app in pod {name}_{ns}(0d1c)"),
                restarts * 9 + 1,
            );
            items.extend([pod, e1, e2]);
        }
        i += 1;
    }
    let json =
        serde_json::to_string_pretty(&json!({"apiVersion": "v1", "kind": "List", "items": items}))
            .unwrap_or_default();
    (text, json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> DumpSpec {
        DumpSpec {
            pods: 200,
            nodes: 30,
            events: 1_000,
            seed: 7,
        }
    }

    #[test]
    fn deterministic_valid_and_complete() {
        let spec = small();
        let a = generate(&spec);
        assert_eq!(a, generate(&spec), "same seed, same bytes");
        assert_ne!(
            a,
            generate(&DumpSpec {
                seed: 8,
                ..spec.clone()
            })
        );

        let v: Value = serde_json::from_str(&a).expect("valid JSON");
        assert_eq!(v["kind"], "List");
        let items = v["items"].as_array().expect("items");
        assert_eq!(items.len(), spec.items());
        assert_eq!(value_parse(&a), spec.items());
        assert_eq!(typed_floor(&a), spec.items());

        let count = |kind: &str| items.iter().filter(|i| i["kind"] == kind).count();
        assert_eq!(count("Pod"), spec.pods);
        assert_eq!(count("Node"), spec.nodes);
        assert_eq!(count("Event"), spec.events);
        assert_eq!(count("Deployment"), spec.deployments());
        assert_eq!(count("ReplicaSet"), spec.replicasets());
    }

    #[test]
    fn typed_floor_reads_every_item_as_its_type() {
        let text = generate(&small());
        let mut de = serde_json::Deserializer::from_str(&text);
        let items = (&mut de).deserialize_any(ListVisitor).expect("parse");
        assert!(items.iter().all(|i| !matches!(i, Typed::Other)));
        // The typed floor sees the same content as a direct typed parse.
        let v: Value = serde_json::from_str(&text).expect("json");
        let first_event = v["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["kind"] == "Event")
            .expect("an event");
        let direct: Event = serde_json::from_value(first_event.clone()).expect("event");
        let floor = items
            .iter()
            .find_map(|i| match i {
                Typed::Event(e) => Some(e),
                _ => None,
            })
            .expect("typed event");
        assert_eq!(**floor, direct);
    }

    #[test]
    fn looks_like_kubectl() {
        let text = generate(&DumpSpec {
            pods: 20,
            nodes: 3,
            events: 50,
            seed: 1,
        });
        assert!(text.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"apiVersion\": \"apps/v1\",\n            \"kind\": \"Deployment\",\n"));
        assert!(text.ends_with("    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"));
        let empty = generate(&DumpSpec {
            pods: 0,
            nodes: 0,
            events: 0,
            seed: 1,
        });
        let v: Value = serde_json::from_str(&empty).expect("json");
        assert_eq!(v["items"].as_array().map(Vec::len), Some(0));
        // Events without pods or nodes still come out (about a stand-in node).
        let only_events = DumpSpec {
            pods: 0,
            nodes: 0,
            events: 5,
            seed: 1,
        };
        assert_eq!(typed_floor(&generate(&only_events)), 5);
    }

    #[test]
    fn timestamps() {
        assert_eq!(ts(NOW), "2025-06-15T12:00:00Z");
        assert_eq!(ts(0), "1970-01-01T00:00:00Z");
        assert_eq!(ts(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(micro(NOW, 42), "2025-06-15T12:00:00.000042Z");
    }
}

/// A global allocator that counts (install it with `#[global_allocator]` in a benchmark or
/// test binary): live heap bytes, their high-water mark, and all bytes ever allocated.
#[allow(unsafe_code)] // the `GlobalAlloc` implementation; nothing else in this crate
pub mod alloc {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    /// `System`, counting live heap bytes and their high-water mark.
    pub struct Counting;

    /// Live heap bytes.
    pub static CURRENT: AtomicUsize = AtomicUsize::new(0);
    /// The high-water mark of [`CURRENT`] (reset it to measure a stretch of work).
    pub static PEAK: AtomicUsize = AtomicUsize::new(0);

    /// Every byte ever allocated (growth by `realloc` included): the work a run does in
    /// memory, which unlike a timer is exact on a shared machine.
    pub static TOTAL: AtomicUsize = AtomicUsize::new(0);

    fn grew(n: usize) {
        TOTAL.fetch_add(n, Relaxed);
        let now = CURRENT.fetch_add(n, Relaxed) + n;
        PEAK.fetch_max(now, Relaxed);
    }

    fn shrank(n: usize) {
        CURRENT.fetch_sub(n, Relaxed);
    }

    // SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
    // `GlobalAlloc` contract; the only addition is bookkeeping on atomics, which neither
    // allocates nor touches the returned memory.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: same contract as ours, forwarded.
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                grew(layout.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            // SAFETY: same contract as ours, forwarded.
            let p = unsafe { System.alloc_zeroed(layout) };
            if !p.is_null() {
                grew(layout.size());
            }
            p
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` was allocated by `System` with `layout` (all our allocations are).
            unsafe { System.dealloc(ptr, layout) };
            shrank(layout.size());
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: same contract as ours, forwarded.
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                if new_size >= layout.size() {
                    grew(new_size - layout.size());
                } else {
                    shrank(layout.size() - new_size);
                }
            }
            p
        }
    }
}
