//! Every failure id kdiag reports, with its user documentation.
//!
//! Each id is an item below whose rustdoc *is* the id's documentation (the Markdown file
//! `docs/<id>.md`, included verbatim); [`explain`] returns the same text, which is what
//! `kdiag explain <id>` prints and the web page shows as "learn more".

macro_rules! rules {
    ($($item:ident => $id:literal),* $(,)?) => {
        $(
            #[doc = include_str!(concat!("docs/", $id, ".md"))]
            pub struct $item;
            impl $item {
                /// The failure id, as it appears in reports.
                pub const ID: &'static str = $id;
            }
        )*

        /// Every id, in taxonomy order, with its documentation.
        const ALL: &[(&str, &str)] = &[
            $(($id, include_str!(concat!("docs/", $id, ".md")))),*
        ];
    };
}

rules! {
    ImagePullNotFound => "image-pull.not-found",
    ImagePullAuth => "image-pull.auth",
    ImagePullRegistryUnreachable => "image-pull.registry-unreachable",
    ImagePullRateLimited => "image-pull.rate-limited",
    ImagePullInvalidName => "image-pull.invalid-name",
    ImagePullNeverPull => "image-pull.never-pull",
    ImagePullPlatform => "image-pull.platform",
    CrashloopCompleted => "crashloop.completed",
    CrashloopAppError => "crashloop.app-error",
    CrashloopCommandNotFound => "crashloop.command-not-found",
    CrashloopPermissionDenied => "crashloop.permission-denied",
    CrashloopExecFormat => "crashloop.exec-format",
    CrashloopSegfault => "crashloop.segfault",
    CrashloopLivenessKilled => "crashloop.liveness-killed",
    OomKilled => "oom-killed",
    ConfigMissingSecret => "config.missing-secret",
    ConfigMissingConfigmap => "config.missing-configmap",
    ConfigMissingKey => "config.missing-key",
    ConfigNonRoot => "config.non-root",
    ContainerCreateFailed => "container.create-failed",
    MountFailed => "mount.failed",
    MountMultiAttach => "mount.multi-attach",
    ProbeReadinessFailing => "probe.readiness-failing",
    ProbeStartupFailing => "probe.startup-failing",
    ProbeLivenessFailing => "probe.liveness-failing",
    InitFailing => "init.failing",
    SandboxFailed => "sandbox.failed",
    SchedInsufficientCpu => "sched.insufficient-cpu",
    SchedInsufficientMemory => "sched.insufficient-memory",
    SchedInsufficientOther => "sched.insufficient-other",
    SchedTooManyPods => "sched.too-many-pods",
    SchedTaint => "sched.taint",
    SchedNodeSelector => "sched.node-selector",
    SchedAffinity => "sched.affinity",
    SchedPvcUnbound => "sched.pvc-unbound",
    SchedVolumeNodeAffinity => "sched.volume-node-affinity",
    SchedUnschedulableNode => "sched.unschedulable-node",
    SchedPortConflict => "sched.port-conflict",
    SchedTopologySpread => "sched.topology-spread",
    SchedNoNodes => "sched.no-nodes",
    SchedGated => "sched.gated",
    VolumeProvisioningFailed => "volume.provisioning-failed",
    RolloutStuck => "rollout.stuck",
    NodeNotReady => "node.not-ready",
    NodePressure => "node.pressure",
    NodeRejected => "node.rejected",
    EvictedEphemeralStorage => "evicted.ephemeral-storage",
    EvictedMemory => "evicted.memory",
    EvictedOther => "evicted.other",
    TerminatingStuck => "terminating.stuck",
    JobFailed => "job.failed",
    CreateDenied => "create.denied",
    QuotaExceeded => "quota.exceeded",
    ResourcesOvercommitted => "resources.overcommitted",
    OtherUnrecognized => "other.unrecognized",
}

/// Every failure id kdiag knows, in taxonomy order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|(id, _)| *id)
}

/// The user documentation (Markdown) of a failure id, or `None` for an unknown id.
///
/// ```
/// let doc = kdiag::rules::explain("oom-killed").unwrap();
/// assert!(doc.contains("## How to fix"));
/// assert!(kdiag::rules::explain("no-such-id").is_none());
/// ```
pub fn explain(id: &str) -> Option<&'static str> {
    ALL.iter().find(|(i, _)| *i == id).map(|(_, doc)| *doc)
}
