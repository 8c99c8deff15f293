//! One-pass dispatch of a serde stream (JSON or YAML) into typed objects.
//!
//! kubectl prints `apiVersion` and `kind` before the other keys of an object, so the
//! visitor reads those two, and at the first other key hands the rest of the map straight
//! to the `k8s-openapi` type's own `Deserialize` — no intermediate `serde_json::Value`.
//! Objects whose `kind` comes late (hand-written YAML) or is missing are buffered into a
//! `Value` and dispatched from there ([`super::value`]), which is slower but rare.

use super::value;
use crate::Object;
use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Where one document's objects go.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub objects: Vec<Object>,
    pub other_kinds: BTreeMap<String, usize>,
    /// Problems inside the document that did not stop it (item index, message).
    pub notes: Vec<(Option<usize>, String)>,
    /// Index of the list item being read, for messages.
    pub item: Option<usize>,
    /// The document is YAML, whose plain scalars have no type of their own: `name: 12345`
    /// is read as a string without a note, as the one-pass reader reads it.
    pub untyped_scalars: bool,
}

impl Sink {
    /// Keep an object, without the parts no rule reads and that must not linger: env
    /// values (often secrets), managed fields, the last-applied copy of the manifest, and a
    /// Node's image list (hundreds of entries on a busy node).
    pub(crate) fn keep(&mut self, mut object: Object) {
        let (meta, spec) = parts_mut(&mut object);
        meta.managed_fields = None;
        if let Some(a) = meta.annotations.as_mut() {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
        if let Some(spec) = spec {
            let envs = spec
                .containers
                .iter_mut()
                .chain(spec.init_containers.iter_mut().flatten())
                .filter_map(|c| c.env.as_mut())
                .chain(
                    spec.ephemeral_containers
                        .iter_mut()
                        .flatten()
                        .filter_map(|c| c.env.as_mut()),
                );
            for var in envs.flatten() {
                var.value = None;
            }
        }
        if let Object::Node(n) = &mut object
            && let Some(status) = n.status.as_mut()
        {
            status.images = None;
        }
        self.objects.push(object);
    }

    pub(crate) fn count_other(&mut self, kind: &str) {
        match self.other_kinds.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                self.other_kinds.insert(kind.to_owned(), 1);
            }
        }
    }
}

/// An object's metadata and, for a pod or a workload, the pod spec it runs.
fn parts_mut(object: &mut Object) -> (&mut ObjectMeta, Option<&mut PodSpec>) {
    match object {
        Object::Pod(p) => (&mut p.metadata, p.spec.as_mut()),
        Object::Deployment(d) => (&mut d.metadata, d.spec.template.spec.as_mut()),
        Object::ReplicaSet(r) => (
            &mut r.metadata,
            r.spec.template.as_mut().and_then(|t| t.spec.as_mut()),
        ),
        Object::ReplicationController(r) => (
            &mut r.metadata,
            r.spec
                .as_mut()
                .and_then(|s| s.template.as_mut())
                .and_then(|t| t.spec.as_mut()),
        ),
        Object::StatefulSet(x) => (&mut x.metadata, x.spec.template.spec.as_mut()),
        Object::DaemonSet(x) => (&mut x.metadata, x.spec.template.spec.as_mut()),
        Object::Job(x) => (
            &mut x.metadata,
            x.spec.as_mut().and_then(|s| s.template.spec.as_mut()),
        ),
        Object::CronJob(x) => (
            &mut x.metadata,
            x.spec
                .job_template
                .spec
                .as_mut()
                .and_then(|j| j.template.spec.as_mut()),
        ),
        Object::Node(x) => (&mut x.metadata, None),
        Object::Event(x) => (&mut x.metadata, None),
        Object::EventV1(x) => (&mut x.metadata, None),
        Object::PersistentVolumeClaim(x) => (&mut x.metadata, None),
        Object::ResourceQuota(x) => (&mut x.metadata, None),
        Object::PersistentVolume(x) => (&mut x.metadata, None),
        Object::StorageClass(x) => (&mut x.metadata, None),
    }
}

/// The kinds kdiag reads, as dispatch targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pod,
    Node,
    Event,
    EventV1,
    Deployment,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    PersistentVolumeClaim,
    ResourceQuota,
    PersistentVolume,
    StorageClass,
}

impl Kind {
    /// The target for a `kind` (and `apiVersion`, which separates the two Event schemas).
    pub(crate) fn from_kind(kind: &str, api_version: Option<&str>) -> Option<Kind> {
        Some(match kind {
            "Pod" => Kind::Pod,
            "Node" => Kind::Node,
            "Event" if api_version.is_some_and(|v| v.starts_with("events.k8s.io/")) => {
                Kind::EventV1
            }
            "Event" => Kind::Event,
            "Deployment" => Kind::Deployment,
            "ReplicaSet" => Kind::ReplicaSet,
            "ReplicationController" => Kind::ReplicationController,
            "StatefulSet" => Kind::StatefulSet,
            "DaemonSet" => Kind::DaemonSet,
            "Job" => Kind::Job,
            "CronJob" => Kind::CronJob,
            "PersistentVolumeClaim" => Kind::PersistentVolumeClaim,
            "ResourceQuota" => Kind::ResourceQuota,
            "PersistentVolume" => Kind::PersistentVolume,
            "StorageClass" => Kind::StorageClass,
            _ => return None,
        })
    }

