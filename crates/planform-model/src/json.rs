//! Lossless building blocks: values that keep what they do not understand.
//!
//! The service tells clients to treat unfamiliar values as opaque. Every record
//! in this crate therefore keeps a typed field for each documented member and an
//! `extra` map for everything else: unknown members, members sent as `null`, and
//! documented members whose JSON type is not the documented one (validation
//! reports those; parsing never drops them). Writing a record back gives the
//! same JSON value it was read from.

use serde_json::{Map, Number, Value};

/// A JSON object: the type of every `extra` map.
pub type Object = Map<String, Value>;

/// Conversion from a parsed JSON value that hands the value back when its JSON
/// type does not fit, so the caller can keep it verbatim.
pub trait FromJson: Sized {
    /// Converts `value`, or returns it unchanged when it is not of this type.
    fn from_json(value: Value) -> Result<Self, Value>;
    /// The JSON type this conversion expects, for validation messages.
    const EXPECTED: &'static str;
}

/// Conversion back to a JSON value.
pub trait ToJson {
    /// The JSON value of `self`.
    fn to_json(&self) -> Value;
}

/// `FromJson`/`ToJson` for the JSON scalar types and objects.
macro_rules! json_variant {
    ($($ty:ty => $variant:ident, $expected:literal;)*) => {$(
        impl FromJson for $ty {
            fn from_json(value: Value) -> Result<Self, Value> {
                match value {
                    Value::$variant(v) => Ok(v),
                    other => Err(other),
                }
            }
            const EXPECTED: &'static str = $expected;
        }
        impl ToJson for $ty {
            fn to_json(&self) -> Value {
                Value::$variant(self.clone())
            }
        }
    )*};
}

json_variant! {
    Number => Number, "a number";
    String => String, "a string";
    bool => Bool, "a boolean";
    Object => Object, "an object";
}

/// An array converts only when every element does; otherwise the whole array
/// is handed back unchanged (the order and the foreign elements survive).
impl<T: FromJson + ToJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, Value> {
        let Value::Array(items) = value else {
            return Err(value);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut rest = items.into_iter();
        while let Some(item) = rest.next() {
            match T::from_json(item) {
                Ok(v) => out.push(v),
                Err(bad) => {
                    let mut back: Vec<Value> = out.iter().map(ToJson::to_json).collect();
                    back.push(bad);
                    back.extend(rest);
                    return Err(Value::Array(back));
                }
            }
        }
        Ok(out)
    }
    const EXPECTED: &'static str = "an array";
}
impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

/// Reads a number as `f64` (every JSON number has one).
pub(crate) fn num_f64(n: Option<&Number>) -> Option<f64> {
    n.and_then(Number::as_f64)
}

