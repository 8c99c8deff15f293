//! The Kubernetes objects kdiag understands, as typed `k8s-openapi` values.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::PersistentVolume;
use k8s_openapi::api::core::v1::{
    Event as CoreEvent, Node, PersistentVolumeClaim, Pod, ReplicationController, ResourceQuota,
};
use k8s_openapi::api::events::v1::Event as EventsV1Event;
use k8s_openapi::api::storage::v1::StorageClass;

/// One object read from the input (or handed in by a Rust caller).
///
/// Variants are boxed: a dump holds tens of thousands of them, and a `Pod` is large.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)] // each variant is the Kubernetes kind of the same name
pub enum Object {
    Pod(Box<Pod>),
    Node(Box<Node>),
    /// A core/v1 Event.
    Event(Box<CoreEvent>),
    /// An events.k8s.io/v1 Event.
    EventV1(Box<EventsV1Event>),
    Deployment(Box<Deployment>),
    ReplicaSet(Box<ReplicaSet>),
    ReplicationController(Box<ReplicationController>),
    StatefulSet(Box<StatefulSet>),
    DaemonSet(Box<DaemonSet>),
    Job(Box<Job>),
    CronJob(Box<CronJob>),
    PersistentVolumeClaim(Box<PersistentVolumeClaim>),
    ResourceQuota(Box<ResourceQuota>),
    PersistentVolume(Box<PersistentVolume>),
    StorageClass(Box<StorageClass>),
}

impl Object {
    /// The Kubernetes kind (`Pod`, `Event`, …) of this object.
    pub fn kind(&self) -> &'static str {
        match self {
            Object::Pod(_) => "Pod",
            Object::Node(_) => "Node",
            Object::Event(_) | Object::EventV1(_) => "Event",
            Object::Deployment(_) => "Deployment",
            Object::ReplicaSet(_) => "ReplicaSet",
            Object::ReplicationController(_) => "ReplicationController",
            Object::StatefulSet(_) => "StatefulSet",
            Object::DaemonSet(_) => "DaemonSet",
            Object::Job(_) => "Job",
            Object::CronJob(_) => "CronJob",
            Object::PersistentVolumeClaim(_) => "PersistentVolumeClaim",
            Object::ResourceQuota(_) => "ResourceQuota",
            Object::PersistentVolume(_) => "PersistentVolume",
            Object::StorageClass(_) => "StorageClass",
        }
    }
}

macro_rules! from_impls {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl From<$ty> for Object {
            fn from(value: $ty) -> Self {
                Object::$variant(Box::new(value))
            }
        })*
    };
}

from_impls! {
    Pod => Pod,
    Node => Node,
    CoreEvent => Event,
    EventsV1Event => EventV1,
    Deployment => Deployment,
    ReplicaSet => ReplicaSet,
    ReplicationController => ReplicationController,
    StatefulSet => StatefulSet,
    DaemonSet => DaemonSet,
    Job => Job,
    CronJob => CronJob,
    PersistentVolumeClaim => PersistentVolumeClaim,
    ResourceQuota => ResourceQuota,
    PersistentVolume => PersistentVolume,
    StorageClass => StorageClass,
}