    /// Deserialize one object of this kind from any serde deserializer.
    pub(crate) fn read<'de, D: Deserializer<'de>>(self, d: D) -> Result<Object, D::Error> {
        use k8s_openapi::api as k;
        Ok(match self {
            Kind::Pod => k::core::v1::Pod::deserialize(d)?.into(),
            Kind::Node => k::core::v1::Node::deserialize(d)?.into(),
            Kind::Event => k::core::v1::Event::deserialize(d)?.into(),
            Kind::EventV1 => k::events::v1::Event::deserialize(d)?.into(),
            Kind::Deployment => k::apps::v1::Deployment::deserialize(d)?.into(),
            Kind::ReplicaSet => k::apps::v1::ReplicaSet::deserialize(d)?.into(),
            Kind::ReplicationController => {
                k::core::v1::ReplicationController::deserialize(d)?.into()
            }
            Kind::StatefulSet => k::apps::v1::StatefulSet::deserialize(d)?.into(),
            Kind::DaemonSet => k::apps::v1::DaemonSet::deserialize(d)?.into(),
            Kind::Job => k::batch::v1::Job::deserialize(d)?.into(),
            Kind::CronJob => k::batch::v1::CronJob::deserialize(d)?.into(),
            Kind::PersistentVolumeClaim => {
                k::core::v1::PersistentVolumeClaim::deserialize(d)?.into()
            }
            Kind::ResourceQuota => k::core::v1::ResourceQuota::deserialize(d)?.into(),
            Kind::PersistentVolume => k::core::v1::PersistentVolume::deserialize(d)?.into(),
            Kind::StorageClass => k::storage::v1::StorageClass::deserialize(d)?.into(),
        })
    }
}

/// The item kind a typed list (`PodList`, `EventList`, …) implies for items without one.
pub(crate) fn list_item_kind(kind: &str) -> Option<&str> {
    kind.strip_suffix("List").filter(|k| !k.is_empty())
}

/// `List` or a typed list such as `PodList`.
pub(crate) fn is_list_kind(kind: &str) -> bool {
    kind == "List" || list_item_kind(kind).is_some()
}

/// Reads one value of a document: an object, a list, or an array of either.
pub(crate) struct ObjSeed<'s> {
    pub sink: &'s mut Sink,
    /// Kind implied by an enclosing typed list, for items that carry none.
    pub default_kind: Option<&'s str>,
    pub default_api_version: Option<&'s str>,
}

impl<'de> DeserializeSeed<'de> for ObjSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Keys the dispatcher cares about; everything else is handed on by name.
enum Key {
    ApiVersion,
    Kind,
    Items,
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        // YAML allows keys of any type; those are never fields kdiag reads.
        let Lenient(name) = Lenient::deserialize(d)?;
        Ok(match name.as_str() {
            "apiVersion" => Key::ApiVersion,
            "kind" => Key::Kind,
            "items" => Key::Items,
            _ => Key::Other(name),
        })
    }
}