/// A JSON number from an `f64`, or `None` for NaN and infinities (which JSON
/// cannot carry).
pub fn number(v: f64) -> Option<Number> {
    Number::from_f64(v)
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub fn pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        std::borrow::Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

/// Declares a record: documented members as typed `Option` fields plus an
/// `extra` map that keeps everything else, so that parse → write is lossless.
macro_rules! open_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: Option<$ty>, )*
            /// Members this version does not model, members sent as `null`, and
            /// documented members whose JSON type was not the documented one;
            /// written back as given.
            pub extra: $crate::json::Object,
        }

        impl $name {
            /// The documented member names, in wire spelling.
            #[allow(dead_code)]
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            /// Builds the record from a JSON object; never fails (see the type docs).
            #[allow(unused_mut)]
            pub fn from_object(mut object: $crate::json::Object) -> Self {
                #[allow(unused_mut)]
                let mut out = Self::default();
                $(
                    if let Some(v) = object.remove($key) {
                        match <$ty as $crate::json::FromJson>::from_json(v) {
                            Ok(t) => out.$field = Some(t),
                            Err(v) => { object.insert($key.to_owned(), v); }
                        }
                    }
                )*
                out.extra = object;
                out
            }

            /// The record as a JSON object.
            pub fn to_object(&self) -> $crate::json::Object {
                #[allow(unused_mut)]
                let mut object = self.extra.clone();
                $(
                    if let Some(v) = &self.$field {
                        object.insert($key.to_owned(), $crate::json::ToJson::to_json(v));
                    }
                )*
                object
            }

            /// Documented members present with a JSON type other than the
            /// documented one: `(member, expected type)`.
            pub fn mistyped(&self) -> Vec<(&'static str, &'static str)> {
                #[allow(unused_mut)]
                let mut out = Vec::new();
                $(
                    if self.$field.is_none()
                        && self.extra.get($key).is_some_and(|v| !v.is_null())
                    {
                        out.push(($key, <$ty as $crate::json::FromJson>::EXPECTED));
                    }
                )*
                out
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Value> {
                match value {
                    serde_json::Value::Object(o) => Ok(Self::from_object(o)),
                    other => Err(other),
                }
            }
            const EXPECTED: &'static str = "an object";
        }

        impl $crate::json::ToJson for $name {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::Object(self.to_object())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                $(
                    if let Some(v) = &self.$field {
                        map.serialize_entry($key, v)?;
                    }
                )*
                for (k, v) in &self.extra {
                    // a typed member wins over a stale copy of its key in `extra`
                    let shadowed = match k.as_str() {
                        $( $key => self.$field.is_some(), )*
                        _ => false,
                    };
                    if !shadowed {
                        map.serialize_entry(k, v)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object")
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key_seed($crate::feature::KeySeed)? {
                            let v: serde_json::Value = map.next_value()?;
                            match key.as_ref() {
                                $(
                                    $key => match <$ty as $crate::json::FromJson>::from_json(v) {
                                        Ok(t) => out.$field = Some(t),
                                        Err(v) => { out.extra.insert(key.into_owned(), v); }
                                    },
                                )*
                                _ => { out.extra.insert(key.into_owned(), v); }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}
pub(crate) use open_record;

/// Declares an open string enum: the documented values as variants plus
/// `Other(String)` for values this version does not know (kept verbatim).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every documented value.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];

            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Other(s) => s,
                }
            }

            /// Whether this is a documented value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $( $wire => Self::$variant, )*
                    _ => Self::Other(s),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Value> {
                match value {
                    serde_json::Value::String(s) => Ok(Self::from(s)),
                    other => Err(other),
                }
            }
            const EXPECTED: &'static str = "a string";
        }

        impl $crate::json::ToJson for $name {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::String(self.as_str().to_owned())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::from)
            }
        }
    };
}
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    open_record! {
        /// test record
        pub struct Rec {
            /// a
            a: Number = "a",
            /// b
            b: String = "bName",
        }
    }

    #[test]
    fn record_keeps_null_unknown_and_mistyped_members() {
        let v = json!({"a": "tall", "bName": null, "zzz": [1, 2.0]});
        let r: Rec = serde_json::from_value(v.clone()).unwrap();
        assert!(r.a.is_none() && r.b.is_none());
        assert_eq!(r.mistyped(), vec![("a", "a number")]);
        assert_eq!(serde_json::to_value(&r).unwrap(), v);
    }

    #[test]
    fn record_keeps_integer_and_float_spelling() {
        let v = json!({"a": 2, "bName": "x"});
        let r: Rec = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(r.a.as_ref().and_then(Number::as_u64), Some(2));
        assert_eq!(serde_json::to_value(&r).unwrap(), v);
        let v = json!({"a": 2.0});
        let r: Rec = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"a":2.0}"#);
    }

    #[test]
    fn vec_hands_back_the_whole_array_on_mismatch() {
        let v = json!(["a", 1, "c"]);
        let back = Vec::<String>::from_json(v.clone()).unwrap_err();
        assert_eq!(back, v);
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_token("plain"), "plain");
    }
}