/// The rest of a map, after some of it was read ahead: first the entries buffered while
/// `kind` was not yet known (replayed from their `Value`), then a key whose value is still
/// in the stream, then the stream itself. This keeps objects whose `kind` comes late
/// (kubectl sorts an Event's keys, so `count` and `involvedObject` come first) on the
/// one-pass path: only the few fields before `kind` are buffered.
struct Replay<A> {
    buffered: std::vec::IntoIter<(String, Value)>,
    value: Option<Value>,
    live_key: Option<String>,
    rest: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let key = match self.buffered.next() {
            Some((key, value)) => {
                self.value = Some(value);
                key
            }
            None => match self.live_key.take() {
                Some(key) => key,
                None => return self.rest.next_key_seed(seed),
            },
        };
        seed.deserialize(de::value::StringDeserializer::<A::Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(v).map_err(de::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

/// The items of a list: each element is read by an [`ObjSeed`].
struct ItemsSeed<'s, 'k> {
    sink: &'s mut Sink,
    default_kind: Option<&'k str>,
    default_api_version: Option<&'k str>,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of Kubernetes objects")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(()) // `items: null` / `items:` — an empty list
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let outer = self.sink.item;
        let mut index = 0usize;
        loop {
            self.sink.item = Some(index);
            let seed = ObjSeed {
                sink: self.sink,
                default_kind: self.default_kind,
                default_api_version: self.default_api_version,
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
            index += 1;
        }
        self.sink.item = outer;
        Ok(())
    }
}

impl<'de> Visitor<'de> for ObjSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object, a List of objects, or an array of them")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(()) // an empty YAML document or a `null` array element
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        ItemsSeed {
            sink: self.sink,
            default_kind: self.default_kind,
            default_api_version: self.default_api_version,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut api_version: Option<String> = None;
        let mut kind: Option<String> = None;
        // Entries read before `kind` was known.
        let mut buffered: Vec<(String, Value)> = Vec::new();
        loop {
            let Some(key) = map.next_key::<Key>()? else {
                let map: Map<String, Value> = buffered.into_iter().collect();
                return finish_buffered(self.sink, kind, api_version, map, self.default_kind);
            };
            let live_key = match key {
                Key::ApiVersion => {
                    api_version = Some(map.next_value::<Lenient>()?.0);
                    continue;
                }
                Key::Kind => {
                    kind = Some(map.next_value::<Lenient>()?.0);
                    if buffered.is_empty() {
                        continue;
                    }
                    None
                }
                Key::Items if buffered.is_empty() => {
                    return read_list(self.sink, map, kind, api_version, true);
                }
                Key::Items => Some("items".to_owned()),
                Key::Other(name) => Some(name),
            };
            let effective = kind.as_deref().or(self.default_kind);
            let api = api_version.as_deref().or(self.default_api_version);
            let Some(k) = effective else {
                // No kind yet: keep this entry and look further.
                if let Some(name) = live_key {
                    buffered.push((name, map.next_value::<Value>()?));
                }
                continue;
            };
            if is_list_kind(k) {
                if buffered.is_empty() {
                    // A typed list whose `items` comes later.
                    let _: IgnoredAny = map.next_value()?;
                    return read_list(self.sink, map, kind, api_version, false);
                }
                // A list whose kind came after its items: rare, read it the careful way.
                if let Some(name) = live_key {
                    buffered.push((name, map.next_value::<Value>()?));
                }
                while let Some((name, value)) = map.next_entry::<String, Value>()? {
                    buffered.push((name, value));
                }
                let map: Map<String, Value> = buffered.into_iter().collect();
                return finish_buffered(self.sink, kind, api_version, map, self.default_kind);
            }
            match Kind::from_kind(k, api) {
                Some(target) => {
                    let rest = Replay {
                        buffered: buffered.into_iter(),
                        value: None,
                        live_key,
                        rest: map,
                    };
                    let object = target.read(MapAccessDeserializer::new(rest))?;
                    self.sink.keep(object);
                }
                None => {
                    self.sink.count_other(k);
                    if live_key.is_some() {
                        let _: IgnoredAny = map.next_value()?;
                    }
                    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                }
            }
            return Ok(());
        }
    }

    // Scalars where an object belongs.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(&Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(&Value::String(v.to_owned()))
    }
}

impl ObjSeed<'_> {
    /// Say what it was, never the value itself (a pasted token must not be echoed), in the
    /// careful path's words (the web page reads every document that way).
    fn scalar<E: de::Error>(self, v: &Value) -> Result<(), E> {
        let item = self.sink.item;
        self.sink.notes.push((item, value::not_an_object(v)));
        Ok(())
    }
}

/// Read the rest of a List object; `items_next` when the `items` key was just read.
fn read_list<'de, A: MapAccess<'de>>(
    sink: &mut Sink,
    mut map: A,
    mut kind: Option<String>,
    mut api_version: Option<String>,
    items_next: bool,
) -> Result<(), A::Error> {
    let mut pending_items = items_next;
    loop {
        if pending_items {
            pending_items = false;
            let default_kind = kind.as_deref().and_then(list_item_kind);
            let default_api = if default_kind.is_some() {
                api_version.as_deref()
            } else {
                None
            };
            map.next_value_seed(ItemsSeed {
                sink,
                default_kind,
                default_api_version: default_api,
            })?;
        }
        match map.next_key::<Key>()? {
            None => return Ok(()),
            Some(Key::Items) => pending_items = true,
            Some(Key::Kind) => kind = Some(map.next_value::<Lenient>()?.0),
            Some(Key::ApiVersion) => api_version = Some(map.next_value::<Lenient>()?.0),
            Some(Key::Other(_)) => {
                let _: IgnoredAny = map.next_value()?;
            }
        }
    }
}

/// Dispatch an object that had to be buffered (kind late, or missing).
fn finish_buffered<E: de::Error>(
    sink: &mut Sink,
    kind: Option<String>,
    api_version: Option<String>,
    mut map: Map<String, Value>,
    default_kind: Option<&str>,
) -> Result<(), E> {
    let kind = kind.or_else(|| default_kind.map(str::to_owned));
    if kind.is_none() && map.is_empty() {
        return Ok(()); // `{}`
    }
    if let Some(kind) = kind {
        map.insert("kind".into(), Value::String(kind));
    }
    if let Some(api_version) = api_version {
        map.insert("apiVersion".into(), Value::String(api_version));
    }
    value::read_document(sink, Value::Object(map));
    Ok(())
}

/// A string that also accepts numbers and booleans (for `kind`/`apiVersion` typed sloppily).
struct Lenient(String);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lenient, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Lenient, E> {
                Ok(Lenient(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Lenient, E> {
                Ok(Lenient(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}
